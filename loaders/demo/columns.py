"""The tables being built: one list per column per bundle file, every cell already bundle text.

    >>> cols = Columns()
    >>> cols.node("Region", "620000", name="甘肃省", level="province")
    '620000'
    >>> cols.tables()["Region"].column("name").to_pylist()
    ['甘肃省']

A row is appended cell by cell (``node``, ``rel``) or a stage extends whole columns of
``Columns.data`` at once (officials, posts, attendance); ``tables`` builds each ``pyarrow`` table
once at the end. Cells are strings as a CSV reads: ``true``/``false``, decimal text, None for empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from schema.model import NODE_KINDS, REL_KINDS


def _cell(v: Any) -> str | None:
    """A Python value as bundle text (floats to two decimals)."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(round(v, 2))
    raise TypeError(f"cannot write {v!r} as a bundle cell")


class Columns:
    """Column lists per bundle file; rows are appended, each table is built once at the end."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, list[str | None]]] = {}
        self._pending: list[tuple[str, tuple[str, ...], list[tuple[str | None, ...]]]] = []
        for name, nk in NODE_KINDS.items():
            cols = ["id", *(p.name for p in nk.properties.values() if not p.derived)]
            self.data[name] = {c: [] for c in cols}
        for name, rk in REL_KINDS.items():
            self.data[name] = {c: [] for c in ("from", "to", *rk.properties)}

    def node(self, node_kind: str, id_: str, /, **props: Any) -> str:
        cols = self.data[node_kind]
        for k in props:
            if k not in cols:
                raise KeyError(f"{node_kind} has no column {k}")
        for c, lst in cols.items():
            lst.append(id_ if c == "id" else _cell(props.get(c)))
        return id_

    def rel(self, rel_kind: str, frm: str, to: str, /, **props: Any) -> None:
        cols = self.data[rel_kind]
        for k in props:
            if k not in cols:
                raise KeyError(f"{rel_kind} has no column {k}")
        for c, lst in cols.items():
            lst.append(frm if c == "from" else to if c == "to" else _cell(props.get(c)))

    def appender(self, kind: str, *columns: str) -> Callable[[tuple[str | None, ...]], None]:
        """A fast writer of ``kind`` rows: one tuple of cells per row, in ``columns`` order, already bundle text.

        For stages writing hundreds of thousands of rows. The rows join ``data`` (after the rows
        written by ``node``/``rel``, other columns empty) when ``tables`` is called.

            >>> cols = Columns()
            >>> add = cols.appender("TO", "from", "to")
            >>> add(("TR-1", "ORG-1")); cols.tables()["TO"].column("to").to_pylist()
            ['ORG-1']
        """
        cols = self.data[kind]
        unknown = [c for c in columns if c not in cols]
        if unknown:
            raise KeyError(f"{kind} has no column {unknown}")
        rows: list[tuple[str | None, ...]] = []
        self._pending.append((kind, columns, rows))
        return rows.append

    def _flush(self) -> None:
        for kind, columns, rows in self._pending:
            cols = self.data[kind]
            bad = next((r for r in rows if len(r) != len(columns)), None)
            if bad is not None:
                raise ValueError(f"{kind} row {bad!r} does not have the {len(columns)} cells of {columns}")
            for i, c in enumerate(columns):
                cols[c].extend([r[i] for r in rows])
            for c, lst in cols.items():
                if c not in columns:
                    lst.extend([None] * len(rows))
            rows.clear()

    def tables(self) -> dict[str, pa.Table]:
        self._flush()
        return {
            name: pa.table({c: pa.array(v, type=pa.string()) for c, v in cols.items()})
            for name, cols in self.data.items()
        }
