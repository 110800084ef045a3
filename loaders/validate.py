"""Validate a raw bundle against schema/ and turn it into typed rows for the store.

Every check runs on whole columns (pyarrow compute), so a million rows validate in seconds, and
every problem is collected (file, row, column, what was expected) before anything is written.

    batch = validate(read_bundle(path), store)     # raises BundleRejected listing every problem
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from graph.port import GraphStore, NodeRows, RelRows, WriteBatch
from loaders.bundle import RawBundle, RawFile
from loaders.problems import BundleRejected, Problem
from schema import rules
from schema.model import NODE_KINDS, REL_COLUMN_ALIASES, REL_KINDS, Prop, header_aliases

_MAX_PER_COLUMN = 1000  # beyond this, one summary problem per column keeps the report readable
_DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_INT_RE = r"^[+-]?[0-9]+$"
_FLOAT_RE = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_TRUE = ("true", "是", "1", "yes")
_FALSE = ("false", "否", "0", "no")


@dataclass
class _Checked:
    """A file after column checks: typed columns, original row numbers, rows with problems dropped."""

    raw: RawFile
    columns: dict[str, pa.Array]
    rows: pa.Array  # spreadsheet row numbers (int64)
    missing_required: tuple[str, ...] = ()  # allowed only on rows that update nodes already stored


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    def cells(
        self, raw: RawFile, rows: pa.Array, mask: pa.Array, column: str, message: str, values: pa.Array | None = None
    ) -> None:
        """Report every row where ``mask`` is true (with the offending value when given)."""
        idx = pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
        if not idx:
            return
        row_numbers = pc.take(rows, pa.array(idx, pa.int64())).to_pylist()
        shown = values.take(pa.array(idx[:_MAX_PER_COLUMN], pa.int64())).to_pylist() if values is not None else None
        for i, row in enumerate(row_numbers[:_MAX_PER_COLUMN]):
            text = f"{message} (got '{shown[i]}')" if shown is not None else message
            self.add(raw.source, row, column, text)
        if len(idx) > _MAX_PER_COLUMN:
            self.add(raw.source, None, column, f"{len(idx) - _MAX_PER_COLUMN} more rows with the same problem")


def validate(raw: RawBundle, store: GraphStore | None = None) -> WriteBatch:
    """Typed, checked rows ready for ``store.write``; raises BundleRejected with every problem."""
    report = _Report()
    report.problems.extend(raw.problems)
    nodes: dict[str, _Checked] = {}
    for name, file in raw.files.items():
        if name in NODE_KINDS:
            checked = _check_columns(file, NODE_KINDS[name].all_properties, report, endpoint_columns=())
            if checked is not None:
                _derive(name, checked, report)
                nodes[name] = checked
    ids, id_kinds = _check_ids(nodes, store, report)
    rel_files: dict[str, _Checked] = {}
    for name, file in raw.files.items():
        if name in REL_KINDS:
            checked = _check_columns(file, REL_KINDS[name].properties, report, endpoint_columns=("from", "to"))
            if checked is not None:
                rel_files[name] = checked
    endpoint_kinds = _kinds_in_bundle(rel_files, ids, id_kinds)
    rels: dict[str, tuple[_Checked, pa.Array, pa.Array]] = {}
    for name, checked in rel_files.items():
        kinds = _check_endpoints(name, checked, endpoint_kinds[name], store, report)
        if kinds is not None:
            _check_rel_duplicates(name, checked, report)
            rels[name] = (checked, *kinds)
    if report.problems:
        raise BundleRejected(report.problems)
    batch = WriteBatch()
    for name in NODE_KINDS:  # schema order: stable writes and stable progress
        if name in nodes:
            c = nodes[name]
            batch.nodes.append(NodeRows(name, pa.table(c.columns)))
    for name in REL_KINDS:
        if name in rels:
            c, from_kinds, to_kinds = rels[name]
            batch.rels.append(RelRows(name, pa.table({**c.columns, "from_kind": from_kinds, "to_kind": to_kinds})))
    return batch


# ---------------------------------------------------------------- columns and cells


def _check_columns(
    file: RawFile, props: dict[str, Prop], report: _Report, endpoint_columns: tuple[str, ...]
) -> _Checked | None:
    aliases = header_aliases(props)
    for alias, endpoint in REL_COLUMN_ALIASES.items():
        if endpoint_columns:
            aliases[alias] = endpoint
    for col in endpoint_columns:
        aliases[col] = col
    table = file.table
    rows = pa.array(range(2, table.num_rows + 2), pa.int64())
    # Drop rows that are entirely empty (a trailing blank spreadsheet row is not an error).
    if table.num_columns:
        blank = None
        for col in table.columns:
            is_null = pc.is_null(col)
            blank = is_null if blank is None else pc.and_(blank, is_null)
        if blank is not None and pc.any(blank).as_py():
            keep = pc.invert(blank)
            table, rows = table.filter(keep), rows.filter(keep)
    mapped: dict[str, str] = {}
    ok = True
    for header in table.column_names:
        target = aliases.get(header) or aliases.get(header.lower())
        if target is None:
            known = ", ".join([*endpoint_columns, *props])
            report.add(file.source, 1, header, f"unknown column; {file.name} has columns: {known}")
            ok = False
        elif target in mapped.values():
            other = next(h for h, t in mapped.items() if t == target)
            report.add(file.source, 1, header, f"column given twice (as '{other}' and '{header}')")
            ok = False
        else:
            mapped[header] = target
    required = [*endpoint_columns, *(n for n, p in props.items() if p.required and not p.derived)]
    missing_required: list[str] = []
    for name in required:
        if name not in mapped.values() and not endpoint_columns and name != "id":
            missing_required.append(name)  # checked against the store in _check_ids
        elif name not in mapped.values():
            report.add(
                file.source,
                1,
                name,
                f"required column is missing (header '{name}' or '{props[name].label}')"
                if name in props
                else f"required column is missing (header '{name}')",
            )
            ok = False
    if not ok:
        return None
    columns: dict[str, pa.Array] = {}
    for header, target in mapped.items():
        values = table.column(header).combine_chunks()
        prop = props.get(target) or Prop(target, "string", target, required=True)
        columns[target] = _typed(file, rows, prop, values, report, header)
    return _Checked(file, columns, rows, tuple(missing_required))


def _typed(file: RawFile, rows: pa.Array, prop: Prop, values: pa.Array, report: _Report, header: str) -> pa.Array:
    present = pc.is_valid(values)
    if prop.required:
        report.cells(file, rows, pc.invert(present), header, f"'{prop.name}' is required and empty")
    if prop.type in ("string",):
        return values
    if prop.type == "enum":
        normal = pc.utf8_lower(values)
        if prop.values is not None:  # the Chinese label of any value stands for it (诫勉, 重大, 已整改)
            normal = _map_labels(values, normal, prop.values.by_label())
        bad = pc.and_(present, pc.invert(pc.is_in(normal, value_set=pa.array(prop.enum))))
        allowed = ", ".join(prop.enum) if len(prop.enum) <= 12 else ", ".join(prop.enum[:12]) + ", …"
        report.cells(file, rows, bad, header, f"unknown value; expected one of: {allowed}", values)
        return normal
    if prop.type == "date":
        shaped = pc.match_substring_regex(values, _DATE_RE)
        parsed = pc.strptime(
            pc.if_else(shaped, values, pa.scalar(None, pa.string())), format="%Y-%m-%d", unit="s", error_is_null=True
        )
        # strptime rolls 2023-02-30 over to March: a real calendar day formats back to itself.
        parsed = pc.if_else(
            pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), values), parsed, pa.scalar(None, parsed.type)
        )
        bad = pc.and_(present, pc.is_null(parsed))
        report.cells(file, rows, bad, header, "not a date; expected YYYY-MM-DD (a real calendar day)", values)
        return pc.cast(parsed, pa.date32())
    if prop.type == "int":
        good = pc.match_substring_regex(values, _INT_RE)
        report.cells(file, rows, pc.and_(present, pc.invert(good)), header, "not a whole number", values)
        return pc.cast(pc.if_else(good, values, pa.scalar(None, pa.string())), pa.int64())
    if prop.type == "float":
        good = pc.match_substring_regex(values, _FLOAT_RE)
        report.cells(file, rows, pc.and_(present, pc.invert(good)), header, "not a number", values)
        return pc.cast(pc.if_else(good, values, pa.scalar(None, pa.string())), pa.float64())
    if prop.type == "bool":
        low = pc.utf8_lower(values)
        is_true, is_false = pc.is_in(low, value_set=pa.array(_TRUE)), pc.is_in(low, value_set=pa.array(_FALSE))
        bad = pc.and_(present, pc.invert(pc.or_(is_true, is_false)))
        report.cells(file, rows, bad, header, "not a boolean; expected true/false (or 是/否)", values)
        return pc.if_else(
            present, pc.if_else(is_true, True, pc.if_else(is_false, False, None)), pa.scalar(None, pa.bool_())
        )
    raise AssertionError(prop.type)


def _map_labels(values: pa.Array, normal: pa.Array, labels: dict[str, str]) -> pa.Array:
    """Accept the Chinese label of an enumerated value (诫勉 → admonishment)."""
    keys = pa.array(list(labels))
    idx = pc.index_in(values, value_set=keys)
    mapped = pc.take(pa.array(list(labels.values())), idx)
    return pc.if_else(pc.is_valid(idx), mapped, normal)


def _derive(kind: str, checked: _Checked, report: _Report) -> None:
    """Derived properties (Measure.form, effective_on default, period_end) computed from the kind."""
    if kind != "Measure":
        return
    cols = checked.columns
    kinds = cols["kind"].to_pylist()
    forms = [rules.FORM_OF_KIND.get(k) if k else None for k in kinds]
    decided = cols.get("decided_on", pa.nulls(len(kinds), pa.date32())).to_pylist()
    effective = cols.get("effective_on", pa.nulls(len(kinds), pa.date32())).to_pylist()
    effective = [e if e is not None else d for e, d in zip(effective, decided, strict=True)]
    ends = [
        rules.period_end_of(k, e) if k in rules.EFFECT_MONTHS else None for k, e in zip(kinds, effective, strict=True)
    ]
    derived = {"form": pa.array(forms, pa.int64()), "period_end": pa.array(ends, pa.date32())}
    for name, value in derived.items():
        given = cols.get(name)
        if given is not None:
            bad = pc.and_(pc.is_valid(given), pc.invert(pc.fill_null(pc.equal(given, value), False)))
            report.cells(
                checked.raw,
                checked.rows,
                bad,
                name,
                f"'{name}' is derived from the measure kind and disagrees with it; leave it empty",
                given,
            )
        cols[name] = value
    cols["effective_on"] = pa.array(effective, pa.date32())


# ---------------------------------------------------------------- ids and endpoints


def _check_ids(nodes: dict[str, _Checked], store: GraphStore | None, report: _Report) -> tuple[pa.Array, pa.Array]:
    """All ids in the bundle with their kinds; reports missing and duplicate ids."""
    all_ids, all_kinds, all_rows, all_files = [], [], [], []
    for name, c in nodes.items():
        ids = c.columns["id"]
        all_ids.append(ids)
        all_kinds.append(pa.array([name] * len(ids), pa.string()))
        all_rows.append(c.rows)
        all_files.append(pa.array([c.raw.source] * len(ids), pa.string()))
    if not all_ids:
        return pa.array([], pa.string()), pa.array([], pa.string())
    ids = pa.concat_arrays([a.cast(pa.string()) for a in all_ids])
    kinds = pa.concat_arrays(all_kinds)
    rows = pa.concat_arrays(all_rows)
    files = pa.concat_arrays(all_files)
    counts = pc.value_counts(ids.filter(pc.is_valid(ids)))
    dup_values = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if len(dup_values):
        mask = pc.is_in(ids, value_set=dup_values)
        idx = pc.indices_nonzero(mask).to_pylist()
        where: dict[str, list[str]] = {}
        for i in idx:
            where.setdefault(ids[i].as_py(), []).append(f"{files[i].as_py()} row {rows[i].as_py()}")
        for i in idx[:_MAX_PER_COLUMN]:
            value = ids[i].as_py()
            others = [w for w in where[value] if w != f"{files[i].as_py()} row {rows[i].as_py()}"]
            report.add(
                files[i].as_py(),
                rows[i].as_py(),
                "id",
                f"duplicate id '{value}' (also at {', '.join(others)}); ids are unique across the whole graph",
            )
    present = store.kinds_of(ids.filter(pc.is_valid(ids)).to_pylist()) if store is not None and len(ids) else {}
    for name, c in nodes.items():
        for column in c.missing_required:
            label = NODE_KINDS[name].properties[column].label
            new_rows = pc.invert(pc.is_in(c.columns["id"], value_set=pa.array(list(present), pa.string())))
            report.cells(
                c.raw,
                c.rows,
                new_rows,
                column,
                f"required column '{column}' ('{label}') is missing; only rows updating nodes already "
                "in the store may leave it out",
                c.columns["id"],
            )
    if present:
        for i, (node_id, kind) in enumerate(zip(ids.to_pylist(), kinds.to_pylist(), strict=True)):
            if node_id in present and present[node_id] != kind:
                report.add(
                    files[i].as_py(),
                    rows[i].as_py(),
                    "id",
                    f"id '{node_id}' already belongs to a {present[node_id]} in the store, not a {kind}",
                )
    return ids, kinds


def _kinds_in_bundle(
    rel_files: dict[str, _Checked], ids: pa.Array, id_kinds: pa.Array
) -> dict[str, tuple[pa.Array, pa.Array]]:
    """The bundle's node kind of every from/to value (null where the id is not in the bundle).

    One hash lookup over every endpoint column at once: building the set of all ids is the cost,
    so it is paid once, not once per column.
    """
    columns = [(name, col) for name in rel_files for col in ("from", "to")]
    if not columns:
        return {}
    values = pa.concat_arrays([rel_files[name].columns[col].cast(pa.string()) for name, col in columns])
    kinds = pc.take(id_kinds, pc.index_in(values, value_set=ids)) if len(ids) else pa.nulls(len(values), pa.string())
    out: dict[str, list[pa.Array]] = {}
    offset = 0
    for name, col in columns:
        n = len(rel_files[name].columns[col])
        out.setdefault(name, []).append(kinds.slice(offset, n))
        offset += n
    return {name: (pair[0], pair[1]) for name, pair in out.items()}


def _check_endpoints(
    name: str, c: _Checked, bundle_kinds: tuple[pa.Array, pa.Array], store: GraphStore | None, report: _Report
) -> tuple[pa.Array, pa.Array] | None:
    rk = REL_KINDS[name]
    resolved = []
    ok = True
    for col, kinds in zip(("from", "to"), bundle_kinds, strict=True):
        values = c.columns[col]
        missing = pc.and_(pc.is_valid(values), pc.is_null(kinds))
        if pc.any(missing).as_py():
            unknown = sorted(set(values.filter(missing).to_pylist()))
            from_store = store.kinds_of(unknown) if store is not None else {}
            if from_store:
                store_idx = pc.index_in(values, value_set=pa.array(list(from_store)))
                store_kinds = pc.take(pa.array(list(from_store.values())), store_idx)
                kinds = pc.if_else(pc.is_valid(kinds), kinds, store_kinds)
            dangling = pc.and_(pc.is_valid(values), pc.is_null(kinds))
            if pc.any(dangling).as_py():
                ok = False
                report.cells(
                    c.raw, c.rows, dangling, col, "no node has this id (not in this bundle, not in the store)", values
                )
        resolved.append(kinds)
    if not ok:
        return None
    from_kinds, to_kinds = resolved
    pairs = pc.binary_join_element_wise(from_kinds, to_kinds, "→")
    allowed = pa.array([f"{f}→{t}" for f, t in rk.endpoints])
    bad = pc.and_(pc.is_valid(pairs), pc.invert(pc.is_in(pairs, value_set=allowed)))
    shown = ", ".join(f"{f} → {t}" for f, t in rk.endpoints[:6]) + (", …" if len(rk.endpoints) > 6 else "")
    report.cells(c.raw, c.rows, bad, "from", f"{name} cannot join these kinds; it goes {shown}", pairs)
    return from_kinds, to_kinds


def _check_rel_duplicates(name: str, c: _Checked, report: _Report) -> None:
    """A relationship (kind, endpoints, key properties) given twice in one file."""
    rk = REL_KINDS[name]
    parts = [c.columns["from"], c.columns["to"]]
    for k in rk.key_properties:
        column = c.columns.get(k, pa.nulls(len(c.rows), pa.string()))
        parts.append(pc.fill_null(pc.cast(column, pa.string()), "\u2205"))
    keys = pc.binary_join_element_wise(*parts, "\x1f")
    counts = pc.value_counts(keys)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return
    keyname = "from, to" + "".join(f", {k}" for k in rk.key_properties)
    first: dict[str, int] = {}
    for i in pc.indices_nonzero(pc.is_in(keys, value_set=repeated)).to_pylist():
        key, row = keys[i].as_py(), c.rows[i].as_py()
        if key in first:
            report.add(
                c.raw.source, row, "from", f"the same {name} ({keyname}) is given twice (first at row {first[key]})"
            )
        else:
            first[key] = row
