"""The reference app's documents, built from web/operations/*.graphql as the app sends them.

Each document is one named operation followed by every fragment it spreads, directly or through
other fragments, in the order web/api.js used to join them. A file added to web/operations/ is
picked up without listing it here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from graph.documents.ids import document_id

_COMMENT = re.compile(r"^#.*$", re.MULTILINE)
_DEFINITION = re.compile(r"^(query|mutation|fragment)\s+(\w+)", re.MULTILINE)
_SPREAD = re.compile(r"\.\.\.\s*(\w+)")


class DuplicateDefinition(ValueError):
    """Two definitions of web/operations/ share a name: the app could send only one."""


def _definitions() -> tuple[dict[str, str], set[str]]:
    """Every definition's text by name, and which names are operations."""
    folder = files("web") / "operations"
    names = sorted(item.name for item in folder.iterdir() if item.name.endswith(".graphql"))
    text = _COMMENT.sub("", "\n".join((folder / name).read_text("utf-8") for name in names))
    starts = list(_DEFINITION.finditer(text))
    definitions: dict[str, str] = {}
    operations: set[str] = set()
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        name = match[2]
        if name in definitions:
            raise DuplicateDefinition(f"web/operations/ defines {name} twice")
        definitions[name] = text[match.start() : end].strip()
        if match[1] != "fragment":
            operations.add(name)
    return definitions, operations


def _with_fragments(definitions: dict[str, str], name: str) -> str:
    seen: list[str]
    wanted, seen = [name], []
    while wanted:
        next_name = wanted.pop()
        if next_name in seen:
            continue
        seen.append(next_name)
        wanted += [m[1] for m in _SPREAD.finditer(definitions[next_name]) if m[1] != "on"]
    return "\n\n".join(definitions[n] for n in seen)


@cache
def reference_app_documents() -> dict[str, str]:
    """operationName -> the document the reference app sends for it."""
    definitions, operations = _definitions()
    return {name: _with_fragments(definitions, name) for name in sorted(operations)}


@cache
def reference_app_ids() -> dict[str, str]:
    """operationName -> "sha256:<hex>", the map the app asks for (`/web/documents.json`)."""
    return {name: document_id(text) for name, text in reference_app_documents().items()}
