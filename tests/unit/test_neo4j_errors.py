"""Driver exceptions become graph errors whose messages say what to check (graph.neo4j.errors); no server needed."""

from __future__ import annotations

import neo4j.exceptions as nx
import pytest

from graph.errors import QueryFailed, StoreUnavailable, WriteFailed
from graph.neo4j import Neo4jStore
from graph.neo4j.errors import Rejected, neo4j_errors

URI = "bolt://localhost:1"


def raised(action: str, error: Exception, **kwargs: object) -> Exception:
    with pytest.raises(Exception) as caught:
        with neo4j_errors(action, URI, "neo4j", **kwargs):  # type: ignore[arg-type]
            raise error
    return caught.value


def test_each_action_maps_an_unreachable_server():
    read = raised("read", nx.ServiceUnavailable("no route"), query="MATCH (n) RETURN n")
    assert isinstance(read, StoreUnavailable) and "unreachable" in str(read) and "WENZE_NEO4J_URI" in str(read)
    write = raised("write", nx.SessionExpired("gone"), rows=3)
    assert isinstance(write, StoreUnavailable) and "load again" in str(write)
    clear = raised("clear", nx.ServiceUnavailable("no route"))
    assert isinstance(clear, WriteFailed) and "clear it again" in str(clear)
    assert isinstance(read.__cause__, nx.ServiceUnavailable)


def test_other_errors_by_action():
    read = raised("read", nx.DriverError("bad"), query="MATCH (n:`Case`) RETURN n")
    assert isinstance(read, QueryFailed) and "(query: MATCH (n:`Case`) RETURN n)" in str(read)
    write = raised("write", nx.DriverError("bad"))
    assert isinstance(write, WriteFailed) and str(write).startswith("the write was rolled back, nothing was written")
    rejected = raised("write", Rejected("id 'P1' already belongs to a Case"))
    assert isinstance(rejected, WriteFailed) and "id 'P1' already belongs to a Case" in str(rejected)


def test_only_opening_maps_os_and_value_errors():
    assert isinstance(raised("open", OSError("refused")), StoreUnavailable)
    assert isinstance(raised("open", ValueError("no host")), StoreUnavailable)
    assert type(raised("read", ValueError("a bug"))) is ValueError
    assert type(raised("write", KeyError("a bug"))) is KeyError


def test_opening_an_unreachable_server_names_the_settings():
    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore(uri=URI, password="x")
    message = str(caught.value)
    assert message.startswith(f"cannot use Neo4j at {URI}")
    assert "WENZE_NEO4J_USER" in message and "scripts/neo4j-dev start" in message
    with pytest.raises(StoreUnavailable, match="must be a Bolt URI"):
        Neo4jStore(uri="http://localhost:7474")
    with pytest.raises(StoreUnavailable, match="bad Neo4j URI"):
        Neo4jStore(uri="bolt://localhost:notaport")
