"""Time to a usable view in the workbench, for each view, next to a blank page's load in the same run.

    python bench/web.py                       # full demo, embedded engine, 7 loads per view
    python bench/web.py --scale small -n 5
    python bench/web.py --data-dir /tmp/full  # loads the demo there once, reuses it on the next run

The demo is loaded into a temporary folder (or into ``--data-dir``, kept, when that folder holds no
store yet), a real ``wenze`` server (uvicorn, one worker, its own process; sign-in off, which on
loopback makes every request the local caller, and no rate limit) serves it, and headless Chromium
(the Debian one, through Playwright) opens each view by URL in a fresh browser context (nothing
cached, as when a bookmark is opened) and waits for the element that shows the view's answer (the
chain's responsible officials, the dossier's in-effect answer and Gantt, the figures, ...). Loopback
only: Chromium resolves no host but 127.0.0.1. Printed: p50 and max per view, the ratio to a blank
HTML page served over loopback in the same run (the floor: browser start of a page, no app), and
the bytes the view's load moved (navigation and every resource, as sent: compressed, headers in).
"""

from __future__ import annotations

import argparse
import http.server
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
AS_OF = "2024-06-30"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "from api.server import run; from api.settings import Settings; "
        f"run(Settings(backend='embedded', data_dir={str(data_dir)!r}), '127.0.0.1', {port})"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WENZE_AUTH": os.environ.get("WENZE_AUTH", "off"),
        "WENZE_RATE_LIMIT": os.environ.get("WENZE_RATE_LIMIT", "1000000000/minute"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}, timeout=2).is_success:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start in time")


def blank_server() -> tuple[http.server.ThreadingHTTPServer, str]:
    """A blank HTML page over loopback: the floor every view's time is compared with."""

    class Blank(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = (
                b'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>blank</title></head>'
                b'<body><p id="ready">blank</p></body></html>'
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Blank)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def pick_inputs(base: str) -> dict[str, str]:
    """A campaign issue whose chain has measures, its responsible official and its organisation."""
    from loaders.demo import ROAD_TRAFFIC_CAMPAIGN_ID

    def q(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = httpx.post(f"{base}/graphql", json={"query": query, "variables": variables or {}}, timeout=120).json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    issues = q(
        "query($c: ID!) { campaign(id: $c) { issues(first: 60) { nodes { id } } } }", {"c": ROAD_TRAFFIC_CAMPAIGN_ID}
    )["campaign"]["issues"]["nodes"]
    for i in issues:
        chain = q(
            "query($id: ID!) { chain(issueId: $id) { measures { id } responsible { official { id name } } "
            "organisation { id } } }",
            {"id": i["id"]},
        )["chain"]
        if chain["measures"] and chain["responsible"]:
            official = chain["responsible"][0]["official"]
            return {
                "issue": i["id"],
                "official": official["id"],
                "name": official["name"],
                "organisation": chain["organisation"]["id"],
                "campaign": ROAD_TRAFFIC_CAMPAIGN_ID,
            }
    raise RuntimeError("no campaign issue with measures and a responsible official")


def views(x: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, path, the selector that shows the view's answer)."""
    e = {k: quote(v) for k, v in x.items()}
    return [
        ("首页 home", "/", ".figure .n"),
        ("检索 search", f"/search?q={quote(x['name'])}", "[data-test=group-Official]"),
        ("问责链条 chain", f"/chain/{e['issue']}?asOf={AS_OF}", "[data-test=responsible]"),
        ("干部档案 official", f"/official/{e['official']}?on={AS_OF}", "[data-test=in-effect-answer] >> nth=0"),
        ("单位 organisation", f"/organisation/{e['organisation']}?on={AS_OF}", "[data-test=org-four-forms]"),
        ("统计 stats", "/stats", "[data-test=region-table]"),
        ("专项 campaign", f"/campaign/{e['campaign']}", "[data-test=campaign-heldAccountable]"),
        ("督办 supervision", f"/supervision?asOf={AS_OF}", "[data-test=supervision-items]"),
        ("月通报 report", f"/supervision/report?kind=month&date={AS_OF}", "[data-test=report-items]"),
    ]


MOVED_BYTES = """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
    .reduce((sum, e) => sum + e.transferSize, 0)"""


def time_load(browser: Any, url: str, ready: str, extra: str | None = None) -> tuple[float, int]:
    """Milliseconds from navigation to the view's answer on screen, and the bytes that load moved."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(180_000)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(ready).first.wait_for(state="visible")
    if extra:
        page.locator(extra).first.wait_for(state="visible")
    elapsed = time.perf_counter() - t0
    moved = int(page.evaluate(MOVED_BYTES))
    context.close()
    return elapsed * 1000, moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("small", "full"), default="full")
    parser.add_argument("-n", "--loads", type=int, default=7, help="loads per view (p50 of them)")
    parser.add_argument("--data-dir", type=Path, help="an embedded store already holding the demo")
    args = parser.parse_args()
    from api.explorer import APP_DIR

    if not (APP_DIR / "index.html").is_file():
        sys.exit("the workbench is not built: run scripts/fetch-web-assets")

    tmp = None
    data_dir = args.data_dir
    if data_dir is None or not any(data_dir.glob("graph.lbug*")):
        import loaders
        from graph.ladybug import LadybugStore
        from loaders.demo import generate

        if data_dir is None:
            tmp = tempfile.TemporaryDirectory(prefix="wenze-bench-web-")
            data_dir = Path(tmp.name)
        data_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        store = LadybugStore(data_dir)
        report = loaders.load(store, generate(args.scale))
        store.close()
        print(f"loaded the {args.scale} demo: {report.rows:,} rows in {time.perf_counter() - t0:.1f} s", flush=True)

    port = free_port()
    proc = start_server(data_dir, port)
    blank, blank_url = blank_server()
    base = f"http://127.0.0.1:{port}"
    try:
        from playwright.sync_api import sync_playwright

        inputs = pick_inputs(base)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
            )
            rows: list[tuple[str, list[tuple[float, int]]]] = []
            # Warm the server's and the OS's caches once per view (the first query of a kind pays for it).
            for _, path, ready in views(inputs):
                time_load(browser, base + path, ready)
            rows.append(("空白页 blank page", [time_load(browser, blank_url, "#ready") for _ in range(args.loads)]))
            for name, path, ready in views(inputs):
                extra = ".echart svg" if "official" in name else None
                rows.append((name, [time_load(browser, base + path, ready, extra) for _ in range(args.loads)]))
                print(f"  {name}: {statistics.median(t for t, _ in rows[-1][1]):.0f} ms", flush=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        blank.shutdown()
        if tmp is not None:
            tmp.cleanup()

    floor = statistics.median(t for t, _ in rows[0][1])
    print(
        f"\nworkbench, {args.scale} demo, {args.loads} loads per view (fresh browser context each), headless Chromium"
    )
    print(f"{'view':<22} {'p50 ms':>9} {'max ms':>9} {'× blank':>8} {'KB moved':>9}")
    for name, loads in rows:
        times = [t for t, _ in loads]
        p50 = statistics.median(times)
        moved = statistics.median(b for _, b in loads) / 1024
        print(f"{name:<22} {p50:>9.0f} {max(times):>9.0f} {p50 / floor:>8.1f} {moved:>9.0f}")
    print(f"inputs: {inputs}")


if __name__ == "__main__":
    main()
