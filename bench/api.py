"""GraphQL over HTTP against the same query straight on the engine, side by side, in one run.

    python bench/api.py                      # full demo, embedded engine
    python bench/api.py --scale small -n 300
    python bench/api.py --trust              # also: without sign-in and audit vs with them, same run

For each operation — chain, official with posts, fourForms (road-traffic campaign), search,
neighbourhood (depth 2) — it measures p50 and p99 of:

- raw:  the ``graph.queries`` call on the engine plus ``orjson.dumps`` of the same payload;
- http: the GraphQL query POSTed to a real uvicorn server (one worker, its own process), c=1, over
  one keep-alive connection (``http.client``, the least client work, as wrk would do);

and prints the ratio http/raw of the p50s. The data are loaded first (into a temporary folder,
unless ``--data-dir`` names one already loaded); the raw side reads the store, closes it, and then
the server opens it, because the embedded engine admits one process at a time.

``--trust`` (issue 11: "sign-in, scope and audit next to the same queries without them, same run")
measures, instead of ``http``, the same queries against one server process holding three apps on the
same store — bare (no sign-in, no audit), audit (no sign-in, audited), signed in (the county user
``inspector.chengguan`` by API token and by session cookie: identified, scoped, audited) — sending
each request to every side in turn, so noise falls on all alike. It prints the p50s, the ratios to
bare (goal: chain ≤ 1.3×, fourForms ≤ 1.3×), whether the signed-in answers equal the bare ones, a
chain from 8 clients at once (group commit), and the audit log's groups and verdict. See
bench/trust.py. The inputs are then chosen inside 城关区, so the county user may see them.

Goals (issue 3): chain http ≤ 1.5× raw and p50 ≤ 5 ms; fourForms ≤ 1.2× raw; search p50 ≤ 20 ms.
"chain" asks for one issue's chain again and again (the goal's measure); "chain, each issue" asks
for every issue's once, so caches help only with what chains share.
"""

from __future__ import annotations

import argparse
import functools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from http.client import HTTPConnection, RemoteDisconnected
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import orjson  # noqa: E402
import pyarrow as pa  # noqa: E402

from graph import queries  # noqa: E402
from graph.port import GraphStore  # noqa: E402

TODAY = date(2024, 6, 30)

CHAIN = """query($id: ID!) { chain(issueId: $id, asOf: "2024-06-30") {
  issue { id label summary status occurredOn foundOn }
  organisation { id name }
  responsible { official { id name } kind basis }
  steps { id date rectificationStepKind }
  cases { id caseKind openedOn closedOn }
  measures { id measureKind form decidedOn subject { id label } }
  transfers { id transferKind transferredOn outcome }
  exposures { id publishedOn title }
  stage
  overdue { kind due daysOver }
} }"""

OFFICIAL = """query($id: ID!) { official(id: $id) { id name
  posts { title postKind acting start end organisation { id name } } } }"""

FOUR_FORMS = """query($c: ID!) { fourForms(filter: {campaignId: $c}) {
  form1 form2 form3 form4 heldAccountable sanctioned partySanctioned govSanctioned
  transferredToDiscipline transferredToJudicial exposedCases } }"""

SEARCH = """query($t: String!) { search(text: $t, first: 20) { id kind label } }"""

