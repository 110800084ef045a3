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

    def tables(self) -> dict[str, pa.Table]:
        return {
            name: pa.table({c: pa.array(v, type=pa.string()) for c, v in cols.items()})
            for name, cols in self.data.items()
        }
