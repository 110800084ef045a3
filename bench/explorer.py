"""The explorer's budget: render time and frame time at 1k and 5k nodes in headless Chromium without a
GPU, next to an empty page in the same run; analytics on a 5k-node subgraph on the server (goal ≤ 1 s).

    python bench/explorer.py                 # small demo, 7 runs per size
    python bench/explorer.py -n 5 --sizes 1000 5000 10000
    python bench/explorer.py -n 3 --sizes 1000 5000 --renderer both   # Canvas and WebGL side by side

Browser: a real ``wenze serve`` (its own process, WENZE_AUTH=off on loopback) serves the built workbench;
headless Chromium (Debian, ``--disable-gpu``) opens ``/explorer`` in a fresh context, and the page's own
Scene (web/src/explorer/scene.ts: the stylesheet, labels and layout the view uses) draws a synthetic
graph of N nodes and 1.5·N relationships with Chinese labels. *First render*: from adding the elements
to the second animation frame after the layout (the canvas painted). *Wheel frame*: the mean interval
between animation frames while the user zooms with the wheel, one notch a frame for 60 frames (what
textureOnViewport serves); *redraw*: the same while a script moves the view every frame, which redraws
every element (30 frames) unless Cytoscape serves the frame from its layer cache (one image of the scene
per zoom level, built lazily in idle frames after any change: whether it is ready when the loop starts
is a race, so the figure swings between ~17 ms and ~130 ms at 5k from run to run); *full redraw*: the same
with the layer cache off, so every element is drawn each frame: what a frame costs while the cache is
being rebuilt, right after adding, selecting, restyling. The empty page runs the same frame loop with
nothing drawn (the floor: vsync of a headless browser).

``--renderer``: Cytoscape's Canvas renderer (what the view uses), its WebGL one, or both side by side
(``new Scene(container, { renderer: 'webgl' })`` in place of the view's scene, same stylesheet and
options). Without a GPU, WebGL in headless Chromium is SwiftShader (ANGLE on a software Vulkan, the
CPU): Playwright passes ``--enable-unsafe-swiftshader`` by default, and this Chromium gives WebGL2 on
SwiftShader even without it; ``--disable-software-rasterizer`` takes WebGL away (the page then falls back
to Canvas). The WebGL renderer Chromium reports is printed with the table.

Server: ``graph.queries.analytics.analyse`` on the embedded store (the call the GraphQL field makes),
over the nodes a breadth-first walk from the province's region reaches, cut at 5,000 (the small demo
reaches fewer, so a synthetic store of 1,000 organisations and 4,200 officials is measured too): project
(port reads) and measure (igraph: Louvain, betweenness exact up to 1,500 nodes and from
``analytics.pivots_for(n)`` pivots above, 450 at 5,000; k-core), at each of ``--sizes`` up to 5,000
nodes of the synthetic store's walk. Medians. ``--no-browser``: only the server's figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from web import CHROMIUM, blank_server, free_port  # noqa: E402

# mode "wheel": one wheel notch on the canvas per frame, in and out, as a user zooms (Cytoscape then moves
# its cached texture: textureOnViewport); mode "redraw": the view moved by script every frame, so each
# frame redraws every element (the floor of a layout animation, and of the first frame after the wheel).
# mode "full": as "redraw" with Cytoscape's layer cache off (getLayers answers none, as it does while the
# cache is rebuilt after a change), so every element is drawn each frame. WebGL has no layer cache.
FRAME_LOOP = """async ([frames, mode]) => {
  const stamps = []
  const cy = window.__wenzeExplorer ? window.__wenzeExplorer.scene.cy : null
  const box = cy ? cy.container().getBoundingClientRect() : null
  const layers = cy ? cy.renderer().data.lyrTxrCache : null
  if (layers && mode === 'full') layers.getLayers = () => null
  for (let i = 0; i < frames; i++) {
    if (cy && mode === 'wheel') {
      cy.container().dispatchEvent(new WheelEvent('wheel', {
        deltaY: i % 8 < 4 ? -100 : 100, deltaMode: 0, clientX: box.left + box.width / 2,
        clientY: box.top + box.height / 2, bubbles: true, cancelable: true,
      }))
    } else if (cy) { cy.panBy({ x: i % 2 ? 7 : -5, y: 3 }); cy.zoom(cy.zoom() * (i % 4 < 2 ? 1.02 : 0.98)) }
    stamps.push(await new Promise((r) => requestAnimationFrame(r)))
  }
  const d = stamps.slice(1).map((t, i) => t - stamps[i])
  return d.reduce((a, b) => a + b, 0) / d.length
}"""

DRAW = """async ([n, renderer]) => {
  let s = window.__wenzeExplorer.scene
  if (s.renderer !== renderer) {
    const container = s.cy.container()
    s.cy.destroy()
    s = window.__wenzeExplorer.scene = new s.constructor(container, { renderer })
    if (s.renderer !== renderer) return null
  }
  s.cy.elements().remove()
  const kinds = ['Official', 'Organisation', 'Issue', 'Case', 'Measure']
  const names = ['张伟', '李娜', '王强', '城关区交通运输局', '以罚代管问题', '问责案', '诫勉']
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: 'N' + i, kind: kinds[i % 5], label: names[i % 7] + i, form: i % 5 === 4 ? 1 + (i % 3) : null,
  }))
  const edges = Array.from({ length: Math.floor(n * 1.5) }, (_, i) => {
    const a = i % n, b = (i * 7919 + 13) % n
    return {
      id: 'E' + i, type: i % 2 ? 'HELD_POST' : 'CONCERNS', source: 'N' + a, target: 'N' + (b === a ? (a + 1) % n : b),
      properties: i % 2 ? { start: '2020-01-01', end: null } : null,
    }
  })
  const frame = () => new Promise((r) => requestAnimationFrame(r))
  await frame()
  const t0 = performance.now()
  s.add(nodes, edges)
  s.layout('grid')
  await frame(); await frame()
  return performance.now() - t0
}"""


def start_open_server(data_dir: Path, port: int) -> Any:
    import os
    import subprocess

    import httpx

    code = (
        "from api.server import run; from api.settings import Settings; "
        f"run(Settings(backend='embedded', data_dir={str(data_dir)!r}, auth='off'), '127.0.0.1', {port})"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/explorer", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start in time")


CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
WEBGL_INFO = """() => {
  const gl = document.createElement('canvas').getContext('webgl2')
  if (!gl) return null
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)
}"""

Row = tuple[str, str, float, float, float, float]


def browser_figures(
    base: str, blank_url: str, sizes: list[int], runs: int, renderers: list[str]
) -> tuple[list[Row], str | None]:
    """(what, renderer, first render ms, wheel-zoom frame ms, redraw frame ms, full redraw frame ms): the
    empty page first, then each size and renderer; and the WebGL renderer Chromium reports (None: none)."""
    from playwright.sync_api import sync_playwright

    out: list[Row] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)

        def page_at(url: str, ready: str) -> Any:
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(300_000)
            page.goto(url)
            page.wait_for_function(ready)
            return context, page

        context, page = page_at(blank_url, "() => document.getElementById('ready') !== null")
        webgl = page.evaluate(WEBGL_INFO)
        empty = statistics.median(page.evaluate(FRAME_LOOP, [60, "redraw"]) for _ in range(runs))
        context.close()
        out.append(("空白页 empty page", "-", 0.0, empty, empty, empty))
        for n in sizes:
            for renderer in renderers:
                renders, wheels, redraws, fulls = [], [], [], []
                for _ in range(runs):
                    context, page = page_at(f"{base}/explorer", "() => window.__wenzeExplorer !== undefined")
                    rendered = page.evaluate(DRAW, [n, renderer])
                    if rendered is None:
                        sys.exit(f"no {renderer} renderer in this browser (WebGL2: {webgl})")
                    renders.append(rendered)
                    wheels.append(page.evaluate(FRAME_LOOP, [60, "wheel"]))
                    page.wait_for_timeout(300)  # the wheel's texture mode ends 150 ms after the last notch
                    redraws.append(page.evaluate(FRAME_LOOP, [30, "redraw"]))
                    fulls.append(page.evaluate(FRAME_LOOP, [30, "full"]))
                    context.close()
                med = statistics.median
                out.append((f"{n:,} 节点 nodes", renderer, med(renders), med(wheels), med(redraws), med(fulls)))
        browser.close()
    return out, webgl


def synthetic_bundle(folder: Path, orgs: int = 1000, officials: int = 4200) -> Path:
    """A bundle big enough for a 5,000-node walk: one region, its organisations, officials with 2 posts each."""
    import random

    rnd = random.Random(2023)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Region.csv").write_text("id,name,level\n620000,甘肃省,province\n", encoding="utf-8")
    org_rows = "".join(f"ORG-{i},单位{i},department,county\n" for i in range(orgs))
    (folder / "Organisation.csv").write_text("id,name,kind,level\n" + org_rows, encoding="utf-8")
    in_region = "".join(f"ORG-{i},620000\n" for i in range(orgs))
    (folder / "IN_REGION.csv").write_text("from,to\n" + in_region, encoding="utf-8")
    people = "".join(f"P-{i},干部{i}\n" for i in range(officials))
    (folder / "Official.csv").write_text("id,name\n" + people, encoding="utf-8")
    posts = []
    for i in range(officials):
        for year, org in ((2018, rnd.randrange(orgs)), (2021, rnd.randrange(orgs))):
            posts.append(f"P-{i},ORG-{org},科员,staff,false,{year}-01-01,{year + 2}-12-31\n")
    (folder / "HELD_POST.csv").write_text(
        "from,to,title,post_kind,acting,start,end\n" + "".join(posts), encoding="utf-8"
    )
    return folder


def analytics_figures(store: Any, runs: int, sizes: list[int] | None = None) -> list[tuple[Any, ...]]:
    """(nodes, relationships, project ms, measure ms, analyse ms, analyse CPU ms) per size: the first ``size``
    nodes of a breadth-first walk from the province's region (the whole walk, up to 5,000, when ``sizes`` is
    None). CPU: the process's processor time (all its threads), the figure the load of the shared machine
    does not inflate."""
    from graph.queries import analytics
    from graph.queries.subgraphs import neighbourhood

    sub = neighbourhood(store, "620000", depth=3, limit=analytics.MAX_ANALYTICS_NODES)
    assert sub is not None, "no province region 620000 in the store"
    walk = [n["id"] for n in sub.nodes]
    out = []
    for size in sizes or [len(walk)]:
        ids = walk[:size]
        projects, measures, totals, cpus = [], [], [], []
        count = 0
        for _ in range(runs):
            t0 = time.perf_counter()
            graph, count = analytics.project(store, ids)
            t1 = time.perf_counter()
            analytics.measure(graph, count)
            t2 = time.perf_counter()
            projects.append(t1 - t0)
            measures.append(t2 - t1)
            t3, c3 = time.perf_counter(), time.process_time()
            analytics.analyse(store, ids)
            totals.append(time.perf_counter() - t3)
            cpus.append(time.process_time() - c3)
        out.append(
            (
                len(ids),
                count,
                statistics.median(projects) * 1000,
                statistics.median(measures) * 1000,
                statistics.median(totals) * 1000,
                statistics.median(cpus) * 1000,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("small", "full"), default="small")
    parser.add_argument("-n", "--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--no-browser", action="store_true", help="only the server's analytics")
    parser.add_argument(
        "--renderer",
        choices=("canvas", "webgl", "both"),
        default="canvas",
        help="Cytoscape's renderer (default canvas)",
    )
    args = parser.parse_args()
    from api.explorer import APP_DIR

    if not (APP_DIR / "index.html").is_file():
        sys.exit("the workbench is not built: run scripts/fetch-web-assets")
    import loaders
    from graph.ladybug import LadybugStore
    from loaders.demo import generate

    with tempfile.TemporaryDirectory(prefix="wenze-bench-explorer-") as tmp:
        data_dir = Path(tmp)
        store = LadybugStore(data_dir)
        report = loaders.load(store, generate(args.scale))
        print(f"loaded the {args.scale} demo: {report.rows:,} rows", flush=True)
        [(nodes, edges, project_ms, measure_ms, total_ms, _)] = analytics_figures(store, args.runs)
        store.close()
        # The small demo's walk reaches fewer than 5,000 nodes: measure a synthetic 5,000-node store too.
        big = LadybugStore(data_dir / "synthetic")
        loaders.load(big, synthetic_bundle(data_dir / "synthetic-bundle"))
        sizes = [n for n in args.sizes if n <= 5000] or [5000]
        synthetic = analytics_figures(big, args.runs, sizes)
        big.close()
        if args.no_browser:
            print_analytics(args.scale, nodes, edges, project_ms, measure_ms, total_ms, synthetic)
            return
        port = free_port()
        proc = start_open_server(data_dir, port)
        blank, blank_url = blank_server()
        renderers = ["canvas", "webgl"] if args.renderer == "both" else [args.renderer]
        try:
            rows, webgl = browser_figures(f"http://127.0.0.1:{port}", blank_url, args.sizes, args.runs, renderers)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            blank.shutdown()

    floor = rows[0][3]
    flags = " ".join(f for f in CHROMIUM_FLAGS if not f.startswith("--host-resolver"))
    print(f"\nexplorer, headless Chromium {flags} (+ Playwright's defaults), 1440×900, median of {args.runs} runs")
    print(f"WebGL2: {webgl or 'none'} (load {load()})")
    print(
        f"{'graph':<20} {'renderer':<8} {'first render ms':>16} {'wheel frame ms':>15} {'× empty':>8}"
        f" {'redraw ms':>10} {'× empty':>8} {'full redraw ms':>15} {'× empty':>8}"
    )
    for name, renderer, render, wheel, redraw, full in rows:
        print(
            f"{name:<20} {renderer:<8} {render:>16.0f} {wheel:>15.1f} {wheel / floor:>8.1f}"
            f" {redraw:>10.1f} {redraw / floor:>8.1f} {full:>15.1f} {full / floor:>8.1f}"
        )
    print_analytics(args.scale, nodes, edges, project_ms, measure_ms, total_ms, synthetic)


def load() -> str:
    import os

    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def print_analytics(
    scale: str, nodes: int, edges: int, project_ms: float, measure_ms: float, total_ms: float, synthetic: list[Any]
) -> None:
    from graph.queries import analytics

    print(f"\nanalytics on the server (load {load()}): the {scale} demo's walk from 620000, depth 3:")
    print(f"  {nodes:,} nodes, {edges:,} relationships: project (port reads) {project_ms:.0f} ms,")
    print(f"  measure (igraph) {measure_ms:.0f} ms, analyse {total_ms:.0f} ms")
    print("synthetic store (1,000 organisations, 4,200 officials with 2 posts each), first N nodes of the walk:")
    head = f"{'nodes':>7} {'relationships':>14} {'project ms':>11} {'measure ms':>11} {'analyse ms':>11} {'CPU ms':>7}"
    print(f"{head}  betweenness")
    for n, e, p_ms, m_ms, t_ms, c_ms in synthetic:
        pivots = analytics.pivots_for(n)
        row = f"{n:>7,} {e:>14,} {p_ms:>11.0f} {m_ms:>11.0f} {t_ms:>11.0f} {c_ms:>7.0f}"
        print(f"{row}  {f'{pivots} pivots' if pivots else 'exact'}")
    last = synthetic[-1]
    print(
        f"  goal ≤ 1000 ms at {last[0]:,} nodes: {'met' if last[4] <= 1000 else 'NOT met'} in wall time, "
        f"{'met' if last[5] <= 1000 else 'NOT met'} in CPU time"
    )


if __name__ == "__main__":
    main()
