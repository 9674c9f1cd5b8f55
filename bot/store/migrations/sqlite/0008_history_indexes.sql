-- Lookups that scanned whole tables as history grew (found by bench/soak.py).
CREATE INDEX IF NOT EXISTS events_by_status ON events (status);
CREATE INDEX IF NOT EXISTS alerts_by_event ON alerts (event_id);
CREATE INDEX IF NOT EXISTS alerts_by_article ON alerts (article_key);
CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (created_at);
