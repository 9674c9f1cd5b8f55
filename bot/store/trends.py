"""Trend rules' state between runs and between instances: the evaluator's windows as one JSON document
(bot/trends/live.py).

One row, replaced on every commit that changed it, inside the caller's transaction (the poll's): a
crash leaves the state and the alerts it fired together, or neither. Each save moves the row's
generation on by one, so an instance can tell whether the state it holds is still the saved one;
`hold` locks the row until the caller's commit, so two instances count one after the other and a
trend fires once however many instances saw its incidents.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store.database import Database, ts


@dataclass(frozen=True)
class SavedTrendState:
    """The trend state as last saved, and which save that was (0: never saved)."""

    generation: int
    state: dict[str, Any] | None    # None: never saved, or not a JSON object (the trends start afresh)


class TrendStore:
    """The one saved trend state."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def load(self) -> dict[str, Any] | None:
        """The state last saved, or None (never saved, or not a JSON object: the trends start afresh)."""
        return self.saved().state

    def saved(self) -> SavedTrendState:
        """The state last saved, with its generation."""
        row = self._db.row("SELECT state, generation FROM trend_state WHERE id = 1")
        if row is None:
            return SavedTrendState(0, None)
        try:
            state = json.loads(row[0])
        except ValueError:
            state = None
        return SavedTrendState(int(row[1]), state if isinstance(state, dict) else None)

    def hold(self, now: datetime) -> int:
        """Lock the state until the caller's transaction ends (another instance's `hold` waits for it), and
        say the generation saved last. Inside a transaction only: outside one the lock would end at once."""
        if not self._db.in_transaction:
            raise RuntimeError("TrendStore.hold needs the caller's transaction")
        # an upsert that changes nothing: it creates the row the first time and locks it on both backends
        row = self._db.row("INSERT INTO trend_state (id, state, saved_at, generation) VALUES (1, 'null', ?, 0) "
                           "ON CONFLICT (id) DO UPDATE SET generation = trend_state.generation RETURNING generation",
                           (ts(now),))
        return 0 if row is None else int(row[0])

    def save(self, state: Mapping[str, Any], now: datetime) -> int:
        """Replace the state; the generation it is saved as."""
        with self._db.transaction():
            row = self._db.row("INSERT INTO trend_state (id, state, saved_at, generation) VALUES (1, ?, ?, 1) "
                               "ON CONFLICT (id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at, "
                               "generation = trend_state.generation + 1 RETURNING generation",
                               (json.dumps(state, separators=(",", ":")), ts(now)))
        return 0 if row is None else int(row[0])
