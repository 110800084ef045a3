"""The SDL states the ranges the resolvers enforce, from the constants they check."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLObjectType, build_schema, get_named_type

from api.schema import MAX_IDS, MAX_NODES, MAX_PATHS, MAX_SEARCH
from api.types.pagination import MAX_PAGE
from schema.model import MAX_NEIGHBOURHOOD_DEPTH, MAX_PATH_HOPS

SDL = build_schema((Path(__file__).resolve().parents[2] / "api" / "schema.graphql").read_text(encoding="utf-8"))


def _description(field: str, argument: str) -> str:
    query = SDL.query_type
    assert query is not None
    return query.fields[field].args[argument].description or ""


def test_the_walks_state_their_ranges() -> None:
    assert _description("neighbourhood", "depth").endswith(f"0 (the node alone) to {MAX_NEIGHBOURHOOD_DEPTH}.")
    assert _description("neighbourhood", "limit").endswith(f"1 to {MAX_NODES}.")
    assert _description("paths", "maxHops").endswith(f"1 to {MAX_PATH_HOPS}.")
    assert _description("paths", "limit").endswith(f"1 to {MAX_PATHS}.")
    assert _description("search", "first").endswith(f"0 to {MAX_SEARCH}.")
    assert _description("nodes", "ids").endswith(f"0 to {MAX_IDS} of them.")


def test_every_page_size_states_its_range() -> None:
    pages = [
        (name, field_name, field.args["first"].description or "")
        for name, t in SDL.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
        for field_name, field in t.fields.items()
        if "first" in field.args and get_named_type(field.type).name.endswith("Connection")
    ]
    assert len(pages) >= 7  # Query.issues/officials, Campaign/Organisation/Region.issues, Region.organisations, …
    assert [p for p in pages if not p[2].endswith(f"0 to {MAX_PAGE}.")] == []
