"""Reuse in rules: named word lists with appends, named conditions, rules that extend others,
and the names people use for regions; every mistake refused with file:line:column and a hint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import REPO_ROOT
from bot.engine import compile_rules, load_rules, load_rules_text
from bot.engine.conditions import AllCondition, RegionsCondition, TermsCondition
from bot.errors import RuleError
from bot.models import Article

SHIPPED = REPO_ROOT / "rules"


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems_in(folder: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules(folder)
    return [str(p) for p in info.value.problems]


def problems(text: str) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules_text(text, "rules/x.yaml")
    return [str(p) for p in info.value.problems]


def matched(ruleset, title: str, text: str = "") -> list[str]:
    return [m.rule_id for m in ruleset.match(Article(source="test", title=title, text=text))]


# -- lists -----------------------------------------------------------------------------------------


def test_a_list_is_used_in_terms_and_near_groups_beside_ordinary_words() -> None:
    source = load_rules_text("""
lists:
  killing-words: [killed, slain]
  armed-men: [gunmen, rebels]
id: a
title: A
when:
  all:
    - terms: [$killing-words, massacre]
    - near: [$armed-men, [village]]
""")
    [rule] = source.rules
    terms, near = rule.when.items
    assert [t.written for t in terms.terms] == ["killed", "slain", "massacre"]
    assert [[t.written for t in group] for group in near.groups] == [["gunmen", "rebels"], ["village"]]
    rules = compile_rules(source)
    assert matched(rules, "Gunmen raid village, five slain") == ["a"]
    assert matched(rules, "Five slain in the city") == []


def test_appends_from_other_files_apply_after_definitions_in_file_name_order(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", {
        "a-mine.yaml": "lists:\n  killing-words: {append: [executed]}\n",
        "b-shipped.yaml": "lists:\n  killing-words: [killed, slain]\n"
                          "id: a\ntitle: A\nwhen: {terms: [$killing-words]}\n",
        "c-local.yaml": "lists:\n  killing-words: {append: [lynched, killed]}\n",
    })
    [rule] = load_rules(folder).rules
    # the definition first, then the appends by file name; a word already there is kept once
    assert [t.written for t in rule.when.terms] == ["killed", "slain", "executed", "lynched"]


def test_lists_may_hold_lists() -> None:
    [rule] = load_rules_text("""
lists:
  land-forces: [troops, soldiers]
  sea-forces: [warships]
  forces: [$land-forces, $sea-forces, marines]
id: a
title: A
when: {terms: $forces}
""").rules
    assert [t.written for t in rule.when.terms] == ["troops", "soldiers", "warships", "marines"]


def test_unknown_list_names_its_place_and_suggests() -> None:
    [msg] = problems("lists:\n  killing-words: [killed]\nid: a\ntitle: A\nwhen:\n  terms: [x, $killing-word]\n")
    assert msg.startswith("rules/x.yaml:6:14: unknown list '$killing-word'")
    assert "did you mean 'killing-words'?" in msg


def test_a_list_defined_twice_names_both_places(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", {
        "one.yaml": "lists:\n  words: [a1]\n",
        "two.yaml": "# mine\nlists:\n  words: [b1]\n",
    })
    [msg] = problems_in(folder)
    assert msg.startswith(f"{folder / 'two.yaml'}:3:3: list 'words' is defined twice "
                          f"(first at {folder / 'one.yaml'}:2)")
    assert "{append: [...]}" in msg


def test_an_append_to_a_list_nobody_defines(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", {
        "one.yaml": "lists:\n  killing-words: [killed]\n",
        "two.yaml": "lists:\n  kiling-words: {append: [slain]}\n",
    })
    [msg] = problems_in(folder)
    assert msg.startswith(f"{folder / 'two.yaml'}:2:3: append to unknown list 'kiling-words'")
    assert "did you mean 'killing-words'?" in msg


def test_a_list_that_contains_itself() -> None:
    msgs = problems("lists:\n  a: [x1, $b]\n  b: [$a]\n")
    assert any(m.startswith("rules/x.yaml:3:7: list 'b' contains itself: a -> b -> a") for m in msgs)


def test_bad_words_and_shapes_in_lists() -> None:
    msgs = problems("lists:\n  a: ['*x']\n  B: [y1]\n  c: []\n  d: {apend: [z1]}\n")
    assert any(m.startswith("rules/x.yaml:2:7: bad term '*x'") for m in msgs)
    assert any(m.startswith("rules/x.yaml:3:3: list name 'B' must be lower-case") for m in msgs)
    assert any(m.startswith("rules/x.yaml:4:6: list 'c' must be a non-empty list of words") for m in msgs)
    assert any(m.startswith("rules/x.yaml:5:7: a list is a list of words, or {append: [words]}") for m in msgs)
    assert any("did you mean 'append'?" in m for m in msgs)


def test_lists_belong_at_the_top_of_a_file_not_in_a_rule_of_a_list() -> None:
    [msg] = problems("- id: a\n  title: A\n  lists: {w: [x1]}\n  when: {terms: [x1]}\n")
    assert msg.startswith("rules/x.yaml:3:3: unknown key 'lists'")
    assert "belongs at the top level of a file" in msg


# -- named conditions ------------------------------------------------------------------------------


def test_named_conditions_stand_wherever_a_condition_may() -> None:
    source = load_rules_text("""
