"""Follow-ups told by another side, another outlet or another town join their incident; look-alikes stay apart.

The sixth stream split where a build-up was told by each side's government, a third country's call to pull back and
satellite images; where a first report placed an attack only by its country and a second outlet gave the same single
death in a town; where the dead were buried in their home town; where a second outlet named the rebel group by its
acronym; where a toll was revised down; and where a headline set its attack beside an earlier one ("again", "another
... days after"). It also showed troops sent in answer to an attack joining another army's build-up. Each story below
is told in our own words with other places, next to the look-alike that must stay apart. The matches are built as the
engine gives them (where it happened in `regions`, places named in passing in `mentioned`)."""

from __future__ import annotations

import dataclasses

from bot.enums import AlertAction
from bot.events import decide_alerts, merge_report, salient_terms
from bot.events.build_ups import actors_of
from bot.events.figures import corrects
from bot.events.follow_ups import follow_up_window
from bot.events.followup_reading import share_of_dead
from bot.models import Match
from tests.test_events import Book
from tests.test_events_followups_reading import HOUR, NOW, clash, decide, opened, report

DAY = 24 * HOUR
CONGO = "Democratic Republic of the Congo"


def build_up(facts: dict, regions: tuple[str, ...], mentioned: tuple[str, ...] = ()) -> Match:
    return clash(facts, regions, mentioned, rule="troop-buildup", tags=("military",))


# -- a build-up told by each side and by a third country -----------------------------------------------------------

MASSING = report("Congo says Rwanda is massing troops along the border",
                 "Congo's government said on Monday that Rwanda had moved artillery and about 3,000 soldiers to hills "
                 "overlooking the frontier north of Goma, and asked the African Union to send observers.", NOW,
                 "lakes-wire")
MASSING_AT = build_up({"troops": 3000, "troops_change": "increase"}, (CONGO,), ("Rwanda",))


def test_a_third_countrys_call_to_pull_back_joins_the_build_up_it_speaks_of() -> None:
    event = opened(MASSING, MASSING_AT)
    urged = report("France urges Kigali to pull back forces near Congo",
                   "Paris said it was following a large Rwandan deployment close to the frontier, with tanks and "
                   "rocket launchers, and asked for it to be reduced.", NOW + 20 * HOUR, "capital-post")
    found, why = decide(event, build_up({"troops_change": "increase"}, (CONGO,), ("France", "Rwanda")), urged)
    assert found == event and why.startswith("joins: the same two countries' build-up")


def test_a_country_that_only_speaks_is_no_actor_but_a_side_that_speaks_still_is() -> None:
    urged = report("France urges Kigali to pull back forces near Congo", "", NOW)
    assert actors_of([CONGO, "France", "Rwanda"], urged) == [CONGO, "Rwanda"]
    assert actors_of([CONGO, "Rwanda"], MASSING) == [CONGO, "Rwanda"]   # Congo speaks, and is a side


def test_the_other_sides_statement_placed_only_by_its_country_joins_the_build_up() -> None:
    event = opened(MASSING, MASSING_AT)
    confirms = report("Rwanda confirms units sent west, calls move a precaution",
                      "The defence ministry in Kigali confirmed that it had raised readiness and sent units to bases "
                      "in the west, but said fewer than 1,000 soldiers were involved.", NOW + 14 * HOUR, "hill-daily")
    found, why = decide(event, build_up({"troops": 1000, "troops_change": "increase"}, ("Rwanda",)), confirms)
    assert found == event and why.startswith("joins: the same build-up told from Rwanda")


def test_with_another_build_up_open_in_that_country_its_statement_chooses_neither() -> None:
    event = opened(MASSING, MASSING_AT)
    other = opened(report("Burundi and Rwanda trade accusations as troops gather on their border",
                          "Both armies sent units to the southern frontier.", NOW + 2 * HOUR, "lakes-wire"),
                   build_up({"troops_change": "increase"}, ("Burundi",), ("Rwanda",)))
    confirms = report("Rwanda confirms units sent west, calls move a precaution",
                      "The defence ministry confirmed that it had sent units to bases, and that they would stay.",
                      NOW + 14 * HOUR, "hill-daily")
    found, why = decide(event, build_up({"troops_change": "increase"}, ("Rwanda",)), confirms, others=(other,))
    assert found is None and not why.startswith("joins")


