"""Chats: subscriptions, delivery settings, mutes (as data: `bot.routing` decides what they cover),
and chats that are gone or moved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.enums import Channel, ChatStatus, OutboxStatus
from bot.routing import Mute, Subscription, region_key
from bot.store.database import Database, dt, ts, utc


@dataclass(frozen=True)
class ChatSettings:
    """A chat's delivery preferences; None means Beacon's default."""

    chat_id: int
    timezone: str | None = None       # IANA name, e.g. "Europe/Belgrade"; times are shown in it
    quiet: str | None = None          # "23:00-07:00": non-critical alerts held, then sent as one digest
    digest: str | None = None         # "hourly" | "daily": low-severity alerts gathered into a digest
    silent_below: str | None = None   # severities below this one are sent without a notification sound
    max_per_hour: int | None = None   # ceiling on new alerts per hour; the overflow is summarised


CHAT_SETTING_FIELDS = ("timezone", "quiet", "digest", "silent_below", "max_per_hour")
_PARKED = (OutboxStatus.PENDING, OutboxStatus.SENDING)    # rows a gone or moved chat still had queued
REGION_MUTE = "region:"   # a mute of one region's alerts: `region:<key>`


def _split_regions(value: str | None) -> tuple[str, ...]:
    return tuple(r for r in (value or "").split(",") if r)


class ChatStore:
    """Who receives what, and how."""

    def __init__(self, database: Database) -> None:
        self._db = database

    # -- subscriptions ----------------------------------------------------------------------

    def subscribe(self, chat_id: int, selector: str, now: datetime, thread_id: int | None = None,
                  regions: Sequence[str] | None = None) -> bool:
        """Subscribe a chat or topic. `regions` narrows it, replacing an earlier narrowing (`()`:
        anywhere); None keeps an existing subscription's regions (start-up re-subscribing
        `telegram.chats` must not undo what a user narrowed).

        True if anything changed: a new or re-activated subscription, or other regions.
        """
        keys = None if regions is None else ",".join(dict.fromkeys(k for k in map(region_key, regions) if k))
        with self._db.transaction():
            self._db.execute("INSERT INTO chats (chat_id, status, updated_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(chat_id) DO UPDATE SET status=excluded.status, reason=NULL, "
                             "updated_at=excluded.updated_at", (chat_id, ChatStatus.ACTIVE, ts(now)))
            return self._db.changed(
                "INSERT INTO subscriptions (chat_id, thread_id, selector, active, created_at, regions) "
                "VALUES (?,?,?,1,?,COALESCE(?, '')) ON CONFLICT (chat_id, thread_id, selector) DO UPDATE SET "
                "active=1, regions=COALESCE(?, subscriptions.regions) "
                "WHERE subscriptions.active=0 OR subscriptions.regions != COALESCE(?, subscriptions.regions)",
                (chat_id, thread_id or 0, selector, ts(now), keys, keys, keys)) > 0

    def unsubscribe(self, chat_id: int, selector: str, thread_id: int | None = None,
                    regions: Sequence[str] = ()) -> bool:
        """Remove a subscription (every one here for `all`), or only some regions of a narrowed one.

        Removing a narrowed subscription's last region removes the subscription: it never widens
        to "anywhere". Regions cannot be taken out of an unnarrowed subscription (returns False).
        """
        where = (chat_id, thread_id or 0, selector)
        with self._db.transaction():
            if regions:
                row = self._db.row("SELECT regions FROM subscriptions WHERE chat_id=? AND thread_id=? "
                                   "AND selector=?", where)
                current = _split_regions(row[0]) if row else ()
                drop = {region_key(r) for r in regions}
                left = [r for r in current if r not in drop]
                if not current or len(left) == len(current):
                    return False
                if left:
                    self._db.execute("UPDATE subscriptions SET regions=? WHERE chat_id=? AND thread_id=? "
                                     "AND selector=?", (",".join(left), *where))
                    return True
            if selector == "all" and not regions:
                return self._db.changed("DELETE FROM subscriptions WHERE chat_id=? AND thread_id=?",
                                        (chat_id, thread_id or 0)) > 0
            return self._db.changed("DELETE FROM subscriptions WHERE chat_id=? AND thread_id=? AND selector=?",
                                    where) > 0

    def subscriptions(self, chat_id: int | None = None) -> list[Subscription]:
        rows = self._db.rows(
            "SELECT chat_id, thread_id, selector, regions FROM subscriptions WHERE active=1 "
            "AND (CAST(? AS BIGINT) IS NULL OR chat_id=?) ORDER BY chat_id, thread_id, selector", (chat_id, chat_id))
        return [Subscription(r[0], r[1] or None, r[2], _split_regions(r[3])) for r in rows]

    def subscribed_since(self, chat_id: int, selectors: Sequence[str]) -> datetime | None:
        """When the oldest of these active subscriptions of a chat was made: `explain-delivery` tells a chat
        that subscribed after an incident's last report why it holds no message of it."""
        if not selectors:
            return None
        row = self._db.row(f"SELECT MIN(created_at) FROM subscriptions WHERE active=1 AND chat_id=? "
                           f"AND selector IN ({','.join('?' * len(selectors))})", (chat_id, *selectors))
        return dt(row[0]) if row is not None and row[0] is not None else None

    def routable(self) -> tuple[list[Subscription], frozenset[int]]:
        """Every active subscription, and the chats that are gone: what routing plans from."""
        gone = frozenset(r[0] for r in self._db.rows("SELECT chat_id FROM chats WHERE status != ?",
                                                     (ChatStatus.ACTIVE,)))
        return self.subscriptions(), gone

    def rekey_regions(self, current: Callable[[str], str]) -> int:
        """Rewrite the region keys subscriptions and region mutes store into the keys alerts now carry
        (`current` maps a stored key to today's: an older version stored the slug of a region's name, so
        `idlib` becomes the division's code `sy-id`, `zvecan` the town's `city:...`; a key already current maps
        to itself). Run at start-up on either store; returns how many rows changed. A mute that becomes one the
        chat already has keeps the later end."""
        changed = 0
        with self._db.transaction():
            rows = self._db.rows("SELECT chat_id, thread_id, selector, regions FROM subscriptions WHERE regions != ''")
            for row in rows:
                keys = ",".join(dict.fromkeys(current(k) for k in _split_regions(row[3])))
                if keys != row[3]:
                    self._db.execute("UPDATE subscriptions SET regions=? WHERE chat_id=? AND thread_id=? "
                                     "AND selector=?", (keys, row[0], row[1], row[2]))
                    changed += 1
            rows = self._db.rows("SELECT chat_id, selector, until, created_by, created_at FROM mutes "
                                 "WHERE selector LIKE 'region:%'")
            for row in rows:
                chat_id, selector = row[0], str(row[1])
                rekeyed = REGION_MUTE + current(selector.removeprefix(REGION_MUTE))
                if rekeyed == selector:
                    continue
                self._db.execute("DELETE FROM mutes WHERE chat_id=? AND selector=?", (chat_id, selector))
                self._db.execute("INSERT INTO mutes (chat_id, selector, until, created_by, created_at) "
                                 "VALUES (?,?,?,?,?) ON CONFLICT(chat_id, selector) DO UPDATE SET "
                                 "until=excluded.until, created_by=excluded.created_by, created_at=excluded.created_at "
                                 "WHERE mutes.until < excluded.until",
                                 (chat_id, rekeyed, row[2], row[3], row[4]))
                changed += 1
        return changed

    # -- mutes (data only: bot.routing decides what one covers) -------------------------------

    def active_mutes(self, at: datetime, chat_id: int | None = None) -> list[Mute]:
        """Mutes in force then (chat 0: the operator's, for every chat), soonest to end first; of one chat
        and the operator's if given."""
        rows = self._db.rows("SELECT chat_id, selector, until, created_by FROM mutes WHERE until > ? "
                             "AND (CAST(? AS BIGINT) IS NULL OR chat_id IN (?, 0)) ORDER BY until",
                             (ts(at), chat_id, chat_id))
        return [Mute(r[0], r[1], utc(r[2]), r[3] or "") for r in rows]

    def mute(self, chat_id: int, selector: str, until: datetime, by: str, now: datetime) -> None:
        with self._db.transaction():
            self._db.execute("INSERT INTO mutes (chat_id, selector, until, created_by, created_at) "
                             "VALUES (?,?,?,?,?) ON CONFLICT(chat_id, selector) DO UPDATE SET until=excluded.until, "
                             "created_by=excluded.created_by, created_at=excluded.created_at",
                             (chat_id, selector, ts(until), by, ts(now)))

    def unmute(self, chat_id: int, selector: str) -> int:
        with self._db.transaction():
            if selector == "all":
                return self._db.changed("DELETE FROM mutes WHERE chat_id=?", (chat_id,))
            return self._db.changed("DELETE FROM mutes WHERE chat_id=? AND selector=?", (chat_id, selector))

    def set_config_mutes(self, mutes: Sequence[tuple[str, datetime]], now: datetime) -> None:
        """The config's silences replace the previous config's (kept as chat 0, `created_by` 'config')."""
        with self._db.transaction():
            self._db.execute("DELETE FROM mutes WHERE chat_id=0")
            self._db.executemany("INSERT INTO mutes (chat_id, selector, until, created_by, created_at) "
                                 "VALUES (0, ?, ?, 'config', ?) ON CONFLICT(chat_id, selector) DO UPDATE SET "
                                 "until=excluded.until, created_by=excluded.created_by, "
                                 "created_at=excluded.created_at", [(s, ts(u), ts(now)) for s, u in mutes])

    # -- settings ---------------------------------------------------------------------------

    def settings(self, chat_id: int) -> ChatSettings:
        row = self._db.row("SELECT * FROM chat_settings WHERE chat_id=?", (chat_id,))
        if row is None:
            return ChatSettings(chat_id)
        return ChatSettings(chat_id, *(row[f] for f in CHAT_SETTING_FIELDS))

    def set_setting(self, chat_id: int, name: str, value: str | int | None) -> None:
        """Set (or with None, reset to the default) one of a chat's delivery settings."""
        if name not in CHAT_SETTING_FIELDS:
            raise ValueError(f"unknown chat setting {name!r}")
        with self._db.transaction():
            self._db.execute(f"INSERT INTO chat_settings (chat_id, {name}) VALUES (?, ?) "
                             f"ON CONFLICT(chat_id) DO UPDATE SET {name}=excluded.{name}", (chat_id, value))

    # -- chats gone or moved ------------------------------------------------------------------

    def mark_gone(self, chat_id: int, reason: str, now: datetime) -> int:
        """The bot can no longer write here: pause its subscriptions, park its queued rows (returns how many)."""
        with self._db.transaction():
            self._db.execute("INSERT INTO chats (chat_id, status, reason, updated_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT(chat_id) DO UPDATE SET status=excluded.status, reason=excluded.reason, "
                             "updated_at=excluded.updated_at", (chat_id, ChatStatus.GONE, reason, ts(now)))
            self._db.execute("UPDATE subscriptions SET active=0 WHERE chat_id=?", (chat_id,))
            return self._db.changed(
                "UPDATE outbox SET status=?, last_error=? WHERE chat_id=? AND channel=? AND status IN (?, ?)",
                (OutboxStatus.DEAD, reason, chat_id, Channel.TELEGRAM, *_PARKED))

    def move(self, old_chat_id: int, new_chat_id: int, now: datetime) -> None:
        """A group became a supergroup: rewrite its subscriptions and queued rows atomically.

        A subscription or row the new chat already has is kept as it is; the old chat's copy goes.
        """
        with self._db.transaction():
            self._db.execute("INSERT INTO chats (chat_id, status, updated_at) VALUES (?, ?, ?) "
                             "ON CONFLICT DO NOTHING", (new_chat_id, ChatStatus.ACTIVE, ts(now)))
            self._db.execute(
                "UPDATE subscriptions SET chat_id=? WHERE chat_id=? AND NOT EXISTS (SELECT 1 FROM subscriptions s "
                "WHERE s.chat_id=? AND s.thread_id=subscriptions.thread_id AND s.selector=subscriptions.selector)",
                (new_chat_id, old_chat_id, new_chat_id))
            self._db.execute("DELETE FROM subscriptions WHERE chat_id=?", (old_chat_id,))
            self._db.execute(
                "UPDATE outbox SET chat_id=? WHERE chat_id=? AND channel=? AND status IN (?, ?) AND NOT EXISTS "
                "(SELECT 1 FROM outbox o WHERE o.alert_id=outbox.alert_id AND o.channel=outbox.channel "
                "AND o.chat_id=? AND o.thread_id=outbox.thread_id)",
                (new_chat_id, old_chat_id, Channel.TELEGRAM, *_PARKED, new_chat_id))
            self._db.execute("UPDATE chats SET status=?, reason='migrated', updated_at=? WHERE chat_id=?",
                             (ChatStatus.GONE, ts(now), old_chat_id))
