"""A trend rule's `examples:`: small histories (or a JSON Lines file of articles) and the firings they give,
replayed by `beacon rules test`; a wrong expectation or a broken example is told with its file:line."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest

from bot.cli import main
from bot.config import REPO_ROOT
from bot.engine import RuleSet, compile_rules, load_rules, load_rules_text
from bot.errors import RuleError
from bot.trends.examples_run import run_trend_examples

EXAMPLES = REPO_ROOT / "examples" / "trends"
CLASH = """
- id: clash
  title: Clash
  tags: [conflict]
  when: {terms: [clash, ambush]}
- id: buildup
  title: Build-up
  when: {terms: [build-up]}
"""
SURGE = """
- id: surge
  title: Clashes piling up
  trend: {count: {of: tag:conflict, at_least: 2, within: 12h}}
  examples:
    - incidents:
        - {at: 2026-03-02T08:00Z, rule: clash, region: Kosovo}
        - {at: '2026-03-02 15:00', rule: clash, region: Serbia}
        - {at: 2026-03-02T19:00Z, rule: clash, region: kosovo}
      fires:
        - {at: 2026-03-02T19:00Z, region: Kosovo}
"""


def run_examples(text: str, file: str = "rules/x.yaml") -> tuple[int, int, str]:
    """Small histories need only the loaded rules (compiling them would take seconds)."""
    out = io.StringIO()
    total, failures = run_trend_examples(load_rules_text(CLASH + text, file), out)
    return total, failures, out.getvalue()


def problems(text: str) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules_text(CLASH + text, "rules/x.yaml")
    return [str(p) for p in info.value.problems]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped rules with the two trend examples beside them, as the tutorial copies them."""
    folder = tmp_path_factory.mktemp("rules")
    for path in [*(REPO_ROOT / "rules").glob("*.yaml"), *EXAMPLES.glob("*.yaml")]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def shipped_ruleset(shipped: Path) -> RuleSet:
    return compile_rules(load_rules(shipped))


def test_a_small_history_fires_where_it_says() -> None:
    assert run_examples(SURGE) == (1, 0, "")


def test_a_wrong_expectation_is_told_with_the_examples_line() -> None:
    total, failures, out = run_examples(SURGE.replace("- {at: 2026-03-02T19:00Z, region: Kosovo}",
                                                "- {at: 2026-03-02T15:00Z, region: Serbia}"))
    assert (total, failures) == (1, 1)
    assert out == ("FAIL rules/x.yaml:14: surge should fire Serbia at 2026-03-02 15:00, "
                   "but fired Kosovo at 2026-03-02 19:00\n")
    total, failures, out = run_examples(SURGE.replace("rule: clash, region: kosovo", "rule: buildup, region: kosovo"))
    assert out == "FAIL rules/x.yaml:14: surge should fire Kosovo at 2026-03-02 19:00, but fired nothing\n"


def test_a_step_naming_an_unknown_rule_is_told_with_its_line() -> None:
    _, failures, out = run_examples(SURGE.replace("rule: clash, region: Serbia", "rule: clsh, region: Serbia"))
    assert failures == 1
    assert out == "FAIL rules/x.yaml:16: surge: the example's step names unknown rule 'clsh'\n"


def test_a_source_flatline_counts_articles_and_runs_the_clock_until() -> None:
    assert run_examples("""
- id: wire-silent
  title: A wire fell silent
  trend: {flatline: {sources: [balkan-wire], within: 12h}}
  examples:
    - incidents:
        - {at: 2026-03-02T08:00Z, source: balkan-wire}
        - {at: 2026-03-02T18:00Z, source: balkan-wire}
        - {at: 2026-03-03T05:00Z, source: other-wire}
      until: 2026-03-03T12:00Z
      fires:
        - {at: 2026-03-03T06:00Z, source: balkan-wire}
""")[:2] == (1, 0)


def test_broken_examples_are_refused_at_load_with_file_line() -> None:
    found = problems("""
- id: surge
  title: Clashes piling up
  trend: {count: {of: clash, at_least: 2, within: 12h}}
  examples:
    - incidents:
        - {at: yesterday, rule: clash, region: Kosovo}
        - {at: 2026-03-02T09:00Z, rule: clash, region: Atlantis}
        - {at: 2026-03-02T10:00Z, rule: clash}
        - {at: 2026-03-02T11:00Z, rule: clash, region: Kosovo, place: Banjska}
      fires: [{at: 2026-03-02T10:00Z}]
    - {incidents: [{at: 2026-03-02T08:00Z}], history: h.jsonl, fires: []}
    - {incidents: [{at: 2026-03-02T08:00Z}]}
""")
    assert found[0].startswith("rules/x.yaml:15:16: 'yesterday' is not a date and time")
    assert found[1].startswith("rules/x.yaml:16:56: unknown region 'Atlantis'")
    assert found[2] == ("rules/x.yaml:17:11: an incident needs a 'region': the country or division where it "
                        "happened")
    assert found[3] == "rules/x.yaml:18:64: unknown key 'place' in a step (use any of at, rule, region, source, " \
                       "headline)"
    assert found[4] == "rules/x.yaml:19:15: a firing is {at, region} (or {at, source} for a source flatline)"
    assert found[5].startswith("rules/x.yaml:20:7: a trend example has either 'incidents' (a small history) or "
                               "'history'")
    assert found[6] == "rules/x.yaml:21:7: a trend example needs 'fires': the firings it gives, or [] for none"
    assert len(found) == 7


