"""Tolls on real reports (issue 11, class 4): a second account of the same dead adds nobody (a side "saying its
fighters had killed" more, a monitor that "documented" its own count), some of a group already counted are no more
dead ("beheading several of them"), a possessive's people after a single victim count ("the chief and two of his
guards"), a spokesman after a count is the source, the part a sentence says died is the toll ("15,000 troops, of
whom 300 were killed"), sides listed with a modifier add up ("three soldiers and at least six members of a
faction"), and the killed and wounded in one figure are no toll. Every sentence here is our own."""

from __future__ import annotations

import pytest

from bot.engine.facts import extract_facts


@pytest.mark.parametrize(("text", "killed"), [
    # a side's larger claim about the dead already counted
    ("Base attack repelled\nMilitants attacked a camp on Tuesday, and the fighting left 12 soldiers and at least 20 "
     "attackers dead, the army said. The group claimed a far larger toll, saying its fighters had killed more than 50 "
     "soldiers.", 32),
    # a monitor's own count of the same dead
    ("Gangs storm town\nGang members stormed the town overnight, killing at least 25 people, officials said. A rights "
     "network said it had documented 29 deaths, including four police officers.", 25),
    # some of the dead already counted
    ("Village raid\nInsurgents killed at least seven people, beheading several of them, in a raid on Sunday.", 7),
    # ... but "several of them" of people nobody counted yet is ACLED's unspecified 3
    ("Convoy ambushed\nMilitiamen ambushed a convoy of soldiers outside the town on Tuesday, killing several of them, "
     "residents said.", 3),
    # a single victim and a possessive's people after it
    ("Bomb hits convoy\nA roadside bomb struck a car on Monday, killing the district governor and three of his "
     "bodyguards.", 4),
    ("Gunmen kill mayor\nGunmen killed the mayor and his driver on Friday.", 2),
    # a spokesman after a count is the source, however long his description
    ("Camp attacked\nMilitants attacked a camp on Friday, killing 11 soldiers, a spokesman for the regional forces "
     "command said.", 11),
    # sides in one list, a modifier before the second figure
    ("Firefight in the hills\nThree soldiers and at least six members of an armed faction were killed in a firefight "
     "on Saturday, the army said.", 9),
    # the part a sentence says died
    ("Contingent\nThe ministry said 8,000 soldiers had been sent to the front, of whom 120 were killed.", 120),
])
def test_tolls_by_account_and_part(text: str, killed: int) -> None:
    assert extract_facts(text, "en").killed == killed


@pytest.mark.parametrize("text", [
    # the dead and the hurt in one figure
    "Losses\nThe agency said 12,000 troops had been sent in all, of whom several thousand were killed or wounded.",
    "Losses\nAbout 300 soldiers were killed or wounded in the offensive, the ministry said.",
])
def test_killed_or_wounded_together_is_no_toll(text: str) -> None:
    assert extract_facts(text, "en").killed is None
