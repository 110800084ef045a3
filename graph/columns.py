"""Column types derived from schema/: the Arrow type of every property, and the column order of each kind.

Loader output, backend DDL and scans all use these, so a property's type is stated once (schema.model).
"""

from __future__ import annotations

import pyarrow as pa

from schema.model import NODE_KINDS, REL_KINDS, Prop

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "enum": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "strings": pa.list_(pa.string()),
}


def arrow_type(prop: Prop) -> pa.DataType:
    return ARROW_TYPES[prop.type]


def node_columns(kind: str) -> dict[str, Prop]:
    """``id`` then every declared property of a node kind, in declaration order."""
    return NODE_KINDS[kind].all_properties


def rel_columns(kind: str) -> dict[str, Prop]:
    """Every declared property of a relationship kind, in declaration order (endpoints excluded)."""
    return REL_KINDS[kind].properties


def node_schema(kind: str) -> pa.Schema:
    return pa.schema([(name, arrow_type(p)) for name, p in node_columns(kind).items()])


def rel_schema(kind: str) -> pa.Schema:
    """``from``, ``to`` then the relationship's properties."""
    return pa.schema(
        [("from", pa.string()), ("to", pa.string())] + [(name, arrow_type(p)) for name, p in rel_columns(kind).items()]
    )


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Reorder/cast ``table`` to ``schema``, adding null columns for those it lacks."""
    arrays = []
    for f in schema:
        if f.name in table.column_names:
            arrays.append(table.column(f.name).cast(f.type))
        else:
            arrays.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def stored_columns(kind: str) -> dict[str, Prop]:
    """What a backend stores for a node kind: ``node_columns`` then the derived properties
    (``schema.derived``: jurisdiction and fact placement, written by ``graph.derived``)."""
    from schema.derived import DERIVED

    return {**node_columns(kind), **DERIVED[kind]}


def stored_schema(kind: str) -> pa.Schema:
    return pa.schema([(name, arrow_type(p)) for name, p in stored_columns(kind).items()])