NEIGHBOURHOOD = """query($id: ID!) { neighbourhood(id: $id, depth: 2, limit: 200) { json } }"""


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def raw_chain(store: GraphStore, issue: str) -> bytes:
    c = queries.chain(store, issue, TODAY)
    assert c is not None
    org = c.organisation or {}
    names = {r["id"]: r.get("name") for r in c.nodes.values()}
    payload = {
        "issue": {k: _iso(c.issue.get(k)) for k in ("id", "summary", "status", "occurred_on", "found_on")},
        "organisation": {"id": org.get("id"), "name": org.get("name")},
        "responsible": [
            {"official": {"id": r.official, "name": names.get(r.official)}, "kind": r.kind, "basis": r.basis}
            for r in c.responsible
        ],
        "steps": [
            {"id": s["id"], "date": _iso(s.get("date")), "kind": s.get("rectification_step_kind")} for s in c.steps
        ],
        "cases": [
            {
                "id": x["id"],
                "kind": x.get("case_kind"),
                "openedOn": _iso(x.get("opened_on")),
                "closedOn": _iso(x.get("closed_on")),
            }
            for x in c.cases
        ],
        "measures": [
            {
                "id": m["id"],
                "kind": m.get("measure_kind"),
                "form": queries.measure_form(m),
                "decidedOn": _iso(m.get("decided_on")),
                "subject": {
                    "id": c.measure_subject.get(m["id"]),
                    "label": names.get(c.measure_subject.get(m["id"], "")),
                },
            }
            for m in c.measures
        ],
        "transfers": [
            {
                "id": t["id"],
                "kind": t.get("transfer_kind"),
                "on": _iso(t.get("transferred_on")),
                "outcome": t.get("outcome"),
            }
            for t in c.transfers
        ],
        "exposures": [{"id": x["id"], "on": _iso(x.get("published_on")), "title": x.get("title")} for x in c.exposures],
        "stage": c.stage,
        "overdue": [{"kind": o.kind, "due": o.due.isoformat(), "daysOver": o.days_over} for o in c.overdue],
    }
    return orjson.dumps(payload)


def raw_official(store: GraphStore, official: str) -> bytes:
    rec = store.get_nodes([official])[official]
    posts = queries.posts_of(store, [official])[official]
    orgs = store.get_nodes({p.organisation for p in posts})
    return orjson.dumps(
        {
            "id": rec["id"],
            "name": rec.get("name"),
            "posts": [
                {
                    "title": p.title,
                    "postKind": p.post_kind,
                    "acting": p.acting,
                    "start": _iso(p.start),
                    "end": _iso(p.end),
                    "organisation": {"id": p.organisation, "name": orgs.get(p.organisation, {}).get("name")},
                }
                for p in posts
            ],
        }
    )


def raw_four_forms(store: GraphStore, campaign: str) -> bytes:
    n = queries.four_forms(store, queries.StatsFilter(campaign_id=campaign)).total()
    return orjson.dumps(n.__dict__)


def raw_search(store: GraphStore, index: Any, text: str) -> bytes:
    ids = index.search(text, 20)
    recs = store.get_nodes(ids)
    return orjson.dumps(
        [{"id": i, "kind": recs[i]["kind"], "label": queries.node_label(recs[i])} for i in ids if i in recs]
    )


def raw_neighbourhood(store: GraphStore, node: str) -> bytes:
    sub = queries.neighbourhood(store, node, 2, 200)
    assert sub is not None
    return orjson.dumps(sub.as_json())


@dataclass
class Timing:
    p50: float
    p99: float
    n: int


def measure(fn: Callable[[], Any], iterations: int, budget_s: float) -> Timing:
    fn()  # warm
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < iterations and (time.perf_counter() - started < budget_s or len(samples) < 5):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return Timing(statistics.median(samples), p99, len(samples))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def neo4j_settings() -> dict[str, str]:
    return {
        "neo4j_uri": os.environ["WENZE_NEO4J_URI"],
        "neo4j_user": os.environ.get("WENZE_NEO4J_USER", "neo4j"),
        "neo4j_password": os.environ.get("WENZE_NEO4J_PASSWORD", ""),
        "neo4j_database": os.environ.get("WENZE_NEO4J_DATABASE", "neo4j"),
    }


def start_server(backend: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    settings = f"backend={backend!r}, data_dir={str(data_dir)!r}"
    if backend == "neo4j":
        settings += ", " + ", ".join(f"{k}={v!r}" for k, v in neo4j_settings().items())
    code = (
        f"from api.server import run; from api.settings import Settings; run(Settings({settings}), '127.0.0.1', {port})"
    )
    # Loopback without sign-in (every request is LOCAL_CALLER, still audited) and no rate limit: the
    # benchmark sends thousands of queries as one caller.
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WENZE_AUTH": os.environ.get("WENZE_AUTH", "off"),
        "WENZE_RATE_LIMIT": os.environ.get("WENZE_RATE_LIMIT", "1000000000/minute"),
    }
    errors = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=errors
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"server exited: {errors.read().decode(errors='replace')}")
        try:
            # Measure once the server is idle: the search index is built or loaded in the background
            # and its file then written (holding the GIL in turns, seconds of CPU at full scale).
            r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
            if r.status_code == 200 and r.json()["searchIndex"] == "ready":
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start in time")


