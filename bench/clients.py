"""Many users at once against one real server, loopback only: issue 12's fifty and issue 10's twenty.

    python bench/clients.py --data-dir /tmp/full-demo                  # issue 12: 50 clients, 60 s
    python bench/clients.py --data-dir /tmp/full-demo --mix issue10    # issue 10: 20 clients + {__typename}
    python bench/clients.py --data-dir /tmp/full-demo -c 20 -t 20 --typename
    WENZE_NEO4J_URI=bolt://… python bench/clients.py --data-dir /tmp/n4 --backend neo4j --workers 2
                     # issue 12 on Neo4j: one app server, then two (each its own process) in the same run
    WENZE_STORE_THREADS=4 WENZE_SWITCH_INTERVAL_MS=5 python bench/clients.py …   # the server's settings

Mixes (``--mix``):

- ``issue12``: search, chain, official+posts, fourForms (a campaign), neighbourhood d2; 50 clients.
  Goal: ≥ 100 req/s, p99 ≤ 1 s, 0 errors, no operation's p50 above 20× its one-client p50.
- ``issue10``: fourForms (province, one year), chain, officials(nameContains), issues(filter) pages
  with totalCount; 20 clients, and the ``{ __typename }`` probe (goal: its p99 ≤ 50 ms, 0 errors).

First, one client alone: each operation's p50 and the CPU it costs per request — the server's, split
into its event loop's and its other threads' (lanes, the engine's threads, audit; from
/proc/<pid>/task) — and the client's. The mix's mean server CPU per request says how many
requests per second the machine's cores can serve at most (``cores / CPU per request``). Then the
mixed load: requests per second, p50/p95/p99 per operation, errors, each operation's p50 as a
multiple of its one-client p50, the server's resident memory before and after, the load average.

The clients run in ``--procs`` processes (threads within each), and the probe in a process of its
own, so the clients' own GIL does not stand in the figures for the server's. The server runs
without sign-in on loopback (every request is the local caller, still audited) and with no rate
limit, as bench/api.py does. The machine is shared: read medians and ratios, note the load.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import importlib.util  # noqa: E402

# bench/api.py's helpers (its name is the api package's, so it is loaded by path).
_spec = importlib.util.spec_from_file_location("bench_api", Path(__file__).with_name("api.py"))
assert _spec is not None and _spec.loader is not None
bench_api = importlib.util.module_from_spec(_spec)
sys.modules["bench_api"] = bench_api
_spec.loader.exec_module(bench_api)
Client, free_port, open_store, pick_inputs, start_server = (
    bench_api.Client, bench_api.free_port, bench_api.open_store, bench_api.pick_inputs, bench_api.start_server
)  # fmt: skip

YEAR = {"from": "2023-01-01", "to": "2023-12-31"}
FIG = "form1 form2 form3 form4 heldAccountable sanctioned transferredToDiscipline transferredToJudicial exposedCases"
ISSUE10 = {
    "fourForms province+year": (f"query($f: StatsFilter) {{ fourForms(filter: $f) {{ {FIG} }} }}", {"f": YEAR}),
    "chain": (bench_api.CHAIN, None),  # variables: the chosen issue
    "officials(nameContains)": (
        "query($t: String!) { officials(nameContains: $t, first: 20) { totalCount nodes { id name } } }",
        {"t": "张"},
    ),
    "issues(filter)": (
        """query($f: IssueFilter) { issues(filter: $f, first: 15) {
        totalCount nodes { id summary foundOn status organisation { id name } } } }""",
        {"f": {"regionId": "620100", **YEAR}},
    ),
}
MIXES = {
    "issue12": ("search", "chain", "official+posts", "fourForms", "neighbourhood d2"),
    "issue10": tuple(ISSUE10),
}
DEFAULT_CLIENTS = {"issue12": 50, "issue10": 20}
TYPENAME = "{ __typename }"


def operations(client: Any, mix: str, inputs: dict[str, str]) -> dict[str, Callable[[], bytes]]:
    """The mix's operations as calls on one client (one keep-alive connection)."""
    if mix == "issue12":
        calls = client.operations(inputs, [])
        return {op: calls[op] for op in MIXES[mix]}
    return {
        op: client.post(query, variables if variables is not None else {"id": inputs["issue"]})
        for op, (query, variables) in ISSUE10.items()
    }


