"""A user audit's toll and build-up findings (A4, issues 11 and 15), each on the shipped rules and our own
sentences: what a report of an incident is and what is background to it (docs/rules.md, docs/languages.md)."""

from __future__ import annotations

import pytest

from bot.models import Article
from tests.conftest import shipped_ruleset


def clash_rules(title: str, text: str = "") -> list[str]:
    return [m.rule_id for m in shipped_ruleset().match(Article("test", title, text)) if "fatal-clash" in m.rule_id]


@pytest.mark.parametrize("title", [
    "Two police officers killed in Zvečan",
    "Ubijena dvojica policajaca u Zvečanu",
    "Убијена двојица полицајаца у Звечану",
    "Dy policë të vrarë në Zveçan",
    "Двое полицейских убиты в Звечане",
    "Двоє поліцейських убиті у Звечані",
])
def test_a_headline_of_killed_officers_alone_is_a_fatal_clash_in_every_language(title: str) -> None:
    # police and soldiers killed: the headline names the armed side, in whatever language it is written
    assert clash_rules(title) == ["fatal-clash", "kosovo-fatal-clash"]


@pytest.mark.parametrize("title", [
    "Policajac poginuo u saobraćajnoj nesreći kod Zvečana",
    "Полицейский погиб в ДТП под Звечаном",
])
def test_an_officer_dead_in_a_road_accident_is_no_clash(title: str) -> None:
    assert clash_rules(title) == []
