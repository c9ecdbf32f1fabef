"""Which document a request runs: by id (the GraphQL-over-HTTP persisted documents proposal's
`documentId`, or Apollo's `extensions.persistedQuery.sha256Hash`) or by its text.

- A known id runs its document; with the same text beside it too (Apollo's retry), a different
  text is refused (DOCUMENT_ID_MISMATCH): an id never vouches for another document.
- An unknown id answers PERSISTED_QUERY_NOT_FOUND, the error Apollo clients expect. Nothing is
  ever registered by a request: with a text, outside TRUSTED_DOCUMENTS_ONLY, the text runs as
  any free document would, if the id is its hash.
- Without an id, under TRUSTED_DOCUMENTS_ONLY, only a trusted document's exact text runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.documents.ids import PREFIX, document_id, is_document_id
from graph.documents.manifest import TrustedDocuments
from graph.error_codes import (
    BAD_REQUEST,
    DOCUMENT_ID_MISMATCH,
    PERSISTED_QUERY_NOT_FOUND,
    TRUSTED_DOCUMENT_REQUIRED,
)


class DocumentRefused(Exception):
    """The request names no document this server runs; nothing ran."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def requested_id(document_id_member: object, extensions: Mapping[str, object] | None) -> str | None:
    """The id a request names, in either wire form, or None."""
    named = document_id_member
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is not None:
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(digest, str):
            raise _bad("`extensions.persistedQuery.sha256Hash` must be a string.")
        apollo = PREFIX + digest
        if named is not None and named != apollo:
            raise _bad("`documentId` and `extensions.persistedQuery` name different documents.")
        named = apollo
    if named is None:
        return None
    if not isinstance(named, str) or not is_document_id(named):
        raise _bad("A document id is `sha256:` and 64 lower-case hex digits.")
    return named


async def document_to_run(
    documents: TrustedDocuments, wanted: str | None, query: str | None, *, only_trusted: bool
) -> str | None:
    """The text to execute, or DocumentRefused."""
    if wanted is None:
        if query is not None and only_trusted and documents.by_text(query) is None:
            raise DocumentRefused(
                400,
                TRUSTED_DOCUMENT_REQUIRED,
                "This server runs only its trusted documents: send a registered document's id.",
            )
        return query
    trusted = await documents.find(wanted)
    if trusted is None:
        if query is not None and not only_trusted:
            if document_id(query) != wanted:
                raise _mismatch()
            return query
        raise DocumentRefused(404, PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
    if query is not None and query != trusted.text:
        raise _mismatch()
    return trusted.text


def _mismatch() -> DocumentRefused:
    return DocumentRefused(
        400, DOCUMENT_ID_MISMATCH, "The document sent is not the one its id names."
    )


def _bad(message: str) -> DocumentRefused:
    return DocumentRefused(400, BAD_REQUEST, message)
