-- Syndicated copies of one article: the story each recent article belongs to, with its signature.
CREATE TABLE IF NOT EXISTS story_members (article_key TEXT PRIMARY KEY, story_id TEXT NOT NULL,
    source TEXT NOT NULL, signature BLOB NOT NULL, seen_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS story_members_by_story ON story_members (story_id);
