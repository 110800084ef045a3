"""Refuse hostile queries before they run, and parse and validate each distinct query text once.

    schema = strawberry.Schema(Query, extensions=[guard_factory(max_depth=12, max_complexity=5000)])

Limits (errors carry ``extensions.code`` QUERY_TOO_COMPLEX):
- tokens: a document of more than ``MAX_TOKENS`` tokens is not even parsed;
- depth: nesting of fields (introspection subtrees have their own, higher bound);
- complexity: every field costs 1, and a list multiplies what is under it by its size — the
  ``first``/``limit`` argument (a variable counts at the argument's cap), else ``LIST_SIZE``.

Parse and validation results are kept per query text (a bounded LRU, per schema), because they
cost about twenty times the execution of a small query (../shared/engines/PERFORMANCE.md).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    TypeInfo,
    ValidationContext,
    ValidationRule,
    VariableNode,
    parse,
)
from strawberry.extensions import SchemaExtension

from api.errors import too_complex

MAX_TOKENS = 5000
LIST_SIZE = 5  # assumed length of a list without a size argument (most relationship lists are short)
INTROSPECTION_MAX_DEPTH = 16
CACHE_SIZE = 1024
# Size arguments and the most a caller may ask for (a variable counts at the cap).
SIZE_ARGUMENTS = {"first": 100, "limit": 1000, "ids": 100}
# Lists whose size is already counted by the size argument of the field above them.
_SIZED_BY_PARENT = {"nodes", "edges"}


def _unwrap(t: Any) -> tuple[Any, bool]:
    is_list = False
    while isinstance(t, (GraphQLNonNull, GraphQLList)):
        if isinstance(t, GraphQLList):
            is_list = True
        t = t.of_type
    return t, is_list


def _size(field: FieldNode, field_def: Any) -> int | None:
    """The list size a field asks for through a size argument, or None."""
    for arg_name, cap in SIZE_ARGUMENTS.items():
        if arg_name not in field_def.args:
            continue
        given = next((a.value for a in field.arguments or () if a.name.value == arg_name), None)
        if isinstance(given, IntValueNode):
            return max(0, min(int(given.value), cap))
        if isinstance(given, VariableNode):
            return cap
        if given is not None and hasattr(given, "values"):  # a literal list (ids)
            return min(len(given.values), cap)
        default = field_def.args[arg_name].default_value
        return min(default, cap) if isinstance(default, int) else cap
    return None


class _Measure:
    def __init__(self, context: ValidationContext) -> None:
        self.context = context
        self.max_depth = 0
        self.max_introspection_depth = 0

    def cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: Any,
        depth: int,
        introspection: bool,
        sized_by_parent: bool,
        fragments_on_path: frozenset[str],
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                total += self._field(sel, parent, depth, introspection, sized_by_parent, fragments_on_path)
            elif isinstance(sel, InlineFragmentNode):
                target = parent
                if sel.type_condition is not None:
                    target = self.context.schema.get_type(sel.type_condition.name.value) or parent
                total += self.cost(sel.selection_set, target, depth, introspection, sized_by_parent, fragments_on_path)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in fragments_on_path:
                    continue  # unknown or cyclic: the standard rules report it
                target = self.context.schema.get_type(fragment.type_condition.name.value) or parent
                total += self.cost(
                    fragment.selection_set, target, depth, introspection, sized_by_parent, fragments_on_path | {name}
                )
        return total

    def _field(
        self,
        field: FieldNode,
        parent: Any,
        depth: int,
        introspection: bool,
        sized_by_parent: bool,
        fragments_on_path: frozenset[str],
    ) -> int:
        name = field.name.value
        if name == "__typename":
            return 0
        introspection = introspection or name.startswith("__")
        depth += 1
        if introspection:
            self.max_introspection_depth = max(self.max_introspection_depth, depth)
        else:
            self.max_depth = max(self.max_depth, depth)
        field_def = None
        if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            field_def = parent.fields.get(name)
        if field_def is None:
            if introspection:
                child_type = _introspection_child(self.context.schema, parent, name)
                self.cost(field.selection_set, child_type, depth, True, False, fragments_on_path)
            return 1
        child_type, is_list = _unwrap(field_def.type)
        size = _size(field, field_def)
        inner = self.cost(field.selection_set, child_type, depth, introspection, size is not None, fragments_on_path)
        if introspection:
            return 0
        multiplier = 1
        if size is not None:
            multiplier = max(size, 1)
        elif is_list and not (sized_by_parent and name in _SIZED_BY_PARENT):
            multiplier = LIST_SIZE
        return 1 + multiplier * inner


def _introspection_child(schema: GraphQLSchema, parent: Any, name: str) -> Any:
    if name == "__schema":
        return schema.get_type("__Schema")
    if name == "__type":
        return schema.get_type("__Type")
    return None


def limits_rule(max_depth: int, max_complexity: int) -> type[ValidationRule]:
    """A validation rule refusing operations deeper or costlier than the limits."""

    class QueryLimits(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            schema = self.context.schema
            root = {
                "query": schema.query_type,
                "mutation": schema.mutation_type,
                "subscription": schema.subscription_type,
            }[node.operation.value]
            measure = _Measure(self.context)
            cost = measure.cost(node.selection_set, root, 0, False, False, frozenset())
            if measure.max_depth > max_depth:
                self.report_error(
                    too_complex(
                        f"Query depth {measure.max_depth} exceeds the limit of {max_depth}; "
                        "split it into several queries.",
                        node,
                    )
                )
            elif measure.max_introspection_depth > INTROSPECTION_MAX_DEPTH:
                self.report_error(
                    too_complex(
                        f"Introspection depth {measure.max_introspection_depth} exceeds the limit of "
                        f"{INTROSPECTION_MAX_DEPTH}.",
                        node,
                    )
                )
            elif cost > max_complexity:
                self.report_error(
                    too_complex(
                        f"Query complexity {cost} exceeds the limit of {max_complexity}; ask for smaller pages "
                        "(first/limit) or fewer nested lists.",
                        node,
                    )
                )

    return QueryLimits


class _Cache:
    """A small thread-safe LRU of query text -> (document, validation errors or None)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, list[Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> list[Any] | None:
        with self.lock:
            item = self.items.get(key)
            if item is not None:
                self.items.move_to_end(key)
            return item

    def put(self, key: str, value: list[Any]) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def guard_factory(max_depth: int, max_complexity: int, cache_size: int = CACHE_SIZE) -> Callable[[], SchemaExtension]:
    """A schema extension factory: cached parse, cached validation with the limits rule added."""
    from strawberry.schema.schema import validate_document

    rule = limits_rule(max_depth, max_complexity)
    cache = _Cache(cache_size)

    class QueryGuard(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            ctx = self.execution_context
            query = ctx.query
            if query is not None and ctx.graphql_document is None:
                entry = cache.get(query)
                if entry is None:
                    try:
                        document = parse(query, max_tokens=MAX_TOKENS)
                    except GraphQLError as e:
                        if "tokens" in e.message and "Parsing aborted" in e.message:
                            raise too_complex(
                                f"The query has more than {MAX_TOKENS} tokens; split it into several queries."
                            ) from e
                        raise
                    entry = [document, None]
                    cache.put(query, entry)
                ctx.graphql_document = entry[0]
            yield

        def on_validate(self) -> Iterator[None]:
            ctx = self.execution_context
            query = ctx.query
            entry = cache.get(query) if query is not None else None
            document = ctx.graphql_document  # parsed before validation; None only if parsing failed
            if entry is not None and entry[1] is not None:
                ctx.pre_execution_errors = entry[1]
            elif document is not None:
                errors = validate_document(ctx.schema._schema, document, (*ctx.validation_rules, rule))
                ctx.pre_execution_errors = errors
                if entry is not None:
                    entry[1] = errors
            yield

    return QueryGuard


def operation_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None = None) -> int:
    """The complexity of the document's operation as the limits rule counts it (rate limits charge it).

    >>> operation_cost(schema, parse('{ issues(first: 10) { nodes { id } } }'))   # 1 + 10 × (1 + 1)
    """
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    if not operations:
        return 1
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    context = ValidationContext(schema, document, TypeInfo(schema), lambda _error: None)
    return max(1, _Measure(context).cost(operation.selection_set, root, 0, False, False, frozenset()))
