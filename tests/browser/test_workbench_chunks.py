"""What a view makes the browser fetch: ECharts only with a chart, precompressed assets, each view's own chunk.

The first load (tests/e2e/test_static_assets.py checks its bytes) must not carry the chart library;
here a real browser shows that a view without a chart never asks for it, that a view with one does,
and that Chromium gets the brotli variants.
"""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import needs_workbench

pytestmark = needs_workbench
AS_OF = "2024-06-30"


def fetched(page: Any, url: str, ready: str) -> dict[str, str]:
    """Asset file name -> the Content-Encoding it came with, for every asset the view's load fetched."""
    seen: dict[str, str] = {}

    def record(response: Any) -> None:
        if "/static/app/assets/" in response.url:
            seen[response.url.rsplit("/", 1)[1]] = response.headers.get("content-encoding", "")

    page.on("response", record)
    page.goto(url)
    page.locator(ready).first.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    return seen


def test_views_without_a_chart_never_load_echarts(page: Any, demo_url: str) -> None:
    seen = fetched(page, f"{demo_url}/supervision?asOf={AS_OF}", "[data-test=supervision-items]")
    assert any(name.startswith("SupervisionView-") for name in seen)
    assert not [name for name in seen if name.startswith(("echarts-", "EChart-", "StatsView-"))]
    # Chromium asks for br: every script came brotli-compressed (the build writes a .br for each).
    assert {enc for name, enc in seen.items() if name.endswith(".js")} == {"br"}


def test_the_statistics_view_loads_echarts_with_its_charts(page: Any, demo_url: str) -> None:
    seen = fetched(page, f"{demo_url}/stats", ".echart svg")
    [echarts] = [name for name in seen if name.startswith("echarts-")]
    assert seen[echarts] == "br"
    assert not [name for name in seen if name.startswith(("SupervisionView-", "ChainView-"))]
