"""What trend rules say and what they see: the four kinds of trend, an incident as the trends read it,
and a firing.

Plain frozen data, no I/O: the rule loader builds `Trend`s, the adaptors (bot/trends/live.py,
bot/backtest/stage.py) turn decided alerts into `Incident`s, and bot/trends/evaluate.py turns
incidents and the clock into `TrendFiring`s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TrendKind(StrEnum):
    """The four shapes of a pattern over time (ElastAlert2's frequency, spike and flatline, plus a sequence)."""

    COUNT = "count"          # at least N incidents in one region within a window
    SPIKE = "spike"          # a window's count against the region's mean over the previous windows
    SEQUENCE = "sequence"    # an incident of one set of rules, then one of another, within a window
    FLATLINE = "flatline"    # no reports from a source (or no incidents in a region) for a window


class RegionLevel(StrEnum):
    """What "one region" means for a trend: the incident's country, or its first-level division."""

    COUNTRY = "country"
    DIVISION = "division"


ALL_SOURCES = "all"   # a flatline over every source that has reported at least once


@dataclass(frozen=True)
class RuleSelector:
    """Which incidents a trend counts: by the ids of the rules that matched them, a tag, or all of them."""

    rule_ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    everything: bool = False

    def takes(self, rule_ids: Iterable[str], tags: Iterable[str]) -> bool:
        if self.everything:
            return True
        return not self.rule_ids.isdisjoint(rule_ids) or not self.tags.isdisjoint(tags)


@dataclass(frozen=True)
class CountTrend:
    """At least `at_least` incidents of `of` in one region within `window` seconds."""

    of: RuleSelector
    at_least: int
    window: float
    by: RegionLevel = RegionLevel.COUNTRY
    regions: frozenset[str] = frozenset()   # region names an incident must be in (empty: any)
    kind: TrendKind = TrendKind.COUNT


@dataclass(frozen=True)
class SpikeTrend:
    """A region's count in the last `window` at least `factor` times its mean over the `against` windows
    before, and at least `at_least` (so one incident becoming two is not a spike)."""

    of: RuleSelector
    window: float
    factor: float = 2.0
    against: int = 4
    at_least: int = 3
    by: RegionLevel = RegionLevel.COUNTRY
    regions: frozenset[str] = frozenset()
    kind: TrendKind = TrendKind.SPIKE


@dataclass(frozen=True)
class SequenceTrend:
    """An incident of `first`, then a different incident of `then` in the same region, within `window`."""

    first: RuleSelector
    then: RuleSelector
    window: float
    by: RegionLevel = RegionLevel.COUNTRY
    regions: frozenset[str] = frozenset()
    kind: TrendKind = TrendKind.SEQUENCE


@dataclass(frozen=True)
class FlatlineTrend:
    """Silence for `window`: no new articles from any of `sources` (each watched on its own), or no
    incidents of `of` in any of `regions`."""

    window: float
    sources: tuple[str, ...] = ()            # source names, or (ALL_SOURCES,)
    of: RuleSelector | None = None           # with regions: whose incidents count as a sign of life
    regions: frozenset[str] = frozenset()
    by: RegionLevel = RegionLevel.COUNTRY
    kind: TrendKind = TrendKind.FLATLINE


Trend = CountTrend | SpikeTrend | SequenceTrend | FlatlineTrend


@dataclass(frozen=True)
class Incident:
    """One incident as trends see it: when it happened, the rules that matched it, and where."""

    id: str
    at: datetime                     # publication time of its first report
    rule_ids: tuple[str, ...]
    tags: tuple[str, ...] = ()
    country: str | None = None       # the name of the country of the event's place
    division: str | None = None      # the name of its first-level division, when the article places it
    headline: str = ""
    source: str = ""

    def region(self, level: RegionLevel) -> str | None:
        return self.country if level == RegionLevel.COUNTRY else self.division


@dataclass(frozen=True)
class Counted:
    """An incident a firing counted, for the alert's text."""

    id: str
    at: datetime
    headline: str
    source: str
    step: str = ""   # in a sequence: "first" or "then"


@dataclass(frozen=True)
class TrendFiring:
    """A trend rule that fired for one region (or, for a source flatline, one source)."""

    rule_id: str
    kind: TrendKind
    region: str                      # the region's name, or the silent source's name
    at: datetime                     # when the pattern became true (the last incident, or the end of the silence)
    window: float
    counted: tuple[Counted, ...] = ()
    baseline: float | None = None    # a spike: the mean count per window before
    silent_since: datetime | None = None   # a flatline: the last sign of life (or when watching began)
    source_silence: bool = False     # a flatline over a source rather than a region

    @property
    def key(self) -> str:
        """Unique per firing: the alert's identity (one alert per rule, region and window)."""
        return f"trend:{self.rule_id}:{self.region}:{self.at.isoformat()}"
