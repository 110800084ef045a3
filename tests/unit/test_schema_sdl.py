"""The committed SDL (api/schema.graphql) is exactly what the code builds: API changes show in review."""

from __future__ import annotations

from pathlib import Path

from api.schema import sdl

SDL_FILE = Path(__file__).resolve().parents[2] / "api" / "schema.graphql"


def test_committed_sdl_matches_the_code() -> None:
    committed = SDL_FILE.read_text(encoding="utf-8")
    assert committed == sdl(), (
        "api/schema.graphql is out of date with the code: run `python -m api.schema` and commit the file"
    )


def test_contract_names_are_in_the_sdl() -> None:
    text = SDL_FILE.read_text(encoding="utf-8")
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
    ):
        assert fragment in text, fragment
