"""A trend rule's `examples:`: small histories and the firings they must give, run by `beacon rules test`.

An article rule's examples are texts; a trend rule reads no text, so its examples are histories:

```yaml
examples:
  - incidents:                      # what happened, in order (times in UTC)
      - {at: 2026-03-02T08:00Z, rule: fatal-clash, region: Nigeria}
      - {at: 2026-03-02T15:00Z, rule: fatal-clash, region: Kano}
      - {at: 2026-03-03T02:00Z, rule: fatal-clash, region: nigeria}
    fires:                          # every firing of this rule, in order; [] : none
      - {at: 2026-03-03T02:00Z, region: Nigeria}
  - history: history.jsonl          # or articles (JSON Lines, beside the rule's file), replayed through
    fires: [...]                    # every rule and the events stage, as `beacon backtest` does
```

A small history goes straight to the trend evaluator (only this rule's trend), so an example says
exactly what the rule does with those incidents. A step without `rule` is an article that brought no
incident: a sign of life for a flatline over its `source`. `until:` runs the clock past the last step,
so a silence can end. The parsing keeps every value's line, so a failing example is told with its
file:line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.engine.region_names import unknown_region_hint
from bot.trends.model import Incident
from bot.trends.parse import ProblemCollector
from bot.yamldoc import did_you_mean

EXAMPLE_KEYS = ("incidents", "history", "until", "fires")
STEP_KEYS = ("at", "rule", "region", "source", "headline")
FIRE_KEYS = ("at", "region", "source")
DEFAULT_SOURCE = "example"
MAX_STEPS = 1000
SHAPE = "e.g. examples: [{incidents: [{at: 2026-03-02T08:00Z, rule: fatal-clash, region: Nigeria}], fires: []}]"


@dataclass(frozen=True)
class Step:
    """One line of a small history: an article at a time, from a source, and the incident it brought (if any)."""

    at: datetime
    rule_ids: tuple[str, ...]          # empty: an article that matched nothing
    country: str | None = None
    division: str | None = None
    source: str = DEFAULT_SOURCE
    headline: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Expected:
    """A firing an example expects: when, and the region (or, for a source flatline, the source)."""

    at: datetime
    region: str

    def __str__(self) -> str:
        return f"{self.region} at {self.at.strftime('%Y-%m-%d %H:%M')}"


@dataclass(frozen=True)
class TrendExample:
    """A history and the firings it must give; `line` is where the example starts in its file."""

    file: str
    line: int | None
    fires: tuple[Expected, ...]
    steps: tuple[Step, ...] = ()
    history: Path | None = None        # articles to replay instead of steps
    until: datetime | None = None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class ExampleParser(ProblemCollector):
    """Validates a trend rule's `examples:` list."""

    def parse(self, value: Any, path: tuple[Any, ...]) -> tuple[TrendExample, ...]:
        if not isinstance(value, list):
            self.fail(path, "a trend rule's 'examples' is a list of histories, each with the firings it gives",
                      SHAPE)
            return ()
        examples = []
        for i, item in enumerate(value):
            example = self._example(item, (*path, i))
            if example is not None:
                examples.append(example)
        return tuple(examples)

    def _example(self, item: Any, path: tuple[Any, ...]) -> TrendExample | None:
        if not isinstance(item, dict):
            self.fail(path, "an example is a mapping of 'incidents' (or 'history') and 'fires'", SHAPE)
            return None
        before = len(self.problems)
        for key in item:
            if key not in EXAMPLE_KEYS:
                self.fail((*path, key), f"unknown key {key!r} in a trend example",
                          did_you_mean(str(key), EXAMPLE_KEYS) or f"use any of {', '.join(EXAMPLE_KEYS)}", key=True)
        if ("incidents" in item) == ("history" in item):
            self.fail(path, "a trend example has either 'incidents' (a small history) or 'history' (a JSON Lines "
                      "file of articles)", SHAPE)
        if "fires" not in item:
            self.fail(path, "a trend example needs 'fires': the firings it gives, or [] for none")
        if len(self.problems) > before:
            return None
        steps: tuple[Step, ...] = ()
        history = None
        if "incidents" in item:
            steps = self._steps(item["incidents"], (*path, "incidents"))
        else:
            history = self._history(item["history"], (*path, "history"))
        until = self._time(item["until"], (*path, "until")) if "until" in item else None
        fires = self._fires(item["fires"], (*path, "fires"))
        if len(self.problems) > before:
            return None
        return TrendExample(str(self.doc.file), self.doc.where(path)[0], fires, steps, history, until)

    def _steps(self, value: Any, path: tuple[Any, ...]) -> tuple[Step, ...]:
        if not isinstance(value, list) or not value or len(value) > MAX_STEPS:
            self.fail(path, f"'incidents' is a list of 1 to {MAX_STEPS} steps",
                      "e.g. - {at: 2026-03-02T08:00Z, rule: fatal-clash, region: Nigeria}")
            return ()
        steps = []
        for i, item in enumerate(value):
            where = (*path, i)
            if not isinstance(item, dict) or "at" not in item:
                self.fail(where, "a step is a mapping with 'at' and, for an incident, 'rule' and 'region'")
                continue
            for key in item:
                if key not in STEP_KEYS:
                    self.fail((*where, key), f"unknown key {key!r} in a step",
                              did_you_mean(str(key), STEP_KEYS) or f"use any of {', '.join(STEP_KEYS)}", key=True)
            at = self._time(item["at"], (*where, "at"))
            rule_ids = self._names(item.get("rule", []), (*where, "rule"), "a rule id")
            if rule_ids and "region" not in item:
                self.fail(where, "an incident needs a 'region': the country or division where it happened")
                continue
            country, division = None, None
            if "region" in item:
                country, division = self._region(item["region"], (*where, "region"))
            source = self._text(item.get("source", DEFAULT_SOURCE), (*where, "source"))
            headline = self._text(item.get("headline", ""), (*where, "headline"))
            if at is not None:
                steps.append(Step(at, tuple(rule_ids), country, division, source, headline, self.doc.where(where)[0]))
        return tuple(steps)

    def _fires(self, value: Any, path: tuple[Any, ...]) -> tuple[Expected, ...]:
        if not isinstance(value, list):
            self.fail(path, "'fires' is a list of {at, region} (or {at, source} for a source flatline); [] : none")
            return ()
        fires = []
        for i, item in enumerate(value):
            where = (*path, i)
            if not isinstance(item, dict) or "at" not in item or ("region" in item) == ("source" in item):
                self.fail(where, "a firing is {at, region} (or {at, source} for a source flatline)")
                continue
            for key in item:
                if key not in FIRE_KEYS:
                    self.fail((*where, key), f"unknown key {key!r} in a firing",
                              did_you_mean(str(key), FIRE_KEYS) or f"use any of {', '.join(FIRE_KEYS)}", key=True)
            at = self._time(item["at"], (*where, "at"))
            name: str | None
            if "region" in item:
                country, division = self._region(item["region"], (*where, "region"))
                name = division or country
            else:
                name = self._text(item["source"], (*where, "source"))
            if at is not None and name:
                fires.append(Expected(at, name))
        return tuple(fires)

    def _history(self, value: Any, path: tuple[Any, ...]) -> Path | None:
        """The articles file, beside the rule's file; whether it exists is checked when the example runs,
        so a rule copied without its history still loads (and `beacon rules test` says what is missing)."""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "'history' is the path of a JSON Lines file of articles, relative to this file")
            return None
        return Path(str(self.doc.file)).parent / value.strip()

    def _time(self, value: Any, path: tuple[Any, ...]) -> datetime | None:
        """A point in time, UTC unless it says otherwise: 2026-03-02T08:00Z, or '2026-03-02 08:00'."""
        parsed = None
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
        if parsed is None:
            self.fail(path, f"{value!r} is not a date and time", "e.g. 2026-03-02T08:00Z or '2026-03-02 08:00'")
            return None
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)

    def _region(self, value: Any, path: tuple[Any, ...]) -> tuple[str | None, str | None]:
        """(country name, division name) of a country or first-level division, by any name rules take."""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "'region' is a country or first-level division")
            return None, None
        region_id = self.book.resolve(value)
        if region_id is None:
            self.fail(path, f"unknown region {value!r}", unknown_region_hint(value, self.book))
            return None, None
        region = self.book.regions[region_id]
        if region.kind == "country":
            return region.name, None
        if region.kind == "division":
            country = self.book.country_of(region_id)
            return (self.book.regions[country].name if country else None), region.name
        self.fail(path, f"a trend counts by country or division, and {value!r} is a {region.kind}",
                  "name its country or division")
        return None, None

    def _names(self, value: Any, path: tuple[Any, ...], what: str) -> list[str]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
            self.fail(path, f"'{path[-1]}' takes {what} or a list of them")
            return []
        return [v.strip() for v in items]

    def _text(self, value: Any, path: tuple[Any, ...]) -> str:
        if not isinstance(value, str):
            self.fail(path, f"'{path[-1]}' must be text")
            return ""
        return value


def step_incident(step: Step, number: int, tags: Sequence[str]) -> Incident:
    """A step's incident as the trends stage would build it from an alert."""
    return Incident(f"example-{number}", step.at, step.rule_ids, tuple(tags), step.country, step.division,
                    step.headline or f"incident {number}", step.source)
