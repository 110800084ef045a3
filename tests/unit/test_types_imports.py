"""api/types modules import each other without cycles: a type another module defines is named through
``strawberry.lazy`` (with an ``if TYPE_CHECKING:`` import for mypy) or imported inside the function
that uses it at run time; no module imports at its bottom to dodge a cycle.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

TYPES = Path(__file__).resolve().parents[2] / "api" / "types"
MODULES = sorted(p.stem for p in TYPES.glob("*.py") if p.stem != "__init__")


def _tree(name: str) -> ast.Module:
    return ast.parse((TYPES / f"{name}.py").read_text(encoding="utf-8"))


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _run_time_imports(name: str) -> set[str]:
    """The api.types modules ``name`` imports when it is imported (module level, not TYPE_CHECKING)."""
    out: set[str] = set()
    for node in _tree(name).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "api.types":
                out.update(a.name for a in node.names)
            elif node.module.startswith("api.types."):
                out.add(node.module.removeprefix("api.types."))
        elif isinstance(node, ast.Import):
            out.update(a.name.removeprefix("api.types.") for a in node.names if a.name.startswith("api.types."))
    return out


def test_the_scan_sees_imports() -> None:
    # The scan below is only worth something if it finds the imports that are there.
    assert {"enums", "node", "scoped"} <= _run_time_imports("campaign")
    assert "case" not in _run_time_imports("campaign")


@pytest.mark.parametrize("name", MODULES)
def test_imports_come_first(name: str) -> None:
    body = _tree(name).body
    first_definition = next(
        (i for i, n in enumerate(body) if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))),
        len(body),
    )
    late = [
        n.lineno for n in body[first_definition:] if isinstance(n, (ast.Import, ast.ImportFrom)) or _is_type_checking(n)
    ]
    assert not late, f"api/types/{name}.py imports after its first definition (lines {late}): use strawberry.lazy"


def test_module_imports_have_no_cycle() -> None:
    graph = {name: _run_time_imports(name) & set(MODULES) for name in MODULES}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = " -> ".join((*path[path.index(name) :], name))
            raise AssertionError(f"api/types import cycle: {cycle}")
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, (*path, name))
        done.add(name)

    for name in MODULES:
        visit(name, ())
    assert done == set(MODULES)


@pytest.mark.parametrize("name", ["post", "stats", "chain", "issue"])
def test_a_module_imports_on_its_own(name: str) -> None:
    # A fresh interpreter: no other module of the package has been imported before this one.
    code = f"import api.types.{name} as m; print(m.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=TYPES.parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"api.types.{name}"


def test_lazy_references_resolve_to_the_defining_class() -> None:
    # AccountabilityChain.issue names Issue lazily; it resolves to the very class api.types.issue defines.
    from strawberry.types.lazy_type import LazyType

    from api.schema import build_schema

    schema = build_schema()
    chain = schema.get_type_by_name("AccountabilityChain")
    field = next(f for f in chain.fields if f.python_name == "issue")  # type: ignore[union-attr]
    assert isinstance(field.type, LazyType)
    assert field.type.resolve_type() is importlib.import_module("api.types.issue").Issue
    assert str(schema._schema.type_map["AccountabilityChain"].fields["issue"].type) == "Issue!"
