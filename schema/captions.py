"""Chinese labels of node records and the order lists of them run in, by ``NodeKind.caption`` and
``NodeKind.sort_by``. Pure functions over records (``{"id", "kind", <properties>}``, a node's own
``kind`` under ``property_key``).

    >>> caption({"id": "M1", "kind": "Measure", "measure_kind": "admonishment"}, "张伟")
    '诫勉（张伟）'
    >>> caption({"id": "D1", "kind": "DutyReport", "year": 2023, "reporter_role": "县长"})
    '2023年度述法（县长）'
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date
from typing import Any

from schema.model import NODE_KINDS, property_key


def _shown(kind: str, prop: str, value: Any) -> str:
    """A property value as users read it: an enum by its label, a date as YYYY-MM-DD."""
    if isinstance(value, date):
        return value.isoformat()
    declared = NODE_KINDS[kind].properties.get(prop)
    if declared is not None and declared.values is not None and value in declared.values.names:
        return declared.values.label_of(str(value))
    return str(value)


def _value(rec: Mapping[str, Any], prop: str) -> Any:
    return rec.get(property_key(rec["kind"], prop))


def caption(rec: Mapping[str, Any], subject_name: str | None = None) -> str:
    """The label of a node record; ``subject_name`` fills a measure's ``@subject`` detail."""
    kind = rec["kind"]
    nk = NODE_KINDS[kind]
    recipe = nk.caption
    head_template = recipe.head or "{" + nk.title_property + "}"
    fields = [f for _, f, _, _ in string.Formatter().parse(head_template) if f]
    values = {f: _value(rec, f) for f in fields}
    details = list(recipe.details)
    if all(v not in (None, "") for v in values.values()):
        head = head_template.format(**{f: _shown(kind, f, v) for f, v in values.items()})
    else:
        head = nk.label
        details += recipe.bare_details
    shown: list[str] = []
    for d in details:
        if d == "@subject":
            value: Any = subject_name
        else:
            value = _value(rec, d)
        if value not in (None, ""):
            shown.append(_shown(kind, d, value))
    if recipe.bare_details and head == nk.label:
        shown = shown[:1]  # the first date the record has, as before
    return f"{head}（{'，'.join(shown)}）" if shown else head


def sort_key(rec: Mapping[str, Any]) -> tuple[Any, str]:
    """Oldest first on the kind's ``sort_by`` (the first property set; unset last), then by id."""
    for prop in NODE_KINDS[rec["kind"]].sort_by:
        value = _value(rec, prop)
        if value is not None:
            return (0, value), rec["id"]
    return (1, 0), rec["id"]
