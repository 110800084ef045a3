"""The cost of sign-in, scope and audit (issue 11): the same queries with and without them, interleaved.

    python bench/api.py --trust              # runs this; the table is printed at the end

One server process on the loaded store serves three apps at once, each on its own loopback port
and all sharing the one store (and so its caches):

- bare:   ``WENZE_AUTH=off`` and an audit log that writes nothing (only this benchmark builds that:
          the server has no setting that turns the audit off);
- audit:  ``WENZE_AUTH=off``, every request audited (group commit, fdatasync before the answer);
- signed-in: authentication on; asked with an API token and with the session cookie of
          ``POST /auth/login``, as the county-level demonstration user ``inspector.chengguan``
          (城关区 620102): every request identified, scoped (once scope lands) and audited.

The client sends each operation to every side in turn, one request each, round after round
(the order rotating), so a noisy machine slows every side alike; p50s are medians of those
samples. "chain, each issue" gives each side its own slice of the issues (no side answers from a
cache another side warmed). The 8-client chain runs side after side, in 3 alternating rounds.

    python bench/trust.py DATA_DIR BACKEND PORT_BARE PORT_AUDIT PORT_SIGNED_IN   # the server itself
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
COUNTY_USER = "inspector.chengguan"  # a demonstration user (api/auth/commands.py)
COUNTY = "620102"  # 城关区
SIDES = ("bare", "audit", "token", "cookie")
Ops = dict[str, Callable[[], bytes]]


class _NoAudit:
    """The bare app's audit log: records nothing."""

    def quick(self) -> bool:  # nothing to write: no hop to a thread either
        return True

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        return record

    def event(self, event: str, user: str, **details: Any) -> dict[str, Any]:
        return {}


def _settings(data_dir: Path, backend: Any, **update: Any) -> Any:
    from api.settings import Settings

    extra: dict[str, Any] = {}
    if backend == "neo4j":
        extra = {
            "neo4j_uri": os.environ["WENZE_NEO4J_URI"],
            "neo4j_user": os.environ.get("WENZE_NEO4J_USER", "neo4j"),
            "neo4j_password": os.environ.get("WENZE_NEO4J_PASSWORD", ""),
            "neo4j_database": os.environ.get("WENZE_NEO4J_DATABASE", "neo4j"),
        }
    return Settings(data_dir=data_dir, backend=backend, rate_limit="1000000000/minute", **extra, **update)


def _audit_by(app: Any, audit: Any) -> Any:
    """The app, its requests recorded in ``audit`` (set once its lifespan has opened its own)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with inner(app):
            app.state.audit = audit
            yield

    app.router.lifespan_context = lifespan
    return app


def _serve(data_dir: Path, backend: str, ports: list[int]) -> None:
    """The server process: three apps on one store, one event loop (c=1: one request at a time)."""
    import uvicorn

    from api.app import create_app
    from api.audit.log import AuditLog
    from api.stores import open_store

    on = _settings(data_dir, backend, auth="on")
    off = on.model_copy(update={"auth": "off"})
    store = open_store(on)
    # One log for both audited apps, as a server has one: two logs on one folder would each find the
    # other's entries at every append and read HEAD again, a cost no server pays.
    shared = AuditLog.from_settings(on)
    apps = [
        _audit_by(create_app(off, store=store), _NoAudit()),
        _audit_by(create_app(off, store=store), shared),
        _audit_by(create_app(on, store=store), shared),
    ]
    servers = [
        uvicorn.Server(uvicorn.Config(a, host="127.0.0.1", port=p, log_level="warning", access_log=False))
        for a, p in zip(apps, ports, strict=True)
    ]

    async def main() -> None:
        await asyncio.gather(*(s.serve() for s in servers))

    asyncio.run(main())


def start(data_dir: Path, backend: str, ports: list[int]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(Path(__file__)), str(data_dir), backend, *map(str, ports)]
    proc = subprocess.Popen(args, env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    pending = list(ports)
    while pending and time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the trust benchmark's server exited ({proc.returncode}); run it by hand: {args}")
        try:
            # idle: the search index answering and its file written (GET /healthz, no sign-in needed)
            r = httpx.get(f"http://127.0.0.1:{pending[0]}/healthz", timeout=2)
            if r.status_code == 200 and r.json()["searchIndex"] == "ready":
                pending.pop(0)
                continue
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    if pending:
        proc.kill()
        raise RuntimeError("the trust benchmark's server did not start in time")
    return proc


def county_token(data_dir: Path, backend: str) -> str:
    """Make sure the demonstration users exist; a fresh API token of the county user."""
    from api.auth.commands import ensure_demo_users, open_accounts

    settings = _settings(data_dir, backend)
    ensure_demo_users(settings)
    with open_accounts(settings) as accounts:
        return accounts.create_token(COUNTY_USER, 1, actor="bench")


def county_cookie(port: int) -> str:
    from api.auth.commands import DEMO_PASSWORD

    url = f"http://127.0.0.1:{port}/auth/login"
    r = httpx.post(url, json={"login": COUNTY_USER, "password": DEMO_PASSWORD}, timeout=30)
    if r.status_code != 200:
        raise RuntimeError(f"sign-in as {COUNTY_USER} refused: {r.status_code} {r.text[:300]}")
    return f"wenze_session={r.cookies['wenze_session']}"


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def interleaved(sides: dict[str, Ops], iterations: int, budget_s: float) -> dict[str, dict[str, list[float]]]:
    """Samples in ms per side and operation: each round sends every operation once to every side."""
    names = list(sides)
    samples: dict[str, dict[str, list[float]]] = {s: {op: [] for op in ops} for s, ops in sides.items()}
    for op in next(iter(sides.values())):
        for s in names:
            sides[s][op]()  # warm
        started = time.perf_counter()
        for i in range(iterations):
            if i >= 5 and time.perf_counter() - started > budget_s * len(names):
                break
            for s in names[i % len(names) :] + names[: i % len(names)]:
                t0 = time.perf_counter()
                sides[s][op]()
                samples[s][op].append((time.perf_counter() - t0) * 1000)
    return samples


def together(
    calls: Mapping[str, Callable[[], Callable[[], bytes]]], clients: int, n: int
) -> dict[str, tuple[float, float, float]]:
    """(p50 ms, p99 ms, requests/s) per side of ``clients`` connections sending ``n`` requests each,
    sides one after the other in 3 alternating rounds. ``calls[side]()`` makes one connection's call."""
    pooled: dict[str, list[float]] = {s: [] for s in calls}
    seconds: dict[str, float] = dict.fromkeys(calls, 0.0)
    for round_ in range(3):
        for side in list(calls)[round_ % len(calls) :] + list(calls)[: round_ % len(calls)]:
            lock = threading.Lock()
            made = [calls[side]() for _ in range(clients)]
            for call in made:
                call()  # each connection open and warm

            def run(call: Callable[[], bytes], side: str = side, lock: threading.Lock = lock) -> None:
                mine = []
                for _ in range(n):
                    t0 = time.perf_counter()
                    call()
                    mine.append((time.perf_counter() - t0) * 1000)
                with lock:
                    pooled[side].extend(mine)

            threads = [threading.Thread(target=run, args=(c,)) for c in made]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds[side] += time.perf_counter() - t0
    return {s: (statistics.median(v), _p(v, 0.99), len(v) / seconds[s]) for s, v in pooled.items()}


