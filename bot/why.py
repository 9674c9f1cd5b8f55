"""Why did a chat (not) get an incident? `beacon explain-delivery INCIDENT CHAT` and `/why INCIDENT`.

The answer replays the routing stages of `bot/routing.py` for one chat on what the store holds now
(subscriptions, mutes, chats that are gone, on-call), and then says what delivery did with the
incident in that chat (the outbox rows: sent, muted, held for a digest, skipped, given up).
"""

from __future__ import annotations

from datetime import datetime

from bot.config import OnCallConfig
from bot.enums import AlertAction, EventStatus, OutboxStatus
from bot.models import Event, Severity
from bot.routing import Incident, Plan, Planned, Subscription, incident_keys, plan, titles
from bot.store import Store


def incident_of_event(event: Event) -> Incident:
    rules = event.rules or ()
    if not rules:
        from bot.models import EventRule

        rules = (EventRule(event.rule_id, event.rule_title, event.severity),)
    return Incident(tuple(rules), incident_keys(event.region_keys, event.regions), event.severity, new=True,
                    id=event.id)


def explain_delivery(store: Store, event_id: str, chat_id: int, now: datetime,
                     oncall: OnCallConfig | None = None) -> tuple[str, bool]:
    """(the explanation, whether the incident was found)."""
    event = store.events.get(event_id)
    if event is None:
        return f"No incident {event_id!r} (see `beacon events` for the ids kept).", False
    incident = incident_of_event(event)
    subscriptions, gone = store.chats.routable()
    chat_subscriptions = [s for s in subscriptions if s.chat_id == chat_id]
    oncall_chats = list(oncall.chats) if oncall is not None else []
    min_severity = Severity.parse(oncall.min_severity) if oncall is not None else Severity.CRITICAL
    result = plan(incident, chat_subscriptions, store.chats.active_mutes(now, chat_id), now, gone=gone,
                  oncall_chats=[c for c in oncall_chats if c == chat_id], oncall_min_severity=min_severity)
    lines = [f"Incident {event.id}: {' / '.join(titles(incident, []))} · {event.severity.label}",
             f"  rules: {', '.join(incident.rule_ids)}; regions: {', '.join(event.regions) or 'none'}"
             + (f" (keys: {', '.join(incident.regions)})" if incident.regions else ""),
             f"  headline: {event.headline.get('title', '')}",
             f"Chat {chat_id}, as routing decides now:"]
    lines += _stages(result, chat_subscriptions, incident, chat_id)
    lines.append("What delivery did:")
    rows = store.events.deliveries(event.id, chat_id)
    if not rows:
        lines.append("  no message of this incident was queued for this chat: "
                     + _why_nothing_queued(store, event, chat_id, result, chat_subscriptions))
    holding = next((r for r in rows if r.status not in (OutboxStatus.DEAD, OutboxStatus.SKIPPED)), None)
    for row in rows:
        where = f" (topic {row.thread_id})" if row.thread_id else ""
        note = f": {row.last_error}" if row.last_error else ""
        if row is holding and row.action == AlertAction.UPDATE:
            note += " (the incident in full: this chat joined it with a later report)"
        lines.append(f"  {row.action}{where}: {row.status}{note}")
    lines += _escalation(store, event, chat_id, holding is not None)
    return "\n".join(lines) + "\n", True


def _why_nothing_queued(store: Store, event: Event, chat_id: int, result: Plan,
                        subscriptions: list[Subscription]) -> str:
    """Why a chat holds no row of an incident, always with a reason: routing is decided per report, when it
    comes in, on the incident and the subscriptions as they are then."""
    if event.status == EventStatus.HELD:
        return "the incident is held until enough sources report it (the rule's events.min_sources)"
    if not result.deliveries:
        return "no subscription of this chat takes it (stage 1 above)"
    passed = {sub for sub, _why in result.passed_over}
    since = store.chats.subscribed_since(chat_id, [s.selector for s in subscriptions if s not in passed])
    last = event.last_at.isoformat(timespec="minutes")
    if since is not None and since > event.last_at:
        return (f"this chat subscribed ({since.isoformat(timespec='minutes')}) after the incident's last report "
                f"({last}); its next report brings it here in full")
    return (f"when its reports came in (the last {last}) none took this chat: the incident lacked the rule or region "
            "this chat follows then, or the chat was narrowed elsewhere; its next report brings it here in full")


def _escalation(store: Store, event: Event, chat_id: int, holds_message: bool) -> list[str]:
    """The incident's escalation as this chat sees it: running or acknowledged, and where its replies go."""
    state = next((s for s in store.escalations.states() if s.alert_id == event.alert_id), None)
    if state is None or chat_id not in state.chats:
        return []
    if state.acknowledged_by:
        status = f"acknowledged by {state.acknowledged_by}"
    elif state.done_at is not None:
        status = "the chain is over, nobody acknowledged it"
    else:
        status = f"running, next step {state.step}"
    where = "replies under this chat's one message of the incident" if holds_message else "no message to reply under"
    return [f"  escalation: {status}; {where}"]


def _stages(result: Plan, subscriptions: list[Subscription], incident: Incident, chat_id: int) -> list[str]:
    lines = []
    if not subscriptions:
        lines.append("  1 select: the chat has no active subscription")
    for sub, why in result.passed_over:
        lines.append(f"  1 select: {sub.selector}: passed over: {why}")
    if not result.deliveries:
        lines.append("  => not routed: no subscription of this chat takes the incident, and it is not an on-call "
                     "chat for it")
        return lines
    for delivery in result.deliveries:
        lines.append("  1 select: " + "; ".join(delivery.why))
        lines.append(f"  2 dedup: one delivery to {delivery.target.channel} chat {chat_id}"
                     + (f" topic {delivery.target.thread_id}" if delivery.target.thread_id else ""))
        lines.append(f"  3 titles: {' / '.join(titles(incident, delivery.rules))}")
        lines.append("  4 on-call: " + _oncall_line(delivery))
        lines.append("  5 silence: " + (f"muted by {delivery.muted}: recorded, not sent" if delivery.muted
                                        else "not muted"))
    lines.append("  6 hold: decided when a message is due (quiet hours, digest, hourly ceiling: /settings)")
    return lines


def _oncall_line(delivery: Planned) -> str:
    if not delivery.target.oncall:
        return "no"
    if any(why.startswith("subscribed") for why in delivery.why):
        return ("yes, and subscribed: one message, not two; it escalates until acknowledged, and the "
                "re-notifications and the chain's steps into this chat reply under it")
    return "yes, escalates until acknowledged"