lists:
  attack-words: [ambush, raid]
conditions:
  armed-violence: {terms: [$attack-words, gunmen]}
  deadly-violence:
    all:
      - use: armed-violence
      - terms: [killed]
  sports: {terms: [derby]}
id: a
title: A
when:
  use: deadly-violence
  not: {use: sports}
""")
    [rule] = source.rules
    rules = compile_rules(source)
    assert matched(rules, "Two killed in ambush") == ["a"]
    assert matched(rules, "Ambush foiled") == []
    assert matched(rules, "Two killed in ambush after derby") == []
    inner = rule.when.items[0]
    assert isinstance(inner, AllCondition) and isinstance(inner.items[0], TermsCondition)


def test_a_named_condition_from_another_file(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", {
        "library.yaml": "conditions:\n  ambushes: {terms: [ambush]}\n",
        "rule.yaml": "id: a\ntitle: A\nwhen: {use: ambushes}\n",
    })
    [rule] = load_rules(folder).rules
    assert [t.written for t in rule.when.terms] == ["ambush"]


def test_unknown_named_condition_suggests() -> None:
    [msg] = problems("conditions:\n  armed-violence: {terms: [gunmen]}\n"
                     "id: a\ntitle: A\nwhen:\n  use: armed-violense\n")
    assert msg.startswith("rules/x.yaml:6:8: unknown condition 'armed-violense'")
    assert "did you mean 'armed-violence'?" in msg


def test_named_conditions_that_use_each_other() -> None:
    msgs = problems("conditions:\n  a: {use: b}\n  b: {all: [{terms: [x1]}, {use: a}]}\n")
    assert any("rules/x.yaml:3:34: condition 'a' uses itself: a -> b -> a" in m for m in msgs)


def test_named_conditions_cannot_be_appended_to() -> None:
    [msg] = problems("conditions:\n  a: {append: {terms: [x1]}}\n")
    assert msg.startswith("rules/x.yaml:2:7: named conditions cannot be appended to")
    assert "add words to the lists the condition uses" in msg


def test_a_mistake_in_a_named_condition_is_reported_where_it_is_written(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", {
        "library.yaml": "conditions:\n  broken:\n    trems: [x1]\n",
        "rule.yaml": "id: a\ntitle: A\nwhen: {use: broken}\n",
    })
    [msg] = problems_in(folder)   # once, at the definition; the rule using it is not kept
    assert msg.startswith(f"{folder / 'library.yaml'}:3:5: unknown condition 'trems'")


def test_a_named_condition_defined_twice(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", {"one.yaml": "conditions:\n  a: {terms: [x1]}\n",
                                        "two.yaml": "conditions:\n  a: {terms: [y1]}\n"})
    [msg] = problems_in(folder)
    assert msg.startswith(f"{folder / 'two.yaml'}:2:3: condition 'a' is defined twice "
                          f"(first at {folder / 'one.yaml'}:2)")


# -- extends ---------------------------------------------------------------------------------------

PARENT = """
- id: fatal-clash
  title: Fatal armed clash
  severity: high
  tags: [conflict]
  scope: lead
  throttle: 10m
  description: Someone was killed.
  when:
    all:
      - terms: [killed]
      - terms: [ambush, gunmen]
  examples:
    match: ["Two killed in ambush\\n"]
