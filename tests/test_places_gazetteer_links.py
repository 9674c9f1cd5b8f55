"""A town's province and country, whenever GeoNames knows them (issue 12, the ninth stream's largest class of splits):
GeoNames names its first-level groups as towns do ("Belgorod", "Northern Darfur") where ISO and the news write
"Belgorod Oblast", "North Darfur", and Russia's and Ukraine's official names are adjectives ("Chelyabinskaya
oblast'"); an Arabic town's article is written "Al", "El" or "Ad" as each outlet likes. And two names that are no
mention of a place: the seat of a government ("Authorities in Bamako have given no toll") and a land that names an
armed group's branch ("Islamic State Sahel Province"). Headlines and texts are ours."""

from __future__ import annotations

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.compile import RuleSet
from bot.engine.worldbuild import adjective_of, core_name
from bot.models import Article

RULE = """
- id: violence
  title: Violence
  key: [region]
  when:
    terms: [kill*, attack*, ambush*, shell*, strike*, blast, drone*]
"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return compile_rules(load_rules_text(RULE))


def where(ruleset: RuleSet, title: str, text: str = "") -> tuple[str, ...]:
    found = ruleset.match(Article("wire", title, text))
    assert found, title
    return found[0].regions


def test_a_divisions_core_name_leaves_out_the_word_for_its_kind_and_reads_compass_adjectives_as_nouns() -> None:
    assert core_name("Bryansk Oblast") == core_name("Bryansk") == "bryansk"
    assert core_name("Northern Darfur") == core_name("North Darfur") == "north darfur"
    assert core_name("Northern State") == core_name("Northern") == "north"
    assert core_name("Adygeya, Respublika") == "adygeya"
    assert core_name("Region") == ""   # nothing but a kind word: no core to link by
    assert core_name("Kandahar") == "kandahar"


def test_an_official_adjectival_name_is_its_towns_name_with_a_short_ending() -> None:
    cores = {("RU", "chelyabinskaya"): {"RU-CHE"}, ("RU", "belgorodskaya"): {"RU-BEL"}, ("UA", "kharkivska"): {"UA-63"},
             ("RU", "kurganskaya"): {"RU-KGN"}}
    assert adjective_of("RU", "chelyabinsk", cores) == {"RU-CHE"}
    assert adjective_of("RU", "belgorod", cores) == {"RU-BEL"}
    assert adjective_of("UA", "kharkiv", cores) == {"UA-63"}
    assert adjective_of("UA", "belgorod", cores) == set()   # another country's division
    assert adjective_of("RU", "kur", cores) == set()   # too short to be a name
    assert adjective_of("RU", "chelyabinskaya", cores) == set()   # the same word is no adjective of it


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # GeoNames' groups named as towns are ("Belgorod", "Brjansk", "Northern Darfur", "Donetsk"): before 8 December
        # 2026 these towns carried their country only
        ("Drone hits minibus near Shebekino, killing two", "", ("Shebekino", "Belgorod Oblast", "Russia")),
        ("Drone strike on bus station in Bryansk kills one", "", ("Bryansk", "Bryansk Oblast", "Russia")),
        ("Shelling of El Fasher market kills 11", "", ("El Fasher", "North Darfur", "Sudan")),
        ("Missile strike on Kramatorsk kills four", "", ("Kramatorsk", "Donetsk Oblast", "Ukraine")),
        # an official adjectival name ("Chelyabinskaya oblast'"), linked by its town
        ("Blast at Chelyabinsk plant kills three", "", ("Chelyabinsk", "Chelyabinskaya oblast'", "Russia")),
    ],
)
def test_a_town_lies_in_the_province_geonames_files_it_under(ruleset: RuleSet, title: str, text: str,
                                                               expected: tuple[str, ...]) -> None:
    assert where(ruleset, title, text) == expected


def test_an_arabic_towns_article_is_read_in_any_of_its_spellings(ruleset: RuleSet) -> None:
    # GeoNames writes "El Obeid"; its alternates "Al Ubayyid", "Al Ubayd": the article and the short vowels differ
    assert where(ruleset, "Al-Ubayyid residents flee as shells kill three near the market")[0] == "El Obeid"
    assert where(ruleset, "Shelling of Al Ubayd kills three")[-1] == "Sudan"
    assert where(ruleset, "Gunmen kill two in Ad Diwaniyah")[0] == "Al Diwaniyah"
    # the article alone is not the name: a town spelt with other consonants is another town
    assert where(ruleset, "Gunmen kill two in Al Obeidiya, Sudan")[0] != "El Obeid"


def test_authorities_in_a_capital_speak_for_the_government_and_do_not_place_the_attack(ruleset: RuleSet) -> None:
    text = ("The rebel alliance said an army drone killed 19 civilians at the Anefif market. Authorities in Bamako "
            "have given no toll.")
    assert where(ruleset, "Rebels say army drone killed 19 at Anefif market", text) == ("Mali",)
    # the capital struck is the place
    assert where(ruleset, "Car bomb kills six in Bamako", "The blast hit a checkpoint in Bamako on Friday.")[0] == \
        "Bamako"


def test_a_land_naming_an_armed_groups_branch_is_no_mention_of_that_land(ruleset: RuleSet) -> None:
    found = ruleset.match(Article(
        "wire", "Islamic State Sahel claims attack on Nigerien patrol",
        "Islamic State's Sahel Province said its fighters killed 30 soldiers in an attack near Tillia."))
    assert found and found[0].regions == ("Niger",)
    assert "Sahel" not in found[0].mentioned
    # the Sahel region of Burkina Faso, named as a place, is one
    assert where(ruleset, "Gunmen kill five in Burkina Faso's Sahel region")[0] == "Sahel"
