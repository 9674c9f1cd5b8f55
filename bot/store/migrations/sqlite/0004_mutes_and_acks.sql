-- Mutes (chat 0: the config's, for every chat) and acknowledgements.
CREATE TABLE IF NOT EXISTS mutes (chat_id INTEGER NOT NULL, selector TEXT NOT NULL, until REAL NOT NULL,
    created_by TEXT, created_at REAL NOT NULL, PRIMARY KEY (chat_id, selector));
CREATE TABLE IF NOT EXISTS acks (alert_id INTEGER NOT NULL, chat_id INTEGER NOT NULL, user TEXT NOT NULL,
    at REAL NOT NULL, PRIMARY KEY (alert_id, chat_id));
