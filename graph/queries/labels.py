"""Labels users see: a node record's Chinese caption (``schema.captions``), many at once, JSON values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from graph.port import GraphStore, Node
from schema.captions import caption


def node_label(rec: Node, subject_name: str | None = None) -> str:
    """A Chinese, human-readable label by the kind's caption recipe (``schema.captions``).

    >>> node_label({"id": "M1", "kind": "Measure", "measure_kind": "admonishment"}, "张伟")
    '诫勉（张伟）'
    """
    return caption(rec, subject_name)


def labels_for(store: GraphStore, records: Iterable[Node]) -> dict[str, str]:
    """Labels of many records; measure labels name their subject (one batched lookup for all)."""
    recs = list(records)
    measures = [r["id"] for r in recs if r["kind"] == "Measure"]
    subject_name: dict[str, str] = {}
    if measures:
        applies = store.edges(measures, ("APPLIES_TO",), "out")
        known = {r["id"]: r for r in recs}
        missing = [e.target for e in applies if e.target not in known]
        known.update(store.get_nodes(missing) if missing else {})
        for e in applies:
            subj = known.get(e.target)
            if subj is not None:
                subject_name[e.source] = str(subj.get("name") or subj["id"])
    return {r["id"]: node_label(r, subject_name.get(r["id"])) for r in recs}


def json_value(value: Any) -> Any:
    """A property value as JSON: dates become ISO strings."""
    return value.isoformat() if isinstance(value, date) else value
