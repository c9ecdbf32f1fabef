"""Counting and timing each GraphQL root field, by its outcome (the result's type name)."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo, GraphQLSchema, default_field_resolver
from strawberry.types.base import has_object_definition

from domain import metrics

ERROR = "error"


def _outcome(result: object) -> str:
    """The GraphQL type a root field answered with: a union member's name, `null`, or `value`
    (scalars and lists)."""
    if result is None:
        return "null"
    if has_object_definition(result):
        return str(result.__strawberry_definition__.name)
    return "value"


def time_root_fields(schema: GraphQLSchema) -> None:
    """Wrap the resolver of each root field (queries and mutations) to count and time it.

    Only root fields are wrapped, in the schema itself: a Strawberry `resolve` hook would make
    graphql-core run a middleware around every field of every answer (a tenth of a signed-in
    `viewer`'s execution) to find the few it times.
    """
    for root in (schema.query_type, schema.mutation_type):
        for name, field in (root.fields if root else {}).items():
            field.resolve = _timed(name, field.resolve or default_field_resolver)


def _timed(name: str, resolve: GraphQLFieldResolver) -> GraphQLFieldResolver:
    def timed(root: Any, info: GraphQLResolveInfo[Any], **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            result = resolve(root, info, **kwargs)
        except Exception:
            _observe(name, ERROR, started)
            raise
        if inspect.isawaitable(result):
            return _awaited(name, result, started)
        _observe(name, _outcome(result), started)
        return result

    return timed


async def _awaited(name: str, pending: Awaitable[Any], started: float) -> Any:
    try:
        result = await pending
    except Exception:
        _observe(name, ERROR, started)
        raise
    _observe(name, _outcome(result), started)
    return result


def _observe(name: str, outcome: str, started: float) -> None:
    metrics.OPERATIONS.labels(name, outcome).inc()
    metrics.OPERATION_SECONDS.labels(name).observe(time.perf_counter() - started)
