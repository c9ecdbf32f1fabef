"""Text as clients send it, decided once at the boundary: what cannot be the input it claims
to be is read as empty text.

A GraphQL `String` may hold what no input of Twofold can be: a lone UTF-16 surrogate (not a
Unicode scalar value, so it cannot be encoded, hashed or stored), NUL and other control
characters (PostgreSQL refuses NUL in text; no email, code or name holds them), or far more
characters than the input ever has. Every string argument of a field, and every string field
of an input object, passes `acceptable` before the resolver runs; one that fails is replaced
by `""`, so the mutation answers what it answers to an empty value, a documented union
member: `InvalidCredentialsError` for `logIn` (the same answer as a wrong password, so nothing
tells accounts apart), `InvalidCodeError` for a code, `InvalidPhoneNumberError` for a number,
`UserNotFoundError`, `SecurityKeyNotFoundError`, an empty page for a cursor. docs/errors.md
lists the limits.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from domain.security_keys import MAX_CREDENTIAL_JSON

MAX_CHARACTERS = {
    "email": 320,
    "password": 1024,
    "device_token": 256,
    "country_code": 8,
    "phone_number": 64,
    # A one-time code, or for a security key the JSON of its credential.
    "code": MAX_CREDENTIAL_JSON,
    "recovery_code": 128,
    "credential": MAX_CREDENTIAL_JSON,
    "name": 1024,
    "id": 64,
    "after": 256,
    "kind": 64,
    "token": 256,
}
"""The most characters each input (by its Python name) can hold; longer text is empty text."""

DEFAULT_MAX_CHARACTERS = 1024
"""For a string input not named above."""

WHITESPACE = frozenset("\t\n\r")
"""Control characters that are whitespace: typed around an email or code (and trimmed), or
between the members of a credential's JSON."""


def acceptable(name: str, text: str) -> bool:
    """Whether `text` can be the input `name`: Unicode scalar values only, no control
    characters but whitespace, and no longer than its limit."""
    if len(text) > MAX_CHARACTERS.get(name, DEFAULT_MAX_CHARACTERS):
        return False
    for character in text:
        if unicodedata.category(character) in ("Cs", "Cc") and character not in WHITESPACE:
            return False
    return True


def _checked(name: str, value: Any) -> Any:
    """`value` with every unacceptable string in it replaced by empty text."""
    if isinstance(value, str):
        return value if acceptable(name, value) else ""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            checked = _checked(field.name, inner)
            if checked is not inner:
                changes[field.name] = checked
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, list):
        return [_checked(name, item) for item in value]
    return value


class TextInputs(FieldExtension):
    """Reads unacceptable text in a field's arguments as empty text (see the module)."""

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        return next_(source, info, **_checked_arguments(kwargs))

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        return await next_(source, info, **_checked_arguments(kwargs))


def _checked_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {name: _checked(name, value) for name, value in kwargs.items()}


def check_text_inputs(cls: type) -> type:
    """Class decorator after `@strawberry.type`: every field with arguments gets TextInputs."""
    for field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        if field.arguments and not any(isinstance(e, TextInputs) for e in field.extensions):
            field.extensions.append(TextInputs())
    return cls
