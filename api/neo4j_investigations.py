"""Saved investigations as Neo4j nodes beside the graph, shared by every app server of a deployment.

    store = Neo4jInvestigationStore("bolt://db:7687", "neo4j", "secret", "neo4j")
    store.save("zhang", "张伟案关系", {"elements": "[…]"})      # Investigation(id=…, owner='zhang', …)
    store.owned("zhang")

Like the accounts (api/auth/neo4j_accounts.py): the label ``_WenzeInvestigation`` is outside the
model (no ``Node`` label, no relationships), so the graph store's scans, counts, exports and ``clear``
never see it. A uniqueness constraint on the id and one on (owner, name) keep concurrent app servers
from making two of one name; a save is one write transaction (count, then create or replace). The
state is kept as its JSON text. Every query is parameterised. Same behaviour as the SQLite store
(api/investigations.py), checked by tests/contract/test_investigation_store.py.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import neo4j
from neo4j import exceptions as nx

from api.investigations import MAX_PER_USER, Investigation, InvestigationRefused, checked, too_many

LABEL = "_WenzeInvestigation"
_CONSTRAINTS = (
    f"CREATE CONSTRAINT wenze_investigation_id IF NOT EXISTS FOR (i:{LABEL}) REQUIRE i.id IS UNIQUE",
    f"CREATE CONSTRAINT wenze_investigation_name IF NOT EXISTS FOR (i:{LABEL}) REQUIRE (i.owner, i.name) IS UNIQUE",
)
_FIELDS = "i.id AS id, i.owner AS owner, i.name AS name, i.notes AS notes, i.state AS state, " + (
    "i.created AS created, i.updated AS updated"
)


def _item(r: Any) -> Investigation:
    return Investigation(r["id"], r["owner"], r["name"], r["notes"], json.loads(r["state"]), r["created"], r["updated"])


class Neo4jInvestigationStore:
    """``InvestigationStore`` over Neo4j (one driver; managed transactions)."""

    def __init__(self, uri: str, user: str, password: str, database: str) -> None:
        self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
        self._database = database
        try:
            for statement in _CONSTRAINTS:
                self._driver.execute_query(statement, database_=database)
        except (nx.Neo4jError, nx.DriverError) as e:
            self._driver.close()
            raise RuntimeError(f"the Neo4j investigation store at {uri} is unavailable: {e}") from e

    def _read(self, query: str, **params: Any) -> list[Any]:
        records, _, _ = self._driver.execute_query(
            query, params, database_=self._database, routing_=neo4j.RoutingControl.READ
        )
        return list(records)

    def save(self, owner: str, name: str, state: dict[str, Any], notes: str = "") -> Investigation:
        """Save (or, under a name the owner already uses, replace) one investigation."""
        name, text = checked(name, notes, state)
        now = time.time()

        def work(tx: neo4j.ManagedTransaction) -> Any:
            old = tx.run(
                f"MATCH (i:{LABEL} {{owner: $owner, name: $name}}) "
                "SET i.notes = $notes, i.state = $state, i.updated = $now RETURN " + _FIELDS,
                owner=owner,
                name=name,
                notes=notes,
                state=text,
                now=now,
            ).single()
            if old is not None:
                return old
            count = tx.run(f"MATCH (i:{LABEL} {{owner: $owner}}) RETURN count(i) AS n", owner=owner).single()
            if count is not None and count["n"] >= MAX_PER_USER:
                raise too_many()
            return tx.run(
                f"CREATE (i:{LABEL} {{id: $id, owner: $owner, name: $name, notes: $notes, state: $state, "
                "created: $now, updated: $now}) RETURN " + _FIELDS,
                id=uuid.uuid4().hex,
                owner=owner,
                name=name,
                notes=notes,
                state=text,
                now=now,
            ).single()

        with self._driver.session(database=self._database) as session:
            try:
                found = session.execute_write(work)
            except nx.ConstraintError:  # another server created that name meanwhile: replace it
                found = session.execute_write(work)
        if found is None:  # pragma: no cover - CREATE … RETURN always returns its row
            raise InvestigationRefused("保存失败。 The investigation could not be saved.")
        return _item(found)

    def owned(self, owner: str) -> list[Investigation]:
        """The owner's investigations, most recently saved first."""
        rows = self._read(
            f"MATCH (i:{LABEL} {{owner: $owner}}) RETURN {_FIELDS} ORDER BY i.updated DESC, i.name", owner=owner
        )
        return [_item(r) for r in rows]

    def get(self, owner: str, ident: str) -> Investigation | None:
        """One investigation of the owner's (None for an unknown id, or someone else's)."""
        rows = self._read(f"MATCH (i:{LABEL} {{owner: $owner, id: $id}}) RETURN {_FIELDS}", owner=owner, id=ident)
        return _item(rows[0]) if rows else None

    def delete(self, owner: str, ident: str) -> bool:
        """Delete one of the owner's investigations; False when there was none with that id."""
        records, _, _ = self._driver.execute_query(
            f"MATCH (i:{LABEL} {{owner: $owner, id: $id}}) DELETE i RETURN count(*) AS n",
            {"owner": owner, "id": ident},
            database_=self._database,
        )
        return bool(records and records[0]["n"] > 0)

    def close(self) -> None:
        self._driver.close()
