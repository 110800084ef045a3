"""One suite for every ``AccountStore`` (api/auth/store.py): the embedded SQLite file and Neo4j nodes.

Also: the account data stay out of the graph — the graph store's counts and exports never see
them; on Neo4j, ``Neo4jStore.clear()`` *does* remove them today (an expected failure, for the lead:
clear() matches every node, not only ``Node``-labelled ones).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.auth.store import AccountExists, AccountStore, Session, Token, User
from tests.contract.conftest import neo4j_settings


def _wipe_neo4j_accounts(cfg: dict[str, str]) -> None:
    import neo4j

    with neo4j.GraphDatabase.driver(cfg["uri"], auth=(cfg["user"], cfg["password"])) as driver:
        driver.execute_query(
            "MATCH (n) WHERE n:_WenzeUser OR n:_WenzeSession OR n:_WenzeToken DETACH DELETE n",
            database_=cfg["database"],
        )


def _open(backend: str, tmp_path: Path) -> AccountStore:
    if backend == "embedded":
        from api.auth.sqlite_store import SqliteAccountStore

        return SqliteAccountStore(tmp_path / "accounts.sqlite3")
    cfg = neo4j_settings()
    if cfg is None:
        pytest.skip("WENZE_NEO4J_URI is not set (start one with scripts/neo4j-dev start)")
    from api.auth.neo4j_accounts import Neo4jAccountStore

    _wipe_neo4j_accounts(cfg)
    return Neo4jAccountStore(cfg["uri"], cfg["user"], cfg["password"], cfg["database"])


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def accounts(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AccountStore]:
    store = _open(request.param, tmp_path)
    yield store
    store.close()


def _user(login: str = "zhang", **kw: Any) -> User:
    fields: dict[str, Any] = {"roles": ("inspector",), "regions": ("620100",), **kw}
    return User(id=f"id-{login}", login=login, name="张三", password_hash="$argon2id$x", created=1.0, **fields)


def test_users_are_added_found_and_listed(accounts: AccountStore) -> None:
    accounts.add_user(_user("zhang"))
    accounts.add_user(_user("an", roles=("personnel", "auditor"), regions=("620000", "620102")))
    with pytest.raises(AccountExists):
        accounts.add_user(_user("zhang"))
    with pytest.raises(AccountExists):  # same login, another id
        accounts.add_user(User(id="other", login="zhang", name="x", roles=("auditor",)))
    found = accounts.user_by_login("an")
    assert found == _user("an", roles=("personnel", "auditor"), regions=("620000", "620102"))
    assert accounts.user_by_id("id-zhang") == _user("zhang")
    assert accounts.user_by_login("nobody") is None and accounts.user_by_id("nobody") is None
    assert [u.login for u in accounts.users()] == ["an", "zhang"]


def test_user_fields_change(accounts: AccountStore) -> None:
    accounts.add_user(_user())
    accounts.set_disabled("id-zhang", True)
    accounts.set_regions("id-zhang", ("620102", "620103"))
    accounts.set_password_hash("id-zhang", "$argon2id$new", 5.0)
    accounts.set_totp_secret("id-zhang", "JBSWY3DPEHPK3PXP")
    u = accounts.user_by_login("zhang")
    assert u is not None
    assert (u.disabled, u.regions, u.password_hash, u.password_changed, u.totp_secret) == (
        True,
        ("620102", "620103"),
        "$argon2id$new",
        5.0,
        "JBSWY3DPEHPK3PXP",
    )


def test_failures_lock_on_the_limit_atomically(accounts: AccountStore) -> None:
    accounts.add_user(_user())
    for expected in (1, 2, 3, 4):
        after = accounts.note_failed_sign_in("id-zhang", 100.0, 5, 1800.0)
        assert (after.failed_sign_ins, after.locked_until) == (expected, 0.0)
    after = accounts.note_failed_sign_in("id-zhang", 100.0, 5, 1800.0)
    assert (after.failed_sign_ins, after.locked_until) == (0, 1900.0)
    accounts.note_sign_in("id-zhang")
    u = accounts.user_by_login("zhang")
    assert u is not None and (u.failed_sign_ins, u.locked_until) == (0, 0.0)
    # Ten app-server threads fail at once: exactly two lock-outs' worth, no lost update.
    results: list[User] = []
    threads = [
        threading.Thread(target=lambda: results.append(accounts.note_failed_sign_in("id-zhang", 200.0, 5, 1800.0)))
        for _ in range(10)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.failed_sign_ins for r in results) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_totp_steps_only_move_forward(accounts: AccountStore) -> None:
    accounts.add_user(_user())
    accounts.set_totp_secret("id-zhang", "JBSWY3DPEHPK3PXP")
    assert accounts.advance_totp_step("id-zhang", 1000) is True
    assert accounts.advance_totp_step("id-zhang", 1000) is False  # replay
    assert accounts.advance_totp_step("id-zhang", 999) is False
    assert accounts.advance_totp_step("id-zhang", 1001) is True
    accounts.set_totp_secret("id-zhang", "KRSXG5CTMVRXEZLU")  # re-enrolled: steps start over
    assert accounts.advance_totp_step("id-zhang", 5) is True


def test_sessions(accounts: AccountStore) -> None:
    accounts.add_user(_user("zhang"))
    accounts.add_user(_user("li"))
    for h, uid, created in (("h1", "id-zhang", 10.0), ("h2", "id-zhang", 20.0), ("h3", "id-li", 30.0)):
        accounts.add_session(Session(h, uid, created, created, "password", "10.0.0.1"))
    found = accounts.session_with_user("h1")
    assert found is not None
    assert found[0] == Session("h1", "id-zhang", 10.0, 10.0, "password", "10.0.0.1") and found[1].login == "zhang"
    accounts.touch_session("h1", 15.0)
    assert accounts.session_with_user("h1")[0].last_seen == 15.0  # type: ignore[index]
    assert accounts.session_with_user("nope") is None
    assert accounts.delete_sessions_of("id-zhang") == 2
    assert accounts.session_with_user("h1") is None and accounts.session_with_user("h3") is not None
    accounts.add_session(Session("h4", "id-li", 100.0, 100.0, "password", ""))
    assert accounts.delete_sessions_before(created_before=50.0, seen_before=0.0) == 1  # h3
    accounts.delete_session("h4")
    assert accounts.session_with_user("h4") is None


def test_tokens(accounts: AccountStore) -> None:
    accounts.add_user(_user())
    accounts.add_token(Token("t1", "id-zhang", "sha1", 1.0, 100.0, False, "ci"))
    accounts.add_token(Token("t2", "id-zhang", "sha2", 2.0, 200.0))
    found = accounts.token_with_user("t1")
    assert found is not None and found[0] == Token("t1", "id-zhang", "sha1", 1.0, 100.0, False, "ci")
    assert found[1].login == "zhang"
    assert [t.id for t in accounts.tokens_of("id-zhang")] == ["t1", "t2"]
    assert accounts.revoke_token("t1") is True and accounts.revoke_token("t1") is False
    assert accounts.revoke_token("nope") is False
    assert accounts.token_with_user("t1")[0].revoked is True  # type: ignore[index]
    assert accounts.token_with_user("nope") is None


@pytest.mark.neo4j
def test_the_neo4j_graph_store_never_counts_or_exports_account_nodes(tmp_path: Path) -> None:
    from graph.neo4j import Neo4jStore
    from loaders import export_bundle

    accounts = _open("neo4j", tmp_path)
    cfg = neo4j_settings()
    assert cfg is not None
    graph = Neo4jStore(**cfg)
    try:
        graph.clear()
        accounts.add_user(_user("zhang.secret"))
        accounts.add_session(Session("h1", "id-zhang.secret", 1.0, 1.0, "password", ""))
        accounts.add_token(Token("t1", "id-zhang.secret", "sha", 1.0, 2.0))
        assert graph.count_nodes(None) == 0 and graph.count_edges(None) == 0
        written = export_bundle(graph, tmp_path / "export")
        assert sum(written.values()) == 0
        texts = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "export").rglob("*") if p.is_file())
        assert "zhang.secret" not in texts
    finally:
        graph.close()
        accounts.close()


@pytest.mark.neo4j
def test_the_neo4j_graph_store_clear_keeps_account_nodes(tmp_path: Path) -> None:
    from graph.neo4j import Neo4jStore

    accounts = _open("neo4j", tmp_path)
    cfg = neo4j_settings()
    assert cfg is not None
    graph = Neo4jStore(**cfg)
    try:
        accounts.add_user(_user("survivor"))
        graph.clear()
        assert accounts.user_by_login("survivor") is not None
    finally:
        graph.close()
        accounts.close()


def test_the_embedded_graph_store_clear_keeps_accounts(tmp_path: Path) -> None:
    from graph.ladybug import LadybugStore

    accounts = _open("embedded", tmp_path)
    graph = LadybugStore(tmp_path)  # the same data dir, as `wenze serve` uses it
    try:
        accounts.add_user(_user("survivor"))
        graph.clear()
        assert accounts.user_by_login("survivor") is not None
        assert graph.count_nodes(None) == 0
    finally:
        graph.close()
        accounts.close()
