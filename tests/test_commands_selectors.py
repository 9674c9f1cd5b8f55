"""`/subscribe` selectors and regions, parsed against rules, without Telegram."""

from __future__ import annotations

import re

import pytest

from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.engine.regions import place_key, slug
from bot.routing import region_key
from bot.telegram.selectors import (
    SelectionError,
    describe,
    parse_regions,
    parse_selector,
    parse_subscription,
    unsubscribe_selector,
)

RULES = """
- id: fatal-clash
  title: Fatal armed clash
  tags: [conflict, Casualties]
  when: {terms: [ambush]}
- id: conflict-watch
  title: A rule whose id is also a word
  tags: [watch]
  when: {terms: [skirmish]}
- id: kosovo-unrest
  title: Unrest in Kosovo
  tags: [balkans]
  when: {all: [{terms: [protest]}, {regions: [kosovo]}]}
"""
REGIONS = """
regions:
  north-kosovo:
    names: [Banjska, Zvečan]
    in: kosovo
"""


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return compile_rules(load_rules_text(RULES, regions_text=REGIONS))


def test_selectors_rule_tag_and_all(rules: RuleSet) -> None:
    assert parse_selector("fatal-clash", rules) == "fatal-clash"
    assert parse_selector("Fatal-Clash", rules) == "fatal-clash"
    assert parse_selector("ALL", rules) == "all"
    assert parse_selector("tag:conflict", rules) == "tag:conflict"
    assert parse_selector("conflict", rules) == "tag:conflict"            # a bare tag, stored as tag:<tag>
    assert parse_selector("casualties", rules) == "tag:Casualties"        # spelt as the rules spell it
    assert parse_selector("conflict-watch", rules) == "conflict-watch"    # a rule id wins over nothing


def test_unknown_selectors_get_a_hint(rules: RuleSet) -> None:
    unknown = "Unknown rule or tag <code>fatal-clsh</code>. Did you mean 'fatal-clash'?"
    with pytest.raises(SelectionError, match=re.escape(unknown)):
        parse_selector("fatal-clsh", rules)
    with pytest.raises(SelectionError, match=re.escape("No rule has the tag <code>conflit</code>. Did you mean "
                                                       "'conflict'?")):
        parse_selector("tag:conflit", rules)
    with pytest.raises(SelectionError, match="Did you mean 'balkans'"):
        parse_selector("balkan", rules)


def test_regions_by_name_slug_code_and_several_words(rules: RuleSet) -> None:
    book = rules.book
    assert parse_regions(["Kosovo"], book) == ("kosovo",)
    assert parse_regions(["north-kosovo", "KOSOVO"], book) == ("north-kosovo", "kosovo")
    assert parse_regions(["North", "Kosovo"], book) == ("north-kosovo",)
    assert parse_regions(["xk"], book) == ("kosovo",)                       # an ISO code
    assert parse_regions(["Bosnia", "and", "Herzegovina", "serbia"], book) == ("bosnia-and-herzegovina", "serbia")
    assert parse_regions(["kosovo,", "serbia"], book) == ("kosovo", "serbia")
    assert parse_regions(["kosovo", "kosovo"], book) == ("kosovo",)
    assert parse_regions([], book) == ()


def test_a_place_and_its_country_as_replies_show_them(rules: RuleSet) -> None:
    book = rules.book
    assert parse_regions(["Georgia,", "United", "States"], book) == ("us-ga",)     # the state, not two regions
    assert parse_regions(["Georgia"], book) == ("georgia",)                         # the country, as before
    assert parse_regions(["kosovo,", "serbia"], book) == ("kosovo", "serbia")      # two countries stay two
    # a compass word alone is no region: not Cameroon's North division beside Kosovo
    with pytest.raises(SelectionError, match=re.escape("Did you mean <code>north-kosovo</code>")):
        parse_regions(["Kosovo", "north"], book)
    # a name one of the rules' regions lists points at that region (here Banjska, in north-kosovo)
    with pytest.raises(SelectionError, match=re.escape("Unknown region <code>Banjska</code>. Did you mean "
                                                       "<code>north-kosovo</code>")):
        parse_regions(["Banjska"], book)


