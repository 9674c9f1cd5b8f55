"""Trend rules evaluated incrementally: incidents arrive one at a time, the clock ticks, firings come out.

Each trend rule keeps, per region, the incidents it counted within its longest look-back (the window;
a spike's window times `against + 1`), sorted by time; nothing rescans history. A firing consumes the
incidents it counted and keeps the region quiet for one window: a rule fires once per (rule, region,
window), and the next alert counts only newer incidents. A flatline keeps, per watched source or
region, the time of the last sign of life, and fires once per silence; a new sign of life re-arms it.

Times are the incidents' publication times, so a backfill of reports arriving late still counts them
where they happened: windows are checked around every incident added, not only at the newest time.

The state is plain data (`to_dict` / `from_dict`, JSON-ready): `beacon run` saves it with each poll's
commit and reads it on start (bot/trends/live.py), so a restart neither forgets a window nor fires twice.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.trends.model import (
    ALL_SOURCES,
    Counted,
    CountTrend,
    FlatlineTrend,
    Incident,
    SequenceTrend,
    SpikeTrend,
    Trend,
    TrendFiring,
)

STATE_VERSION = 1
PRUNE_EVERY = 3600.0   # seconds of (simulated) time between sweeps of regions gone quiet
FIRST, THEN = "first", "then"
NEVER = -math.inf


def _ts(at: datetime) -> float:
    return at.timestamp()


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


@dataclass(order=True)
class _Entry:
    """One incident a rule counted in one region (in a sequence, under the step it fills)."""

    at: float
    id: str
    headline: str = ""
    source: str = ""
    step: str = ""

    def counted(self) -> Counted:
        return Counted(self.id, _dt(self.at), self.headline, self.source, self.step)


@dataclass
class _Region:
    """A rule's incidents in one region, and what its last firing there left."""

    entries: list[_Entry] = field(default_factory=list)
    consumed: float = NEVER       # incidents at or before this time were counted by an alert
    quiet_until: float = NEVER    # no firing before this time (one per window)

    def live(self) -> list[_Entry]:
        return [e for e in self.entries if e.at > self.consumed]


@dataclass
class _Watch:
    """A flatline's watched source or region: its last sign of life, and whether this silence was told."""

    last: float
    fired: bool = False


def fingerprint(trend: Trend) -> str:
    """The trend as canonical text: a rule whose trend changed on reload starts afresh."""
    return json.dumps(dataclasses.asdict(trend), sort_keys=True, default=lambda v: sorted(v))


def _horizon(trend: Trend) -> float:
    """How far back a rule's incidents are kept: the window, or a spike's window and its history."""
    if isinstance(trend, SpikeTrend):
        return trend.window * (trend.against + 1)
    return trend.window


def _in_regions(trend: Trend, incident: Incident) -> bool:
    if not trend.regions:
        return True
    return incident.country in trend.regions or incident.division in trend.regions


