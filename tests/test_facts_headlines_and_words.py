"""Headline-only reports (GDELT and some feeds carry titles only): one victim told the headline's way, the
language of a short English title; and a Serbian word that folds to a number.

The real engine reads our own headlines; the shipped rules decide the matches.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import RuleSet
from bot.engine.facts import extract_facts
from bot.engine.kind import article_kind
from bot.engine.language import detect_language
from bot.models import Article
from tests.conftest import shipped_ruleset

NOW = datetime(2026, 12, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def shipped() -> RuleSet:
    return shipped_ruleset()


@pytest.mark.parametrize(
    ("title", "killed"),
    [
        # a headline drops "a ... was": a noun for one person before the bare participle is one victim
        ("Policeman killed in Mogadishu", 1),
        ("Journalist shot dead in Karachi", 1),
        ("Kandahar policeman shot dead", 1),
        ("Soldier killed in Kandahar blast", 1),
        ("Guard shot dead, two hurt in Peshawar", 1),
        # ...not a plural or a group, which gives no figure
        ("Soldiers killed in Kandahar blast", None),
        ("Gunmen shot dead in Peshawar clash", None),
        # ...and not an active verb with its object: the object is the toll
        ("Soldier killed two militants near Kandahar", 2),
        ("Soldier killed 3 militants near Kandahar", 3),
    ],
)
def test_one_victim_in_a_headline(title: str, killed: int | None) -> None:
    assert extract_facts(title).killed == killed


def test_the_bare_participle_is_read_only_in_the_title() -> None:
    # in the body a bare participle after a noun may start a clause of its own; the reader keeps its old reading
    assert extract_facts("Markets reopen in Kandahar\nThe soldier killed in the blast was buried.").killed is None


@pytest.mark.parametrize(
    "title",
    ["Kandahar policeman shot dead", "Shells hit Omdurman market, killing 15", "Mortar shells hit Mogadishu district",
     "Myanmar earthquake death toll rises above 1,600", "M23 columns head south toward Uvira"],
)
def test_short_english_titles_read_as_english(title: str) -> None:
    # one English word's start or ending ("sh", "-ve", "-it") is no evidence of Albanian
    assert detect_language(title) == "en"


@pytest.mark.parametrize(
    ("title", "language"),
    [("Vritet nje polic ne Prizren", "sq"), ("Qeveria miraton buxhetin", "sq"), ("Kuvendi nuk mblidhet sot", "sq"),
     ("Ruski dronovi napali Odesu, najmanje osam mrtvih", "sr"), ("Policajac ubijen kod Zvecana", "sr")],
)
def test_short_titles_without_diacritics_keep_their_language(title: str, language: str) -> None:
    assert detect_language(title) == language


@pytest.mark.parametrize(
    "title",
    ["Kandahar policeman shot dead", "Journalist shot dead in Karachi", "Soldier killed in Kandahar blast"],
)
def test_a_headline_alone_alerts(shipped: RuleSet, title: str) -> None:
    matches = {m.rule_id: m.facts for m in shipped.match(Article("test", title, "", published=NOW), NOW)}
    assert matches.get("fatal-clash", {}).get("killed") == 1


@pytest.mark.parametrize(
    "title", ["Soldiers killed in blast in Kandahar", "Civilians killed as mortar rounds hit Goma camp"],
)
def test_a_headline_with_deaths_and_a_weapon_but_no_figure_alerts(shipped: RuleSet, title: str) -> None:
    matches = {m.rule_id: m.facts for m in shipped.match(Article("test", title, "", published=NOW), NOW)}
    assert "fatal-clash" in matches and matches["fatal-clash"].get("killed") is None


@pytest.mark.parametrize(
    "title",
    ["Boy killed in Kandahar road accident", "Worker killed in Karachi gas blast", "Farmer killed by lightning",
     "Workers killed in gas blast at Karachi factory", "Miners killed in coal mine explosion",
     "Boiler blast kills workers at plant"],
)
def test_a_headline_alone_keeps_its_negatives(shipped: RuleSet, title: str) -> None:
    assert "fatal-clash" not in {m.rule_id for m in shipped.match(Article("test", title, "", published=NOW), NOW)}


@pytest.mark.parametrize(
    "text",
    ["Napadač je ubio jednog policajca pre nego što je ubijen.",
     "Нападач је убио једног полицајца пре него што је убијен.",
     "Napadac je ubio jednog policajca pre nego sto je ubijen."],
)
def test_serbian_word_for_what_is_no_hundred(text: str) -> None:
    # "što" folds to "sto" (a hundred): the attacker killed an officer before he was killed, two dead
    assert extract_facts("Napad kod Zvečana\n" + text, "sr").killed == 2


@pytest.mark.parametrize("text", ["U napadu je ubijeno sto ljudi.", "У нападу је убијено сто људи."])
def test_serbian_hundred_still_counts(text: str) -> None:
    assert extract_facts("Napad\n" + text, "sr").killed == 100


@pytest.mark.parametrize(
    ("title", "text"),
    [("Shelling of Kharkiv wounds five, no one killed",
      "Shelling wounded five people on Monday, the governor said. Last Saturday two people died in the same district."),
     ("Обстрел Белгорода: пострадали пять человек, погибших нет",
      "При обстреле ранены пять человек. В прошлую субботу при обстреле города погибли два человека."),
     ("Обстріл Сум: поранено шестеро, загиблих немає",
      "Поранено шестеро людей. Напередодні внаслідок удару по громаді загинули двоє людей."),
     ("Napad na patrolu kod Jarinja, nema mrtvih",
      "Ranjena su dva policajca. Prošle nedelje u istom mestu ubijen je čuvar."),
     ("Sulm ndaj patrullës në Jarinjë, pa viktima", "U plagosën dy policë. Javën e kaluar atje u vra një roje.")],
)
def test_a_headline_saying_nobody_died_is_no_fatal_clash(shipped: RuleSet, title: str, text: str) -> None:
    # the deaths the text tells are another day's: the report of today's shelling is not a fatal clash
    assert "fatal-clash" not in {m.rule_id for m in shipped.match(Article("test", title, text, published=NOW), NOW)}


def test_a_headline_with_its_dead_and_others_unhurt_still_alerts(shipped: RuleSet) -> None:
    title = "Two soldiers killed in ambush near Kidal; no civilian casualties"
    text = "Two soldiers were killed when gunmen ambushed a patrol near Kidal, the army said."
    assert "fatal-clash" in {m.rule_id for m in shipped.match(Article("test", title, text, published=NOW), NOW)}


@pytest.mark.parametrize(
    ("title", "killed"),
    [("No one killed in morning attack; evening ambush kills 4 soldiers near Tillaberi", 4),
     ("Second blast kills 5 in Kabul after the first caused no deaths", 5),
     ("Nobody killed as rocket hits Kyiv; strike on Kharkiv kills 2", 2),
     ("Soldiers kill 12 militants in raid, no one killed among civilians", 12),
     ("Army kills 20 insurgents, suffers no casualties", 20),
     ("Обстрел Киева: погибших нет; в Харькове при ударе погибли двое", 2),
     ("Удар по Сумах: загинули троє, у Києві загиблих немає", 3)],
)
def test_a_negation_about_another_attack_or_side_keeps_the_headlines_own_dead(shipped: RuleSet, title: str,
                                                                              killed: int) -> None:
    # "nobody died" negates one attack or one side; the headline's own toll is still news
    matches = {m.rule_id: m for m in shipped.match(Article("test", title, "", published=NOW), NOW)}
    assert "fatal-clash" in matches, title
    assert matches["fatal-clash"].facts["killed"] == killed


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [("Blast at memorial service kills five in Kabul",
      "A bomb went off among mourners at a memorial service in western Kabul on Friday, killing five people.", "news"),
     ("Gunman kills three in court shooting in Lagos",
      "A gunman opened fire inside a magistrates' court in Lagos on Monday, killing three people, officials said.",
      "news"),
     # ...while a verdict over an old shooting and a memorial of old dead stay what they are
     ("Trial of gunman over 2019 shooting that killed three opens in Lagos",
      "The man accused of a 2019 shooting in which three people were killed went on trial in Lagos.", "trial"),
     ("Memorial held for five killed in Kabul ambush",
      "Families gathered on Friday to remember five soldiers killed in an ambush near Kabul last year.",
      "anniversary")],
)
def test_a_headline_toll_in_words_makes_an_attack_on_a_memorial_or_a_court_news(
        shipped: RuleSet, title: str, text: str, kind: str) -> None:
    assert article_kind(title, text, NOW) == kind
    alerts = kind == "news"
    fired = "fatal-clash" in {m.rule_id for m in shipped.match(Article("test", title, text, published=NOW), NOW)}
    assert fired == alerts
