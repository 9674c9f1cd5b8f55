"""Places: the world gazetteer, names several places share, and where the event happened."""

from __future__ import annotations

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.compile import RuleSet
from bot.engine.regions import slug
from bot.models import Article, Match

RULE = """
id: violence
title: Violence
key: [region]
when:
  terms: [killed, attack*, clash*, fighting, strike*, shot]
"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    # the rule names no region, so every town below comes from the world gazetteer alone
    return compile_rules(load_rules_text(RULE))


def match(ruleset: RuleSet, title: str, text: str = "") -> Match:
    [found] = ruleset.match(Article("wire", title, text))
    return found


def test_a_city_of_a_country_no_rule_names_gets_its_division_and_country(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "A car bomb killed six people at a checkpoint in Aleppo on Tuesday.")
    assert m.regions == ("Aleppo", "Aleppo governorate", "Syria")
    assert m.mentioned == ()


def test_a_province_alone_gives_its_country(ruleset: RuleSet) -> None:
    assert match(ruleset, "", "Two soldiers were killed in Helmand province overnight.").regions == \
        ("Helmand", "Afghanistan")
    # the English name of a division whose official name is Somali ("Jubbada Hoose")
    assert match(ruleset, "", "Militants attacked a base in Lower Juba.").regions == ("Lower Juba", "Somalia")


def test_database_notes_give_town_then_province(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "On 2 May, militia fighters attacked a police post in Kismayo (Kismayo, Lower Juba), "
                           "killing three. Kenyan troops later arrived from Mogadishu.")
    assert m.regions == ("Kismayo", "Lower Juba", "Somalia")
    assert "Mogadishu" in m.mentioned and "Kenya" in m.mentioned
    assert not set(m.regions) & set(m.mentioned)


def test_dateline_wins_over_a_later_mention(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "BAGHDAD (Reuters) - A roadside bomb killed four police officers on Monday. "
                           "The interior minister later flew to Amman for talks.")
    assert m.regions[0] == "Baghdad" and m.regions[-1] == "Iraq"
    assert "Jordan" in m.mentioned


def test_dateline_is_refined_by_the_lead_within_its_country(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "KABUL, Afghanistan (AP) - Gunmen attacked a checkpoint in Kandahar, killing two, "
                           "officials in Kabul said.")
    assert slug(m.regions[0]) == "kandahar" and m.regions[-1] == "Afghanistan"   # GeoNames writes Kandahār
    assert "Kabul" in m.mentioned


def test_an_actors_nationality_is_not_the_place(ruleset: RuleSet) -> None:
    m = match(ruleset, "French drone strikes convoy near Gao",
              "The strike killed five fighters, a spokesman for the French army said.")
    assert m.regions[0] == "Gao" and "Mali" in m.regions
    assert "France" not in m.regions and "France" in m.mentioned
    assert m.key.endswith("region=Mali")


def test_a_nationality_alone_is_the_place_when_nothing_else_is_named(ruleset: RuleSet) -> None:
    assert match(ruleset, "", "Somali forces killed three militants overnight.").regions == ("Somalia",)


def test_georgia_the_country_unless_the_article_is_about_the_us_state(ruleset: RuleSet) -> None:
    assert match(ruleset, "", "Clashes in Georgia left two border guards dead, Tbilisi said.").regions == \
        ("Georgia",)
    m = match(ruleset, "", "A gunman shot two people in Atlanta, Georgia, on Sunday.")
    assert m.regions == ("Atlanta", "Georgia", "United States")
    assert m.mentioned == ()   # the state, not the country


def test_paris_france_unless_texas_is_named(ruleset: RuleSet) -> None:
    assert match(ruleset, "", "A knife attack in Paris killed one.").regions[-1] == "France"
    m = match(ruleset, "", "A shooting in Paris, Texas, killed one man.")
    assert m.regions[0] == "Paris" and m.regions[-1] == "United States"
    assert "France" not in m.regions and "France" not in m.mentioned


def test_jordan_the_country(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "Two smugglers were killed in a clash on the border with Jordan, the army said.")
    assert m.regions == ("Jordan",)


def test_a_town_inside_a_longer_local_name_is_not_that_town(ruleset: RuleSet) -> None:
    # "Adan" is an alternate name of Aden (Yemen); here it starts the name of a Somali town
    m = match(ruleset, "", "Fighters attacked Adan Yabaal town (Adan Yabaal, Middle Shabelle), killing two.")
    assert m.regions[-1] == "Somalia"


def test_headline_locative_comes_first(ruleset: RuleSet) -> None:
    m = match(ruleset, "Gunmen killed four in Kandahar", "Afghan officials in Kabul blamed the Taliban.")
    assert slug(m.regions[0]) == "kandahar"
    assert "Kabul" in m.mentioned


def test_forces_sent_into_a_country_are_placed_there_not_at_home(ruleset: RuleSet) -> None:
    m = match(ruleset, "Turkey sends more troops into Syria after strike killed soldiers",
              "A convoy of commandos crossed the border on Sunday.")
    assert slug(m.regions[-1]) == "syria"
    assert "Turkey" in m.mentioned


def test_region_condition_still_holds_on_any_mention() -> None:
    rs = compile_rules(load_rules_text("id: r\ntitle: R\nwhen:\n  regions: [france]\n"))
    [m] = rs.match(Article("wire", "French drone strikes convoy near Gao", ""))
    assert m.regions[-1] == "Mali" and m.mentioned == ("France",)
    assert not rs.match(Article("wire", "Convoy struck near Gao", ""))


# Reports that name only a village, or a village whose name a foreign town shares: the country
# comes from the actors and local units they name, and from the divisions named beside the village.

def test_a_report_naming_only_forces_and_a_village_gets_the_forces_country(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "On 4 June, Danab commandos fought al-Shabaab fighters at Buulo Xaaji hamlet; "
                           "five fighters were killed.")
    assert m.regions == ("Somalia",)


def test_a_local_unit_written_in_lower_case_names_its_country(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "A farmer was killed in a clash between two families over a pond at a village "
                           "of Dhalbari upazila on Friday.")
    assert m.regions == ("Bangladesh",)
    # a town the gazetteer knows is more precise still
    m = match(ruleset, "", "A farmer was killed in a clash over a pond in Ramganj upazila on Friday.")
    assert m.regions[-1] == "Bangladesh" and len(m.regions) == 3


def test_a_place_named_beats_the_country_of_a_group_active_elsewhere(ruleset: RuleSet) -> None:
    # al-Shabaab is listed under Somalia; the Kenyan county named in the report wins
    m = match(ruleset, "", "Suspected al-Shabaab gunmen attacked a bus in Mandera county, killing four passengers.")
    assert m.regions[-1] == "Kenya"
    assert "Somalia" in m.mentioned


def test_a_town_name_joined_to_a_longer_local_name_is_not_that_town(ruleset: RuleSet) -> None:
    # Qala is a Maltese council and Saraj a Macedonian town: here both are parts of Afghan names
    m = match(ruleset, "", "Gunmen killed two guards in Qala-i-Nau of Andar district, Ghazni.")
    assert m.regions == ("Ghazni", "Afghanistan")
    m = match(ruleset, "", "A roadside bomb killed three police officers in Nahri Saraj district, Helmand.")
    assert m.regions == ("Helmand", "Afghanistan")
    assert "Saraj" not in m.regions and "North Macedonia" not in m.mentioned


def test_a_division_named_with_the_village_outweighs_a_foreign_town_of_its_name(ruleset: RuleSet) -> None:
    # the only Kaliganj the gazetteer knows is in Bangladesh; the report says West Bengal
    m = match(ruleset, "", "Two men died when rival groups clashed in Kaliganj in West Bengal's Nadia district.")
    assert m.regions == ("West Bengal", "India")


def test_a_small_namesake_near_a_town_does_not_move_a_capital(ruleset: RuleSet) -> None:
    # an Indian village called Dhaka lies near Hazaribagh, an Indian city; here Hazaribagh is the
    # Dhaka quarter and the capital of Bangladesh is meant
    m = match(ruleset, "", "A student leader was shot dead in Dhaka on Monday, near the Hazaribagh tanneries.")
    assert m.regions[-1] == "Bangladesh"


def test_a_dateline_yields_to_the_place_the_lead_puts_the_event_in_even_abroad(ruleset: RuleSet) -> None:
    # correspondents file from a neighbour's capital
    m = match(ruleset, "Four officers killed in ambush",
              "BELGRADE (Reuters) - Four police officers were killed in an ambush in northern Kosovo on "
              "Monday.")
    assert m.regions[-1] == "Kosovo"
    m = match(ruleset, "Attack on base", "NAIROBI, Kenya (AP) - Militants attacked a base in Lower Shabelle on "
                                         "Sunday, killing five soldiers.")
    assert m.regions == ("Lower Shabelle", "Somalia")


NARROWED = """
- id: violence
  title: Violence
  when:
    terms: [killed, attack*, clash*]
