"""The embedded account store keeps identity lookups in memory (api/auth/sqlite_store.py), and a change
made by another process — ``wenze user disable``, ``token revoke``, ``user grant`` — still takes effect
on the very next request. The "server" and the "CLI" here are two connections to one file, as in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.audit.log import AuditLog
from api.auth.accounts import Accounts, Policy
from api.auth.sqlite_store import SqliteAccountStore

PASSWORD = "Gansu-2023"


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Accounts, Accounts]]:
    audit = AuditLog(tmp_path / "audit", b"k" * 32)
    server = SqliteAccountStore(tmp_path / "accounts.sqlite3")
    cli = SqliteAccountStore(tmp_path / "accounts.sqlite3")
    yield Accounts(server, Policy(), audit), Accounts(cli, Policy(), audit)
    server.close()
    cli.close()


def _count_queries(store: SqliteAccountStore) -> list[str]:
    seen: list[str] = []
    store._db.set_trace_callback(seen.append)
    return seen


def test_lookups_come_from_memory_until_the_file_changes(two: tuple[Accounts, Accounts]) -> None:
    server, cli = two
    cli.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    token = cli.create_token("zhang", 30, actor="t")
    seen = _count_queries(server.store)  # type: ignore[arg-type]
    for _ in range(5):
        assert server.caller_for_token(token) is not None
    joins = [q for q in seen if "JOIN users" in q]
    assert len(joins) == 1 and sum("data_version" in q for q in seen) == 5
    cli.grant("zhang", "620102", actor="t")  # another connection commits: memory is dropped
    caller = server.caller_for_token(token)
    assert caller is not None and caller.regions == frozenset({"620100", "620102"})
    assert len([q for q in seen if "JOIN users" in q]) == 2


def test_disable_from_another_process_ends_sessions_and_tokens_at_once(two: tuple[Accounts, Accounts]) -> None:
    server, cli = two
    cli.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    token = cli.create_token("zhang", 30, actor="t")
    value, _ = server.sign_in("zhang", PASSWORD, None, "10.0.0.5")
    for _ in range(3):  # remembered by the server
        assert server.caller_for_token(token) is not None
        assert server.caller_for_session(value) is not None
    assert cli.disable("zhang", actor="t") == 1
    assert server.caller_for_session(value) is None
    assert server.caller_for_token(token) is None
    cli.enable("zhang", actor="t")
    assert server.caller_for_token(token) is not None
    assert server.caller_for_session(value) is None  # an ended session stays ended


def test_a_token_revoked_elsewhere_stops_and_own_writes_are_seen(two: tuple[Accounts, Accounts]) -> None:
    server, cli = two
    cli.add_user("zhang", "张三", ["inspector"], ["620100"], PASSWORD, actor="t")
    token = cli.create_token("zhang", 30, actor="t")
    assert server.caller_for_token(token) is not None
    cli.revoke_token(token.split("_")[1], actor="t")
    assert server.caller_for_token(token) is None
    # This connection's own writes do not move its data_version: they empty the memory themselves.
    value, _ = server.sign_in("zhang", PASSWORD, None, "")
    assert server.caller_for_session(value) is not None
    server.sign_out(value, actor="zhang")
    assert server.caller_for_session(value) is None
    other = server.create_token("zhang", 30, actor="t")
    assert server.caller_for_token(other) is not None
    server.disable("zhang", actor="t")
    assert server.caller_for_token(other) is None
