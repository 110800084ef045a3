"""The built workbench over real HTTP: precompressed assets by Accept-Encoding, Vary, cache headers, 304s,
and a first load that stays small (no ECharts, no whole Element Plus before a chart is shown).

Needs the built app (scripts/fetch-web-assets); marked ``browser`` so that CI, which builds it, fails
when these are skipped.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from collections.abc import Iterator

import httpx
import pytest

from api.explorer import APP_DIR, IMMUTABLE
from tests.e2e.conftest import Servers, auth_headers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (APP_DIR / "index.html").is_file(), reason="workbench not built: run scripts/fetch-web-assets"
    ),
]
ASSETS = APP_DIR / "assets"


@pytest.fixture(scope="module")
def url(servers: Servers) -> str:
    return servers.get("embedded", "trap").url


@pytest.fixture
def http(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as client:
        del client.headers["accept-encoding"]  # httpx's default; each request here says its own, or none
        yield client


def raw_get(http: httpx.Client, path: str, accept: str | None, **headers: str) -> tuple[httpx.Response, bytes]:
    """The answer and its body as sent (not decoded: httpx would undo the Content-Encoding)."""
    sent = {"Accept-Encoding": accept} if accept is not None else {}
    with http.stream("GET", path, headers={**sent, **headers}) as response:
        return response, b"".join(response.iter_raw())


def entry_files() -> tuple[str, list[str]]:
    """The entry script and every file index.html makes the browser load before any view's chunk."""
    html = (APP_DIR / "index.html").read_text(encoding="utf-8")
    [entry] = re.findall(r'<script type="module"[^>]*src="/static/app/(assets/[^"]+)"', html)
    loaded = re.findall(r'(?:src|href)="/static/app/(assets/[^"]+)"', html)
    return entry, loaded


def brotli_decoded(data: bytes) -> bytes | None:
    """``data`` brotli-decoded by node's zlib (the build's own), or None where node is missing."""
    node = shutil.which("node")
    if node is None:
        return None
    script = "process.stdout.write(require('zlib').brotliDecompressSync(require('fs').readFileSync(0)))"
    return subprocess.run([node, "-e", script], input=data, capture_output=True, check=True).stdout


def test_entry_script_is_sent_as_the_request_allows(http: httpx.Client) -> None:
    entry, _ = entry_files()
    source = (APP_DIR / entry).read_bytes()

    plain, body = raw_get(http, f"/static/app/{entry}", "identity")
    assert plain.status_code == 200 and body == source
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"  # a cache must not hand this to a gzip client, or back
    assert plain.headers["cache-control"] == IMMUTABLE
    assert plain.headers["content-type"].startswith(("text/javascript", "application/javascript"))

    gz, body = raw_get(http, f"/static/app/{entry}", "gzip, deflate")
    assert gz.status_code == 200 and gz.headers["content-encoding"] == "gzip"
    assert gz.headers["vary"] == "Accept-Encoding" and gz.headers["cache-control"] == IMMUTABLE
    assert gz.headers["content-type"] == plain.headers["content-type"]
    assert int(gz.headers["content-length"]) == len(body) < len(source) / 2
    assert gzip.decompress(body) == source

    br, body = raw_get(http, f"/static/app/{entry}", "gzip, deflate, br")  # what Chromium sends
    assert br.status_code == 200 and br.headers["content-encoding"] == "br"
    assert br.headers["vary"] == "Accept-Encoding" and br.headers["cache-control"] == IMMUTABLE
    assert body == (APP_DIR / f"{entry}.br").read_bytes() and len(body) < len(gzip.compress(source))
    decoded = brotli_decoded(body)
    assert decoded is None or decoded == source

    # q=0 refuses an encoding; * allows any; no header at all means identity.
    assert raw_get(http, f"/static/app/{entry}", "br;q=0, gzip")[0].headers["content-encoding"] == "gzip"
    assert raw_get(http, f"/static/app/{entry}", "gzip;q=0.5, br;q=0.9")[0].headers["content-encoding"] == "br"
    assert raw_get(http, f"/static/app/{entry}", "*")[0].headers["content-encoding"] == "br"
    refused, body = raw_get(http, f"/static/app/{entry}", "br;q=0, gzip;q=0")
    assert "content-encoding" not in refused.headers and body == source
    none, body = raw_get(http, f"/static/app/{entry}", None)
    assert "content-encoding" not in none.headers and body == source


