"""The state database, split by what its callers need.

`Store` owns the connection and hands out one part per consumer, all over that one connection:
`store.articles` (seen-marks, stories, history), `store.alerts`, `store.events`, `store.outbox`
(queue, claim, complete, holds, digests), `store.chats` (subscriptions, settings, mutes as data),
`store.escalations`, `store.sources`, `store.feedback` (the chat's "not relevant" judgements),
`store.trends` (trend rules' state),
`store.leases` and `store.send_slots` (several instances sharing the database, bot/instances.py).
A part's method that writes is its own short transaction, or joins the caller's:
`with store.transaction():` around several parts commits them together.

Crash safety rests on two rules: an article is marked seen in the same transaction that commits
its alerts and their outbox rows (`Store.commit_articles`), and an outbox row is claimed before
the send and marked sent only after Telegram accepted it (`bot.store.outbox`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from bot.database_location import DatabaseLocation
from bot.feedback import FeedbackRecords
from bot.models import Alert, Article, StoryMember, Validators
from bot.store import migrations
from bot.store.alerts import AlertRecord, AlertStore
from bot.store.articles import ArticleStore
from bot.store.chats import CHAT_SETTING_FIELDS, ChatSettings, ChatStore
from bot.store.database import Database
from bot.store.escalations import EscalationStore
from bot.store.events import EventReport, EventStore, OriginalDelivery
from bot.store.feedback import FeedbackStore
from bot.store.leases import LeaseStore
from bot.store.outbox import DeadDelivery, HeldRow, OutboxRow, OutboxStore, Route
from bot.store.send_slots import SendSlotStore
from bot.store.sources import SourceState, SourceStore
from bot.store.trends import TrendStore

log = logging.getLogger(__name__)

__all__ = ["CHAT_SETTING_FIELDS", "AlertRecord", "ChatSettings", "DeadDelivery", "EventReport", "HeldRow",
           "OriginalDelivery", "OutboxRow", "SourceState", "Store", "StoryMember"]


class Store:
    """The state database: its parts, and the one transaction that spans them."""

    def __init__(self, where: Path | DatabaseLocation, *, migrate: bool = True) -> None:
        """Open (creating if new) the database, a SQLite file or the PostgreSQL database a config names;
        `migrate` applies pending schema migrations first, as `beacon run` always has (`beacon db status`
        opens without)."""
        self._attach(Database.at(where))
        if migrate:
            migrations.migrate(self.database)

    def reader(self) -> Store:
        """The same parts over a read-only connection of the calling thread's own (a SQLite connection
        belongs to the thread that opened it); close it after use."""
        reader = Store.__new__(Store)
        reader._attach(self.database.reader())
        return reader

    def _attach(self, database: Database) -> None:
        self.database = database
        self.path = database.path
        self.articles = ArticleStore(self.database)
        self.alerts = AlertStore(self.database)
        # the interface bot/feedback/ defines: what the chat's judgements need stored
        self.feedback: FeedbackRecords = FeedbackStore(self.database, self.alerts)
        self.events = EventStore(self.database)
        self.chats = ChatStore(self.database)
        self.sources = SourceStore(self.database)
        self.trends = TrendStore(self.database)
        self.escalations = EscalationStore(self.database, self.alerts, self.events)
        self.outbox = OutboxStore(self.database, self.alerts, self.events, self.chats, self.escalations)
        # several instances on one database (bot/instances.py): named leases, who runs, shared send pacing
        self.leases = LeaseStore(self.database)
        self.send_slots = SendSlotStore(self.database)

    @property
    def db(self) -> sqlite3.Connection:
        """The raw SQLite connection: PRAGMAs, tests and benchmarks only (a PostgreSQL store has none)."""
        return self.database.db

    def close(self) -> None:
        self.database.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One commit for everything written inside it, by any part (see `Database.transaction`)."""
        with self.database.transaction() as db:
            yield db

    def commit_articles(self, source: str, articles: Sequence[Article], alerts: Sequence[Alert], route: Route,
                        now: datetime, members: Sequence[StoryMember] = (),
                        validators: Validators | None = None) -> list[int | None]:
        """Ingest's one commit: mark articles seen, record their stories, queue their alerts for every target,
        and count them for their source; each alert's id, None for one not queued (below).

        With `validators`, the poll's success (validators, last poll, failures reset) goes into the
        same transaction: one commit, so one fsync (synchronous=FULL) per poll instead of two.

        An article another instance committed between this poll's reading and this commit (a poll that
        outlived its source's lease, on a loaded machine or across a database restart) was alerted there:
        its alerts are not queued a second time.
        """
        with self.transaction():
            self.articles.add_story_members(members, now)
            marked = self.articles.mark_seen(source, articles, now)
            polled = {key for article in articles for key in article.identity_keys}
            alert_ids: list[int | None] = []
            for alert in alerts:
                keys = set(alert.article.identity_keys)
                if keys & polled and not keys & marked:
                    log.warning("source %s: %r was saved by another instance first; its alerts are that one's",
                                source, alert.article.title[:60])
                    alert_ids.append(None)
                    continue
                alert_ids.append(self.outbox.queue(alert, route))
            if articles:
                self.sources.count_items(source, len(articles))
            if validators is not None:
                self.sources.record_success(source, validators, now)
        return alert_ids

    def shift_schedules(self, seconds: float, now: datetime) -> int:
        """After a wall-clock jump: future retries, source backoffs and on-call escalation waits keep the
        delay they had, in one transaction; returns the rows moved."""
        with self.transaction():
            return self.outbox.shift(seconds, now) + self.sources.shift(seconds, now) \
                + self.escalations.shift(seconds)
