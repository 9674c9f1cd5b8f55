"""Logging set-up, with secrets redacted from every record.

httpx logs each request URL at INFO, and Bot API URLs contain the token, so its logger is
kept at WARNING and every record is scrubbed of secrets on its way out anyway.

Two formats: lines for people (the default) and JSON lines for log collectors (`--log-format
json` or BEACON_LOG_FORMAT=json), one object per record. Redaction is a filter on the handler,
so it runs before either formatter sees the record.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Literal, TextIO

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")


class RedactSecrets(logging.Filter):
    """Replaces each secret by `[REDACTED]` in the formatted message and traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= 6 and secret not in self.secrets:
            self.secrets.append(secret)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = self.scrub(record.getMessage())
            record.args = None
            if record.exc_info and record.exc_info[1] is not None:
                record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
            if record.stack_info:
                record.stack_info = self.scrub(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, exception.

    Tracebacks go in one "exception" string, so a collector keeps each record whole.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # RedactSecrets has already replaced exc_info by a scrubbed exc_text when secrets are known
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


_redactor = RedactSecrets([])


class _BeaconHandler(logging.StreamHandler[TextIO]):
    """Beacon's own stderr handler; `_beacon` marks it, so setting logging up again replaces it."""

    _beacon = True


def setup_logging(level: str = "INFO", secrets: Iterable[str] = (), fmt: LogFormat = "text") -> RedactSecrets:
    """Logs on stderr, as text or JSON lines; returns the redactor so later secrets can be added."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"unknown log format {fmt!r}: use {' or '.join(LOG_FORMATS)}")
    for secret in secrets:
        _redactor.add(secret)
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        if getattr(handler, "_beacon", False):
            root.removeHandler(handler)
    handler = _BeaconHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    handler.addFilter(_redactor)
    root.addHandler(handler)
    # a library's warnings.warn would otherwise print a bare line that a JSON collector cannot read
    logging.captureWarnings(fmt == "json")
    # ... and so would a crash's traceback: log it as one record (redacted like the rest)
    if fmt == "json":
        sys.excepthook = _log_uncaught
    elif sys.excepthook is _log_uncaught:
        sys.excepthook = sys.__excepthook__
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return _redactor


def _log_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    logging.getLogger("beacon").critical("crashed: %s: %s", kind.__name__, exc, exc_info=(kind, exc, tb))


def redactor() -> RedactSecrets:
    return _redactor
