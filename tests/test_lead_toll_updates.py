"""A long report's later paragraphs that update its toll (issue 11, classes 4 and 7): the lead tells the first count,
and a few paragraphs on the report says the toll rose, or adds the dead of another side. Those sentences are read with
the lead; background (another day's attack, the war's toll, a side's claim) never is. Every sentence is our own."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.engine import RuleSet
from bot.engine.lead import LONG_TEXT, lead_text, toll_updates
from bot.models import Article
from tests.conftest import shipped_ruleset

NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)

LEAD = ("MOPTI - A drone strike hit a weekly market in a town in central Mali on Thursday, killing at least 18 people, "
        "according to residents and a local official.\n\n")
FILLER = ("Traders said the market had been crowded since dawn, as it is every week, with herders bringing cattle and "
          "women selling grain, vegetables and cloth from stalls set up along the main road. ") * 3 + "\n\n"


def shipped() -> RuleSet:
    """The shipped rules, compiled once per test worker (tests/conftest.py)."""
    return shipped_ruleset()


def clash_killed(text: str) -> object:
    article = Article("wire", "Drone strike on market in central Mali kills at least 18", text, published=NOW,
                      language="en")
    assert len(text) > LONG_TEXT
    match = next(m for m in shipped().match(article, NOW) if m.rule_id == "fatal-clash")
    return match.facts.get("killed")


def test_a_toll_that_rose_in_a_later_paragraph_is_the_incident_s() -> None:
    text = (LEAD + FILLER + "A health worker said later that the toll had risen to 23 after five of the wounded died "
            "overnight.\n\n" + FILLER)
    assert toll_updates(text, len(lead_text(text))) != ""
    assert clash_killed(text) == 23


def test_the_dead_of_another_group_told_also_killed_are_added() -> None:
    text = LEAD + FILLER + "Residents said four soldiers guarding the market had also been killed.\n\n" + FILLER
    assert clash_killed(text) == 22


def test_background_and_claims_in_later_paragraphs_are_left_out() -> None:
    text = (LEAD + FILLER + "In March, a strike on a wedding in the same district also killed 30 people. The armed "
            "group claimed its fighters had also killed 12 soldiers. The war has also killed thousands since 2012, "
            "and a 70-year-old man also died.\n\n" + FILLER)
    assert toll_updates(text, len(lead_text(text))) == ""
    assert clash_killed(text) == 18
