"""Who gets an incident, decided in one place: incident + subscriptions + mutes + on-call -> a plan.

Pure: no database, no Telegram, no clock. The store hands in what it holds (subscriptions, mutes,
chats that are gone) and writes the plan's rows; `beacon explain-delivery` prints the same plan
with the reason of every stage. The stages, each a small function testable alone:

1. select:  the subscriptions that take the incident: `all`, one of its rules, or a tag of one of
            its rules; a subscription narrowed to regions takes it only about one of them.
2. dedup:   one delivery per chat (and forum topic) whatever set of its subscriptions matched:
            one message per incident.
3. inhibit: the titles a chat is shown: those of the incident's rules it subscribed to, without a
            rule another of them supersedes (`supersedes:` in a rule file).
4. on-call: a new incident at or above `oncall.min_severity` also goes to the on-call chats; so does
            one a later report raises to it (`raised_as_new`), once, when its severity crosses the line.
            An on-call chat that is also subscribed is one delivery, marked on-call; one that already
            holds the incident's message when it is raised gets no second (`not_yet_holding`).
5. silence: a delivery a mute covers is written as `muted`: recorded, never sent.

Holds (quiet hours, digests, the hourly ceiling) are the last stage, decided when a row is due
(`bot/holds.py`), because they depend on the time it is sent.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.enums import AlertAction, AlertKind, Channel
from bot.models import Alert, EventRule, Severity, Target

INCIDENT_MUTE = "incident:"   # a mute of one incident (its event id after it): its updates and edits stay silent


@dataclass(frozen=True)
class Subscription:
    """Where a chat (or forum topic) receives alerts: a rule id, `tag:<tag>` or `all`, maybe narrowed."""

    chat_id: int
    thread_id: int | None
    selector: str
    regions: tuple[str, ...] = ()     # region keys (engine/regions.place_key: `georgia`, `us-ga`); empty: anywhere


@dataclass(frozen=True)
class Mute:
    """A chat's mute (chat 0: the operator's, for every chat) of a rule, `tag:`, `region:`, `incident:` or `all`."""

    chat_id: int
    selector: str
    until: datetime
    created_by: str = ""          # who muted: a user, or "config" for the config's silences


@dataclass(frozen=True)
class Incident:
    """What routing needs to know of an alert: its rules, tags, regions and severity."""

    rules: tuple[EventRule, ...]
    regions: tuple[str, ...]      # region keys, which subscriptions and mutes name (names may be shared)
    severity: Severity
    new: bool                     # a new message (not an update, an edit, a notice or a digest)
    id: str = ""                  # its event's id (`incident:<id>` mutes it alone); "" without clustering

    def __post_init__(self) -> None:
        # keys compare as stored (`region_key`): `US-GA` is `us-ga`
        object.__setattr__(self, "regions", tuple(region_key(r) for r in self.regions))

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


@dataclass(frozen=True)
class Planned:
    """One chat's part of the plan: where, whether it is muted, and why it is there."""

    target: Target
    muted: str | None = None                  # the mute that silences it
    rules: tuple[str, ...] = ()               # the incident's rules this chat receives it for
    why: tuple[str, ...] = ()                 # the subscriptions (or on-call) that brought it


@dataclass(frozen=True)
class Plan:
    deliveries: tuple[Planned, ...] = ()
    passed_over: tuple[tuple[Subscription, str], ...] = field(default_factory=tuple)   # (subscription, why not)

    @property
    def targets(self) -> list[Target]:
        return [p.target for p in self.deliveries]


def region_key(text: str) -> str:
    """A region key as stored and compared: lower case, without accents, words joined by `-`, a town's
    `city:` prefix kept (`US-GA` -> `us-ga`, `city:786714`). Also what an alert of an older version, which
    carried names only, is narrowed by: the slug of each name (`Zvečan` -> `zvecan`)."""
    base = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in base if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9:]+", "-", base).strip("-")


def incident_keys(region_keys: Sequence[str], regions: Sequence[str]) -> tuple[str, ...]:
    """The keys an incident is narrowed by: its regions' keys, or for an event or alert stored before matches
    carried keys, the slugs of its region names (which a US state and a country of one name share)."""
    if region_keys:
        return tuple(region_keys)
    return tuple(dict.fromkeys(region_key(r) for r in regions))


