"""Every type, field, argument, input field and enum value of the GraphQL schema carries a description
(Chinese first), so GraphiQL and generated clients document the whole API.

Node property fields take their label from schema/ (api.types.node.node_type), relationship
properties from the relationship kind (``relationship_type``), enum values from schema/vocabulary.
"""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    is_specified_scalar_type,
)

from api.schema import build_schema


def _types() -> dict[str, GraphQLNamedType]:
    """The schema's own types: introspection types and the built-in scalars (Int, String, …) left out."""
    return {
        n: t
        for n, t in build_schema()._schema.type_map.items()
        if not n.startswith("__") and not is_specified_scalar_type(t)
    }


def _undescribed() -> list[str]:
    missing: list[str] = []

    def check(description: str | None, where: str) -> None:
        if not (description or "").strip():
            missing.append(where)

    for name, t in sorted(_types().items()):
        check(t.description, f"type {name}")
        if isinstance(t, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in t.fields.items():
                check(field.description, f"field {name}.{field_name}")
                for arg_name, arg in field.args.items():
                    check(arg.description, f"argument {name}.{field_name}({arg_name})")
        elif isinstance(t, GraphQLInputObjectType):
            for field_name, input_field in t.fields.items():
                check(input_field.description, f"input field {name}.{field_name}")
        elif isinstance(t, GraphQLEnumType):
            for value_name, value in t.values.items():
                check(value.description, f"enum value {name}.{value_name}")
    return missing


def test_the_scan_covers_the_schema() -> None:
    # A scan that looked at nothing would pass: it must see the kinds of thing it checks.
    types = _types()
    query = types["Query"]
    assert isinstance(query, GraphQLObjectType)
    assert "asOf" in query.fields["chain"].args
    assert isinstance(types["StatsFilter"], GraphQLInputObjectType)
    assert isinstance(types["MeasureKind"], GraphQLEnumType)
    assert "ADMONISHMENT" in types["MeasureKind"].values  # type: ignore[union-attr]
    assert isinstance(types["Node"], GraphQLInterfaceType)


def test_everything_is_described() -> None:
    missing = _undescribed()
    assert not missing, f"{len(missing)} schema items have no description:\n" + "\n".join(missing)


def test_descriptions_come_from_schema_where_it_declares_them() -> None:
    types = _types()
    post = types["Post"]
    assert isinstance(post, GraphQLObjectType)
    assert post.fields["start"].description == "任职日期 (HELD_POST.start)"
    review = types["DutyReportReview"]
    assert isinstance(review, GraphQLObjectType)
    assert review.fields["date"].description == "日期 (REVIEWED_BY.date)"
    figures = types["FourFormsStats"]
    assert isinstance(figures, GraphQLObjectType)
    form1 = figures.fields["form1"].description or ""
    assert form1.startswith("第一种形态") and "诫勉" in form1 and "党内警告" not in form1
    assert "党内警告" in (figures.fields["form2"].description or "")
    assert "开除党籍" in (figures.fields["form3"].description or "")
