"""A user audit's toll and build-up findings (A4, issues 11 and 15), each on the shipped rules and our own
sentences: what a report of an incident is and what is background to it (docs/rules.md, docs/languages.md)."""

from __future__ import annotations

import pytest

from bot.engine.facts import extract_facts
from bot.models import Article
from tests.conftest import shipped_ruleset


def clash_rules(title: str, text: str = "") -> list[str]:
    return [m.rule_id for m in shipped_ruleset().match(Article("test", title, text)) if "fatal-clash" in m.rule_id]


@pytest.mark.parametrize("title", [
    "Two police officers killed in Zvečan",
    "Ubijena dvojica policajaca u Zvečanu",
    "Убијена двојица полицајаца у Звечану",
    "Dy policë të vrarë në Zveçan",
    "Двое полицейских убиты в Звечане",
    "Двоє поліцейських убиті у Звечані",
])
def test_a_headline_of_killed_officers_alone_is_a_fatal_clash_in_every_language(title: str) -> None:
    # police and soldiers killed: the headline names the armed side, in whatever language it is written
    assert clash_rules(title) == ["fatal-clash", "kosovo-fatal-clash"]


@pytest.mark.parametrize("title", [
    "Policajac poginuo u saobraćajnoj nesreći kod Zvečana",
    "Полицейский погиб в ДТП под Звечаном",
])
def test_an_officer_dead_in_a_road_accident_is_no_clash(title: str) -> None:
    assert clash_rules(title) == []


@pytest.mark.parametrize("text, killed, wounded", [
    ("Gunmen attack a border post\nA guard was wounded in the attack on Monday. He later died in hospital.", 1, None),
    ("Gunmen attack a border post\nA guard was wounded in the attack and she later died in hospital.", 1, None),
    ("Rebels ambush a convoy\nTwo soldiers were killed and a driver was wounded. He died on Tuesday.", 3, None),
    # more than one group of wounded before "he": which of them died is not plain, so nobody leaves the wounded
    ("Rebels ambush a convoy\nA driver was wounded. Three soldiers were wounded too. He later died.", 1, 4),
    # no pronoun for the wounded one: two people
    ("Rebels ambush a convoy\nA driver was wounded. A passer-by later died in hospital.", 1, 1),
])
def test_a_wounded_person_who_died_is_counted_dead_only(text: str, killed: int, wounded: int | None) -> None:
    facts = extract_facts(text)
    assert (facts.killed, facts.wounded) == (killed, wounded)


@pytest.mark.parametrize("text", [
    "NATO ministers meet\nThe Baltic governments argue that Russia's war in Ukraine, where tens of thousands of "
    "soldiers have been killed, shows the alliance must spend more on defence.",
    "Peace talks resume\nThe civil war, in which some 300,000 people have died, enters its tenth year this week.",
])
def test_the_dead_of_a_relative_clause_on_a_war_are_the_wars_toll(text: str) -> None:
    assert extract_facts(text).killed is None
    title, body = text.split("\n")
    assert clash_rules(title, body) == []


def test_a_relative_clause_of_place_on_an_attack_is_still_its_toll() -> None:
    text = "Gunmen raid a market\nGunmen attacked a market in the town, where 12 people were killed on Friday."
    assert extract_facts(text).killed == 12


@pytest.mark.parametrize("title, text", [
    ("Pet vojnika poginulo kod Raške",
     "Pet vojnika poginula su u eksploziji mine kod Raške. Nesreća se dogodila tokom vežbe jedinice."),
    ("Пятеро военных погибли под Рашкой",
     "Пятеро военных погибли при взрыве мины под Рашкой. Авария произошла во время учений."),
    ("Pesë ushtarë vdiqën pranë Rashkës",
     "Pesë ushtarë vdiqën nga shpërthimi i një mine pranë Rashkës. Aksidenti ndodhi gjatë një stërvitjeje."),
    ("Five soldiers dead near Raška",
     "Five soldiers died when a mine exploded near Raška. The accident happened during an exercise."),
])
def test_deaths_the_text_calls_an_accident_are_no_clash_in_every_language(title: str, text: str) -> None:
    assert clash_rules(title, text) == []


def test_an_attack_with_an_accident_word_nearby_is_still_a_clash() -> None:
    # "nesreća" (misfortune) near the dead, but an attack told: the deaths are the attack's
    assert clash_rules("Napad na vojnike kod Raške",
                       "Dva vojnika poginula su u napadu kod Raške. Nesreća za porodice.") == ["fatal-clash"]


@pytest.mark.parametrize("text, language", [
    ("Napad na kasarnu u Raški, poginula dva vojnika\nDva vojnika poginula su u napadu na kasarnu kod Raške.", "sr"),
    ("Нападение на казарму, погибли двое военных\nДвое военных погибли при нападении на казарму.", "ru"),
    ("Sulm në kazermë, dy ushtarë të vrarë\nDy ushtarë u vranë në sulmin ndaj kazermës.", "sq"),
])
def test_an_attack_on_a_barracks_moves_no_troops(text: str, language: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.troops_change) == (2, None)


@pytest.mark.parametrize("text, language", [
    ("Vojnici vraćeni u kasarne\nOko 2.000 vojnika vraćeno je u kasarne posle vežbe.", "sr"),
    ("Войска вернулись в казармы\nОколо 2000 военных вернулись в казармы после учений.", "ru"),
    ("Ushtarët u kthyen në kazerma\nRreth 2.000 ushtarë u kthyen në kazerma pas stërvitjes.", "sq"),
])
def test_troops_sent_back_to_barracks_still_decrease(text: str, language: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change) == (2000, "decrease")


def buildup_rules(title: str, text: str) -> list[str]:
    return [m.rule_id for m in shipped_ruleset().match(Article("test", title, text)) if m.rule_id == "troop-buildup"]


def test_the_national_guard_sent_to_protests_at_home_is_no_buildup() -> None:
    assert buildup_rules("Governor deploys National Guard to Atlanta",
                         "Georgia's governor sent 1,000 National Guard troops to Atlanta on Sunday after protests over "
                         "a police shooting turned violent. The troops will patrol downtown streets.") == []


def test_guard_troops_sent_to_a_border_town_are_still_a_buildup() -> None:
    assert buildup_rules("Texas governor sends more Guard troops to Eagle Pass",
                         "The governor sent 500 more National Guard troops to the border city of Eagle Pass, where "
                         "protesters had gathered.") == ["troop-buildup"]


LEAD = ("Militants kill four soldiers in Mali\nFour soldiers were killed on Tuesday when militants attacked an army "
        "post near Mopti, the army said. " + "The army said reinforcements had been sent to the area. " * 6)


@pytest.mark.parametrize("background", [
    "In a similar attack on the same post in 2019, 30 soldiers were wounded.",
    "In a previous suicide attack on the post, 30 soldiers were wounded.",
])
def test_wounded_of_an_earlier_similar_attack_are_not_todays(background: str) -> None:
    facts = extract_facts(LEAD + background)
    assert (facts.killed, facts.wounded) == (4, None)


def test_wounded_told_paragraphs_later_of_this_attack_still_count() -> None:
    facts = extract_facts(LEAD + "Another 12 soldiers were wounded in the attack.")
    assert (facts.killed, facts.wounded) == (4, 12)
