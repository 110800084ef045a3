"""The ``wenze`` command line (CONTRACT §2).

    wenze load PATH [--dry-run] [--encoding ENC]   validate and load a bundle into the configured store
    wenze export PATH                  write the whole graph as a bundle
    wenze demo [--scale small|full]    generate the Gansu 2023 demonstration data, load it and serve
    wenze serve [--host H] [--port P]  serve GraphQL at /graphql and the explorer at /
    wenze user … / token …             accounts (api/auth/commands.py)
    wenze audit verify | show          the audit log (api/audit/commands.py)
    wenze backup PATH                  a consistent copy of the embedded store, with a manifest
    wenze restore PATH                 put a backup in place of the embedded store

Exit codes: 0 done, 1 bundle rejected or unreadable (or bad account input), 2 store unavailable,
3 write failed, 4 the audit log could not be written, or backup or restore failed, 5 refused to serve
(see `serve`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from api.audit import AuditUnavailable, record_event
from api.audit import commands as audit_commands
from api.auth import commands as account_commands
from api.auth.accounts import BadAccountInput
from api.auth.store import AccountError
from api.settings import Settings
from api.stores import open_store
from graph.errors import GraphError, StoreInUse, StoreUnavailable, WriteFailed
from loaders import BundleRejected, BundleUnreadable, export_bundle, load


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _load(args: argparse.Namespace, settings: Settings) -> int:
    try:
        store = open_store(settings)
    except StoreInUse as held:
        return _load_through_server(args, settings, held)
    try:
        report = load(
            store,
            Path(args.path),
            dry_run=args.dry_run,
            on_write_start=lambda: _say("正在写入 writing …"),
            limits=settings.load_limits(),
            encoding=args.encoding,
        )
    except (BundleRejected, BundleUnreadable) as e:
        if not args.dry_run:
            record_event(
                settings, "load", account_commands.actor(), path=args.path, outcome="rejected", problem=str(e)[:500]
            )
        raise
    finally:
        store.close()
    if not args.dry_run:
        record_event(settings, "load", account_commands.actor(), path=args.path, outcome="ok", rows=report.rows)
    for source, encoding in report.encodings.items():
        _say(f"编码 encoding: {source} 按 read as {encoding.upper()}")
    verb = "检查通过 valid (dry run, nothing written)" if args.dry_run else "已载入 loaded"
    s = report.stats
    _say(
        f"{verb}: {report.rows} rows; nodes +{s.nodes_created} ~{s.nodes_updated}, "
        f"relationships +{s.rels_created} ~{s.rels_updated}; {report.rows_per_second:,.0f} rows/s"
    )
    return 0


def _load_through_server(args: argparse.Namespace, settings: Settings, held: StoreInUse) -> int:
    """A server holds the embedded store: the bundle goes to it (POST /admin/load), same checks and report."""
    from api.admin_load import ServerRefused, ServerUnreachable, send_bundle

    try:
        report = send_bundle(Path(args.path), settings, settings.token, args.dry_run, args.encoding)
    except ServerUnreachable as e:
        _say(f"存储不可用 store unavailable: {held}\n(and {e}, so the bundle could not go through a server)")
        return 2
    except ServerRefused as e:
        _say(f"服务拒绝 the server refused the load: {e}")
        return 1
    _say(f"存储正由服务使用，已经服务导入 the store is held by a server: the bundle went through {settings.server_url}")
    for source, encoding in report["encodings"].items():
        _say(f"编码 encoding: {source} 按 read as {encoding.upper()}")
    verb = "检查通过 valid (dry run, nothing written)" if args.dry_run else "已载入 loaded"
    s = report["stats"]
    _say(
        f"{verb} by the server: {report['rows']} rows; nodes +{s['nodes_created']} ~{s['nodes_updated']}, "
        f"relationships +{s['rels_created']} ~{s['rels_updated']}"
    )
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    try:
        written = export_bundle(store, Path(args.path))
    finally:
        store.close()
    record_event(settings, "export", account_commands.actor(), path=args.path, rows=sum(written.values()))
    _say(f"已导出 exported {sum(written.values())} rows in {len(written)} files to {args.path}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.auth.edge import serving_problem
    from api.auth.store import open_account_store
    from api.server import run

    accounts = open_account_store(settings)
    try:
        has_users = any(not u.disabled for u in accounts.users())
    finally:
        accounts.close()
    problem = serving_problem(settings, args.host, has_users)
    if problem is not None:
        _say(problem)
        return 5
    if settings.auth == "off":
        _say("注意 WENZE_AUTH=off: every local request gets full access (development only)")
    run(settings, host=args.host, port=args.port)
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from loaders.demo import generate

    t0 = time.perf_counter()
    tables = generate(args.scale)
    _say(f"生成 generated the {args.scale} Gansu 2023 demo in {time.perf_counter() - t0:.1f}s")
    store = open_store(settings)
    try:
        report = load(store, tables, on_write_start=lambda: _say("正在写入 writing …"))
    finally:
        store.close()
    _say(f"已载入 loaded {report.rows} rows in {report.write_seconds + report.validate_seconds:.1f}s")
    record_event(settings, "load", "demo", path=f"demo:{args.scale}", outcome="ok", rows=report.rows)
    created = account_commands.ensure_demo_users(settings)
    if created:
        _say(f"已创建演示用户 created {len(created)} demonstration users")
    _say(account_commands.demo_sign_in_help(args.host, args.port))
    if args.no_serve:
        return 0
    return _serve(args, settings)


_NEO4J_BACKUP = """\
With WENZE_BACKEND=neo4j the database is backed up by Neo4j's own tools, on the database server
(Community Edition: the database must be stopped; see the README, "Backup and restore"):
  neo4j stop
  neo4j-admin database dump {db} --to-path=/backups/wenze          # writes {db}.dump
  neo4j-admin database load {db} --from-path=/backups/wenze --overwrite-destination=true
  neo4j start"""


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    if settings.backend == "neo4j":
        _say(_NEO4J_BACKUP.format(db=settings.neo4j_database))
        return 2
    from graph.ladybug import LadybugStore
    from graph.ladybug.backup import backup

    try:
        store = LadybugStore(settings.data_dir)
    except StoreInUse as held:
        return _backup_through_server(args, settings, held)
    try:
        manifest = backup(store, Path(args.path))
    finally:
        store.close()
    _backup_done(args, manifest)
    return 0


def _backup_through_server(args: argparse.Namespace, settings: Settings, held: StoreInUse) -> int:
    """A server holds the embedded store: it writes the backup (POST /admin/backup), before or after any load."""
    from api.admin_backup import request_backup
    from api.admin_load import ServerRefused, ServerUnreachable

    try:
        manifest = request_backup(Path(args.path), settings, settings.token)
    except ServerUnreachable as e:
        _say(
            f"{held}\n备份未完成 no backup was made: while `wenze serve` holds the embedded store the backup has to "
            f"be made by the server itself, and {e} (with WENZE_TOKEN an admin's token)."
        )
        return 2
    except ServerRefused as e:
        _say(f"服务拒绝 the server refused the backup: {e}")
        return 4
    _say(f"存储正由服务使用，已由服务备份 the store is held by a server: {settings.server_url} made the backup")
    _backup_done(args, manifest)
    return 0


def _backup_done(args: argparse.Namespace, manifest: dict[str, Any]) -> None:
    nodes, edges = sum(manifest["counts"]["nodes"].values()), sum(manifest["counts"]["edges"].values())
    _say(
        f"已备份 backed up {nodes:,} nodes and {edges:,} relationships to {args.path} "
        f"({manifest['files']['graph.lbug']['bytes']:,} bytes, manifest.json)"
    )


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    if settings.backend == "neo4j":
        _say(_NEO4J_BACKUP.format(db=settings.neo4j_database))
        return 2
    from graph.ladybug.backup import restore

    report = restore(Path(args.path), settings.data_dir)
    nodes = sum(report.manifest["counts"]["nodes"].values())
    edges = sum(report.manifest["counts"]["edges"].values())
    kept = f"; the store it replaced is in {report.replaced}" if report.replaced else ""
    _say(
        f"已恢复 restored the backup of {report.manifest['created']} ({nodes:,} nodes, {edges:,} relationships, "
        f"checksums verified) into {settings.data_dir}{kept}"
    )
    return 0


def _add_backup_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="a consistent copy of the embedded store, with a manifest")
    p.add_argument("path", help="a new (or empty) folder for the backup")
    p.set_defaults(run=_backup)
    p = sub.add_parser("restore", help="put a backup in place of the embedded store (the old one is kept aside)")
    p.add_argument("path", help="a folder made by `wenze backup`")
    p.set_defaults(run=_restore)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wenze", description="问责: the rule-of-law accountability graph")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load", help="validate and load a bundle (folder, .zip or .xlsx)")
    p.add_argument("path")
    p.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    p.add_argument(
        "--encoding",
        metavar="ENC",
        help="the encoding of every CSV file (default: UTF-8, or GB18030 when a file is not UTF-8 "
        "and decodes cleanly as GB18030)",
    )
    p.set_defaults(run=_load)
    p = sub.add_parser("export", help="write the whole graph as a bundle folder")
    p.add_argument("path")
    p.set_defaults(run=_export)
    for name, run, helptext in (
        ("serve", _serve, "serve GraphQL and the explorer"),
        ("demo", _demo, "generate, load and serve the Gansu 2023 demo"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        if name == "demo":
            p.add_argument("--scale", choices=["small", "full"], default="small")
            p.add_argument("--no-serve", action="store_true", help="load only, do not serve")
        p.set_defaults(run=run)
    account_commands.add_commands(sub)
    audit_commands.add_commands(sub)
    _add_backup_commands(sub)
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        if hasattr(args, "accounts_run"):
            return account_commands.run_accounts_command(args.accounts_run, args, settings)
        return int(args.run(args, settings))
    except (AccountError, BadAccountInput) as e:
        _say(str(e))
        return 1
    except AuditUnavailable as e:
        _say(str(e))
        return 4
    except (BundleRejected, BundleUnreadable) as e:
        _say(str(e))
        return 1
    except StoreUnavailable as e:
        _say(f"store unavailable: {e}")
        return 2
    except WriteFailed as e:
        _say(str(e))
        return 3
    except GraphError as e:  # BackupFailed: a backup or a restore
        _say(str(e))
        return 4


if __name__ == "__main__":
    sys.exit(main())
