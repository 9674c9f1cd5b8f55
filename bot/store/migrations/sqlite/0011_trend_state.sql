-- Trend rules' evaluator state (bot/store/trends.py, bot/trends/live.py): one JSON document, saved in
-- the same transaction as each poll's seen-marks and alerts, so a restart neither forgets a window
-- nor fires a trend twice.
CREATE TABLE IF NOT EXISTS trend_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL,
    saved_at REAL NOT NULL
);