def test_a_third_countrys_call_about_another_crisis_does_not_join_this_one() -> None:
    """The seventh stream: "Washington urges Venezuela to pull troops back from Guyana border" joined the Serbian
    build-up, which a US call to Belgrade had given the speaker's places, on words alone ("urges ... pull back")."""
    urged_here = report("US urges Kigali to pull back forces near Congo",
                        "Washington asked Rwanda to reduce its deployment close to the frontier.", NOW + 6 * HOUR,
                        "capital-post")
    event = opened(MASSING, MASSING_AT)
    first_call = build_up({"troops_change": "increase"}, (CONGO,), ("United States", "Rwanda"))
    found, _ = decide(event, first_call, urged_here)
    assert found == event
    event, _, _ = merge_report(event, first_call, urged_here, NOW + 6 * HOUR,
                               salient_terms(urged_here, first_call.key.split("region=")[1]), None)
    event = dataclasses.replace(event, places=(*event.places, "United States", "Washington"))
    gathering = opened(report("Ethiopia moves troops toward the Eritrean border",
                              "Eritrea said Ethiopian armour was moving north.", NOW + 3 * HOUR, "horn-wire"),
                       build_up({"troops_change": "increase"}, ("Ethiopia",), ("Eritrea",)))
    elsewhere = report("US urges Addis Ababa to pull back forces near Eritrea",
                       "Washington asked Ethiopia to reduce its deployment close to the frontier.",
                       NOW + 30 * HOUR, "capital-post")
    at = build_up({"troops_change": "increase"}, ("Ethiopia",), ("Washington", "United States", "Eritrea"))
    found, why = decide(event, at, elsewhere, others=(gathering,))
    assert found != event and why.startswith("places apart")


# -- troops sent in answer to an attack, while another army's build-up is open nearby ------------------------------

def test_troops_sent_in_answer_to_an_attack_join_the_attack_not_an_open_build_up() -> None:
    book = Book()
    regions = ("Rutshuru", "North Kivu", CONGO)
    decide_alerts(report("Rwanda masses troops near Rutshuru, Congo says",
                         "Congo said Rwandan units and armour had gathered near Rutshuru over the week.", NOW,
                         "lakes-wire"),
                  [build_up({"troops_change": "increase"}, regions, ("Rwanda",))], NOW, book=book, story_id="s-mass")
    attack = decide_alerts(report("Rebels kill 11 soldiers in ambush near Rutshuru",
                                  "Rebels ambushed an army patrol near Rutshuru on Tuesday, killing 11 soldiers.",
                                  NOW + 6 * HOUR, "kivu-times"),
                           [clash({"killed": 11}, regions)], NOW + 6 * HOUR, book=book, story_id="s-attack")
    answer = report("UN to reinforce peacekeepers near Rutshuru after deadly ambush",
                    "The UN mission said it would send about 300 more troops to Rutshuru, where 11 soldiers were "
                    "killed in an ambush on Tuesday, and where Rwandan units are massing.", NOW + 30 * HOUR,
                    "meridian-wire")
    matches = [clash({"killed": 11, "troops": 300}, regions),
               build_up({"killed": 11, "troops": 300, "troops_change": "increase"}, regions, ("Rwanda",))]
    later = decide_alerts(answer, matches, NOW + 30 * HOUR, book=book, story_id="s-answer")
    attack_event = attack[0].event
    assert attack_event is not None
    assert {a.event.id for a in later if a.event} == {attack_event.id}   # one incident: the attack and its answer
    assert AlertAction.SEND not in [a.action for a in later]


# -- how long an incident stays open ---------------------------------------------------------------------------------

def test_a_clash_stays_open_a_week_whatever_troop_figure_it_gained_and_a_build_up_three_weeks() -> None:
    clash_with_troops = opened(report("Rebels kill 11 soldiers near Rutshuru; UN sends 300 troops", "", NOW),
                               clash({"killed": 11, "troops": 300, "troops_change": "increase"}, (CONGO,)))
    assert follow_up_window(clash_with_troops, 86400.0) == 7 * 86400.0
    assert follow_up_window(opened(MASSING, MASSING_AT), 86400.0) == 21 * 86400.0
    assert follow_up_window(clash_with_troops, 6 * 3600.0) == 6 * 3600.0   # a rule's narrower window stands


# -- a first report placed by its country alone, then the same death in a town ----------------------------------------

PATROL = report("Police officer killed in attack on patrol in the east",
                "A police officer was killed and another wounded when gunmen fired on a police patrol near a village "
                "in the east before dawn, police said. Residents heard gunfire for an hour.", NOW, "andes-wire")
PATROL_AT = clash({"killed": 1, "wounded": 1}, ("Bolivia",))


REPORTED_TITLE = "Gunfire near Villa Tunari, police officer reported dead"
REPORTED_TEXT = ("Gunfire was heard for an hour around a village near Villa Tunari after gunmen attacked a police "
                 "patrol before dawn, residents said; police confirmed one officer died.")
REPORTED_AT = clash({"killed": 1}, ("Villa Tunari", "Cochabamba", "Bolivia"))


def test_the_same_single_death_placed_in_a_town_hours_later_joins_the_first_report() -> None:
    event = opened(PATROL, PATROL_AT)
    reported = report(REPORTED_TITLE, REPORTED_TEXT, NOW + 2 * HOUR, "valley-post")
    found, why = decide(event, REPORTED_AT, reported)
    assert found == event and why.startswith("joins: the same count (1) within hours")


