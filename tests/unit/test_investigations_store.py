"""The saved-investigation store (api/investigations.py): per-owner, replace by name, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.investigations import MAX_STATE_CHARS, InvestigationRefused, SqliteInvestigationStore


def test_each_user_sees_only_their_own(tmp_path: Path) -> None:
    store = SqliteInvestigationStore(tmp_path / "inv.sqlite3")
    mine = store.save("zhang", "张伟案关系", {"elements": "[]", "asOf": "2023-02-15"}, notes="待核")
    store.save("li", "李娜", {"elements": "[1]"})
    assert [i.name for i in store.owned("zhang")] == ["张伟案关系"]
    assert store.get("zhang", mine.id) is not None
    assert store.get("zhang", mine.id).state == {"elements": "[]", "asOf": "2023-02-15"}  # type: ignore[union-attr]
    # Another user, the same id: nothing to read, nothing to delete.
    assert store.get("li", mine.id) is None
    assert store.delete("li", mine.id) is False
    assert store.get("zhang", mine.id) is not None
    assert store.delete("zhang", mine.id) is True and store.owned("zhang") == []


def test_saving_the_same_name_replaces_it(tmp_path: Path) -> None:
    store = SqliteInvestigationStore(tmp_path / "inv.sqlite3")
    first = store.save("zhang", "关系", {"v": 1})
    again = store.save("zhang", " 关系 ", {"v": 2}, notes="第二版")
    assert again.id == first.id and again.created == first.created and again.updated >= first.updated
    [only] = store.owned("zhang")
    assert only.state == {"v": 2} and only.notes == "第二版"
    # The file is kept: a new store object on the same path reads the same.
    assert SqliteInvestigationStore(tmp_path / "inv.sqlite3").owned("zhang")[0].state == {"v": 2}


def test_refusals_say_why(tmp_path: Path) -> None:
    store = SqliteInvestigationStore(tmp_path / "inv.sqlite3")
    with pytest.raises(InvestigationRefused, match="名称"):
        store.save("zhang", "  ", {})
    with pytest.raises(InvestigationRefused, match="过大"):
        store.save("zhang", "大", {"x": "字" * MAX_STATE_CHARS})
    assert store.owned("zhang") == []
