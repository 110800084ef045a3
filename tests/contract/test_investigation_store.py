"""One suite for both investigation stores (api/investigations.py): the SQLite file and Neo4j nodes
(api/neo4j_investigations.py). On Neo4j, two store objects stand for two app servers on one database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from api.investigations import MAX_STATE_CHARS, InvestigationRefused, InvestigationStore, SqliteInvestigationStore
from tests.contract.conftest import neo4j_settings

Opener = Callable[[], InvestigationStore]


def _wipe(cfg: dict[str, str]) -> None:
    import neo4j

    from api.neo4j_investigations import LABEL

    with neo4j.GraphDatabase.driver(cfg["uri"], auth=(cfg["user"], cfg["password"])) as driver:
        driver.execute_query(f"MATCH (i:{LABEL}) DELETE i", database_=cfg["database"])


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    if request.param == "embedded":
        yield lambda: SqliteInvestigationStore(tmp_path / "inv.sqlite3")
        return
    cfg = neo4j_settings()
    if cfg is None:
        pytest.skip("WENZE_NEO4J_URI is not set (start one with scripts/neo4j-dev start)")
    from api.neo4j_investigations import Neo4jInvestigationStore

    _wipe(cfg)
    opened: list[Neo4jInvestigationStore] = []

    def new() -> InvestigationStore:
        opened.append(Neo4jInvestigationStore(cfg["uri"], cfg["user"], cfg["password"], cfg["database"]))
        return opened[-1]

    yield new
    for s in opened:
        s.close()
    _wipe(cfg)


def test_each_user_sees_only_their_own(opener: Opener) -> None:
    store = opener()
    mine = store.save("zhang", "张伟案关系", {"elements": "[]", "asOf": "2023-02-15"}, notes="待核")
    store.save("li", "李娜", {"elements": "[1]"})
    assert [i.name for i in store.owned("zhang")] == ["张伟案关系"]
    got = store.get("zhang", mine.id)
    assert got is not None and got.state == {"elements": "[]", "asOf": "2023-02-15"} and got.notes == "待核"
    # Another user, the same id: nothing to read, nothing to delete.
    assert store.get("li", mine.id) is None
    assert store.delete("li", mine.id) is False
    assert store.get("zhang", mine.id) is not None
    assert store.delete("zhang", mine.id) is True and store.owned("zhang") == []
    assert store.delete("zhang", mine.id) is False


def test_saving_the_same_name_replaces_it_and_another_server_sees_it(opener: Opener) -> None:
    store = opener()
    first = store.save("zhang", "关系", {"v": 1})
    again = store.save("zhang", " 关系 ", {"v": 2}, notes="第二版")
    assert again.id == first.id and again.created == first.created and again.updated >= first.updated
    [only] = store.owned("zhang")
    assert only.state == {"v": 2} and only.notes == "第二版"
    # A second store object (another app server on the same file or database) reads and replaces the same.
    other = opener()
    assert other.owned("zhang")[0].state == {"v": 2}
    third = other.save("zhang", "关系", {"v": 3})
    assert third.id == first.id and store.get("zhang", first.id).state == {"v": 3}  # type: ignore[union-attr]
    newer = other.save("zhang", "另一个", {"v": 0})
    assert [i.id for i in store.owned("zhang")] == [newer.id, first.id]  # most recently saved first


def test_refusals_say_why(opener: Opener) -> None:
    store = opener()
    with pytest.raises(InvestigationRefused, match="名称"):
        store.save("zhang", "  ", {})
    with pytest.raises(InvestigationRefused, match="过大"):
        store.save("zhang", "大", {"x": "字" * MAX_STATE_CHARS})
    assert store.owned("zhang") == []
