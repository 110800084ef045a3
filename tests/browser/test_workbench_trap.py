"""The workbench on the trap bundle (tests/e2e/trap_bundle.py), clicked through in headless Chromium.

What is on the screen is checked against the bundle's known answers and against the API itself:
the principal AT OCCURRENCE (张伟 and 王强 for ISS-1, not 李娜 who took over the next day), the red
overdue items, the in-effect answer on both sides of a period's end, figures and XLSX exports.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.browser.conftest import BROWSER_USER_NAME, axe_violations, gql, needs_workbench

pytestmark = needs_workbench
AS_OF = "2024-06-30"
RED = "rgb(180, 35, 35)"


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def _xlsx(page: Any, click: Any, folder: Path) -> list[list[Any]]:
    """Click, take the download, open it with openpyxl: the rows of its first sheet."""
    with page.expect_download() as info:
        click()
    name = info.value.suggested_filename
    assert name.endswith(".xlsx"), name
    path = folder / name
    info.value.save_as(path)
    with warnings.catch_warnings():
        # write-excel-file writes no default cell style; openpyxl says so and applies its own.
        warnings.filterwarnings("ignore", "Workbook contains no default style", UserWarning)
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_search_from_the_top_bar_by_initials_groups_by_kind(page: Any, trap_url: str) -> None:
    _open(page, trap_url)
    box = page.get_by_role("textbox", name="全局检索")
    box.fill("zw")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=zw"))
    page.wait_for_selector("[data-test=group-Official]")
    officials = page.locator("[data-test=group-Official]")
    assert "干部" in officials.locator("h2").inner_text()
    assert "张伟" in officials.inner_text()
    # Pinyin in full, through the suggestions: picking one opens the dossier.
    box.fill("zhangwei")
    page.locator(".el-autocomplete-suggestion li", has_text="张伟").first.click()
    page.wait_for_url(re.compile(r"/official/OFF-ZW"))
    assert page.locator("[data-test=official-name]").inner_text() == "张伟"


def test_chain_names_the_principals_at_occurrence_with_documents(page: Any, trap_url: str) -> None:
    _open(page, f"{trap_url}/chain/ISS-1?asOf={AS_OF}")
    page.wait_for_selector("[data-test=responsible]")
    responsible = _texts(page, "[data-test=responsible]")
    names = sorted(re.match(r"\S+", r).group(0) for r in responsible)  # type: ignore[union-attr]
    assert names == ["张伟", "王强"]  # not 李娜: she took the post on 2023-03-11, the day after
    assert all("发生时在任主要负责人" in r for r in responsible)
    zw = next(r for r in responsible if r.startswith("张伟"))
    assert "局长" in zw and "2020-01-01 至 2023-03-10" in zw
    assert page.locator("[data-test=occurred-on]").inner_text() == "2023-03-10"
    # Steps sorted by date (the bundle lists them out of order), the deadline met: nothing red.
    steps = _texts(page, "[data-test=step]")
    assert [s[:10] for s in steps] == ["2023-04-20", "2023-04-25", "2023-06-10"]
    assert page.locator("[data-test=rectification-overdue]").count() == 0
    # Clue → case → measures coloured by form → transfer with its outcome → exposure; 文号 beside facts.
    assert "督察移交" in page.locator("[data-test=clue]").inner_text()
    assert "城关区交通运输局逐利执法问责案" in page.locator("[data-test=case]").inner_text()
    measures = page.locator("[data-test=measure]")
    assert measures.count() == 3
    forms = [m.locator(".form-tag").get_attribute("data-form") for m in measures.all()]
    assert forms == ["1", "2", "2"]  # 诫勉, 党内警告, 记过 (decided 06-01, 06-20, 07-05)
    warning = measures.filter(has_text="党内警告")
    assert "甘纪〔2023〕12号" in warning.inner_text()
    assert "甘法督〔2023〕5号" in page.locator("[aria-label=问题]").inner_text()
    transfer = page.locator("[data-test=transfer]").inner_text()
    assert "移交纪检监察机关立案审查" in transfer and "已立案 2023-08-01" in transfer
    assert "城关区交通运输局逐利执法问题通报" in page.locator("[data-test=exposure]").inner_text()
    assert page.locator("[data-test=chain-stage]").inner_text() == "办结"
    assert "2023-08-01" in page.locator("[data-test=stage-CLOSED]").inner_text()


def test_chain_shows_the_overdue_rectification_in_red(page: Any, trap_url: str) -> None:
    api = gql(trap_url)(
        'query($d: Date) { chain(issueId: "ISS-2", asOf: $d) { overdue { kind daysOver node { id } } } }',
        {"d": AS_OF},
    )
    days = {o["kind"]: o["daysOver"] for o in api["chain"]["overdue"]}
    assert days["rectification"] == 304  # deadline 2023-08-31, as of 2024-06-30
    _open(page, f"{trap_url}/chain/ISS-2?asOf={AS_OF}")
    flag = page.locator("[data-test=rectification-overdue]")
    assert flag.inner_text() == f"逾期 {days['rectification']} 天"
    assert flag.evaluate("e => getComputedStyle(e).color") == RED
    deadline = page.locator("[data-test=deadline]")
    assert deadline.inner_text() == "2023-08-31"
    assert deadline.evaluate("e => getComputedStyle(e).color") == RED
    # ISS-2 has no occurred_on: the principal on the day it was found (2023-05-20) is 陈明, as 市长.
    responsible = page.locator("[data-test=responsible]").inner_text()
    assert responsible.startswith("陈明") and "市长" in responsible
    # The transfer to the procuratorate (2023-08-15, still pending) is past 90 days.
    transfer = page.locator("[data-test=transfer]")
    assert f"逾期未反馈 {days['transfer']} 天" in transfer.inner_text()
    # The day before the deadline passes, nothing is overdue.
    page.locator("[data-test=as-of] input").fill("2023-08-31")
    page.locator("[data-test=as-of] input").press("Enter")
    page.wait_for_url(re.compile(r"asOf=2023-08-31"))
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-test=rectification-overdue]").count() == 0


def test_explicit_responsibility_overrides_the_principal(page: Any, trap_url: str) -> None:
    _open(page, f"{trap_url}/chain/ISS-3?asOf={AS_OF}")
    responsible = _texts(page, "[data-test=responsible]")
    assert len(responsible) == 1
    assert responsible[0].startswith("李娜") and "直接责任" in responsible[0] and "明确认定" in responsible[0]


def test_official_dossier_in_effect_on_both_sides_of_the_period_end(page: Any, trap_url: str) -> None:
    api = gql(trap_url)('{ official(id: "OFF-ZW") { measures { measureKind periodEnd } } }')
    ends = {m["measureKind"]: m["periodEnd"] for m in api["official"]["measures"]}
    assert ends == {"PARTY_WARNING": "2024-06-19", "GOV_DEMERIT": "2024-07-04"}
    _open(page, f"{trap_url}/official/OFF-ZW?on=2024-06-19")
    answer = page.locator("[data-test=in-effect-answer]")
    assert "党内警告" in answer.inner_text() and "记过" in answer.inner_text()
    # The day after the warning's period ends, only the demerit is in effect.
    page.locator("[data-test=effect-date] input").fill("2024-06-20")
    page.locator("[data-test=effect-date] input").press("Enter")
    page.wait_for_url(re.compile(r"on=2024-06-20"))
    page.wait_for_function(
        "() => { const t = document.querySelector('[data-test=in-effect-answer]')?.innerText ?? '';"
        " return t.includes('2024-06-20') && !t.includes('党内警告') }"
    )
    assert "记过" in answer.inner_text()
    # ... and after both ends, nothing.
    _open(page, f"{trap_url}/official/OFF-ZW?on=2024-07-05")
    assert "无处于影响期" in page.locator("[data-test=in-effect-answer]").inner_text()
    # The Gantt draws a lane per post and per measure, on one time axis (SVG text in the DOM).
    chart = page.locator(".echart svg").text_content() or ""
    assert "城关区交通运输局 局长" in chart
    assert "处置：党内警告（2023-06-20）" in chart
    # The chains 张伟 is part of: ISS-1, as principal at occurrence and as subject of measures.
    chains = page.locator("[data-test=chains]").inner_text()
    assert "城关区交通运输局以罚代管、逐利执法" in chains and "发生时在任主要负责人" in chains and "受处置" in chains


def test_acting_post_and_chains_of_the_successor(page: Any, trap_url: str) -> None:
    _open(page, f"{trap_url}/official/OFF-LN")
    posts = page.locator("[data-test=posts]").inner_text()
    assert "代局长" in posts and "代理" in posts
    chains = page.locator("[data-test=chains]").inner_text()
    assert "兰州市行政审批超时限" in chains  # ISS-3, named explicitly
    assert "以罚代管" not in chains  # ISS-1 happened before she took the post


def test_organisation_principals_on_either_side_of_the_succession(page: Any, trap_url: str) -> None:
    _open(page, f"{trap_url}/organisation/ORG-CG-TRAFFIC?on=2023-03-10")
    principals = page.locator("[data-test=principals]")
    assert sorted(_texts(page, "[data-test=principals] li > a")) == ["张伟", "王强"]
    page.locator("[data-test=principals-date] input").fill("2023-03-11")
    page.locator("[data-test=principals-date] input").press("Enter")
    page.wait_for_function("() => document.querySelector('[data-test=principals]')?.innerText.includes('李娜')")
    assert sorted(_texts(page, "[data-test=principals] li > a")) == ["李娜", "王强"]
    assert "代局长（代理）" in principals.inner_text()
    figures = page.locator("[data-test=org-four-forms]").inner_text()
    assert re.search(r"1\s*第一种形态", figures) and re.search(r"2\s*第二种形态", figures)


FIGURES = (
    "form1 form2 form3 form4 heldAccountable sanctioned transferredToDiscipline transferredToJudicial exposedCases"
)


def test_statistics_match_the_api_and_drill_down_to_a_case(page: Any, trap_url: str, tmp_path: Path) -> None:
    api = gql(trap_url)(f"{{ fourForms {{ {FIGURES} byRegion {{ region {{ name id }} {FIGURES} }} }} }}")["fourForms"]
    _open(page, f"{trap_url}/stats")
    for key in FIGURES.split():
        assert page.locator(f"[data-test=total-{key}] .n").inner_text() == str(api[key]), key
    assert api["sanctioned"] == 2  # 张伟 (党内警告 + 记过) once, 陈明 once
    # The region table exports with Chinese headers and the API's figures.
    rows = _xlsx(page, lambda: page.locator("[data-test=region-table] [data-test=export-xlsx]").click(), tmp_path)
    assert rows[0][:4] == ["地区", "区划代码", "第一种形态（人次）", "第二种形态（人次）"]
    expected = [[r["region"]["name"], r["region"]["id"], *(r[k] for k in FIGURES.split())] for r in api["byRegion"]]
    assert rows[1:] == expected
    # Drill down: 兰州市 → 城关区 → the organisation → its case → the case page.
    page.locator("[data-test=region-table] a", has_text="兰州市").click()
    page.wait_for_url(re.compile(r"region=620100"))
    page.locator("[data-test=region-table] a", has_text="城关区").click()
    page.wait_for_url(re.compile(r"region=620102"))
    page.locator("[data-test=org-table] a", has_text="城关区交通运输局").first.click()
    page.wait_for_url(re.compile(r"org=ORG-CG-TRAFFIC"))
    case_table = page.locator("[data-test=case-table]")
    case_table.locator("a", has_text="城关区交通运输局逐利执法问责案").wait_for()
    rows = _xlsx(page, lambda: case_table.locator("[data-test=export-xlsx]").click(), tmp_path)
    assert rows[1][0] == "城关区交通运输局逐利执法问责案" and rows[1][2:6] == [1, 2, 0, 0]
    case_table.locator("a", has_text="城关区交通运输局逐利执法问责案").click()
    page.wait_for_url(re.compile(r"/case/CASE-1"))
    page.locator("[data-test=chain-link]").click()
    page.wait_for_url(re.compile(r"/chain/ISS-1"))


def test_campaign_page_shows_the_api_figures(page: Any, trap_url: str) -> None:
    api = gql(trap_url)(f'{{ campaign(id: "CAMP-RT") {{ fourForms {{ {FIGURES} }} }} }}')["campaign"]["fourForms"]
    _open(page, f"{trap_url}/campaign/CAMP-RT")
    assert page.locator("[data-test=campaign-name]").inner_text() == "道路交通安全和运输执法领域突出问题专项整治"
    for key in ("heldAccountable", "sanctioned", "transferredToDiscipline", "transferredToJudicial", "exposedCases"):
        assert page.locator(f"[data-test=campaign-{key}] .n").inner_text() == str(api[key]), key


def test_supervision_board_lists_what_is_overdue_and_exports_it(page: Any, trap_url: str, tmp_path: Path) -> None:
    api = gql(trap_url)(
        "query($d: Date) { supervision(asOf: $d) { items { kind daysOver due node { id label } } } }", {"d": AS_OF}
    )["supervision"]["items"]
    assert [(i["kind"], i["node"]["id"]) for i in api] == [("rectification", "ISS-2"), ("transfer", "T-2")]
    _open(page, f"{trap_url}/supervision?asOf={AS_OF}")
    assert page.locator("[data-test=count-rectifications]").inner_text() == "1"
    assert page.locator("[data-test=count-transfers]").inner_text() == "1"
    table = page.locator("[data-test=supervision-items]")
    assert "兰州市道路运输违规收费" in table.inner_text()
    first = table.locator(".overdue").first
    assert first.evaluate("e => getComputedStyle(e).color") == RED
    rows = _xlsx(page, lambda: page.locator("[data-test=export-xlsx]").last.click(), tmp_path)
    assert rows[0] == ["类型", "事项", "问题", "单位", "地区", "专项", "期限", "逾期天数"]
    assert [(r[1], r[6], r[7]) for r in rows[1:]] == [(i["node"]["label"], i["due"], i["daysOver"]) for i in api]
    # Narrowed to 嘉峪关市 (picked from the drill-down by region), nothing is overdue.
    _open(page, f"{trap_url}/supervision?asOf={AS_OF}&region=620200")
    assert page.locator("[data-test=count-rectifications]").inner_text() == "0"


def test_monthly_notice_counts_what_became_overdue_and_prints(page: Any, trap_url: str, tmp_path: Path) -> None:
    api = gql(trap_url)(
        '{ supervisionReport(from: "2023-09-01", to: "2023-09-30") { issuesFound newlyOverdue '
        "board { rectifications transfers } } }"
    )["supervisionReport"]
    assert api["newlyOverdue"] == 1 and api["board"]["rectifications"] == 1  # ISS-2: overdue from 09-01
    _open(page, f"{trap_url}/supervision/report?kind=month&date=2023-09-15")
    assert page.locator("[data-test=report-title]").inner_text() == "督办事项月通报"
    assert page.locator("[data-test=report-period]").inner_text() == "（2023-09-01 至 2023-09-30）"
    summary = page.locator("[data-test=report-summary]").inner_text()
    assert re.search(r"本期新增逾期（项）\s*1", summary)
    rows = _xlsx(page, lambda: page.locator("[data-test=export-report]").click(), tmp_path)
    assert ["本期新增逾期（项）", api["newlyOverdue"]] == rows[3][:2]
    assert ["期末整改逾期（个）", api["board"]["rectifications"]] == rows[4][:2]
    # The print stylesheet hides the navigation and the controls.
    page.emulate_media(media="print")
    assert page.locator(".sidenav").is_hidden() and page.locator(".topbar").is_hidden()
    assert page.locator("[data-test=report-items]").is_visible()


def test_explorer_has_its_place_in_the_navigation(page: Any, trap_url: str) -> None:
    _open(page, trap_url)
    page.get_by_role("menuitem", name="关系网络").click()
    page.wait_for_url(re.compile(r"/explorer$"))
    page.wait_for_selector("[data-test=explorer-canvas] canvas")
    assert "0 个节点 · 0 条关系" in page.inner_text("[data-test=counts]")


def test_the_client_signs_requests_and_sends_401_to_the_login_page(page: Any, trap_url: str) -> None:
    seen: list[dict[str, str]] = []
    page.on("request", lambda r: seen.append(r.headers) if r.url.endswith("/graphql") else None)
    page.route(
        "**/auth/me",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body='{"id": "u1", "name": "测试用户"}'
        ),
    )
    _open(page, f"{trap_url}/official/OFF-ZW")
    assert page.locator("[data-test=current-user]").inner_text() == "测试用户"
    assert seen and all(h.get("x-wenze-request") == "1" for h in seen)
    page.route("**/graphql", lambda route: route.fulfill(status=401, body="sign in"))
    page.goto(f"{trap_url}/chain/ISS-1")
    page.wait_for_url(re.compile(r"/login\?next=%2Fchain%2FISS-1"))


def test_the_signed_in_user_is_shown(page: Any, trap_url: str) -> None:
    _open(page, f"{trap_url}/stats")
    assert page.locator("[data-test=current-user]").inner_text() == BROWSER_USER_NAME  # from GET /auth/me


def test_when_the_server_says_nobody_is_signed_in_no_user_is_shown(page: Any, trap_url: str) -> None:
    page.route("**/auth/me", lambda route: route.fulfill(status=404, body="no sign-in here"))
    _open(page, f"{trap_url}/stats")
    assert page.locator("[data-test=current-user]").inner_text() == ""


def test_without_sign_in_the_server_sends_the_browser_to_the_login_page(anonymous_page: Any, trap_url: str) -> None:
    for path in ("/", "/stats", "/chain/ISS-1", "/official/OFF-ZW"):
        anonymous_page.goto(f"{trap_url}{path}")
        assert anonymous_page.url == f"{trap_url}/login?next={path}"
        assert anonymous_page.title() == "登录 · 问责"
        assert anonymous_page.locator("[data-test=current-user]").count() == 0  # the workbench never loaded


VIEWS = [
    "/",
    "/search?q=zw",
    f"/chain/ISS-1?asOf={AS_OF}",
    f"/chain/ISS-2?asOf={AS_OF}",
    "/case/CASE-1",
    "/official/OFF-ZW?on=2024-06-19",
    "/organisation/ORG-CG-TRAFFIC?on=2023-03-10",
    "/stats",
    "/stats?region=620102",
    "/campaign/CAMP-RT",
    f"/supervision?asOf={AS_OF}",
    "/supervision/report?kind=week&date=2023-09-01",
    "/explorer",
]


@pytest.mark.parametrize("view", VIEWS)
def test_no_serious_or_critical_accessibility_violations(page: Any, trap_url: str, view: str) -> None:
    _open(page, f"{trap_url}{view}")
    page.wait_for_selector("main h1, main .page-title, main .report-title")
    assert axe_violations(page) == []
