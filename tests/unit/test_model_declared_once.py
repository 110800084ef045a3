"""What schema/ declares is not restated elsewhere: enum labels, relationship key properties, walk bounds.

A restated copy is a place a later rule (a new measure kind, an access scope) is forgotten, so these
literals may appear only in schema/ (tests and the demo's generated text aside).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from schema import vocabulary as V
from schema.model import REL_KINDS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    p
    for top in ("graph", "loaders", "api")
    for p in sorted((ROOT / top).rglob("*.py"))
    if "demo" not in p.relative_to(ROOT).parts[1:2] and not p.name.startswith("demo")
]
# The storage layer: port and backends, which must take relationship keys from schema/.
STORAGE = [p for p in SOURCES if p.parts[-2] in ("neo4j", "ladybug") or p.name in ("port.py",) or "store" in p.name]


def _string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _labels() -> set[str]:
    found = {label for label in V.FORM_LABELS.values()}
    for value in vars(V).values():
        if isinstance(value, V.Vocabulary):
            found |= {v.label for v in value.values}
    return found


def test_sources_are_found():
    assert len(SOURCES) > 30 and STORAGE


def test_no_enum_label_outside_schema():
    labels = _labels()
    hits = [f"{p.relative_to(ROOT)}:{line} {s!r}" for p in SOURCES for line, s in _string_literals(p) if s in labels]
    assert hits == []


def test_no_relationship_key_property_in_the_storage_layer():
    keys = {k for rk in REL_KINDS.values() for k in rk.key_properties}
    hits = [f"{p.relative_to(ROOT)}:{line} {s!r}" for p in STORAGE for line, s in _string_literals(p) if s in keys]
    assert hits == []


def test_no_walk_bound_outside_schema():
    bound = re.compile(r"^\s*_?(MAX_\w*(HOPS?|DEPTH)\w*)\s*(:\s*\w+\s*)?=\s*\d+", re.M)
    hits = [f"{p.relative_to(ROOT)}: {m.group(0).strip()}" for p in SOURCES for m in bound.finditer(p.read_text())]
    assert hits == []
