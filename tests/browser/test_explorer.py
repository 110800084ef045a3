"""The network explorer (/explorer) on the trap bundle, in headless Chromium: start from 张伟, expand,
slide to 2023-02-15, the principals lit for ISS-1 (张伟 and 王强, not his successor 李娜), a path between
two officials, communities, GEXF and GraphML read back with networkx, save, reload, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from tests.browser.conftest import gql, needs_workbench

pytestmark = needs_workbench


def _counts(page: Any) -> dict[str, int]:
    return page.evaluate("() => window.__wenzeExplorer.counts()")  # type: ignore[no-any-return]


def _ids(page: Any, selector: str = "node") -> list[str]:
    return sorted(page.evaluate("(s) => window.__wenzeExplorer.scene.cy.elements(s).map((e) => e.id())", selector))


def _tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def _download(page: Any, test_id: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(f"[data-test={test_id}]")
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def _settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('[data-test=start].is-loading')")


def test_explore_from_zhang_wei(page: Any, trap_url: str, tmp_path: Path) -> None:
    page.goto(f"{trap_url}/explorer?start=OFF-ZW")
    page.wait_for_function("() => window.__wenzeExplorer && window.__wenzeExplorer.counts().nodes > 1")
    _settle(page)
    # 张伟 and his six neighbours, through his six relationships.
    assert _ids(page) == ["CASE-1", "DR-1", "M-2", "M-3", "OFF-ZW", "ORG-CG-TRAFFIC", "SE-1"]
    assert _counts(page) == {"nodes": 7, "edges": 6}
    assert "7 个节点 · 6 条关系" in page.inner_text("[data-test=counts]")

    # Expand the bureau: the issue, the inspection, the other post holders, the government it is UNDER.
    page.evaluate("() => window.__wenzeExplorer.scene.cy.getElementById('ORG-CG-TRAFFIC').select()")
    page.click("[data-test=expand]")
    _settle(page)
    assert {"ISS-1", "OFF-LN", "OFF-WQ", "INSP-1", "ORG-CG-GOV"} <= set(_ids(page))
    # The table lists what the graph shows.
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-test=explorer-table] tbody tr').length === n",
        arg=_counts(page)["nodes"],
    )

    # Slide to 2023-02-15: 李娜's posts at the bureau (from 2023-03-11) are dimmed, 张伟's is not.
    day = page.locator("[data-test=as-of] input")
    day.click()
    day.fill("2023-02-15")
    day.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "(id) => window.__wenzeExplorer.scene.cy.getElementById(id).hasClass('dim')",
        arg="HELD_POST|OFF-LN|ORG-CG-TRAFFIC|2023-03-11",
    )
    dim = page.evaluate("() => window.__wenzeExplorer.scene.cy.elements('.dim').map((e) => e.id())")
    assert "HELD_POST|OFF-ZW|ORG-CG-TRAFFIC|2020-01-01" not in dim
    assert "HELD_POST|OFF-LN|ORG-CG-TRAFFIC|2023-07-01" in dim

    # Select the issue: the principals in office on 2023-03-10, the day it occurred, are lit.
    page.evaluate("() => window.__wenzeExplorer.scene.cy.getElementById('ISS-1').emit('tap')")
    page.wait_for_selector("[data-test=lit-principal]")
    lit = [t.strip() for t in page.locator("[data-test=lit-principal]").all_inner_texts()]
    assert any(t.startswith("张伟") for t in lit) and any(t.startswith("王强") for t in lit)
    assert not any("李娜" in t for t in lit)
    assert "2023-03-10" in page.inner_text("[data-test=issue-principals]")
    assert sorted(page.evaluate("() => window.__wenzeExplorer.scene.litIds()")) == ["OFF-WQ", "OFF-ZW"]

    # A path between two officials: 张伟 → 城关区交通运输局 → 李娜 first.
    _tab(page, "路径")
    page.fill("[data-test=path-from]", "OFF-ZW")
    page.fill("[data-test=path-to]", "OFF-LN")
    page.click("[data-test=path-run]")
    page.wait_for_selector("[data-test=path]")
    paths = [t.strip() for t in page.locator("[data-test=path]").all_inner_texts()]
    assert paths[0] == "2 跳：张伟 → 城关区交通运输局 → 李娜"
    assert len(paths) == 3

    # Communities on what is on screen: the same answer as the API for the same nodes.
    _tab(page, "分析")
    page.click("[data-test=analytics-run]")
    page.wait_for_selector("[data-test=community-count]")
    on_screen = _ids(page, "node[kind != '__group']")
    api = gql(trap_url)("query($ids: [ID!]) { networkAnalytics(nodeIds: $ids) { communityCount } }", {"ids": on_screen})
    shown = int(page.inner_text("[data-test=community-count]"))
    assert shown == api["networkAnalytics"]["communityCount"] and shown >= 2
    assert page.locator("[data-test=legend] li").count() == min(shown, 10)

    # Exports read back with networkx: the same nodes and edges as on screen, Chinese labels intact.
    counts = _counts(page)
    _tab(page, "导出")
    gexf = nx.read_gexf(_download(page, "export-gexf", tmp_path))
    graphml = nx.read_graphml(_download(page, "export-graphml", tmp_path))
    for g in (gexf, graphml):
        assert (g.number_of_nodes(), g.number_of_edges()) == (counts["nodes"], counts["edges"])
    assert gexf.nodes["OFF-ZW"]["label"] == "张伟" and graphml.nodes["OFF-LN"]["label"] == "李娜"
    png = _download(page, "export-png", tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = _download(page, "export-svg", tmp_path)
    assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    csv = _download(page, "export-csv", tmp_path).read_text(encoding="utf-8-sig").splitlines()
    assert len(csv) == 1 + counts["nodes"] + counts["edges"]

    # Save on the server, reload the page (nothing drawn), load it back, undo the load.
    _tab(page, "保存")
    page.fill("[data-test=inv-name]", "张伟 关系 浏览器")
    page.click("[data-test=inv-save]")
    page.wait_for_selector("[data-test=inv-item] >> text=张伟 关系 浏览器")
    page.goto(f"{trap_url}/explorer")
    page.wait_for_function("() => window.__wenzeExplorer !== undefined")
    assert _counts(page) == {"nodes": 0, "edges": 0}
    _tab(page, "保存")
    page.click("[data-test=inv-item] >> text=张伟 关系 浏览器")
    page.wait_for_function("(n) => window.__wenzeExplorer.counts().nodes === n", arg=counts["nodes"])
    assert _counts(page) == counts
    assert page.locator("[data-test=as-of] input").input_value() == "2023-02-15"
    page.click("[data-test=undo]")
    assert _counts(page) == {"nodes": 0, "edges": 0}
    page.click("[data-test=redo]")
    assert _counts(page) == counts
