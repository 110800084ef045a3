"""How cost grows with the caseload: each operation at 1×, 2× and 4× the demo's 2018–2024 caseload, in one run.

    python bench/volume.py                              # full demo at 1×, 2×, 4×, embedded engine
    python bench/volume.py --mults 1,2 --runs 3 --chain-issues 2000
    python bench/volume.py --neo4j                      # also Neo4j (WENZE_NEO4J_URI…; the store is cleared)
    python bench/volume.py --scale small --mults 1,2    # a quick check that it runs

For each multiplier it generates ``loaders.demo.generate(scale, caseload=m)`` (the seed's rows and
figures unchanged; ``m`` × the yearly person-times of the caseload), loads it into a fresh store,
and times, per operation, the median of ``--runs`` runs of:

- **service**: the ``graph.queries`` function or store call the API makes (``four_forms_counts``,
  ``chain``, ``GraphStore.page_issues``), in this process, on the store; ``officials(nameContains)`` has none (the API
  pages it in the search index), so that row shows only HTTP;
- **http**: the GraphQL query the workbench sends (``web/src/views/StatsView.vue``, ``HomeView.vue``),
  POSTed to a real server (``api.server.run``, its own process, sign-in off on loopback), c=1,
  one keep-alive connection;
- **service cold** and **http cold**: the same with the answers of counts not kept
  (``WENZE_ANSWER_CACHE=0``, ``graph.answers``): what the first user to ask after a load waits for.
  Without "cold" the answers are kept per data version, as a server runs, so after the warm-up the
  median is a repeat (another user's dashboard, a page reloaded);
- **floor**: one hand-written Cypher query over the same facts on the engine (the least the engine
  can do for that answer; its dialect differs a little between the engines).

"chain" is timed once per issue over every issue (or ``--chain-issues`` of them, every k-th by id),
and reported as p50 and p100 (the slowest issue); the others are medians over ``--runs`` runs.
Only the public API is used (GraphQL, ``graph.queries``' exported names, the store port), plus one
private hook per engine to run the floor's Cypher (``LadybugStore._rows``; a Neo4j driver session).

The table: one row per (engine, operation, measure), columns per multiplier in ms, then
service/floor and http/floor at 1×, and 4×/1× (or the largest multiplier over 1×) for each side.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
import pyarrow as pa  # noqa: E402

from graph import queries  # noqa: E402
from graph.port import GraphStore  # noqa: E402


def _bench_api() -> Any:
    """bench/api.py's server and store helpers (loaded by path: ``bench.api`` and ``api`` would clash for mypy)."""
    spec = importlib.util.spec_from_file_location("bench_api", ROOT / "bench" / "api.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_api"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_API = _bench_api()
free_port, neo4j_settings, open_store, start_server = (
    _API.free_port,
    _API.neo4j_settings,
    _API.open_store,
    _API.start_server,
)

TODAY = date(2024, 12, 31)
YEAR = 2023
FROM, TO = date(YEAR, 1, 1), date(YEAR, 12, 31)
PROVINCE = "620000"
CITY = "620100"  # 兰州市: the issues(filter) page
NAME_TEXT = "张"

FIG = "form1 form2 form3 form4 heldAccountable sanctioned transferredToDiscipline transferredToJudicial exposedCases"
GQL = {
    "fourForms province+year": f"query($f: StatsFilter) {{ fourForms(filter: $f) {{ {FIG} }} }}",
    "fourForms +byRegion +byMonth": f"""query($f: StatsFilter) {{ fourForms(filter: $f) {{ {FIG}
        byRegion {{ {FIG} region {{ id name }} }} byMonth {{ month {FIG} }} }} }}""",
    "fourForms campaign": f"query($f: StatsFilter) {{ fourForms(filter: $f) {{ {FIG} }} }}",
    "officials(nameContains)": """query($t: String!) { officials(nameContains: $t, first: 20) {
        totalCount nodes { id name } } }""",
    "issues(filter)": """query($f: IssueFilter) { issues(filter: $f, first: 15) {
        totalCount nodes { id summary foundOn status organisation { id name } } } }""",
    "chain": """query($id: ID!) { chain(issueId: $id, asOf: "2024-12-31") {
        issue { id summary status occurredOn foundOn } organisation { id name }
        responsible { official { id name } kind basis } steps { id date rectificationStepKind }
        cases { id caseKind openedOn closedOn } measures { id measureKind form decidedOn subject { id label } }
        transfers { id transferKind transferredOn outcome } exposures { id publishedOn title }
        stage overdue { kind due daysOver } } }""",
}


def gql_variables(campaign: str) -> dict[str, dict[str, Any]]:
    year = {"from": FROM.isoformat(), "to": TO.isoformat()}
    return {
        "fourForms province+year": {"f": year},
        "fourForms +byRegion +byMonth": {"f": year},
        "fourForms campaign": {"f": {"campaignId": campaign}},
        "officials(nameContains)": {"t": NAME_TEXT},
        "issues(filter)": {"f": {"regionId": CITY, **year}},
    }


def service_ops(store: GraphStore, campaign: str) -> dict[str, Callable[[], Any]]:
    """What the API's resolvers call, per operation (graph.queries' public names, the store port)."""
    from graph.issue_pages import IssueQuery

    year = queries.StatsFilter(date_from=FROM, date_to=TO)

    def breakdowns() -> Any:
        total = queries.four_forms_counts(store, year)
        children = queries.child_regions(store, None)
        return (
            total,
            queries.four_forms_counts(store, year, "region", children),
            queries.four_forms_counts(store, year, "month"),
        )

    def issues_page() -> Any:
        return store.page_issues(IssueQuery(region_id=CITY, found_from=FROM, found_to=TO, limit=15))

    return {
        "fourForms province+year": lambda: queries.four_forms_counts(store, year),
        "fourForms +byRegion +byMonth": breakdowns,
        "fourForms campaign": lambda: queries.four_forms_counts(store, queries.StatsFilter(campaign_id=campaign)),
        "issues(filter)": issues_page,
    }


# The floor: one hand-written Cypher query per answer over the same facts the service reads (the
# properties derived at write time: CONTRACT §3's placement, date, subjects and form of every measure,
# transfer and exposure; an issue's place and campaigns); <<name>> is a piece whose syntax differs
# between the engines. It returns less than the service (no names, fewer figures): the least the
# engine can do for that answer.
FACT_FIGURES = """
        MATCH (f:Measure) WHERE <<where>> AND f.fact_subjects IS NOT NULL <<by>> UNWIND f.fact_subjects AS s
        RETURN <<g>> AS g, 'measures' AS part, count(CASE WHEN f.fact_form = 1 THEN 1 END) AS a,
               count(CASE WHEN f.fact_form = 2 THEN 1 END) AS b,
               count(CASE WHEN f.fact_form = 3 THEN 1 END) AS c,
               count(DISTINCT CASE WHEN f.fact_sanction IS NOT NULL THEN s END) AS d
        UNION ALL
        MATCH (f:<<measure_or_transfer>>) WHERE <<where>> AND f.fact_subjects IS NOT NULL <<by>>
        UNWIND f.fact_subjects AS s
        RETURN <<g>> AS g, 'held' AS part, count(DISTINCT s) AS a, 0 AS b, 0 AS c, 0 AS d
        UNION ALL
        MATCH (f:Transfer) WHERE <<where>> AND f.fact_subjects IS NOT NULL <<by>> UNWIND f.fact_subjects AS s
        RETURN <<g>> AS g, 'transfers' AS part,
               count(DISTINCT CASE WHEN f.fact_transfer = 'judicial' THEN f.fact_case + '|' + s END) AS a,
               count(DISTINCT CASE WHEN f.fact_transfer = 'discipline' THEN s END) AS b,
               count(DISTINCT CASE WHEN f.fact_transfer = 'judicial' THEN s END) AS c, 0 AS d
        UNION ALL
        MATCH (f:Exposure) WHERE <<where>> AND f.fact_case IS NOT NULL <<by>>
        RETURN <<g>> AS g, 'exposures' AS part, count(DISTINCT f.fact_case) AS a, 0 AS b, 0 AS c, 0 AS d"""
YEAR_WHERE = "f.fact_on >= $a AND f.fact_on <= $b"


def _figures(where: str, group: str = "''", by: str = "") -> str:
    """One query (UNION ALL) for the figures the service counts: forms, sanctioned, held accountable,
    transfers, exposures; ``group`` the grouping expression (``''``: none), ``by`` a clause binding it."""
    return FACT_FIGURES.replace("<<where>>", where).replace("<<g>>", group).replace("<<by>>", by)


FLOOR = {
    "fourForms province+year": _figures(YEAR_WHERE),
    # The total, each child region and each month, like the service's three counts.
    "fourForms +byRegion +byMonth": _figures(YEAR_WHERE)
    + "\n        UNION ALL"
    + _figures(YEAR_WHERE, "f.fact_month")
    + "\n        UNION ALL"
    + _figures(YEAR_WHERE, "g0", "UNWIND f.fact_place AS g0 WITH f, g0 WHERE g0 IN $children"),
    "fourForms campaign": _figures("$c IN f.fact_campaigns"),
    "officials(nameContains)": """
        MATCH (o:Official) WHERE o.name CONTAINS $t WITH count(*) AS total
        MATCH (o:Official) WHERE o.name CONTAINS $t RETURN total, o.id AS id ORDER BY id LIMIT 20""",
    "issues(filter)": """
        MATCH (i:Issue) WHERE $r IN i.fact_place AND i.found_on >= $a AND i.found_on <= $b
        WITH collect(i) AS found UNWIND found AS i WITH size(found) AS total, i
        RETURN total, i.id AS id, i.found_on AS found_on ORDER BY found_on, id LIMIT 15""",
    "chain": """
        MATCH (i:Issue {id: $id}) OPTIONAL MATCH (i)-[:LED_TO*1..2]->(c:`Case`)
        OPTIONAL MATCH (c)-[:DECIDED]->(m:Measure)-[:APPLIES_TO]->(s)
        OPTIONAL MATCH (c)-[:TRANSFERRED]->(t:Transfer)
        RETURN i.id AS issue, collect(DISTINCT c.id) AS cases, collect(DISTINCT [m.id, m.kind, s.id]) AS measures,
               collect(DISTINCT t.id) AS transfers""",
}
DIALECT = {
    "embedded": {"measure_or_transfer": "Measure:Transfer"},
    "neo4j": {"measure_or_transfer": "Measure|Transfer"},
}


class Floor:
    """Runs the floor's Cypher on the engine under the store."""

    def __init__(self, backend: str, store: GraphStore) -> None:
        self.backend, self.store = backend, store
        self.session: Any = None
        if backend == "neo4j":
            import neo4j

            cfg = neo4j_settings()
            self.driver = neo4j.GraphDatabase.driver(cfg["neo4j_uri"], auth=(cfg["neo4j_user"], cfg["neo4j_password"]))
            self.database = cfg["neo4j_database"]

    def text(self, op: str) -> str:
        text = FLOOR[op]
        for key, value in DIALECT[self.backend].items():
            text = text.replace(f"<<{key}>>", value)
        return text

    def run(self, op: str, params: dict[str, Any]) -> list[Any]:
        if self.backend == "neo4j":
            records, _, _ = self.driver.execute_query(self.text(op), params, database_=self.database)
            return [r.values() for r in records]
        rows: list[Any] = self.store._rows(self.text(op), params)  # type: ignore[attr-defined]
        return rows

    def close(self) -> None:
        if self.backend == "neo4j":
            self.driver.close()


def floor_params(campaign: str, children: list[str]) -> dict[str, dict[str, Any]]:
    return {
        "fourForms province+year": {"a": FROM, "b": TO},
        "fourForms +byRegion +byMonth": {"a": FROM, "b": TO, "children": children},
        "fourForms campaign": {"c": campaign},
        "officials(nameContains)": {"t": NAME_TEXT},
        "issues(filter)": {"r": CITY, "a": FROM, "b": TO},
    }


def guarded(label: str, measure: Callable[[], Any]) -> Any:
    """``measure()``, or NaN (printed) when it fails: one failing operation does not lose the run."""
    try:
        return measure()
    except Exception as e:  # noqa: BLE001 - reported, and the table says "failed"
        print(f"  {label}: failed: {str(e)[:300]}", flush=True)
        return float("nan")


def median_ms(fn: Callable[[], Any], runs: int, budget_s: float = 60.0) -> float:
    """Median of ``runs`` timed calls after one warm-up (caches and plans, as a server that has answered
    once); calls stop once ``budget_s`` is spent, and a warm-up slower than the budget is the only sample."""
    t0 = time.perf_counter()
    fn()
    warm = time.perf_counter() - t0
    if warm > budget_s:
        return warm * 1000
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < runs and (not samples or time.perf_counter() - started < budget_s):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def per_issue_ms(fn: Callable[[str], Any], issues: list[str]) -> tuple[float, float]:
    fn(issues[0])
    samples = []
    for i in issues:
        t0 = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), max(samples)


