"""Misreadings an audit of the facts and kinds found (issue 11), each with the near cases that must keep working.

The real engine reads our own sentences; the shipped rules decide the matches.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.facts import extract_facts
from bot.engine.kind import article_kind
from bot.models import Article
from tests.conftest import shipped_ruleset

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def killed(body: str, title: str = "Gunmen raid village") -> int | None:
    return extract_facts(title + "\n" + body).killed


def fired(title: str, text: str) -> dict[str, dict[str, object]]:
    article = Article(source="test", title=title, text=text, published=NOW)
    return {m.rule_id: m.facts for m in shipped_ruleset().match(article, NOW)}


# --------------------------------------------------------------------------- 5: a total and its breakdown


@pytest.mark.parametrize(
    ("body", "toll"),
    [
        # groups set off by commas after a total of people are its breakdown
        ("Three people, two officers and a civilian, were killed when gunmen opened fire on the checkpoint.", 3),
        ("Five people, two guards and three attackers, died in the raid.", 5),
        # one victim left undescribed: the total stands
        ("Four people, two officers and a civilian, were killed when gunmen opened fire on the checkpoint.", 4),
        # a list, not a breakdown: every group counts
        ("Two soldiers, three policemen and a civilian were killed in the ambush.", 6),
        ("Two officers and a civilian, a teacher, were killed in the ambush.", 3),
        # singles set off by commas after a counted group name its members
        ("Two foreign engineers, a Dane and a Pole, were killed in the ambush.", 2),
        ("Nine villagers and two aid workers, a nurse and a driver, were killed in the ambush.", 11),
        ("Five rebels and a police sergeant were killed in the fighting.", 6),
        # groups that add up to more than the first figure are more dead
        ("Two people, three officers and a civilian, were killed in the ambush.", 6),
    ],
)
def test_a_breakdown_set_off_by_commas_is_not_added_to_its_total(body: str, toll: int) -> None:
    assert killed(body) == toll


# --------------------------------------------------------------------------- 6: a side's claim beside officials' toll


@pytest.mark.parametrize(
    ("body", "toll"),
    [
        # a claim that names nobody is of the dead already counted: the officials' figure stands
        ("The army said 12 soldiers were killed when rebels attacked a base in the north. "
         "The rebels claimed to have killed 40.", 12),
        ("The army said 12 soldiers were killed when rebels attacked a base. The rebels claimed to have "
         "killed 40. Officials denied it.", 12),
        ("The army said 12 soldiers were killed in the attack. The rebels claimed to have killed 40 of them.", 12),
        # a claim about the same side, in other words, as before
        ("Three soldiers were killed in the attack. The insurgents claimed they had killed at least 30 soldiers.", 3),
        # a claim about another side still tells more dead
        ("Eleven insurgents were killed in the clash, the army said. The movement claimed to have killed "
         "5 policemen.", 16),
    ],
)
def test_a_sides_claim_beside_the_officials_toll_is_another_account(body: str, toll: int) -> None:
    assert killed(body, "Rebel assault in the north") == toll


# --------------------------------------------------------------------------- 8: sport and idioms


@pytest.mark.parametrize(
    "body",
    [
        "The champions stormed to a 4-0 win over their rivals on Saturday. The striker was dead on his feet by "
        "the final whistle after scoring twice.",
        "The last group game was a dead rubber, and a dead ball from the corner flag gave the hosts the lead.",
        "The two sprinters finished in a dead heat, and talks on the new stadium reached a dead end.",
        "The coach was dead set against the move and said the critics were dead wrong.",
    ],
)
def test_dead_in_idioms_is_no_death(body: str) -> None:
    assert killed(body, "Champions cruise past rivals") is None


def test_a_sports_report_with_an_idiom_fires_no_clash() -> None:
    assert fired("Champions cruise past rivals",
                 "The champions stormed to a 4-0 win over their rivals on Saturday. The striker was dead on his "
                 "feet by the final whistle after scoring twice.") == {}


@pytest.mark.parametrize(
    ("body", "toll"),
    [
        ("Five people were dead on arrival at the hospital after gunmen raided the village.", 5),
        ("Two people were found dead at the end of the road.", 2),
        ("Three men lay dead in the dead of night after the raid.", 3),
        ("Two soldiers were left dead, the army said.", 2),
    ],
)
def test_the_dead_beside_an_idiom_still_count(body: str, toll: int) -> None:
    assert killed(body) == toll


# --------------------------------------------------------------------------- 9: retrospectives


@pytest.mark.parametrize(
    "headline",
    [
        "1992: troops sent into the city",
        "From the archive, 1974: troops sent to Cyprus border",
        "This week in history: army sends 5,000 soldiers to the border",
        "From the archive, 1994: gunmen kill 12 at market",
        "On this day: 103 dead in bombing of a crowded bus station",
        "25 years ago: rebels took the town after a week of shelling",
    ],
)
def test_a_retrospective_headline_is_no_news(headline: str) -> None:
    assert article_kind(headline, "") == "anniversary"


@pytest.mark.parametrize(
    "headline",
    [
        "Gunmen kill 12 at market",
        "2,000 troops sent to the border",
        "1,992 troops sent to the border",
        "Army sends 5,000 soldiers to border after 1992 accord collapses",
        "From today, an archive of the attacks opens to the public",
    ],
)
def test_news_with_a_year_or_an_archive_in_it_stays_news(headline: str) -> None:
    assert article_kind(headline, "") == "news"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("1992: troops sent into the city", "The government sent 3,000 troops into the city as protests spread."),
        ("From the archive, 1974: troops sent to Cyprus border",
         "Troops were sent to the border as tension rose on the island, with thousands of soldiers deployed."),
        ("This week in history: army sends 5,000 soldiers to the border",
         "The army sent 5,000 soldiers to the border as tensions rose."),
        ("From the archive, 1994: gunmen kill 12 at market",
         "Gunmen killed 12 people at a crowded market, police said."),
    ],
)
def test_the_shipped_rules_skip_retrospectives(title: str, text: str) -> None:
    assert fired(title, text) == {}


def test_the_same_report_as_news_still_fires() -> None:
    assert fired("Gunmen kill 12 at market", "Gunmen killed 12 people at a crowded market, police said.") == {
        "fatal-clash": {"killed": 12}}


# --------------------------------------------------------------------------- 10: figures joined by "and"


def test_figures_joined_by_and_are_never_one_figure() -> None:
    numerals = " and ".join(str(n) for n in range(1, 11))
    words = " and ".join(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))
    assert killed(f"Fighting in the north killed {numerals} in the villages.") == 55
    assert killed(f"Fighting in the north killed {words} in the villages.") == 55
    facts = extract_facts(f"Clashes in the north\nFighting killed {numerals} people.")
    assert [span.value for span in facts.spans] == list(range(1, 11))


@pytest.mark.parametrize(
    ("body", "toll"),
    [
        ("The blast killed one hundred and twelve people.", 112),
        ("The blast killed one thousand two hundred people.", 1200),
        ("Clashes killed 12 soldiers and 345 rebels.", 357),
        ("The fighting killed between 10 and 15 people.", 10),
    ],
)
def test_figures_that_and_does_join_still_read(body: str, toll: int) -> None:
    assert killed(body) == toll


@pytest.mark.parametrize(("text", "killed"), [
    ("Attack on base\nThree soldiers were killed.", 3),                 # a headline's last word is no label
    ("Gunmen attacked the base. Three soldiers were killed.", 3),      # nor is a sentence's
    ("Two killed at Camp 3 in attack", 2),                             # a label before its figure still is
    ("Gunmen kill two near Base 4", 2),
    ("Gunmen attack No. 3 post, killing two", 2),
])
def test_a_label_stands_right_before_its_figure_on_its_line(text: str, killed: int) -> None:
    assert extract_facts(text).killed == killed
