"""Logging set-up, with secrets redacted from every record.

httpx logs each request URL at INFO, and Bot API URLs contain the token, so its logger is
kept at WARNING and every record is scrubbed of secrets on its way out anyway.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable


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
        return True


_redactor = RedactSecrets([])


def setup_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> RedactSecrets:
    """Human-readable logs on stderr; returns the redactor so later secrets can be added."""
    for secret in secrets:
        _redactor.add(secret)
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        if getattr(handler, "_beacon", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler._beacon = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    handler.addFilter(_redactor)
    root.addHandler(handler)
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return _redactor


def redactor() -> RedactSecrets:
    return _redactor
