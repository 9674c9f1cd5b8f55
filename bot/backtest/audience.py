"""Who would have received each alert of a backtest, for the busiest chats' message counts.

With a state database, its subscriptions decide, as `Beacon.route` routes a live alert (rule,
tag or `all`, narrowed by region, plus the on-call chats for an alert that escalates). Without
one, a single chat subscribed to everything stands for every reader. An event's later reports
go to the chats that got its first alert, as `Store._queue_alert` sends them.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.config import OnCallConfig
from bot.escalation import with_oncall
from bot.models import Alert, Target
from bot.store import Store

EVERYTHING = "one chat subscribed to all"


def chat_label(target: Target) -> str:
    if target.channel != "telegram":
        return target.channel
    return f"chat {target.chat_id}" + (f" topic {target.thread_id}" if target.thread_id else "")


class Audience:
    """Routes a backtest's new alerts to chat labels and remembers who got each event."""

    def __init__(self, route: Callable[[Alert], list[str]], described: str) -> None:
        self.route = route
        self.described = described
        self.first_sent: dict[str, tuple[str, ...]] = {}   # event id -> chats that got its first alert

    @classmethod
    def everyone(cls) -> Audience:
        return cls(lambda _alert: [EVERYTHING], EVERYTHING)

    @classmethod
    def subscribed(cls, store: Store, oncall: OnCallConfig, where: str) -> Audience:
        """The subscriptions of a (snapshot of a) state database, with the config's on-call chats."""

        def route(alert: Alert) -> list[str]:
            targets = store.subscribers_for(alert.rule_id, alert.match.tags, alert.match.regions)
            return list(dict.fromkeys(chat_label(t) for t in with_oncall(alert, targets, oncall)))

        chats = len({(s.chat_id, s.thread_id) for s in store.subscriptions()})
        return cls(route, f"subscriptions in {where} ({chats} chats or topics), on-call chats added")

    def receivers(self, alert: Alert) -> tuple[str, ...]:
        """The chats a decision reaches: routed for a new alert, the event's first chats for an update."""
        event_id = alert.event.id if alert.event is not None else None
        if alert.action == "send":
            chats = tuple(self.route(alert))
            if event_id is not None:
                self.first_sent[event_id] = chats
            return chats
        return self.first_sent.get(event_id or "", ())
