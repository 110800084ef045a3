"""Restart: time from ``wenze serve``'s process start to its first answer, on a store already loaded.

    python bench/restart.py --data-dir /tmp/full        # the full demo (wenze demo --scale full --no-serve)
    python bench/restart.py --data-dir /tmp/full --repeat 5 --port 8765

For each of ``--repeat`` restarts it starts ``python -m api.cli serve`` on the store (its own
process, as an operator would), and asks over HTTP, as the demonstration user
``inspector.province`` with an API token, again and again until an answer with data comes:

- **plain**: ``{ official(id: …) { name } }`` (the answer checked against the store);
- **search**: ``{ search(text: <that official's name>, first: 5) { id } }`` (the official among them);

each in its own restart, so one does not warm the other. Then once more for a search with the
persisted search index removed first (graph/search_file.py): the cost of a fresh build,
which the persisted index saves. Prints the medians (goal: ≤ 3 s), the load average before and
after, and the server's own log lines about the search index.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

USER = "inspector.province"


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(WENZE_DATA_DIR=str(data_dir), WENZE_BACKEND="embedded", PYTHONPATH=str(ROOT))
    return env


def prepare(data_dir: Path) -> tuple[str, str, str]:
    """(token, an official's id, its name): read from the store before any server holds it."""
    from api.auth.commands import ensure_demo_users, open_accounts
    from api.settings import Settings
    from graph.ladybug import LadybugStore

    os.environ.update(WENZE_DATA_DIR=str(data_dir), WENZE_BACKEND="embedded")
    settings = Settings()
    ensure_demo_users(settings)
    with open_accounts(settings) as accounts:
        token = accounts.create_token(USER, 1, actor="bench")
    store = LadybugStore(data_dir)
    try:
        table = next(store.scan_nodes("Official", ["name"]))
        row = table.slice(table.num_rows // 2, 1).to_pylist()[0]
    finally:
        store.close()
    return token, str(row["id"]), str(row["name"])


def _ask(port: int, token: str, query: str) -> dict[str, object] | None:
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=body,
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answer: dict[str, object] = json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None  # not listening yet
    return answer


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (every thread): what a busy machine changes least."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _not_ready(answer: dict[str, object]) -> bool:
    """A search asked while the index's first build runs longer than the request may wait (TIMEOUT)."""
    errors = answer.get("errors")
    return isinstance(errors, list) and any(e.get("extensions", {}).get("code") == "TIMEOUT" for e in errors)


def first_answer(
    data_dir: Path, port: int, token: str, query: str, log: Path, linger_until: str = ""
) -> tuple[float, float, dict[str, object]]:
    """Seconds from the server's process start to a data answer to ``query``, the CPU seconds the
    server used until then, and that answer;
    ``linger_until``: keep the server running until its log says that (then stop it)."""
    with log.open("w") as errors:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            env=_env(data_dir),
            cwd=str(ROOT),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"the server exited ({proc.returncode}): {log.read_text()[-2000:]}")
                answer = _ask(port, token, query)
                if answer is not None and not _not_ready(answer):
                    if answer.get("errors") or not answer.get("data"):
                        raise RuntimeError(f"{query} answered {str(answer)[:500]}")
                    seconds, cpu = time.perf_counter() - t0, _cpu_seconds(proc.pid)
                    deadline = time.monotonic() + 600
                    while linger_until and linger_until not in log.read_text() and time.monotonic() < deadline:
                        time.sleep(0.2)
                    return seconds, cpu, answer
                time.sleep(0.02)
        finally:
            proc.terminate()
            proc.wait(30)


def _search_lines(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [line.strip() for line in log.read_text().splitlines() if "search index" in line]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, required=True, help="a loaded embedded store (wenze demo --no-serve)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--port", type=int, default=8791)
    ap.add_argument("--keep-index", action="store_true", help="skip the fresh build (keep the index file)")
    args = ap.parse_args()
    from graph.search_file import FILE_NAME

    token, official, name = prepare(args.data_dir)
    plain = f'{{ official(id: "{official}") {{ name }} }}'
    search = f'{{ search(text: "{name}", first: 5) {{ id }} }}'
    load_before = os.getloadavg()
    logs = Path(tempfile.mkdtemp(prefix="wenze-restart-"))
    persisted = args.data_dir / FILE_NAME

    fresh_log = logs / "fresh.log"
    fresh = fresh_cpu = float("nan")
    if not args.keep_index or not persisted.exists():
        persisted.unlink(missing_ok=True)
        fresh, fresh_cpu, answer = first_answer(
            args.data_dir, args.port, token, search, fresh_log, linger_until="search index saved"
        )
        assert {"id": official} in answer["data"]["search"], answer  # type: ignore[index]
    times: dict[str, list[float]] = {"plain": [], "search": []}
    cpus: dict[str, list[float]] = {"plain": [], "search": []}
    for i in range(args.repeat):
        for what, query in (("plain", plain), ("search", search)):
            seconds, cpu, answer = first_answer(args.data_dir, args.port, token, query, logs / f"{what}-{i}.log")
            if what == "plain":
                assert answer["data"] == {"official": {"name": name}}, answer
            else:
                assert {"id": official} in answer["data"]["search"], answer  # type: ignore[index]
            times[what].append(seconds)
            cpus[what].append(cpu)
    load_after = os.getloadavg()
    med = statistics.median
    print(f"restart of `wenze serve` on {args.data_dir}: seconds from process start to the first answer")
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f}"
    )
    for what in ("plain", "search"):
        runs = ", ".join(f"{t:.2f}" for t in times[what])
        print(
            f"{what:<8} median {med(times[what]):5.2f} s of {args.repeat} ({runs})  goal <= 3 s; "
            f"server CPU until then {med(cpus[what]):.2f} s"
        )
    print(
        f"search with no persisted index (a fresh build): {fresh:.2f} s = {fresh / med(times['search']):.1f}x; "
        f"server CPU {fresh_cpu:.2f} s = {fresh_cpu / med(cpus['search']):.1f}x"
    )
    for line in _search_lines(fresh_log)[-1:] + _search_lines(logs / "search-0.log")[-1:]:
        print("  server:", line[-160:])


if __name__ == "__main__":
    main()
