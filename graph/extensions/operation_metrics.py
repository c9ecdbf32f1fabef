"""Counting and timing each GraphQL root field, by its outcome (the result's type name)."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
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


class OperationMetrics(SchemaExtension):
    """Only root fields are wrapped; every other field resolves as it would without this."""

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: str,
        **kwargs: Any,
    ) -> Any:
        if info.path.prev is not None or info.field_name.startswith("__"):
            return _next(root, info, *args, **kwargs)
        name = info.field_name
        started = time.perf_counter()
        try:
            result = _next(root, info, *args, **kwargs)
        except Exception:
            _observe(name, ERROR, started)
            raise
        if inspect.isawaitable(result):
            return _awaited(name, result, started)
        _observe(name, _outcome(result), started)
        return result


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