def incident_of(alert: Alert) -> Incident:
    """The incident an alert tells: its event's rules and regions when it has one, else its match's."""
    event, match = alert.event, alert.match
    if event is not None and event.rules:
        rules = event.rules
    else:
        rules = (EventRule(match.rule_id, match.rule_title, match.severity, match.tags, match.policy.supersedes),)
    if event is not None:
        regions = incident_keys(event.region_keys, event.regions)
    else:
        regions = incident_keys(match.region_keys, match.regions)
    severity = event.severity if event is not None else match.severity
    new = (alert.kind == AlertKind.ALERT and alert.action == AlertAction.SEND
           and not alert.suppressed and not alert.held)
    return Incident(tuple(rules), tuple(regions), severity, new, event.id if event is not None else "")


def raised_as_new(alert: Alert) -> Alert | None:
    """An update that raised its incident's severity (a follow-up lifted the toll past the rule's `escalate`),
    as the incident's first message: routed, it names the chats the incident reaches only now it is this
    severe (the on-call chats, stage 4), which are sent its message and escalate from then. None for any other
    alert. Once: severity never falls, so an incident crosses the on-call line once."""
    update = alert.update
    if alert.action != AlertAction.UPDATE or alert.suppressed or update is None or update.severity_before is None:
        return None
    return dataclasses.replace(alert, action=AlertAction.SEND, update=None)


# -- the stages -----------------------------------------------------------------------------------


def selected_rules(subscription: Subscription, incident: Incident) -> tuple[str, ...]:
    """Stage 1 for one subscription: the incident's rules it selects (empty: it does not take it)."""
    selector = subscription.selector
    if selector == "all":
        return incident.rule_ids
    if selector.startswith("tag:"):
        tag = selector[4:]
        return tuple(r.id for r in incident.rules if tag in r.tags)
    return (selector,) if selector in incident.rule_ids else ()


def in_regions(subscription: Subscription, incident: Incident) -> bool:
    """A subscription narrowed to regions takes an incident only about one of them."""
    if not subscription.regions:
        return True
    return not set(incident.regions).isdisjoint(subscription.regions)


def select(incident: Incident, subscriptions: Iterable[Subscription],
           gone: frozenset[int] = frozenset()) -> tuple[list[tuple[Subscription, tuple[str, ...]]],
                                                         list[tuple[Subscription, str]]]:
    """Stage 1: (subscriptions that take the incident with the rules they select, those passed over and why)."""
    taken: list[tuple[Subscription, tuple[str, ...]]] = []
    passed: list[tuple[Subscription, str]] = []
    for sub in subscriptions:
        rules = selected_rules(sub, incident)
        if sub.chat_id in gone:
            passed.append((sub, "the chat is gone (blocked the bot, or was deleted); its subscriptions are paused"))
        elif not rules:
            passed.append((sub, f"{sub.selector} selects none of the incident's rules "
                                f"({', '.join(incident.rule_ids)})"))
        elif not in_regions(sub, incident):
            passed.append((sub, f"narrowed to {', '.join(sub.regions)}; the incident is about "
                                f"{', '.join(incident.regions) or 'no region'}"))
        else:
            taken.append((sub, rules))
    return taken, passed


def subscribed(sub: Subscription) -> str:
    """Why a subscription brought a delivery, as `explain-delivery` prints it: its selector and its narrowing."""
    if sub.regions:
        return f"subscribed to {sub.selector} in {', '.join(sub.regions)}"
    return f"subscribed to {sub.selector}"


def dedup(taken: Sequence[tuple[Subscription, tuple[str, ...]]]) -> list[Planned]:
    """Stage 2: one delivery per chat and topic, carrying every rule and subscription that brought it."""
    by_target: dict[tuple[int, int | None], Planned] = {}
    for sub, rules in taken:
        key = (sub.chat_id, sub.thread_id)
        known = by_target.get(key)
        if known is None:
            by_target[key] = Planned(Target(Channel.TELEGRAM, sub.chat_id, sub.thread_id), None, rules,
                                     (subscribed(sub),))
        else:
            by_target[key] = Planned(known.target, None, tuple(dict.fromkeys([*known.rules, *rules])),
                                     (*known.why, subscribed(sub)))
    return list(by_target.values())


def titles(incident: Incident, rule_ids: Iterable[str]) -> list[str]:
    """Stage 3: the titles a chat sees: its rules' (all of the incident's when none), the superseded left out."""
    wanted = set(rule_ids) or set(incident.rule_ids)
    chosen = [r for r in incident.rules if r.id in wanted]
    superseded = {s for r in chosen for s in r.supersedes}
    kept = [r for r in chosen if r.id not in superseded] or chosen
    kept.sort(key=lambda r: -r.severity)
    return list(dict.fromkeys(r.title for r in kept))


