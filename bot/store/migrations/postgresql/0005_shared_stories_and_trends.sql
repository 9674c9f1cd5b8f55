-- SQLite's 0013_shared_stories_and_trends: the LSH band keys of the articles in stories of syndicated
-- copies, shared by every instance (bot/store/articles.py, `stories_sharing`), and a generation on
-- the trend state, so that an instance reads it again when another saved since (bot/trends/live.py).
CREATE TABLE IF NOT EXISTS story_bands (
    band_key BIGINT NOT NULL,
    article_key TEXT NOT NULL,
    seen_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (band_key, article_key)
);
CREATE INDEX IF NOT EXISTS story_bands_by_time ON story_bands (seen_at);
ALTER TABLE trend_state ADD COLUMN IF NOT EXISTS generation BIGINT NOT NULL DEFAULT 0;
