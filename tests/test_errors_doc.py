"""docs/errors.md documents every code a client can meet: each `ErrorCode` value, and exactly
the closed set of top-level codes, which is every code the server's own code can produce."""

from __future__ import annotations

import re
from pathlib import Path

from graph.error_codes import TOP_LEVEL_CODES
from graph.types.errors import ErrorCode

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
# A table row whose first cell is a code: | `CODE` | ...
ROW = re.compile(r"^\| `(?P<code>[A-Z_]+)` \|", re.MULTILINE)
# Codes written into answers in graph/: refusals, and GraphQLError extensions
WRITTEN = re.compile(
    r"(?:error_response|_refusal)\(\s*\d+,\s*\"(?P<a>[A-Z_]+)\"|\"code\":\s*\"(?P<b>[A-Z_]+)\""
)


def _section(title: str) -> str:
    start = DOC.index(f"## {title}")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end != -1 else None]


def test_every_error_code_value_is_documented_with_when_and_what_to_do() -> None:
    # given
    documented = set(ROW.findall(_section("Union member codes")))

    # then
    assert documented == {code.value for code in ErrorCode}


def test_the_documented_top_level_codes_are_the_closed_set() -> None:
    # given
    documented = set(ROW.findall(_section("Top-level codes")))

    # then
    assert documented == set(TOP_LEVEL_CODES)


def test_the_server_writes_no_top_level_code_outside_the_closed_set() -> None:
    # given: every code literal written into an answer anywhere in the GraphQL layer
    written = {
        match["a"] or match["b"]
        for path in (ROOT / "graph").rglob("*.py")
        for match in WRITTEN.finditer(path.read_text(encoding="utf-8"))
    }
    constants = {
        name
        for name in re.findall(
            r"^([A-Z_]+) = \"\1\"$",
            (ROOT / "graph" / "error_codes.py").read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    }

    # then: literals and the named constants are all in the documented set
    assert written <= TOP_LEVEL_CODES
    assert constants == TOP_LEVEL_CODES
