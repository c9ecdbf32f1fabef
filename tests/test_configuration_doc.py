"""docs/configuration.md's table lists exactly the settings the code reads: the names are
collected from the code (the `config("NAME", ...)` reads of domain/settings.py and any direct
environment read in the application's packages), never from a list kept by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = ROOT / "domain" / "settings.py"
APPLICATION_PACKAGES = ("graph", "domain", "models", "resolvers", "providers")
DOC = ROOT / "docs" / "configuration.md"
# A table row's first cell: | `NAME` | or | `NAME`, `OTHER` |
ROW = re.compile(r"^\| (?P<cell>`[A-Z][A-Z0-9_]*`(?:, `[A-Z][A-Z0-9_]*`)*) \|", re.MULTILINE)
NAME = re.compile(r"`([A-Z][A-Z0-9_]*)`")


def _loop_constants(tree: ast.AST) -> dict[str, set[str]]:
    """Names bound by `for name in ("A", "B")`, with the strings they take."""
    bound: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Tuple | ast.List)
        ):
            values = {e.value for e in node.iter.elts if isinstance(e, ast.Constant)}
            bound.setdefault(node.target.id, set()).update(str(v) for v in values)
    return bound


def _names_of(argument: ast.expr, loops: dict[str, set[str]]) -> set[str] | None:
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return {argument.value}
    if isinstance(argument, ast.Name) and argument.id in loops:
        return loops[argument.id]
    return None


def _settings_reader_reads() -> tuple[set[str], list[str]]:
    """Every name domain/settings.py reads through its `config` reader, and the reads whose
    name cannot be known from the code (which would make this test blind to them)."""
    tree = ast.parse(SETTINGS_MODULE.read_text(encoding="utf-8"))
    loops = _loop_constants(tree)
    names: set[str] = set()
    unknown: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "config" and node.args:
                found = _names_of(node.args[0], loops)
                if found is None:
                    unknown.append(f"domain/settings.py:{node.lineno}")
                else:
                    names |= found
    return names, unknown


def _is_environ(node: ast.expr) -> bool:
    # os.environ
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _direct_environment_reads() -> set[str]:
    """`os.environ.get("X")`, `os.environ["X"]` and `os.getenv("X")` in the application."""
    names: set[str] = set()
    for package in APPLICATION_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                argument = None
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    getter = node.func
                    if (getter.attr == "get" and _is_environ(getter.value)) or (
                        getter.attr == "getenv"
                    ):
                        argument = node.args[0] if node.args else None
                elif isinstance(node, ast.Subscript) and _is_environ(node.value):
                    argument = node.slice
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    names.add(argument.value)
    return names


def _documented() -> list[str]:
    return [
        name
        for match in ROW.finditer(DOC.read_text(encoding="utf-8"))
        for name in NAME.findall(match["cell"])
    ]


def test_every_setting_read_through_the_settings_reader_has_a_name_in_the_code() -> None:
    # when
    names, unknown = _settings_reader_reads()

    # then: the collection sees the reads (a computed name would hide a setting from the doc)
    assert {"DATABASE_URL", "TWOFOLD_SECRET_KEY", "SMTP_HOST", "LOG_FORMAT"} <= names
    assert unknown == []


def test_the_configuration_table_lists_exactly_the_settings_the_code_reads() -> None:
    # given
    read, _ = _settings_reader_reads()
    read |= _direct_environment_reads()

    # when
    documented = _documented()

    # then
    assert sorted(set(documented) - read) == []
    assert sorted(read - set(documented)) == []


def test_the_configuration_table_lists_each_setting_once() -> None:
    # when
    documented = _documented()

    # then
    assert sorted(name for name in set(documented) if documented.count(name) > 1) == []
