"""A chat's delivery settings as people type them (`/timezone`, `/quiet`, `/digest`, `/silent`).

Each parser returns the value `Store.set_chat_setting` keeps, in the form the delivery side
reads (see `ChatSettings`), or raises `SettingError` whose text is a ready HTML reply.
"""

from __future__ import annotations

import html
import re
import zoneinfo
from functools import lru_cache

from bot import holds
from bot.enums import DigestEvery
from bot.models import Severity
from bot.store import ChatSettings
from bot.telegram.selectors import hint_html

DIGESTS = tuple(DigestEvery)
OFF = ("off", "none", "reset")
DEFAULT_SILENT_BELOW = Severity.MEDIUM


class SettingError(ValueError):
    """Input a setting cannot take; `str()` is an HTML reply."""


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    # the system's zoneinfo, or the tzdata package where the system has none (slim images)
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(text: str) -> str:
    """An IANA time zone name in any case (`europe/belgrade` -> `Europe/Belgrade`)."""
    wanted = text.strip()
    name = _zones().get(wanted.lower())
    if name is not None:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            name = None
    if name is None:
        message = f"Unknown time zone <code>{html.escape(wanted)}</code>." + hint_html(wanted, _zones().values())
        raise SettingError(message + " Use an IANA name such as <code>Europe/Belgrade</code> or <code>UTC</code>.")
    return name


def parse_quiet(text: str) -> str:
    """`23:00-07:00` (spaces and an en dash allowed) -> `23:00-07:00`; the window may cross midnight."""
    compact = re.sub(r"\s+", "", text).replace("–", "-").replace("—", "-")
    try:
        start, end = holds.parse_quiet(compact)
    except ValueError as exc:
        if "different times" in str(exc):
            raise SettingError("Quiet hours must start and end at different times.") from None
        raise SettingError(f"<code>{html.escape(text.strip())}</code> is not a time window. Use "
                           "<code>/quiet 23:00-07:00</code> (24-hour times, optionally a time zone after it) "
                           "or <code>/quiet off</code>.") from None
    return f"{start:%H:%M}-{end:%H:%M}"


def split_quiet_args(args: list[str]) -> tuple[str, str | None]:
    """The time window and, when the last word is not part of it, a time zone."""
    if len(args) > 1 and re.search(r"[A-Za-z]", args[-1]):  # times have no letters, zones do
        return " ".join(args[:-1]), args[-1]
    return " ".join(args), None


def parse_digest(word: str) -> str | None:
    """`hourly` or `daily`; None for off."""
    wanted = word.strip().lower()
    if wanted in OFF:
        return None
    if wanted not in DIGESTS:
        raise SettingError(f"Unknown digest <code>{html.escape(word.strip())}</code>. "
                           "Use <code>/digest hourly</code>, <code>/digest daily</code> or <code>/digest off</code>.")
    return wanted


def parse_silent(word: str) -> str:
    """A severity label; alerts below it are sent without sound. `off` is `info`: nothing is below it."""
    wanted = word.strip().lower()
    if wanted in OFF:
        return Severity.INFO.label
    try:
        return Severity.parse(wanted).label
    except KeyError:
        labels = [s.label for s in Severity]
        message = f"Unknown severity <code>{html.escape(word.strip())}</code>." + hint_html(wanted, labels)
        raise SettingError(message + f" Use one of {', '.join(labels)}, or off.") from None


def silent_text(value: str | None) -> str:
    below = Severity.parse(value) if value else DEFAULT_SILENT_BELOW
    if below == Severity.INFO:
        return "off: every alert makes a sound"
    quiet = ", ".join(s.label for s in Severity if s < below)
    return f"{quiet} alerts arrive without sound" + ("" if value else " (default)")


def settings_html(settings: ChatSettings) -> str:
    """Every setting of a chat, defaults included, for `/settings`."""
    zone = settings.timezone or "UTC (default)"
    quiet = (f"{settings.quiet.replace('-', '–')} ({settings.timezone or 'UTC'})" if settings.quiet else "off")
    digest = f"{settings.digest}, for low-severity alerts" if settings.digest else "off"
    cap = f"at most {settings.max_per_hour} new alerts an hour" if settings.max_per_hour else "no cap"
    lines = [
        "<b>Settings of this chat</b>",
        f"• Time zone: {html.escape(zone)} — /timezone",
        f"• Quiet hours: {html.escape(quiet)} — /quiet",
        f"• Digest: {html.escape(digest)} — /digest",
        f"• Silent: {html.escape(silent_text(settings.silent_below))} — /silent",
        f"• Rate: {html.escape(cap)}",
    ]
    return "\n".join(lines)
