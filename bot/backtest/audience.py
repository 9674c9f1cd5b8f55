"""Who would have received each alert of a backtest, for the busiest chats' message counts.

With a state database, its subscriptions decide, through the plan of `bot/routing.py` as
`Beacon.plan` makes it (one delivery per chat subscribed to one of the incident's rules, one of
their tags or `all`, narrowed by region; the on-call chats for a new incident at their severity).
Mutes are left out: they are set and lifted in real time, not on the replay's clock. Without a
state database, a single chat subscribed to everything stands for every reader. An event's later
reports go to the chats that got its first alert, as `Store._queue_alert` sends them; an update
that now reaches a chat the event did not is that chat's first message about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.config import OnCallConfig
from bot.enums import AlertAction, Channel
from bot.escalation import enabled
from bot.models import Alert, Severity, Target
from bot.routing import incident_of, plan
from bot.store import Store

EVERYTHING = "one chat subscribed to all"


def chat_label(target: Target) -> str:
    if target.channel != Channel.TELEGRAM:
        return target.channel
    return f"chat {target.chat_id}" + (f" topic {target.thread_id}" if target.thread_id else "")


@dataclass(frozen=True)
class Reached:
    """The chats one decision reaches: those it tells for the first time, and those that already know."""

    first: tuple[str, ...] = ()
    again: tuple[str, ...] = ()


class Audience:
    """Routes a backtest's alerts to chat labels and remembers who got each event."""

    def __init__(self, route: Callable[[Alert], list[str]], described: str) -> None:
        self.route = route
        self.described = described
        self.told: dict[str, tuple[str, ...]] = {}   # event id -> chats that got a message about it

    @classmethod
    def everyone(cls) -> Audience:
        return cls(lambda _alert: [EVERYTHING], EVERYTHING)

    @classmethod
    def subscribed(cls, store: Store, oncall: OnCallConfig, where: str) -> Audience:
        """The subscriptions of a (snapshot of a) state database, with the config's on-call chats."""
        subscriptions, gone = store.chats.routable()
        oncall_chats = oncall.chats if enabled(oncall) else []
        severity = Severity.parse(oncall.min_severity)

        def route(alert: Alert) -> list[str]:
            routed = plan(incident_of(alert), subscriptions, [], alert.created_at, gone=gone,
                          oncall_chats=oncall_chats, oncall_min_severity=severity)
            return list(dict.fromkeys(chat_label(t) for t in routed.targets))

        chats = len({(s.chat_id, s.thread_id) for s in subscriptions})
        return cls(route, f"subscriptions in {where} ({chats} chats or topics), on-call chats added")

    def receivers(self, alert: Alert) -> Reached:
        """A new alert reaches the chats routed to; an update or edit the chats told before, and an
        update also the chats it is now routed to that were not (their first message about it)."""
        event_id = alert.event.id if alert.event is not None else None
        if alert.action == AlertAction.SEND:
            chats = tuple(self.route(alert))
            if event_id is not None:
                self.told[event_id] = chats
            return Reached(first=chats)
        known = self.told.get(event_id or "", ())
        fresh: tuple[str, ...] = ()
        if alert.action == AlertAction.UPDATE and event_id is not None:
            fresh = tuple(chat for chat in self.route(alert) if chat not in known)
            self.told[event_id] = known + fresh
        return Reached(first=fresh, again=known)
