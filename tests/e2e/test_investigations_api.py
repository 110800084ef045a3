"""Saved investigations over HTTP: save, list, load, replace, delete; another user never sees them; GET runs
no mutation."""

from __future__ import annotations

import json

import httpx

from tests.e2e.conftest import GraphQLClient, Servers

SAVE = """mutation($name: String!, $state: String!, $notes: String! = "") {
  saveInvestigation(name: $name, state: $state, notes: $notes) { id name notes state }
}"""
LIST = "{ investigations { id name notes } }"
LOAD = "query($id: ID!) { investigation(id: $id) { name state } }"
DELETE = "mutation($id: ID!) { deleteInvestigation(id: $id) }"


def _other_user(servers: Servers, url: str) -> GraphQLClient:
    """A second inspector with their own token on the same server."""
    from api.auth.commands import open_accounts
    from api.auth.store import AccountExists

    live = next(v for v in servers.live.values() if v.url == url)
    settings = live.server.server.config.app.state.settings
    with open_accounts(settings) as accounts:
        try:
            accounts.add_user("e2e.other", "另一位 督察员", ["inspector"], ["620000"], None, actor="e2e")
        except AccountExists:
            pass
        token = accounts.create_token("e2e.other", 1, actor="e2e")
    client = GraphQLClient(url)
    client.http = httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {token}"})
    return client


def test_save_list_load_delete_and_privacy(trap: GraphQLClient, servers: Servers) -> None:
    state = {"elements": '[{"group":"nodes","data":{"id":"OFF-ZW","label":"张伟"}}]', "asOf": "2023-02-15"}
    saved = trap.data(SAVE, {"name": "张伟 关系 e2e", "state": json.dumps(state), "notes": "待核"})["saveInvestigation"]
    assert saved["name"] == "张伟 关系 e2e" and saved["state"] == state and saved["notes"] == "待核"
    assert {"id": saved["id"], "name": "张伟 关系 e2e", "notes": "待核"} in trap.data(LIST)["investigations"]
    assert trap.data(LOAD, {"id": saved["id"]})["investigation"]["state"]["asOf"] == "2023-02-15"
    again = trap.data(SAVE, {"name": "张伟 关系 e2e", "state": '{"v": 2}'})["saveInvestigation"]
    assert again["id"] == saved["id"] and again["state"] == {"v": 2}

    other = _other_user(servers, trap.url)
    assert all(i["id"] != saved["id"] for i in other.data(LIST)["investigations"])
    assert other.data(LOAD, {"id": saved["id"]})["investigation"] is None
    assert other.error_codes(DELETE, {"id": saved["id"]}) == ["NOT_FOUND"]

    assert trap.data(DELETE, {"id": saved["id"]}) == {"deleteInvestigation": True}
    assert trap.data(LOAD, {"id": saved["id"]})["investigation"] is None
    assert trap.error_codes(SAVE, {"name": " ", "state": "{}"}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(SAVE, {"name": "x", "state": "[1, 2]"}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(SAVE, {"name": "x", "state": "not json"}) == ["BAD_USER_INPUT"]


def test_get_never_runs_a_mutation(trap: GraphQLClient) -> None:
    response = trap.http.get(
        "/graphql", params={"query": 'mutation { saveInvestigation(name: "g", state: "{}") { id } }'}
    )
    assert response.status_code == 400
    assert "POST" in response.json()["errors"][0]["message"]
    assert all(i["name"] != "g" for i in trap.data(LIST)["investigations"])


EXPORT = """mutation($format: ExportFormat!, $nodes: Int!, $edges: Int! = 0, $start: String) {
  recordExport(format: $format, nodeCount: $nodes, edgeCount: $edges, start: $start) { seq time }
}"""


def test_an_export_is_audited_with_its_format_and_size(trap: GraphQLClient, servers: Servers) -> None:
    from api.audit.verify import read_entries

    got = trap.data(EXPORT, {"format": "GEXF", "nodes": 12, "edges": 10, "start": "OFF-ZW"})["recordExport"]
    live = next(v for v in servers.live.values() if v.url == trap.url)
    folder = live.server.server.config.app.state.settings.audit_folder
    entries = list(read_entries(folder))
    event = next(e for e in entries if e.get("seq") == got["seq"])
    assert event["type"] == "event" and event["event"] == "explorer_export" and event["time"] == got["time"]
    assert event["details"] == {"format": "gexf", "nodes": 12, "edges": 10, "start": "OFF-ZW"}
    # The request that asked for it is audited too, under the same user.
    request = next(
        e for e in reversed(entries) if e.get("type") == "request" and e.get("variables", {}).get("format") == "GEXF"
    )
    assert request["user"] == event["user"] and request["user"]
    assert trap.error_codes(EXPORT, {"format": "GEXF", "nodes": -1}) == ["BAD_USER_INPUT"]
    assert trap.error_codes(EXPORT, {"format": "XLSX", "nodes": 1}) == ["BAD_USER_INPUT"]
