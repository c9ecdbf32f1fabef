"""Strawberry's own security extensions, configured from settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

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


ExtensionFactory = Callable[[], SchemaExtension]


def security_extensions(settings: Settings) -> list[ExtensionFactory]:
    """Factories, so each request gets fresh extension instances; the caches are shared."""
    extensions: list[ExtensionFactory] = [
        partial(MaxTokensLimiter, max_token_count=settings.graphql_max_tokens),
        partial(ParserCache, maxsize=256),
        partial(MaxAliasesLimiter, max_alias_count=settings.graphql_max_aliases),
        partial(QueryDepthLimiter, max_depth=settings.graphql_max_depth),
        partial(ValidationCache, maxsize=256),
    ]
    if settings.is_production:
        extensions += [DisableIntrospection, partial(MaskErrors, should_mask_error=_is_unexpected)]
    return extensions
