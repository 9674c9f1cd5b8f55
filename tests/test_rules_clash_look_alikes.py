"""Short items that read like a fatal clash and are not one (issue 11, classes 3 and 5): violence as a figure of
speech, a climber's death from the mountain, a charge or a court's hanging over an old attack, an army's tally of a
month, and a police shooting of a man with a knife. Each look-alike sits beside a real clash told in the same words,
so a rule that drops the look-alike by dropping the words fails. Every sentence here is our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import RuleSet
from bot.engine.facts import extract_facts
from bot.engine.kind import article_kind
from bot.models import Article, Match
from tests.conftest import shipped_ruleset

NOW = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)


def shipped() -> RuleSet:
    """The shipped rules, compiled once per test worker (tests/conftest.py)."""
    return shipped_ruleset()


def clash(title: str, text: str) -> Match | None:
    article = Article("wire", title, text, published=NOW, language="en")
    return next((m for m in shipped().match(article, NOW) if m.rule_id == "fatal-clash"), None)


@pytest.mark.parametrize(("title", "text"), [
    # a figure of speech: a business "killing it" beside weapons words
    ("Rocket-engine start-up 'killing it' as orders from navies pour in",
     "RIGA - A small maker of rocket engines said it was 'killing it' this year after three navies placed orders."),
    # a climbers' "assault on the summit", and a death from the mountain
    ("Final assault on the summit begins as teams leave the high camp",
     "Four teams left the high camp before midnight for the summit. One porter died of exhaustion on the way down."),
    # charges brought over an attack of last year
    ("Prosecutors charge three over bombing of a bus depot",
     "ISTANBUL - Prosecutors charged three men with supplying the explosives used in last year's bombing of a bus "
     "depot, which killed 14 people."),
    # a court's death sentences carried out over an old attack
    ("Country hangs two for killing of hotel siege victims",
     "The authorities carried out the death sentences of two men convicted over the 2019 hotel siege, in which "
     "gunmen killed 30 guests."),
    # an army's tally of a month, many incidents summed
    ("Army says 'more than 200' militants killed this month",
     "The defence ministry said troops had killed more than 200 militants in operations across three provinces in "
     "the past month."),
    # police shoot a man who came at them with a knife
    ("Police shoot dead machete-wielding man at railway station",
     "Officers shot dead a man who tried to stab a guard at the main railway station on Sunday, police said."),
    # ... and a robber in a shoot-out
    ("Police kill suspect in shootout after jewellery store robbery",
     "Police shot dead a suspected robber in a gunfight on the main avenue after he and two others held up a "
     "jewellery store, the city's police said."),
    # forces sent in answer to an attack the text dates days back: a build-up
    ("Niger sends two battalions to Tillaberi after jihadist raid",
     "Niger's army has sent two battalions to the Tillaberi region, three days after jihadists killed 20 soldiers in "
     "a raid on a base there, officials said."),
    # accidents in training, and an esports final
    ("Two soldiers die as army lorry overturns during exercise",
     "Two soldiers were killed when their lorry rolled over on a mountain track during a field exercise on Monday."),
    ("Recruit dies in friendly fire during training exercise",
     "A recruit was killed when a live round was fired by mistake during a shooting exercise, the ministry said."),
    ("Underdogs gun down champions to take Counter-Strike title",
     "The underdogs won the final three maps to take the title in front of 10,000 fans."),
    # a year after an attack, its dead remembered; a drama's ambush
    ("A year after the Kidal ambush, families still wait for answers",
     "Relatives of the 12 soldiers killed in the ambush gathered in the capital on Saturday."),
    ("Drama 'Outpost' ends its season with a brutal ambush",
     "The final episode of the war drama shows the platoon's last patrol, in which four characters are killed."),
])
def test_look_alikes_of_a_fatal_clash_do_not_match(title: str, text: str) -> None:
    assert clash(title, text) is None


@pytest.mark.parametrize(("title", "text"), [
    # the same words in a real clash: an assault that kills
    ("Militants' assault on army post kills six soldiers",
     "Militants stormed an army post before dawn on Tuesday, killing six soldiers, officials said."),
    # a charge of fighters in an attack is no court's charge
    ("Gunmen attack village, kill nine",
     "Gunmen attacked a village on Monday and killed nine people, police said; troops were sent to the area."),
    # a clash of today counted in a month's list of attacks
    ("Ambush kills five soldiers, the third attack this month",
     "Five soldiers were killed on Friday when militants ambushed their convoy, the third attack this month in the "
     "district, officials said."),
    # police who shoot gunmen of a group in an attack are in a clash
    ("Police kill two gunmen after attack on checkpoint",
     "Police shot dead two gunmen who opened fire on a checkpoint outside the city on Monday, officials said."),
    # forces sent in answer to an attack of the day before, or to one whose toll the headline gives, stay a clash
    ("Army sends more units to Lamu after roadside blast",
     "The army is sending more units to Lamu after a roadside bomb hit a police truck on Saturday, killing six "
     "officers, the minister said."),
    ("Army rushes reinforcements to border after clashes kill four soldiers",
     "Four soldiers were killed in clashes at the border on Sunday, and reinforcements were sent three days after "
     "an earlier raid, the army said."),
])
def test_real_clashes_in_the_same_words_still_match(title: str, text: str) -> None:
    assert clash(title, text) is not None


def test_charges_and_hangings_over_an_old_attack_are_trial_reports() -> None:
    assert article_kind("Prosecutors charge 4 over market attack", "Four men were charged on Monday.") == "trial"
    assert article_kind("Soldier charged with murder of shepherd", "A soldier was charged on Friday.") == "trial"
    assert article_kind("Two hanged in Dhaka",
                        "The state carried out the death sentences of two men convicted over the attack.") == "trial"
    assert article_kind("Gunmen kill 4 at court", "Gunmen killed four people at a courthouse on Monday.") == "news"


def test_a_month_s_tally_is_no_toll_and_an_attack_counted_in_it_is() -> None:
    assert extract_facts("Army says 80 insurgents killed this month\nThe army said troops had killed 80 insurgents and "
                         "arrested 200 suspects across the north in the past month.").killed is None
    assert extract_facts("Army tally\nThe army said 40 fighters were killed so far this year.").killed is None
    assert extract_facts("Ambush kills five\nFive soldiers were killed on Friday in the third attack this month."
                         ).killed == 5
