"""The query guard (api/limits.py) without a store: sizes priced by value, GetOperation, limits' codes, caches.

Refused queries never reach a resolver, so the schema runs here with no context at all.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import strawberry.schema.schema as strawberry_schema
from graphql import get_operation_ast, get_variable_values, parse

from api.errors import format_error
from api.limits import MAX_TOKENS, SIZE_ARGUMENTS, Cost, OperationNotChosen, operation_cost, typed_schema
from api.schema import build_schema
from api.settings import Settings

SCHEMA = build_schema(Settings())
SUBGRAPH = "nodes { id label } edges { id type source target } truncated"  # 9 per neighbourhood entry


def cost(query: str, variables: dict[str, Any] | None = None, operation: str | None = None) -> int:
    schema = typed_schema(SCHEMA)
    document = parse(query)
    op = get_operation_ast(document, operation)
    assert op is not None
    values = get_variable_values(schema, op.variable_definitions or (), variables or {})
    assert not isinstance(values, list), values
    return operation_cost(schema, document, op).value(values)


def run(query: str, variables: dict[str, Any] | None = None, operation: str | None = None) -> dict[str, Any]:
    result = asyncio.run(SCHEMA.execute(query, variable_values=variables, operation_name=operation))
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [format_error(e) for e in result.errors]
    return out


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (f'{{ neighbourhood(id: "x", limit: 200) {{ {SUBGRAPH} }} }}', None),
        (f'query($l: Int!) {{ neighbourhood(id: "x", limit: $l) {{ {SUBGRAPH} }} }}', {"l": 200}),
        (f'query($l: Int! = 200) {{ neighbourhood(id: "x", limit: $l) {{ {SUBGRAPH} }} }}', None),
        (f'query($l: Int) {{ neighbourhood(id: "x", limit: $l) {{ {SUBGRAPH} }} }}', {}),  # the argument's default
        (f'{{ neighbourhood(id: "x") {{ {SUBGRAPH} }} }}', None),  # limit defaults to 200
    ],
)
def test_a_size_costs_its_value_however_it_is_given(query: str, variables: dict[str, Any] | None) -> None:
    assert cost(query, variables) == 1 + 200 * 9


def test_sizes_above_the_cap_cost_the_cap_and_lists_cost_their_length() -> None:
    cap = SIZE_ARGUMENTS["limit"]
    query = f'query($l: Int!) {{ neighbourhood(id: "x", limit: $l) {{ {SUBGRAPH} }} }}'
    assert cost(query, {"l": 10**9}) == cost(query, {"l": cap}) == 1 + cap * 9
    assert cost("query($n: Int!) { issues(first: $n) { totalCount } }", {"n": 0}) == 1 + 1 * 1
    assert cost("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ["a", "b", "c"]}) == 1 + 3 * 1
    assert cost("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": "a"}) == 1 + 1 * 1  # coerced to [a]


def test_a_cost_without_variable_sizes_folds_to_a_number() -> None:
    schema = typed_schema(SCHEMA)
    query = f"query($id: ID!) {{ neighbourhood(id: $id, limit: 20) {{ {SUBGRAPH} }} officials {{ totalCount }} }}"
    document = parse(query)
    assert operation_cost(schema, document, document.definitions[0]) == Cost(1 + 20 * 9 + 1 + 20 * 1)  # type: ignore
    document = parse("query($n: Int!) { officials(first: $n) { nodes { name } } }")
    plan = operation_cost(schema, document, document.definitions[0])  # type: ignore[arg-type]
    assert plan.fixed == 1 and len(plan.terms) == 1 and plan.terms[0].arg_name == "first"


def test_only_the_chosen_operation_is_priced() -> None:
    doc = f'query Small {{ __typename }} query Big {{ neighbourhood(id: "x", limit: 1000) {{ {SUBGRAPH} }} }}'
    assert cost(doc, operation="Small") == 0
    assert cost(doc, operation="Big") == 1 + 1000 * 9
    assert run(doc, operation="Small") == {"data": {"__typename": "Query"}}
    [error] = run(doc, operation="Big")["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_a_costly_variable_is_refused_before_any_resolver_runs() -> None:
    query = f'query($l: Int!) {{ neighbourhood(id: "x", limit: $l) {{ {SUBGRAPH} }} }}'
    body = run(query, {"l": 1000})
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == (
        "Query complexity 9001 exceeds the limit of 5000; ask for smaller pages (first/limit) or fewer nested lists."
    )
    assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX"} and error["locations"] == [{"line": 1, "column": 1}]


def test_a_variable_that_does_not_coerce_is_reported_by_execution() -> None:
    body = run(f'query($l: Int!) {{ neighbourhood(id: "x", limit: $l) {{ {SUBGRAPH} }} }}', {"l": "many"})
    [error] = body["errors"]
    assert body["data"] is None and "$l" in error["message"] and error["extensions"]["code"] == "BAD_USER_INPUT"


def test_several_operations_without_a_name_are_refused() -> None:
    doc = "query A { __typename } query B { __typename }"
    with pytest.raises(OperationNotChosen) as refused:
        run(doc)
    assert refused.value.message == (
        "The document has 2 operations (A, B); pass operationName to say which one to run."
    )
    assert run(doc, operation="B") == {"data": {"__typename": "Query"}}
    assert run("query A { __typename }") == {"data": {"__typename": "Query"}}


def test_depth_and_tokens_are_query_too_complex() -> None:
    deep = '{ official(id: "x") { cases { issue { organisation { ' + "parent { " * 9 + "id" + " }" * 9 + " } } } } }"
    [error] = run(deep)["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == "Query depth 14 exceeds the limit of 12; split it into several queries."
    introspection = '{ __type(name: "Query") { ' + "ofType { " * 16 + "name" + " }" * 16 + " } }"
    [error] = run(introspection)["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == "Introspection depth 18 exceeds the limit of 16."
    assert run('{ __type(name: "Query") { ' + "ofType { " * 14 + "name" + " }" * 14 + " } }")["data"] is not None
    many = "{ " + " ".join(f"a{i}: __typename" for i in range(MAX_TOKENS)) + " }"
    [error] = run(many)["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == f"The query has more than {MAX_TOKENS} tokens; split it into several queries."


def test_a_query_text_is_validated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = strawberry_schema.validate

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "validate", counting)
    schema = build_schema(Settings())  # a schema of its own: nothing of it is cached yet
    for _ in range(3):
        result = asyncio.run(schema.execute("query Once { __typename }"))
        assert result.data == {"__typename": "Query"}
    assert len(calls) == 1


def test_the_rate_limiter_starts_no_thread_per_request_and_still_forgets_old_events(monkeypatch) -> None:
    """limits' MemoryStorage starts a 10 ms timer thread on a hit once the last one ended (a thread per
    request at one user's pace); the gate's storage runs that expiry pass inline, once a second."""
    import threading
    import time

    from limits import parse as parse_limit
    from limits.strategies import MovingWindowRateLimiter

    from api.auth.edge import QuietMemoryStorage

    storage = QuietMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    limit = parse_limit("5/second")
    started: list[threading.Thread] = []
    real_start = threading.Thread.start
    monkeypatch.setattr(threading.Thread, "start", lambda self: (started.append(self), real_start(self))[1])
    hits = []
    for _ in range(8):
        hits.append(limiter.hit(limit, "u1", cost=1))
        time.sleep(0.015)  # past the base class's 10 ms timer: it would start a thread each time
    assert started == []
    assert hits == [True] * 5 + [False] * 3  # the budget is kept, to the point
    (key,) = storage.events  # limits names the key after the limit and "u1"
    assert len(storage.events[key]) == 5
    monkeypatch.setattr(QuietMemoryStorage, "EVERY", 0.0)
    time.sleep(1.05)  # every event has left the one-second window
    assert limiter.hit(limit, "u1", cost=1)  # the expiry pass ran in this hit, inline
    assert len(storage.events[key]) == 1 and started == []
