"""A rule's `trend:` block (YAML) -> a typed `Trend`, every problem with its file:line.

```yaml
trend:
  count: {of: [fatal-clash], at_least: 3, within: 24h}
```

One of `count`, `spike`, `sequence` or `flatline`; see docs/rules.md ("Rules over time"). Which rule
ids exist is known only once every file is read, so `unknown_rule_ids` is checked by the loader after.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.durations import parse_duration
from bot.engine.region_names import unknown_region_hint
from bot.engine.regions import RegionBook
from bot.errors import Problem
from bot.trends.model import (
    ALL_SOURCES,
    CountTrend,
    FlatlineTrend,
    RegionLevel,
    RuleSelector,
    SequenceTrend,
    SpikeTrend,
    Trend,
    TrendKind,
)
from bot.yamldoc import YamlDoc, did_you_mean

KEYS: dict[TrendKind, tuple[str, ...]] = {
    TrendKind.COUNT: ("of", "at_least", "within", "by", "regions"),
    TrendKind.SPIKE: ("of", "within", "factor", "against", "at_least", "by", "regions"),
    TrendKind.SEQUENCE: ("first", "then", "within", "by", "regions"),
    TrendKind.FLATLINE: ("within", "sources", "of", "regions"),
}
REQUIRED: dict[TrendKind, tuple[str, ...]] = {
    TrendKind.COUNT: ("of", "at_least", "within"),
    TrendKind.SPIKE: ("of", "within"),
    TrendKind.SEQUENCE: ("first", "then", "within"),
    TrendKind.FLATLINE: ("within",),
}
KINDS = tuple(kind.value for kind in TrendKind)
LEVELS = tuple(level.value for level in RegionLevel)
MAX_WINDOW = 366 * 86400.0      # a year: longer windows would keep a year of incidents in memory
MAX_AGAINST = 52                # spike: windows of history compared against
EXAMPLE = "e.g. trend: {count: {of: [fatal-clash], at_least: 3, within: 24h}}"


class ProblemCollector:
    """Reads part of one YAML document against the regions, collecting every problem with its file:line
    rather than stopping at the first."""

    def __init__(self, doc: YamlDoc, book: RegionBook) -> None:
        self.doc = doc
        self.book = book
        self.problems: list[Problem] = []

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, message, hint, key=key))


class TrendParser(ProblemCollector):
    """Validates one `trend:` mapping."""

    def parse(self, value: Any, path: tuple[Any, ...]) -> Trend | None:
        if not isinstance(value, dict) or len(value) != 1:
            self.fail(path, f"'trend' holds exactly one of {', '.join(KINDS)}", EXAMPLE)
            return None
        name, spec = next(iter(value.items()))
        where = (*path, name)
        if name not in KINDS:
            self.fail(where, f"unknown trend {name!r}",
                      did_you_mean(str(name), KINDS) or f"use one of {', '.join(KINDS)}", key=True)
            return None
        kind = TrendKind(name)
        if not isinstance(spec, dict):
            self.fail(where, f"'{name}' takes a mapping of {', '.join(KEYS[kind])}")
            return None
        before = len(self.problems)
        for key in spec:
            if key not in KEYS[kind]:
                self.fail((*where, key), f"unknown key {key!r} in a {name} trend",
                          did_you_mean(str(key), KEYS[kind]) or f"use any of {', '.join(KEYS[kind])}", key=True)
        for key in REQUIRED[kind]:
            if key not in spec:
                self.fail(where, f"a {name} trend needs {key!r}")
        if len(self.problems) > before:
            return None
        trend = self._build(kind, spec, where)
        return trend if len(self.problems) == before else None

    def _build(self, kind: TrendKind, spec: dict[str, Any], where: tuple[Any, ...]) -> Trend | None:
        """Every value checked (all problems at once); the trend only when all are good."""
        window = self._window(spec["within"], (*where, "within"))
        by = self._level(spec.get("by", RegionLevel.COUNTRY.value), (*where, "by"))
        regions = self._regions(spec["regions"], (*where, "regions")) if "regions" in spec else frozenset()
        if kind == TrendKind.FLATLINE:
            flatline = self._flatline(spec, where, window or 0.0, by or RegionLevel.COUNTRY, regions or frozenset())
            return flatline if None not in (window, by, regions) else None
        if kind == TrendKind.SEQUENCE:
            first = self._selector(spec["first"], (*where, "first"))
            then = self._selector(spec["then"], (*where, "then"))
            if window is None or by is None or regions is None or first is None or then is None:
                return None
            return SequenceTrend(first, then, window, by, regions)
        of = self._selector(spec["of"], (*where, "of"))
        if kind == TrendKind.COUNT:
            at_least = self._whole(spec["at_least"], (*where, "at_least"), 1, 1000)
            if window is None or by is None or regions is None or of is None or at_least is None:
                return None
            return CountTrend(of, at_least, window, by, regions)
        at_least = self._whole(spec.get("at_least", 3), (*where, "at_least"), 2, 1000)
        against = self._whole(spec.get("against", 4), (*where, "against"), 1, MAX_AGAINST)
        factor = self._factor(spec.get("factor", 2), (*where, "factor"))
        if window is None or by is None or regions is None or of is None or at_least is None or against is None \
                or factor is None:
            return None
        if window * (against + 1) > MAX_WINDOW:
            self.fail((*where, "against"), "a spike looks back at most a year (within x (against + 1))")
            return None
        return SpikeTrend(of, window, factor, against, at_least, by, regions)

    def _flatline(self, spec: dict[str, Any], where: tuple[Any, ...], window: float, by: RegionLevel,
                  regions: frozenset[str]) -> Trend | None:
        has_sources, has_regions = "sources" in spec, "regions" in spec
        if has_sources == has_regions:
            self.fail(where, "a flatline watches either 'sources' or 'regions' (with 'of')",
                      "e.g. flatline: {sources: [balkan-wire], within: 12h}")
            return None
        if has_sources:
            if "of" in spec:
                self.fail((*where, "of"), "'of' applies to a flatline over 'regions'", key=True)
                return None
            sources = self._sources(spec["sources"], (*where, "sources"))
            return FlatlineTrend(window, sources=sources) if sources is not None else None
        of = self._selector(spec.get("of", "all"), (*where, "of"))
        return FlatlineTrend(window, of=of, regions=regions, by=by) if of is not None else None

    # -- values -----------------------------------------------------------------------------------

    def _window(self, value: Any, path: tuple[Any, ...]) -> float | None:
        try:
            return parse_duration(value, maximum=MAX_WINDOW)
        except ValueError as exc:
            self.fail(path, f"'within': {exc}")
            return None

    def _level(self, value: Any, path: tuple[Any, ...]) -> RegionLevel | None:
        if value not in LEVELS:
            self.fail(path, f"'by' must be one of {', '.join(LEVELS)}, not {value!r}", did_you_mean(str(value), LEVELS))
            return None
        return RegionLevel(value)

    def _whole(self, value: Any, path: tuple[Any, ...], lowest: int, highest: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
            self.fail(path, f"'{path[-1]}' must be a whole number from {lowest} to {highest}, not {value!r}")
            return None
        return value

    def _factor(self, value: Any, path: tuple[Any, ...]) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 1 < value <= 100:
            self.fail(path, f"'factor' must be a number above 1 (2 means doubling), not {value!r}")
            return None
        return float(value)

    def _strings(self, value: Any, path: tuple[Any, ...], what: str) -> list[str] | None:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(v, str) and v.strip() for v in items):
            self.fail(path, f"'{path[-1]}' takes {what} or a list of them")
            return None
        return [v.strip() for v in items]

    def _selector(self, value: Any, path: tuple[Any, ...]) -> RuleSelector | None:
        """`of: [fatal-clash, tag:conflict]`, or `of: all`."""
        items = self._strings(value, path, "a rule id, tag:NAME or all")
        if items is None:
            return None
        if "all" in items:
            if len(items) > 1:
                self.fail(path, "'all' already takes every rule: name nothing else beside it")
                return None
            return RuleSelector(everything=True)
        tags = frozenset(item[4:].strip() for item in items if item.startswith("tag:"))
        if "" in tags:
            self.fail(path, "'tag:' needs a tag name, e.g. tag:conflict")
            return None
        ids = frozenset(item for item in items if not item.startswith("tag:"))
        return RuleSelector(ids, tags)

    def _sources(self, value: Any, path: tuple[Any, ...]) -> tuple[str, ...] | None:
        items = self._strings(value, path, f"a source name ({ALL_SOURCES}: every source)")
        if items is None:
            return None
        if ALL_SOURCES in items and len(items) > 1:
            self.fail(path, f"'{ALL_SOURCES}' already watches every source: name nothing else beside it")
            return None
        return tuple(dict.fromkeys(items))

    def _regions(self, value: Any, path: tuple[Any, ...]) -> frozenset[str] | None:
        """Countries and first-level divisions, by any name rules take; kept as the names incidents carry."""
        refs = self._strings(value, path, "a country or division")
        if refs is None:
            return None
        names = set()
        for i, ref in enumerate(refs):
            where = (*path, i) if isinstance(value, list) else path
            region_id = self.book.resolve(ref)
            if region_id is None:
                self.fail(where, f"unknown region {ref!r}", unknown_region_hint(ref, self.book))
                continue
            region = self.book.regions[region_id]
            if region.kind not in ("country", "division"):
                country = self.book.country_of(region_id)
                hint = f"name its country, {self.book.regions[country].name}" if country else "name a country"
                self.fail(where, f"a trend counts by country or division, and {ref!r} is a {region.kind}", hint)
                continue
            names.add(region.name)
        return frozenset(names) if len(names) == len(refs) else None


def named_rule_ids(trend: Trend) -> Iterable[tuple[str, str]]:
    """(key, rule id) for every rule id a trend names (in `of`, `first`, `then`), for the loader to check
    once all rules are read."""
    for key in ("of", "first", "then"):
        selector = getattr(trend, key, None)
        if isinstance(selector, RuleSelector):
            for rule_id in sorted(selector.rule_ids):
                yield key, rule_id
