"""Alerts a code review (R2) found lost: a report judged by its writer after its own toll, a new attack years or days
after something that is no attack, a war word inside another subject's phrase, animals counted among the dead, and
sentences that open with a quote of another language. Every sentence here is our own; the engine is the real one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.facts import extract_facts
from bot.engine.kind import article_kind
from bot.engine.lead import lead_text
from bot.models import Article
from tests.conftest import shipped_ruleset

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def fired(title: str, text: str) -> dict[str, dict[str, object]]:
    """The shipped rules that match the article, with the facts each read."""
    article = Article(source="test", title=title, text=text, published=NOW)
    return {m.rule_id: m.facts for m in shipped_ruleset().match(article, NOW)}

# --------------------------------------------------------------------------- opening quotes of every language


def test_a_sentence_ends_before_an_opening_quote_of_any_language() -> None:
    russian = "Погибли двое. «Мы не ожидали атаки», сказал он. «Ранены трое». Село оцеплено. Пятое. Шестое."
    assert lead_text(russian) == "Погибли двое. «Мы не ожидали атаки», сказал он. «Ранены трое». Село оцеплено."
    german = "Zwei Polizisten starben. „Wir waren nicht vorbereitet“, sagte er. „Drei.“ Vier. Fünf. Sechs."
    assert lead_text(german) == "Zwei Polizisten starben. „Wir waren nicht vorbereitet“, sagte er. „Drei.“ Vier."
    # a sentence that ends inside its closing quote ends there too
    closing = "Он сказал: «Мы уходим.» Село пусто. Три. Четыре. Пять. Шесть."
    assert lead_text(closing) == "Он сказал: «Мы уходим.» Село пусто. Три. Четыре."


# --------------------------------------------------------------------------- a report with its own toll is news


@pytest.mark.parametrize(("title", "text"), [
    # a headline with its toll, then the writer's verdict
    ("Gunmen kill 12 villagers in Zamfara",
     "Gunmen killed at least 12 villagers in north-western Nigeria, police said. The attack was another sign of "
     "worsening insecurity in the state, where armed gangs raid farms for cattle."),
    ("Car bomb kills 9 in Mogadishu",
     "MOGADISHU (Wire) - A car bomb killed nine people near a busy junction in the capital. The bombing was a stark "
     "reminder of the insurgents' reach."),
    # no headline: the first sentence's own toll, told in its main clause
    ("", "Militants killed at least 14 soldiers at a checkpoint in the east. The assault was yet another sign of the "
         "army's weakness on the border."),
    ("", "Eleven traders were killed when gunmen stormed a border market. The attack marks another step in the "
         "group's drift south."),
])
def test_a_report_with_its_own_toll_is_news_whatever_the_writers_verdict(title: str, text: str) -> None:
    assert article_kind(title, text) == "news"


def test_a_report_with_its_own_toll_and_a_verdict_alerts() -> None:
    found = fired("Gunmen kill 12 villagers in Zamfara",
                  "Gunmen killed at least 12 villagers in north-western Nigeria, police said. The attack was another "
                  "sign of worsening insecurity in the state, where armed gangs raid farms for cattle.")
    assert found["fatal-clash"]["killed"] == 12


@pytest.mark.parametrize("text", [
    # a toll inside a relative clause describes the attack the piece judges
    "Militants have struck a cattle market in the north-east, in an attack that left scores dead. The massacre was a "
    "stark reminder of how little the state controls beyond the towns.",
    # a war's toll is no report of the attack
    "The insurgency has killed more than 2,000 people since 2009. The attack on the college was another sign of the "
    "group's reach.",
])
def test_a_toll_that_is_not_the_reports_own_leaves_the_verdict_an_analysis(text: str) -> None:
    assert article_kind("", text) == "analysis"


# --------------------------------------------------------------------------- years after something that is no attack


@pytest.mark.parametrize("title", [
    "Rebels kill four soldiers a decade after peace deal",
    "Four soldiers killed in Casamance, a decade after ceasefire",
    "A decade after ceasefire, rebels kill four soldiers in Casamance",
    "Gunmen attack army post two years after the truce",
])
def test_a_new_attack_years_after_something_else_is_news(title: str) -> None:
    assert article_kind(title, "Separatist rebels killed four soldiers near the river port on Sunday, the army "
                               "said.") == "news"


@pytest.mark.parametrize("title", [
    "Thirty years after the massacre, mothers still search for bones",
    "Five years after the market raid, traders return to the square where their neighbours were killed",
    "A year since the siege, the school reopens",
    "Two years after the ambush: a village that wants to be forgotten",
    # a plural noun is no new attack
    "Market raids: ten years after, survivors still ask who gave the order",
])
def test_years_after_the_attack_a_headline_tells_is_its_anniversary(title: str) -> None:
    assert article_kind(title, "Survivors gathered in the square on Sunday.") == "anniversary"


def test_a_new_attack_a_decade_after_a_peace_deal_alerts() -> None:
    found = fired("Rebels kill four soldiers a decade after peace deal",
                  "Separatist rebels killed four soldiers near the river port on Sunday, the army said.")
    assert found["fatal-clash"]["killed"] == 4


# --------------------------------------------------------------------------- days after something that is no attack


@pytest.mark.parametrize(("title", "text"), [
    ("Ten days after election, gunmen kill 12 in Plateau village",
     "Gunmen killed 12 people in a farming village on Sunday, police said."),
    ("A week after election, gunmen kill 12 in Plateau village",
     "Gunmen killed 12 people in a farming village on Sunday, police said."),
    # the anchor in the lead, the attack after its comma
    ("Farming village in mourning",
     "A month after the governor's visit, gunmen killed 12 people in a farming village on Sunday, police said."),
    # the headline's last words date nothing in the body
    ("Farmers return to the fields two weeks after",
     "Gunmen killed 12 people in a farming village on Sunday, police said."),
])
def test_a_new_attack_days_after_something_else_is_news(title: str, text: str) -> None:
    assert article_kind(title, text) == "news"


@pytest.mark.parametrize(("title", "text"), [
    ("Ten days after the raid, the village market reopens",
     "Traders returned on Monday to the market that gunmen raided on the first of the month."),
    ("Village mourns", "Shops stayed shut, a week after the ambush on the road to the river port."),
    # the attack's own phrase may run on past a comma into a relative clause
    ("Village mourns", "Traders stayed away, a week after the battle in the hills, in which 34 people died."),
])
def test_days_after_the_attack_it_tells_is_a_follow_up(title: str, text: str) -> None:
    assert article_kind(title, text) == "follow-up"


# --------------------------------------------------------------------------- a war word inside another subject's phrase


def killed(title: str, body: str) -> int | None:
    return extract_facts(title + "\n" + body, "en", NOW).killed


@pytest.mark.parametrize(("body", "toll"), [
    # the clause's subject is the shelling, the bomb: the incident's toll
    ("Shelling in the campaign against the rebels has killed 14 civilians, officials said.", 14),
    ("A car bomb in the militants' campaign against the government has killed 9 people, police said.", 9),
    ("An air strike during the offensive on the valley has killed 11 villagers, medics said.", 11),
    # the war is the subject: its toll is never the incident's
    ("A car bomb killed three people. The militants' campaign against the government has killed thousands.", 3),
    ("Shelling killed six people. In the north, the war has killed about 40,000 people.", 6),
    ("A drone strike killed two people. The war between the army and the militia has killed more than 30,000.", 2),
    # a war inside a phrase, made the subject again by a relative clause
    ("A drone strike killed two people. Militias fought in a war from 2020 to 2022 that is thought to have killed "
     "about 90,000 people.", 2),
])
def test_a_wars_toll_needs_the_war_as_its_clauses_subject(body: str, toll: int) -> None:
    assert killed("Attack in the east", body) == toll


# --------------------------------------------------------------------------- animals are no people killed


@pytest.mark.parametrize(("body", "toll"), [
    ("Bandits killed a farmer and 40 of his cattle, residents said.", 1),
    ("Bandits killed two herders and 40 cattle, residents said.", 2),
    ("Bandits killed a herder and his cow on Sunday.", 1),
    ("Gunmen killed three villagers and dozens of goats in the raid.", 3),
    ("Bandits killed a farmer, 40 of his cattle and his son on Sunday.", 2),
    # a person's kin are still people
    ("Bandits killed a herder and two of his sons on Sunday.", 3),
])
def test_animals_killed_beside_the_victims_are_not_counted(body: str, toll: int) -> None:
    assert killed("Raid on a farming village", body) == toll
