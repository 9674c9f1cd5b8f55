"""Judgements from the chat ("not relevant"), kept as labels: the article and evidence are copied in,
since alerts are pruned after `events.history_retention` and a label must outlive them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.enums import Channel, OutboxStatus
from bot.feedback import Judge, Judgement, judged_article
from bot.models import Article, Evidence
from bot.store.alerts import AlertStore
from bot.store.database import Database, Row, dt, ts, utc

_COLUMNS = ("id, chat_id, user_id, user_name, alert_id, event_id, rule_id, rule_title, article_key, article, "
            "evidence, judged_at, withdrawn_at, withdrawn_by")


class FeedbackStore:
    """The `judgements` table: one row per chat and alert, withdrawn rather than deleted."""

    def __init__(self, database: Database, alerts: AlertStore) -> None:
        self._db = database
        self._alerts = alerts

    def judge(self, alert_id: int, judge: Judge, now: datetime) -> Judgement | None:
        """Record "not relevant" for an alert this chat was sent (again, if it was withdrawn); None, and
        nothing written, for an alert the chat never had (a forged or stale button) or one pruned since."""
        with self._db.transaction():
            alert = self._alerts.get(alert_id)
            if alert is None or not self._was_sent(alert_id, judge.chat_id):
                return None
            a = judged_article(alert)
            article = {"source": a.source, "title": a.title, "text": a.text, "url": a.url,
                       "published": a.published.isoformat() if a.published else None, "language": a.language}
            evidence = [e.as_dict() for e in alert.match.evidence]
            self._db.execute(
                "INSERT INTO judgements (chat_id, user_id, user_name, alert_id, event_id, rule_id, rule_title, "
                "article_key, article, evidence, judged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, alert_id) DO UPDATE SET user_id=excluded.user_id, "
                "user_name=excluded.user_name, judged_at=excluded.judged_at, withdrawn_at=NULL, withdrawn_by=NULL "
                "WHERE judgements.withdrawn_at IS NOT NULL",
                (judge.chat_id, judge.user_id, judge.name, alert_id, self._alerts.event_id(alert_id), alert.rule_id,
                 alert.match.rule_title, alert.article.key, json.dumps(article, ensure_ascii=False),
                 json.dumps(evidence, ensure_ascii=False), ts(now)))
            return self._one("chat_id=? AND alert_id=?", (judge.chat_id, alert_id))

    def withdraw(self, alert_id: int, judge: Judge, now: datetime) -> Judgement | None:
        """"Relevant after all": the chat's judgement of the alert is marked withdrawn; None if it had none."""
        with self._db.transaction():
            self._db.execute("UPDATE judgements SET withdrawn_at=?, withdrawn_by=? WHERE chat_id=? AND alert_id=? "
                             "AND withdrawn_at IS NULL", (ts(now), judge.name, judge.chat_id, alert_id))
            return self._one("chat_id=? AND alert_id=?", (judge.chat_id, alert_id))

    def judgements(self, *, chat_id: int | None = None, rule_id: str | None = None, withdrawn: bool = False,
                   limit: int | None = None) -> list[Judgement]:
        """Newest first; withdrawn ones only when asked."""
        # typed NULL tests: PostgreSQL cannot tell the type of a bare `? IS NULL`
        sql = (f"SELECT {_COLUMNS} FROM judgements WHERE (CAST(? AS BIGINT) IS NULL OR chat_id=?) "
               "AND (CAST(? AS TEXT) IS NULL OR rule_id=?) AND (? OR withdrawn_at IS NULL) "
               "ORDER BY judged_at DESC, id DESC")
        params: list[Any] = [chat_id, chat_id, rule_id, rule_id, withdrawn]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._db.rows(sql, params)
        return [_judgement(r) for r in rows]

    def get(self, judgement_id: int) -> Judgement | None:
        return self._one("id=?", (judgement_id,))

    def judged(self, alert_id: int, chat_id: int) -> bool:
        return self._db.row("SELECT 1 FROM judgements WHERE alert_id=? AND chat_id=? AND withdrawn_at IS NULL",
                            (alert_id, chat_id)) is not None

    def _one(self, where: str, params: tuple[Any, ...]) -> Judgement | None:
        row = self._db.row(f"SELECT {_COLUMNS} FROM judgements WHERE {where}", params)
        return _judgement(row) if row else None

    def _was_sent(self, alert_id: int, chat_id: int) -> bool:
        """Was this chat sent the alert, its incident's message or an escalation of it?"""
        return self._db.row(
            "SELECT 1 FROM outbox WHERE status=? AND channel=? AND chat_id=? AND (alert_id=? OR escalates=? "
            "OR event_id=(SELECT event_id FROM alerts WHERE id=?)) LIMIT 1",
            (OutboxStatus.SENT, Channel.TELEGRAM, chat_id, alert_id, alert_id, alert_id)) is not None


def _judgement(row: Row) -> Judgement:
    a: dict[str, Any] = json.loads(row["article"])
    published = a.get("published")
    article = Article(source=a["source"], title=a["title"], text=a.get("text", ""), url=a.get("url"),
                      published=datetime.fromisoformat(published) if published else None,
                      language=a.get("language"))
    evidence = tuple(Evidence(**e) for e in json.loads(row["evidence"]))
    return Judgement(id=row["id"], judge=Judge(row["chat_id"], row["user_id"], row["user_name"]),
                     alert_id=row["alert_id"], event_id=row["event_id"], rule_id=row["rule_id"],
                     rule_title=row["rule_title"], article=article, evidence=evidence,
                     judged_at=utc(row["judged_at"]), withdrawn_at=dt(row["withdrawn_at"]),
                     withdrawn_by=row["withdrawn_by"], article_key=row["article_key"])
