"""Strawberry's own security extensions, configured from settings."""

from __future__ import annotations

from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from graph.context import NotAuthenticated
from graph.settings import Settings


def _is_unexpected(error: GraphQLError) -> bool:
    """Mask bugs only: document errors and 'not authenticated' are meant for the client."""
    original = error.original_error
    return original is not None and not isinstance(original, NotAuthenticated)


def security_extensions(settings: Settings) -> list[SchemaExtension]:
    extensions: list[SchemaExtension] = [
        MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        ParserCache(maxsize=256),
        MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
        QueryDepthLimiter(max_depth=settings.graphql_max_depth),
        ValidationCache(maxsize=256),
    ]
    if settings.is_production:
        extensions += [
            DisableIntrospection(),
            MaskErrors(should_mask_error=_is_unexpected),
        ]
    return extensions
