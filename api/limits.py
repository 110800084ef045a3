"""Refuse hostile queries before they run, and parse and validate each distinct query text once.

    schema = WenzeSchema(Query, extensions=guard_extensions(max_depth=12, max_complexity=5000))

Limits (errors carry ``extensions.code`` QUERY_TOO_COMPLEX):
- tokens: a document of more than ``MAX_TOKENS`` tokens is not even parsed (strawberry's
  ``MaxTokensLimiter``; ``api.errors.format_error`` gives graphql-core's error its code);
- depth: nesting of fields, checked with validation (introspection subtrees have their own,
  higher bound);
- complexity: every field costs 1, and a list multiplies what is under it by its size — the
  ``first``/``limit``/``ids`` argument's value, else ``LIST_SIZE``. Sizes are read with the request's
  variables, so ``limit: $l`` with ``l = 200`` costs what ``limit: 200`` costs: the check runs when
  execution starts, on the operation chosen, once the variables are coerced.

The executed operation is chosen as GraphQL §6.1 GetOperation says: a document with several
operations and no ``operationName`` is refused (``OperationNotChosen``) instead of running the first.

Parse and validation results are kept by strawberry's ``ParserCache`` (per query text) and
``ValidationCache`` (per document), bounded LRUs, because they cost about twenty times the execution
of a small query (../shared/engines/PERFORMANCE.md). ``ValidationCache`` hashes the whole document
tree on each request (graphql-core's nodes are frozen dataclasses that do not keep their hash):
about 30 µs for a small query, 140 µs for bench/api.py's chain query. The cost plan of an operation
is kept per document object (``_CostCache``), so a request only fills in its variables.
Strawberry's ``QueryDepthLimiter`` is not used: its
errors carry no ``extensions.code``, it skips introspection entirely (an introspection query nested
hundreds deep would pass) and it fails with a KeyError on a spread of an unknown fragment.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    ValueNode,
    VariableNode,
    build_schema,
    get_argument_values,
    get_operation_ast,
    get_variable_values,
)
from graphql.execution.values import VariableValues
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.base import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError

from api.errors import too_complex

MAX_TOKENS = 5000
LIST_SIZE = 5  # assumed length of a list without a size argument (most relationship lists are short)
INTROSPECTION_MAX_DEPTH = 16
CACHE_SIZE = 1024
# Size arguments and the most a caller may ask for (the resolvers refuse more; a bigger value is priced at the cap).
SIZE_ARGUMENTS = {"first": 100, "limit": 1000, "ids": 100}
# Lists whose size is already counted by the size argument of the field above them.
_SIZED_BY_PARENT = {"nodes", "edges"}

# The operationName the request gave, as (name,), while WenzeSchema.execute runs; None: not known
# (then GetOperation is left to strawberry, which picks the first operation).
REQUESTED_OPERATION: ContextVar[tuple[str | None] | None] = ContextVar("wenze_requested_operation", default=None)


class OperationNotChosen(CannotGetOperationTypeError):
    """The document has several operations and the request named none (GraphQL §6.1 GetOperation).

    A ``CannotGetOperationTypeError`` so strawberry hands it to the HTTP layer, as it does an unknown name.
    """

    def __init__(self, names: list[str]) -> None:
        super().__init__(None)
        self.names = names
        self.message = (
            f"The document has {len(names)} operations ({', '.join(names)}); "
            "pass operationName to say which one to run."
        )

    def as_http_error_reason(self) -> str:
        return self.message


def _unwrap(t: Any) -> tuple[Any, bool]:
    is_list = False
    while isinstance(t, (GraphQLNonNull, GraphQLList)):
        if isinstance(t, GraphQLList):
            is_list = True
        t = t.of_type
    return t, is_list


def _clamp(value: Any, cap: int) -> int:
    """A size argument's value as a list size: an int or a list's length, at most ``cap``; unknown: ``cap``."""
    if isinstance(value, bool) or value is None:
        return cap
    if isinstance(value, int):
        return max(0, min(value, cap))
    if isinstance(value, list):
        return min(len(value), cap)
    return cap


@dataclass(frozen=True)
class _Term:
    """``scale × size × inner``, for a list whose size comes from a variable."""

    scale: int
    field_def: GraphQLField
    field: FieldNode
    arg_name: str
    inner: Cost

    def size(self, variables: VariableValues) -> int:
        cap = SIZE_ARGUMENTS[self.arg_name]
        try:
            value = get_argument_values(self.field_def, self.field, variables).get(self.arg_name)
        except GraphQLError:
            return cap  # a value execution refuses anyway
        return max(_clamp(value, cap), 1)


@dataclass(frozen=True)
class Cost:
    """An operation's complexity as a function of its variables: ``fixed`` plus a term per variable size.

    A document without variable sizes folds to ``Cost(n)``; ``value`` is then ``n`` whatever the variables.
    """

    fixed: int
    terms: tuple[_Term, ...] = ()

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.fixed + other.fixed, self.terms + other.terms)

    def times(self, factor: int) -> Cost:
        return Cost(self.fixed * factor, tuple(replace(t, scale=t.scale * factor) for t in self.terms))

    def value(self, variables: VariableValues) -> int:
        return self.fixed + sum(t.scale * t.size(variables) * t.inner.value(variables) for t in self.terms)


_FREE = Cost(0)


class _Walk:
    """One walk over an operation: its depths, and its ``Cost`` (the sizes given by variables left open)."""

    def __init__(self, schema: GraphQLSchema, fragment: Callable[[str], FragmentDefinitionNode | None]) -> None:
        self.schema = schema
        self.fragment = fragment
        self.max_depth = 0
        self.max_introspection_depth = 0

    def operation(self, node: OperationDefinitionNode) -> Cost:
        root = {
            "query": self.schema.query_type,
            "mutation": self.schema.mutation_type,
            "subscription": self.schema.subscription_type,
        }[node.operation.value]
        return self.cost(node.selection_set, root, 0, False, False, frozenset())

    def cost(
        self,
        selection_set: SelectionSetNode | None,
        parent: Any,
        depth: int,
        introspection: bool,
        sized_by_parent: bool,
        fragments_on_path: frozenset[str],
    ) -> Cost:
        if selection_set is None:
            return _FREE
        total = _FREE
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                total += self._field(sel, parent, depth, introspection, sized_by_parent, fragments_on_path)
            elif isinstance(sel, InlineFragmentNode):
                target = parent
                if sel.type_condition is not None:
                    target = self.schema.get_type(sel.type_condition.name.value) or parent
                total += self.cost(sel.selection_set, target, depth, introspection, sized_by_parent, fragments_on_path)
            elif isinstance(sel, FragmentSpreadNode):
                name = sel.name.value
                fragment = self.fragment(name)
                if fragment is None or name in fragments_on_path:
                    continue  # unknown or cyclic: the standard rules report it
                target = self.schema.get_type(fragment.type_condition.name.value) or parent
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
    ) -> Cost:
        name = field.name.value
        if name == "__typename":
            return _FREE
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
                child_type = _introspection_child(self.schema, name)
                self.cost(field.selection_set, child_type, depth, True, False, fragments_on_path)
            return Cost(1)
        child_type, is_list = _unwrap(field_def.type)
        arg_name = next((a for a in SIZE_ARGUMENTS if a in field_def.args), None)
        sized = arg_name is not None
        inner = self.cost(field.selection_set, child_type, depth, introspection, sized, fragments_on_path)
        if introspection:
            return _FREE
        if arg_name is not None:
            given = next((a.value for a in field.arguments or () if a.name.value == arg_name), None)
            if isinstance(given, VariableNode):
                return Cost(1, (_Term(1, field_def, field, arg_name, inner),))
            return Cost(1) + inner.times(max(_static_size(given, field_def, field, arg_name), 1))
        if is_list and not (sized_by_parent and name in _SIZED_BY_PARENT):
            return Cost(1) + inner.times(LIST_SIZE)
        return Cost(1) + inner


def _static_size(given: ValueNode | None, field_def: GraphQLField, field: FieldNode, arg_name: str) -> int:
    """The size a literal (or the argument's default) asks for."""
    cap = SIZE_ARGUMENTS[arg_name]
    if given is None:  # the default, coerced as execution will
        try:
            return _clamp(get_argument_values(field_def, field).get(arg_name), cap)
        except GraphQLError:
            return cap
    if isinstance(given, IntValueNode):
        return _clamp(int(given.value), cap)
    if isinstance(given, ListValueNode):
        return _clamp(list(given.values), cap)
    return cap


def _introspection_child(schema: GraphQLSchema, name: str) -> Any:
    if name == "__schema":
        return schema.get_type("__Schema")
    if name == "__type":
        return schema.get_type("__Type")
    return None


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """A validation rule refusing operations nested deeper than ``max_depth`` (introspection: 16)."""

    class QueryDepth(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            walk = _Walk(self.context.schema, self.context.get_fragment)
            walk.operation(node)
            if walk.max_depth > max_depth:
                self.report_error(
                    too_complex(
                        f"Query depth {walk.max_depth} exceeds the limit of {max_depth}; "
                        "split it into several queries.",
                        node,
                    )
                )
            elif walk.max_introspection_depth > INTROSPECTION_MAX_DEPTH:
                self.report_error(
                    too_complex(
                        f"Introspection depth {walk.max_introspection_depth} exceeds the limit of "
                        f"{INTROSPECTION_MAX_DEPTH}.",
                        node,
                    )
                )

    return QueryDepth


def operation_cost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) -> Cost:
    """The complexity of one operation of a (valid) document, as a function of its variables.

    op = get_operation_ast(document, "Q")
    operation_cost(schema, document, op).value(get_variable_values(schema, op.variable_definitions, {"n": 10}))
    """
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return _Walk(schema, fragments.get).operation(operation)


class CostCache:
    """Each live document's operation costs, by operation name; an entry goes when its document does.

    Keyed by the document's identity (ParserCache hands out the same object for the same text): a
    dict keyed by the document itself would hash the whole tree on every request.
    """

    def __init__(self) -> None:
        self.items: dict[int, tuple[weakref.ref[DocumentNode], dict[str | None, Cost]]] = {}
        self.lock = threading.Lock()

    def get(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) -> Cost:
        key = id(document)
        name = operation.name.value if operation.name else None
        entry = self.items.get(key)
        if entry is not None and entry[0]() is document and name in entry[1]:
            return entry[1][name]
        cost = operation_cost(schema, document, operation)
        with self.lock:
            entry = self.items.get(key)
            if entry is None or entry[0]() is not document:
                entry = (weakref.ref(document, self._forget(key)), {})
                self.items[key] = entry
            entry[1][name] = cost
        return cost

    def _forget(self, key: int) -> Callable[[weakref.ref[DocumentNode]], None]:
        def forget(ref: weakref.ref[DocumentNode]) -> None:
            entry = self.items.get(key)
            if entry is not None and entry[0] is ref:
                self.items.pop(key, None)

        return forget


# Each strawberry schema's types as graphql-core sees them, built from its public SDL: strawberry keeps
# its own GraphQLSchema only in the private ``Schema._schema``. The cost walk needs field types and
# argument definitions, which the SDL carries exactly.
_TYPED: weakref.WeakKeyDictionary[BaseSchema, GraphQLSchema] = weakref.WeakKeyDictionary()
_TYPED_LOCK = threading.Lock()


def typed_schema(schema: BaseSchema) -> GraphQLSchema:
    with _TYPED_LOCK:
        found = _TYPED.get(schema)
        if found is None:
            found = _TYPED[schema] = build_schema(schema.as_str())
        return found


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def cost_guard(max_complexity: int) -> type[SchemaExtension]:
    """An extension that, as execution starts, picks the operation (§6.1) and refuses it if too costly."""

    costs = CostCache()

    class QueryCost(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            ctx = self.execution_context
            document = ctx.graphql_document
            requested = REQUESTED_OPERATION.get()
            if document is not None:
                operations = _operations(document)
                if requested is not None and requested[0] is None and len(operations) > 1:
                    raise OperationNotChosen([o.name.value if o.name else "(anonymous)" for o in operations])
                operation = get_operation_ast(document, ctx.operation_name)
                if operation is not None:
                    refusal = self._refusal(document, operation)
                    if refusal is not None:
                        ctx.result = ExecutionResult(data=None, errors=[refusal])
            yield

        def _refusal(self, document: DocumentNode, operation: OperationDefinitionNode) -> GraphQLError | None:
            ctx = self.execution_context
            schema = typed_schema(ctx.schema)
            plan = costs.get(schema, document, operation)
            cost = plan.fixed
            if plan.terms:  # some size comes from a variable: coerce them (execution does it again, cheaply)
                variables = get_variable_values(schema, operation.variable_definitions or (), ctx.variables or {})
                if isinstance(variables, list):
                    return None  # execution reports the coercion errors
                cost = plan.value(variables)
            if cost <= max_complexity:
                return None
            return too_complex(
                f"Query complexity {cost} exceeds the limit of {max_complexity}; ask for smaller pages "
                "(first/limit) or fewer nested lists.",
                operation,
            )

    return QueryCost


def guard_extensions(
    max_depth: int, max_complexity: int, cache_size: int = CACHE_SIZE
) -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """The schema's extensions, in order: token limit, cached parse, depth rule, cached validation, cost."""
    rule = depth_rule(max_depth)
    return [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=cache_size),
        lambda: AddValidationRules([rule]),
        lambda: ValidationCache(maxsize=cache_size),
        cost_guard(max_complexity),
    ]
