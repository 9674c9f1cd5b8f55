"""Whether a channel's API answers at all: an outage (Telegram unreachable as a whole) or one alert's failure.

An outage is nobody's alert's fault. Counting it against each alert's attempts gave alerts up after
about 2.6 hours of 5xx answers, and leaving each alert on its own backoff kept the first one of a chat
waiting up to 5 minutes after Telegram came back, with the rest of that chat's queue behind it. So the
outbox worker stops sending to a channel that stopped answering, asks it a cheap question (a probe:
getMe) every few seconds, and sends everything that waited the moment the channel answers again.

A failure is the alert's own when the API answered something (another send, an error reply, a probe)
after that alert's previous failure, or after its send began: the API works, this message does not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

PROBE_INTERVAL = 3.0   # seconds between probes while a channel is down: recovery is seen within this


@dataclass
class _Channel:
    answered_at: float = -math.inf    # monotonic time of the last answer of any kind
    down_since: float | None = None   # when sends began to find it unreachable; None: it answers
    next_probe: float = 0.0


class Reachability:
    """Per channel: does its API answer? Per outbox row: when did it last fail, or begin its first try?"""

    def __init__(self, monotonic: Callable[[], float], probe_interval: float = PROBE_INTERVAL) -> None:
        self.monotonic = monotonic
        self.probe_interval = probe_interval
        self._channels: dict[str, _Channel] = {}
        self._since: dict[int, float] = {}   # row id -> its previous failure (or the start of its first try)

    def _channel(self, name: str) -> _Channel:
        return self._channels.setdefault(name, _Channel())

    def is_down(self, channel: str) -> bool:
        return self._channel(channel).down_since is not None

    def down_channels(self) -> set[str]:
        return {name for name, state in self._channels.items() if state.down_since is not None}

    def down_for(self, channel: str) -> float:
        """Seconds since the channel stopped answering (0.0 when it answers)."""
        since = self._channel(channel).down_since
        if since is None:
            return 0.0
        return self.monotonic() - since

    def sending(self, row_id: int) -> None:
        """A row is about to be sent: a failure is its own if the API answers anything from now on."""
        self._since.setdefault(row_id, self.monotonic())

    def done(self, row_id: int) -> None:
        """The row is sent, given up or parked: nothing to remember about it."""
        self._since.pop(row_id, None)

    def answered(self, channel: str) -> float | None:
        """The API answered; returns how long it had been down when this ends an outage, else None."""
        state = self._channel(channel)
        now = self.monotonic()
        state.answered_at = now
        if state.down_since is None:
            return None
        down_for = now - state.down_since
        state.down_since = None
        return down_for

    def unreachable(self, channel: str, row_id: int) -> bool:
        """A send to `channel` never got an answer (connect error, 5xx, timeout, token refused).

        True when it counts against the row (the API answered something since the row's previous
        failure: the fault is the row's own); False when it is an outage, which marks the channel down.
        """
        now = self.monotonic()
        state = self._channel(channel)
        since = self._since.get(row_id, now)
        self._since[row_id] = now
        if state.answered_at > since:
            return True
        if state.down_since is None:
            state.down_since = now
            state.next_probe = now + self.probe_interval
        return False

    def probes_due(self) -> list[str]:
        now = self.monotonic()
        return [name for name, state in self._channels.items()
                if state.down_since is not None and state.next_probe <= now]

    def probe_failed(self, channel: str, started: float) -> None:
        """The probe begun at `started` got no answer: the next one is due a probe interval after it began."""
        self._channel(channel).next_probe = started + self.probe_interval

    def next_probe_in(self) -> float | None:
        """Seconds until the next probe of a channel that is down; None when every channel answers."""
        waits = [state.next_probe - self.monotonic() for state in self._channels.values()
                 if state.down_since is not None]
        if not waits:
            return None
        return max(0.0, min(waits))
