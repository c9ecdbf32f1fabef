"""The manifest: every trusted document by id and by text, each parsed and validated once.

Built-in documents (the reference app's, GraphiQL's ready one) are read at start; documents an
operator registered are read from the database at start and, for an id this process does not
know yet, looked up again, so one added while the server runs works in every process at once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from importlib.resources import files

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse

from domain import trusted_documents
from graph.documents.ids import document_id
from graph.documents.reference_app import reference_app_documents
from graph.extensions.validation import DocumentValidator

logger = logging.getLogger("twofold.documents")

REFERENCE_APP = "reference app"
GRAPHIQL = "GraphiQL"
REGISTERED = "registered"
# How often each process reads the registered documents again, so a removed one stops working.
REFRESH_SECONDS = 30.0


@dataclass(frozen=True)
class Trusted:
    id: str
    text: str
    document: DocumentNode
    origin: str


class UntrustworthyDocument(ValueError):
    """The text does not parse or does not validate against this schema."""


def checked(schema: GraphQLSchema, validator: DocumentValidator, text: str) -> DocumentNode:
    """The document parsed, if it parses and validates under the server's policy."""
    try:
        document = parse(text)
    except GraphQLError as error:
        raise UntrustworthyDocument(error.message) from error
    errors = validator.check(schema, document)
    if errors:
        raise UntrustworthyDocument("; ".join(error.message for error in errors))
    return document


class TrustedDocuments:
    def __init__(self, validator: DocumentValidator) -> None:
        self.validator = validator
        self._schema: GraphQLSchema | None = None
        self._by_id: dict[str, Trusted] = {}
        self._by_text: dict[str, Trusted] = {}

    def load_built_in(self, schema: GraphQLSchema) -> None:
        """The reference app's operations and GraphiQL's ready document; a bad one stops start."""
        self._schema = schema
        for text in reference_app_documents().values():
            self._keep(text, REFERENCE_APP)
        graphiql = (files("graph.http.graphiql") / "operations.graphql").read_text("utf-8")
        self._keep(graphiql, GRAPHIQL)

    async def load_registered(self) -> None:
        """The registered documents as the database holds them now: new ones are trusted, and
        removed ones (`twofold documents remove`) no longer are."""
        rows = await trusted_documents.registered()
        stored = {row.id for row in rows}
        gone = [t for t in self._by_id.values() if t.origin == REGISTERED and t.id not in stored]
        for trusted in gone:
            del self._by_id[trusted.id], self._by_text[trusted.text]
        for row in rows:
            self._keep_registered(row.id, row.text)

    async def keep_refreshing(self) -> None:
        """Runs for the server's life (graph/http/app.py): re-reads the registered documents."""
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                await self.load_registered()
            except Exception:  # a database hiccup: keep what is known, try again later
                logger.exception("could not re-read the registered trusted documents")

    def by_text(self, text: str | None) -> Trusted | None:
        return None if text is None else self._by_text.get(text)

    async def find(self, wanted: str) -> Trusted | None:
        """The document with this id, asking the database when this process does not know it."""
        known = self._by_id.get(wanted)
        if known is not None:
            return known
        row = await trusted_documents.find(wanted)
        return None if row is None else self._keep_registered(row.id, row.text)

    def _keep_registered(self, stored_id: str, text: str) -> Trusted | None:
        # A registered document the schema no longer accepts is not trusted (clients get
        # PERSISTED_QUERY_NOT_FOUND); `twofold documents list` shows it.
        if document_id(text) != stored_id:
            return None
        try:
            return self._keep(text, REGISTERED)
        except UntrustworthyDocument:
            return None

    def _keep(self, text: str, origin: str) -> Trusted:
        assert self._schema is not None, "load_built_in first"
        known = self._by_text.get(text)
        if known is not None:
            return known
        document = checked(self._schema, self.validator, text)
        trusted = Trusted(document_id(text), text, document, origin)
        self._by_id[trusted.id] = self._by_text[text] = trusted
        return trusted
