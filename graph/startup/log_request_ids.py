"""The id of the request being served, on every log record and in masked errors.

The HTTP edge (graph/http/request_id.py) binds it for the length of a request; here it is only
read, so the logging set up at start-up never depends on the HTTP layer.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

NO_REQUEST = "-"
CURRENT_REQUEST_ID: ContextVar[str] = ContextVar("twofold_request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being served, or `-` outside any request (start-up, CLI)."""
    return CURRENT_REQUEST_ID.get()


_installed = False


def install_request_ids() -> None:
    """Give every log record a `request_id` at birth, so any format may name `%(request_id)s`."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def record_with_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    logging.setLogRecordFactory(record_with_id)
    _installed = True
