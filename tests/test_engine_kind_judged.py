"""The kind of a piece that judges an attack rather than reports it (issue 11, class 7): an analysis follows its first
sentence with the writer's own verdict in a lead that dates nothing; news dates the incident and leaves verdicts to the
people it quotes. A span of years since the event in the
headline ("a quarter-century on") marks an anniversary. Every sentence here is our own."""

from __future__ import annotations

import pytest

from bot.engine.kind import article_kind


@pytest.mark.parametrize(("title", "text"), [
    # behind a dateline, a verdict told as the writer's own
    ("", "KANO - Militants have struck a cattle market in the north-east, in an attack that left scores dead. The "
         "massacre was a stark reminder of how little the state controls beyond the towns. Its roots go back years."),
    # a first sentence that tells of the attack, then the writer's own verdict, with no day for the incident
    ("", "An armed group has claimed an attack on a border market in which many traders have been killed. The attack "
         "is another step in the group's drift toward cross-border raids, and a clear sign that the army's strategy "
         "is failing. Its history explains why."),
])
def test_a_lead_that_judges_an_attack_is_analysis(title: str, text: str) -> None:
    assert article_kind(title, text) == "analysis"


@pytest.mark.parametrize(("title", "text"), [
    # a verdict a speaker gives is reported speech: news
    ("Gunmen kill nine at border market",
     "Gunmen killed nine traders at a border market on Tuesday, police said. The attack is another sign that the "
     "group is spreading south, the governor said."),
    # an unattributed verdict after a lead that dates the incident: news of the attack
    ("Bomb kills six at bus station",
     "A bomb killed six people at the main bus station overnight, officials said. The attack is another blow to a "
     "city that had been calm for a year."),
    # a lead that opens on the attack and tells its dead
    ("", "The attack on the police post was the deadliest in the district this year, killing eleven officers on "
         "Sunday, the ministry said."),
    # a lead that only opens on this week's attack stays news (too recent to leave to a report never seen)
    ("", "This week's attack on the depot is the rebels' third this year. Another step in their campaign is feared."),
    # a passive verb after the attack is the report itself
    ("", "The attack was carried out by about 30 gunmen on motorbikes, residents said."),
])
def test_news_of_an_attack_stays_news(title: str, text: str) -> None:
    assert article_kind(title, text) == "news"


@pytest.mark.parametrize("title", [
    "At the old base, soldiers keep a quiet watch a quarter-century on",
    "Half a century later, the valley town rebuilds its mill",
    "A decade on, the bridge town rebuilds",
])
def test_a_span_of_years_since_the_event_is_an_anniversary(title: str) -> None:
    assert article_kind(title, "The town has changed since the war ended.") == "anniversary"
