"""Imports point one way: graph -> resolvers -> domain -> models / providers / i18n.

The domain never imports the GraphQL layer, resolvers hold one entry point each, and only
`domain/flows.py` asks the state machine for a flow's next step. Inside graph/, the command
line sits on the HTTP edge, which sits on the GraphQL surface, its extensions and the start-up
wiring: none of those imports what sits on it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules_of(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("domain", ("graph", "resolvers", "strawberry", "starlette.requests")),
        ("models", ("graph", "resolvers", "domain", "providers", "strawberry")),
        ("providers", ("graph", "resolvers", "domain", "strawberry")),
        ("i18n", ("graph", "resolvers", "domain", "models", "providers", "strawberry")),
    ],
)
def test_lower_layers_never_import_upper_ones(package: str, forbidden: tuple[str, ...]) -> None:
    # when
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in modules_of(package)
        for module in imported_modules(path)
        if module.split(".")[0] in {f.split(".")[0] for f in forbidden}
        and any(module == f or module.startswith(f + ".") for f in forbidden)
    }

    # then
    assert offending == set()


def imports_of(paths: list[Path], forbidden: tuple[str, ...]) -> set[str]:
    """`file: module` for each import in `paths` of a `forbidden` module or one inside it."""
    return {
        f"{path.relative_to(ROOT)}: {module}"
        for path in paths
        for module in imported_modules(path)
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    }


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("graph/extensions", ("graph.http", "graph.cli")),
        ("graph/types", ("graph.http", "graph.cli")),
        ("graph/startup", ("graph.http", "graph.cli")),
        ("graph/http", ("graph.cli",)),
    ],
)
def test_graph_sub_packages_never_import_what_sits_on_them(
    package: str, forbidden: tuple[str, ...]
) -> None:
    # given
    paths = modules_of(package)
    assert paths, f"{package} holds no modules"

    # when
    offending = imports_of(paths, forbidden)

    # then
    assert offending == set()


def test_only_the_command_line_imports_the_command_line() -> None:
    # given
    outside = [
        path
        for package in ("graph", "resolvers", "domain", "models", "providers")
        for path in modules_of(package)
        if (ROOT / "graph" / "cli") not in path.parents
    ]

    # when
    offending = imports_of(outside, ("graph.cli",))

    # then
    assert offending == set()


def test_each_resolver_module_is_one_entry_point_named_after_its_file() -> None:
    # when
    shapes = {}
    for path in modules_of("resolvers"):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        public = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and not node.name.startswith("_")
        ]
        shapes[path.stem] = public

    # then
    assert shapes == {name: [name] for name in shapes}


def test_only_the_flows_module_computes_a_next_step() -> None:
    # when: who asks the state machine's `advance` for a step
    asks = re.compile(
        r"state_machine\.advance\(|from models\.state_machine import[^\n]*\badvance\b"
    )
    callers = {
        str(path.relative_to(ROOT))
        for package in ("graph", "resolvers", "domain")
        for path in modules_of(package)
        if asks.search(path.read_text(encoding="utf-8"))
    }

    # then
    assert callers == {"domain/flows.py"}


def test_only_the_schema_imports_the_resolvers() -> None:
    # when
    importers = {
        str(path.relative_to(ROOT))
        for package in ("graph", "domain", "models", "providers")
        for path in modules_of(package)
        if any(m == "resolvers" or m.startswith("resolvers.") for m in imported_modules(path))
    }

    # then
    assert importers == {"graph/schema.py"}