COUNTY = "620102"  # 城关区: the trust comparison signs in as its inspector (bench/trust.py)


def _county_regions(store: GraphStore, county: str) -> set[str]:
    regions, frontier = {county}, [county]
    while frontier:
        frontier = [e.source for e in store.edges(frontier, ("PART_OF",), "in") if e.source not in regions]
        regions.update(frontier)
    return regions


def pick_inputs(store: GraphStore, scale: str, county: str | None = None) -> dict[str, str]:
    """The inputs every side asks for; with ``county``, an issue at an organisation in that county."""
    from loaders.demo import ROAD_TRAFFIC_CAMPAIGN_ID

    campaign = ROAD_TRAFFIC_CAMPAIGN_ID
    insp = [e.source for e in store.edges([campaign], ("PART_OF",), "in")]
    issues = sorted(e.target for e in store.edges(insp, ("FOUND",), "out"))
    if county is not None:
        inside = _county_regions(store, county)
        org_of = {e.source: e.target for e in store.edges(issues, ("AT",), "out")}
        region_of = {e.source: e.target for e in store.edges(set(org_of.values()), ("IN_REGION",), "out")}
        issues = [i for i in issues if region_of.get(org_of.get(i, ""), "") in inside] or issues
    # The issue with the longest chain: the most cases through clues, measures and transfers.
    best = max(issues[:60], key=lambda i: len(queries.chain(store, i, TODAY).measures))  # type: ignore[union-attr]
    chain = queries.chain(store, best, TODAY)
    assert chain is not None
    official = chain.responsible[0].official if chain.responsible else next(iter(chain.measure_subject.values()))
    name = store.get_nodes([official])[official]["name"]
    return {"issue": best, "official": official, "campaign": campaign, "text": str(name)[:2], "node": best}


def open_store(backend: str, data_dir: Path) -> GraphStore:
    if backend == "neo4j":
        from graph.neo4j import Neo4jStore

        cfg = neo4j_settings()
        return Neo4jStore(
            uri=cfg["neo4j_uri"], user=cfg["neo4j_user"], password=cfg["neo4j_password"], database=cfg["neo4j_database"]
        )
    from graph.ladybug import LadybugStore

    return LadybugStore(data_dir)


