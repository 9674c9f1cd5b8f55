-- Why a source said it is gone, and the first failure of the current run of failures.
ALTER TABLE source_state ADD COLUMN disabled TEXT;
ALTER TABLE source_state ADD COLUMN failing_since REAL;
