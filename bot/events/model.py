"""The values every step of the events stage shares: what a decision is given (a syndicated copy, the book
of open events, the throttle's lookup), the parts of a match key, when a report was published, and an event
as plain data."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.enums import EventStatus
from bot.events.followup_reading import dates_named, weekdays_named
from bot.events.targets import attack_days
from bot.models import Article, Event, EventRule, Match

# (rule id, key, since) -> True if an alert with this key was sent or queued since then
RecentLookup = Callable[[str, str, datetime], bool]
CONTEXT_GRACE = 60.0     # seconds: a report published this much before the event's newest is context


@dataclass(frozen=True)
class Syndication:
    """The article is a near-copy of a story already seen: its id, its sources, the rules it alerted."""

    story_id: str
    sources: tuple[str, ...]
    alerted_rules: frozenset[str]


class EventBook(Protocol):
    """Where clustering finds open events (the store, plus this batch's changes): those one of whose
    rules is `rule_id`, or, given `tag:<tag>`, one of whose rules carries the tag."""

    def candidates(self, rule_id: str, since: datetime) -> list[Event]: ...

    def remember(self, event: Event) -> None: ...


def report_places(match: Match) -> tuple[str, ...]:
    """Every place a report names: where it happened first, then those named in passing."""
    return tuple(dict.fromkeys([*match.regions, *match.mentioned]))


def new_event_id() -> str:
    """A fresh event id, random so that two processes never hand out the same one."""
    return "ev-" + secrets.token_hex(5)


def report_time(article: Article, now: datetime) -> datetime:
    """When a report was published, for time order: its feed's date, or its arrival when the date is
    missing or in the future (a feed's clock, or its time zone, is wrong)."""
    published = article.published
    if published is None or published > now:
        return now
    return published


DATED_DAYS = 6           # a report names the weekday of an incident this many days after it at most
# the clocks of the places incidents happen in, behind and ahead of UTC (UTC-12 to UTC+14): the local day of an
# incident first reported at `began` (UTC) lies between these two UTC-shifted dates
WESTMOST_OFFSET = timedelta(hours=12)
EASTMOST_OFFSET = timedelta(hours=14)


def local_days(began: datetime) -> frozenset[date]:
    """The calendar days an incident first reported at `began` (UTC) may have happened on where it happened: an
    attack at 01:00 on Friday in Manila (UTC+8) is first reported on Thursday at 17:30 UTC, one at 21:00 on Thursday
    in Bogotá (UTC-5) on Friday at 02:30 UTC. Reports date it by that local day ("Friday's attack", "Thursday's
    attack"), not by the UTC one."""
    first, last = (began - WESTMOST_OFFSET).date(), (began + EASTMOST_OFFSET).date()
    return frozenset(first + timedelta(days=n) for n in range((last - first).days + 1))


def dated_to_its_day(event: Event, article: Article) -> bool:
    """Does a report published a day or more after an incident began date what it tells to that day ("Fifty-four
    soldiers died in Thursday's attacks", "its fighters killed 31 soldiers in an ambush on Monday")? Within a week
    a weekday names one day; on the day itself it names today, whatever happened. The incident's day is its local
    day (`local_days`): the UTC date of its first report, named in any way, or the day before or after it where
    clocks differ, named as the day of the deed ("Friday's bombing"); the report's own day (its UTC date) is never
    evidence ("the army said on Friday", in a report of Friday)."""
    began = event.earliest_at or event.first_at
    published = article.published
    if published is None or published.date() <= began.date() or published - began > timedelta(days=DATED_DAYS):
        return False
    text = f"{article.title}. {article.text}"
    if began.weekday() in weekdays_named(text):
        return True
    # the local days either side of the UTC one count when the weekday dates the deed ("Friday's bombing", "killed
    # ... on Thursday"), not another thing ("funerals were held on Sunday")
    its_days = {day.weekday() for day in local_days(began) if day != began.date() and day < published.date()}
    return not its_days.isdisjoint(attack_days(text)) or dated_by_calendar(event, article)


def dated_by_calendar(event: Event, article: Article) -> bool:
    """Does a report published a day or more after an incident began name the calendar date it began ("At least 53
    people were killed ... on 11 April", the day after)? A date names one day, so a count given for it is another
    account of that day's dead, whoever gives it. The incident's date is its local one, as for a weekday."""
    began = event.earliest_at or event.first_at
    published = article.published
    if published is None or published.date() <= began.date() or published - began > timedelta(days=DATED_DAYS):
        return False
    its_dates = {(day.month, day.day) for day in local_days(began) if day < published.date()}
    return not its_dates.isdisjoint(dates_named(f"{article.title}. {article.text}"))


def as_count(value: Any) -> int | None:
    """A fact's value as a count of people or troops, or None (facts hold any JSON value; a bool is no count)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def own_rule(event: Event) -> EventRule:
    """The event's own rule, for an event that lists no `rules` (made without them, or stored before events kept
    them)."""
    return EventRule(event.rule_id, event.rule_title, event.severity)


def cluster_key(key: str) -> str:
    """The key without its rule and region: which country an article names first ("US warns of a
    Serbian build-up near Kosovo") says little about the incident, so regions are compared by overlap
    instead, and rules by relation (`related`); other key parts (`source`) still keep events apart."""
    return "|".join(part for part in key.split("|") if not part.startswith(("region=", "rule=")))


def key_region(key: str) -> str:
    """The region part of a match key ("rule=fatal-clash|region=Kosovo" -> "Kosovo")."""
    for part in key.split("|"):
        name, _, value = part.partition("=")
        if name == "region":
            return value
    return ""


def release_due(event: Event, now: datetime) -> bool:
    """A held event whose `max_wait` has passed goes out on what it has."""
    return event.status == EventStatus.HELD and event.hold_until is not None and now >= event.hold_until


def event_summary(event: Event) -> dict[str, Any]:
    """The event as plain data for templates, `beacon events` and `/events`."""
    return {
        "id": event.id, "rule": event.rule_id, "title": event.rule_title, "status": event.status,
        "severity": event.severity.label, "first_at": event.first_at, "last_at": event.last_at,
        "facts": dict(event.facts), "regions": list(event.regions), "sources": list(event.sources),
        "source_count": len(event.sources), "reports": event.reports, "headline": dict(event.headline),
        "updates": [{"at": u.at, "kind": u.kind, "changes": list(u.changes), "source": u.source, "title": u.title,
                     "published": u.published} for u in event.updates],
        "rules": [{"id": r.id, "title": r.title, "severity": r.severity.label, "tags": list(r.tags)}
                  for r in (event.rules or (own_rule(event),))],
        "latest_at": event.latest_at,
    }
