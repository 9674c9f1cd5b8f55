"""The wounded told as people carried to hospital with their wounds ("Seven people were taken to hospital with
gunshot wounds"): a common way full-length reports give the injured after the lead. Every sentence is our own."""

from __future__ import annotations

import pytest

from bot.engine.facts import extract_facts


@pytest.mark.parametrize(("text", "killed", "wounded"), [
    ("Raid kills 18\nEighteen bodies were found. Seven people were taken to hospital with gunshot wounds.", 18, 7),
    ("Blast kills two\nTwo people died and 14 were taken to hospital with injuries.", 2, 14),
    ("Blast kills two\nTwo people died. A man was rushed to the district clinic with serious injuries.", 2, 1),
    ("Shelling kills five\nFive civilians were killed, and 11 were admitted to the town's hospital with shrapnel "
     "wounds, doctors said.", 5, 11),
])
def test_people_carried_to_hospital_with_wounds_are_the_wounded(text: str, killed: int, wounded: int) -> None:
    facts = extract_facts(text, "en")
    assert (facts.killed, facts.wounded) == (killed, wounded)


@pytest.mark.parametrize("text", [
    # the dead carried in beside the wounded are no wounded figure
    "Blast kills two\nThe bodies of two men were taken to hospital with the wounded.",
    # a hospital named without anyone carried there hurt
    "Blast kills two\nTwo men died near a hospital with a damaged roof.",
])
def test_hospitals_without_people_carried_in_hurt_give_no_wounded(text: str) -> None:
    assert extract_facts(text, "en").wounded is None
