-- What several instances must see of each other's work (docs/operations.md "Several instances"):
-- the LSH band keys of the articles in stories of syndicated copies, so that a copy one instance
-- polls finds the original another instance indexed (bot/store/articles.py, `stories_sharing`),
-- and a generation on the trend state, so that an instance whose copy of the state is older than
-- the saved one reads it again before it counts (bot/store/trends.py, bot/trends/live.py).
CREATE TABLE IF NOT EXISTS story_bands (
    band_key INTEGER NOT NULL,                -- one LSH band of the article's MinHash, hashed to 64 bits
    article_key TEXT NOT NULL,                -- its story_members row
    seen_at REAL NOT NULL,                    -- as story_members.seen_at: pruned with it
    PRIMARY KEY (band_key, article_key)
);
CREATE INDEX IF NOT EXISTS story_bands_by_time ON story_bands (seen_at);
ALTER TABLE trend_state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
