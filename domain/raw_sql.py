"""Hand-written statements for the hottest paths (a sign-in), where building each statement
through the ORM cost more CPU than running it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields.base import DatabaseDefault
from tortoise.models import Model

M = TypeVar("M", bound=Model)
_TEXT_BY_DIALECT: dict[tuple[str, str], str] = {}
_SELECT_BY_WHERE: dict[tuple[str, str], str] = {}


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


async def first(model: type[M], where: str, values: Sequence[Any]) -> M | None:
    """The first `model` row matching `where` (SQL on its columns, `?` placeholders), made as
    Tortoise makes it, in one statement built once: building it through the ORM, and reading
    SQLite's ISO datetimes with Tortoise's parser (iso8601), cost more than running it."""
    meta = model._meta
    key = (meta.db_table, where)
    sql = _SELECT_BY_WHERE.get(key)
    if sql is None:
        columns = ", ".join(f'"{column}"' for column in meta.fields_db_projection.values())
        sql = _SELECT_BY_WHERE[key] = (
            f'SELECT {columns} FROM "{meta.db_table}" WHERE {where} LIMIT 1'  # noqa: S608 - names from the model, values are parameters
        )
    found = await rows(meta.db, sql, values)
    if not found:
        return None
    row = found[0]
    for column in _datetime_columns(model):
        if isinstance(row[column], str):
            with contextlib.suppress(ValueError):  # any other form: Tortoise's parser reads it
                row[column] = datetime.fromisoformat(row[column])
    return model._init_from_db(**row)


@cache
def _datetime_columns(model: type[Model]) -> tuple[str, ...]:
    meta = model._meta
    return tuple(
        column
        for name, column in meta.fields_db_projection.items()
        if isinstance(meta.fields_map[name], fields.DatetimeField)
    )


async def insert(instances: Sequence[Model]) -> None:
    """Insert `instances` (of one model, made with `Model(...)`) in one statement, as `save`
    would; faster than `create` (whose bookkeeping cost seven times the statement). The
    database's own keys (an autoincrement id) are not read back. A field left to a database
    default falls back to `save`."""
    if not instances:
        return
    model = type(instances[0])
    meta = model._meta
    names = _insert_fields(model)
    if any(
        isinstance(getattr(each, name), DatabaseDefault) for each in instances for name in names
    ):
        for each in instances:
            await each.save()
        return
    columns = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    row = "(" + ", ".join("?" for _ in names) + ")"
    sql = f'INSERT INTO "{meta.db_table}" ({columns}) VALUES ' + ", ".join(  # noqa: S608 - names from the model, values are parameters
        row for _ in instances
    )
    values = [
        meta.fields_map[name].to_db_value(getattr(each, name), each)
        for each in instances
        for name in names
    ]
    await rows(meta.db, sql, values)
    for each in instances:
        each._saved_in_db = True


@cache
def _insert_fields(model: type[Model]) -> tuple[str, ...]:
    """The fields an insert writes: every column but those the database generates."""
    meta = model._meta
    return tuple(name for name in meta.fields_db_projection if not meta.fields_map[name].generated)
