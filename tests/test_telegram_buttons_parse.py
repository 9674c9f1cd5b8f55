"""Button data and mute lengths are read strictly: only what Beacon's own buttons carry gets through."""

from __future__ import annotations

import pytest

from bot.durations import parse_duration
from bot.telegram.callbacks import (
    MAX_MUTE_SECONDS,
    MAX_SQL_INTEGER,
    AckButton,
    ButtonError,
    FeedbackButton,
    MuteButton,
    RuleButton,
    parse_button,
)


@pytest.mark.parametrize(("data", "expected"), [
    ("ack:1", AckButton(1)),
    (f"ack:{MAX_SQL_INTEGER}", AckButton(MAX_SQL_INTEGER)),
    ("mute:fatal-clash:3600", MuteButton("fatal-clash", 3600)),
    ("mute:@42:3600", MuteButton("", 3600, 42)),
    (f"mute:@{MAX_SQL_INTEGER}:60", MuteButton("", 60, MAX_SQL_INTEGER)),
    (f"mute:#0123456789abcdef:{MAX_MUTE_SECONDS}", MuteButton("#0123456789abcdef", MAX_MUTE_SECONDS)),
    ("sub:troop_buildup-2", RuleButton("sub", "troop_buildup-2")),
    ("unsub:#00000000000000ff", RuleButton("unsub", "#00000000000000ff")),
    ("nr:42", FeedbackButton("nr", 42)),
    (f"rel:{MAX_SQL_INTEGER}", FeedbackButton("rel", MAX_SQL_INTEGER)),
])
def test_beacons_own_buttons(data: str, expected: object) -> None:
    assert parse_button(data) == expected


@pytest.mark.parametrize("data", [
    "ack:²", "ack:١٢", "ack:99999999999999999999999", f"ack:{MAX_SQL_INTEGER + 1}", "ack:0", "ack:-1", "ack:+1",
    "ack: 1", "ack:1\n", "ack:", "mute:fatal-clash:99999999999999", f"mute:fatal-clash:{MAX_MUTE_SECONDS + 1}",
    "mute:fatal-clash:0", "mute:fatal-clash:³", "mute:fatal-clash", "mute::60", "mute:Fatal:60", "mute:#xyz:60",
    "mute:@0:60", "mute:@:60", "mute:@x:60", "mute:@42", "mute:@-1:60", f"mute:@{MAX_SQL_INTEGER + 1}:60",
    "sub:", "sub:has space", "sub:#0123", "unsub:../x", "nonsense:1", "", ":",
    "nr:", "nr:0", "nr:²", "nr:fatal-clash", f"nr:{MAX_SQL_INTEGER + 1}", "rel:-3", "rel:1:2", "nr 1",
])
def test_anything_else_is_refused(data: str) -> None:
    with pytest.raises(ButtonError):
        parse_button(data)


def test_durations_are_capped_when_asked() -> None:
    assert parse_duration("365d", maximum=MAX_MUTE_SECONDS) == MAX_MUTE_SECONDS
    with pytest.raises(ValueError, match=r"'366d' is too long: at most 365d"):
        parse_duration("366d", maximum=MAX_MUTE_SECONDS)
    with pytest.raises(ValueError, match="too long to be a duration"):
        parse_duration("9" * 400 + "d")                  # past a float, whatever the cap
    with pytest.raises(ValueError, match="got NaN"):
        parse_duration(float("nan"))
    assert parse_duration("400d") == 400 * 86400          # no cap unless the caller sets one
