"""Trend rules' state between runs: the evaluator's windows as one JSON document (bot/trends/live.py).

One row, replaced on every commit that changed it, inside the caller's transaction (the poll's): a
crash leaves the state and the alerts it fired together, or neither.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.store.database import Database, ts


class TrendStore:
    """The one saved trend state."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def load(self) -> dict[str, Any] | None:
        """The state last saved, or None (never saved, or not a JSON object: the trends start afresh)."""
        row = self._db.row("SELECT state FROM trend_state WHERE id = 1")
        if row is None:
            return None
        try:
            state = json.loads(row["state"])
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    def save(self, state: Mapping[str, Any], now: datetime) -> None:
        with self._db.transaction():
            self._db.execute("INSERT INTO trend_state (id, state, saved_at) VALUES (1, ?, ?) ON CONFLICT(id) DO "
                             "UPDATE SET state=excluded.state, saved_at=excluded.saved_at",
                             (json.dumps(state, separators=(",", ":")), ts(now)))
