"""Strawberry's own security extensions, configured from settings, around bounded validation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxTokensLimiter, ParserCache, SchemaExtension

from domain.settings import Settings
from graph.documents.manifest import TrustedDocuments
from graph.error_codes import internal_error_extensions
from graph.extensions.validation import BoundedValidation, DocumentValidator, ValidationPolicy


def _is_unexpected(error: GraphQLError) -> bool:
    """Mask bugs only: document, variable and 'not authenticated' errors are the client's.

    Variable coercion errors wrap a GraphQLError of their own, so only errors raised by
    something other than GraphQL itself (or Twofold's NotAuthenticated) are masked.
    """
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    """Strawberry's masking, with the code and request id every internal error carries: the
    message says nothing, the id finds the traceback on the request's log lines."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            message=self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions=internal_error_extensions(),
        )


class TrustedParserCache(ParserCache):
    """A trusted document was parsed at start: its tree is used as is, the rest are cached."""

    def __init__(self, documents: TrustedDocuments, maxsize: int) -> None:
        super().__init__(maxsize=maxsize)
        self.documents = documents

    def on_parse(self) -> Iterator[None]:
        trusted = self.documents.by_text(self.execution_context.query)
        if trusted is None:
            yield from super().on_parse()
            return
        self.execution_context.graphql_document = trusted.document
        yield


ExtensionFactory = Callable[[], SchemaExtension]


def document_validator(settings: Settings) -> DocumentValidator:
    return DocumentValidator(
        ValidationPolicy(
            max_selections=settings.graphql_max_selections,
            max_depth=settings.graphql_max_depth,
            max_aliases=settings.graphql_max_aliases,
            introspection=not settings.is_production,
            suggestions=not settings.is_production,
        )
    )


def security_extensions(
    settings: Settings, validator: DocumentValidator, documents: TrustedDocuments
) -> list[ExtensionFactory]:
    """Factories, so each request gets fresh extension instances; caches and rules are shared.

    The depth, alias and introspection rules are Strawberry's, run by `BoundedValidation` after
    a cost check that bounds their work (see graph/extensions/validation.py). Trusted documents
    skip both parsing and validation: they were parsed and validated at start.
    """
    extensions: list[ExtensionFactory] = [
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(TrustedParserCache, documents, 256),
        partial(BoundedValidation, validator, documents),
    ]
    if settings.is_production:
        extensions.append(partial(MaskUnexpectedErrors, should_mask_error=_is_unexpected))
    return extensions
