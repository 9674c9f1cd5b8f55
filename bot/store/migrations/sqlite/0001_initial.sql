-- The first schema: seen articles, alerts, the outbox, subscriptions, chats, sources' state.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    seen_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS seen_by_time ON seen (seen_at);
CREATE TABLE IF NOT EXISTS source_state (
    name TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    last_poll REAL,
    last_success REAL,
    last_error TEXT,
    last_error_at REAL,
    failures INTEGER NOT NULL DEFAULT 0,
    items_seen INTEGER NOT NULL DEFAULT 0,
    next_poll REAL
);
CREATE TABLE IF NOT EXISTS alerts (
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL,
    article_key TEXT NOT NULL,
    created_at REAL NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL REFERENCES alerts (id),
    channel TEXT NOT NULL,
    chat_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',   -- OutboxStatus
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,
    possible_repeat INTEGER NOT NULL DEFAULT 0,
    parts_sent INTEGER NOT NULL DEFAULT 0,    -- of a message split into several parts
    last_error TEXT,
    message_id INTEGER,
    sent_at REAL,
    UNIQUE (alert_id, channel, chat_id, thread_id)
);
CREATE INDEX IF NOT EXISTS outbox_queue ON outbox (status, channel, chat_id, id);
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL DEFAULT 0,
    selector TEXT NOT NULL,                   -- a rule id, 'tag:<tag>', or 'all'
    active INTEGER NOT NULL DEFAULT 1,
    created_at REAL NOT NULL,
    PRIMARY KEY (chat_id, thread_id, selector)
);
CREATE TABLE IF NOT EXISTS chats (
    chat_id INTEGER PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'active',    -- ChatStatus
    reason TEXT,
    updated_at REAL NOT NULL
);
