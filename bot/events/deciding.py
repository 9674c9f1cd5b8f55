"""One alert decision per incident a report tells: where clustering places it (a new event or an open one),
whether it is sent, held, an update, a source-only edit or nothing, and several updates of one poll told as one."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.enums import AlertAction, EventStatus, UpdateKind
from bot.events.across_rules import combine, incident_groups, related_events, rule_of
from bot.events.folding import merge_report, open_event
from bot.events.follow_ups import DEFAULT_WINDOW, LONGEST_FOLLOW_UP, follow_up_window
from bot.events.followup_reading import gives_no_toll, tells_burial, tells_response
from bot.events.joining import find_event
from bot.events.model import EventBook, RecentLookup, Syndication, key_region
from bot.events.places import places_meet
from bot.events.terms import Terms, salient_terms
from bot.models import Alert, Article, Event, EventRule, EventUpdate, Match


def decide_alerts(article: Article, matches: Sequence[Match], now: datetime,
                  recent: RecentLookup | None = None, copy_of: Syndication | None = None,
                  book: EventBook | None = None, story_id: str | None = None) -> list[Alert]:
    """One alert decision per incident this (new) article reports.

    With a `book`, the matches of related rules are one incident (`incident_groups`), clustered into
    events (see the `bot.events` docstring); without one (clustering off) every match is its own alert.
    Throttled alerts, and repeats of a syndicated story that already alerted on the same rule, are
    recorded with the reason.
    """
    alerts = []
    clustered: list[Match] = []
    for match in matches:
        if book is not None and match.policy.window > 0:
            clustered.append(match)
            continue
        reason = None
        if copy_of is not None and match.rule_id in copy_of.alerted_rules:
            reason = f"syndicated copy of a story already alerted (sources: {', '.join(copy_of.sources)})"
        reason = reason or _throttled(match, now, recent)
        alerts.append(Alert(article=article, match=match, created_at=now, suppressed=reason))
    if book is not None:
        groups = incident_groups(clustered)
        placed = [_place(article, group, now, book, story_id) for group in groups]
        told: list[Event] = []   # the incidents this report went to so far, opened or joined
        for placing in placed:
            if len(placed) > 1:
                joined = [p.found for p in placed if p.found is not None]
                placing = _settle(placing, article, joined, told)
            alert = _decide_event(article, placing, now, recent, copy_of, book, story_id)
            alerts.append(alert)
            if alert.event is not None:
                told.append(alert.event)
    return alerts


@dataclass(frozen=True)
class Placing:
    """Where clustering puts one incident a report tells: its combined match, rules, terms and the open event
    it joins (None: it opens one)."""

    match: Match
    rules: tuple[EventRule, ...]
    terms: Terms
    candidates: tuple[Event, ...]
    found: Event | None


def _place(article: Article, group: Sequence[Match], now: datetime, book: EventBook,
           story_id: str | None) -> Placing:
    """Where one incident of the report goes: the open events of related rules still taking its reports (its rule's
    window, or the longer follow-up window of what it is), and the one it joins."""
    match = without_untold_toll(combine(group), article)
    rules = tuple(rule_of(m) for m in group)
    terms = salient_terms(article, key_region(match.key))
    window = match.policy.window
    reach = LONGEST_FOLLOW_UP if window >= DEFAULT_WINDOW else window
    candidates = [e for e in related_events(book, rules, match, now - timedelta(seconds=max(window, reach)))
                  if e.last_at >= now - timedelta(seconds=follow_up_window(e, window))]
    late = frozenset(e.id for e in candidates if e.last_at < now - timedelta(seconds=window))
    found = find_event(candidates, match, terms, story_id, article, now, late)
    for observer in _OBSERVERS:
        observer(Weighing(tuple(candidates), match, terms, story_id, article, now, late, found))
    return Placing(match, rules, terms, tuple(candidates), found)


def without_untold_toll(match: Match, article: Article) -> Match:
    """The match without its death toll when the report says it gives none ("Ouagadougou confirms 'terrorist' attack
    in Yatenga, gives no toll"): a figure read from it is no count of the dead, and would read as a lower toll of the
    attack it confirms."""
    if "killed" not in match.facts or not gives_no_toll(article.title, article.text):
        return match
    return dataclasses.replace(match, facts={k: v for k, v in match.facts.items() if k != "killed"})


def _settle(placing: Placing, article: Article, joined: Sequence[Event], told: Sequence[Event]) -> Placing:
    """Where one incident of a report telling several goes: with the other kind's incident an earlier report told
    together with the one it joins (`_with_companion`), or, when its headline tells an answer to an attack, with
    the attack (`_as_response`), even if it found an open incident of its own kind."""
    if placing.found is not None:
        return _as_response(placing, article, [*joined, *told])
    paired = _with_companion(placing, joined)
    if paired.found is not None:
        return paired
    return _as_response(placing, article, [*joined, *told])


def _with_companion(placing: Placing, joined: Sequence[Event]) -> Placing:
    """A report telling incidents of two kinds (a clash and a build-up) that joins an open incident of one kind
    also joins the open incident of the other kind that an earlier report told together with it: the two were
    opened (or joined) by one report, so they are one pair, and a second message for the same pair would
    repeat the first. The other kind's words are seldom enough for this ("Islamic State claims raid that left 53
    Malian troops dead" shares little with the first report's build-up match)."""
    told = {story for event in joined for story in event.stories}
    for event in placing.candidates:
        if not told.isdisjoint(event.stories) and places_meet(event, placing.match) \
                and event.id not in {e.id for e in joined}:
            return dataclasses.replace(placing, found=event)
    return placing


def _as_response(placing: Placing, article: Article, told: Sequence[Event]) -> Placing:
    """A report that tells an attack (joining its open incident, or opening it) and would open, or join, an incident of
    another kind, whose headline tells what is done in answer to the attack ("Cauca: government sends 1,200 more troops
    to Argelia after deadly attack", "NATO to reinforce Kosovo peacekeepers after deadly ambush"), tells one incident,
    not two: the troops sent are the attack's aftermath. Its other rule's match goes to the attack's incident too (its
    message then names both rules), when the report told one incident only and that one has dead. A build-up open
    nearby is another army's move or another stage of the crisis (Serbia massing troops on the boundary, days after the
    ambush NATO answers): the answer to the attack is not news of it. A funeral is no deployment either: a build-up
    match of a report telling a burial ("Families in Gao bury soldiers killed in convoy attack") goes to the clash
    whose dead it buries."""
    if not tells_response(article.title) and not tells_burial(article.title):
        return placing
    found = placing.found
    if found is not None and "killed" in found.facts:
        return placing   # it joined an incident with dead: the attack, or one told with it
    incidents = {e.id: e for e in told if found is None or e.id != found.id}
    if len(incidents) != 1:
        return placing
    attack = next(iter(incidents.values()))
    if "killed" not in attack.facts:
        return placing
    return dataclasses.replace(placing, found=attack)


def _decide_event(article: Article, placing: Placing, now: datetime, recent: RecentLookup | None,
                  copy_of: Syndication | None, book: EventBook, story_id: str | None) -> Alert:
    match, rules, terms, found = placing.match, placing.rules, placing.terms, placing.found
    if found is None:
        if match.only_updates:
            why = "updates an open incident only (the rule's events.update_only), and none is open"
            return Alert(article, match, now, suppressed=why)
        if copy_of is not None and not copy_of.alerted_rules.isdisjoint(r.id for r in rules):
            copied = f"syndicated copy of a story already alerted (sources: {', '.join(copy_of.sources)})"
            return Alert(article, match, now, suppressed=copied)
        event = open_event(match, article, now, terms, story_id, rules=rules)
        throttled = _throttled(match, now, recent)
        if throttled is not None:
            return Alert(article, match, now, suppressed=throttled)
        book.remember(event)
        return Alert(article, match, now, event=event, action=AlertAction.SEND, held=event.status == EventStatus.HELD)
    event, update, fresh_source = merge_report(found, match, article, now, terms, story_id, rules)
    if event.status == EventStatus.HELD:
        if len(event.sources) >= match.policy.min_sources:
            # enough sources agree: this report opens the event, carrying everything known so far
            event = dataclasses.replace(event, status=EventStatus.OPEN, hold_until=None, updates=())
            book.remember(event)
            return Alert(article, match, now, event=event, action=AlertAction.SEND)
        book.remember(event)
        return Alert(article, match, now, event=event, action=AlertAction.SEND, held=True)
    book.remember(event)
    if update is not None:
        return Alert(article, match, now, event=event, action=AlertAction.UPDATE, update=update)
    if fresh_source or event.facts != found.facts:   # a new source, or an older report's higher toll
        return Alert(article, match, now, event=event, action=AlertAction.EDIT)
    if event.rules != found.rules or event.region_keys != found.region_keys:
        # another rule or region (a build-up told in answer to the attack): chats that follow it get the incident
        return Alert(article, match, now, event=event, action=AlertAction.EDIT)
    return Alert(article, match, now, event=event, action=AlertAction.EDIT,
                 suppressed=f"adds nothing to event {event.id} (same source, same facts)")


def coalesce_updates(alerts: Sequence[Alert]) -> list[Alert]:
    """Several updates of one event decided in one poll (a backfill after an outage) become one: the
    last, saying what changed since before the poll ("death toll now 6, was 1"); the others are
    recorded as folded into it. One reply instead of a burst that repeats itself."""
    last: dict[str, int] = {}
    for index, alert in enumerate(alerts):
        if alert.action == AlertAction.UPDATE and alert.event is not None and not alert.suppressed:
            last[alert.event.id] = index
    out = list(alerts)
    earlier: dict[str, list[EventUpdate]] = {}
    for index, alert in enumerate(alerts):
        if alert.action != AlertAction.UPDATE or alert.event is None or alert.suppressed or alert.update is None:
            continue
        event_id = alert.event.id
        if index != last[event_id]:
            earlier.setdefault(event_id, []).append(alert.update)
            out[index] = dataclasses.replace(alert, suppressed=f"folded into the next update of event {event_id} "
                                                               "decided in the same poll")
        elif event_id in earlier:
            folded = [*earlier[event_id], alert.update]
            changes = _combine_changes([c for u in folded for c in u.changes])
            kind = UpdateKind.UPDATE
            if all(u.kind == UpdateKind.DEESCALATION for u in folded):
                kind = UpdateKind.DEESCALATION
            out[index] = dataclasses.replace(alert, update=dataclasses.replace(alert.update, kind=kind,
                                                                               changes=changes))
    return out


def _combine_changes(changes: Sequence[str]) -> tuple[str, ...]:
    """Changes in the order they came, one per figure: "death toll now 4, was 1" then "death toll now 6,
    was 4" read "death toll now 6, was 1"."""
    by_label: dict[str, str] = {}
    for change in changes:
        label, sep, rest = change.partition(" now ")
        if not sep:
            by_label.setdefault(change, change)
            continue
        earlier = by_label.get(label)
        if earlier is not None and ", was " in earlier:
            by_label[label] = f"{label} now {rest.split(', was ')[0]}, was {earlier.rsplit(', was ', 1)[1]}"
        else:
            by_label[label] = change
    return tuple(by_label.values())


def _throttled(match: Match, now: datetime, recent: RecentLookup | None) -> str | None:
    if not match.throttle or recent is None:
        return None
    since = now - timedelta(seconds=match.throttle)
    if recent(match.rule_id, match.key, since):
        return f"throttled: same {match.key} within {int(match.throttle)}s"
    return None


@dataclass(frozen=True)
class Weighing:
    """The open incidents clustering weighed for one incident of a report, and the one it chose (None: it opens one).
    Handed to observers, so a benchmark can explain each join without replacing any of deciding's functions."""

    candidates: tuple[Event, ...]
    match: Match
    terms: Terms
    story_id: str | None
    article: Article
    now: datetime
    late: frozenset[str]
    found: Event | None


_OBSERVERS: list[Callable[[Weighing], None]] = []


@contextlib.contextmanager
def observing(observer: Callable[[Weighing], None]) -> Iterator[None]:
    """Call `observer` with every weighing made inside the block; it must not change what it is handed."""
    _OBSERVERS.append(observer)
    try:
        yield
    finally:
        _OBSERVERS.remove(observer)
