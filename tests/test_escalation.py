"""On-call escalation: routing, the steps and their timing, the store's state and stopping, the messages.

The clock is a plain `datetime` moved by hand; the store is a real SQLite file.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import ChainStep, OnCallConfig
from bot.enums import NotifyKind
from bot.errors import ConfigError
from bot.escalation import (
    EscalationState,
    Notify,
    Step,
    acknowledged_notices,
    escalates,
    in_chat,
    next_step,
    with_oncall,
)
from bot.models import Alert, Article, EventUpdate, Match, Severity, Target
from bot.render import Renderer
from bot.store import Store

pytestmark = pytest.mark.backends()   # on-call escalation on SQLite and on PostgreSQL

ONCALL, LEAD, SUBSCRIBER = -1001234, -1009999, 42
T0 = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
TEN = timedelta(minutes=10)
POLICY = OnCallConfig(min_severity="high", chats=[ONCALL], escalate_after=600,
                      chain=[ChainStep(chat=LEAD), ChainStep(chat=ONCALL, mention=["@duty_lead", 12345678])])


def alert(severity: Severity = Severity.HIGH, **kw: object) -> Alert:
    article = Article("wire", "Police officer killed in ambush near Banjska", "…", url="https://wire.example/1",
                      guid="w-1")
    return Alert(article, Match("fatal-clash", "Fatal armed clash", severity), T0, **kw)  # type: ignore[arg-type]


def state(step: int = 0, since: datetime = T0, **kw: object) -> EscalationState:
    return EscalationState(7, step, (ONCALL,), T0, since, **kw)  # type: ignore[arg-type]


# -- routing ---------------------------------------------------------------------------------


def test_only_new_alerts_at_or_above_the_threshold_escalate() -> None:
    assert escalates(alert(Severity.HIGH), POLICY)
    assert escalates(alert(Severity.CRITICAL), POLICY)
    assert not escalates(alert(Severity.MEDIUM), POLICY)
    update = EventUpdate(T0, "update", ("death toll now 4, was 1",))
    assert not escalates(alert(action="update", update=update), POLICY)   # updates follow the first message
    assert not escalates(alert(kind="notice"), POLICY)
    assert not escalates(alert(), OnCallConfig(chats=[]))                # off without on-call chats


def test_on_call_chats_join_the_subscribers_once() -> None:
    subscribed = [Target("telegram", SUBSCRIBER), Target("telegram", ONCALL)]
    assert with_oncall(alert(), subscribed, POLICY) == [Target("telegram", SUBSCRIBER),
                                                         Target("telegram", ONCALL, oncall=True)]
    assert with_oncall(alert(Severity.MEDIUM), subscribed, POLICY) == subscribed


# -- steps and timing ------------------------------------------------------------------------


def test_nothing_is_due_before_escalate_after() -> None:
    assert next_step(state(), POLICY, T0 + TEN - timedelta(seconds=1)) is None


def test_the_steps_in_order() -> None:
    step0 = next_step(state(0), POLICY, T0 + TEN)
    assert step0 is not None and step0.messages == (Notify("renotify", ONCALL),) and not step0.last
    assert step0.waited == 600
    step1 = next_step(state(1, since=T0 + TEN), POLICY, T0 + 2 * TEN)
    assert step1 is not None and step1.messages == (Notify("alert", LEAD),) and not step1.last
    step2 = next_step(state(2, since=T0 + 2 * TEN), POLICY, T0 + 3 * TEN)
    assert step2 is not None and step2.last and step2.waited == 1800
    assert step2.messages == (Notify("mention", ONCALL, ("@duty_lead", 12345678)),)


def test_each_step_waits_from_the_previous_one() -> None:
    # a step taken late (Beacon was down) gives people a full interval before the next
    assert next_step(state(1, since=T0 + 3 * TEN), POLICY, T0 + 3 * TEN + timedelta(minutes=9)) is None


def test_an_acknowledged_or_finished_escalation_stops() -> None:
    assert next_step(state(1, done_at=T0 + TEN, acknowledged_by="@ana"), POLICY, T0 + 5 * TEN) is None
    # a chain shortened by a config change: nothing left to send, and it is over
    over = next_step(state(5), POLICY, T0 + TEN)
    assert over is not None and over.messages == () and over.last


# -- the store: state, advancing, stopping ---------------------------------------------------


def queue(store: Store, severity: Severity = Severity.HIGH) -> int:
    routed = with_oncall(alert(severity), [Target("telegram", SUBSCRIBER)], POLICY)
    [alert_id] = store.commit_articles("wire", [], [alert(severity)], lambda _a: routed, T0)
    return alert_id


def mark_all_sent(store: Store) -> None:
    for row in store.outbox.rows():
        if row.status == "pending":
            store.outbox.claim(row.id)
            store.outbox.mark_sent(row.id, T0, message_id=100 + row.id)


def take(store: Store, now: datetime) -> int:
    [due] = store.escalations.states(waiting_since=now - TEN)
    step = next_step(due, POLICY, now)
    assert step is not None
    return store.escalations.escalate(step, now)


def test_the_escalation_is_created_with_the_alert(store: Store) -> None:
    alert_id = queue(store)
    queue(store, Severity.MEDIUM)
    [row] = store.escalations.states()
    assert (row.alert_id, row.step, row.chats, row.started_at, row.done_at) == (alert_id, 0, (ONCALL,), T0, None)
    assert {(d.chat_id, d.escalates) for d in store.outbox.rows()} == {(SUBSCRIBER, None), (ONCALL, None)}


def test_steps_queue_messages_and_advance(store: Store) -> None:
    alert_id = queue(store)
    mark_all_sent(store)
    assert store.escalations.states(waiting_since=T0 + TEN - TEN - timedelta(seconds=1)) == []   # not yet
    assert take(store, T0 + TEN) == 1
    assert take(store, T0 + 2 * TEN) == 1
    assert take(store, T0 + 3 * TEN) == 1
    [row] = store.escalations.states()
    assert row.step == 3 and row.done_at == T0 + 3 * TEN and row.acknowledged_by is None   # the chain is over
    rows = [d for d in store.outbox.rows() if d.escalates == alert_id]
    assert [(d.chat_id, d.alert_id == alert_id) for d in rows] == [(ONCALL, False), (LEAD, True),
                                                                          (ONCALL, False)]
    renotify = rows[0]
    assert store.escalations.escalated_message_id(renotify.id) == 100 + 2   # the original in the on-call chat
    assert store.escalations.escalated_message_id(rows[1].id) is None       # the alert itself is no reply


def test_a_step_is_taken_once(store: Store) -> None:
    queue(store)
    [due] = store.escalations.states()
    step = next_step(due, POLICY, T0 + TEN)
    assert step is not None
    assert store.escalations.escalate(step, T0 + TEN) == 1
    assert store.escalations.escalate(step, T0 + TEN) == 0   # a second run with the same view of the state


def test_the_chain_to_a_chat_that_has_the_alert_re_notifies_there(store: Store) -> None:
    alert_id = queue(store)
    mark_all_sent(store)
    assert store.escalations.escalate(Step(alert_id, 0, (Notify("alert", SUBSCRIBER),), 600, last=False), T0 + TEN) == 1
    [extra] = [d for d in store.outbox.rows() if d.escalates]
    assert extra.chat_id == SUBSCRIBER and extra.alert_id != alert_id
    assert store.escalations.escalated_message_id(extra.id) == 100 + 1   # a reply under the alert it has


def test_acknowledging_stops_the_chain_and_drops_unsent_messages(store: Store) -> None:
    alert_id = queue(store)
    mark_all_sent(store)
    take(store, T0 + TEN)
    take(store, T0 + 2 * TEN)             # the alert to LEAD, still pending
    store.escalations.acknowledge(alert_id, SUBSCRIBER, "@ana", T0 + 2 * TEN + timedelta(minutes=1))   # a subscriber
    [row] = store.escalations.states()
    assert row.acknowledged_by == "@ana" and row.done_at is not None
    assert store.escalations.states(waiting_since=T0 + 10 * TEN) == []
    skipped = [d for d in store.outbox.rows() if d.status == "skipped"]
    assert {(d.chat_id, d.last_error) for d in skipped} == {(ONCALL, "acknowledged before it was sent"),
                                                                   (LEAD, "acknowledged before it was sent")}
    # the on-call chat, which did not acknowledge, is told who did, under its alert
    [note] = [d for d in store.outbox.rows() if d.status == "pending"]
    assert note.chat_id == ONCALL and store.escalations.escalated_message_id(note.id) == 100 + 2
    message = store.alerts.get(note.alert_id)
    assert message is not None
    [part] = Renderer(None).render(message)
    assert "Acknowledged by @ana at 06:21 UTC" in part.text and not part.buttons
    # a second acknowledgement changes nothing
    store.escalations.acknowledge(alert_id, ONCALL, "@bo", T0 + 3 * TEN)
    assert store.escalations.states()[0].acknowledged_by == "@ana"
    assert len([d for d in store.outbox.rows() if d.status == "pending"]) == 1


# -- the messages ----------------------------------------------------------------------------


def escalation_message(store: Store, now: datetime) -> Alert:
    take(store, now)
    row = store.outbox.rows()[-1]
    message = store.alerts.get(row.alert_id)
    assert message is not None
    return message


def test_the_messages_read_well_and_can_be_acknowledged(store: Store) -> None:
    alert_id = queue(store)
    mark_all_sent(store)
    [renotify] = Renderer(None).render(escalation_message(store, T0 + TEN))
    assert renotify.text.startswith("⏰ <b>Not acknowledged after 10m</b> — re-sending")
    assert "Fatal armed clash · high" in renotify.text and "Banjska" in renotify.text
    assert renotify.alert_id == alert_id and renotify.buttons and not renotify.disable_notification
    take(store, T0 + 2 * TEN)
    [mention] = Renderer(None).render(escalation_message(store, T0 + 3 * TEN))
    assert mention.text.startswith('⏰ @duty_lead <a href="tg://user?id=12345678">user 12345678</a>: '
                                   "<b>not acknowledged after 30m</b>")


def test_config(write_config) -> None:
    config = write_config("""
        oncall:
          min_severity: critical
          chats: [-1001234]
          escalate_after: 5m
          chain:
            - {chat: -1009999}
            - {chat: -1001234, mention: ["@duty_lead", 12345678]}
    """)
    assert config.oncall.escalate_after == 300 and config.oncall.chain[1].mention == ["@duty_lead", 12345678]
    assert config.oncall.min_severity == "critical"
    with pytest.raises(ConfigError, match=r"oncall.chain\[0\].mention: .duty lead. is not a Telegram user name"):
        write_config("oncall: {chats: [1], chain: [{chat: 2, mention: [duty lead]}]}")
    with pytest.raises(ConfigError, match="did you mean 'chain'"):
        write_config("oncall: {chats: [1], chian: []}")


def test_a_version_6_database_upgrades(tmp_path) -> None:
    path = tmp_path / "beacon.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    with db:   # back to version 6, as a database written before on-call escalation (and versioned migrations)
        db.executescript("DROP INDEX outbox_escalates; ALTER TABLE outbox DROP COLUMN escalates; "
                         "DROP TABLE escalations; DROP TABLE schema_migrations; "
                         "ALTER TABLE outbox DROP COLUMN claimed_by; ALTER TABLE outbox DROP COLUMN lease_until; "
                         "ALTER TABLE source_state DROP COLUMN leased_by; "
                         "ALTER TABLE source_state DROP COLUMN lease_until; "
                         "ALTER TABLE source_state DROP COLUMN leased_at; "
                         "DROP TABLE leases; DROP TABLE instances; DROP TABLE send_slots; "
                         "DROP TABLE trend_state; DROP TABLE story_bands; DROP TABLE judgements; "
                         "UPDATE meta SET value='6' WHERE key='schema_version';")
    db.close()
    store = Store(path)
    try:
        alert_id = queue(store)
        assert [e.alert_id for e in store.escalations.states()] == [alert_id]
    finally:
        store.close()


def test_a_wall_clock_jump_keeps_the_wait(store: Store) -> None:
    queue(store)
    store.shift_schedules(-3600, T0 - timedelta(hours=1))   # the clock was set back an hour
    [row] = store.escalations.states()
    assert row.since == T0 - timedelta(hours=1)              # still 10 minutes to wait, not 70
    assert next_step(row, POLICY, T0 - timedelta(hours=1) + TEN) is not None


def test_only_a_chat_that_received_the_alert_can_stop_it(store: Store) -> None:
    alert_id = queue(store)
    mark_all_sent(store)
    store.escalations.acknowledge(alert_id, LEAD, "@stranger", T0 + TEN)   # LEAD has not been sent it (yet)
    assert store.escalations.states()[0].done_at is None


def test_the_alert_itself_goes_only_to_a_chain_chat_that_lacks_it() -> None:
    assert in_chat(Notify(NotifyKind.ALERT, LEAD), has_alert=False) == Notify(NotifyKind.ALERT, LEAD)
    assert in_chat(Notify(NotifyKind.ALERT, LEAD), has_alert=True) == Notify(NotifyKind.RENOTIFY, LEAD)
    mention = Notify(NotifyKind.MENTION, LEAD, ("@duty_lead",))
    assert in_chat(mention, has_alert=True) == mention


def test_an_acknowledgement_is_told_to_the_other_on_call_chats_that_had_the_alert() -> None:
    state = EscalationState(7, 1, (ONCALL, LEAD, SUBSCRIBER), T0, T0)
    told = acknowledged_notices(state, acknowledged_in=LEAD, had_alert=[ONCALL, LEAD])
    assert told == [Notify(NotifyKind.ACKNOWLEDGED, ONCALL)]   # not the chat that acknowledged, not one without it