def test_the_same_single_death_a_day_later_or_beside_another_incident_is_not_enough() -> None:
    event = opened(PATROL, PATROL_AT)
    assert decide(event, REPORTED_AT, report(REPORTED_TITLE, REPORTED_TEXT, NOW + 20 * HOUR, "valley-post"))[0] is None
    other = opened(report("Miner killed in clash at Potosí cooperative", "One miner died.", NOW + HOUR, "andes-wire"),
                   clash({"killed": 1}, ("Bolivia",)))
    soon = report(REPORTED_TITLE, REPORTED_TEXT, NOW + 2 * HOUR, "valley-post")
    found, why = decide(event, REPORTED_AT, soon, others=(other,))
    assert found is None and not why.startswith("joins")


# -- a funeral of some of the dead, days later, in their home town ---------------------------------------------------

CONVOY = report("Twelve soldiers killed in ambush on army convoy in Tahoua",
                "Twelve soldiers were killed when fighters ambushed a supply convoy in Tahoua region on Wednesday, "
                "the army said.", NOW, "sahel-desk")
CONVOY_AT = clash({"killed": 12}, ("Tahoua region", "Niger"))
FUNERAL = report("Families in Zinder bury soldiers killed in convoy ambush",
                 "Funerals were held in Zinder on Sunday for five of the soldiers killed on Wednesday when their "
                 "convoy was ambushed in Tahoua region.", NOW + 4 * DAY, "sahel-desk")
FUNERAL_AT = clash({"killed": 5}, ("Zinder", "Tahoua region", "Niger"))


def test_a_funeral_for_some_of_the_dead_in_their_home_town_joins_days_late() -> None:
    event = opened(CONVOY, CONVOY_AT)
    found, why = decide(event, FUNERAL_AT, FUNERAL, late=True)
    assert found == event and why.startswith("joins: a funeral for some of its dead (5 of 12)")


def test_with_another_open_incident_there_counting_as_many_the_funeral_chooses_neither() -> None:
    event = opened(CONVOY, CONVOY_AT)
    other = opened(report("Gunmen kill 9 villagers in Tillaberi raid", "Nine villagers died.", NOW + DAY),
                   clash({"killed": 9}, ("Tillaberi region", "Niger")))
    found, why = decide(event, FUNERAL_AT, FUNERAL, others=(other,), late=True)
    assert found is None and not why.startswith("joins")


def test_what_reads_as_a_share_of_the_dead_and_as_a_correction() -> None:
    assert share_of_dead(FUNERAL.title, FUNERAL.text, 5)
    assert not share_of_dead("Five soldiers killed in new ambush", "Five soldiers were killed on Sunday.", 5)
    assert corrects("Officials revise Kasese toll to 21", "Two victims had been counted twice.")
    assert corrects("Toll revised", "The governor's office said it was revising the figure of 81 given earlier.")
    assert not corrects("Toll from Kasese raid rises to 23", "More bodies were found.")
    # putting a toll lower in other words
    assert corrects("Ombudsman lowers Catatumbo death toll to 11", "Two of the dead were counted in both towns.")
    assert corrects("Army reduces the number of dead to 9", "")
    assert not corrects("Army lowers flags for the dead", "Nine soldiers were killed on Sunday.")


# -- a second outlet names the group the first headline named by its acronym ------------------------------------------

def test_a_second_count_naming_the_first_headlines_group_joins_within_hours() -> None:
    event = opened(report("LRA fighters kill 19 in northern Congo village",
                          "Fighters of the Lord's Resistance Army killed at least 19 people with machetes in a village "
                          "overnight, local leaders said.", NOW, "lakes-wire"),
                   clash({"killed": 19}, (CONGO,)))
    second = report("Congo army says 23 civilians dead in Haut-Uele attack",
                    "The army said 23 civilians were killed by LRA fighters in an overnight attack in Haut-Uele "
                    "province and that troops were in pursuit.", NOW + 9 * HOUR, "meridian-wire")
    m = clash({"killed": 23}, ("Haut-Uele", CONGO))
    found, why = decide(event, m, second)
    assert found == event and "naming its actors (LRA)" in why
    other_group = report(second.title, second.text.replace("LRA", "ADF"), NOW + 9 * HOUR, "meridian-wire")
    assert decide(event, m, other_group)[0] is None


# -- "again" and "another" set beside an earlier attack ----------------------------------------------------------------

def test_another_attack_with_the_incidents_own_toll_days_after_an_earlier_one_is_the_incident() -> None:
    regions = ("Kaduna", "Kaduna State", "Nigeria")
    event = opened(report("Gunmen kill 14 at cattle market in Kaduna",
                          "Gunmen opened fire on traders at a cattle market in Kaduna on Friday, killing 14.", NOW,
                          "savanna-post"), clash({"killed": 14}, regions))
    again = report("Kaduna hit again as market attack leaves 14 dead",
                   "Three days after six farmers were killed on the Zaria road, gunmen struck the cattle market, "
                   "killing 14 traders, residents said.", NOW + 15 * HOUR, "plains-tribune")
    found, why = decide(event, clash({"killed": 14}, regions), again)
    assert found == event and why.startswith("joins")
    struck = report("Kaduna hit again as market attack leaves 14 dead", "Gunmen struck again at dawn, killing 14.",
                    NOW + 15 * HOUR, "plains-tribune")
    assert decide(event, clash({"killed": 14}, regions), struck)[0] is None
