"""Articles: the seen-marks that make a poll idempotent, stories of syndicated copies, and history pruning."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.enums import AlertStatus, OutboxStatus
from bot.models import Article, StoryMember
from bot.store.database import Database, marks, ts, utc


class ArticleStore:
    """Seen-marks and story members; `prune_history` forgets what is over."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def is_seen(self, article: Article) -> bool:
        keys = article.identity_keys
        return self._db.row(f"SELECT 1 FROM seen WHERE key IN ({marks(len(keys))}) LIMIT 1", keys) is not None

    def unseen(self, articles: Iterable[Article]) -> list[Article]:
        """Articles none of whose identity keys is known, without repeats within the batch.

        One query per batch (in chunks under the parameter limit), not one per article.
        """
        articles = list(articles)
        keys = list({k for a in articles for k in a.identity_keys})
        known: set[str] = set()
        step = self._db.dialect.max_params
        for i in range(0, len(keys), step):
            chunk = keys[i:i + step]
            known.update(r[0] for r in self._db.rows(f"SELECT key FROM seen WHERE key IN ({marks(len(chunk))})",
                                                     chunk))
        fresh = []
        for article in articles:
            article_keys = article.identity_keys
            if known.intersection(article_keys):
                continue
            known.update(article_keys)  # a repeat later in the same batch
            fresh.append(article)
        return fresh

    def mark_seen(self, source: str, articles: Sequence[Article], now: datetime) -> set[str]:
        """Every identity key of these articles, as one statement (inside the caller's transaction); the keys
        that were not marked yet. A key another transaction marked first (another instance's poll of the same
        article, committed meanwhile) is left out: PostgreSQL makes this insert wait for that commit.

        One statement and one step for the whole batch: executemany releases and retakes the GIL per
        row, and with a worker thread matching, each retake on the event loop could wait (bench/stall.py).
        """
        keys = json.dumps([k for article in articles for k in article.identity_keys])
        rows = self._db.rows(f"INSERT INTO seen (key, source, seen_at) SELECT value, ?, ? "
                             f"FROM {self._db.dialect.json_keys()} WHERE true ON CONFLICT DO NOTHING RETURNING key",
                             (source, ts(now), keys))
        return {row[0] for row in rows}

    def add_story_members(self, members: Sequence[StoryMember], now: datetime) -> None:
        """Articles' places in their stories, with their LSH band keys (inside the caller's transaction: the
        poll's commit), so that every instance finds them among a later copy's candidates."""
        self._db.executemany(
            "INSERT INTO story_members (article_key, story_id, source, signature, seen_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(m.article_key, m.story_id, m.source, m.signature, ts(now)) for m in members])
        for member in members:   # one statement per member (a few per poll: matched articles only)
            if member.bands:
                self._db.execute(f"INSERT INTO story_bands (band_key, article_key, seen_at) "
                                 f"SELECT CAST(value AS BIGINT), ?, ? FROM {self._db.dialect.json_keys()} "
                                 f"WHERE true ON CONFLICT DO NOTHING",
                                 (member.article_key, ts(now), json.dumps(member.bands)))

    def story_members(self, since: datetime) -> list[StoryMember]:
        """Recent articles' story members, oldest first, to rebuild the index."""
        return [StoryMember(r[0], r[1], r[2], bytes(r[3]), utc(r[4])) for r in self._db.rows(
            "SELECT article_key, story_id, source, signature, seen_at FROM story_members WHERE seen_at >= ? "
            "ORDER BY seen_at", (ts(since),))]

    def stories_sharing(self, bands: Sequence[int], since: datetime) -> list[StoryMember]:
        """Every member, oldest first, of the stories with an article seen since then that shares one of
        these LSH band keys: a new article's candidate originals, whichever instance indexed them."""
        if not bands:
            return []
        # two steps: most articles copy nothing, and then the first (index probes only) is all it costs
        sharing = [r[0] for r in self._db.rows(f"SELECT DISTINCT article_key FROM story_bands WHERE band_key IN "
                                               f"({marks(len(bands))}) AND seen_at >= ?", (*bands, ts(since)))]
        if not sharing:
            return []
        return [StoryMember(r[0], r[1], r[2], bytes(r[3]), utc(r[4])) for r in self._db.rows(
            "SELECT article_key, story_id, source, signature, seen_at FROM story_members WHERE seen_at >= ? AND "
            f"story_id IN (SELECT story_id FROM story_members WHERE article_key IN ({marks(len(sharing))})) "
            "ORDER BY seen_at", (ts(since), *sharing))]

    def story_rules(self, story_id: str) -> set[str]:
        """Rules that already alerted on some copy of this story."""
        rows = self._db.rows("SELECT DISTINCT a.rule_id FROM alerts a JOIN story_members m "
                             "ON a.article_key = m.article_key WHERE m.story_id = ? AND a.status = ?",
                             (story_id, AlertStatus.QUEUED))
        return {r[0] for r in rows}

    def prune_seen(self, before: datetime) -> int:
        with self._db.transaction():
            return self._db.changed("DELETE FROM seen WHERE seen_at < ?", (ts(before),))

    def prune_stories(self, before: datetime) -> int:
        with self._db.transaction():
            self._db.execute("DELETE FROM story_bands WHERE seen_at < ?", (ts(before),))
            return self._db.changed("DELETE FROM story_members WHERE seen_at < ?", (ts(before),))

    def prune_history(self, before: datetime) -> int:
        """Forget alerts decided before then whose deliveries are all over (sent, dead, muted, skipped,
        digested), with their outbox rows, acknowledgements and escalations, and events quiet since then.

        Alerts still waiting somewhere (pending, sending, held) are kept, whatever their age.
        """
        cutoff = ts(before)
        waiting = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.HELD)
        with self._db.transaction():
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS old_alerts (id INTEGER PRIMARY KEY)")
            self._db.execute("DELETE FROM old_alerts")
            self._db.execute(
                "INSERT INTO old_alerts SELECT a.id FROM alerts a WHERE a.created_at < ? AND NOT EXISTS "
                f"(SELECT 1 FROM outbox o WHERE o.alert_id = a.id AND o.status IN ({marks(len(waiting))}))",
                (cutoff, *waiting))
            for table in ("outbox", "acks", "escalations"):
                self._db.execute(f"DELETE FROM {table} WHERE alert_id IN (SELECT id FROM old_alerts)")
            removed = self._db.changed("DELETE FROM alerts WHERE id IN (SELECT id FROM old_alerts)")
            self._db.execute("DELETE FROM events WHERE last_at < ? AND status != 'held'", (cutoff,))
            self._db.execute("DELETE FROM event_lookup WHERE event_id NOT IN (SELECT id FROM events)")
            self._db.execute("DELETE FROM old_alerts")
        return removed
