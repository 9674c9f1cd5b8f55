"""The two edges of trend evaluation: decided alerts -> incidents, and firings -> alerts.

An incident is what the events stage decided (bot/events/): an alert's event, by its id, with every
rule it was matched by so far; with clustering off, each alert not suppressed is its own incident.
Throttled and syndicated repeats are not incidents. Where it happened is the country and first-level
division of the event's place, found by name in the rule set's region book.

A firing becomes an ordinary alert of the trend rule (its title, severity, tags and template): routed
to the chats subscribed to the rule, its tags or `all`, narrowed by region like any alert, escalated
when on call. Its "article" is written by Beacon: a headline saying what the pattern is, and one line
per incident counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from bot.durations import format_duration
from bot.engine.regions import RegionBook
from bot.enums import AlertKind
from bot.events import key_region, report_time
from bot.models import Alert, Article, EventPolicy, Evidence, Match
from bot.trends.model import Counted, Incident, TrendFiring, TrendKind

if TYPE_CHECKING:   # for the annotations only: `beacon events` lists trend alerts without the rules compiler
    from bot.engine.load import Rule

TREND_SOURCE = "beacon-trends"   # the source name of trend alerts' articles
SHOWN_INCIDENTS = 10             # lines of incidents in an alert's text; the rest are counted


class RegionKinds:
    """Which region names are countries and which first-level divisions, for one region book."""

    def __init__(self, book: RegionBook) -> None:
        self.countries = frozenset(r.name for r in book.regions.values() if r.kind == "country")
        self.divisions: dict[str, set[str | None]] = {}   # a division's name -> the countries that have one so named
        for region in book.regions.values():
            if region.kind == "division":
                country = book.country_of(region.id)
                self.divisions.setdefault(region.name, set()).add(book.regions[country].name if country else None)

    def place(self, regions: Sequence[str], key: str = "") -> tuple[str | None, str | None]:
        """(country, division) of an event whose regions are its place and what encloses it (then the rest).

        The country is the one the match key names (the engine knows which of the chain is the country:
        `Georgia` is a US state in `Atlanta, Georgia, United States`), else the first country named; the
        division is the nearest division named before the country in the chain.
        """
        country = key_region(key) or None
        if country not in self.countries:
            country = next((name for name in regions if name in self.countries), None)
        before = list(regions)
        if country in before:
            before = before[:before.index(country)]
        division = next((name for name in reversed(before) if country in self.divisions.get(name, ())), None)
        return country, division


def counted_incident(alert: Alert, kinds: RegionKinds) -> Incident | None:
    """The incident an alert decision tells, or None (a suppressed repeat, a notice, a trend alert)."""
    if alert.suppressed or alert.kind != AlertKind.ALERT or alert.article.source == TREND_SOURCE:
        return None
    event, match = alert.event, alert.match
    if event is not None:
        country, division = kinds.place(event.regions, event.key)
        headline = event.headline
        return Incident(event.id, event.earliest_at or event.first_at, event.rule_ids, event.tags, country, division,
                        str(headline.get("title") or alert.article.title),
                        str(headline.get("source") or alert.article.source))
    country, division = kinds.place(match.regions, match.key)
    return Incident(f"alert:{match.rule_id}:{alert.article.key}", report_time(alert.article, alert.created_at),
                    (match.rule_id,), match.tags, country, division, alert.article.title, alert.article.source)


def _when(at: datetime) -> str:
    return at.strftime("%d %b %H:%M")


def _line(counted: Counted) -> str:
    step = f"{counted.step}: " if counted.step else ""
    return f"{step}{_when(counted.at)} · {counted.source}: {counted.headline}"


def headline(firing: TrendFiring) -> str:
    """What the pattern is, in one line: the alert's headline."""
    window = format_duration(firing.window)
    count = len(firing.counted)
    if firing.kind == TrendKind.COUNT:
        return f"{count} incidents in {firing.region} within {window}"
    if firing.kind == TrendKind.SPIKE:
        usual = firing.baseline or 0.0
        return f"{count} incidents in {firing.region} within {window}, against {usual:.1f} usually"
    if firing.kind == TrendKind.SEQUENCE:
        first, then = firing.counted[0], firing.counted[-1]
        gap = format_duration((then.at - first.at).total_seconds())
        return f"In {firing.region}, {gap} after \"{first.headline}\": {then.headline}"
    if firing.source_silence:
        return f"No reports from {firing.region} for {window}"
    return f"No incidents in {firing.region} for {window}"


def body(firing: TrendFiring) -> str:
    """The incidents counted, oldest first (at most SHOWN_INCIDENTS), or when the silence began."""
    if firing.kind == TrendKind.FLATLINE:
        since = firing.silent_since or firing.at
        what = "report" if firing.source_silence else "incident"
        return f"Last {what}: {_when(since)} UTC. Silent since then."
    lines = [_line(c) for c in firing.counted[:SHOWN_INCIDENTS]]
    if len(firing.counted) > SHOWN_INCIDENTS:
        lines.append(f"... and {len(firing.counted) - SHOWN_INCIDENTS} more")
    return "\n".join(lines)


WINDOW_EVIDENCE = "window"        # a trend alert's evidence: its window, then each incident it counted
INCIDENT_EVIDENCE = "incident"
SILENCE_EVIDENCE = "silent_since"


def evidence(firing: TrendFiring) -> tuple[Evidence, ...]:
    """What made a trend fire, kept with its alert (so `beacon events` can list it later): the window, and
    each incident counted (its id, its step in a sequence in the kind, and "time · source: headline"), or for a
    flatline when the silence began."""
    items = [Evidence(WINDOW_EVIDENCE, format_duration(firing.window))]
    if firing.silent_since is not None:
        items.append(Evidence(SILENCE_EVIDENCE, firing.silent_since.isoformat()))
    for counted in firing.counted:
        kind = f"{counted.step} {INCIDENT_EVIDENCE}" if counted.step else INCIDENT_EVIDENCE   # "first incident"
        items.append(Evidence(kind, counted.id, "", f"{counted.at.isoformat()} · {counted.source}: {counted.headline}"))
    return tuple(items)


def firing_alert(firing: TrendFiring, rule: Rule, now: datetime) -> Alert:
    """The alert a firing sends: like any rule's, decided now, about the firing's region."""
    facts: dict[str, object] = {}
    if firing.kind != TrendKind.FLATLINE:
        facts["incidents"] = len(firing.counted)
    if firing.baseline is not None:
        facts["usual"] = round(firing.baseline, 1)
    key = f"rule={rule.id}|region={firing.region}"
    if firing.source_silence:
        key = f"rule={rule.id}|source={firing.region}"   # a source is not a place
    article = Article(source=TREND_SOURCE, title=headline(firing), text=body(firing), guid=firing.key,
                      published=firing.at, language="en")
    match = Match(rule_id=rule.id, rule_title=rule.title, severity=rule.severity, tags=rule.tags,
                  regions=(firing.region,) if not firing.source_silence else (), facts=facts,
                  evidence=evidence(firing), template=rule.template, key=key,
                  policy=EventPolicy(window=0.0), language="en")
    return Alert(article=article, match=match, created_at=now)
