"""Button data: written within Telegram's 64 bytes (long rule ids go by a hash), read back strictly.

Callback data comes back from Telegram as the client sent it, and a modified client can send anything,
so every kind is parsed here before a handler acts on it: ASCII digits only (`str.isdigit` accepts '²',
which `int` refuses), numbers that fit SQLite's 64-bit integers, durations within the mute limit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

from bot.engine import RuleSet
from bot.engine.load import Rule

MAX_CALLBACK_DATA = 64
MAX_SQL_INTEGER = 2**63 - 1               # SQLite's INTEGER is a signed 64-bit number
MAX_MUTE_SECONDS = 365 * 86400            # the longest mute, by button or by /mute
_DIGITS = re.compile(r"[0-9]{1,19}")      # ASCII only; 19 digits is enough for MAX_SQL_INTEGER
_RULE_REF = re.compile(r"#[0-9a-f]{16}|[a-z0-9][a-z0-9_-]*")


class ButtonError(ValueError):
    """Callback data that no button of Beacon's could have carried."""


@dataclass(frozen=True)
class AckButton:
    """Acknowledge: `ack:<alert id>`."""

    alert_id: int


@dataclass(frozen=True)
class MuteButton:
    """Mute here what an alert's message was delivered for, `mute:@<alert id>:<seconds>` (every rule of its incident
    the chat receives it for), or one rule, `mute:<rule ref>:<seconds>` (the buttons sent before issue 12)."""

    ref: str
    seconds: int
    alert_id: int | None = None


@dataclass(frozen=True)
class RuleButton:
    """Subscribe or unsubscribe a rule from /rules: `sub:<rule ref>` or `unsub:<rule ref>`."""

    kind: Literal["sub", "unsub"]
    ref: str


@dataclass(frozen=True)
class FeedbackButton:
    """"Not relevant" under an alert (`nr:<alert id>`), and its undo, "Relevant after all" (`rel:<alert id>`)."""

    kind: Literal["nr", "rel"]
    alert_id: int


Button = AckButton | MuteButton | RuleButton | FeedbackButton

# What each kind of button's data starts with: python-telegram-bot picks the handler by these
# (CallbackQueryHandler `pattern`), and the handler then reads the rest strictly with the parsers below.
ACK_PATTERN = r"^ack:"
MUTE_PATTERN = r"^mute:"
RULE_PATTERN = r"^(sub|unsub):"
FEEDBACK_PATTERN = r"^(nr|rel):"


def rule_hash(rule_id: str) -> str:
    return hashlib.sha256(rule_id.encode()).hexdigest()[:16]


def rule_callback_data(action: str, rule_id: str, suffix: str = "") -> str:
    """`<action>:<rule-id>[suffix]`, or `<action>:#<hash>[suffix]` when that would not fit in 64 bytes."""
    data = f"{action}:{rule_id}{suffix}"
    return data if len(data.encode()) <= MAX_CALLBACK_DATA else f"{action}:#{rule_hash(rule_id)}{suffix}"


def rule_from_callback(ref: str, rules: RuleSet) -> Rule | None:
    """The rule a button names (rule ids never start with '#')."""
    if ref.startswith("#"):
        return next((r for r in rules.rules if rule_hash(r.id) == ref[1:]), None)
    return rules.get(ref)


def parse_count(text: str, low: int, high: int) -> int | None:
    """A whole number written in ASCII digits within [low, high], or None."""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    if value < low or value > high:
        return None
    return value


def parse_button(data: str) -> Button:
    """What a press asks for; raises ButtonError for data none of Beacon's buttons carries."""
    kind = data.partition(":")[0]
    if kind == "ack":
        return parse_ack(data)
    if kind == "mute":
        return parse_mute(data)
    if kind in ("sub", "unsub"):
        return parse_rule_button(data)
    if kind in ("nr", "rel"):
        return parse_feedback(data)
    raise ButtonError(f"unknown button kind: {kind[:20]!r}")


def parse_ack(data: str) -> AckButton:
    """`ack:<alert id>`, strictly."""
    return AckButton(_alert_id(_rest(data, "ack")))


def mute_callback_data(alert_id: int, seconds: int) -> str:
    """`mute:@<alert id>:<seconds>`: at most 30 bytes (an alert id has at most 19 digits), whatever its rules."""
    return f"mute:@{alert_id}:{seconds}"


def parse_mute(data: str) -> MuteButton:
    """`mute:@<alert id>:<seconds>` or `mute:<rule ref>:<seconds>`, strictly."""
    ref, _, seconds_text = _rest(data, "mute").rpartition(":")
    seconds = parse_count(seconds_text, 1, MAX_MUTE_SECONDS)
    if seconds is None:
        raise ButtonError(f"not a mute length: {seconds_text[:20]!r}")
    if ref.startswith("@"):
        return MuteButton("", seconds, _alert_id(ref[1:]))
    return MuteButton(_rule_ref(ref), seconds)


def parse_rule_button(data: str) -> RuleButton:
    """`sub:<rule ref>` or `unsub:<rule ref>`, strictly."""
    kind, _, rest = data.partition(":")
    if kind == "sub":
        return RuleButton("sub", _rule_ref(rest))
    if kind == "unsub":
        return RuleButton("unsub", _rule_ref(rest))
    raise ButtonError(f"not a subscribe button: {kind[:20]!r}")


def parse_feedback(data: str) -> FeedbackButton:
    """`nr:<alert id>` or `rel:<alert id>`, strictly."""
    kind, _, rest = data.partition(":")
    if kind == "nr":
        return FeedbackButton("nr", _alert_id(rest))
    if kind == "rel":
        return FeedbackButton("rel", _alert_id(rest))
    raise ButtonError(f"not a feedback button: {kind[:20]!r}")


def _rest(data: str, kind: str) -> str:
    found, _, rest = data.partition(":")
    if found != kind:
        raise ButtonError(f"not a {kind} button: {found[:20]!r}")
    return rest


def _alert_id(text: str) -> int:
    alert_id = parse_count(text, 1, MAX_SQL_INTEGER)
    if alert_id is None:
        raise ButtonError(f"not an alert id: {text[:20]!r}")
    return alert_id


def _rule_ref(ref: str) -> str:
    if not _RULE_REF.fullmatch(ref):
        raise ButtonError(f"not a rule: {ref[:20]!r}")
    return ref
