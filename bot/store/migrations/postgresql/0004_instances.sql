-- SQLite's 0012_instances. Several Beacons on one database (bot/store/leases.py, docs/operations.md "Several instances"):
-- named leases (the Telegram command poller, the timers), each instance's last sign of life,
-- the shared send slots that pace every instance together, and who holds each outbox row and
-- source while it works on it. A lease whose time is past is free: its holder died or stalled.
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,                    -- enums.LeaseName
    holder TEXT NOT NULL,                     -- an instance id (host:pid, or cluster.name)
    until DOUBLE PRECISION NOT NULL,
    since DOUBLE PRECISION NOT NULL                       -- when this holder took it
);
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY,
    started_at DOUBLE PRECISION NOT NULL,
    seen_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS send_slots (
    key TEXT PRIMARY KEY,                     -- 'global' or '<channel>:<chat_id>'
    next_at DOUBLE PRECISION NOT NULL                     -- the earliest time the next message may go
);
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until DOUBLE PRECISION;
ALTER TABLE source_state ADD COLUMN leased_by TEXT;
ALTER TABLE source_state ADD COLUMN lease_until DOUBLE PRECISION;
ALTER TABLE source_state ADD COLUMN leased_at DOUBLE PRECISION;
