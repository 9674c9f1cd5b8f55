-- An alert's decision (AlertStatus) and why, and its key for throttles.
ALTER TABLE alerts ADD COLUMN key TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN status TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE alerts ADD COLUMN reason TEXT;
CREATE INDEX IF NOT EXISTS alerts_by_key ON alerts (rule_id, key, created_at);