"""


def test_a_rule_extends_another_and_narrows_it_to_regions(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", {
        "a-bosnia.yaml": "id: bosnia-fatal-clash\nextends: fatal-clash\ntitle: Fatal clash in Bosnia\n"
                         "severity: critical\nregions: [bosnia]\n",
        "b-parent.yaml": PARENT,
    })
    source = load_rules(folder)
    child, parent = source.rules   # file order; the parent lives in a later file
    assert (child.id, child.title, child.severity.label, child.parent) == (
        "bosnia-fatal-clash", "Fatal clash in Bosnia", "critical", "fatal-clash")
    assert (child.tags, child.scope, child.throttle, child.description) == (
        ("conflict",), "lead", 600.0, "Someone was killed.")
    assert child.examples.match == ()   # examples are never inherited: a narrower rule misses the parent's
    region, *rest = child.when.items
    assert isinstance(region, RegionsCondition) and region.refs == ("bosnia",)
    assert tuple(rest) == parent.when.items
    rules = compile_rules(source)
    assert matched(rules, "Two killed in ambush near Mostar") == ["bosnia-fatal-clash", "fatal-clash"]
    assert matched(rules, "Two killed in ambush in Bosnia") == ["bosnia-fatal-clash", "fatal-clash"]
    assert matched(rules, "Two killed in ambush in Mali") == ["fatal-clash"]


def test_an_extending_rule_adds_a_when_and_chains() -> None:
    source = load_rules_text(PARENT + """
- id: night-clash
  extends: fatal-clash
  when: {terms: [night]}
- id: night-clash-low
  extends: night-clash
  severity: low
