"""The lead of a long article: the headline and the first sentences, where news puts the incident.

A news report tells what happened, where and how many died in its headline and first sentences;
the paragraphs after them give background: earlier attacks, tolls of the whole war, history,
reactions. An op-ed, a feature or a trial report mentions the same words anywhere in 5,000 words.
A rule with `scope: lead` is therefore evaluated, on an article longer than LONG_TEXT, against its
title and lead only, and its facts are read from them, so a toll of the war in paragraph nine is
never added to today's. Short items (wire summaries, database notes) are read whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from bot.models import Article

# Longer than this, a text is an article with a lead and a body; shorter, it is all lead.
LONG_TEXT = 1_200
# The lead: at most this many sentences of the body, and no more characters than this (a first
# sentence longer than the cap is kept whole, up to HARD_CAP).
LEAD_SENTENCES = 4
LEAD_CHARS = 900
HARD_CAP = 2_000

# A sentence ends at . ! ? (and a closing quote or bracket) before a capital of any script (Latin, Cyrillic,
# "Č", "Š", "Ž" ...), a digit or an opening quote of any language (English “ ‘, Russian and French « ‹, German and
# Polish „ ‚, whose closing » › “ also close a sentence); the next word's first character is captured and checked
# in code, since `re` has no class for upper-case letters beyond ASCII.
_SENTENCE_END = re.compile(r"[.!?][\"'”’“»›)\]]*\s+(?=[\"'“‘«‹„‚(\[]?(\w))")


def _sentence_ends(text: str) -> Iterator[re.Match[str]]:
    """The sentence ends in the first HARD_CAP characters of text: those before an upper-case letter or a digit."""
    for m in _SENTENCE_END.finditer(text, 0, HARD_CAP):
        first = m.group(1)
        if first.isupper() or first.isdigit():
            yield m


def lead_text(text: str) -> str:
    """The first sentences of a body, at most LEAD_SENTENCES and about LEAD_CHARS; or the whole first paragraph,
    which news writes as its lead, when it runs on past that cut and is no longer than LONG_TEXT (a toll that rose
    in the paragraph's sixth sentence is still the lead's)."""
    end = 0
    for count, m in enumerate(_sentence_ends(text), start=1):
        if end and m.end() > LEAD_CHARS:
            break
        end = m.end()
        if count >= LEAD_SENTENCES:
            break
    if end == 0:
        end = min(len(text), HARD_CAP)
    paragraph = text.find("\n")  # a text of one paragraph has no first paragraph to keep whole
    if end < paragraph <= LONG_TEXT:
        end = paragraph  # the first paragraph, which news writes as the lead, when it runs on past the cut
    return text[:end].rstrip()


# How far into a long report a later toll of its incident is looked for: the paragraphs right after the lead, before
# the background that news puts last.
UPDATES_CHARS = 2_500
# A sentence that updates the incident's toll ("Local officials said later that the toll had risen to 24", "...,
# raising the death toll to 12") or adds dead of another side or group ("at least 14 civilians had also been killed",
# "three attackers also died").
_TOLL_UPDATE = re.compile(
    r"\b(?:(?:death\s)?toll|number\sof\s(?:the\s)?(?:dead|people\skilled|victims))\s(?:had\s|has\s)?(?:since\s|later\s|now\s)?"
    r"(?:risen|rose|climbed|increased|jumped)\sto\b"
    r"|\b(?:raising|bringing|taking|pushing)\s(?:the\s)?(?:death\s)?toll\sto\b"
    r"|\b(?:had|have|has|were|was)\salso\s(?:been\s)?(?:killed|died)\b|\balso\s(?:died|killed)\b")
# ... told of another day, or of the war: "In February, an attack ...", "last year", "since 2015", "a week earlier"
_OTHER_TIME = re.compile(
    r"\b(?:in|since|by|during)\s(?:(?:early|late|mid)[\s-])?(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december|(?:19|20)\d\d)\b|\blast\s(?:year|month|week)|\bearlier\s(?:this|that|in)\b"
    r"|\b(?:a|one|two|three|several)\s(?:days?|weeks?|months?|years?)\s(?:earlier|before|ago)\b|\bprevious\b|\byears?\sago"
    r"|\bsince\s(?:the\s)?(?:start|beginning|war|conflict|insurgency)|\bso\sfar\sthis|\bin\stotal\b|\bclaim")
# ... and a count of the dead in it: a figure or a number word, not an age ("a 61-year-old man") nor a vague "dozens"
_FIGURE = re.compile(r"\b(?:\d[\d,]*(?![\d,]*-year)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                     r"|\w+teen|twenty|thirty|forty|fifty)\b")


def toll_updates(text: str, lead_end: int) -> str:
    """The sentences right after a long report's lead that update its toll or add dead of another side ("the toll had
    risen to 24", "14 civilians had also been killed"), none of them told of another day or of the war: read with the
    lead, they make the incident's total. Empty when there are none."""
    found = []
    tail = text[lead_end:UPDATES_CHARS]
    start = 0
    for m in _SENTENCE_END.finditer(tail):
        sentence = tail[start:m.start() + 1]
        start = m.end()
        low = sentence.lower()
        if _TOLL_UPDATE.search(low) and _FIGURE.search(low) and not _OTHER_TIME.search(low):
            found.append(" ".join(sentence.split()))
    return " ".join(found)


def is_long(article: Article) -> bool:
    return len(article.text) > LONG_TEXT


def lead_article(article: Article) -> Article:
    """The same article cut to its title and lead, with the later sentences that update the lead's toll."""
    lead = lead_text(article.text)
    updates = toll_updates(article.text, len(lead))
    return replace(article, text=f"{lead}\n\n{updates}" if updates else lead)
