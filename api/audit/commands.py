"""``wenze audit verify`` and ``wenze audit show`` (CONTRACT §4).

    wenze audit verify                 # exit 0: the chain is intact; 1: printed problems
    wenze audit show --user zhang --node OFF-1 --from 2024-05-01 --to 2024-05-31   # JSON Lines on stdout

Both read the folder and key of the settings (WENZE_AUDIT_DIR, WENZE_AUDIT_KEY_FILE); neither
writes to the log, so they run beside a serving ``wenze serve``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from api.audit.chain import AuditKeyError, load_key
from api.audit.verify import read_entries, verify_log
from api.settings import Settings


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    try:
        key = load_key(settings.audit_key_path, create=False)
    except (OSError, AuditKeyError) as e:
        print(f"审计密钥不可用 cannot read the audit key: {e}", file=sys.stderr)
        return 1
    report = verify_log(settings.audit_folder, key, settings.audit_algorithm, settings.audit_retention_days)
    for problem in report.problems:
        print(problem)
    verdict = "完好 intact" if report.ok else f"已被篡改 TAMPERED: {len(report.problems)} problem(s)"
    print(
        f"audit log {settings.audit_folder}: {report.entries} entries in {report.files} file(s), "
        f"{report.checkpoints} checkpoints — {verdict}",
        file=sys.stderr,
    )
    return 0 if report.ok else 1


def _show(args: argparse.Namespace, settings: Settings) -> int:
    try:
        start = date.fromisoformat(args.start) if args.start else None
        end = date.fromisoformat(args.end) if args.end else None
    except ValueError:
        print("--from and --to take dates as YYYY-MM-DD", file=sys.stderr)
        return 1
    shown = 0
    for entry in read_entries(settings.audit_folder, args.user, args.node, start, end):
        print(json.dumps(entry, ensure_ascii=False, sort_keys=True))
        shown += 1
    print(f"{shown} entries", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="check or read the audit log")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    commands.add_parser("verify", help="check the chain (non-zero exit when tampered)").set_defaults(run=_verify)
    p = commands.add_parser("show", help="print entries as JSON Lines")
    p.add_argument("--user", help="entries by or about this login")
    p.add_argument("--node", help="entries whose answer held this node id")
    p.add_argument("--from", dest="start", help="from this day (YYYY-MM-DD, UTC)")
    p.add_argument("--to", dest="end", help="to this day (YYYY-MM-DD, UTC)")
    p.set_defaults(run=_show)
