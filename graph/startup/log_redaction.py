"""Redacting secrets from every log record, whichever handler later writes it.

Twofold never logs secrets on purpose; this is the net under libraries that might, such as a
GraphQL validation error that quotes the variables a client sent (`{'password': '...'}`).

A record keeps its `msg` and `args`: handlers and formatters (uvicorn's access formatter among
them) may read the arguments themselves, so only the string arguments are redacted, one by one.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from typing import Any

MASK = "[redacted]"
_SECRET_WORDS = (
    r"password|passwd|passphrase|code|secret|token|otp|authorization|cookie|session|"
    r"credentials?|otpauth_?uri|(?:api|access|secret|private)[_-]?key"
)
# A name that ends with a secret word: `code`, `recoveryCode`, `access_token`, `x-api-key`.
_NAME = rf"(?<![\w-])[\w-]*?(?:{_SECRET_WORDS})"
_KEY = rf"""(?P<key>['"]?{_NAME}['"]?\s*[:=]\s*)"""
# name: 'value'  /  "name": "value"  /  name='value'
_QUOTED = re.compile(
    rf"""{_KEY}(?P<q>['"])(?P<value>(?:\\.|(?!(?P=q)).)*)(?P=q)""",
    re.IGNORECASE,
)
# name=value (query strings)  /  name: value (headers)  /  "name": 731594 (a code as a number).
# The whole value up to a separator, an auth scheme included; a mask stays as it is.
_UNQUOTED = re.compile(
    rf"""{_KEY}(?P<value>{re.escape(MASK)}|(?:(?:Bearer|Basic)\s+)?[^\s&,;'")\]}}]+)""",
    re.IGNORECASE,
)
# "cannot represent a non string value: 731594" and other coercion messages quoting input
_COERCION = re.compile(r"(?P<key>value:\s*)(?P<value>[^\s;,]+)", re.IGNORECASE)
_BEARER = re.compile(r"(?P<key>Bearer\s+)(?P<value>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE)
# Every match of the four patterns above holds one of these words (in any case): most log
# text (an access line, for one) holds none, and looking for them costs 1 us where the four
# substitutions cost 18 us. ASCII only: other text may fold to them, so it gets the four.
_WORDS = (
    "password", "passwd", "passphrase", "code", "secret", "token", "otp", "authorization",
    "cookie", "session", "credential", "key", "value:", "bearer",
)  # fmt: skip


def _may_hold_a_secret(text: str) -> bool:
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered for word in _WORDS)


def redact(text: str) -> str:
    if not _may_hold_a_secret(text):
        return text
    text = _QUOTED.sub(lambda m: f"{m['key']}{m['q']}{MASK}{m['q']}", text)
    text = _UNQUOTED.sub(lambda m: f"{m['key']}{MASK}", text)
    text = _COERCION.sub(lambda m: f"{m['key']}{MASK}", text)
    return _BEARER.sub(lambda m: f"{m['key']}{MASK}", text)


def _redact_arg(value: object) -> object:
    # Numbers stay numbers, so `%d` still formats them.
    return redact(value) if isinstance(value, str) else value


def redact_record(record: logging.LogRecord) -> None:
    """Redact a record in place and leave it formattable by any formatter."""
    if isinstance(record.args, Mapping):
        record.args = {key: _redact_arg(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_redact_arg(arg) for arg in record.args)
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        # No formatter can format it either; at least the text it will print is redacted.
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
    else:
        # A secret split across the format and its arguments (`"password=%s"`), or inside a
        # non-string argument such as a dict: only the whole message shows it.
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info))
        record.exc_text = redact(text.removesuffix("\n"))
        record.exc_info = None


_installed = False


def install_redaction() -> None:
    """Wrap the log record factory once per process so every record is redacted at birth."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        redact_record(record)
        return record

    logging.setLogRecordFactory(redacting_factory)
    _installed = True
