"""Readings of the English `killed` fact found on holdout16's long reports (issue 11, class 4): ages listed after
"aged", a counted group named by what it belongs to, victims joined "along with" companions, some of the victims
already counted, a speaker's vague word in quotes, a pair of groups that restates the lead with "also", and the
speakers of a lead's last clause. Each reading sits beside the one it must not break. Every sentence is our own."""

from __future__ import annotations

import pytest

from bot.engine.facts import extract_facts


@pytest.mark.parametrize(("text", "killed"), [
    # the second age of a list is no count of the dead
    ("Two guards killed at depot\nTwo guards, aged 31 and 44, died at the gate, and a third was wounded.", 2),
    ("Three shot dead in village\nThree farmers, aged 19, 23 and 40, were shot dead in their fields.", 3),
    # ... where a figure after "and" with no age before it still counts
    ("Clash at crossing\nTwo soldiers and 44 rebels were killed at the crossing on Monday.", 46),
])
def test_ages_listed_after_aged_are_not_counted(text: str, killed: int) -> None:
    assert extract_facts(text).killed == killed


@pytest.mark.parametrize(("text", "killed"), [
    # "nine members of a resistance force and four soldiers": nine, not the "a" of the force
    ("Fighting at junction\nAt least seven members of a local militia and three policemen were killed in fighting "
     "for the junction on Sunday.", 10),
    ("Gunfight at checkpoint\nTwo members of the border guard and one smuggler were killed, officials said.", 3),
    # ... while a single victim of a group still counts one
    ("Raid on camp\nA commander of the militia and two fighters were killed in the raid.", 3),
])
def test_a_group_named_by_what_it_belongs_to_counts_its_figure(text: str, killed: int) -> None:
    assert extract_facts(text).killed == killed


def test_victims_told_by_a_pronoun_keep_the_companions_named_along_with_them() -> None:
    text = ("Ambush on convoy\nGunmen ambushed a convoy carrying two judges on Saturday, killing them along with four "
            "of their guards, police said.")
    assert extract_facts(text).killed == 6
    alone = "Ambush on convoy\nGunmen ambushed a car carrying two judges on Saturday and shot them dead, police said."
    assert extract_facts(alone).killed == 2


def test_some_of_the_victims_are_among_the_dead_already_counted() -> None:
    text = ("Villages attacked\nInsurgents killed at least 25 people in raids on three villages over the weekend. "
            "The attackers burned houses and beheaded some of their victims, residents said.")
    assert extract_facts(text).killed == 25
    vague = "Villages attacked\nInsurgents burned houses and killed several villagers, residents said."
    assert extract_facts(vague).killed == 3


def test_a_speaker_s_vague_word_in_quotes_adds_nobody_to_a_counted_toll() -> None:
    text = ("Three dead in clash\nThree people were killed in fighting at a checkpoint on Monday. Local activists "
            "said 'several' people had died, without giving a number.")
    assert extract_facts(text).killed == 3


def test_a_pair_of_groups_joined_by_also_restates_the_lead() -> None:
    text = ("Clash on the road\nAt least six rebels and two soldiers were killed in fighting near the bridge. "
            "A rebel spokesman said six of its fighters had died and that two soldiers had also been killed.")
    assert extract_facts(text).killed == 8
    more = ("Clash on the road\nSix rebels were killed in fighting near the bridge. Two civilians were also killed, "
            "residents said.")
    assert extract_facts(more).killed == 8


def test_the_speakers_that_close_a_lead_are_not_victims() -> None:
    text = ("Mosque attacked\nGunmen attacked a mosque during prayers on Friday, killing eleven people, a local "
            "official and a cousin of one of the victims said.")
    assert extract_facts(text).killed == 11