def with_oncall(planned: Sequence[Planned], incident: Incident, oncall_chats: Sequence[int],
                min_severity: Severity) -> list[Planned]:
    """Stage 4: a new incident at or above the on-call severity goes to the on-call chats too; an
    on-call chat that is also subscribed is one delivery, marked on-call. A forum subscribed only in
    topics is on call in the first of them: the incident and its escalation in the topic that takes its
    alerts, not a second copy in the forum's General topic."""
    if not oncall_chats or not incident.new or incident.severity < min_severity:
        return list(planned)
    kept = list(planned)
    reason = f"on-call: severity {incident.severity.label}"
    for chat in dict.fromkeys(oncall_chats):
        in_chat = [i for i, p in enumerate(kept) if p.target.chat_id == chat and p.target.channel == Channel.TELEGRAM]
        general = [i for i in in_chat if kept[i].target.thread_id is None]
        if general or in_chat:
            known = kept.pop((general or in_chat)[0])     # the on-call deliveries come last, as they always did
            kept.append(Planned(dataclasses.replace(known.target, oncall=True), None, known.rules,
                                (*known.why, reason)))
        else:
            kept.append(Planned(Target(Channel.TELEGRAM, chat, None, oncall=True), None, (), (reason,)))
    return kept


def not_yet_holding(targets: Iterable[Target], holding: Iterable[Target]) -> list[Target]:
    """Stage 2 (dedup) over an incident's life, for an incident a later report lifts to the on-call line
    (`raised_as_new`): of its on-call deliveries, those whose chat does not hold the incident's message yet.
    A chat that holds it (a subscriber since the first report, or one this very report brought in) is sent
    no second message: it is on call for the message it has, and its escalation replies under that one."""
    held = {(t.channel, t.chat_id, t.thread_id or None) for t in holding}
    return [t for t in targets if (t.channel, t.chat_id, t.thread_id or None) not in held]


def mute_for(chat_id: int, incident: Incident, rule_ids: Sequence[str], mutes: Iterable[Mute],
             at: datetime) -> str | None:
    """Stage 5: the mute that silences this incident in this chat, if any: `all`, this incident (the 🔕 button),
    one of its regions, a tag of the rules the chat receives it for, or each of those rules by id."""
    rules = [r for r in incident.rules if r.id in set(rule_ids)] or list(incident.rules)
    active = {m.selector for m in mutes if m.chat_id in (chat_id, 0) and m.until > at}
    if "all" in active:
        return "all"
    if incident.id and f"{INCIDENT_MUTE}{incident.id}" in active:
        return f"{INCIDENT_MUTE}{incident.id}"
    for region in incident.regions:
        if f"region:{region}" in active:
            return f"region:{region}"
    for rule in rules:
        for tag in rule.tags:
            if f"tag:{tag}" in active:
                return f"tag:{tag}"
    if rules and all(r.id in active for r in rules):
        return ", ".join(r.id for r in rules)
    return None


def silencer(incident: Incident, subscriptions: Iterable[Subscription], mutes: Sequence[Mute],
             at: datetime) -> Callable[[int], bool]:
    """Stage 5 for a whole queue of chats at once: is this incident muted in a chat then, for the rules
    that chat receives it for? The subscriptions are grouped once, not once per chat."""
    rules: dict[int, list[str]] = {}
    for sub in subscriptions:
        rules.setdefault(sub.chat_id, []).extend(selected_rules(sub, incident))

    def muted(chat_id: int) -> bool:
        return mute_for(chat_id, incident, rules.get(chat_id, []), mutes, at) is not None

    return muted


def silence(planned: Sequence[Planned], incident: Incident, mutes: Sequence[Mute], at: datetime) -> list[Planned]:
    return [Planned(p.target, mute_for(p.target.chat_id, incident, p.rules, mutes, at), p.rules, p.why)
            for p in planned]


def plan(incident: Incident, subscriptions: Iterable[Subscription], mutes: Sequence[Mute], at: datetime, *,
         gone: frozenset[int] = frozenset(), oncall_chats: Sequence[int] = (),
         oncall_min_severity: Severity = Severity.CRITICAL) -> Plan:
    """Every stage in order: the deliveries of one incident, one per chat, each muted or not, with why."""
    taken, passed = select(incident, subscriptions, gone)
    planned = with_oncall(dedup(taken), incident, oncall_chats, oncall_min_severity)
    return Plan(tuple(silence(planned, incident, mutes, at)), tuple(passed))