def test_revalidation_answers_304_per_variant(http: httpx.Client) -> None:
    entry, _ = entry_files()
    gz, _ = raw_get(http, f"/static/app/{entry}", "gzip")
    plain, _ = raw_get(http, f"/static/app/{entry}", "identity")
    assert gz.headers["etag"] != plain.headers["etag"]  # two representations, two validators
    again, body = raw_get(http, f"/static/app/{entry}", "gzip", **{"If-None-Match": gz.headers["etag"]})
    assert again.status_code == 304 and body == b""
    assert again.headers["vary"] == "Accept-Encoding" and again.headers["cache-control"] == IMMUTABLE
    # The identity representation's validator does not match the gzip one.
    other, _ = raw_get(http, f"/static/app/{entry}", "gzip", **{"If-None-Match": plain.headers["etag"]})
    assert other.status_code == 200 and other.headers["content-encoding"] == "gzip"


def test_index_is_never_kept_and_is_compressed_too(http: httpx.Client, url: str) -> None:
    source = (APP_DIR / "index.html").read_bytes()
    direct, body = raw_get(http, "/static/app/index.html", "gzip")
    assert direct.status_code == 200 and direct.headers["cache-control"] == "no-cache"
    assert direct.headers["content-encoding"] == "gzip" and gzip.decompress(body) == source
    assert direct.headers["vary"] == "Accept-Encoding"
    assert direct.headers["content-type"] == "text/html; charset=utf-8"
    # At the app's routes the page is the same file; the security headers forbid storing it at all.
    for path in ("/", "/stats", "/chain/ISS-1"):
        page, body = raw_get(http, path, "gzip", **auth_headers(url))
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-store", path
        assert page.headers["content-encoding"] == "gzip" and gzip.decompress(body) == source, path
        assert page.headers["vary"] == "Accept-Encoding", path


def test_every_text_asset_has_its_variants_and_they_decode_to_it() -> None:
    files = [p for p in ASSETS.iterdir() if p.suffix in (".js", ".css")]
    assert len(files) > 20  # one chunk per view, at least
    for p in files:
        source = p.read_bytes()
        gz = p.with_name(p.name + ".gz")
        if len(source) > 1024:  # below that gzip may not win, and the build then writes none
            assert gz.is_file() and p.with_name(p.name + ".br").is_file(), p.name
        if gz.is_file():
            assert gzip.decompress(gz.read_bytes()) == source, p.name


def test_a_missing_asset_is_a_plain_404(http: httpx.Client) -> None:
    missing, _ = raw_get(http, "/static/app/assets/no-such-chunk.js", "gzip")
    assert missing.status_code == 404 and "content-encoding" not in missing.headers


def test_first_load_is_small_and_has_no_charts(http: httpx.Client) -> None:
    """index.html's own files (before any view): no ECharts, no whole Element Plus; under 150 KB gzip."""
    _, loaded = entry_files()
    assert loaded and not [f for f in loaded if "echarts" in f or "element-plus" in f]
    total = 0
    for f in loaded:
        answer, body = raw_get(http, f"/static/app/{f}", "gzip")
        assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip", f
        total += len(body)
        # The entry's static imports too (what the browser must fetch before the first view's chunk).
        if f.endswith(".js"):
            text = gzip.decompress(body).decode("utf-8")
            assert "echarts" not in " ".join(re.findall(r'from\s*"\./([^"]+)"', text)), f
    assert total < 150_000, f"first load is {total:,} bytes gzip"
