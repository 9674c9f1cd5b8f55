"""The shipped `troop-buildup` rule follows the label convention of docs/rules.md (section 5): a report is a
build-up when forces sent, massed or moved is the news it leads with (headline or first sentence); a report
that leads with an attack's dead and mentions a deployment only later is a fatal clash, not a build-up.
Every sentence here is our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import RuleSet
from bot.models import Article
from tests.conftest import shipped_ruleset

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def shipped() -> RuleSet:
    """The shipped rules, compiled once per test worker (tests/conftest.py)."""
    return shipped_ruleset()


def rules_matched(title: str, text: str, language: str = "en") -> set[str]:
    article = Article("wire", title, text, published=NOW, language=language)
    return {m.rule_id for m in shipped().match(article, NOW)}


@pytest.mark.parametrize(("title", "text"), [
    # peacekeepers sent after the attack, in the last sentence
    ("Gunmen kill five traders on the market road",
     "Gunmen on motorbikes killed five traders on the road to the weekly market near the border on Friday, "
     "local officials said. Peacekeepers were sent to the area on Saturday."),
    # a massing before the attack, told as its background
    ("Dozens of soldiers killed as artillery hits border posts",
     "At least 31 soldiers were killed overnight when artillery struck posts along the disputed border, "
     "the defence ministry said. The other side's units had been massing near the line for weeks."),
    # both sides moving troops since, at the end
    ("Nine guards die in mountain pass clash",
     "Nine border guards died in a clash with soldiers of the neighbouring country in a mountain pass on "
     "Tuesday, officials said. Both armies have since moved more soldiers and guns into the valley."),
    # the dead described by their deployment, in the first sentence
    ("Six dead as rival factions fight in the hills",
     "A clash between two armed factions left six people dead, including three soldiers who had been sent "
     "to keep them apart, the army said on Monday."),
])
def test_a_report_that_leads_with_an_attacks_dead_is_no_build_up(title: str, text: str) -> None:
    matched = rules_matched(title, text)
    assert "fatal-clash" in matched
    assert "troop-buildup" not in matched


@pytest.mark.parametrize(("title", "text"), [
    # the sending in the headline
    ("Ambush kills eight soldiers; army sends 600 reinforcements to the border",
     "Eight soldiers were killed when militants ambushed a convoy near the border on Sunday. The army said "
     "600 more troops had been sent to the district on Monday."),
    # forces ordered in, in the headline
    ("Militants kill three police in border district; 900 troops ordered in",
     "Militants attacked a police post with rockets overnight, killing three officers. The provincial "
     "government later ordered 900 soldiers to the district."),
    # the sending in the first sentence, beside the toll
    ("Border fighting kills 17 in the valley",
     "Fighting between the two armies along the disputed border killed at least 17 people on Friday, "
     "officials said, as both countries rushed tanks and reinforcements to the region."),
])
def test_a_report_that_leads_with_the_sending_stays_a_build_up(title: str, text: str) -> None:
    assert "troop-buildup" in rules_matched(title, text)


def test_a_placement_word_in_a_clash_headline_sends_nobody() -> None:
    """'soldiers positioned on rooftops' in an English clash headline places soldiers already there."""
    matched = rules_matched(
        "Two killed as gunmen rob a bank; soldiers positioned on rooftops return fire",
        "Gunmen attacked a bank in the border town on Tuesday, killing a guard and a customer before soldiers "
        "positioned on nearby rooftops returned fire, police said.")
    assert "fatal-clash" in matched
    assert "troop-buildup" not in matched


def test_under_a_headline_of_a_place_the_first_sentence_tells_what_the_report_leads_with() -> None:
    """A headline of a place or a scene ("Kessab") tells nothing: the dead in the first sentence lead the report."""
    matched = rules_matched(
        "Kessab",
        "Artillery fire across the border killed at least nine villagers in Kessab on Tuesday, officials said. "
        "Both armies have since moved extra guns and infantry to the line, witnesses said.")
    assert "fatal-clash" in matched
    assert "troop-buildup" not in matched
    sending = rules_matched(
        "Kessab",
        "The army rushed two brigades to the border near Kessab on Tuesday after artillery fire killed nine "
        "villagers, officials said.")
    assert "troop-buildup" in sending


def test_a_movement_the_headline_only_denies_is_no_build_up() -> None:
    denial = rules_matched(
        "Army denies moving troops to the northern border",
        "The defence ministry denied reports that tanks and troops had been massed on the border, saying the "
        "units seen there were on a routine rotation.")
    assert "troop-buildup" not in denial
    counter_claim = rules_matched(
        "Capital denies any build-up, says neighbour's troops are inside the province",
        "The government denied massing troops on the border and said 3,000 of the neighbour's soldiers had "
        "crossed into the province, where fighting continues.")
    assert "troop-buildup" in counter_claim
