"""The GraphQL node types and schema/ agree: every declared property is a field, with its type and label."""

from __future__ import annotations

import pytest

import api.types.all_nodes  # noqa: F401  (registers every node type)
from api.schema import build_schema
from api.types.node import NODE_TYPES, schema_property
from schema.model import NODE_KINDS, REL_KINDS, property_key

GRAPHQL_TYPE = {"string": "String", "int": "Int", "float": "Float", "bool": "Boolean", "date": "Date"}


def _named(t) -> str:
    while hasattr(t, "of_type"):
        t = t.of_type
    return t.name


@pytest.fixture(scope="module")
def gql():
    return build_schema()._schema


def test_every_node_kind_has_a_type():
    assert set(NODE_TYPES) == set(NODE_KINDS)


@pytest.mark.parametrize("kind", sorted(NODE_KINDS))
def test_fields_and_properties_agree(kind, gql):
    cls = NODE_TYPES[kind]
    fields = cls.__strawberry_definition__.fields
    exposed = {schema_property(kind, f.python_name) for f in fields} - {None}
    assert exposed == set(NODE_KINDS[kind].properties), f"{kind}: fields and schema/ properties differ"
    gql_type = gql.type_map[cls.__strawberry_definition__.name]
    for f in fields:
        prop_name = schema_property(kind, f.python_name)
        if prop_name is None:
            continue
        prop = NODE_KINDS[kind].properties[prop_name]
        gql_field = gql_type.fields[f.graphql_name or _camel(f.python_name)]
        named = _named(gql_field.type)
        if prop.type == "enum":
            enum_type = gql.type_map[named]
            assert [v.value for v in enum_type.values.values()] == list(prop.enum), f"{kind}.{prop_name}"
            assert all(v.description for v in enum_type.values.values()), f"{named}: a value has no label"
        else:
            assert named == GRAPHQL_TYPE[prop.type], f"{kind}.{prop_name}: {named} vs {prop.type}"
        if f.base_resolver is None:
            assert prop.label in (gql_field.description or ""), f"{kind}.{prop_name} lacks its label"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def test_record_keys_follow_property_key():
    assert property_key("Measure", "kind") == "measure_kind"
    assert property_key("Issue", "summary") == "summary"


def test_relationship_enums_are_graphql_enums(gql):
    for rel, prop in (("HELD_POST", "post_kind"), ("RESPONSIBLE", "kind")):
        values = REL_KINDS[rel].properties[prop].enum
        name = {"HELD_POST": "PostKind", "RESPONSIBLE": "ResponsibilityKind"}[rel]
        assert [v.value for v in gql.type_map[name].values.values()] == list(values)
