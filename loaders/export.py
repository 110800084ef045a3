"""Write the whole graph as a bundle folder that ``wenze load`` accepts (round trip).

export_bundle(store, Path("backup/"))    # one UTF-8 CSV per kind, headers are MODEL.md identifiers
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from graph.port import GraphStore
from schema.model import NODE_KINDS, REL_KINDS


def _as_text(table: pa.Table) -> pa.Table:
    cols = []
    for col in table.columns:
        if pa.types.is_boolean(col.type):
            col = pc.if_else(col, "true", "false")
        cols.append(pc.cast(col, pa.string()))
    return pa.Table.from_arrays(cols, names=table.column_names)


def export_bundle(store: GraphStore, path: Path) -> dict[str, int]:
    """Write one CSV per non-empty kind into ``path`` (created if needed); returns rows per file."""
    path.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    kinds = [(k, store.scan_nodes) for k in NODE_KINDS] + [(k, store.scan_edges) for k in REL_KINDS]
    for kind, scan in kinds:
        tables = [t for t in scan(kind) if t.num_rows]
        if not tables:
            continue
        table = _as_text(pa.concat_tables(tables))
        by_endpoints = [("from", "ascending"), ("to", "ascending")]
        sort_keys = [("id", "ascending")] if "id" in table.column_names else by_endpoints
        table = table.sort_by(sort_keys)
        pacsv.write_csv(table, path / f"{kind}.csv", pacsv.WriteOptions(quoting_style="needed"))
        written[kind] = table.num_rows
    return written