def audit_summary(data_dir: Path, backend: str, user: str) -> str:
    """The audit log after the run: the chain verified; the user's requests and the groups they were written in."""
    from api.audit import load_key, read_entries, verify_log

    settings = _settings(data_dir, backend)
    report = verify_log(settings.audit_folder, load_key(settings.audit_key_path), settings.audit_algorithm)
    mine = [e for e in read_entries(settings.audit_folder, user=user) if e.get("type") == "request"]
    sizes: dict[str, int] = {}
    for e in mine:  # a group's entries share one clock reading
        sizes[e["time"]] = sizes.get(e["time"], 0) + 1
    shared = sum(1 for n in sizes.values() if n > 1)
    verdict = "intact" if report.ok else f"TAMPERED: {report.problems[:3]}"
    return (
        f"audit log: {report.entries} entries, chain {verdict} (wenze audit verify); {len(mine)} requests by "
        f"{user} in {len(sizes)} groups (one fdatasync each), {shared} groups of more than one, "
        f"largest {max(sizes.values(), default=0)}"
    )


def print_table(
    backend: str,
    raw: dict[str, float],
    samples: dict[str, dict[str, list[float]]],
    same: dict[str, bool],
    crowd: dict[str, tuple[float, float, float]],
    summary: str,
) -> None:
    print(
        f"\n[{backend}] p50 in ms, c=1, sides interleaved — bare: no sign-in, no audit; audit: no sign-in, "
        f"audited; token / cookie: {COUNTY_USER} signed in, scoped, audited"
    )
    head = " ".join(f"{c:>7}" for c in SIDES)
    print(f"{'operation':<18} {'raw':>7} {head} {'audit/bare':>10} {'token/bare':>10} {'cookie/bare':>11}  same answer")
    for op in raw:
        p = {s: statistics.median(samples[s][op]) for s in SIDES}
        ratios = f"{p['audit'] / p['bare']:9.2f}x {p['token'] / p['bare']:9.2f}x {p['cookie'] / p['bare']:10.2f}x"
        answer = "" if op not in same else ("yes" if same[op] else "no (scope)")
        n = len(samples["bare"][op])
        print(f"{op:<18} {raw[op]:7.2f} " + " ".join(f"{p[s]:7.2f}" for s in SIDES) + f" {ratios}  {answer} n={n}")
    print(f"\n{'chain, 8 clients':<18} " + " ".join(f"{c:>16}" for c in SIDES))
    print(f"{'  p50 / p99 ms':<18} " + " ".join(f"{crowd[s][0]:7.2f} /{crowd[s][1]:7.2f}" for s in SIDES))
    print(f"{'  requests/s':<18} " + " ".join(f"{crowd[s][2]:16.0f}" for s in SIDES))
    print(summary)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    _serve(Path(sys.argv[1]), sys.argv[2], [int(p) for p in sys.argv[3:6]])
