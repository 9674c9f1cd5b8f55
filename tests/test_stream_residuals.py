"""Places and tolls that split follow-ups from their incident (issue 12, sixth round), each as the general
reporting rule it is: a province below the first level, a town spelt without its romanisation's marks, a
country named as a border or as an actor's base, forces and armed groups that name a country or do not, a
speaker's vague word in quotation marks, an age beside a name. The sentences are ours."""

from __future__ import annotations

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.compile import RuleSet
from bot.engine.facts import extract_facts
from bot.engine.regions import world
from bot.models import Article, Match

RULE = """
id: violence
title: Violence
key: [region]
when:
  terms: [killed, attack*, clash*, fighting, ambush*, died, raid*]
"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    # the rule names no region: every place below comes from the world gazetteer alone
    return compile_rules(load_rules_text(RULE))


def match(ruleset: RuleSet, title: str, text: str = "") -> Match:
    [found] = ruleset.match(Article("wire", title, text))
    return found


# --- places -------------------------------------------------------------------------------------------

def test_the_gazetteer_holds_second_level_divisions_inside_their_first_level_one() -> None:
    by_id = {d.id: d for d in world().divisions}
    province = by_id["div:ph-mgn"]
    assert province.name == "Maguindanao del Norte"
    assert province.parent == "div:ph-14"          # in the Bangsamoro region, which is in the Philippines
    assert by_id["div:ph-14"].parent == "philippines"


def test_a_province_below_the_first_level_places_the_event_with_its_region_and_country(ruleset: RuleSet) -> None:
    m = match(ruleset, "Three marines die in raid on camp in Maguindanao del Norte",
              "Three marines died when armed men raided their camp before dawn, the navy said.")
    assert m.regions[0] == "Maguindanao del Norte"
    assert m.regions[-1] == "Philippines"
    assert len(m.regions) == 3


def test_a_burkinabe_province_named_alone_gives_burkina_faso(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "Eleven auxiliaries were killed in an ambush in Loroum province on Sunday.")
    assert m.regions[0] == "Loroum"
    assert m.regions[-1] == "Burkina Faso"


def test_a_persian_va_name_is_found_written_with_and_or_a_hyphen(ruleset: RuleSet) -> None:
    # ISO writes "Sīstān va Balūchestān"; English news writes "Sistan-Baluchestan" or "Sistan and Baluchestan"
    hyphen = match(ruleset, "", "Four guards were killed near Zahedan in Sistan-Baluchestan overnight.")
    assert hyphen.regions == ("Zahedan", "Sistan and Baluchestan", "Iran")
    spelt = match(ruleset, "", "Two policemen were killed in Sistan and Baluchestan on Friday.")
    assert spelt.regions == ("Sistan and Baluchestan", "Iran")


def test_three_letter_second_level_names_are_left_out_as_words() -> None:
    names = {n.lower() for d in world().divisions if d.id.startswith("div:fr-") for n in d.names}
    assert "ain" not in names and "var" not in names and "lot" not in names


def test_a_town_is_found_spelt_without_its_romanisations_apostrophe(ruleset: RuleSet) -> None:
    # GeoNames writes Nek'emte with the ejective's apostrophe; the news writes Nekemte
    m = match(ruleset, "", "Five traders were killed on the road outside Nekemte on Monday, residents said.")
    assert m.regions[-1] == "Ethiopia"
    assert m.regions[0].startswith("Nek")


def test_a_long_u_is_found_written_oo_in_south_asian_english(ruleset: RuleSet) -> None:
    # GeoNames' Mahbūbnagar folds to "mahbubnagar"; Indian papers write Mahboobnagar
    m = match(ruleset, "", "Two guards were killed in an attack on a bank in Mahboobnagar late on Sunday.")
    assert m.regions[-1] == "India"


def test_a_country_named_as_its_border_is_not_where_the_event_happened(ruleset: RuleSet) -> None:
    m = match(ruleset, "Raiders kill four customs officers near Chad border",
              "Armed men attacked a customs post outside Maiduguri overnight, killing four officers.")
    assert m.regions[-1] == "Nigeria"
    assert "Chad" in m.mentioned


def test_a_country_an_actor_is_based_in_is_not_where_the_event_happened(ruleset: RuleSet) -> None:
    m = match(ruleset, "Capital blames fighters based in Niger for deadly raid",
              "Nine herders were killed in a raid on a camp near Kidal, the governor said.")
    assert m.regions[-1] == "Mali"


def test_iran_s_own_forces_and_a_group_that_fights_them_name_iran(ruleset: RuleSet) -> None:
    m = match(ruleset, "Militant group says it killed four guards",
              "The group said its fighters had killed four members of the Revolutionary Guards in a night raid.")
    assert m.regions == ("Iran",)


def test_a_group_active_across_several_countries_names_none_of_them(ruleset: RuleSet) -> None:
    # JNIM fights in Mali, Burkina Faso, Niger and beyond: its name alone does not place an attack
    m = match(ruleset, "JNIM says it killed soldiers in ambush",
              "JNIM said on its channels that its fighters killed 14 soldiers in an ambush on a patrol.")
    assert m.regions == ()


# --- tolls --------------------------------------------------------------------------------------------

def test_a_quoted_vague_word_is_the_speakers_not_a_count_added_to_figures() -> None:
    facts = extract_facts("Rebels say battle cost them eight fighters\nA rebel spokesman said eight of its "
                          "fighters died in the battle and that 'hundreds' of soldiers were killed.")
    assert facts.killed == 8


def test_a_quoted_vague_word_stands_for_the_dead_when_the_report_has_no_figure() -> None:
    facts = extract_facts("Battle in the hills\nA rebel spokesman said \u2018dozens\u2019 of soldiers were killed.")
    assert facts.killed == 12


def test_a_quoted_vague_word_told_first_gives_way_to_a_later_figure() -> None:
    facts = extract_facts("Battle in the hills\nThe commander said \"scores\" of soldiers were killed. The army "
                          "said five of its men were killed.")
    assert facts.killed == 5


def test_an_unquoted_vague_word_still_adds_to_another_side() -> None:
    facts = extract_facts("Clash in the hills\nDozens of soldiers were killed and five rebels died.")
    assert facts.killed == 17


def test_an_age_beside_a_name_is_never_a_toll() -> None:
    facts = extract_facts("Town buries corporal killed at checkpoint\nHundreds of people attended the burial "
                          "of corporal Mira Hoxha, 41, killed on Monday at a checkpoint.")
    assert facts.killed == 1


def test_a_groups_claim_and_the_officials_lower_toll_give_the_lower() -> None:
    # the conventions: a side's claim about the dead is another account of them; the lowest figure stands
    facts = extract_facts("Rebel group says it killed nine policemen\nThe rebel group said its fighters had "
                          "killed nine policemen at a checkpoint. Officials have given a toll of seven.")
    assert facts.killed == 7


def test_the_dead_of_a_chase_count_with_the_attack_it_ends_all_sides_together() -> None:
    # the chase is told as the end of the same incident: the attack's dead, recalled, and the attackers' dead
    facts = extract_facts("Soldiers chase raiders into hills\nThe army said soldiers were pursuing the raiders who "
                          "killed 12 farmers on Monday night. An officer said three raiders had been killed in the "
                          "chase.")
    assert facts.killed == 15


def test_a_crowd_of_mourners_is_not_the_dead() -> None:
    # "Thousands mourn ...": the figure is the subject of the crowd's own verb, not of "killed"
    assert extract_facts("Thousands mourn two rangers killed by poachers\nThe park held a service.").killed == 2
    # one ranger: the headline's singular victim, or no figure at all, but never the hundred mourners
    assert extract_facts("Hundreds mourn ranger killed by poachers\nThe park held a service.").killed in (None, 1)


def test_a_vague_crowd_still_counts_when_it_is_the_dead() -> None:
    facts = extract_facts("Hundreds of fighters killed\nHundreds of fighters were killed in the offensive.")
    assert facts.killed == 100
