"""Who routing sends an alert to, from a store's subscriptions: for tests of subscribing and narrowing."""

from __future__ import annotations

from collections.abc import Iterable

from bot.models import EventRule, Severity, Target
from bot.routing import Incident, dedup, select
from bot.store import Store


def subscribers(store: Store, rule_id: str, tags: Iterable[str] = (), regions: Iterable[str] = ()) -> list[Target]:
    """The targets of a new alert of this rule, with these tags, about these regions: routing's select and
    dedup stages over the store's subscriptions (a region-narrowed subscription needs one of the regions)."""
    incident = Incident((EventRule(rule_id, rule_id, Severity.INFO, tuple(tags)),), tuple(regions), Severity.INFO,
                        new=True)
    subscriptions, gone = store.chats.routable()
    taken, _ = select(incident, subscriptions, gone)
    return [planned.target for planned in dedup(taken)]
