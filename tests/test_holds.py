"""Quiet hours, digests and the hourly ceiling: when a new alert waits, and until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.holds import hold_for, next_digest, parse_quiet, quiet_until
from bot.models import Severity

T = datetime(2024, 3, 5, 23, 30, tzinfo=UTC)


def test_quiet_hours_over_midnight_end_the_next_morning() -> None:
    assert quiet_until("23:00-07:00", None, T) == datetime(2024, 3, 6, 7, 0, tzinfo=UTC)
    assert quiet_until("23:00-07:00", None, T + timedelta(hours=2)) == datetime(2024, 3, 6, 7, 0, tzinfo=UTC)
    assert quiet_until("23:00-07:00", None, T - timedelta(hours=1)) is None


def test_quiet_hours_follow_the_chat_timezone() -> None:
    # 23:30 UTC is 08:30 in Tokyo: not quiet there; 13:30 UTC is 22:30 in Tokyo: quiet until 07:00 JST
    assert quiet_until("22:00-07:00", "Asia/Tokyo", T) is None
    until = quiet_until("22:00-07:00", "Asia/Tokyo", datetime(2024, 3, 5, 13, 30, tzinfo=UTC))
    assert until == datetime(2024, 3, 5, 22, 0, tzinfo=UTC)


def test_daytime_quiet_range() -> None:
    noon = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    assert quiet_until("09:00-17:00", None, noon) == datetime(2024, 3, 5, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["23-07", "25:00-07:00", "07:00-07:00", "", "late"])
def test_bad_quiet_ranges_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quiet(text)


def test_digest_times() -> None:
    assert next_digest("hourly", None, T) == datetime(2024, 3, 6, 0, 0, tzinfo=UTC)
    assert next_digest("daily", None, T) == datetime(2024, 3, 6, 8, 0, tzinfo=UTC)
    assert next_digest("daily", "Europe/Belgrade", datetime(2024, 3, 5, 5, 0, tzinfo=UTC)) == \
        datetime(2024, 3, 5, 7, 0, tzinfo=UTC)   # 08:00 CET


def test_what_is_held_and_why() -> None:
    assert hold_for(Severity.CRITICAL, T, quiet="23:00-07:00") is None            # never held
    quiet = hold_for(Severity.HIGH, T, quiet="23:00-07:00")
    assert quiet is not None and quiet.reason == "quiet hours (23:00-07:00)"
    assert hold_for(Severity.MEDIUM, T, digest="hourly") is None                    # digests take low and info
    assert hold_for(Severity.LOW, T, digest="daily").reason == "daily digest"
    sent = [T - timedelta(minutes=m) for m in (50, 40, 10)]
    ceiling = hold_for(Severity.HIGH, T, max_per_hour=3, sent_last_hour=sent)
    assert ceiling is not None and ceiling.until == T + timedelta(minutes=10)    # when the oldest leaves the hour
    assert hold_for(Severity.HIGH, T, max_per_hour=4, sent_last_hour=sent) is None