def poster(conn: HTTPConnection, query: str) -> Callable[[dict[str, Any]], None]:
    def call(variables: dict[str, Any]) -> None:
        conn.request("POST", "/graphql", orjson.dumps({"query": query, "variables": variables}),
                     {"content-type": "application/json"})  # fmt: skip
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or b'"errors"' in body:
            raise RuntimeError(f"{response.status}: {body[:400]!r}")

    return call


Results = dict[tuple[str, str, str], dict[float, float]]  # (engine, operation, side) -> mult -> ms


def bench_one(backend: str, mult: float, args: argparse.Namespace, out: Results) -> None:
    import loaders
    from loaders.demo import ROAD_TRAFFIC_CAMPAIGN_ID, generate

    campaign = ROAD_TRAFFIC_CAMPAIGN_ID
    tmp = tempfile.TemporaryDirectory(prefix="wenze-volume-")
    data_dir = Path(tmp.name) / "db"
    t0 = time.perf_counter()
    tables = generate(args.scale, caseload=mult)
    generated = time.perf_counter() - t0
    store = open_store(backend, data_dir)
    store.clear()
    t0 = time.perf_counter()
    report = loaders.load(store, tables)
    loaded = time.perf_counter() - t0
    del tables
    print(f"[{backend} {mult:g}×] generated in {generated:.1f} s, loaded {report.rows:,} rows in {loaded:.1f} s",
          flush=True)  # fmt: skip
    out[(backend, "generate + load, s", "total")] = out.get((backend, "generate + load, s", "total"), {})
    out[(backend, "generate + load, s", "total")][mult] = (generated + loaded) * 1000

    issues = sorted(pa.concat_tables(store.scan_nodes("Issue", ["id"])).column("id").to_pylist())
    step = max(1, len(issues) // args.chain_issues) if args.chain_issues else 1
    sample = issues[::step]
    print(f"[{backend} {mult:g}×] {len(issues):,} issues; chains timed for {len(sample):,}", flush=True)

    def put(op: str, side: str, ms: float) -> None:
        out.setdefault((backend, op, side), {})[mult] = ms

    # "cold": every call counted by the engine (graph.answers off); "service": as the API runs it,
    # answers kept per data version (graph.answers), so after the warm-up a repeat is a cache hit.
    for side, cache in (("service cold", "0"), ("service", "1")):
        os.environ["WENZE_ANSWER_CACHE"] = cache
        for op, fn in service_ops(store, campaign).items():
            put(op, side, guarded(op, functools.partial(median_ms, fn, args.runs, args.budget)))
    os.environ.pop("WENZE_ANSWER_CACHE", None)
    p50, p100 = per_issue_ms(lambda i: queries.chain(store, i, TODAY), sample)
    put("chain p50", "service", p50)
    put("chain p100", "service", p100)

    floor = Floor(backend, store)
    children = queries.child_regions(store, None)
    for op, params in floor_params(campaign, children).items():
        run = functools.partial(floor.run, op, params)
        put(op, "floor", guarded(op, functools.partial(median_ms, run, args.runs, args.budget)))
    p50, p100 = per_issue_ms(lambda i: floor.run("chain", {"id": i}), sample)
    put("chain p50", "floor", p50)
    put("chain p100", "floor", p100)
    floor.close()
    store.close()

    # The server stops a request after WENZE_REQUEST_TIMEOUT_SECONDS (30 s by default): a bench
    # measures what an answer costs, so it waits as long as the client does.
    os.environ.setdefault("WENZE_REQUEST_TIMEOUT_SECONDS", "600")
    try:
        for side, cache in (("http cold", "0"), ("http", "1")):
            os.environ["WENZE_ANSWER_CACHE"] = cache  # the server's environment (start_server copies it)
            bench_http(backend, data_dir, campaign, sample, side, args, put)
    finally:
        os.environ.pop("WENZE_ANSWER_CACHE", None)
        if backend == "neo4j":
            store = open_store(backend, data_dir)
            store.clear()
            store.close()
        tmp.cleanup()


def bench_http(
    backend: str, data_dir: Path, campaign: str, sample: list[str], side: str, args: argparse.Namespace,
    put: Callable[[str, str, float], None],
) -> None:  # fmt: skip
    """The GraphQL side on a server of its own; chains only on the "http" side (no answer is kept for them)."""
    port = free_port()
    server = start_server(backend, data_dir, port)
    conn = HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        for op, variables in gql_variables(campaign).items():
            call = poster(conn, GQL[op])
            ask = functools.partial(call, variables)
            put(op, side, guarded(op, functools.partial(median_ms, ask, args.runs, args.budget)))
        if side == "http":
            chain = poster(conn, GQL["chain"])
            p50, p100 = per_issue_ms(lambda i: chain({"id": i}), sample)
            put("chain p50", "http", p50)
            put("chain p100", "http", p100)
    finally:
        conn.close()
        server.terminate()
        server.wait(timeout=60)


def table(out: Results, mults: list[float]) -> str:
    lo, hi = mults[0], mults[-1]
    head = ["engine", "operation", "side", *(f"{m:g}× ms" for m in mults), "÷floor @1×", f"{hi:g}×/{lo:g}×"]
    rows = [head]
    for (engine, op, side), by in sorted(out.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        base = out.get((engine, op, "floor"), {}).get(lo)
        vs_floor = f"{by[lo] / base:.1f}" if side != "floor" and base and lo in by else ""
        growth = f"{by[hi] / by[lo]:.2f}" if lo in by and hi in by and by[lo] else ""
        unit = 1000 if side == "total" else 1
        cells = [("failed" if by[m] != by[m] else f"{by[m] / unit:,.1f}") if m in by else "—" for m in mults]
        rows.append([engine, op, side, *cells, vs_floor, growth])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]

    def line(r: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return "\n".join(line(r) for r in rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scale", choices=("small", "full"), default="full")
    p.add_argument("--mults", default="1,2,4", help="caseload multipliers, comma-separated (default 1,2,4)")
    p.add_argument("--runs", type=int, default=5, help="runs per aggregate, the median reported (default 5)")
    p.add_argument("--budget", type=float, default=60.0, help="seconds per operation at most, past the warm-up")
    p.add_argument("--chain-issues", type=int, default=0, help="time chains of about this many issues (0: all)")
    p.add_argument("--neo4j", action="store_true", help="also on Neo4j (WENZE_NEO4J_URI…; clears that store)")
    p.add_argument("--no-embedded", action="store_true", help="only Neo4j")
    args = p.parse_args(argv)
    mults = sorted(float(m) for m in args.mults.split(","))
    backends = ([] if args.no_embedded else ["embedded"]) + (["neo4j"] if args.neo4j else [])
    out: Results = {}
    for backend in backends:
        for mult in mults:
            bench_one(backend, mult, args, out)
            print(table(out, mults), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
