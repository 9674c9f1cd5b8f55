"""Headline signs of a piece that only talks about an incident, in Serbian, Albanian, Russian and Ukrainian.

bot/engine/kind.py reads English signs ("Analysis:", "What we know"); the outlets of the other four languages
label their pieces the same way in their own words ("Analiza:", "Мнение:", "Çfarë dimë", "Що відомо") and open an
analysis with a question of why ("Zašto sever Kosova ostaje bure baruta", "Pse veriu mbetet i brishtë", "Почему
Кавказ снова горит"): such a piece tells of old deaths as background, not of a new incident. A headline is read
lower-cased and unfolded, so Serbian is listed in both scripts.
"""

from __future__ import annotations

import re
from typing import Literal

LocalKind = Literal["opinion", "analysis", "explainer"]

# a label before a colon or a dash, the way these outlets mark a piece that is not news
_LABEL_END = r"\s*[:|–—-]"

_SIGNS: tuple[tuple[LocalKind, re.Pattern[str]], ...] = (
    ("opinion", re.compile(
        r"^(?:mišljenje|мишљење|kolumna|колумна|komentar|коментар|stav|став|mendim|opinion|koment"
        r"|мнение|колонка|комментарий|думка)" + _LABEL_END)),
    ("analysis", re.compile(
        r"^(?:analiza|анализа|analizë|анализ|аналитика|аналіз|аналітика)" + _LABEL_END
        # a headline that asks why: the question of an analysis, which a report of an incident answers in its lead
        + r"|^(?:zašto|zasto|зашто|pse|почему|чому)\s")),
    ("explainer", re.compile(
        r"^(?:šta|što|шта|што)\s(?:znamo|se\szna|je\spoznato|знамо|се\sзна|је\sпознато)\b"
        r"|^çfarë\s(?:dimë|dihet)\b|^что\s(?:известно|мы\sзнаем|такое)\b|^що\s(?:відомо|ми\sзнаємо|таке)\b"
        r"|\b(?:objašnjavamo|објашњавамо|shpjegojmë|объясняем|пояснюємо)\b")),
)


def headline_kind(headline: str) -> LocalKind | None:
    """The kind a lower-cased headline's own-language label or question gives, or None (then it is what the English
    signs and the lead say)."""
    for kind, pattern in _SIGNS:
        if pattern.search(headline):
            return kind
    return None
