"""The event's place of a build-up sent in answer to an attack, and of one that a foreign government urges to end
(issue 11, class 6): the forces' destination is the place, not the attack it answers; a country that only speaks is
not the place, the side the forces stand on is. Every sentence here is our own."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.engine import RuleSet
from bot.models import Article, Match
from tests.conftest import shipped_ruleset

NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


def shipped() -> RuleSet:
    """The shipped rules, compiled once per test worker (tests/conftest.py)."""
    return shipped_ruleset()


def buildup(title: str, text: str) -> Match:
    article = Article("wire", title, text, published=NOW, language="en")
    match = next((m for m in shipped().match(article, NOW) if m.rule_id == "troop-buildup"), None)
    assert match is not None
    return match


def test_forces_sent_after_an_attack_are_placed_where_they_go_not_where_the_attack_was() -> None:
    match = buildup("Serbia sends 2,000 troops to Kosovo boundary after Banjska attack",
                    "Serbia's army has sent about 2,000 soldiers to the administrative boundary with Kosovo, the "
                    "ministry said on Tuesday, two days after gunmen attacked a police patrol near Banjska in "
                    "northern Kosovo.")
    assert "Kosovo" not in match.regions
    assert "Serbia" in match.regions


def test_an_attack_that_is_the_news_keeps_its_place() -> None:
    # no destination before "after": the attack's place is the event's
    article = Article("wire", "Two police officers killed after gunmen ambush patrol near Banjska",
                      "Gunmen ambushed a police patrol near Banjska in northern Kosovo on Sunday, killing two "
                      "officers.",
                      published=NOW, language="en")
    clash = next(m for m in shipped().match(article, NOW) if m.rule_id == "fatal-clash")
    assert "Kosovo" in clash.regions


def test_a_government_that_urges_another_is_not_the_place_of_the_forces() -> None:
    match = buildup("France urges Belgrade to pull back forces near Kosovo",
                    "France said it was watching a large Serbian military deployment along the boundary with Kosovo, "
                    "including tanks and artillery, and urged Belgrade to reduce it.")
    assert "France" not in match.regions
    assert match.regions[0] == "Serbia"
