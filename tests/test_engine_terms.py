"""Term conditions: whole words, case and diacritics, wildcards, hyphen forms, fields, logic."""

from __future__ import annotations

from bot.engine import compile_rules, load_rules_text
from bot.engine.text import fold
from bot.models import Article


def ruleset(yaml_text: str):
    return compile_rules(load_rules_text(yaml_text))


def hits(yaml_text: str, title: str, text: str = "") -> list[str]:
    return [m.rule_id for m in ruleset(yaml_text).match(Article("test", title, text))]


ONE = """
id: r
title: R
when: {terms: [%s]}
"""


def test_fold_is_length_preserving_and_strips_case_and_diacritics() -> None:
    for text in ["Zvečan BUILD-UP Leposavić", "Đakovica İstanbul Straße", "Бањска КОСОВО", "naïve café"]:
        assert len(fold(text)) == len(text)
    assert fold("Zvečan BUILD-UP") == "zvecan build up"
    assert fold("Đakovica") == "dakovica"
    assert fold("КОСОВО") == "kosovo"   # Cyrillic folds to Latin (docs/languages.md)


def test_emoji_cjk_punctuation_and_full_width_forms_fold_like_any_other_character() -> None:
    # feeds that post to social media glue an emoji or a full-width bracket to the first word
    assert fold("🚨Troops massed") == " troops massed"
    assert fold("BREAKING：clashes【Gao】") == "breaking clashes gao "
    assert fold("Ｔｒｏｏｐｓ\u3000massed") == "troops massed"
    assert fold("a\ud800b") == "a b"   # a lone surrogate is no letter either
    rule = ONE % "troops"
    assert hits(rule, "🚨Troops massed at the border") == ["r"]
    assert hits(rule, "Border news【troops】") == ["r"]


def test_whole_words_only() -> None:
    rule = ONE % "arms"
    assert hits(rule, "Arms shipment seized") == ["r"]
    assert hits(rule, "Farmers protest harms") == []
    assert hits(rule, "The alarms rang") == []


def test_case_and_diacritics_insensitive() -> None:
    rule = ONE % "'Zvecan', 'leposavić'"
    assert hits(rule, "Clashes in ZVEČAN") == ["r"]
    assert hits(rule, "Protest in Leposavic") == ["r"]


def test_wildcard_prefix() -> None:
    rule = ONE % "'mobili*'"
    for word in ["mobilise", "Mobilization", "mobilised", "mobilising"]:
        assert hits(rule, f"Army to {word} reserves") == ["r"], word
    assert hits(rule, "Automobile factory opens") == []  # the prefix must start a word


def test_hyphenated_term_matches_spaced_and_closed_forms() -> None:
    rule = ONE % "build-up"
    for form in ["build-up", "build up", "buildup", "Build–up"]:
        assert hits(rule, f"A {form} near the line") == ["r"], form
    assert hits(rule, "They build upon it") == []


def test_phrase_must_be_contiguous() -> None:
    rule = ONE % "'death toll'"
    assert hits(rule, "The death toll rose") == ["r"]
    assert hits(rule, "Death and the toll road") == []


def test_field_restriction() -> None:
    rule = """
id: r
title: R
when:
  terms: [ceasefire]
  in: title
"""
    assert hits(rule, "Ceasefire holds", "calm") == ["r"]
    assert hits(rule, "Calm day", "the ceasefire holds") == []


def test_all_any_not() -> None:
    rule = """
id: r
title: R
when:
  all:
    - terms: [troops, soldiers]
    - any:
        - terms: [border]
        - terms: [front line]
  not:
    terms: [exercise]
"""
    assert hits(rule, "Troops sent to the border") == ["r"]
    assert hits(rule, "Soldiers reach the front line") == ["r"]
    assert hits(rule, "Troops sent to the border for an exercise") == []
    assert hits(rule, "Troops parade in the capital") == []


def test_match_carries_explanation_with_snippets() -> None:
    rs = ruleset("""
id: r
title: R
severity: critical
tags: [x]
when:
  all:
    - terms: [shoot-out]
    - terms: [killed]
""")
    [match] = rs.match(Article("s", "Shoot-out in Banjska", "One officer was killed near the monastery."))
    assert match.severity.label == "critical"
    assert match.tags == ("x",)
    found = {(e.value, e.field) for e in match.evidence}
    assert found == {("shoot-out", "title"), ("killed", "text")}
    killed = next(e for e in match.evidence if e.value == "killed")
    assert "officer was killed near" in killed.snippet


def test_only_rules_whose_atoms_hit_are_evaluated_but_negative_rules_always_are() -> None:
    rs = ruleset("""
- id: positive
  title: P
  when: {terms: [alpha]}
- id: negative-only
  title: N
  when:
    not: {terms: [beta]}
""")
    assert rs.always == [1]
    assert [m.rule_id for m in rs.match(Article("s", "alpha"))] == ["positive", "negative-only"]
    assert [m.rule_id for m in rs.match(Article("s", "beta"))] == []


def test_many_rules_share_one_automaton() -> None:
    rules = "\n".join(f"- id: r{i}\n  title: R{i}\n  when: {{terms: [word{i}, common]}}" for i in range(300))
    rs = ruleset(rules)
    terms = [a for a in rs.atoms if a.kind == 0 and (a.text.startswith("word") or a.text == "common")]
    assert len(terms) == 301  # `common` is one atom shared by every rule
    assert len(rs.match(Article("s", "word7 only"))) == 1
    assert len(rs.match(Article("s", "common ground"))) == 300
