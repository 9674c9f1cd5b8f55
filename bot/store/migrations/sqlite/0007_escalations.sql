-- On-call escalation (bot/escalation.py): one row per escalated alert. `since` is when the wait for
-- the next step began, so the wait follows the config in force when it ends.
CREATE TABLE IF NOT EXISTS escalations (alert_id INTEGER PRIMARY KEY REFERENCES alerts (id),
    step INTEGER NOT NULL DEFAULT 0, chats TEXT NOT NULL, started_at REAL NOT NULL, since REAL NOT NULL,
    done_at REAL, acknowledged_by TEXT);
CREATE INDEX IF NOT EXISTS escalations_open ON escalations (done_at, since);
-- the alert an escalation message (re-notification, mention, the alert in another chat) is for:
-- an acknowledgement drops those not sent yet
ALTER TABLE outbox ADD COLUMN escalates INTEGER;
CREATE INDEX IF NOT EXISTS outbox_escalates ON outbox (escalates) WHERE escalates IS NOT NULL;
