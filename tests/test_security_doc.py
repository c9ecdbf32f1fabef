"""docs/security.md names the code and the tests behind each promise: the names must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
# `security/test_x.py::test_name`, `::test_other` (same module as the last one named)
TEST_REFERENCE = re.compile(r"`(?:(?P<module>[\w/]+\.py))?::(?P<name>test_\w+)`")
# `graph/x.py`, `resolvers/y.py::function`; test modules (`test_*.py`) are tests/' own
CODE_REFERENCE = re.compile(
    r"`(?P<path>(?:graph|domain|models|resolvers|providers)/(?!test_)\w+\.py)(?:::(?P<name>\w+))?`"
)


def _defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def test_every_test_the_security_doc_names_exists() -> None:
    # given
    missing, module = [], None

    # when
    for line in DOC.read_text(encoding="utf-8").splitlines():
        for match in TEST_REFERENCE.finditer(line):
            module = match["module"] or module
            assert module is not None, line
            path = ROOT / "tests" / module
            if not path.is_file() or match["name"] not in _defined_names(path):
                missing.append(f"{module}::{match['name']}")

    # then
    assert missing == []


def test_every_module_and_function_the_security_doc_names_exists() -> None:
    # when
    missing = [
        match[0]
        for match in CODE_REFERENCE.finditer(DOC.read_text(encoding="utf-8"))
        if not (ROOT / match["path"]).is_file()
        or (match["name"] and match["name"] not in _defined_names(ROOT / match["path"]))
    ]

    # then
    assert missing == []
