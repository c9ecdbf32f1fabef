"""Test support lives in tests/support/: no module reaches into conftest.py or into a test
module for a constant or a helper, so fixtures stay fixtures and test modules stay leaves."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported_modules(path: Path) -> list[str]:
    """Every module `path` imports, as a dotted name from the repository root."""
    package = ".".join(path.relative_to(TESTS.parent).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            found += [module, *(f"{module}.{alias.name}" for alias in node.names)]
    return found


def test_no_module_imports_from_conftest_or_from_a_test_module() -> None:
    # when
    reaching = [
        f"{path.relative_to(TESTS)}: {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in _imported_modules(path)
        if module.startswith("tests.")
        and any(part == "conftest" or part.startswith("test_") for part in module.split("."))
    ]

    # then
    assert reaching == []
