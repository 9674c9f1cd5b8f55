-- "Not relevant" judgements from the chat (bot/store/feedback.py): one per chat and alert, withdrawn
-- ("Relevant after all") rather than deleted. The article and the evidence are copied in: alerts are
-- pruned after events.history_retention, and a judgement stays a labeled negative for `beacon rules eval`.
CREATE TABLE IF NOT EXISTS judgements (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    user_id INTEGER,
    user_name TEXT NOT NULL,
    alert_id INTEGER NOT NULL,
    event_id TEXT,
    rule_id TEXT NOT NULL,
    rule_title TEXT NOT NULL,
    article_key TEXT NOT NULL,
    article TEXT NOT NULL,
    evidence TEXT NOT NULL,
    judged_at REAL NOT NULL,
    withdrawn_at REAL,
    withdrawn_by TEXT,
    UNIQUE (chat_id, alert_id)
);
CREATE INDEX IF NOT EXISTS judgements_by_rule ON judgements (rule_id, judged_at);
CREATE INDEX IF NOT EXISTS judgements_by_time ON judgements (judged_at);
