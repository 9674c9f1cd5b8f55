"""The shipped `troop-buildup` rule reads pull-backs and withdrawals in any words as update-only matches
(docs/rules.md, sections 5 and 7: news of the build-up they end, alone they alert nobody), and deployments
told with verbs of moving, landing and arriving as build-ups. Every sentence here is our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.facts import extract_facts
from bot.models import Match
from tests.conftest import shipped_match

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def buildup_match(title: str, text: str = "") -> Match | None:
    return shipped_match("troop-buildup", title, text, NOW)


@pytest.mark.parametrize(("title", "text"), [
    # withdraw, with the forces as object
    ("Kyiv withdraws its troops from the ruined mining town", ""),
    # the forces between the verb and its particle
    ("Army pulls 41st Brigade out of the river port",
     "The army said it had pulled the brigade out of the port after weeks of shelling."),
    # the last of a contingent leaving a country
    ("Last Belgian soldiers leave Niger, ending a decade of military presence",
     "The last Belgian soldiers stationed in Niger left the country on Friday, handing over their base near "
     "the airport to the national army."),
    # a pull-out told as a noun, the forces in the lead
    ("Navy completes pull-out from island outpost",
     "The navy said its last 300 sailors had withdrawn from the outpost on Tuesday."),
    # a mission that ends, peacekeepers going home
    ("Peacekeepers head home as regional mission ends",
     "The first 400 peacekeepers of the regional force left the capital on Monday as the mission wound down."),
    # both sides stepping back from a line
    ("Rival armies pull back from the mountain pass",
     "Soldiers of both countries withdrew from positions at the pass under a deal reached last week."),
    # a force cut by a figure
    ("Alliance to cut its force in the country by 3,000 troops",
     "The alliance will reduce its troops in the country from 9,000 to 6,000 by the end of the year."),
])
def test_a_pull_back_in_any_words_updates_a_build_up_and_alerts_nobody(title: str, text: str) -> None:
    match = buildup_match(title, text)
    assert match is not None
    assert match.facts.get("troops_change") == "decrease"
    assert match.only_updates


@pytest.mark.parametrize(("title", "text"), [
    # forces leaving a place after a raid: the end of an operation, not of a build-up
    ("Soldiers withdraw from the old quarter after a two-day raid",
     "Soldiers withdrew from the quarter after a raid in which four suspects were arrested."),
    # a like-for-like rotation: one contingent hands over to the next
    ("Peacekeepers hand over to the new contingent in rotation",
     "The outgoing battalion handed over to the incoming one; the force's size is unchanged."),
])
def test_the_end_of_a_raid_or_a_rotation_is_no_pull_back(title: str, text: str) -> None:
    assert buildup_match(title, text) is None


@pytest.mark.parametrize(("title", "text"), [
    # moves, with the forces as object and a destination
    ("Lithuania moves 4,000 troops to the Belarus border", ""),
    ("Army moves armour and artillery toward the disputed frontier", ""),
    # forces landed somewhere, in a standoff
    ("Junta lands about 800 troops at the port as rebels close in", ""),
    # a contingent landing abroad
    ("First Kenyan contingent lands in Port-au-Prince for the security mission",
     "About 400 Kenyan soldiers landed at the airport on Tuesday, the first of a force that could reach "
     "2,500, as gangs fought for control of the capital."),
    # columns rolling toward a front
    ("Army columns roll west toward the front line", ""),
])
def test_a_deployment_told_with_moving_or_landing_is_a_build_up(title: str, text: str) -> None:
    match = buildup_match(title, text)
    assert match is not None
    assert not match.only_updates


@pytest.mark.parametrize(("title", "text"), [
    # "moves" as a noun, with no forces for object
    ("Diplomatic moves to ease border tension as troops stay in barracks", ""),
    # a port call
    ("Two frigates arrive in the capital for a port call and joint drills",
     "The frigates arrived at the naval base on Monday for a four-day port call near the disputed waters."),
    # a rotation told with the verb: a fresh contingent arrives as the old one goes
    ("Danish soldiers rotate through the lakeside camp",
     "A fresh contingent of Danish soldiers arrived at the camp near the border to replace colleagues at the end of "
     "their tour; the force's size is unchanged."),
    # soldiers landing home from a mission
    ("Last Dutch soldiers return from Mali",
     "The final 120 soldiers of the contingent landed at Eindhoven air base on Friday, ending a six-year mission."),
])
def test_movement_words_that_move_no_forces_to_a_front_are_no_build_up(title: str, text: str) -> None:
    assert buildup_match(title, text) is None


@pytest.mark.parametrize(("text", "change"), [
    ("The last soldiers left on Thursday, handing over the hill base to the national army.", "decrease"),
    ("The departure ends more than five decades of French military presence in the country.", "decrease"),
    ("The government will bring 2,000 troops home from the island by March.", "decrease"),
    ("The ministry will send 2,000 troops to the island by March.", "increase"),
    # an "after" clause sets the scene: the main clause's move wins over the handover behind it
    ("A column of soldiers left the town on Monday heading for the front, after the mission handed over its "
     "last bases in the region.", "increase"),
])
def test_bases_handed_over_and_presences_ended_read_as_decreases(text: str, change: str) -> None:
    assert extract_facts("Troops\n" + text, "en", NOW).troops_change == change
