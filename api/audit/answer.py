"""What an answer disclosed: the kind and id of every audited node in a GraphQL result, and the root fields asked.

    objects = answer_objects(result_data, document, graphql_schema, "Chain")
    # [{"kind": "Official", "id": "OFF-1"}, {"kind": "Case", "id": "CASE-3"}, …] (each once, in order met)
    fields = root_fields(document, variables, "Chain")     # {"fourForms": {"filter": {"regionId": "620100"}}}

The walk follows the query's selections alongside the schema, so an object counts by its static
type even when the query did not select ``kind`` (``official(id:) { name }``); under an interface
(``node``, ``search``) it uses ``__typename`` or ``kind`` when selected. JSON values (subgraphs)
are walked for objects carrying ``kind`` and ``id``. An audited object whose ``id`` the query did
not select takes the ``id`` argument of the field that returned it (``official(id: "OFF-1")``),
else is listed with ``"id": null``: the entry still shows that such a record was read.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    value_from_ast_untyped,
)

AUDITED_KINDS = frozenset({"Official", "Case", "Clue", "Measure", "Transfer"})
MAX_OBJECTS = 10_000  # an entry lists at most this many (the count is always exact)


def _plain_value(node: Any, variables: dict[str, Any]) -> Any:
    """An argument's value with variables substituted; a missing variable is None (not graphql's Undefined)."""
    value = value_from_ast_untyped(node, variables)
    return None if value is Undefined else value


def operation_of(document: DocumentNode | None, operation_name: str | None) -> OperationDefinitionNode | None:
    if document is None:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    return operations[0] if len(operations) == 1 or (operations and operation_name) else None


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema | None,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.variables = variables or {}
        self.fragments = fragments
        self.seen: dict[tuple[str, str | None], None] = {}
        self.count = 0

    def note(self, kind: str, node_id: Any) -> None:
        self.count += 1
        key = (kind, None if node_id is None else str(node_id))
        if key not in self.seen and len(self.seen) < MAX_OBJECTS:
            self.seen[key] = None

    def plain(self, value: Any) -> None:
        """JSON without a schema: every object with an audited ``kind`` and an ``id``."""
        # Only containers are walked into: a subgraph's answer is mostly scalars (labels, properties),
        # and a call per scalar was most of the audit's time on the event loop.
        if isinstance(value, dict):
            kind = value.get("kind") or value.get("__typename")
            if kind in AUDITED_KINDS and "id" in value:
                self.note(str(kind), value["id"])
            for v in value.values():
                if isinstance(v, (dict, list)):
                    self.plain(v)
        elif isinstance(value, list):
            for v in value:
                if isinstance(v, (dict, list)):
                    self.plain(v)

    def fields(self, selection_set: SelectionSetNode, concrete: str | None) -> list[FieldNode]:
        out: list[FieldNode] = []
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                out.append(sel)
                continue
            if isinstance(sel, InlineFragmentNode):
                condition, sub = sel.type_condition, sel.selection_set
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in self.fragments:
                fragment = self.fragments[sel.name.value]
                condition, sub = fragment.type_condition, fragment.selection_set
            else:
                continue
            name = condition.name.value if condition is not None else None
            if name is None or concrete is None or name == concrete or not self._is_object(name):
                out.extend(self.fields(sub, concrete))
        return out

    def _is_object(self, name: str) -> bool:
        return self.schema is not None and isinstance(self.schema.get_type(name), GraphQLObjectType)

    def value(self, value: Any, gql_type: Any, selection_set: SelectionSetNode | None, hint: Any = None) -> None:
        """Walk ``value`` of type ``gql_type``; ``hint`` is the ``id`` argument of the field that returned it."""
        while isinstance(gql_type, (GraphQLNonNull, GraphQLList)):
            gql_type = gql_type.of_type
        if isinstance(value, list):
            for v in value:
                self.value(v, gql_type, selection_set)
            return
        if not isinstance(value, dict):
            return
        if selection_set is None or gql_type is None:  # a JSON scalar value
            self.plain(value)
            return
        concrete = gql_type.name if isinstance(gql_type, GraphQLObjectType) else None
        selected = self.fields(selection_set, concrete)
        by_name = {f.name.value: (f.alias or f.name).value for f in selected}
        if concrete is None:
            for marker in ("__typename", "kind"):
                if marker in by_name and isinstance(value.get(by_name[marker]), str):
                    concrete = value[by_name[marker]]
                    break
            if concrete is not None:
                selected = self.fields(selection_set, concrete)
        if concrete in AUDITED_KINDS:
            self.note(concrete, value.get(by_name["id"]) if "id" in by_name else hint)
        object_type = self.schema.get_type(concrete) if (self.schema is not None and concrete) else gql_type
        for f in selected:
            key = (f.alias or f.name).value
            if key not in value:
                continue
            field_def = getattr(object_type, "fields", {}).get(f.name.value) or getattr(gql_type, "fields", {}).get(
                f.name.value
            )
            self.value(
                value[key], field_def.type if field_def is not None else None, f.selection_set, self._id_argument(f)
            )

    def _id_argument(self, f: FieldNode) -> Any:
        for a in f.arguments or ():
            if a.name.value == "id":
                return _plain_value(a.value, self.variables)
        return None


def answer_objects(
    data: Any,
    document: DocumentNode | None,
    schema: GraphQLSchema | None,
    operation_name: str | None = None,
    variables: dict[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """(the audited objects of the answer, each once; how many times any appeared)."""
    operation = operation_of(document, operation_name)
    fragments = {
        d.name.value: d for d in (document.definitions if document else ()) if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, variables)
    if operation is None or schema is None or schema.query_type is None:
        walk.plain(data)
    else:
        walk.value(data, schema.query_type, operation.selection_set)
    return [{"kind": k, "id": i} for k, i in walk.seen], walk.count


def root_fields(
    document: DocumentNode | None, variables: dict[str, Any] | None, operation_name: str | None = None
) -> dict[str, dict[str, Any]]:
    """The operation's root fields and their arguments, variables substituted (the filter of a statistic)."""
    operation = operation_of(document, operation_name)
    if operation is None:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for sel in operation.selection_set.selections:
        if isinstance(sel, FieldNode) and sel.name.value != "__typename":
            key = (sel.alias or sel.name).value
            out[key] = {a.name.value: _plain_value(a.value, variables or {}) for a in sel.arguments or ()}
            if sel.alias is not None:
                out[key]["_field"] = sel.name.value
    return out
