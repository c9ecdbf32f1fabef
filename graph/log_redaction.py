"""Redacting secrets from every log record, whichever handler later writes it.

Twofold never logs secrets on purpose; this is the net under libraries that might, such as a
GraphQL validation error that quotes the variables a client sent (`{'password': '...'}`).
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

_SECRET_NAMES = (
    r"password|passwd|code|recovery_?code|recoveryCode|secret|token|pendingToken|"
    r"sessionToken|session_token|authorization|otpauth_?uri|otpauthUri"
)
# name: 'value'  /  "name": "value"  /  name=value
_QUOTED = re.compile(
    rf"""(?P<key>['"]?(?:{_SECRET_NAMES})['"]?\s*[:=]\s*)(?P<q>['"])(?P<value>(?:\\.|(?!(?P=q)).)*)(?P=q)""",
    re.IGNORECASE,
)
# name: 731594  (a code typed as a number)
_NUMBER = re.compile(
    rf"""(?P<key>['"]?(?:{_SECRET_NAMES})['"]?\s*[:=]\s*)(?P<value>\d+)""", re.IGNORECASE
)
# "cannot represent a non string value: 731594" and other coercion messages quoting input
_COERCION = re.compile(r"(?P<key>value:\s*)(?P<value>[^\s;,]+)", re.IGNORECASE)
_BARE = re.compile(rf"(?P<key>\b(?:{_SECRET_NAMES})=)(?P<value>[^&\s,;'\"]+)", re.IGNORECASE)
_BEARER = re.compile(r"(?P<key>Bearer\s+)(?P<value>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE)
MASK = "[redacted]"


def redact(text: str) -> str:
    text = _QUOTED.sub(lambda m: f"{m['key']}{m['q']}{MASK}{m['q']}", text)
    text = _NUMBER.sub(lambda m: f"{m['key']}{MASK}", text)
    text = _COERCION.sub(lambda m: f"{m['key']}{MASK}", text)
    text = _BARE.sub(lambda m: f"{m['key']}{MASK}", text)
    return _BEARER.sub(lambda m: f"{m['key']}{MASK}", text)


_installed = False


def install_redaction() -> None:
    """Wrap the log record factory once per process so every record is redacted at birth."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return record
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return record

    logging.setLogRecordFactory(redacting_factory)
    _installed = True
