"""Trend rules in YAML: typed, validated with file:line:column, kept apart from the article matcher."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.config import REPO_ROOT
from bot.engine import compile_rules, load_rules_text
from bot.errors import RuleError
from bot.models import Article, Severity
from bot.trends.model import (
    CountTrend,
    FlatlineTrend,
    RegionLevel,
    RuleSelector,
    SequenceTrend,
    SpikeTrend,
)

SCHEMA = json.loads((REPO_ROOT / "schema" / "rules.schema.json").read_text())
CLASH = """
- id: clash
  title: Clash
  tags: [conflict]
  when: {terms: [clash, ambush]}
- id: buildup
  title: Build-up
  when: {terms: [build-up]}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules_text(CLASH + text, "rules/x.yaml")
    return [str(p) for p in info.value.problems]


def test_the_four_trends_load_typed_with_their_defaults() -> None:
    source = load_rules_text(CLASH + """
- id: surge
  title: Clashes piling up
  severity: high
  tags: [trend]
  trend: {count: {of: [clash, tag:conflict], at_least: 3, within: 24h, regions: [Kosovo, Serbia]}}
- id: rising
  title: Build-ups rising
  trend: {spike: {of: buildup, within: 7d, by: division}}
- id: buildup-then-clash
  title: Build-up then clash
  trend: {sequence: {first: buildup, then: clash, within: 7d}}
- id: wire-silent
  title: A wire fell silent
  trend: {flatline: {sources: [balkan-wire], within: 12h}}
- id: kosovo-quiet
  title: No clash reported in Kosovo
  trend: {flatline: {regions: kosovo, of: all, within: 3d}}
""", "rules/x.yaml")
    assert [r.id for r in source.rules] == ["clash", "buildup"]
    trends = {r.id: r for r in source.trends}
    surge = trends["surge"]
    assert surge.severity == Severity.HIGH and surge.tags == ("trend",)
    assert surge.trend == CountTrend(RuleSelector(frozenset({"clash"}), frozenset({"conflict"})), 3, 86400.0,
                                     RegionLevel.COUNTRY, frozenset({"Kosovo", "Serbia"}))
    assert trends["rising"].trend == SpikeTrend(RuleSelector(frozenset({"buildup"})), 7 * 86400.0, 2.0, 4, 3,
                                                RegionLevel.DIVISION)
    assert trends["buildup-then-clash"].trend == SequenceTrend(RuleSelector(frozenset({"buildup"})),
                                                               RuleSelector(frozenset({"clash"})), 7 * 86400.0)
    assert trends["wire-silent"].trend == FlatlineTrend(43200.0, sources=("balkan-wire",))
    quiet = trends["kosovo-quiet"].trend
    assert isinstance(quiet, FlatlineTrend) and quiet.regions == frozenset({"Kosovo"}) and quiet.of is not None
    assert quiet.of.everything


def test_a_trend_rule_is_listed_with_the_rules_but_never_matches_an_article() -> None:
    ruleset = compile_rules(load_rules_text(CLASH + """
- id: surge
  title: Clashes piling up
  trend: {count: {of: clash, at_least: 2, within: 1d}}
""", "rules/x.yaml"))
    assert [r.id for r in ruleset.rules] == ["clash", "buildup", "surge"]
    assert ruleset.get("surge") is not None
    assert [m.rule_id for m in ruleset.match(Article("s", "Clash at the border"))] == ["clash"]