class Client:
    """One keep-alive connection (as wrk would use: httpx's own per-request work, ~0.4 ms, would be
    counted against the server otherwise) sending the benchmark's queries with fixed headers."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.conn = HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"content-type": "application/json", **headers}
        self.reconnects = 0

    def post(self, query: str, variables: dict[str, Any]) -> Callable[[], bytes]:
        body = orjson.dumps({"query": query, "variables": variables})

        def call() -> bytes:
            try:
                self.conn.request("POST", "/graphql", body=body, headers=self.headers)
                response = self.conn.getresponse()
            except (BrokenPipeError, ConnectionResetError, RemoteDisconnected):
                self.reconnects += 1  # the server closed the kept-alive connection: once more, on a new one
                self.conn.close()
                self.conn.request("POST", "/graphql", body=body, headers=self.headers)
                response = self.conn.getresponse()
            content = response.read()
            if response.status != 200 or b'"errors"' in content:
                raise RuntimeError(content[:500].decode("utf-8", errors="replace"))
            return content

        return call

    def operations(self, inputs: dict[str, str], each: list[str]) -> dict[str, Callable[[], bytes]]:
        issues = iter(each)
        return {
            "chain": self.post(CHAIN, {"id": inputs["issue"]}),
            "chain, each issue": lambda: self.post(CHAIN, {"id": next(issues)})(),
            "official+posts": self.post(OFFICIAL, {"id": inputs["official"]}),
            "fourForms": self.post(FOUR_FORMS, {"c": inputs["campaign"]}),
            "search": self.post(SEARCH, {"t": inputs["text"]}),
            "neighbourhood d2": self.post(NEIGHBOURHOOD, {"id": inputs["node"]}),
        }

    def close(self) -> None:
        self.conn.close()


def _chain_call(port: int, headers: dict[str, str], issue: str) -> Callable[[], bytes]:
    """A new connection's chain request (bench/trust.py's 8 clients each make one)."""
    return Client(port, headers).post(CHAIN, {"id": issue})


def measure_http(
    backend: str, data_dir: Path, inputs: dict[str, str], each: list[str], args: argparse.Namespace
) -> dict[str, Timing]:
    """The operations over HTTP against ``wenze serve`` as it runs (no sign-in on loopback, audited)."""
    port = free_port()
    server = start_server(backend, data_dir, port)
    client = Client(port, {})
    each_n = min(args.iterations, len(each) - 1)
    try:
        return {name: measure(fn, each_n if "each" in name else args.iterations, args.budget)
                for name, fn in client.operations(inputs, each).items()}  # fmt: skip
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=30)


def measure_trust(
    backend: str,
    data_dir: Path,
    inputs: dict[str, str],
    each: list[str],
    raw: dict[str, Timing],
    args: argparse.Namespace,
) -> dict[str, Timing]:
    """bench/trust.py's sides, interleaved; prints their table and returns the "audit" side as http."""
    import trust  # bench/trust.py: this script's folder is on sys.path

    token = trust.county_token(data_dir, backend)
    ports = [free_port() for _ in range(3)]
    server = trust.start(data_dir, backend, ports)
    try:
        headers = {
            "bare": (ports[0], {}),
            "audit": (ports[1], {}),
            "token": (ports[2], {"authorization": f"Bearer {token}"}),
            "cookie": (ports[2], {"cookie": trust.county_cookie(ports[2]), "x-wenze-request": "1"}),
        }
        clients = {side: Client(port, h) for side, (port, h) in headers.items()}
        for port, h in headers.values():  # each app's search index complete before measuring
            httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": SEARCH, "variables": {"t": "张"}},
                       headers=h, timeout=600)  # fmt: skip
        slices = {side: each[i :: len(clients)] for i, side in enumerate(clients)}
        ops = {side: c.operations(inputs, slices[side]) for side, c in clients.items()}
        n = min(args.iterations, len(each) // len(clients) - 1)
        fixed = {s: {k: f for k, f in o.items() if "each" not in k} for s, o in ops.items()}
        samples = trust.interleaved(fixed, args.iterations, args.budget)
        each_samples = trust.interleaved({s: {k: f for k, f in o.items() if "each" in k} for s, o in ops.items()}, n,
                                         args.budget)  # fmt: skip
        for side in samples:
            samples[side].update(each_samples[side])
        same = {op: fixed["token"][op]() == fixed["bare"][op]() for op in fixed["bare"]}
        calls = {s: functools.partial(_chain_call, p, h, inputs["issue"]) for s, (p, h) in headers.items()}
        crowd = trust.together(calls, 8, max(5, args.iterations // 8))
        for side, c in clients.items():
            if c.reconnects:
                print(f"[{backend}] {side}: the server closed the connection {c.reconnects} time(s); reconnected")
            c.close()
    finally:
        server.kill()
        server.wait(timeout=30)
    order = list(raw)
    samples = {s: {op: samples[s][op] for op in order} for s in samples}
    summary = trust.audit_summary(data_dir, backend, trust.COUNTY_USER)
    trust.print_table(backend, {op: t.p50 for op, t in raw.items()}, samples, same, crowd, summary)
    audit = samples["audit"]
    return {op: Timing(statistics.median(v), sorted(v)[min(len(v) - 1, int(len(v) * 0.99))], len(v))
            for op, v in audit.items()}  # fmt: skip


def run_backend(backend: str, args: argparse.Namespace) -> tuple[dict[str, Timing], dict[str, Timing], dict[str, str]]:
    """Load (unless already loaded), measure raw in-process, then over HTTP against a real server."""
    from graph.search_index import SearchIndex

    tmp = None
    data_dir = args.data_dir
    loaded = (backend == "embedded" and data_dir is not None) or (backend == "neo4j" and args.neo4j_loaded)
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="wenze-bench-")
        data_dir = Path(tmp.name)
    if not loaded:
        import loaders
        from loaders.demo import generate

        t0 = time.perf_counter()
        store = open_store(backend, data_dir)
        store.clear()
        report = loaders.load(store, generate(args.scale))
        store.close()
        print(
            f"[{backend}] loaded the {args.scale} demo: {report.rows:,} rows in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )

    store = open_store(backend, data_dir)
    inputs = pick_inputs(store, args.scale, COUNTY if args.trust else None)
    index = SearchIndex.build(store)
    # Every issue once, in the same order on both sides: no answer is asked twice, so only what
    # chains share (officials, organisations, campaigns) can come from the store's record cache.
    each = sorted(pa.concat_tables(store.scan_nodes("Issue", ["id"])).column("id").to_pylist())
    each_n = min(args.iterations, len(each) - 1)
    raw_each = iter(each)
    raw_ops: dict[str, Callable[[], Any]] = {
        "chain": lambda: raw_chain(store, inputs["issue"]),
        "chain, each issue": lambda: raw_chain(store, next(raw_each)),
        "official+posts": lambda: raw_official(store, inputs["official"]),
        "fourForms": lambda: raw_four_forms(store, inputs["campaign"]),
        "search": lambda: raw_search(store, index, inputs["text"]),
        "neighbourhood d2": lambda: raw_neighbourhood(store, inputs["node"]),
    }
    raw = {name: measure(fn, each_n if "each" in name else args.iterations, args.budget)
           for name, fn in raw_ops.items()}  # fmt: skip
    store.close()
    try:
        if args.trust:
            http = measure_trust(backend, data_dir, inputs, each, raw, args)
        else:
            http = measure_http(backend, data_dir, inputs, each, args)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return raw, http, inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["small", "full"], default="full")
    parser.add_argument("-n", "--iterations", type=int, default=200)
    parser.add_argument("--budget", type=float, default=15.0, help="seconds at most per measurement")
    parser.add_argument("--data-dir", type=Path, help="an embedded store already loaded with the demo")
    parser.add_argument(
        "--backend",
        choices=["embedded", "neo4j", "both"],
        default="embedded",
        help="neo4j/both need WENZE_NEO4J_URI (and _USER, _PASSWORD, _DATABASE)",
    )
    parser.add_argument("--neo4j-loaded", action="store_true", help="the Neo4j database already holds the demo")
    parser.add_argument(
        "--trust", action="store_true", help="also: without sign-in and audit vs signed in and audited (bench/trust.py)"
    )
    args = parser.parse_args()

    backends = ["embedded", "neo4j"] if args.backend == "both" else [args.backend]
    results = {b: run_backend(b, args) for b in backends}
    for backend, (raw, http, inputs) in results.items():
        print(f"\n[{backend}] inputs: {inputs}")
        print(f"{'operation':<18} {'raw p50':>9} {'raw p99':>9} {'http p50':>9} {'http p99':>9} {'http/raw':>9}  (ms)")
        for name in raw:
            r, h = raw[name], http[name]
            print(f"{name:<18} {r.p50:9.2f} {r.p99:9.2f} {h.p50:9.2f} {h.p99:9.2f} {h.p50 / r.p50:8.2f}x")
    if len(results) == 2:
        (_, e_http, _), (_, n_http, _) = results["embedded"], results["neo4j"]
        print(f"\n{'http p50 (ms)':<18} {'embedded':>9} {'neo4j':>9} {'neo4j/emb':>10}")
        for name in e_http:
            e, n = e_http[name].p50, n_http[name].p50
            print(f"{name:<18} {e:9.2f} {n:9.2f} {n / e:9.2f}x")


if __name__ == "__main__":
    main()
