-- Events: one incident, clustered across reports; `state` is its JSON snapshot (facts, sources, ...).
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, key TEXT NOT NULL,
    status TEXT NOT NULL, severity TEXT NOT NULL, first_at REAL NOT NULL, last_at REAL NOT NULL,
    alert_id INTEGER, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_rule ON events (rule_id, last_at);
ALTER TABLE alerts ADD COLUMN event_id TEXT;
-- what a row does (AlertAction): send a new message, update (edit + threaded reply), edit only
ALTER TABLE outbox ADD COLUMN action TEXT NOT NULL DEFAULT 'send';
ALTER TABLE outbox ADD COLUMN event_id TEXT;
-- a subscription narrowed to regions: comma-separated region keys, '' = anywhere
ALTER TABLE subscriptions ADD COLUMN regions TEXT NOT NULL DEFAULT '';
-- per-chat delivery settings; NULL = the default
CREATE TABLE IF NOT EXISTS chat_settings (chat_id INTEGER PRIMARY KEY, timezone TEXT, quiet TEXT,
    digest TEXT, silent_below TEXT, max_per_hour INTEGER);