""")
    parent, night, low = source.rules
    assert (low.title, low.severity.label, low.parent) == ("Fatal armed clash", "low", "night-clash")
    assert night.when == low.when == AllCondition((night.when.items[0], *parent.when.items))
    assert [t.written for t in night.when.items[0].terms] == ["night"]


def test_extending_an_unknown_rule() -> None:
    [msg] = problems(PARENT + "- id: b\n  extends: fatal-clsh\n")
    assert msg.startswith("rules/x.yaml:16:12: rule 'b' extends unknown rule 'fatal-clsh'")
    assert "did you mean 'fatal-clash'?" in msg


def test_rules_that_extend_each_other_are_refused() -> None:
    msgs = problems("- id: a\n  extends: b\n- id: b\n  extends: a\n- id: c\n  extends: c\n")
    assert any(m.startswith("rules/x.yaml:4:12: rules extend each other in a loop: a -> b -> a") for m in msgs)
    assert any(m.startswith("rules/x.yaml:6:12: rule 'c' extends itself") for m in msgs)
    assert len(msgs) == 2


def test_a_rule_needs_title_and_when_unless_it_extends() -> None:
    msgs = problems("id: a\nregions: [bosnia]\n")
    assert any("missing required key 'title'" in m for m in msgs)
    assert any("missing required key 'when'" in m for m in msgs)
    [msg] = problems("extends: fatal-clash\ntitle: T\n")
    assert "missing required key 'id'" in msg


def test_a_child_of_a_broken_rule_adds_no_message_of_its_own() -> None:
    [msg] = problems("- id: a\n  title: A\n  when: {trems: [x1]}\n- id: b\n  extends: a\n")
    assert "unknown condition 'trems'" in msg


# -- region names people use -----------------------------------------------------------------------


@pytest.mark.parametrize(("written", "country"), [
    ("bosnia", "bosnia-and-herzegovina"), ("Congo", "democratic-republic-of-the-congo"),
    ("DRC", "democratic-republic-of-the-congo"), ("congo-brazzaville", "republic-of-the-congo"),
    ("UK", "united-kingdom"), ("Britain", "united-kingdom"), ("US", "united-states"), ("USA", "united-states"),
    ("Macedonia", "north-macedonia"), ("Ivory Coast", "ivory-coast"), ("Czechia", "czech-republic"),
    ("Burma", "myanmar"), ("Palestine", "palestine"), ("the Gaza Strip", "palestine"), ("Gaza", "palestine"),
    ("Holland", "netherlands"), ("the Netherlands", "netherlands"), ("Swaziland", "eswatini"),
    ("East Timor", "east-timor"), ("Timor-Leste", "east-timor"), ("Persia", "iran"), ("St Lucia", "saint-lucia"),
])
def test_rules_name_countries_as_people_do(written: str, country: str) -> None:
    [rule] = load_rules_text(f"id: a\ntitle: A\nwhen: {{regions: ['{written}']}}\n").rules
    assert rule.when.region_ids == frozenset({country})


def test_divisions_keep_their_names_and_take_their_iso_codes() -> None:
    [rule] = load_rules_text("id: a\ntitle: A\nwhen: {regions: [England, us-ga, Formosa]}\n").rules
    assert rule.when.region_ids == frozenset({"div:gb-eng", "div:us-ga", "div:ar-p"})


def test_unknown_regions_say_why_and_point_to_beacon_regions() -> None:
    msgs = problems("id: a\ntitle: A\nwhen: {regions: [korea, bosnai, Springfield]}\n")
    korea, bosnai, town = msgs
    assert korea.startswith("rules/x.yaml:3:18: unknown region 'korea' ('korea' is ambiguous: North and South")
    assert "did you mean 'bosnia'?" in bosnai and "`beacon regions bosnai` shows what a name means" in bosnai
    assert "'Springfield' is a town (in Missouri, United States;" in town
    assert "define a region with names: [Springfield]" in town


def test_operator_regions_may_name_their_parent_as_people_do() -> None:
    source = load_rules_text("id: a\ntitle: A\nwhen: {regions: [mostar-area]}\n",
                             regions_text="regions:\n  mostar-area:\n    names: [Mostar]\n    in: Bosnia\n")
    [region] = source.regions
    assert region.parent == "bosnia-and-herzegovina"


# -- the shipped rules -----------------------------------------------------------------------------


def _word_lists(node: object) -> list[tuple[str, ...]]:
    """Every list of three or more plain words in a YAML tree (terms, near groups, named lists)."""
    found: list[tuple[str, ...]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "examples":
                found += _word_lists(value)
    elif isinstance(node, list):
        if len(node) >= 3 and all(isinstance(item, str) for item in node):
            found.append(tuple(node))
        else:
            for item in node:
                found += _word_lists(item)
    return found


def test_no_vocabulary_is_written_in_two_shipped_files() -> None:
    seen: dict[tuple[str, ...], str] = {}
    lines: dict[str, str] = {}
    for path in sorted(SHIPPED.glob("*.yaml")):
        for words in _word_lists(yaml.safe_load(path.read_text(encoding="utf-8"))):
            assert seen.setdefault(words, path.name) == path.name, f"{words[:3]} in {seen[words]} and {path.name}"
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip().rstrip(",]").lstrip("[- ")
            if text.count(",") >= 3 and not text.startswith(("#", '"')):
                assert lines.setdefault(text, path.name) == path.name, f"{text!r} in {lines[text]} and {path.name}"


def test_kosovo_fatal_clash_is_fatal_clash_narrowed() -> None:
    rules = {rule.id: rule for rule in load_rules(SHIPPED).rules}
    kosovo, parent = rules["kosovo-fatal-clash"], rules["fatal-clash"]
    assert kosovo.parent == "fatal-clash"
    assert kosovo.when.items[1:] == parent.when.items
    assert len((SHIPPED / "kosovo-fatal-clash.yaml").read_text().split("examples:")[0].splitlines()) < 15


def test_an_operator_extends_shipped_lists_and_rules_from_files_of_their_own(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(SHIPPED, folder)
    shipped = {rule.id: rule for rule in load_rules(folder).rules}
    assert "Ansaru" not in str(shipped["fatal-clash"].when)
    write(folder, {
        "local-words.yaml": "lists:\n  armed-group-names: {append: [Ansaru]}\n",
        # the worked example of docs/rules.md: a Bosnia rule in five lines
        "bosnia.yaml": "id: bosnia-fatal-clash\nextends: fatal-clash\ntitle: Fatal clash in Bosnia\n"
                       "severity: critical\nregions: [bosnia]\n",
    })
    rules = compile_rules(load_rules(folder))
    assert matched(rules, "Ansaru kills four villagers") == ["fatal-clash"]
    assert matched(rules, "Gunmen kill two police officers in ambush near Mostar") == [
        "bosnia-fatal-clash", "fatal-clash"]
    assert matched(rules, "Gunmen kill two police officers in ambush near Gao") == ["fatal-clash"]


def test_file_level_keys_must_be_mappings_with_good_names() -> None:
    msgs = problems("lists: [a, b]\nconditions:\n  Bad: {terms: [x1]}\n  ok: {use: [a]}\n")
    assert any(m.startswith("rules/x.yaml:1:8: 'lists' maps list names to words") for m in msgs)
    assert any(m.startswith("rules/x.yaml:3:3: condition name 'Bad' must be lower-case") for m in msgs)
    assert any(m.startswith("rules/x.yaml:4:13: 'use' takes the name of a condition") for m in msgs)


def test_a_regions_file_may_also_hold_lists() -> None:
    source = load_rules_text("id: a\ntitle: A\nwhen: {terms: [$places-words], regions: [upper-valley]}\n",
                             regions_text="lists:\n  places-words: [valley]\n"
                                          "regions:\n  upper-valley:\n    names: [Upper Valley]\n    in: UK\n")
    [rule] = source.rules
    assert [r.parent for r in source.regions] == ["united-kingdom"]
    assert isinstance(rule.when, AllCondition)
    [msg] = problems("regions:\n  x-area: {names: [X]}\nnames: [y]\n")
    assert msg.startswith("rules/x.yaml:3:1: unknown key 'names' in a regions file")
