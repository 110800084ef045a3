"""Run the ``wenze`` command line in a child process that SIGKILLs itself at a chosen point of a write.

    python -m tests.contract.kill_at --when graph.lbug.wal:1048576 -- load bundle/
    python -m tests.contract.kill_at --when graph.lbug.shadow:0 -- load bundle/
    python -m tests.contract.kill_at --no-space-check -- load bundle/

``--when NAME:BYTES``: a thread watches ``$WENZE_DATA_DIR/NAME`` every 0.1 ms and kills the process
(SIGKILL, no clean-up) as soon as the file exists with at least BYTES bytes — while the engine writes
its log at COMMIT (the engine runs with the GIL released, so the watcher runs meanwhile), or once a
checkpoint has started. ``--no-space-check`` turns off the store's check of free space before a write,
as when the disk fills after the check (another program writing to it).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path


def _watch(path: Path, at_least: int) -> None:
    while True:
        try:
            if path.stat().st_size >= at_least:
                os.kill(os.getpid(), signal.SIGKILL)
        except FileNotFoundError:
            pass
        time.sleep(0.0001)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--when")
    parser.add_argument("--no-space-check", action="store_true")
    parser.add_argument("cli", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.no_space_check:
        import graph.ladybug.store

        graph.ladybug.store.check_space = lambda data_dir, batch: None  # type: ignore[assignment]
    if args.when:
        name, _, size = args.when.rpartition(":")
        target = Path(os.environ["WENZE_DATA_DIR"]) / name
        threading.Thread(target=_watch, args=(target, int(size)), daemon=True).start()
    from api.cli import main as cli

    cli_args = args.cli[1:] if args.cli[:1] == ["--"] else args.cli
    return cli(cli_args)


if __name__ == "__main__":
    sys.exit(main())