class TrendEvaluator:
    """Every trend rule of a rule set, fed incidents, articles and the clock."""

    def __init__(self, trends: Mapping[str, Trend]) -> None:
        self.trends: dict[str, Trend] = dict(trends)
        self.started: float | None = None     # the first time seen: a flatline's silence counts from here
        self.latest: float = NEVER            # the newest time seen
        self.pruned: float = NEVER
        self.regions: dict[str, dict[str, _Region]] = {rule_id: {} for rule_id in self.trends}
        self.watches: dict[str, dict[str, _Watch]] = {rule_id: {} for rule_id in self.trends}
        # counts the changes worth saving (not the newest time alone): `beacon run` saves the state only
        # when it moved, so a poll that brought nothing a trend counts writes nothing
        self.revision = 0

    def use(self, trends: Mapping[str, Trend]) -> None:
        """New rules (a reload): a rule whose trend is unchanged keeps its windows, the others start afresh."""
        kept = {rule_id for rule_id, trend in trends.items()
                if rule_id in self.trends and fingerprint(self.trends[rule_id]) == fingerprint(trend)}
        self.trends = dict(trends)
        self.regions = {rule_id: self.regions[rule_id] if rule_id in kept else {} for rule_id in trends}
        self.watches = {rule_id: self.watches[rule_id] if rule_id in kept else {} for rule_id in trends}
        self.revision += 1

    # -- input ----------------------------------------------------------------------------------

    def observe_incident(self, incident: Incident) -> list[TrendFiring]:
        """An incident (or one more rule of an incident already seen): the firings it completes."""
        at = _ts(incident.at)
        self._clock(at)
        firings = []
        for rule_id, trend in self.trends.items():
            if isinstance(trend, FlatlineTrend):
                self._sign_of_life_in_region(rule_id, trend, incident, at)
                continue
            steps = self._steps(trend, incident)
            region_name = incident.region(trend.by)
            if not steps or region_name is None or not _in_regions(trend, incident):
                continue
            region = self.regions[rule_id].setdefault(region_name, _Region())
            if at <= region.consumed:
                continue   # late news of a burst an alert already counted
            known = {(e.id, e.step) for e in region.entries}
            for step in steps:
                if (incident.id, step) not in known:
                    bisect.insort(region.entries, _Entry(at, incident.id, incident.headline, incident.source, step))
                    self.revision += 1
            self._forget_old(region, _horizon(trend))
            firing = self._check(rule_id, trend, region_name, region)
            if firing is not None:
                firings.append(firing)
        return firings

    def observe_article(self, source: str, at: datetime) -> None:
        """A new article from a source (matched or not): a sign of life for the flatlines watching it."""
        ts = _ts(at)
        self._clock(ts)
        for rule_id, trend in self.trends.items():
            if isinstance(trend, FlatlineTrend) and (source in trend.sources or ALL_SOURCES in trend.sources):
                self._alive(self.watches[rule_id], source, ts)

    def tick(self, now: datetime) -> list[TrendFiring]:
        """The clock: flatlines whose silence reached their window by `now` (each once per silence)."""
        ts = _ts(now)
        self._clock(ts)
        firings = []
        for rule_id, trend in self.trends.items():
            if not isinstance(trend, FlatlineTrend):
                continue
            watches = self.watches[rule_id]
            for name in self._watched(trend):
                if name not in watches:
                    watches[name] = _Watch(self.started if self.started is not None else ts)
                    self.revision += 1
            for name, watch in sorted(watches.items()):
                if not watch.fired and ts - watch.last >= trend.window:
                    watch.fired = True
                    self.revision += 1
                    firings.append(TrendFiring(rule_id, trend.kind, name, _dt(watch.last + trend.window),
                                               trend.window, silent_since=_dt(watch.last),
                                               source_silence=bool(trend.sources)))
        if ts - self.pruned >= PRUNE_EVERY:
            self._prune(ts)
        return firings

    # -- the checks -----------------------------------------------------------------------------

    @staticmethod
    def _steps(trend: Trend, incident: Incident) -> list[str]:
        if isinstance(trend, SequenceTrend):
            steps = []
            if trend.first.takes(incident.rule_ids, incident.tags):
                steps.append(FIRST)
            if trend.then.takes(incident.rule_ids, incident.tags):
                steps.append(THEN)
            return steps
        if isinstance(trend, CountTrend | SpikeTrend) and trend.of.takes(incident.rule_ids, incident.tags):
            return [""]
        return []

    def _check(self, rule_id: str, trend: Trend, name: str, region: _Region) -> TrendFiring | None:
        found: tuple[float, list[_Entry], float | None] | None = None
        if isinstance(trend, CountTrend):
            found = self._count(trend, region)
        elif isinstance(trend, SpikeTrend):
            found = self._spike(trend, region)
        elif isinstance(trend, SequenceTrend):
            found = self._sequence(trend, region)
        if found is None:
            return None
        at, counted, baseline = found
        region.consumed = at
        region.quiet_until = at + trend.window
        self.revision += 1
        if not isinstance(trend, SpikeTrend):   # a spike keeps them: they are the next windows' history
            region.entries = [e for e in region.entries if e.at > at]
        return TrendFiring(rule_id, trend.kind, name, _dt(at), trend.window,
                           tuple(e.counted() for e in counted), baseline)

    @staticmethod
    def _count(trend: CountTrend, region: _Region) -> tuple[float, list[_Entry], None] | None:
        """The first window (t - window, t] ending at an incident that holds `at_least` new incidents."""
        live = region.live()
        start = 0
        for end, entry in enumerate(live):
            while entry.at - live[start].at >= trend.window:
                start += 1
            if end - start + 1 >= trend.at_least and entry.at >= region.quiet_until:
                return entry.at, live[start:end + 1], None
        return None

    def _spike(self, trend: SpikeTrend, region: _Region) -> tuple[float, list[_Entry], float] | None:
        """The first incident at which the last window's new incidents reach `at_least` and `factor` times
        the mean of the `against` windows before; only once that much history has been watched."""
        times = [e.at for e in region.entries]
        for entry in region.live():
            end = entry.at
            history_from = end - trend.window * (trend.against + 1)
            if entry.at < region.quiet_until or self.started is None or history_from < self.started:
                continue
            window_from = end - trend.window
            in_window = region.entries[bisect.bisect_right(times, window_from):bisect.bisect_right(times, end)]
            current = [e for e in in_window if e.at > region.consumed]
            before = bisect.bisect_right(times, window_from) - bisect.bisect_right(times, history_from)
            baseline = before / trend.against
            if len(current) >= trend.at_least and len(current) >= trend.factor * baseline:
                return end, current, baseline
        return None

    @staticmethod
    def _sequence(trend: SequenceTrend, region: _Region) -> tuple[float, list[_Entry], None] | None:
        """The first `then` incident with a different `first` incident before it within the window."""
        live = region.live()
        firsts = [e for e in live if e.step == FIRST]
        for then in (e for e in live if e.step == THEN and e.at >= region.quiet_until):
            before = [f for f in firsts if f.id != then.id and then.at - trend.window <= f.at < then.at]
            if before:
                return then.at, [*before, then], None
        return None

    # -- flatlines ------------------------------------------------------------------------------

    def _sign_of_life_in_region(self, rule_id: str, trend: FlatlineTrend, incident: Incident, at: float) -> None:
        if trend.sources or trend.of is None or not trend.of.takes(incident.rule_ids, incident.tags):
            return
        for name in (incident.country, incident.division):
            if name is not None and name in trend.regions:
                self._alive(self.watches[rule_id], name, at)

    def _alive(self, watches: dict[str, _Watch], name: str, at: float) -> None:
        """A sign of life at `at`: the silence (if any) is over, and the flatline is armed again."""
        watch = watches.get(name)
        if watch is None:
            watches[name] = _Watch(at)
            self.revision += 1
        elif at > watch.last:
            watch.last, watch.fired = at, False
            self.revision += 1

    @staticmethod
    def _watched(trend: FlatlineTrend) -> Iterable[str]:
        """What a flatline watches from the start, heard from or not (`all` sources: those heard from)."""
        if trend.sources:
            return [s for s in trend.sources if s != ALL_SOURCES]
        return sorted(trend.regions)

    # -- housekeeping ---------------------------------------------------------------------------

    def _clock(self, ts: float) -> None:
        if self.started is None or ts < self.started:
            self.started = ts
            self.revision += 1
        self.latest = max(self.latest, ts)

    @staticmethod
    def _forget_old(region: _Region, horizon: float) -> None:
        if region.entries:
            cutoff = region.entries[-1].at - horizon
            if region.entries[0].at < cutoff:
                region.entries = [e for e in region.entries if e.at >= cutoff]

    def _prune(self, now: float) -> None:
        """Regions with nothing left in their look-back and no quiet period running are forgotten."""
        self.pruned = now
        for rule_id, regions in self.regions.items():
            horizon = _horizon(self.trends[rule_id])
            for name in list(regions):
                region = regions[name]
                kept = [e for e in region.entries if e.at >= self.latest - horizon]
                if len(kept) < len(region.entries):
                    region.entries = kept
                    self.revision += 1
                if not region.entries and region.quiet_until <= self.latest:
                    del regions[name]
                    self.revision += 1

    # -- state ----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to carry on after a restart, as JSON-ready data."""
        rules = {}
        for rule_id, trend in self.trends.items():
            rules[rule_id] = {
                "trend": fingerprint(trend),
                "regions": {name: {"entries": [[e.at, e.id, e.headline, e.source, e.step] for e in r.entries],
                                   "consumed": _number(r.consumed), "quiet_until": _number(r.quiet_until)}
                            for name, r in self.regions[rule_id].items()},
                "watches": {name: [w.last, w.fired] for name, w in self.watches[rule_id].items()},
            }
        return {"version": STATE_VERSION, "started": self.started, "latest": _number(self.latest), "rules": rules}

    @classmethod
    def from_dict(cls, trends: Mapping[str, Trend], data: Mapping[str, Any]) -> TrendEvaluator:
        """The evaluator as saved; rules added since start empty, rules whose trend changed start afresh.

        Raises ValueError on data that is not a saved state of this version."""
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"trend state version {data.get('version')!r}, expected {STATE_VERSION}")
        evaluator = cls(trends)
        started = data.get("started")
        evaluator.started = float(started) if started is not None else None
        evaluator.latest = _time(data.get("latest"))
        saved = data.get("rules", {})
        for rule_id, trend in trends.items():
            state = saved.get(rule_id)
            if not isinstance(state, dict) or state.get("trend") != fingerprint(trend):
                continue
            for name, region in state.get("regions", {}).items():
                entries = [_Entry(float(at), str(i), str(h), str(s), str(step))
                           for at, i, h, s, step in region["entries"]]
                evaluator.regions[rule_id][name] = _Region(sorted(entries), _time(region.get("consumed")),
                                                           _time(region.get("quiet_until")))
            for name, (last, fired) in state.get("watches", {}).items():
                evaluator.watches[rule_id][name] = _Watch(float(last), bool(fired))
        return evaluator


def _number(value: float) -> float | None:
    """JSON has no infinity: "never" is saved as null."""
    return None if math.isinf(value) else value


def _time(value: Any) -> float:
    return NEVER if value is None else float(value)
