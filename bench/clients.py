"""Fifty users at once (issue 12 item 6): N clients mixing search, chain, official, fourForms and
neighbourhood for a fixed time against one real server, loopback only.

    python bench/clients.py --data-dir /tmp/full-demo            # 50 clients, 60 s, embedded full demo
    python bench/clients.py --data-dir /tmp/full-demo -c 20 -t 30
    python bench/clients.py --data-dir /tmp/full-demo --typename  # also: {__typename} p99 under the load

First each operation's one-client p50 (same server, same run), then the mixed load: requests per
second, p50/p95/p99 per operation, errors, the server's resident memory before and after, and each
operation's p50 under load as a multiple of its one-client p50 (goal: ≥ 100 req/s, p99 ≤ 1 s,
0 errors, no operation above 20×). ``--typename`` adds a client sending ``{ __typename }`` whose p99
shows whether a slow request delays a cheap one (issue 10: ≤ 50 ms).

The server runs without sign-in on loopback (every request is the local caller, still audited) and
with no rate limit, as bench/api.py does. The machine is shared: read medians and ratios.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path

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


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


OPS = ("search", "chain", "official+posts", "fourForms", "neighbourhood d2")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="an embedded store loaded with the demo")
    parser.add_argument("-c", "--clients", type=int, default=50)
    parser.add_argument("-t", "--seconds", type=float, default=60.0)
    parser.add_argument("--scale", default="full")
    parser.add_argument("--typename", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200:
        parser.error("--clients between 1 and 200 (a loopback benchmark, not a load generator)")

    store = open_store("embedded", args.data_dir)
    inputs = pick_inputs(store, args.scale)
    store.close()
    port = free_port()
    proc = start_server("embedded", args.data_dir, port)
    try:
        alone: dict[str, float] = {}
        probe = Client(port, {})
        calls = probe.operations(inputs, [])
        for op in OPS:
            calls[op]()  # warm
            times = []
            for _ in range(15):
                t0 = time.perf_counter()
                calls[op]()
                times.append((time.perf_counter() - t0) * 1000)
            alone[op] = statistics.median(times)
        rss_before = _rss_mb(proc.pid)

        samples: dict[str, list[float]] = {op: [] for op in OPS}
        errors: dict[str, int] = dict.fromkeys(OPS, 0)
        typename: list[float] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def worker(seed: int) -> None:
            client = Client(port, {})
            mine = client.operations(inputs, [])
            rnd = random.Random(seed)
            while time.monotonic() < stop:
                op = rnd.choice(OPS)
                t0 = time.perf_counter()
                try:
                    mine[op]()
                    ms = (time.perf_counter() - t0) * 1000
                    with lock:
                        samples[op].append(ms)
                except Exception:  # noqa: BLE001 - counted, the run goes on
                    with lock:
                        errors[op] += 1
            client.close()

        def cheap() -> None:
            client = Client(port, {})
            call = client.post("{ __typename }", {})
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                call()
                typename.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.05)
            client.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
        if args.typename:
            threads.append(threading.Thread(target=cheap))
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        rss_after = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    total = sum(len(v) for v in samples.values())
    print(f"{args.clients} clients, {elapsed:.0f} s, embedded, {args.scale} demo")
    print(
        f"{total / elapsed:.1f} req/s, {sum(errors.values())} errors; server RSS {rss_before:.0f} → {rss_after:.0f} MB"
    )
    print(f"{'operation':<18}{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'alone p50':>11}{'×alone':>8}{'errors':>8}")
    for op in OPS:
        v = samples[op]
        p50 = _pct(v, 0.5)
        print(
            f"{op:<18}{len(v):>7}{p50:>9.1f}{_pct(v, 0.95):>9.1f}{_pct(v, 0.99):>9.1f}"
            f"{alone[op]:>11.2f}{p50 / alone[op]:>8.1f}{errors[op]:>8}"
        )
    if args.typename:
        print(f"{{__typename}} under the load: n={len(typename)} p50 {_pct(typename, 0.5):.1f} ms, "
              f"p99 {_pct(typename, 0.99):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
