"""The shipped `troop-buildup` rule reads forces sent, moved or arriving somewhere the headline names, with no
border word (issue 11, class 8): a verb of sending or arriving, the forces and a destination that is a country, a
division, a town or a sea. Their false friends stay out, pull-backs read as decreases, and history is no news.
Every sentence here is our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.facts import extract_facts
from bot.engine.kind import article_kind
from bot.models import Match
from tests.conftest import shipped_match

NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


def buildup(title: str, text: str) -> Match | None:
    return shipped_match("troop-buildup", title, text, NOW)


@pytest.mark.parametrize(("title", "text"), [
    # a verb of sending, the forces with a figure, a region that is no country
    ("Britain sends 900 more soldiers to the Gulf",
     "The defence ministry said it would deploy about 900 additional soldiers and a squadron of jets to the Gulf."),
    # a division of a country, moved into
    ("Nigeria moves 3,000 more troops into Zamfara",
     "The army has moved some 3,000 additional troops into Zamfara state over the past fortnight, officials said."),
    # a ship group ordered to a sea
    ("Navy orders second destroyer group to the Black Sea",
     "The admiral ordered a second group of destroyers to sail for the Black Sea on Monday."),
    # forces arriving, mercenaries included
    ("Foreign mercenaries arrive in Bangui, residents say",
     "Several hundred foreign mercenaries have landed at the airport over the past week, residents said."),
    # sailing for a sea
    ("Amphibious task force sails for the Mediterranean",
     "Four amphibious ships and 1,800 marines left port on Tuesday for a deployment of six months."),
    # forces that reinforce a town
    ("Army reinforces Kidal ahead of rebel push",
     "The army flew in extra units and armoured vehicles to the town overnight, military sources said."),
    # weapon systems sent with the soldiers who man them
    ("Spain sends Patriot battery to Turkey",
     "Spain will send a Patriot air-defence battery and about 150 soldiers to southern Turkey, the ministry said."),
    # a battery moved by its own army
    ("Japan moves missile battery to Yonaguni",
     "The ground self-defence force has stationed a new missile battery on the island, the ministry said."),
])
def test_forces_sent_to_a_place_the_headline_names_are_a_build_up(title: str, text: str) -> None:
    match = buildup(title, text)
    assert match is not None
    assert not match.only_updates


@pytest.mark.parametrize(("title", "text"), [
    # weapons delivered to another country, or arriving there
    ("Norway sends tanks to Ukraine",
     "Norway will send eight tanks and spare parts to Ukraine, the defence minister said."),
    ("Howitzers arrive in Poland from South Korea",
     "The first 24 howitzers ordered from South Korea arrived at the port of Gdynia on Tuesday."),
    # the police sent to keep order at a match, at home
    ("Two thousand police to guard cup final in Glasgow",
     "About 2,000 police officers, including riot units, will be deployed around the stadium on Saturday."),
    # troops sent home, or to prison
    ("Last soldiers sent home from Kabul",
     "The last 200 soldiers of the mission flew home on Sunday."),
    ("Soldiers sent to prison in Ankara over coup plot",
     "A court sentenced 40 soldiers to life in prison for their part in the plot."),
    # troops sent to a flood
    ("Army sends 2,000 soldiers to flood-hit Sindh",
     "Soldiers and boats were sent to evacuate villagers stranded by the floods."),
    # forces for an election, scouts, a rotational unit replacing another, troops sent to protests at home,
    # jets delivered
    ("Ghana deploys 30,000 security forces for general election",
     "Soldiers and police will guard polling across the country on Saturday, the interior ministry said."),
    ("Scout troops head toward Busan for the world jamboree",
     "Some 40,000 scouts from 150 countries are expected at the camp site next week."),
    ("New rotational battalion arrives in Lithuania",
     "The battalion replaces the one that has served at the base since the spring, the army said."),
    ("Guard troops arrive in Portland as protests continue",
     "About 200 Guard troops arrived in the city on Sunday after a week of protests outside a federal building."),
    ("First fighter jets arrive in Romania from Norway",
     "The first three of 32 jets bought from Norway landed at the air base on Tuesday."),
    # a sending only talked of
    ("Canada could send more soldiers to Latvia, minister says",
     "Canada is prepared to send more soldiers to Latvia if the alliance asks, the defence minister said."),
    # a group's fighters threatening to strike places: "places" is a noun there
    ("Insurgents threaten to strike hotels in the capital",
     "A spokesman said the group's fighters would target places where officials meet."),
])
def test_false_friends_of_a_destination_are_no_build_up(title: str, text: str) -> None:
    assert buildup(title, text) is None


@pytest.mark.parametrize("text", [
    "The first of about 60 foreign soldiers based in the capital left the country on Friday.",
    "The first group of about 80 soldiers departs on Monday, the ministry said.",
    "The troops vacated three hilltop posts on Sunday and handed them to the army.",
    "The last soldiers left Gao on Friday, ending a decade-long counter-insurgency deployment in the country.",
])
def test_forces_leaving_departing_or_vacating_read_as_a_decrease(text: str) -> None:
    assert extract_facts("Foreign troops go\n" + text, "en").troops_change == "decrease"


def test_forces_left_dead_are_no_decrease() -> None:
    facts = extract_facts("Ambush\nThe ambush on the soldiers left three dead near the town.", "en")
    assert facts.troops_change != "decrease"


@pytest.mark.parametrize(("title", "text", "kind"), [
    # a history label
    ("History: how an army massed on the river", "The story of a summer long ago.", "anniversary"),
    # a lead that opens with a date long past
    ("How the northern army massed on the plain", "In the spring of 1962 the northern army massed 200,000 "
     "soldiers on the plain.", "anniversary"),
    ("", "On 4 May 1998, the army sent two brigades to the valley.", "anniversary"),
    # ... but a date of the last few years is background to today's news
    ("Army sends troops to valley", "In 2024 the army pulled out of the valley; on Monday it sent two brigades "
     "back.", "news"),
])
def test_history_is_no_news(title: str, text: str, kind: str) -> None:
    assert article_kind(title, text, NOW) == kind


def test_a_headline_led_by_the_year_of_publication_is_news() -> None:
    assert article_kind("2026: army sends 3,000 soldiers to the border", "", NOW) == "news"
    assert article_kind("2019: army sends 3,000 soldiers to the border", "", NOW) == "anniversary"


def test_a_history_piece_is_no_build_up() -> None:
    assert buildup("History: when two armies massed on the river",
                   "In the summer of 1969 both armies massed tens of thousands of troops along the river "
                   "border.") is None


@pytest.mark.parametrize(("text", "killed"), [
    ("Nine soldiers were killed when rebels stormed a base. The army said many rebels were killed but gave no "
     "figure.", 9),
    ("Seven guards were killed in the raid. The police said they had killed several attackers but did not say "
     "how many.", 7),
    # ... an unspecified number with no such remark is still ACLED's 3
    ("Nine soldiers were killed when rebels stormed a base. Several rebels were also killed.", 12),
    # ... and so is a withheld count that is the report's only word of deaths
    ("Gunmen attacked a village in the north on Sunday, the government said. It did not say how many people "
     "died.", 3),
])
def test_a_count_the_speaker_withheld_adds_nothing(text: str, killed: int) -> None:
    assert extract_facts("Base attack\n" + text, "en").killed == killed


@pytest.mark.parametrize("text", [
    "Thousands joined processions on Friday to mourn the death of the saint.",
    "The two sides agreed to exchange prisoners and the bodies of 4,000 soldiers killed in action.",
])
def test_deaths_mourned_or_bodies_swapped_are_no_toll(text: str) -> None:
    assert extract_facts("Talks and rites\n" + text, "en").killed is None


def test_one_year_on_is_an_anniversary() -> None:
    assert article_kind("Market bombing one year on: traders return", "Stalls reopened in spring.", NOW) == \
        "anniversary"


def test_a_headline_answering_an_attack_the_lead_dates_weeks_back_is_a_follow_up() -> None:
    title = "Togo to send 2,000 more soldiers to its northern border after deadly attacks"
    text = ("Togo will send 2,000 more soldiers to its northern districts, the government said on Monday, weeks "
            "after the deadliest attack in the country's history killed 40 soldiers near the border.")
    assert article_kind(title, text, NOW) == "follow-up"
    # ... while an attack of this week, answered in the headline, stays news
    fresh = ("Togo will send 2,000 more soldiers to its northern districts, the government said on Monday, after "
             "an attack on Saturday killed 40 soldiers near the border.")
    assert article_kind(title, fresh, NOW) == "news"


def test_troops_poured_into_a_region_whose_pilgrims_are_told_to_leave_are_a_build_up() -> None:
    assert buildup("20,000 more troops flown into the valley, pilgrims told to leave",
                   "Another 20,000 troops were flown into the valley on Friday, and pilgrims were told to leave, "
                   "officials in the disputed region said.") is not None


def test_troops_for_a_religious_season_are_no_build_up() -> None:
    assert buildup("Army deployed across the country for Ashura processions",
                   "Army units will be stationed in sensitive districts while the Frontier Corps reinforces the "
                   "police in major cities, the ministry said.") is None


@pytest.mark.parametrize(("text", "killed"), [
    # a side's claim told first, the officials' toll of the same victims after it: the officials' figure
    ("The rebels said they had killed 20 soldiers in the attack. The army said five soldiers were killed.", 5),
    ("The militant group claimed to have killed 30 soldiers. Officials said seven soldiers died in the attack.", 7),
    # ... told the other way round, the same
    ("Officials said seven soldiers died in the attack. The militant group claimed to have killed 30 soldiers.", 7),
])
def test_the_officials_toll_wins_over_a_sides_claim_whatever_the_order(text: str, killed: int) -> None:
    assert extract_facts("Attack on base\n" + text, "en").killed == killed


def test_a_column_that_left_a_town_moving_toward_a_front_is_an_increase() -> None:
    text = "A convoy of soldiers left the port this week and moved north toward the rebel stronghold."
    assert extract_facts("Convoy\n" + text, "en").troops_change == "increase"


def test_weapons_left_behind_are_no_pull_back() -> None:
    text = "Police recovered rifles and armoured vehicles left behind by the group."
    assert extract_facts("Siege ends\n" + text, "en").troops_change != "decrease"
