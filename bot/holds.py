"""Whether a new alert waits before it reaches a chat: quiet hours, digests, the hourly ceiling.

A held alert is not lost: it waits in the outbox and goes out with the others held for the
same chat as one digest message when the hold ends. Critical alerts are never held: they
are what on-call chats are for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.enums import DigestEvery
from bot.models import Severity

DAILY_DIGEST_AT = time(8, 0)   # local time of the daily digest
_QUIET = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Hold:
    until: datetime
    reason: str


def parse_quiet(text: str) -> tuple[time, time]:
    """"23:00-07:00" -> (23:00, 07:00); ValueError with a readable message otherwise."""
    found = _QUIET.match(text)
    if not found:
        raise ValueError(f"quiet hours look like 23:00-07:00, not {text!r}")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"{text!r} is not a time range of the day")
    if (h1, m1) == (h2, m2):
        raise ValueError("quiet hours must start and end at different times")
    return time(h1, m1), time(h2, m2)


def zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_until(quiet: str, timezone: str | None, now: datetime) -> datetime | None:
    """The end of the quiet period `now` falls in (UTC), or None when it is not quiet time."""
    start, end = parse_quiet(quiet)
    local = now.astimezone(zone(timezone))
    today = local.date()
    t = local.time()
    if start < end:
        inside = start <= t < end
        end_date = today
    else:  # over midnight: 23:00-07:00
        inside = t >= start or t < end
        end_date = today + timedelta(days=1) if t >= start else today
    if not inside:
        return None
    return datetime.combine(end_date, end, local.tzinfo).astimezone(now.tzinfo)


def next_digest(kind: str, timezone: str | None, now: datetime) -> datetime:
    """When the next hourly (on the hour) or daily (08:00 local) digest goes out."""
    local = now.astimezone(zone(timezone))
    if kind == DigestEvery.HOURLY:
        return (local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).astimezone(now.tzinfo)
    at = datetime.combine(local.date(), DAILY_DIGEST_AT, local.tzinfo)
    if at <= local:
        at = datetime.combine(local.date() + timedelta(days=1), DAILY_DIGEST_AT, local.tzinfo)
    return at.astimezone(now.tzinfo)


def hold_for(severity: Severity, now: datetime, *, quiet: str | None = None, timezone: str | None = None,
             digest: str | None = None, max_per_hour: int | None = None,
             sent_last_hour: Sequence[datetime] = ()) -> Hold | None:
    """Why and until when a new alert of this severity waits, or None to send it now."""
    if severity >= Severity.CRITICAL:
        return None
    if quiet:
        until = quiet_until(quiet, timezone, now)
        if until is not None:
            return Hold(until, f"quiet hours ({quiet})")
    if digest in tuple(DigestEvery) and severity <= Severity.LOW:
        return Hold(next_digest(digest, timezone, now), f"{digest} digest")
    if max_per_hour and len(sent_last_hour) >= max_per_hour:
        # the window frees up when the oldest alert counted in it is an hour old
        oldest = sorted(sent_last_hour)[len(sent_last_hour) - max_per_hour]
        return Hold(oldest + timedelta(hours=1), f"over {max_per_hour} alerts an hour")
    return None



def held_by_settings(reason: str) -> bool:
    """Whether a hold comes from a chat's settings (quiet hours, a digest), not from the hourly ceiling: only
    those are decided again when the chat changes its settings."""
    return reason.startswith("quiet hours") or reason.endswith(" digest")
