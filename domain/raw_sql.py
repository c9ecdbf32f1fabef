"""Hand-written statements for the hottest paths (a sign-in), where building each statement
through the ORM cost more CPU than running it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

_TEXT_BY_DIALECT: dict[tuple[str, str], str] = {}


def _for_dialect(dialect: str, sql: str) -> str:
    """`sql`, written with `?` placeholders, as the database wants it: `?` on SQLite, `$1`,
    `$2`... on PostgreSQL. `?ts` is a timestamp whose type the statement does not imply (a
    CASE's branch): PostgreSQL is told it, SQLite keeps timestamps as text anyway. Placeholders
    only: no statement here holds a `?` in its text."""
    cached = _TEXT_BY_DIALECT.get((dialect, sql))
    if cached is None:
        pieces = sql.split("?")
        cached = pieces[0]
        for number, piece in enumerate(pieces[1:], 1):
            timestamp = piece.startswith("ts")
            rest = piece[2:] if timestamp else piece
            if dialect == "sqlite":
                cached += f"?{rest}"
            else:
                cached += f"${number}::timestamptz{rest}" if timestamp else f"${number}{rest}"
        _TEXT_BY_DIALECT[(dialect, sql)] = cached
    return cached


async def rows(
    connection: BaseDBAsyncClient, sql: str, values: Sequence[Any]
) -> list[dict[str, Any]]:
    """Run `sql` (with `?` placeholders) on `connection` (the transaction's, when one is open)
    and return its rows by column name; a write's rows too (its RETURNING clause), which
    Tortoise's `execute_query` drops on PostgreSQL."""
    dialect = connection.capabilities.dialect
    return await connection.execute_query_dict(_for_dialect(dialect, sql), list(values))
