"""Where the facts reader looks: every word holding a death, injury or troop stem, found in one pass."""

from __future__ import annotations

from bot.engine.facts import extract_facts
from bot.engine.facts.cues import find_cues, worth_reading


def _words(text: str) -> list[str]:
    low = text.lower()
    return [low[ws:we] for ws, we, _quick in find_cues(low)]


def test_each_word_holding_a_stem_is_one_cue_in_order() -> None:
    text = "Peacekeepers redeployed after two soldiers were killed and a sergeant wounded"
    assert _words(text) == ["peacekeepers", "redeployed", "soldiers", "killed", "wounded"]


def test_die_counts_as_a_word_end_only() -> None:
    assert _words("Two may die; a diet of bread") == ["die"]
    assert _words("the soldier and the die-hard fans") == ["soldier", "die"]
    assert _words("a diet of candid advice") == []


def test_two_word_stems_take_any_whitespace_between_their_words() -> None:
    assert _words("a farmer was gunned\u00a0down at dawn") == ["down"]
    assert _words("Guns\ndown in the square") == ["down"]
    assert _words("three service\tmembers died") == ["service\tmembers", "died"]


def test_rare_stems_alone_do_not_make_a_body_worth_reading() -> None:
    low = "harvest festival\nthe toll bridge and the brigade of volunteers"
    title_end = low.index("\n")
    cues = find_cues(low)
    assert [low[a:b] for a, b, _ in cues] == ["toll", "brigade"]
    assert not worth_reading(cues, title_end)
    titled = "brigade moves north\nnothing else"
    assert worth_reading(find_cues(titled), titled.index("\n"))


def test_a_common_stem_after_the_title_makes_the_article_worth_reading() -> None:
    low = "market report\nprices rose as the army moved in"
    assert worth_reading(find_cues(low), low.index("\n"))


def test_facts_are_read_at_the_cues_found() -> None:
    facts = extract_facts("Gunmen kill four\nFour villagers were gunned\u00a0down near the river.")
    assert facts.killed == 4
