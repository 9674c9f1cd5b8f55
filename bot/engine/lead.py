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
from dataclasses import replace

from bot.models import Article

# Longer than this, a text is an article with a lead and a body; shorter, it is all lead.
LONG_TEXT = 1_200
# The lead: at most this many sentences of the body, and no more characters than this (a first
# sentence longer than the cap is kept whole, up to HARD_CAP).
LEAD_SENTENCES = 4
LEAD_CHARS = 900
HARD_CAP = 2_000

# A sentence ends at . ! ? (and a closing quote or bracket) before a capital, a digit or an opening quote.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def lead_text(text: str) -> str:
    """The first sentences of a body, at most LEAD_SENTENCES and about LEAD_CHARS."""
    end = 0
    for count, m in enumerate(_SENTENCE_END.finditer(text, 0, HARD_CAP), start=1):
        if end and m.end() > LEAD_CHARS:
            break
        end = m.end()
        if count >= LEAD_SENTENCES:
            break
    if end == 0:
        end = min(len(text), HARD_CAP)
    return text[:end].rstrip()


def is_long(article: Article) -> bool:
    return len(article.text) > LONG_TEXT


def lead_article(article: Article) -> Article:
    """The same article cut to its title and lead."""
    return replace(article, text=lead_text(article.text))
