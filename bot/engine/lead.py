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


def is_long(article: Article) -> bool:
    return len(article.text) > LONG_TEXT


def lead_article(article: Article) -> Article:
    """The same article cut to its title and lead."""
    return replace(article, text=lead_text(article.text))
