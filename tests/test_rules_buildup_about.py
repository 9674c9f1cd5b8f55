"""What a build-up report is about (issue 11, classes 7 and 8): an exercise, a visit, talks on the cost of forces, a
movement the lead says did not happen or one called unlikely are no build-up; a ship joining a mission, reinforcements
airlifted, an air-defence battery arriving, a force doubled and an armed group leaving under a deal are. The shipped
rules, the real engine; every sentence here is our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Match
from tests.conftest import shipped_match

NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


def buildup(title: str, text: str) -> Match | None:
    return shipped_match("troop-buildup", title, text, NOW)


@pytest.mark.parametrize(("title", "text"), [
    # a big exercise near a border, and one around a contested island: the forces go home when it ends
    ("Alliance exercise brings 18,000 troops to range near the border",
     "About 18,000 soldiers from nine countries began two weeks of drills near the border on Monday, a spokesman "
     "said. All units will return to their bases when the exercise ends."),
    ("Beijing stages large naval drills around Taiwan",
     "China's navy began two days of drills around Taiwan on Saturday with 20 warships and a carrier group, "
     "amid tension over the island."),
    ("Army begins large desert exercise near the western frontier",
     "About 25,000 soldiers and 300 tanks are taking part in the exercise, held near the frontier every two years."),
    # forces ordered into the exercise itself
    ("President orders 4,000 troops into drills on the eastern coast",
     "The president ordered about 4,000 soldiers into a defensive exercise near the disputed border on Friday."),
])
def test_an_exercise_is_no_build_up(title: str, text: str) -> None:
    assert buildup(title, text) is None


@pytest.mark.parametrize(("title", "text"), [
    # forces moved into another country, or massed at a border, for drills: the movement is the news
    ("Russia moves 25,000 troops into Belarus for drills near Ukraine",
     "Russian units have been arriving in Belarus by train for joint drills a few hours' drive from Kyiv."),
    ("Iran masses troops for drills on the Azerbaijan border",
     "Iran has massed armour and artillery along the border for war games, angering Baku."),
    ("Poland moves 30,000 soldiers to Belarus border as drills begin",
     "Poland said it had moved about 30,000 soldiers to the border as Russia's drills began next door."),
])
def test_forces_moved_for_an_exercise_are_a_build_up(title: str, text: str) -> None:
    assert buildup(title, text) is not None


@pytest.mark.parametrize(("title", "text"), [
    # a movement the headline or the first sentence says did not happen
    ("Army raises alert near the border, but no troops moved",
     "The general staff said units near the border had been put on higher alert but that no additional troops had "
     "been sent."),
    ("Rivals agree on timetable to merge armed units",
     "The two sides agreed on a timetable for merging their forces, with no change in the number of fighters "
     "deployed on the front lines."),
    # a visit to the forces
    ("Defence minister visits troops at the front, promises more shells",
     "The defence minister visited soldiers near the front line on Sunday and promised more shells and armoured "
     "vehicles, without announcing new deployments."),
    # talks on the cost of forces kept where they are
    ("Tokyo and Washington open talks on cost of keeping 50,000 troops in Japan",
     "Negotiators began talks on how much Japan should pay toward the cost of stationing about 50,000 American "
     "troops in the country, amid tension in the region."),
    # a movement called unlikely
    ("Analysts say Moscow unlikely to mass troops on the Finnish border this year", ""),
    # forces deployed ahead of an election at home
    ("Soldiers and police deployed across Kano ahead of Saturday's governorship election",
     "Thousands of soldiers and police were deployed across the state amid threats from armed gangs."),
])
def test_what_a_report_is_about_keeps_it_out(title: str, text: str) -> None:
    assert buildup(title, text) is None


@pytest.mark.parametrize(("title", "text"), [
    # a warship joining a mission abroad
    ("Dutch frigate joins EU mission in the Gulf of Aden",
     "The Netherlands has dispatched a frigate to the Gulf of Aden to join the EU's anti-piracy mission."),
    # reinforcements airlifted to a town
    ("Sudan's army airlifts reinforcements to Kadugli",
     "The army flew several hundred reinforcements and ammunition into Kadugli as rebels closed in, military "
     "sources said."),
    # an air-defence battery arriving
    ("Patriot battery arrives in Poland's Rzeszow",
     "A Dutch Patriot air-defence battery has arrived at Rzeszow to protect the airport, the ministry said."),
    # a force doubled
    ("Norway to double its Lithuania force",
     "Norway will double its contingent in Lithuania from about 300 to 600 soldiers next year, the defence "
     "minister said."),
    # a list of forces sent to a sea
    ("Alliance sends frigates, patrol planes and sea drones to the Baltic",
     "The alliance will send frigates, patrol planes and naval drones to the Baltic Sea to guard undersea cables."),
    # people who flood into a town are no flood
    ("Bogota sends 4,000 soldiers to Arauca as displaced flood into Saravena",
     "The government has sent about 4,000 soldiers to Arauca department, the defence minister said, as thousands "
     "fled fighting between two armed groups."),
])
def test_forces_sent_in_other_words_are_a_build_up(title: str, text: str) -> None:
    match = buildup(title, text)
    assert match is not None
    assert not match.only_updates


def test_an_armed_group_leaving_under_a_deal_is_a_pull_back() -> None:
    match = buildup("Militia leaves Bunia's river port under truce deal",
                    "Militia fighters withdrew from positions around the river port on Monday under a truce agreed "
                    "last week, local officials said.")
    assert match is not None
    assert match.only_updates
    assert match.facts.get("troops_change") == "decrease"
