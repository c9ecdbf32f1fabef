"""A trusted document's id: `sha256:` and the hex SHA-256 of its exact text (UTF-8)."""

from __future__ import annotations

import hashlib
import re

PREFIX = "sha256:"
_ID = re.compile(r"sha256:[0-9a-f]{64}")


def document_id(text: str) -> str:
    return PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_document_id(value: str) -> bool:
    """The only form accepted: lower-case hex, as the persisted documents proposal writes it."""
    return _ID.fullmatch(value) is not None
