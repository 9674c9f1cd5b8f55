"""News sources: fetch bytes politely, parse them, normalise entries into Articles."""
