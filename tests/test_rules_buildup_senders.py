"""Build-ups told in constructions the shipped `troop-buildup` rule missed on holdout16 (issue 11, class 8): police or
gendarmes sent abroad, a warplane squadron named for a storm, a named unit that heads somewhere, forces brought or
crossing into a country, a new rotational force, and a rotation one side claims in quotes. Beside each, the false
friend that must stay out: police sent at home, a same-size rotation, a sending denied or voted down, an extended
deployment and a market story. Every sentence here is our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Match
from tests.conftest import shipped_match

NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


def buildup(title: str, text: str) -> Match | None:
    return shipped_match("troop-buildup", title, text, NOW)


@pytest.mark.parametrize(("title", "text"), [
    # police and gendarmes sent to another country on a mission
    ("Senegal flies 150 more gendarmes to Haiti",
     "A further 150 Senegalese gendarmes left Dakar on Tuesday to join the security mission, the ministry said."),
    ("Rwanda sends 300 police officers to Mozambique",
     "Rwanda sent about 300 police officers to Cabo Delgado on Sunday to reinforce its contingent there."),
    # a warplane squadron named for a storm is no disaster relief
    ("Italy sends Typhoon squadron to Romania to guard airspace",
     "Italy is sending a squadron of Typhoon jets to Romania after drones strayed across the border, officials said."),
    # a named unit that heads somewhere
    ("The 101st Airborne heads to Lithuania",
     "A brigade of the division is deploying to Lithuania, two officials said, as the alliance bolsters its east."),
    # forces brought or crossing into a country
    ("Mercenary group brings 1,500 fighters into Chad",
     "The group has flown about 1,500 fighters into Chad over the past month, two diplomats said."),
    ("Ugandan troops crossing into Ituri, Congo says",
     "Congo's government said hundreds of Ugandan soldiers with armoured vehicles had crossed into Ituri province."),
    # a rotation one side claims, in quotes, against the other's report of troops crossing in
    ("Mali says Algerian troops crossing into Kidal; Algiers calls it a 'rotation'",
     "Mali said several hundred Algerian soldiers had crossed into the Kidal region on Wednesday."),
    # a new rotational force brings forces where there were none
    ("US Marines land at Darwin as part of new rotational force",
     "About 2,000 US Marines arrived in Darwin to stand up a new force near the Timor Sea, officials said."),
])
def test_forces_sent_abroad_in_these_constructions_are_a_build_up(title: str, text: str) -> None:
    assert buildup(title, text) is not None


@pytest.mark.parametrize(("title", "text"), [
    # police sent at home stay out
    ("Police send 2,000 officers to Lagos after riots",
     "Two thousand police officers were sent to Lagos after two days of rioting, the police said."),
    # a rotational brigade replaces another
    ("New rotational brigade arrives in Estonia",
     "The incoming brigade replaces the one that arrived last spring; the number of troops stays the same."),
    # a sending denied, ruled out or voted down
    ("Defence chief says 'no plans' to send troops to the Sudan border",
     "The defence chief said there were no plans to deploy more troops to the border despite fighting nearby."),
    ("Parliament kills bill that would have sent 2,000 troops to the border",
     "Lawmakers voted down a bill that would have deployed 2,000 more soldiers to the northern border."),
    # an extended deployment, protested at home
    ("Families protest deployment extension for troops at the front",
     "Relatives of soldiers rallied in the capital demanding a date for the troops' return from the front."),
    # a market story in war words
    ("Defence stocks slip as investors weigh ceasefire talk",
     "Shares in arms makers fell as investors bet a ceasefire could slow orders, though governments have pledged "
     "to expand their armed forces."),
])
def test_their_false_friends_are_no_build_up(title: str, text: str) -> None:
    assert buildup(title, text) is None
