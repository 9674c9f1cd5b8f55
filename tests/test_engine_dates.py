"""Deaths the text dates weeks before publication are background (bot/engine/facts/dates.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.facts import extract_facts
from bot.engine.facts.dates import date_before

APRIL_20 = datetime(2015, 4, 20, 9, 0, tzinfo=UTC)


def _killed(text: str, published: datetime | None = APRIL_20) -> int | None:
    return extract_facts(text, None, published).killed


@pytest.mark.parametrize(
    ("sentence", "dated"),
    [
        ("the commander was killed in a drone strike in january near the border.", True),
        ("two guards died on march 3 when gunmen stormed the depot.", True),
        ("the militants killed four in a jan. 15 raid.", True),
        ("on 2 april 2015 gunmen shot dead a teacher.", True),
        ("fighters were killed in late march in the hills.", True),
        # within the week news style names by weekday or by date
        ("two guards died on april 16 when gunmen stormed the depot.", False),
        ("gunmen killed a teacher in april, officials said.", False),
        # a fresh word in the clause: about now, whatever older date it also names
        ("three soldiers were killed on tuesday at a camp set up in january.", False),
        # verbs and names, not months
        ("the rebels may march on the town; mardan was quiet.", False),
        # a date the figure is compared with
        ("the bomb killed seven, one short of the figure in january.", False),
        # a month after the publication's month, with no year, is last year's
        ("the envoy was killed in december.", True),
    ],
)
def test_date_before_reads_dates_against_the_publication(sentence: str, dated: bool) -> None:
    assert date_before(sentence, 0, len(sentence), APRIL_20) is dated


def test_without_a_publication_time_only_a_month_alone_dates_the_deaths() -> None:
    month_alone = "the commander was killed in a drone strike in january."
    with_day = "on 4 may gunmen shot dead a village chief."
    assert date_before(month_alone, 0, len(month_alone), None)
    assert not date_before(with_day, 0, len(with_day), None)


def test_a_profile_of_a_man_killed_months_ago_gives_no_toll() -> None:
    text = ("Bomb maker's death confirmed\nInvestigators confirmed that the bomb maker, one of the most wanted "
            "men in the region, was killed in a police raid in January.")
    assert _killed(text) is None
    # the same words in a January report are news of the raid
    assert _killed(text, datetime(2015, 1, 28, tzinfo=UTC)) == 1


def test_a_fresh_report_keeps_its_toll_beside_an_older_date() -> None:
    text = ("Gunmen kill three at checkpoint\nThree policemen were killed on Sunday when gunmen attacked a checkpoint "
            "that the army set up in February.")
    assert _killed(text) == 3


def test_an_acled_style_note_dated_on_its_own_day_keeps_its_toll() -> None:
    text = "\nOn 3 March 2020, militants ambushed a patrol near the river, killing two soldiers."
    assert _killed(text, datetime(2020, 3, 3, tzinfo=UTC)) == 2
    assert _killed(text, None) == 2


def test_a_death_told_years_later_in_a_narrative_is_background() -> None:
    text = ("The aid worker who went back\nShe was kidnapped from her office in 2019. Three years later she was dead, "
            "killed by a stray shell, her family said.")
    assert _killed(text, None) is None
