"""Where an article's fact words are: every death, injury and troop stem found in one pass.

The facts reader reads each word holding one of these stems in place ("killed", "soldiers",
"withdrawal", "peacekeepers"). Finding them with one regular expression per stem cost a pass of
the text per stem, and each pass stopped at every "d", "k" or "m" of the text to try its
alternatives: about 80 us for a 3 KB article. One Aho-Corasick pass (ahocorasick-rs, the engine's
automaton library) finds every stem at once in about a tenth of that.

A few stems need more than their letters, and carry it in `_Stem`:

* "die" counts only as a whole word's end ("die", "die-hard"), not inside "diet" or "soldier"
  (which counts through "dier");
* "gunned down", "gun down", "guns down", "vice member" span two words with any whitespace
  between them; the cue of the first three is the word "down".
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick_rs

from bot.engine.automaton import character_offsets


@dataclass(frozen=True)
class _Stem:
    """One key of the search: its text, whether it alone makes an article worth reading, where the cue
    word starts within it, whether it must end a word, and its group's rank: of two stems found at one
    word's start, the lower rank decides where the word ends (only "vice member" ends past its word)."""

    text: str
    quick: bool
    cue_offset: int = 0
    word_end: bool = False
    rank: int = 0


# Every whitespace character a regular expression's \s stands for: the two-word stems are found with
# any of them between the words, as "gunned\u00a0down" in a page's text is still "gunned down".
# (They are str.isspace's characters, all below U+3001.)
_WHITESPACE = tuple(c for c in map(chr, range(0x3001)) if c.isspace())

# The stems whose presence after the title makes an article worth reading, in groups by first letter (a
# group's rank, its place in this list, decides which of two stems at one word's start ends the word).
_QUICK_STEMS = (
    "dead death died dies dier deploy division",  # with "die" and "gunned down", "gun(s) down"
    "kill tank",
    "wound withdr warship",
    "jur",
    "rmy rmies roop hurt rvist",
    "force fighter fatalit",
    "militar militia marines mobili massacr mmando mercenar armour armor",
    "perish personnel paratroop peacekeep",
    "vicem lives",  # with "vice member"
    "behead",
    "assassinat",
    "murder",
    "decapitat",
    "lynch",
    "succumb",
    "martyr",
    "guard contingent",
)
# The rarer stems, read once an article is worth reading (and in the title).
_RARE_STEMS = ("bodies brigade battalion", "toll slain", "sailor")


def _stems() -> tuple[_Stem, ...]:
    stems: list[_Stem] = []
    for rank, group in enumerate(_QUICK_STEMS + _RARE_STEMS):
        quick = rank < len(_QUICK_STEMS)
        stems.extend(_Stem(text, quick, rank=rank) for text in group.split())
    stems.append(_Stem("die", True, word_end=True))
    for space in _WHITESPACE:
        for first in ("gunned", "gun", "guns"):
            stems.append(_Stem(first + space + "down", True, cue_offset=len(first) + 1))
        stems.append(_Stem("vice" + space + "member", True, rank=8))
    return tuple(stems)


_STEM_TABLE = _stems()
# Over UTF-8 bytes, as a DFA: a few hundred keys make a small one, and it searches a 3.5 KB article in
# about 10 us, a third of the library's default automaton and of a search over str.
_SEARCH = ahocorasick_rs.BytesAhoCorasick(
    [stem.text.encode() for stem in _STEM_TABLE], implementation=ahocorasick_rs.Implementation.DFA
)


def _stem_spans(low: str) -> list[tuple[int, int, int]]:
    """(stem index, start, end) of every stem in the text, overlapping, as character offsets."""
    data = low.encode("utf-8", "surrogatepass")  # a lone surrogate from a JSON feed must not stop the reading
    found = _SEARCH.find_matches_as_indexes(data, overlapping=True)
    if len(data) == len(low):
        return found  # ASCII: byte offsets are character offsets
    char_at = character_offsets(data, {start for _index, start, _end in found})
    table = _STEM_TABLE
    return [(index, char_at[start], char_at[start] + len(table[index].text)) for index, start, _end in found]


def find_cues(low: str) -> list[tuple[int, int, bool]]:
    """(start, end, quick) of every word holding a fact stem in the lower-cased text, in order, each
    word once. A word runs over letters either side of its stem ("peacekeepers", "redeployed"); the
    two-word stems run to the end of their second word ("service members")."""
    table = _STEM_TABLE
    by_start: dict[int, tuple[int, int, bool, int, int]] = {}  # word start -> (start, end, quick, rank, at)
    n = len(low)
    for index, start, end in _stem_spans(low):
        stem = table[index]
        if stem.word_end and end < n and (low[end].isalnum() or low[end] == "_"):
            continue  # "die" inside "diet" or "soldier"
        ws = start + stem.cue_offset
        while ws and low[ws - 1].isalpha():
            ws -= 1
        known = by_start.get(ws)
        if known is not None and (known[3], known[4]) <= (stem.rank, start):
            if stem.quick and not known[2]:
                by_start[ws] = (ws, known[1], True, known[3], known[4])
            continue
        we = end
        while we < n and low[we].isalpha():
            we += 1
        quick = stem.quick or (known is not None and known[2])
        by_start[ws] = (ws, we, quick, stem.rank, start)
    return sorted((ws, we, quick) for ws, we, quick, _rank, _at in by_start.values())


def worth_reading(cues: list[tuple[int, int, bool]], title_end: int) -> bool:
    """Any stem in the title, or a common one after it: else the article has nothing to read."""
    return any(we <= title_end or (quick and ws >= title_end) for ws, we, quick in cues)
