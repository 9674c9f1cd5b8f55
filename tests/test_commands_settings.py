"""Chat settings as people type them: each parser's value, or a clear refusal."""

from __future__ import annotations

import re

import pytest

from bot.store import ChatSettings, Store
from bot.telegram.preferences import (
    SettingError,
    parse_digest,
    parse_quiet,
    parse_silent,
    parse_timezone,
    settings_html,
    silent_text,
    split_quiet_args,
)


def test_timezone_names_in_any_case() -> None:
    assert parse_timezone("Europe/Belgrade") == "Europe/Belgrade"
    assert parse_timezone("europe/belgrade") == "Europe/Belgrade"
    assert parse_timezone("UTC") == "UTC"


@pytest.mark.parametrize(("text", "expected"), [
    ("Europe/Belgrad", "Did you mean 'Europe/Belgrade'?"),
    ("Mars/Olympus", "Unknown time zone <code>Mars/Olympus</code>"),
    ("../../etc/passwd", "Unknown time zone"),
    ("<b>", "<code>&lt;b&gt;</code>"),
])
def test_unknown_timezones(text: str, expected: str) -> None:
    with pytest.raises(SettingError, match=re.escape(expected)):
        parse_timezone(text)


@pytest.mark.parametrize(("text", "window"), [
    ("23:00-07:00", "23:00-07:00"), ("7:05-9:30", "07:05-09:30"), ("22:00 - 06:00", "22:00-06:00"),
    ("22:00–06:00", "22:00-06:00"), ("00:00-23:59", "00:00-23:59"),
])
def test_quiet_windows(text: str, window: str) -> None:
    assert parse_quiet(text) == window


@pytest.mark.parametrize(("text", "expected"), [
    ("24:00-07:00", "is not a time window"), ("23:60-07:00", "is not a time window"),
    ("tonight", "is not a time window"), ("23:00", "is not a time window"),
    ("07:00-07:00", "different times"),
])
def test_bad_quiet_windows(text: str, expected: str) -> None:
    with pytest.raises(SettingError, match=re.escape(expected)):
        parse_quiet(text)


def test_quiet_arguments_with_and_without_a_zone() -> None:
    assert split_quiet_args(["23:00-07:00", "Europe/Belgrade"]) == ("23:00-07:00", "Europe/Belgrade")
    assert split_quiet_args(["23:00", "-", "07:00"]) == ("23:00 - 07:00", None)
    assert split_quiet_args(["23:00-07:00", "Etc/GMT+1"]) == ("23:00-07:00", "Etc/GMT+1")


def test_digest_and_silent() -> None:
    assert parse_digest("Hourly") == "hourly"
    assert parse_digest("off") is None
    with pytest.raises(SettingError, match="Unknown digest <code>weekly</code>"):
        parse_digest("weekly")
    assert parse_silent("HIGH") == "high"
    assert parse_silent("off") == "info"           # nothing is below info: every alert makes a sound
    with pytest.raises(SettingError, match=re.escape("Did you mean 'medium'?")):
        parse_silent("meduim")


def test_silent_texts() -> None:
    assert silent_text(None) == "info, low alerts arrive without sound (default)"
    assert silent_text("high") == "info, low, medium alerts arrive without sound"
    assert silent_text("info") == "off: every alert makes a sound"


def test_settings_shows_defaults_and_values(store: Store) -> None:
    text = settings_html(ChatSettings(5))
    assert "Time zone: UTC (default)" in text and "Quiet hours: off" in text and "Digest: off" in text
    store.chats.set_setting(5, "timezone", "Europe/Belgrade")
    store.chats.set_setting(5, "quiet", "23:00-07:00")
    store.chats.set_setting(5, "digest", "daily")
    store.chats.set_setting(5, "silent_below", "high")
    text = settings_html(store.chats.settings(5))
    assert "Time zone: Europe/Belgrade" in text
    assert "Quiet hours: 23:00–07:00 (Europe/Belgrade)" in text
    assert "Digest: daily" in text
    assert "info, low, medium alerts arrive without sound" in text
