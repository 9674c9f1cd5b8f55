"""Casualty and troop facts from an article's text: killed, wounded, troops and troops_change.

The reading is conservative, in the style of ACLED coding:

* killed / wounded: the total for the incident the article reports. Distinct groups are
  summed ("10 soldiers and 19 gunmen were killed" = 29, "killing one officer ... three
  gunmen were also killed" = 4); a toll update is the total and replaces the partial figures
  ("the death toll rose to 12"); a range counts as its lowest figure; vague quantities have
  fixed values ("dozens" 12, "scores" 20, "hundreds" 100); counts placed in the past ("since
  2004", "in 2019", "this year") are background and ignored. Everyone named as dead counts once:
  kin and companions ("a woman and her son" = 2, "a family of four" = 4), "both" = 2, each side's own
  dead ("50 of its own servicemen", "said it had lost 50"), attackers a toll leaves out ("the toll
  does not include the attackers, four of whom also died"); a second source's figure, a count for
  one place "alone" and a toll "initially given" are not more dead (docs/rules.md §5).
* troops: the largest figure bound to a troop noun ("8,350 troops", "7,500 sailors and Marines",
  "2,900 members of the National Defence Force", "a 2,000-strong contingent", "reinforced by
  2,000", "a total of about 10,000 expected"), leaving out casualties, existing strength
  ("currently has 3,800 personnel") and figures placed in earlier years or crises. "From X to Y"
  counts as Y, the level forces are at now ("cut from 8,350 to 4,500", "to about 4,500 from 8,350"
  and "to 4,500, from a peak of 8,350" are 4,500 with the direction decrease: after a cut, the level it
  left, not a larger figure the report recalls); "from a peak of X" alone as X. Of the vague
  quantities only the hundreds count ("hundreds", "several/a few hundred" = 100): "thousands"
  gives no figure, so a vague word never passes a 1,000 threshold. A figure dated to a past
  month ("in December 2023") is used only when a pullback story gives no current one.
* troops_change: "increase" when forces are sent, massed, reinforced or deployed; "decrease"
  when they are withdrawn, cut, pulled back, sent back to their bases or stood down, unless
  the pullback is only asked for or denied ("urged Serbia to withdraw", "no sign of a
  pullback"). A change counts only when a force is its object or nearest subject (not "the
  attackers then withdrew"); the main clause outweighs a "while ..." clause.

How it reads: one Aho-Corasick pass finds every word holding a stem ("kill", "dead", "sol-dier",
"t-roop", ...; facts/cues.py) and decides whether there is anything to read at all (an article
without that vocabulary costs that one pass); each word found is then read in place: the figures just before it
("Ten soldiers and 19 gunmen were killed"), the counted list just after it ("killing at least 15
officers and four civilians"), a toll ("the death toll rose to 12"). Figures are found word by
word from the cue, not by scanning the text; every pattern gap is bounded, and a sentence or
clause is never read beyond a few hundred characters around the cue, so the cost stays linear
on run-on or hostile text. Offsets in the result are into the text the caller gave.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import datetime

from bot.engine.facts.casualties import _CASUALTY_WORDS, CasualtyReader, _total
from bot.engine.facts.cues import find_cues, worth_reading
from bot.engine.facts.local import LANGUAGES as LOCAL_LANGUAGES
from bot.engine.facts.local import read_local_facts
from bot.engine.facts.numbers import parse_number
from bot.engine.facts.reader import _lower
from bot.engine.facts.troops import TroopReader
from bot.engine.facts.values import Facts, FactSpan
from bot.engine.facts.vocabulary import (
    _CIVILIAN_STAFF,
    _CTX_PREFIXES,
    _CTX_WORDS,
    _NOT_CURRENT,
    _TROOP_VERB_PREFIXES,
)

__all__ = ["FactSpan", "Facts", "extract_facts", "parse_number"]


# A real report holds tens of death, injury and troop words, a long one a few hundred; reading
# at most this many (the first ones) bounds the work on hostile text to about 0.1 s.
MAX_CUES = 2_000


class _ArticleReader(CasualtyReader, TroopReader):
    """Both readers over one article: casualties are read first, so their figures are not troop counts."""


# An outlet's tag glued to the first word, as some feeds print it: "(CNN)Three people were killed".
_GLUED_TAG = re.compile(r"\(([a-z]{2,12})\)(?=[a-z0-9])")


def _blank_tag(m: re.Match[str]) -> str:
    """The tag as a word between spaces, same length, so "three" is read as a figure and offsets hold."""
    return " " + m.group(1) + " "


def extract_facts(text: str, language: str | None = None, published: datetime | None = None) -> Facts:
    """Casualty and troop facts from an article's text (title + "\\n" + body), read in its language:
    Serbian, Albanian, Russian and Ukrainian by facts/local.py, anything else as English. `published` is the
    scan's one clock (ScanResult.clock: the publication time, else the scan's now): against it the English reader
    makes deaths the text dates weeks earlier background (facts/dates.py). The local readers read no dates, so
    the clock changes nothing in those four languages."""
    if not text:
        return Facts()
    if language in LOCAL_LANGUAGES:
        return read_local_facts(text, language)
    nl = text.find("\n")
    title_end = nl if nl >= 0 else len(text)
    # Lower-casing first (one C-speed pass, cheaper than any of the scans) lets "Troops", "Killed" or
    # "Marines" at a sentence start count like the same word in the middle of one.
    low = _lower(text)
    cues = find_cues(low)
    if not worth_reading(cues, title_end):
        return Facts()  # no death, injury or troop vocabulary: nothing to read
    if ")" in low:
        blanked = _GLUED_TAG.sub(_blank_tag, low)
        if blanked != low:
            low = blanked
            cues = find_cues(low)
    reader = _ArticleReader(text, low, published)
    low = reader.low
    if _NOT_CURRENT.search(low, 0, reader.title_end):
        return Facts()
    hits = [(low[ws:we], ws, we) for ws, we, _quick in cues[:MAX_CUES]]
    for word, ws, we in hits:  # casualties first: their figures are not troop counts
        if word in _CASUALTY_WORDS:
            reader.read_casualty_word(word, ws, we)
    if low.find(" lost ", reader.title_end) >= 0 or low.find(" losing ", reader.title_end) >= 0:
        reader.read_losses()  # "said it had lost 50 servicemen": a side's own dead, no death word in sight
    victims = sorted([(m.start, m.end) for m in reader.mentions] + reader.restated)
    victim_starts = [a for a, _ in victims]
    sentences: dict[tuple[int, int], None] = {}  # the sentences about forces, in order
    for word, ws, we in hits:
        military = word in _CTX_WORDS or word.startswith(_CTX_PREFIXES)
        if not military and not word.startswith(_TROOP_VERB_PREFIXES):
            continue
        i = bisect_right(victim_starts, ws) - 1
        if i >= 0 and ws < victims[i][1]:
            continue  # "Seventeen soldiers were killed": a casualty, not a force on the move
        reader.read_troop_word(word, ws, we)
        sentence = reader.sentence(ws)
        if sentence not in sentences and (military or not _CIVILIAN_STAFF.search(low, *sentence)):
            sentences[sentence] = None
    for lo, hi in sentences:
        reader.read_sentence_figures(lo, hi)

    killed, killed_from = _total(reader.mentions, "killed")
    wounded, wounded_from = _total(reader.mentions, "wounded")
    spans = [FactSpan(m.name, v, s, e) for m in killed_from + wounded_from for v, s, e in m.parts]
    change = reader.direction(list(sentences))
    troops = None
    found = reader.troops or (reader.past_troops if change == "decrease" else [])
    if change == "decrease" and reader.levels:
        # a cut: the level forces were brought down to, whatever larger figures (the peak) the report recalls
        troops = reader.levels[0][0]
        spans.append(FactSpan("troops", *reader.levels[0]))
    elif found:
        best = max(found, key=lambda f: f[0])
        troops = best[0]
        spans.append(FactSpan("troops", *best))
    return Facts(killed, wounded, troops, change, tuple(spans))
