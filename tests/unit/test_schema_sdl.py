"""The committed SDL (api/schema.graphql) is exactly what the code builds: API changes show in review."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
    print_schema,
)

from api.schema import sdl

SDL_FILE = Path(__file__).resolve().parents[2] / "api" / "schema.graphql"


def test_committed_sdl_matches_the_code() -> None:
    committed = SDL_FILE.read_text(encoding="utf-8")
    assert committed == sdl(), (
        "api/schema.graphql is out of date with the code: run `python -m api.schema` and commit the file"
    )


def _signatures(text: str) -> str:
    """The SDL with every description left out: types, fields, arguments and defaults only."""
    schema = build_schema(text)
    for name, t in schema.type_map.items():
        if name.startswith("__"):
            continue
        t.description = None
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for f in t.fields.values():
                f.description = None
                for a in getattr(f, "args", {}).values():
                    a.description = None
        elif isinstance(t, GraphQLEnumType):
            for v in t.values.values():
                v.description = None
    return print_schema(schema)


def test_signatures_leave_descriptions_out() -> None:
    text = 'type Query {\n  """Any node."""\n  node(\n    """Its id."""\n    id: ID!\n  ): String\n}\n'
    assert _signatures(text) == "type Query {\n  node(id: ID!): String\n}"


def test_contract_names_are_in_the_sdl() -> None:
    # Signatures as CONTRACT §3 writes them (descriptions, which split argument lists over lines, left out).
    text = _signatures(SDL_FILE.read_text(encoding="utf-8"))
    for fragment in (
        "node(id: ID!): Node",
        "official(id: ID!): Official",
        "organisation(id: ID!): Organisation",
        "issue(id: ID!): Issue",
        "fourForms(filter: StatsFilter",
        "): FourFormsStats!",
        "neighbourhood(id: ID!, depth: Int! = 1, limit: Int! = 200): Subgraph!",
        "search(text: String!, first: Int! = 20): [Node!]!",
        "posts(on: Date): [Post!]!",
        "principalsAt(on: Date!): [Official!]!",
        "enum ChainStage",
        "enum ResponsibilityBasis",
        "PRINCIPAL_AT_OCCURRENCE",
        "PARTY_PRINCIPAL",
        "ADMONISHMENT",
        "measureKind: MeasureKind",
        "heldAccountable: Int!",
        "transferredToJudicial: Int!",
        "exposedCases: Int!",
        "truncated: Boolean!",
        "properties: JSON",
        "type AccountabilityChain {\n  id: ID!\n",
    ):
        assert fragment in text, fragment