- id: violence-in-kosovo
  extends: violence
  title: Violence in Kosovo
  regions: [kosovo]
- id: any-kosovo-mention
  title: Kosovo named
  when:
    all:
      - terms: [killed]
      - regions: [kosovo]
"""


def test_a_rule_narrowed_to_a_region_holds_where_the_event_happened_not_where_it_was_mentioned() -> None:
    rules = compile_rules(load_rules_text(NARROWED))
    abroad = Article("wire", "Gunmen kill four soldiers near Afgooye",
                     "Gunmen killed four soldiers near Afgooye on Monday. Kosovo's envoy in Mogadishu condemned it.")
    # a region named in `when:` holds on any mention; a rule's own `regions:` narrows as a subscription does
    assert sorted(m.rule_id for m in rules.match(abroad)) == ["any-kosovo-mention", "violence"]
    home = Article("wire", "Officer killed in Banjska", "A police officer was killed in a shoot-out in Banjska.")
    assert sorted(m.rule_id for m in rules.match(home)) == ["any-kosovo-mention", "violence", "violence-in-kosovo"]


@pytest.mark.parametrize(
    ("title", "text", "regions"),
    [
        # a people's adjective before "border" names the edge of that country, seen from outside it
        ("Raid on army post kills 9", "Fighters on motorbikes killed nine soldiers at a post on Sunday and escaped "
         "towards the Malian border.", ()),
        ("Patrol ambushed", "Four soldiers were killed when their patrol was ambushed near the Nigerien frontier.", ()),
        # a town the text puts the event in still places it, the border adjective aside
        ("Ambush near Gao", "Gunmen killed five soldiers near Gao and fled towards the Algerian border.",
         ("Gao", "Gao region", "Mali")),
        # a people's name that is no border's still places an article naming no place
        ("Somali forces attacked", "Somali forces were attacked at dawn and six soldiers were killed.", ("Somalia",)),
        # a country named only as the edge faced: the people named says which side of it the event is on
        ("", "Militants attacked a checkpoint near the border with Afghanistan, killing 10 soldiers, the Pakistan "
         "army said.", ("Pakistan",)),
        ("Border post raided", "Gunmen stormed a post close to Tajikistan overnight, and three Kyrgyz guards were "
         "killed.", ("Kyrgyzstan",)),
        # with no people named, the edge is all the article gives
        ("", "Smugglers were shot dead in a clash on the border with Iraq before dawn.", ("Iraq",)),
    ],
)
def test_a_peoples_adjective_before_border_is_not_where_the_event_happened(
        ruleset: RuleSet, title: str, text: str, regions: tuple[str, ...]) -> None:
    assert match(ruleset, title, text).regions == regions


# --- a town's first-level division, from GeoNames' admin1 groups (issue 12, eighth round) -----------------------

def test_towns_lie_in_the_division_geonames_puts_them_in_not_a_namesake() -> None:
    from bot.engine.regions import world

    parents = {c.name: c.parent for c in world().cities if c.name in ("Beni", "Peshawar", "Buenos Aires", "Vientiane")
               and c.parent and c.parent.startswith("div:")}
    assert parents["Beni"] == "div:cd-nk"              # North Kivu, though no town is called North Kivu
    assert parents["Peshawar"] == "div:pk-kp"          # Khyber Pakhtunkhwa
    assert parents["Buenos Aires"] == "div:ar-c"       # the autonomous city, not the province of its name
    assert parents["Vientiane"] == "div:la-vt"         # the prefecture, not the province of its name


def test_a_town_named_alone_places_the_event_in_its_province_too(ruleset: RuleSet) -> None:
    m = match(ruleset, "", "Rebels killed eleven farmers on a road outside Beni on Friday, local leaders said.")
    assert m.regions == ("Beni", "North Kivu", "Democratic Republic of the Congo")


def test_the_build_links_a_group_by_its_own_name_only_when_one_division_and_one_group_have_it() -> None:
    from bot.engine.worldbuild import link_by_group_names

    by_name = {("XA", "north ridge"): {"XA-NR"}, ("XA", "east plain"): {"XA-EP"},
               ("XA", "lakes"): {"XA-LK", "XA-LS"}}   # two divisions share "Lakes": it names neither
    names = {("XA", "01"): "North Ridge", ("XA", "02"): "East-Plain", ("XA", "03"): "Lakes",
             ("XA", "04"): "Old Province", ("XA", "05"): "Old Province"}
    assert link_by_group_names(names, by_name) == {("XA", "01"): "XA-NR", ("XA", "02"): "XA-EP"}
    # one division named by two groups (a province since split in two) is neither's
    twice = {("XA", "06"): "North Ridge", ("XA", "07"): "North Ridge"}
    assert link_by_group_names(twice, by_name) == {}


def test_the_build_links_the_capitals_group_to_the_capitals_own_division_and_the_last_pair_together() -> None:
    from bot.engine.worldbuild import link_capitals, link_last

    names = {"XA-C": ["Ciudad Capital de Porto Alto"], "XA-P": ["Porto Alto"], "XA-S": ["Serrania"]}
    kinds = {"XA-C": "Capital district", "XA-P": "Province", "XA-S": "Province"}
    capital = {"XA": {"name": "Porto Alto", "admin1code": "07", "alternatenames": []}}
    assert link_capitals(capital, names, kinds, {}) == {("XA", "07"): "XA-C"}   # the capital's kind of the two
    # with the province linked by its own name, the capital's group takes the one division left holding its name
    assert link_capitals(capital, names, {}, {("XA", "01"): "XA-P"}) == {("XA", "07"): "XA-C"}
    groups = {"XA": {"01", "07", "09"}}
    assert link_last(groups, names, {("XA", "01"): "XA-P", ("XA", "07"): "XA-C"}) == {("XA", "09"): "XA-S"}
    assert link_last(groups, names, {("XA", "01"): "XA-P"}) == {}   # two of each left: no guess
