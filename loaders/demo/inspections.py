"""督: the road-traffic campaign, the 2022 and 2023 inspection plans, inspections, issues and rectification.

    >>> from loaders.demo import ROAD_TRAFFIC_CAMPAIGN_ID, generate
    >>> t = generate("small")
    >>> ROAD_TRAFFIC_CAMPAIGN_ID in t["PART_OF"].column("to").to_pylist()
    True

``build_inspections`` writes the Campaign and Inspection rows (each inspection PART_OF the campaign
or its year's plan, INSPECTED its organisations), the issues each found (AT an organisation, some
occurring just before a succession so that the old principal answers for them), and each issue's
RectificationSteps in date order: 批示 → 整改方案 → 周汇总 → 月通报 → (调度会 → 督办函 → 通报) →
整改报告 → 回头看 → 销号, as far as its status has come. It returns the issues, grouped as the
accountability stage treats them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from loaders.demo.dates import iso, month_end, ymd
from loaders.demo.records import IssueRec, Org
from loaders.demo.state import DemoState
from loaders.demo.terms import (
    BACK_TO_BACK,
    COUNTY,
    D_BRIEFING,
    D_LETTER,
    D_NOTICE,
    I_COMPREHENSIVE,
    I_FIELD,
    I_SPECIAL,
    IMMEDIATE,
    INSPECTION_PLAN,
    LONG_TERM,
    MAJOR,
    MINOR,
    PLAN_IDS,
    POINT_TO_POINT,
    PREFECTURE,
    PROVINCE_CODE,
    ROAD_TRAFFIC_CAMPAIGN_ID,
    S_OPEN,
    S_RECTIFIED,
    S_RECTIFYING,
    S_REOPENED,
    S_VERIFIED,
    SERIOUS,
    SPECIAL_CAMPAIGN,
    ST_CLOSED,
    ST_COMPLETION,
    ST_DISPATCH,
    ST_INSTRUCTION,
    ST_LETTER,
    ST_LOOK_BACK,
    ST_MONTHLY,
    ST_NOTICE,
    ST_PLAN,
    ST_WEEKLY,
    TIME_LIMITED,
)
from loaders.demo.vocabulary import (
    COMPREHENSIVE,
    COMPREHENSIVE_ISSUES,
    RT_ISSUES,
    RT_REGIONS,
    RT_WINDOWS,
    SPECIAL_THEMES,
    THEME_ISSUES,
)

IssueCatalogue = tuple[tuple[str, tuple[int, int, int], tuple[str, ...]], ...]


@dataclass
class Found:
    """The issues the inspections found: the campaign's, the other 2023 ones, and 2022's."""

    campaign: list[IssueRec]
    other_2023: list[IssueRec]
    year_2022: list[IssueRec]


def build_inspections(st: DemoState) -> Found:
    """The campaign and the two inspection plans, every 2022 and 2023 inspection, its issues and their steps."""
    p, rng, t = st.p, st.rng, st.t
    t.node(
        "Campaign",
        ROAD_TRAFFIC_CAMPAIGN_ID,
        name="道路交通安全和运输执法领域突出问题专项整治",
        year=2023,
        kind=SPECIAL_CAMPAIGN,
    )
    t.rel(
        "EVIDENCED_BY",
        ROAD_TRAFFIC_CAMPAIGN_ID,
        st.doc(
            "关于开展道路交通安全和运输执法领域突出问题专项整治的通知",
            st.doc_no("甘法治办发", 2023),
            ymd(2023, 3, 10),
            D_NOTICE,
        ),
        page=1,
        note="部署文件",
    )
    for year in (2022, 2023):
        t.node("Campaign", PLAN_IDS[year], name=f"{year}年全省法治督察工作计划", year=year, kind=INSPECTION_PLAN)
        t.rel(
            "EVIDENCED_BY",
            PLAN_IDS[year],
            st.doc(f"{year}年全省法治督察工作计划", st.doc_no("甘法治办发", year), ymd(year, 2, 20), D_NOTICE),
            page=1,
            note="年度督察计划",
        )
    prefs = [code for code, r in st.regions.items() if r.level == PREFECTURE]
    counties_of: dict[str, list[str]] = defaultdict(list)
    for code, r in st.regions.items():
        if r.level == COUNTY:
            counties_of[r.prefecture].append(code)
    all_counties = [c for pref in prefs for c in counties_of[pref]]

    def orgs_of(units: list[str], keys: tuple[str, ...]) -> list[Org]:
        return [st.units[u][k] for u in units for k in keys if k in st.units[u]]

    campaign_issues: list[IssueRec] = []
    other_2023: list[IssueRec] = []
    issues_2022: list[IssueRec] = []
    # comprehensive (全面督察)
    for title, s, e in COMPREHENSIVE[: p.comprehensive]:
        sample = sorted(rng.sample(all_counties, min(p.comprehensive_counties, len(all_counties))))
        inspected = orgs_of(prefs + sample, ("pc", "gov"))
        other_2023 += _inspection(
            st,
            I_COMPREHENSIVE,
            title,
            ymd(2023, *s),
            ymd(2023, *e),
            PLAN_IDS[2023],
            inspected,
            p.issues["comprehensive"],
            COMPREHENSIVE_ISSUES,
            False,
        )
    # road-traffic special inspections (PART_OF the campaign)
    if p.rt_inspections == len(RT_REGIONS):
        groups = [(nm, [c for c in codes if c in st.regions]) for nm, codes in RT_REGIONS]
    else:
        groups = [(st.regions[prefs[0]].name, prefs)][: p.rt_inspections]
    for k, (group_name, group_prefs) in enumerate(groups):
        (s, e) = RT_WINDOWS[k]
        units = ([PROVINCE_CODE] if k == 0 else []) + group_prefs + [c for g in group_prefs for c in counties_of[g]]
        inspected = orgs_of(units, ("transport", "psb"))
        title = f"道路交通安全和运输执法领域突出问题专项整治督察（{group_name}）"
        campaign_issues += _inspection(
            st,
            I_SPECIAL,
            title,
            ymd(2023, *s),
            ymd(2023, *e),
            ROAD_TRAFFIC_CAMPAIGN_ID,
            inspected,
            p.issues["rt"],
            RT_ISSUES,
            True,
        )
    # other special inspections
    done = 0
    for title, s, e, theme, keys in SPECIAL_THEMES:
        if done == p.special_themes:
            break
        sample = sorted(rng.sample(all_counties, min(15, len(all_counties))))
        inspected = orgs_of([PROVINCE_CODE] + prefs + sample, keys)
        if not inspected:  # the small scale has only a handful of departments
            continue
        done += 1
        other_2023 += _inspection(
            st,
            I_SPECIAL,
            title,
            ymd(2023, *s),
            ymd(2023, *e),
            PLAN_IDS[2023],
            inspected,
            p.issues["special"],
            THEME_ISSUES[theme],
            False,
        )
    # 2022 实地督察 (before the campaign; its accountability falls in 2022)
    sample = sorted(rng.sample(all_counties, min(30, len(all_counties))))
    issues_2022 += _inspection(
        st,
        I_FIELD,
        "2022年市县法治建设实地督察",
        ymd(2022, 8, 29),
        ymd(2022, 9, 13),
        PLAN_IDS[2022],
        orgs_of(prefs + sample, ("pc", "gov")),
        p.issues["field_2022"],
        COMPREHENSIVE_ISSUES,
        False,
        year=2022,
    )
    return Found(campaign_issues, other_2023, issues_2022)


def _inspection(
    st: DemoState,
    kind: str,
    title: str,
    start: int,
    end: int,
    campaign: str,
    inspected: list[Org],
    n_issues: int,
    catalogue: IssueCatalogue,
    in_campaign: bool,
    year: int = 2023,
) -> list[IssueRec]:
    """One inspection with ``n_issues`` issues drawn at the inspected organisations, and their steps."""
    rng, t = st.rng, st.t
    iid = st.next_id(f"IN-{year}", 2)
    t.node("Inspection", iid, kind=kind, title=title, start=iso(start), end=iso(end))
    t.rel("ORGANISED", st.rol_prov.id, iid)
    t.rel("PART_OF", iid, campaign)
    for o in inspected:
        t.rel("INSPECTED", iid, o.id)
    feedback_base = end + rng.randint(10, 20)
    t.rel(
        "EVIDENCED_BY",
        iid,
        st.doc(f"关于{title}情况的通报", st.doc_no("甘法督", year), feedback_base, D_BRIEFING),
        page=1,
        note="督察反馈",
    )
    out = []
    for _ in range(n_issues):
        org = rng.choice(inspected)
        category, sev_w, details = rng.choice(catalogue)
        severity = rng.choices((MINOR, SERIOUS, MAJOR), weights=sev_w)[0]
        found = rng.randint(start, end)
        occurred = found - rng.randint(20, 300)
        succession = False
        recent = [s for s in st.principal_successions.get(org.id, ()) if found - 400 <= s <= found]
        if recent and rng.random() < 0.35:
            # it happened shortly before a new principal took over: the old holder answers for it
            occurred = rng.choice(recent) - rng.randint(5, 40)
            succession = True
        feedback = feedback_base + rng.randint(0, 5)
        rec = IssueRec(
            st.next_id(f"IS-{year}", 4),
            org,
            occurred,
            found,
            feedback,
            category,
            severity,
            in_campaign,
            year,
            succession,
        )
        dk = rng.choices((IMMEDIATE, TIME_LIMITED, LONG_TERM), weights=(3, 6, 1))[0]
        deadline = feedback + (
            15 if dk == IMMEDIATE else rng.choice((30, 60, 90)) if dk == TIME_LIMITED else rng.randint(180, 270)
        )
        weights = (10, 20, 20, 45, 5) if year == 2023 else (0, 0, 15, 80, 5)
        status = rng.choices((S_OPEN, S_RECTIFYING, S_RECTIFIED, S_VERIFIED, S_REOPENED), weights=weights)[0]
        t.node(
            "Issue",
            rec.id,
            summary=org.name + rng.choice(details),
            category=category,
            severity=severity,
            occurred_on=iso(occurred),
            found_on=iso(found),
            feedback_on=iso(feedback),
            feedback_form=rng.choice((POINT_TO_POINT, POINT_TO_POINT, BACK_TO_BACK)),
            deadline=iso(deadline),
            deadline_kind=dk,
            status=status,
        )
        t.rel("FOUND", iid, rec.id)
        t.rel("AT", rec.id, org.id)
        _steps(st, rec, status)
        out.append(rec)
    return out


def _step(st: DemoState, issue: IssueRec, kind: str, day: int, note: str, by: str, doc: str | None = None) -> None:
    """One RectificationStep of an issue, BY an official or organisation, evidenced by ``doc`` if given."""
    sid = st.next_id("RS", 5)
    st.t.node("RectificationStep", sid, kind=kind, date=iso(day), note=note)
    st.t.rel("HAS_STEP", issue.id, sid)
    st.t.rel("BY", sid, by)
    if doc is not None:
        st.t.rel("EVIDENCED_BY", sid, doc, page=1, note=None)


def _steps(st: DemoState, issue: IssueRec, status: str) -> None:
    """批示 → 整改方案 → 周汇总 → 月通报 → (调度会 → 督办函 → 通报) → 整改报告 → 回头看 → 销号, in date order."""
    if status == S_OPEN:
        return
    rng = st.rng
    rol = st.rol_prov.id
    org = issue.org
    d = issue.feedback + rng.randint(1, 5)
    leaders = st.principals_at(org.id, d)
    _step(
        st,
        issue,
        ST_INSTRUCTION,
        d,
        "党政主要负责同志作出批示，要求立行立改、举一反三",
        st.official_ids[leaders[0]] if leaders else org.id,
    )
    d += rng.randint(6, 20)
    _step(st, issue, ST_PLAN, d, "制定整改方案，明确整改措施、责任人和完成时限", org.id)
    d += rng.randint(3, 7)
    _step(st, issue, ST_WEEKLY, d, "纳入整改落实周汇总", rol)
    d = max(d + 1, month_end(d))
    _step(st, issue, ST_MONTHLY, d, "月通报整改进展", rol, _monthly_doc(st, d))
    if status in (S_RECTIFYING, S_REOPENED) or rng.random() < 0.25:
        d += rng.randint(10, 30)
        _step(st, issue, ST_DISPATCH, d, "召开整改工作调度会", rol)
        d += rng.randint(5, 20)
        letter = st.doc(
            f"关于督促{org.name}抓紧整改{issue.category}问题的督办函",
            st.doc_no("甘法督", date.fromordinal(d).year),
            d,
            D_LETTER,
        )
        _step(st, issue, ST_LETTER, d, "下发督办函，督促限期整改到位", rol, letter)
        if rng.random() < 0.4:
            d += rng.randint(5, 15)
            _step(st, issue, ST_NOTICE, d, "印发通报，对整改滞后情况予以通报", rol)
    if status in (S_RECTIFIED, S_VERIFIED, S_REOPENED):
        d += rng.randint(10, 60)
        _step(st, issue, ST_COMPLETION, d, "报送整改情况报告", org.id)
    if status in (S_VERIFIED, S_REOPENED):
        d += rng.randint(20, 60)
        found_again = status == S_REOPENED
        _step(st, issue, ST_LOOK_BACK, d, "组织“回头看”，" + ("发现问题反弹" if found_again else "整改到位"), rol)
    if status == S_VERIFIED:
        d += rng.randint(3, 15)
        _step(st, issue, ST_CLOSED, d, "整改销号", rol)


def _monthly_doc(st: DemoState, day: int) -> str:
    """The month's 整改情况通报 (one Document per month, written on first use)."""
    dt = date.fromordinal(day)
    key = (dt.year, dt.month)
    if key not in st.monthly_docs:
        st.monthly_docs[key] = st.doc(
            f"关于{dt.year}年{dt.month}月法治督察发现问题整改情况的通报",
            f"甘法治办通〔{dt.year}〕{dt.month}号",
            month_end(day),
            D_NOTICE,
        )
    return st.monthly_docs[key]
