-- An incident may be matched by several rules: how clustering finds it, by each of its rules
-- ("rule:<id>") and their tags ("tag:<tag>"); see bot/events.py.
CREATE TABLE IF NOT EXISTS event_lookup (event_id TEXT NOT NULL, lookup TEXT NOT NULL,
    PRIMARY KEY (lookup, event_id));
CREATE INDEX IF NOT EXISTS event_lookup_by_event ON event_lookup (event_id);
INSERT INTO event_lookup SELECT id, 'rule:' || rule_id FROM events WHERE true ON CONFLICT DO NOTHING;
