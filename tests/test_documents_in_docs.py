"""Every GraphQL document the README and docs/ show is valid against the schema, so what a
developer copies runs: fenced ```graphql blocks, and the README's `gql '...'` curl lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from graph.schema import schema

ROOT = Path(__file__).resolve().parent.parent
FENCED = re.compile(r"```graphql\n(?P<document>.*?)```", re.DOTALL)
CURL = re.compile(r"^gql '(?P<document>.+)'$", re.MULTILINE)


def documents() -> list[tuple[str, str]]:
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        found += [(name, m["document"]) for m in FENCED.finditer(text)]
        found += [(name, m["document"].replace('\\"', '"')) for m in CURL.finditer(text)]
    return found


DOCUMENTS = documents()


def test_the_docs_show_documents_at_all() -> None:
    # then: the README walks through the flow with curl, docs/clients.md shows client documents
    assert {name for name, _ in DOCUMENTS} >= {"README.md", "docs/clients.md"}


@pytest.mark.parametrize(
    "document", [d for _, d in DOCUMENTS], ids=[f"{n}#{i}" for i, (n, _) in enumerate(DOCUMENTS)]
)
def test_every_document_in_the_docs_is_valid(document: str) -> None:
    # when
    errors = validate(schema._schema, parse(document))

    # then
    assert [e.message for e in errors] == []
