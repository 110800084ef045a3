"""The network explorer (/explorer) on the trap bundle, in headless Chromium: start from 张伟, expand,
slide to 2023-02-15, the principals lit for ISS-1 (张伟 and 王强, not his successor 李娜) and their superior
then (陈明, in another style), cases styled by status, a path between two officials, communities, GEXF and
GraphML read back with networkx, every export audited, save, reload, undo; past the element cap, the
server's counts and a Chinese message instead of a drawing. A 5,000-element scene: drawn by the Canvas
renderer with the large-scene styles, exported to PNG; the WebGL renderer only when asked for and there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from tests.browser.conftest import BROWSER_USER, gql, needs_workbench
from tests.e2e.conftest import Servers

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


def _exports(servers: Servers) -> list[dict[str, Any]]:
    from api.audit.verify import read_entries

    settings = servers.get("embedded", "trap").server.server.config.app.state.settings
    return [e for e in read_entries(settings.audit_folder) if e.get("event") == "explorer_export"]


def test_explore_from_zhang_wei(page: Any, trap_url: str, tmp_path: Path, servers: Servers) -> None:
    page.goto(f"{trap_url}/explorer?start=OFF-ZW")
    page.wait_for_function("() => window.__wenzeExplorer && window.__wenzeExplorer.counts().nodes > 1")
    _settle(page)
    # 张伟 and his six neighbours, through his six relationships.
    assert _ids(page) == ["CASE-1", "DR-1", "M-2", "M-3", "OFF-ZW", "ORG-CG-TRAFFIC", "SE-1"]
    assert _counts(page) == {"nodes": 7, "edges": 6}
    assert "7 个节点 · 6 条关系" in page.inner_text("[data-test=counts]")
    # CASE-1 closed on 2023-08-01: with no as-of day it is styled as recorded, 已结案.
    has = "([id, c]) => window.__wenzeExplorer.scene.cy.getElementById(id).hasClass(c)"
    assert page.evaluate(has, ["CASE-1", "case-closed"]) and not page.evaluate(has, ["CASE-1", "case-open"])
    legend = page.inner_text("[data-test=style-legend]")
    assert "案件办理中" in legend and "案件已结案" in legend and "第二种形态" in legend

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
    # On 2023-02-15 the case was not yet closed (opened 2023-05-20, so dimmed too): 办理中 styling.
    assert page.evaluate(has, ["CASE-1", "case-open"]) and "CASE-1" in dim

    # Select the issue: the principals in office on 2023-03-10, the day it occurred, are lit.
    page.evaluate("() => window.__wenzeExplorer.scene.cy.getElementById('ISS-1').emit('tap')")
    page.wait_for_selector("[data-test=lit-principal]")
    lit = [t.strip() for t in page.locator("[data-test=lit-principal]").all_inner_texts()]
    assert any(t.startswith("张伟") for t in lit) and any(t.startswith("王强") for t in lit)
    assert not any("李娜" in t for t in lit)
    assert "2023-03-10" in page.inner_text("[data-test=issue-principals]")
    # The panel shows as soon as the answer comes; the principals are lit once any who were not drawn
    # yet are added with their links (one more request): wait for that.
    page.wait_for_function("() => window.__wenzeExplorer.scene.litIds().length > 0")
    assert sorted(page.evaluate("() => window.__wenzeExplorer.scene.litIds()")) == ["OFF-WQ", "OFF-ZW"]
    assert not page.evaluate(has, ["OFF-LN", "lit"]) and not page.evaluate(has, ["OFF-LN", "superior"])
    # Their superior then: 陈明, 兰州市长 from 2023-03-01 (刘强 had left on 01-09), drawn and lit another way.
    page.wait_for_selector("[data-test=lit-superior]")
    above = [t.strip() for t in page.locator("[data-test=lit-superior]").all_inner_texts()]
    assert len(above) == 1 and above[0].startswith("陈明") and "市长" in above[0]
    assert page.evaluate("() => window.__wenzeExplorer.scene.superiorIds()") == ["OFF-CM"]
    style = page.evaluate(
        """() => { const cy = window.__wenzeExplorer.scene.cy
        return ['OFF-CM', 'OFF-ZW'].map((id) => [cy.getElementById(id).style('border-style'),
          cy.getElementById(id).style('border-color')]) }"""
    )
    assert style[0][0] == "dashed" and style[1][0] == "solid" and style[0][1] != style[1][1]

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
    before = len(_exports(servers))
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
    # Each of the five exports is in the audit log: who, which format, how many nodes and relationships.
    audited = _exports(servers)[before:]
    assert [e["details"]["format"] for e in audited] == ["gexf", "graphml", "png", "svg", "csv"]
    assert {(e["user"], e["details"]["nodes"], e["details"]["edges"]) for e in audited} == {
        (BROWSER_USER, counts["nodes"], counts["edges"])
    }

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


def test_past_the_cap_the_server_counts_instead(page: Any, trap_url: str) -> None:
    page.goto(f"{trap_url}/explorer")
    page.wait_for_function("() => window.__wenzeExplorer !== undefined")
    cap = page.locator("[data-test=cap] input")
    cap.fill("10")
    cap.press("Enter")
    page.fill("[data-test=start-id]", "OFF-ZW")
    page.click("[data-test=start]")
    page.wait_for_selector("[data-test=aggregate]")
    _settle(page)
    # 张伟 is drawn; his 6 neighbours and 6 relationships would pass the cap of 10: counted, not drawn.
    assert _counts(page) == {"nodes": 1, "edges": 0}
    message = page.inner_text("[data-test=aggregate-message]")
    assert "超过元素上限（10 个）" in message and "展开将新增12 个元素，画面已有 1 个，超过上限 10 个" in message
    assert page.inner_text("[data-test=aggregate-neighbours]") == "6"
    kinds = page.inner_text("[data-test=aggregate-kinds]")
    assert "处置措施\t2" in kinds and "单位\t1" in kinds
    assert "城关区\t6" in page.inner_text("[data-test=aggregate-regions]")


# 2,000 nodes and 3,000 relationships (what bench/explorer.py draws, at 5,000 elements), drawn as the view does.
DRAW_LARGE = """([n, m]) => {
  const s = window.__wenzeExplorer.scene
  const kinds = ['Official', 'Organisation', 'Issue', 'Case', 'Measure']
  const nodes = Array.from({ length: n }, (_, i) => ({ id: 'N' + i, kind: kinds[i % 5], label: '张伟' + i,
    form: i % 5 === 4 ? 1 + (i % 3) : null }))
  const edges = Array.from({ length: m }, (_, i) => ({ id: 'E' + i, type: 'HELD_POST', source: 'N' + (i % n),
    target: 'N' + ((i * 7919 + 13) % n === i % n ? (i + 1) % n : (i * 7919 + 13) % n), properties: null }))
  s.add(nodes, edges)
  s.layout()
  const layers = [...s.cy.container().querySelectorAll('canvas')].map((c) => c.dataset.id)
  return { renderer: s.renderer, large: s.large(), layers, big: s.cy.elements('.big').length }
}"""


def test_a_large_scene_is_drawn_on_canvas_and_exports_png(
    page: Any, trap_url: str, tmp_path: Path, servers: Servers
) -> None:
    page.goto(f"{trap_url}/explorer")
    page.wait_for_function("() => window.__wenzeExplorer !== undefined")
    drawn = page.evaluate(DRAW_LARGE, [2000, 3000])
    # Canvas (the WebGL renderer is slower without a GPU: bench/FIGURES.md), no WebGL layer, the cheap styles.
    assert drawn == {
        "renderer": "canvas",
        "large": True,
        "layers": ["layer0-selectbox", "layer1-drag", "layer2-node"],
        "big": 5000,
    }
    assert _counts(page) == {"nodes": 2000, "edges": 3000}
    # Selection and the principals' style still apply on the large scene.
    page.evaluate(
        "() => { const s = window.__wenzeExplorer.scene; s.cy.getElementById('N7').select(); s.light(['N0']) }"
    )
    assert page.evaluate("() => window.__wenzeExplorer.scene.cy.getElementById('N0').style('border-color')") == (
        "rgb(240,180,0)"
    )
    _tab(page, "导出")
    before = len(_exports(servers))
    png = _download(page, "export-png", tmp_path).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width > 1000 and height > 1000  # the whole graph at twice the scale, the watermark under it
    [audited] = _exports(servers)[before:]
    assert (audited["details"]["format"], audited["details"]["nodes"], audited["details"]["edges"]) == (
        "png",
        2000,
        3000,
    )


# A second Scene beside the view's: asked for WebGL, it draws with WebGL when the browser has WebGL2 (here
# SwiftShader), and with Canvas when it has not (getContext('webgl2') answering null, as on a PC without a
# GPU whose Chromium refuses the software fallback); either way cy.png still exports.
WEBGL_SCENE = """(noWebgl) => {
  const Scene = window.__wenzeExplorer.scene.constructor
  const el = document.createElement('div')
  el.style.cssText = 'position:fixed;left:0;top:0;width:400px;height:300px'
  document.body.appendChild(el)
  const getContext = HTMLCanvasElement.prototype.getContext
  if (noWebgl) {
    HTMLCanvasElement.prototype.getContext = function (t, o) {
      return t === 'webgl2' ? null : getContext.call(this, t, o)
    }
  }
  try {
    const s = new Scene(el, { renderer: 'webgl' })
    s.add([{ id: 'A', kind: 'Official', label: '张伟' }, { id: 'B', kind: 'Organisation', label: '城关区交通运输局' }],
      [{ id: 'A-B', type: 'HELD_POST', source: 'A', target: 'B', properties: null }])
    s.layout('grid')
    const out = { renderer: s.renderer, webglLayer: el.querySelector('canvas[data-id=layer3-webgl]') !== null,
      png: s.cy.png({ full: true }).slice(0, 22) }
    s.cy.destroy()
    el.remove()
    return out
  } finally { HTMLCanvasElement.prototype.getContext = getContext }
}"""


def test_webgl_only_when_asked_for_and_there(page: Any, trap_url: str) -> None:
    page.goto(f"{trap_url}/explorer")
    page.wait_for_function("() => window.__wenzeExplorer !== undefined")
    assert page.evaluate("() => window.__wenzeExplorer.scene.renderer") == "canvas"
    png = "data:image/png;base64,"
    # Without WebGL first: once a WebGL instance exists, Cytoscape 3.35 gives every later one in the page a
    # fourth (WebGL) canvas layer (CANVAS_LAYERS is set on the prototype), and the patched browser has none.
    assert page.evaluate(WEBGL_SCENE, True) == {"renderer": "canvas", "webglLayer": False, "png": png}
    assert page.evaluate(WEBGL_SCENE, False) == {"renderer": "webgl", "webglLayer": True, "png": png}
