"""The shipped rules' own words hold no digit: one word with a digit ("1970s", "S-400") gives the rules' word
automaton, a DFA over bytes (bot/engine/automaton.py), more byte classes, and thirteen such words took the daemon
8 MB over its 150 MB memory target. Figures in a rule belong in a `regex` condition or in the facts (`killed`,
`troops`)."""

from __future__ import annotations

from bot.engine import RuleSet


def test_no_word_of_the_shipped_rules_holds_a_digit(shipped_rules: RuleSet) -> None:
    compiled = shipped_rules
    matcher = next((v for v in vars(compiled).values() if hasattr(v, "terms_automaton")), compiled)
    places = len(matcher.gazetteer.atoms)
    words = [atom.text for atom in matcher.atoms[places:]]
    assert len(words) > 1000
    assert [w for w in words if any(c.isdigit() for c in w)] == []
