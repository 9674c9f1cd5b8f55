"""On-call escalation: who gets a severe alert, and what is due while nobody acknowledges it.

Pure: no database, no Telegram, no clock of its own. The store keeps one row per escalated
alert (`escalations`, created in the transaction that queues the alert); a job in the app
asks it for rows whose wait is over, asks `next_step` what to send, and the store queues
those messages through the outbox and advances the row in one transaction. Acknowledging
the alert in any chat that received it ends the chain (`EscalationStore.acknowledge`).

The steps, each `escalate_after` after the previous one (the first after the alert):
  0    re-notify: a reply under the alert in each on-call chat;
  1..  the chain from config, in order: the alert itself to another chat, or a message
       mentioning people in a chat.
After the last step the chain is over; the alert stays unacknowledged, and says so nowhere
else, so keep the chain as long as your rota needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.config import OnCallConfig
from bot.enums import AlertAction, AlertKind, NotifyKind
from bot.models import Alert, Article, Match, Severity, Target

ESCALATION_RULE = "beacon-escalation"   # the rule id of Beacon's own escalation messages


@dataclass(frozen=True)
class EscalationState:
    """One escalated alert, as the store keeps it."""

    alert_id: int
    step: int                      # the next step to take (0: the re-notification)
    chats: tuple[int, ...]         # the on-call chats the alert was routed to
    started_at: datetime           # when the alert went out: "not acknowledged after ..."
    since: datetime                # when the wait for the next step began (the alert, or the last step)
    done_at: datetime | None = None
    acknowledged_by: str | None = None


@dataclass(frozen=True)
class Notify:
    """One message an escalation step sends."""

    kind: NotifyKind
    chat_id: int
    mention: tuple[int | str, ...] = ()      # user names ("@duty_lead") or numeric user ids


@dataclass(frozen=True)
class Step:
    """What is due now for one escalated alert."""

    alert_id: int
    step: int                      # the step taken: the row's `step` before it advances
    messages: tuple[Notify, ...]
    waited: float                  # seconds since the alert went out
    last: bool                     # the chain is over after this step


def enabled(oncall: OnCallConfig) -> bool:
    return bool(oncall.chats)


def escalates(alert: Alert, oncall: OnCallConfig) -> bool:
    """Is this a new alert severe enough for the on-call chats? Updates and edits follow the first message."""
    if not enabled(oncall) or alert.suppressed or alert.held:
        return False
    if alert.kind != AlertKind.ALERT or alert.action != AlertAction.SEND:
        return False
    severity = alert.event.severity if alert.event is not None else alert.match.severity
    return severity >= Severity.parse(oncall.min_severity)


def with_oncall(alert: Alert, targets: Iterable[Target], oncall: OnCallConfig) -> list[Target]:
    """The routed targets plus the on-call chats (marked `oncall`) when the alert escalates: the on-call
    stage of `bot/routing.py`. An on-call chat that is also subscribed is one target: one message, marked on-call.
    """
    from bot.routing import Planned, incident_of
    from bot.routing import with_oncall as oncall_stage

    planned = [Planned(t) for t in targets]
    chats = oncall.chats if enabled(oncall) else []
    return [p.target for p in oncall_stage(planned, incident_of(alert), chats, Severity.parse(oncall.min_severity))]


def next_step(state: EscalationState, oncall: OnCallConfig, now: datetime) -> Step | None:
    """The step due now, or None (acknowledged, over, or still waiting).

    The wait follows the current config: changing `escalate_after` or the chain applies to
    escalations already running, at their next step.
    """
    if state.done_at is not None or now < state.since + timedelta(seconds=oncall.escalate_after):
        return None
    chain = oncall.chain
    messages: tuple[Notify, ...]
    if state.step == 0:
        messages = tuple(Notify(NotifyKind.RENOTIFY, chat) for chat in state.chats)
    elif state.step <= len(chain):
        link = chain[state.step - 1]
        if link.mention:
            messages = (Notify(NotifyKind.MENTION, link.chat, tuple(link.mention)),)
        else:
            messages = (Notify(NotifyKind.ALERT, link.chat),)
    else:
        messages = ()   # the chain was shortened since this step was planned: it is over
    return Step(state.alert_id, state.step, messages, (now - state.started_at).total_seconds(),
                last=state.step >= len(chain))


def escalation_alert(original: Alert, severity: Severity, notify: Notify, now: datetime,
                     **facts: Any) -> Alert:
    """The message `notify` asks for, as an alert of kind "escalation" (rendered by `Renderer.render`).

    Its facts carry what the text needs as data: the escalated alert's id (for the Acknowledge
    button and the reply), the kind of message, and who to mention.
    """
    assert original.id is not None
    article = Article("beacon", original.article.title, url=original.article.url)
    data: dict[str, Any] = {"alert_id": original.id, "notify": notify.kind, **facts}
    if notify.mention:
        data["mention"] = list(notify.mention)
    match = Match(ESCALATION_RULE, original.match.rule_title, severity, facts=data,
                  key=f"escalation:{original.id}")
    return Alert(article, match, now, kind=AlertKind.ESCALATION)



def in_chat(notify: Notify, has_alert: bool) -> Notify:
    """The alert itself goes to a chain chat that lacks it (updates then follow it there); a chat that
    already has it gets a re-notification under it instead."""
    if notify.kind == NotifyKind.ALERT and has_alert:
        return Notify(NotifyKind.RENOTIFY, notify.chat_id)
    return notify


def acknowledged_notices(state: EscalationState, acknowledged_in: int, had_alert: Iterable[int]) -> list[Notify]:
    """Once acknowledged, the other on-call chats that were sent the alert are told who did, under it."""
    had = set(had_alert)
    return [Notify(NotifyKind.ACKNOWLEDGED, chat) for chat in state.chats if chat != acknowledged_in and chat in had]
