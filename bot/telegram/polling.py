"""What to say when polling Telegram for commands fails, said once, not once per retry.

python-telegram-bot retries `getUpdates` forever (backing off to 30 s) and, without an error
callback, logs a traceback on every failed try. The case that needs a person is 409 Conflict:
Telegram lets one `getUpdates` poller per token, and a second Beacon (or any script) using the
same token makes the two take turns receiving commands. Sending is not affected.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram.error import Conflict, TelegramError

log = logging.getLogger(__name__)

CONFLICT_LOG = ("another bot instance is polling with this token (Telegram answered 409 Conflict): "
                "commands reach only one of them, alerts are still sent from here; stop the other "
                "instance or give it a token of its own")
CONFLICT_NOTICE = ("⚠️ Another bot instance is polling Telegram with this bot's token (409 Conflict), so this "
                   "Beacon may miss commands. Alerts are still being sent. Stop the other instance or give it "
                   "a token of its own.")
# a problem not seen for this long is new again when it comes back (PTB retries at least every 30 s)
REARM_SECONDS = 15 * 60.0


class PollingErrors:
    """PTB's `error_callback` for polling: one log line (and, for a conflict, one admin notice)
    per episode of each kind of error, debug lines for the retries in between."""

    def __init__(self, notify_admins: Callable[[str], None],
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.notify_admins = notify_admins
        self.monotonic = monotonic
        self.conflicts = 0
        self._last_seen: dict[str, float] = {}

    def __call__(self, exc: TelegramError) -> None:
        kind = "conflict" if isinstance(exc, Conflict) else type(exc).__name__
        now = self.monotonic()
        last = self._last_seen.get(kind)
        self._last_seen[kind] = now
        repeat = last is not None and now - last < REARM_SECONDS
        if kind == "conflict":
            self.conflicts += 1
        if repeat:
            log.debug("polling Telegram failed again (%s: %s); retrying", type(exc).__name__, exc)
        elif kind == "conflict":
            log.error(CONFLICT_LOG)
            self.notify_admins(CONFLICT_NOTICE)
        else:
            log.warning("polling Telegram for commands failed (%s: %s); retrying, alerts are not affected",
                        type(exc).__name__, exc)
