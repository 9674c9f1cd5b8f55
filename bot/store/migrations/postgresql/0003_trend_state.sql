-- SQLite's 0011_trend_state: trend rules' evaluator state (bot/store/trends.py), one JSON document saved
-- in the same transaction as each poll's seen-marks and alerts.
CREATE TABLE IF NOT EXISTS trend_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL,
    saved_at DOUBLE PRECISION NOT NULL
);