def test_unknown_region_gets_a_hint(rules: RuleSet) -> None:
    with pytest.raises(SelectionError, match=re.escape("Unknown region <code>kosvo</code>. Did you mean 'kosovo'?")):
        parse_regions(["kosvo"], rules.book)
    assert parse_regions(["atlantis"], rules.book, strict=False) == ("atlantis",)   # /unsubscribe is lenient


def test_towns_of_countries_the_rules_name(rules: RuleSet) -> None:
    [town] = [r for r in rules.book.regions.values() if r.kind == "city" and r.name.startswith("Prizren")][:1]
    assert parse_regions([town.name.upper()], rules.book) == (place_key(town.id),)   # `city:<GeoNames id>`


def test_parse_subscription(rules: RuleSet) -> None:
    selection = parse_subscription(["conflict", "north", "kosovo"], rules)
    assert (selection.selector, selection.regions) == ("tag:conflict", ("north-kosovo",))
    with pytest.raises(SelectionError, match="Name a rule, a tag or"):
        parse_subscription([], rules)


def test_unsubscribe_finds_what_the_chat_has(rules: RuleSet) -> None:
    assert unsubscribe_selector("conflict", rules, {"tag:conflict"}) == "tag:conflict"
    assert unsubscribe_selector("old-rule", rules, {"old-rule"}) == "old-rule"        # no longer in the rules
    assert unsubscribe_selector("gone-tag", rules, {"tag:gone-tag"}) == "tag:gone-tag"
    assert unsubscribe_selector("fatal-clash", rules, set()) == "fatal-clash"


def test_describe() -> None:
    assert describe("all") == "all rules"
    assert describe("tag:conflict", ("kosovo", "serbia")) == "rules tagged <code>conflict</code> in kosovo; serbia"
    assert describe("a&b") == "<code>a&amp;b</code>"


@pytest.mark.parametrize("name", ["Kosovo", "north-kosovo", "Zvečan", "Bosnia and Herzegovina", "Côte d'Ivoire",
                                  "  São Tomé  "])
def test_store_folds_regions_like_the_engine(name: str) -> None:
    assert region_key(name) == slug(name)


def test_names_people_use_for_countries(rules: RuleSet) -> None:
    book = rules.book
    assert parse_regions(["Bosnia"], book) == ("bosnia-and-herzegovina",)
    assert parse_regions(["the", "Gaza", "Strip"], book) == ("palestine",)
    assert parse_regions(["UK,", "USA,", "Burma,", "Ivory", "Coast"], book) == (
        "united-kingdom", "united-states", "myanmar", "ivory-coast")
    assert parse_regions(["DRC", "Congo"], book) == ("democratic-republic-of-the-congo",)   # Congo alone: the DRC
    assert parse_regions(["Congo-Brazzaville"], book) == ("republic-of-the-congo",)


def test_a_name_two_countries_share_is_refused_with_the_reason(rules: RuleSet) -> None:
    with pytest.raises(SelectionError, match=re.escape("'korea' is ambiguous: North and South Korea are both "
                                                       "called Korea: write 'north-korea' or 'south-korea'")):
        parse_regions(["korea"], rules.book)


def test_regions_are_kept_by_key_and_shown_by_name(rules: RuleSet) -> None:
    # the US state and the country share a name, never a key
    assert parse_regions(["us-ga"], rules.book) == ("us-ga",)
    assert parse_regions(["Georgia"], rules.book) == ("georgia",)
    assert describe("fatal-clash", ("us-ga", "georgia", "north-kosovo"), rules.book) == (
        "<code>fatal-clash</code> in Georgia, United States; Georgia; north-kosovo")
    assert describe("region:us-ga", book=rules.book) == "alerts about <code>Georgia, United States</code>"
    assert describe("fatal-clash", ("gone-region",), rules.book) == "<code>fatal-clash</code> in gone-region"
