"""Judgements as people and scripts read them: `/feedback` in the chat, a table or JSON Lines for
`beacon feedback`, and the labeled-corpus lines `beacon rules eval` reads (`--export`)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from bot.feedback import Judgement
from bot.render import format_time

MAX_TITLE_SHOWN = 90     # of an article title in a table row or a chat line
CHAT_LIST_LIMIT = 15     # judgements `/feedback` shows; `beacon feedback` lists them all


def _clipped(text: str, limit: int = MAX_TITLE_SHOWN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _state(judgement: Judgement) -> str:
    if judgement.active:
        return "not relevant"
    return f"withdrawn by {judgement.withdrawn_by or '?'}"


def feedback_html(judgements: Sequence[Judgement], timezone: str | None = None, *,
                  limit: int = CHAT_LIST_LIMIT) -> str:
    """The `/feedback` answer: this chat's recent "not relevant" judgements, newest first."""
    if not judgements:
        return ("No alert here has been judged not relevant. The 👎 Not relevant button under an alert "
                "records that the rule fired when it should not have.")
    lines = [f"<b>Judged not relevant here</b> ({len(judgements)})"]
    for j in judgements[:limit]:
        lines.append(f"• {format_time(j.judged_at, timezone, '%d %b %H:%M')} <code>{html.escape(j.rule_id)}</code>"
                     f" — {html.escape(_clipped(j.article.title))}"
                     f"\n  by {html.escape(j.judge.name)} · fired on {html.escape(', '.join(j.fired_on) or '-')}"
                     f" · <code>/feedback {j.id}</code> explains")
    if len(judgements) > limit:
        lines.append(f"… and {len(judgements) - limit} more (beacon feedback lists them all)")
    return "\n".join(lines)


def feedback_table(judgements: Sequence[Judgement]) -> str:
    """One line per judgement for `beacon feedback`: id, time, chat, who, rule, state, fired on, title."""
    headers = ("id", "judged (UTC)", "chat", "by", "rule", "state", "fired on", "article")
    rows = [headers] + [(str(j.id), format_time(j.judged_at, None, "%Y-%m-%d %H:%M"), str(j.judge.chat_id),
                         j.judge.name, j.rule_id, _state(j), _clipped(", ".join(j.fired_on) or "-", 40),
                         _clipped(j.article.title)) for j in judgements]
    if len(rows) == 1:
        return "no judgements\n"
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers) - 1)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip()
             for row in rows]
    return "\n".join(lines) + "\n"


def judgement_record(judgement: Judgement) -> dict[str, Any]:
    """One judgement as plain JSON data (`beacon feedback --format json`)."""
    j, a = judgement, judgement.article
    return {
        "id": j.id,
        "chat": j.judge.chat_id,
        "user_id": j.judge.user_id,
        "user": j.judge.name,
        "alert_id": j.alert_id,
        "event_id": j.event_id,
        "rule": j.rule_id,
        "rule_title": j.rule_title,
        "article": {"key": j.article_key, "source": a.source, "title": a.title, "url": a.url,
                    "published": a.published.isoformat() if a.published else None, "language": a.language},
        "fired_on": [e.as_dict() for e in j.evidence],
        "judged_at": j.judged_at.isoformat(),
        "withdrawn_at": j.withdrawn_at.isoformat() if j.withdrawn_at else None,
        "withdrawn_by": j.withdrawn_by,
    }


def labeled_line(judgement: Judgement) -> dict[str, Any]:
    """A judgement as a line of a labeled corpus (`beacon rules eval FILE`): the article, labeled as not
    an instance of the rule it was judged against."""
    a = judgement.article
    return {
        "id": f"feedback-{judgement.id}",
        "source": a.source,
        "title": a.title,
        "text": a.text,
        "url": a.url,
        "published": a.published.isoformat() if a.published else None,
        "language": a.language,
        "labels": {judgement.rule_id: False},
        "feedback": {"chat": judgement.judge.chat_id, "user": judgement.judge.name,
                     "judged_at": judgement.judged_at.isoformat()},
    }


def json_lines(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