def test_every_mistake_in_a_trend_is_named_with_its_line_and_column() -> None:
    found = problems("""
- id: bad-kind
  title: Bad
  trend: {cuont: {of: clash}}
- id: bad-values
  title: Bad values
  trend:
    count: {of: [clsh], at_least: 0, within: 2x, by: town}
- id: missing
  title: Missing
  trend: {spike: {within: 1d, factr: 3}}
- id: with-when
  title: With when
  when: {terms: [x]}
  trend: {count: {of: clash, at_least: 2, within: 1h}}
""")
    assert found == [
        "rules/x.yaml:12:11: unknown trend 'cuont' (did you mean 'count'?)",
        "rules/x.yaml:16:46: 'within': '2x' is not a duration (use seconds, or e.g. '90s', '5m', '1h', '2d')",
        "rules/x.yaml:16:54: 'by' must be one of country, division, not 'town'",
        "rules/x.yaml:16:35: 'at_least' must be a whole number from 1 to 1000, not 0",
        "rules/x.yaml:19:31: unknown key 'factr' in a spike trend (did you mean 'factor'?)",
        "rules/x.yaml:19:18: a spike trend needs 'of'",
        "rules/x.yaml:22:3: 'when' does not apply to a trend rule (a trend rule counts incidents of other rules: "
        "see 'Rules over time' in docs/rules.md)",
    ]


def test_counted_rules_must_exist_and_match_articles() -> None:
    found = problems("""
- id: surge
  title: Surge
  trend: {count: {of: [clsh], at_least: 2, within: 1d}}
- id: of-a-trend
  title: Of a trend
  trend: {sequence: {first: surge, then: clash, within: 1d}}
- id: child
  extends: surge
- id: both
  extends: clash
  trend: {count: {of: clash, at_least: 2, within: 1d}}
""")
    assert found == [
        "rules/x.yaml:19:3: 'extends' does not apply to a trend rule (a trend rule counts incidents of other rules: "
        "see 'Rules over time' in docs/rules.md)",
        "rules/x.yaml:17:12: rule 'child' extends trend rule 'surge' (a trend rule has no condition to build on: "
        "write a trend of your own)",
        "rules/x.yaml:12:23: trend rule 'surge' counts unknown rule 'clsh' (did you mean 'clash'?)",
        "rules/x.yaml:15:29: trend rule 'of-a-trend' counts 'surge', a trend rule itself (name rules that match "
        "articles)",
    ]


def test_regions_are_countries_or_divisions_by_any_name_people_use() -> None:
    source = load_rules_text(CLASH + """
- id: surge
  title: Surge
  trend: {count: {of: clash, at_least: 2, within: 1d, regions: [bosnia, DRC]}}
""", "rules/x.yaml")
    assert source.trends[0].trend is not None
    assert source.trends[0].trend.regions == frozenset({"Bosnia and Herzegovina", "Democratic Republic of the Congo"})
    found = problems("""
- id: surge
  title: Surge
  trend: {count: {of: clash, at_least: 2, within: 1d, regions: [atlantis]}}
""")
    assert found[0].startswith("rules/x.yaml:12:65: unknown region 'atlantis'")


def test_a_flatline_watches_sources_or_regions_not_both() -> None:
    found = problems("""
- id: silent
  title: Silent
  trend: {flatline: {within: 1h, sources: [a], regions: [kosovo]}}
""")
    assert found == ["rules/x.yaml:12:21: a flatline watches either 'sources' or 'regions' (with 'of') "
                     "(e.g. flatline: {sources: [balkan-wire], within: 12h})"]


def test_the_schema_takes_the_trends_the_loader_takes_and_refuses_the_rest() -> None:
    jsonschema.validate({"id": "s", "title": "S", "trend": {"count": {"of": "clash", "at_least": 3, "within": "24h"}}},
                        SCHEMA)
    jsonschema.validate(yaml.safe_load("""
id: s
title: S
trend: {spike: {of: [buildup], within: 7d, factor: 2, against: 4, at_least: 3, by: division}}
"""), SCHEMA)
    for bad in [{"count": {"of": "clash", "within": "1h"}}, {"flatline": {"within": "1h"}},
                {"count": {"of": "a", "at_least": 2, "within": "1h"}, "spike": {"of": "a", "within": "1h"}},
                {"sequence": {"first": "a", "then": "b", "within": "1h", "of": "c"}}]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"id": "s", "title": "S", "trend": bad}, SCHEMA)


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "examples" / "trends").glob("*.yaml")), ids=lambda p: p.name)
def test_the_shipped_trend_examples_satisfy_the_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text()), SCHEMA)