# ---- the server's process, from /proc


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


_TICK = os.sysconf("SC_CLK_TCK")


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds the server's threads have used: the main thread's (the event loop) and the others'
    (request lanes, the engine's own threads, audit). Python 3.11 does not name OS threads, so the
    others are one sum."""
    out = {"loop": 0.0, "threads": 0.0}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        seconds = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
        out["loop" if task.name == str(pid) else "threads"] += seconds
    return out


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


# ---- clients (in child processes)


def _clients(ports: list[int], mix: str, inputs: dict[str, str], n: int, seed: int, stop: float, out: Any) -> None:
    samples: dict[str, list[float]] = {op: [] for op in MIXES[mix]}
    errors: dict[str, int] = dict.fromkeys(MIXES[mix], 0)
    first_error: list[str] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        client = Client(ports[(seed + k) % len(ports)], {})  # the clients spread over the app servers
        mine = operations(client, mix, inputs)
        rnd = random.Random(seed * 1000 + k)
        ops = list(mine)
        while time.time() < stop:
            op = rnd.choice(ops)
            t0 = time.perf_counter()
            try:
                mine[op]()
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    samples[op].append(ms)
            except Exception as e:  # noqa: BLE001 - counted, the run goes on
                with lock:
                    errors[op] += 1
                    if not first_error:
                        first_error.append(f"{op}: {e}"[:300])
        client.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.send((samples, errors, first_error, time.process_time()))
    out.close()


def _probe(port: int, stop: float, out: Any) -> None:
    client = Client(port, {})
    call = client.post(TYPENAME, {})
    times: list[float] = []
    errors = 0
    while time.time() < stop:
        t0 = time.perf_counter()
        try:
            call()
            times.append((time.perf_counter() - t0) * 1000)
        except Exception:  # noqa: BLE001
            errors += 1
        time.sleep(0.05)
    client.close()
    out.send((times, errors))
    out.close()


# ---- one client alone


def _warm(call: Callable[[], bytes], wait: float = 180.0) -> None:
    """One answer without errors (the search index's first build may still be running: ask again)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            call()
            return
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def alone(port: int, pid: int, calls: dict[str, Callable[[], bytes]], seconds: float) -> dict[str, dict[str, float]]:
    """Each operation by itself: p50 (ms), and CPU ms per request of the server (by thread) and the client."""
    found: dict[str, dict[str, float]] = {}
    for call in calls.values():
        _warm(call)
    time.sleep(2)  # what the first answers set going (the search index's first build) settles
    for op, call in calls.items():
        call()
        times: list[float] = []
        cpu0, mine0, t_end = thread_cpu(pid), time.process_time(), time.perf_counter() + seconds
        while len(times) < 15 or (time.perf_counter() < t_end and len(times) < 2000):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        cpu1, mine1, n = thread_cpu(pid), time.process_time(), len(times)
        found[op] = {"p50": statistics.median(times), "n": n, "client": (mine1 - mine0) * 1000 / n}
        for role in cpu0:
            found[op][role] = (cpu1[role] - cpu0[role]) * 1000 / n
    return found


@dataclass
class Load:
    """What one mixed run measured."""

    samples: dict[str, list[float]]
    errors: dict[str, int]
    first_errors: list[str]
    client_cpu: float
    typename: list[float]
    typename_errors: int
    elapsed: float

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.samples.values())


def mixed(ports: list[int], mix: str, inputs: dict[str, str], clients: int, seconds: float, procs: int,
          probe: bool) -> Load:  # fmt: skip
    """``clients`` clients (in ``procs`` processes) mixing the operations for ``seconds`` over ``ports``."""
    ctx = mp.get_context("fork")
    stop = time.time() + seconds
    procs = max(1, min(procs, clients))
    pipes, children = [], []
    for i in range(procs):
        share = clients // procs + (1 if i < clients % procs else 0)
        mine, theirs = ctx.Pipe(duplex=False)
        children.append(ctx.Process(target=_clients, args=(ports, mix, inputs, share, i, stop, theirs)))
        pipes.append(mine)
    if probe:
        probe_pipe, theirs = ctx.Pipe(duplex=False)
        children.append(ctx.Process(target=_probe, args=(ports[0], stop, theirs)))
    t0 = time.monotonic()
    for p in children:
        p.start()
    samples: dict[str, list[float]] = {op: [] for op in MIXES[mix]}
    errors: dict[str, int] = dict.fromkeys(MIXES[mix], 0)
    first_errors: list[str] = []
    client_cpu = 0.0
    for pipe in pipes:
        got, failed, first, cpu = pipe.recv()
        for op in samples:
            samples[op] += got[op]
            errors[op] += failed[op]
        first_errors += first
        client_cpu += cpu
    typename, typename_errors = probe_pipe.recv() if probe else ([], 0)
    for p in children:
        p.join()
    return Load(samples, errors, first_errors, client_cpu, typename, typename_errors, time.monotonic() - t0)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    stopping = time.monotonic()
    proc.terminate()
    try:
        proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        print(f"the server did not stop within {time.monotonic() - stopping:.0f} s of SIGTERM: killed")
        proc.kill()
        proc.wait(timeout=30)


def _table(load: Load, one: dict[str, dict[str, float]], probe: bool) -> None:
    print(f"{'operation':<26}{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'alone p50':>11}{'×alone':>8}{'errors':>8}")
    for op, v in load.samples.items():
        p50 = _pct(v, 0.5)
        print(
            f"{op:<26}{len(v):>7}{p50:>9.1f}{_pct(v, 0.95):>9.1f}{_pct(v, 0.99):>9.1f}"
            f"{one[op]['p50']:>11.2f}{p50 / one[op]['p50']:>8.1f}{load.errors[op]:>8}"
        )
    if probe:
        p50, base, t = _pct(load.typename, 0.5), one[TYPENAME]["p50"], load.typename
        print(f"{TYPENAME:<26}{len(t):>7}{p50:>9.1f}{_pct(t, 0.95):>9.1f}{_pct(t, 0.99):>9.1f}"
              f"{base:>11.2f}{p50 / base:>8.1f}{load.typename_errors:>8}   (the probe)")  # fmt: skip
    for line in load.first_errors[:3]:
        print(f"  first error: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="an embedded store loaded with the demo")
    parser.add_argument("--mix", choices=sorted(MIXES), default="issue12")
    parser.add_argument("-c", "--clients", type=int, help="default: 50 (issue12), 20 (issue10)")
    parser.add_argument("-t", "--seconds", type=float, default=60.0)
    parser.add_argument("--procs", type=int, default=4, help="client processes (the clients' threads spread over them)")
    parser.add_argument("--alone-seconds", type=float, default=2.0, help="time per operation with one client")
    parser.add_argument("--scale", default="full")
    parser.add_argument("--typename", action="store_true", help="the {__typename} probe (always on for issue10)")
    parser.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded",
                        help="neo4j: WENZE_NEO4J_URI etc. name a server loaded with the demo")  # fmt: skip
    parser.add_argument("--workers", type=int, default=1,
                        help="neo4j: after the run on one app server, the mix over this many (same run)")  # fmt: skip
    args = parser.parse_args()
    clients = args.clients or DEFAULT_CLIENTS[args.mix]
    probe = args.typename or args.mix == "issue10"
    if not 1 <= clients <= 200:
        parser.error("--clients between 1 and 200 (a loopback benchmark, not a load generator)")
    if args.workers != 1 and args.backend != "neo4j":
        parser.error("--workers needs --backend neo4j (the embedded engine admits one process)")
    if not 1 <= args.workers <= 4:
        parser.error("--workers between 1 and 4")

    store = open_store(args.backend, args.data_dir)
    inputs = pick_inputs(store, args.scale)
    store.close()
    port = free_port()
    load_before = os.getloadavg()
    proc = start_server(args.backend, args.data_dir, port)
    more: list[subprocess.Popen[bytes]] = []
    try:
        single = Client(port, {})
        calls = operations(single, args.mix, inputs)
        if probe:
            calls = {**calls, TYPENAME: single.post(TYPENAME, {})}
        one = alone(port, proc.pid, calls, args.alone_seconds)
        single.close()
        rss_before = _rss_mb(proc.pid)
        cpu0 = thread_cpu(proc.pid)
        load = mixed([port], args.mix, inputs, clients, args.seconds, args.procs, probe)
        cpu1 = thread_cpu(proc.pid)
        rss_after = _rss_mb(proc.pid)
        load_after = os.getloadavg()
        spread = None
        if args.workers > 1:
            ports = [port] + [free_port() for _ in range(args.workers - 1)]
            more = [start_server(args.backend, args.data_dir, p) for p in ports[1:]]
            for p in ports[1:]:
                warm = Client(p, {})
                for call in operations(warm, args.mix, inputs).values():
                    _warm(call)
                warm.close()
            spread = mixed(ports, args.mix, inputs, clients, args.seconds, args.procs, probe)
    finally:
        for server in [proc, *more]:
            _stop(server)

    env = {k: v for k, v in os.environ.items() if k in ("WENZE_STORE_THREADS", "WENZE_SWITCH_INTERVAL_MS")}
    elapsed, total = load.elapsed, load.total
    print(f"mix {args.mix}: {clients} clients in {max(1, min(args.procs, clients))} processes, {elapsed:.0f} s, "
          f"{args.backend}, {args.scale} demo{', ' + str(env) if env else ''}")  # fmt: skip
    print(f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min; {os.cpu_count()} cores)")
    print(
        f"{total / elapsed:.1f} req/s, {sum(load.errors.values())} errors; "
        f"server RSS {rss_before:.0f} → {rss_after:.0f} MB"
    )
    _table(load, one, probe)
    if spread is not None:
        rate, rate_one = spread.total / spread.elapsed, total / elapsed
        print(f"\nthe same mix over {args.workers} app servers on one Neo4j: {rate:.1f} req/s = "
              f"{rate / rate_one:.2f}× one server's {rate_one:.1f} (goal ≥ 1.7× for two), "
              f"{sum(spread.errors.values())} errors; load average {os.getloadavg()[0]:.2f} after")  # fmt: skip
        _table(spread, one, probe)

    print("\nCPU ms per request, one client alone (the server's event loop, its other threads; the client):")
    print(f"{'operation':<26}{'n':>6}{'loop':>8}{'threads':>9}{'server':>8}{'client':>8}")
    for op, f in one.items():
        server = f["loop"] + f["threads"]
        print(f"{op:<26}{f['n']:>6.0f}{f['loop']:>8.2f}{f['threads']:>9.2f}{server:>8.2f}{f['client']:>8.2f}")
    mean_server = statistics.mean(one[op]["loop"] + one[op]["threads"] for op in MIXES[args.mix])
    mean_client = statistics.mean(one[op]["client"] for op in MIXES[args.mix])
    cores = os.cpu_count() or 1
    print(
        f"the mix (equal shares): server {mean_server:.2f} ms CPU/request → at most {cores * 1000 / mean_server:.0f} "
        f"req/s on {cores} cores with nothing else running; with the clients' {mean_client:.2f} ms on the same "
        f"cores, {cores * 1000 / (mean_server + mean_client):.0f} req/s"
    )
    used = {role: cpu1[role] - cpu0[role] for role in cpu0}
    print(
        f"under the load the server used {sum(used.values()) / elapsed:.2f} cores (loop {used['loop'] / elapsed:.2f}, "
        f"other threads {used['threads'] / elapsed:.2f}), "
        f"{sum(used.values()) * 1000 / max(total, 1):.2f} ms CPU/request; "
        f"the clients {load.client_cpu / elapsed:.2f} cores"
    )


if __name__ == "__main__":
    main()
