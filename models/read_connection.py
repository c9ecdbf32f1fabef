"""A second, read-only SQLite connection for the reads every signed-in request makes.

Tortoise gives a SQLite database one connection, and a transaction holds it from `BEGIN` to
its commit, fsync included (`synchronous=FULL`, SQLite's default). A session lookup behind 32
sign-ins' commits waited for all of them. In WAL mode (Tortoise's default for SQLite) readers
never wait for writers: a connection of its own, with no transaction left open, reads the last
committed state at each statement, so a session revoked and committed by any process is gone
from the very next read. PostgreSQL needs none of this (each request takes a pooled
connection), nor does an in-memory database (a second connection would see another database).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import aiosqlite

# Each statement at DEBUG, as Tortoise logs its own on `tortoise.db_client`.
logger = logging.getLogger("twofold.db_reads")
_reader: aiosqlite.Connection | None = None


def sqlite_file(database_url: str) -> str | None:
    """The file of a `sqlite://` URL, or None (another database, or one in memory)."""
    if not database_url.startswith("sqlite://"):
        return None
    path = database_url.removeprefix("sqlite://").partition("?")[0]
    return None if path in ("", ":memory:") or path.startswith("file:") else path


async def open_reader(database_url: str) -> None:
    """Open the read-only connection if the database is a SQLite file; else do nothing."""
    global _reader
    path = sqlite_file(database_url)
    if path is None or _reader is not None:
        return
    # mode=ro: SQLite itself refuses any write on it; query_only says so twice.
    reader = await aiosqlite.connect(f"file:{quote(path)}?mode=ro", uri=True, isolation_level=None)
    await reader.execute("PRAGMA query_only=1")
    # Only WAL lets a reader pass a writer; in another journal mode it would wait just the same.
    rows = list(await reader.execute_fetchall("PRAGMA journal_mode"))
    if not rows or str(rows[0][0]).lower() != "wal":
        await reader.close()
        return
    _reader = reader


async def close_reader() -> None:
    global _reader
    reader, _reader = _reader, None
    if reader is not None:
        await reader.close()


async def read_rows(sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]] | None:
    """The rows of `sql` read on the read-only connection, or None when there is none (the
    caller reads through Tortoise's own connection)."""
    if _reader is None:
        return None
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s: %s", sql, values)
    return [tuple(row) for row in await _reader.execute_fetchall(sql, values)]
