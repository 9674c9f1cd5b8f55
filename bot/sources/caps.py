"""How much of an article's title and text the rules read, apart from bot/sources/normalise.py so that the
config can name the limits without importing the engine that normalising an article needs."""

from __future__ import annotations

# Length caps before matching (polling.max_title_chars / max_text_chars). Matching work grows with the
# text, and faster than linearly in places, so one 4.9 MB title once held the event loop for 70 s;
# real titles are under 300 characters and real long articles 10,000-30,000 (docs/sources.md).
MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 100_000
# The largest caps the config accepts; raw feed fields are cut at a multiple of these before their
# HTML is stripped, so the stripper (whose whitespace tidying is one long C call) never sees megabytes.
TITLE_CHARS_LIMIT = 10_000
TEXT_CHARS_LIMIT = 500_000
