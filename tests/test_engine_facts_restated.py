"""A full-length report tells its toll more than once: restatements are not more dead."""

from __future__ import annotations

import pytest

from bot.engine.facts import extract_facts


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # the lead's groups told again, one by one, further down
        ("Firefight in the hills\nTwo policemen and five bandits were killed on Sunday in a firefight near the "
         "mine, officials said. The shooting lasted an hour. Two policemen, one of them a sergeant, were killed, "
         "and five bandits were killed as they tried to flee.", 7),
        # a total, then its breakdown in a later sentence
        ("Clash at the river crossing\nThe clash left four people dead, the army said. When it ended, three "
         "smugglers lay dead and a soldier had died of his wounds.", 4),
        # a part of the group just counted
        ("Mortar hits bus\nA mortar round hit a bus on Monday, killing 15 people, 11 of them children, "
         "and wounding 9.", 15),
        # a first count the report says was replaced
        ("Bomb kills soldiers\nA bomb killed five soldiers on Friday. An initial report said nine soldiers had "
         "died, but the figure was later revised.", 5),
        # groups of the same size that the text adds to each other
        ("\nOn 2 May, militants attacked a checkpoint, killing 2 soldiers. 2 militants were also killed.", 4),
    ],
)
def test_a_toll_told_twice_counts_once(text: str, killed: int) -> None:
    assert extract_facts(text).killed == killed


def test_an_outlet_tag_glued_to_the_first_word_does_not_hide_the_figure() -> None:
    text = ("\nKABUL (Wire)Three guards were killed on Monday when gunmen stormed a district office "
            "(the second this week).")
    facts = extract_facts(text)
    assert facts.killed == 3
    span = next(s for s in facts.spans if s.name == "killed")
    assert text[span.start:span.end].lower().startswith("three")


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Twelve soldiers die in rebel ambush\nRebels ambushed an army convoy in the hills.", 12),
        ("Flood defences fail\nThree patients could die without power, doctors warned; none did not die.", None),
    ],
)
def test_a_headline_in_the_present_tense_counts_its_dead(text: str, killed: int | None) -> None:
    assert extract_facts(text).killed == killed


def test_a_series_of_blasts_is_an_incident_not_a_tv_series() -> None:
    assert extract_facts("\nRescuers dug on Sunday after a series of bomb blasts at two hotels killed at least 30 "
                         "people.").killed == 30
    assert extract_facts("\nThe drama series, in which 12 soldiers are killed, returns on Sunday.").killed is None
