"""The sets of states in bot/enums.py: their values are what the state database and JSON outputs hold.

A renamed value would strand every row stored under the old one, so each set is pinned here,
and the states the store's SQL names by hand must be members of a set.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pytest

import bot.enums
import bot.store
from bot.enums import (
    AlertAction,
    AlertKind,
    AlertStatus,
    BacktestAction,
    Channel,
    ChatStatus,
    ClusterMode,
    DeliveryResult,
    DigestEvery,
    EventStatus,
    HealthStatus,
    LeaseName,
    NotifyKind,
    OutboxStatus,
    PollResult,
    RuleChangeStatus,
    SchedulerState,
    SourceHealth,
    TelegramState,
    UpdateKind,
)
from bot.models import Target
from bot.store import Store

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)

STORED_VALUES: dict[type[StrEnum], tuple[str, ...]] = {
    OutboxStatus: ("pending", "sending", "sent", "dead", "muted", "held", "digested", "skipped"),
    AlertStatus: ("queued", "update", "edit", "held", "suppressed"),
    AlertKind: ("alert", "notice", "digest", "escalation"),
    AlertAction: ("send", "update", "edit"),
    EventStatus: ("open", "held"),
    UpdateKind: ("update", "deescalation"),
    Channel: ("telegram", "terminal"),
    ChatStatus: ("active", "gone"),
    NotifyKind: ("renotify", "alert", "mention", "acknowledged"),
    DigestEvery: ("hourly", "daily"),
    SourceHealth: ("ok", "failing", "disabled", "not polled yet"),
    PollResult: ("ok", "not_modified", "error", "skipped"),
    DeliveryResult: ("sent", "retry", "dead"),
    BacktestAction: ("alert", "update", "edit", "held", "suppressed"),
    RuleChangeStatus: ("changed", "new", "gone"),
    HealthStatus: ("ok", "degraded"),
    SchedulerState: ("starting", "running", "stopped"),
    TelegramState: ("connected", "dry_run", "unreachable"),
    LeaseName: ("telegram-commands", "timers"),
    ClusterMode: ("single", "shared"),
}


def test_every_set_in_the_module_is_pinned_here() -> None:
    defined = {value for value in vars(bot.enums).values()
               if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum}
    assert defined == set(STORED_VALUES)


@pytest.mark.parametrize("states", list(STORED_VALUES), ids=lambda states: states.__name__)
def test_each_set_keeps_the_values_stored_today(states: type[StrEnum]) -> None:
    assert tuple(member.value for member in states) == STORED_VALUES[states]


@pytest.mark.parametrize("states", list(STORED_VALUES), ids=lambda states: states.__name__)
def test_a_member_is_its_string_in_text_json_and_lookups(states: type[StrEnum]) -> None:
    for member in states:
        assert member == member.value and f"{member}" == member.value and str(member) == member.value
        assert json.dumps({"state": member, member: 1}) == json.dumps({"state": member.value, member.value: 1})
        assert {member.value: True}[member] and states(member.value) is member


def test_the_database_holds_plain_text_and_reads_back_members(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    try:
        store.outbox.queue_notice("source wire is failing", [Target(Channel.TELEGRAM, 42)], NOW)
        row = store.db.execute("SELECT status, typeof(status), action, channel FROM outbox").fetchone()
        assert tuple(row) == ("pending", "text", "send", "telegram")
        payload = store.db.execute("SELECT payload, status FROM alerts").fetchone()
        assert '"kind": "notice"' in payload[0] and payload[1] == "queued"

        (delivery,) = store.outbox.due(NOW)
        assert delivery.action is AlertAction.SEND and delivery.target.channel is Channel.TELEGRAM
        assert delivery.alert.kind is AlertKind.NOTICE
        assert store.outbox.claim(delivery.id)
        store.outbox.mark_sent(delivery.id, NOW, message_id=7)
        assert store.outbox.counts() == {"sent": 1}
        assert store.db.execute("SELECT status FROM outbox").fetchone()[0] == OutboxStatus.SENT
    finally:
        store.close()


def _sql_states(source: str) -> dict[str, set[str]]:
    """The quoted values the SQL in a module compares `status`, `action` and `channel` with, or defaults them to."""
    found: dict[str, set[str]] = {"status": set(), "action": set(), "channel": set()}
    compared = re.compile(r"\b(status|action|channel)\s*(?:=|!=|IN|NOT IN)\s*('\w+'|\([^)]*\))")
    for column, values in compared.findall(source):
        found[column].update(re.findall(r"'(\w+)'", values))
    for column, value in re.findall(r"\b(status|action|channel) TEXT NOT NULL DEFAULT '(\w+)'", source):
        found[column].add(value)
    return found


def test_every_state_the_store_sql_names_is_a_member() -> None:
    package = Path(bot.store.__file__).parent
    found = _sql_states("\n".join(path.read_text(encoding="utf-8") for path in sorted(package.rglob("*"))
                                  if path.suffix in (".py", ".sql")))
    # outbox, alerts, events and chats each have a `status` column
    statuses = {*OutboxStatus, *AlertStatus, *EventStatus, *ChatStatus}
    assert found["status"] and found["status"] <= statuses, found["status"] - statuses
    assert found["action"] and found["action"] <= set(AlertAction), found["action"] - set(AlertAction)
    assert found["channel"] <= set(Channel), found["channel"] - set(Channel)   # the parts pass channels as values


def test_the_sql_check_notices_a_state_that_is_no_member() -> None:
    found = _sql_states("UPDATE outbox SET status='sendng' WHERE action IN ('send', 'resend')")
    assert found["status"] == {"sendng"} and "sendng" not in set(OutboxStatus)
    assert found["action"] - set(AlertAction) == {"resend"}
