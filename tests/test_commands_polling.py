"""Polling errors are said once per episode: one log line and one admin notice for a 409 Conflict."""

from __future__ import annotations

import logging

import pytest
from telegram.error import Conflict, NetworkError

from bot.telegram.polling import CONFLICT_NOTICE, REARM_SECONDS, PollingErrors


def test_a_conflict_is_reported_once_per_episode(caplog: pytest.LogCaptureFixture) -> None:
    clock = [0.0]
    notices: list[str] = []
    errors = PollingErrors(notices.append, monotonic=lambda: clock[0])
    with caplog.at_level(logging.DEBUG, logger="bot.telegram.polling"):
        for _ in range(20):                      # PTB retries every ≤ 30 s
            errors(Conflict("Conflict: terminated by other getUpdates request"))
            clock[0] += 30.0
        loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert [r.getMessage()[:48] for r in loud] == ["another bot instance is polling with this token "]
        assert notices == [CONFLICT_NOTICE]
        assert errors.conflicts == 20
        clock[0] += REARM_SECONDS + 1            # it stopped, then came back much later: a new episode
        errors(Conflict("Conflict: terminated by other getUpdates request"))
        assert len(notices) == 2


def test_other_polling_errors_warn_once_without_a_notice(caplog: pytest.LogCaptureFixture) -> None:
    notices: list[str] = []
    errors = PollingErrors(notices.append, monotonic=lambda: 0.0)
    with caplog.at_level(logging.DEBUG, logger="bot.telegram.polling"):
        for _ in range(5):
            errors(NetworkError("Bad Gateway"))
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(loud) == 1 and "Bad Gateway" in loud[0].getMessage()
    assert notices == []
