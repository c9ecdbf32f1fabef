"""The server secret key, handed to migrations that seal stored values.

`models/` never imports the settings, so `graph.startup.db.apply_migrations` sets the key here for
the length of a run and a data migration asks for it only when it has something to seal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_secret_key: ContextVar[str | None] = ContextVar("twofold_migration_secret_key", default=None)


class SecretKeyRequired(RuntimeError):
    """A migration must seal stored values and was run without the server secret key."""


@contextmanager
def migration_secret_key(secret_key: str | None) -> Iterator[None]:
    token = _secret_key.set(secret_key or None)
    try:
        yield
    finally:
        _secret_key.reset(token)


def required_secret_key(what: str) -> str:
    """The key set for this run, or `SecretKeyRequired` saying why it is needed."""
    key = _secret_key.get()
    if not key:
        raise SecretKeyRequired(
            f"this migration seals {what} and needs the server secret key: set "
            "TWOFOLD_SECRET_KEY to the key the server runs with and migrate again"
        )
    return key
