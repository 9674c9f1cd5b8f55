"""Places an on-call chat depends on (issue 11), each as a rule of language: a crossing on the line between two
countries belongs to the line, and the report takes the country the article points at; a build-up is where the
forces are, not the country they face; a country named as its forces' adjective says whose they are; a town
that shares a big foreign region's name is the town only where the article names its country or province."""

from __future__ import annotations

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.compile import RuleSet
from bot.models import Article

RULE = """
- id: violence
  title: Violence
  key: [region]
  when:
    terms: [kill*, shot, ambush*, build-up, massing, deploy*]
- id: violence-in-kosovo
  extends: violence
  title: Violence in Kosovo
  regions: [kosovo]
"""

# our own regions file: a line between two countries is in neither (no `in`); the declined forms of Merdare
# (engine/data/place_names_local.yaml) name a region of this id when there is one
REGIONS = """
regions:
  kosovo-serbia-line:
    names: [administrative line, Merdare]
"""


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return compile_rules(load_rules_text(RULE, regions_text=REGIONS))


def regions(ruleset: RuleSet, title: str, text: str = "") -> dict[str, tuple[str, ...]]:
    found = ruleset.match(Article("wire", title, text))
    assert found, title
    return {m.rule_id: m.regions for m in found}


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # a crossing on the line: the line, then the country the report is about
        ("Kosovo border guard shot dead at Merdare crossing",
         "A Kosovo police officer on duty at the crossing was hit by gunfire overnight, the interior minister said.",
         ("kosovo-serbia-line", "Kosovo")),
        ("Serbian policeman shot dead at Merdare", "Belgrade demanded an investigation.",
         ("kosovo-serbia-line", "Serbia")),
        # forces stand on their own side: the country whose troops the article names first
        ("Serbian troops massing along the administrative line",
         "Kosovo's prime minister said the deployment was a threat to Kosovo.", ("kosovo-serbia-line", "Serbia")),
    ],
)
def test_a_line_between_two_countries_takes_the_country_the_report_is_about(
        ruleset: RuleSet, title: str, text: str, expected: tuple[str, ...]) -> None:
    assert regions(ruleset, title, text)["violence"] == expected


def test_a_rule_narrowed_to_a_country_holds_at_its_crossing(ruleset: RuleSet) -> None:
    found = regions(ruleset, "Kosovo border guard shot dead at Merdare crossing",
                    "A Kosovo police officer was killed at the crossing.")
    assert found["violence-in-kosovo"] == ("kosovo-serbia-line", "Kosovo")
    assert "violence-in-kosovo" not in regions(ruleset, "Serbian policeman shot dead at Merdare",
                                               "Belgrade demanded an investigation.")


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # the country a build-up is near is the one it faces, seen from outside
        ("Washington warns of Serbian military build-up near Kosovo",
         "Serbian forces were deployed along the administrative line with Kosovo, officials said.",
         ("kosovo-serbia-line", "Serbia")),
        ("Russia is massing troops near Ukraine", "Satellite images show new camps.", ("Russia",)),
        # "the line with Kosovo", "the Kosovo boundary": the other side, not where the forces are
        ("Serbia deploys troops along Kosovo boundary", "Army units moved south overnight.", ("Serbia",)),
        # filed from the capital, the report stays in its country: the boundary is the one Serbia's units face
        ("Serbia moves units toward Kosovo boundary", "BELGRADE - The army said units were deployed to positions "
         "near the administrative line with Kosovo after the shooting.", ("Belgrade", "Serbia")),
        # a town of the country is where the forces are
        ("Russian troops massing near Kharkiv", "Columns were seen north of the city.",
         ("Kharkiv", "Kharkiv Oblast", "Ukraine")),
    ],
)
def test_a_build_up_is_where_the_forces_are_not_the_country_they_face(
        ruleset: RuleSet, title: str, text: str, expected: tuple[str, ...]) -> None:
    assert regions(ruleset, title, text)["violence"][-len(expected):] == expected
    assert regions(ruleset, title, text)["violence"][0] == expected[0]


@pytest.mark.parametrize(
    ("title", "text", "country"),
    [
        # "US forces", "Pakistan army": whose forces, as "American forces" would say; the town is the place
        ("US forces kill four insurgents in overnight raid", "The raid took place outside Kandahar, officials said.",
         "Afghanistan"),
        ("Pakistan army says it killed six militants", "The raid was on a hideout outside Herat, a commander said.",
         "Afghanistan"),
        # with no place named, their country is still the place, as its people's name would be
        ("US troops killed in bomb attack, military says", "Two soldiers died, a spokesman said.", "United States"),
    ],
)
def test_a_country_named_as_its_forces_adjective_says_whose_they_are(
        ruleset: RuleSet, title: str, text: str, country: str) -> None:
    assert regions(ruleset, title, text)["violence"][-1] == country


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # Bali of Cameroon, where the article names Cameroon's North-West region
        ("Separatists ambush gendarmes near Bali",
         "Fighters ambushed a patrol on the road from Bali to Bamenda (North-West region), killing two gendarmes.",
         ("Bali", "Northwest Region", "Cameroon")),
        ("Separatists kill two gendarmes in Bali, Cameroon", "", ("Bali", "Northwest Region", "Cameroon")),
        # alone, the name is the big region's
        ("Gunmen kill three tourists in Bali", "Police said the attackers fled on motorbikes.",
         ("Bali", "Nusa Tenggara", "Indonesia")),
        # a people's name is not the town's country named: Bali stays Indonesia's
        ("Cameroonian tourist killed in Bali", "Police said the attackers fled.",
         ("Bali", "Nusa Tenggara", "Indonesia")),
    ],
)
def test_a_town_sharing_a_foreign_regions_name_needs_its_country_named(
        ruleset: RuleSet, title: str, text: str, expected: tuple[str, ...]) -> None:
    assert regions(ruleset, title, text)["violence"] == expected
