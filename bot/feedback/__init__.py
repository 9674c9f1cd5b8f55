"""Feedback from the chat: someone judged an alert "not relevant", and the rule can learn from it.

A `Judgement` keeps what was judged as it was shown (the article, the rule, the words that made
it fire), because alerts are forgotten after `events.history_retention` while a judgement stays
a labeled negative for `beacon rules eval`. Pure values and the storage interface; the SQL is in
bot/store/feedback.py, the button in bot/telegram/buttons.py, the listings in `listing.py`, the
explanation in `explain.py`, `beacon feedback` in `command.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.models import Alert, Article, Evidence


@dataclass(frozen=True)
class Judge:
    """Who pressed the button, where."""

    chat_id: int
    user_id: int | None
    name: str                      # "@mallory", or the full name of a user without a username


@dataclass(frozen=True)
class Judgement:
    """"Not relevant": one chat's verdict on one alert, with the article and the rule it fired for."""

    id: int
    judge: Judge
    alert_id: int
    event_id: str | None
    rule_id: str
    rule_title: str
    article: Article
    evidence: tuple[Evidence, ...]     # what made the rule fire, as the alert recorded it
    judged_at: datetime
    withdrawn_at: datetime | None = None   # "Relevant after all" pressed then
    withdrawn_by: str | None = None
    article_key: str = ""              # the article's identity in the store (GUID, else URL, else content hash)

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def fired_on(self) -> tuple[str, ...]:
        """The words and phrases that made the rule fire (its term, near and regex hits), each once."""
        return tuple(dict.fromkeys(e.value for e in self.evidence if e.kind in WORD_EVIDENCE))


# Evidence kinds that are words of the article (regions and facts are not: a `not` on them is no fix)
WORD_EVIDENCE = frozenset({"term", "near", "regex"})


def judged_article(alert: Alert) -> Article:
    """The article as a judgement keeps it: what identifies and labels it, nothing of the feed's bookkeeping."""
    a = alert.article
    return Article(source=a.source, title=a.title, text=a.text, url=a.url, published=a.published,
                   language=a.language or alert.match.language)


class FeedbackRecords(Protocol):
    """The storage a judgement needs (bot/store/feedback.py implements it over the state database)."""

    def judge(self, alert_id: int, judge: Judge, now: datetime) -> Judgement | None:
        """Record "not relevant" (again, if it was withdrawn); None when this chat was never sent the alert."""

    def withdraw(self, alert_id: int, judge: Judge, now: datetime) -> Judgement | None:
        """"Relevant after all": the chat's judgement is withdrawn (kept, marked); None if there was none."""

    def judgements(self, *, chat_id: int | None = None, rule_id: str | None = None, withdrawn: bool = False,
                   limit: int | None = None) -> list[Judgement]:
        """Newest first; withdrawn ones only when asked."""

    def get(self, judgement_id: int) -> Judgement | None:
        """One judgement by its id, withdrawn or not."""

    def judged(self, alert_id: int, chat_id: int) -> bool:
        """Does this chat hold the alert not relevant now? (its message then offers the undo)"""
