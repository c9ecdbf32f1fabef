"""How Twofold's processes log: one handler on the root logger, text or JSON lines.

`LOG_FORMAT=text` (the default) writes `time level logger [request id] message`, for a person at
a terminal. `LOG_FORMAT=json` writes one JSON object a line, for a log collector: `time` (UTC,
ISO 8601), `level`, `logger`, `request_id`, `message`, the access line's fields when it is one,
and `exception` when a record carries one (redacted like the message).

Every record is redacted and given the request's id at birth (graph/startup/log_redaction.py,
graph/startup/log_request_ids.py), so both formats, and any handler a library adds, print only
redacted text.
uvicorn's own lines go through the same handler (`twofold serve` passes no logging
configuration to uvicorn), so a JSON log holds nothing but JSON.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from graph.startup.log_redaction import install_redaction
from graph.startup.log_request_ids import install_request_ids

TEXT = "text"
JSON = "json"
LOG_FORMATS = (TEXT, JSON)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Fields an access line carries besides its message (graph/http/access_log.py).
ACCESS_FIELDS = ("client", "method", "path", "status", "duration_ms")
# Libraries whose INFO lines say nothing an operator needs ("Tortoise-ORM shutdown" after every
# command, at every start-up's migration check); their warnings and errors still show.
QUIET_LIBRARIES = ("tortoise", "aiosqlite", "asyncpg", "messagebird", "twilio", "aiosmtplib")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in messages are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=True, default=str)


def formatter_for(log_format: str) -> logging.Formatter:
    if log_format == JSON:
        return JsonFormatter()
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(log_format: str = TEXT, level: int = logging.INFO) -> None:
    """Send every record to stderr in `log_format`, replacing any earlier configuration.

    Safe to call again once the settings are read (the command line first logs as text).
    """
    install_redaction()
    install_request_ids()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter_for(log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # uvicorn's loggers write through the root handler, in the same format.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