def test_a_trend_rules_examples_must_be_histories() -> None:
    [found] = problems("""
- id: surge
  title: Clashes piling up
  trend: {count: {of: clash, at_least: 2, within: 12h}}
  examples: {match: ["Clash in Banjska"]}
""")
    assert found.startswith("rules/x.yaml:13:13: a trend rule's 'examples' is a list of histories")


def test_the_shipped_trend_examples_pass(shipped_ruleset: RuleSet) -> None:
    out = io.StringIO()
    assert run_trend_examples(shipped_ruleset.source, out, shipped_ruleset) == (6, 0)
    assert out.getvalue() == ""


def test_a_history_of_articles_is_replayed_through_every_rule(tmp_path: Path) -> None:
    """The tutorial's six days of news: the article rules make the incidents, the trends count them."""
    history = EXAMPLES / "history.jsonl"
    rule_file = tmp_path / "surge.yaml"
    text = (EXAMPLES / "fatal-clash-surge.yaml").read_text(encoding="utf-8").split("\nexamples:")[0]
    rule_file.write_text(text + f"\nexamples:\n  - history: {history}\n    fires: [{{at: 2026-03-04T10:00Z, "
                         "region: Nigeria}]\n  - history: missing.jsonl\n    fires: []\n", encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in (REPO_ROOT / "rules").glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    shutil.copy(rule_file, folder / "surge.yaml")
    ruleset = compile_rules(load_rules(folder))
    out = io.StringIO()
    assert run_trend_examples(ruleset.source, out, ruleset) == (2, 1)
    assert out.getvalue() == (f"FAIL {folder / 'surge.yaml'}:21: fatal-clash-surge: history file "
                              f"'{folder / 'missing.jsonl'}' not found (a path relative to the rule's file)\n")


def test_the_command_reports_trend_examples_beside_the_others(shipped: Path) -> None:
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        status = main(["--log-level", "WARNING", "rules", "test", "--rules", str(shipped)])
    finally:
        sys.stdout = stdout
    assert status == 0
    article_examples = sum(len(r.examples.match) + len(r.examples.no_match)
                           for r in load_rules(REPO_ROOT / "rules").rules)
    assert out.getvalue() == f"examples: {article_examples + 6} passed, 0 failed\n"


def test_the_schema_takes_histories_for_a_trend_rule_and_refuses_a_broken_one() -> None:
    schema = json.loads((REPO_ROOT / "schema" / "rules.schema.json").read_text(encoding="utf-8"))
    rule = {"id": "s", "title": "S", "trend": {"count": {"of": "clash", "at_least": 2, "within": "1d"}}}
    good = [{"incidents": [{"at": "2026-03-02T08:00Z", "rule": "clash", "region": "Kosovo"}], "until": "2026-03-03",
             "fires": [{"at": "2026-03-02T08:00Z", "region": "Kosovo"}]}, {"history": "h.jsonl", "fires": []}]
    jsonschema.validate({**rule, "examples": good}, schema)
    for bad in ([{"incidents": [{"at": "2026-03-02T08:00Z"}]}],                        # no fires
                [{"incidents": [{"at": "x"}], "history": "h.jsonl", "fires": []}],     # both
                [{"history": "h.jsonl", "fires": [{"at": "x", "region": "a", "source": "b"}]}],
                [{"incidents": [{"at": "x", "place": "Banjska"}], "fires": []}]):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**rule, "examples": bad}, schema)


def test_a_replayed_history_tells_a_silent_source_by_its_name(tmp_path: Path) -> None:
    """A source flatline's firing has no region: a history's example names the source, and the time is
    when the silence reached its window, not the time of the article that showed it."""
    history = tmp_path / "history.jsonl"
    lines = [("sahel-wire", 0), ("sahel-wire", 5), ("balkan-wire", 20), ("balkan-wire", 30)]
    history.write_text("".join(json.dumps({"id": f"a{n}", "source": source, "title": f"Harvest report {n}",
                                           "text": "Farmers expect a good year.",
                                           "published": f"2026-03-0{2 + hour // 24}T{hour % 24:02d}:00:00Z"}) + "\n"
                               for n, (source, hour) in enumerate(lines)), encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "rules.yaml").write_text(CLASH + """
- id: wire-silent
  title: A wire fell silent
  trend: {flatline: {sources: [sahel-wire], within: 12h}}
  examples:
    - history: ../history.jsonl
      fires: [{at: 2026-03-02T17:00Z, source: sahel-wire}]
    - history: ../history.jsonl
      fires: [{at: 2026-03-02T20:00Z, source: sahel-wire}]
""", encoding="utf-8")
    ruleset = compile_rules(load_rules(folder))
    out = io.StringIO()
    assert run_trend_examples(ruleset.source, out, ruleset) == (2, 1)
    assert out.getvalue() == (f"FAIL {folder / 'rules.yaml'}:16: wire-silent should fire sahel-wire at "
                              "2026-03-02 20:00, but fired sahel-wire at 2026-03-02 17:00\n")
