"""Log lines: the request id on every record, and one JSON object per line when asked.

The request id lives in a context variable that ``RequestIdMiddleware`` sets for the
length of a request; :class:`RequestIdFilter` (on the log handler) copies it onto
every record made meanwhile, in any module. ``COFFEECHAT_LOG_FORMAT=json`` selects
:class:`JsonFormatter`; the default is :class:`TextFormatter`. Records carry no
request bodies and no e-mail addresses: only the fields listed in ``REQUEST_FIELDS``
are copied from a record's ``extra``.
"""

from __future__ import annotations

import datetime
import json
import logging
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("coffeechat_request_id", default=None)

# What a request's log line adds (``logger.info(..., extra={...})`` in the middleware).
REQUEST_FIELDS = ("method", "path", "route", "status", "duration_ms", "user_id")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None) on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get()
        return True


class TextFormatter(logging.Formatter):
    """``2026-12-06 07:30:00,123 INFO coffeechat.request [3f2a…] GET /people/ 200``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        found = getattr(record, "request_id", None)
        record.request = f" [{found}]" if found else ""
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message,
    request_id, the request fields when the record has them, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, default=str, ensure_ascii=False)


def logging_config(level: str, fmt: str) -> dict[str, object]:
    """Django's ``LOGGING``: one console handler with the request-id filter and the
    chosen formatter (``text`` or ``json``)."""
    formatter = "json" if fmt.strip().lower() == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "coffeechat.core.logs.RequestIdFilter"}},
        "formatters": {
            "text": {"()": "coffeechat.core.logs.TextFormatter"},
            "json": {"()": "coffeechat.core.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": formatter,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }
