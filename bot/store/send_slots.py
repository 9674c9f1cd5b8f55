"""Send slots shared by every instance: Telegram's limits are per bot, not per process.

Two rows are read and moved forward in one transaction per message: the bot's `global` slot
(~30 messages a second overall) and the chat's (1 a second, 20 a minute in a group). The caller
gets the wall-clock time its message may go at and sleeps until then; the next caller, in this
process or another, books the slot after it. SQLite serialises the transaction with its writer
lock; PostgreSQL's `FOR UPDATE` does the same for the two rows only.
"""

from __future__ import annotations

from datetime import datetime

from bot.store.database import Database, ts, utc

GLOBAL_SLOT = "global"


class SendSlotStore:
    """Book the next send slot for a chat under the bot's global rate."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def book(self, chat_key: str, now: datetime, global_gap: float, chat_gap: float) -> datetime:
        """When a message to `chat_key` may go: no sooner than now, the global slot and the chat's slot.
        Both slots move past it (by `global_gap` and `chat_gap` seconds), in one transaction."""
        lock = self._db.dialect.lock_rows()
        with self._db.transaction():
            self._db.execute("INSERT INTO send_slots (key, next_at) VALUES (?, 0), (?, 0) ON CONFLICT DO NOTHING",
                             (GLOBAL_SLOT, chat_key))
            rows = self._db.rows(f"SELECT key, next_at FROM send_slots WHERE key IN (?, ?) ORDER BY key{lock}",
                                 (GLOBAL_SLOT, chat_key))
            booked = {row[0]: float(row[1]) for row in rows}
            slot = max(ts(now), booked.get(GLOBAL_SLOT, 0.0), booked.get(chat_key, 0.0))
            self._db.executemany("UPDATE send_slots SET next_at=? WHERE key=?",
                                 [(slot + global_gap, GLOBAL_SLOT), (slot + chat_gap, chat_key)])
        return utc(slot)

    def hold(self, chat_key: str, until: datetime) -> None:
        """Flood control for one chat (Telegram said to wait): no instance sends to it before `until`."""
        greatest = self._db.dialect.greatest("send_slots.next_at", "excluded.next_at")
        with self._db.transaction():
            self._db.execute(f"INSERT INTO send_slots (key, next_at) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                             f"SET next_at={greatest}", (chat_key, ts(until)))
