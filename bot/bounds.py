"""How big one alert may get: caps on the article fields templates see, `clip`, and a part cap.

A feed controls an article's title and text, so without caps one item with a 1 MB title
became 253 Telegram messages in a subscribed chat (4.9 MB: 1,229), occupying a group for
minutes and delaying every alert behind it. Three layers keep a message small whatever the
feed or the operator's template does: the shipped templates clip every free-text field;
the renderer clips the fields it hands to any template (so a template that forgets is
still bounded); and one alert is cut to at most `delivery.max_parts_per_alert` messages,
the last ending with a line that links the full article.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

DEFAULT_MAX_PARTS = 3
MAX_TITLE_CHARS = 300        # an article's title, an event's headline, an update's report title
MAX_TEXT_CHARS = 3000        # an article's text: most of one message
MAX_FIELD_CHARS = 300        # every other string a template sees (sources, snippets, changes, facts)
MAX_LIST_ITEMS = 50          # items of any list a template sees (sources, updates, evidence, regions)
MAX_URL_CHARS = 2048         # a longer link is dropped from the template's view rather than cut (a cut link is wrong)
MAX_LINE_CHARS = 1000        # one line of a built-in notice or digest
ELLIPSIS = "…"

_FIELD_CAPS = {"title": MAX_TITLE_CHARS, "text": MAX_TEXT_CHARS, "headline": MAX_TITLE_CHARS}


def clip(value: Any, limit: int = MAX_FIELD_CHARS) -> str:
    """`value` as text of at most `limit` characters, cut at a word when one is near, with "…" added.

    Also the `clip(n)` filter of templates; escaped markup is cut as text and escaped again,
    so a cut never splits an entity such as `&amp;`.
    """
    if isinstance(value, Markup):
        return Markup(escape(clip(value.unescape(), limit)))
    text = "" if value is None else str(value)
    limit = max(1, int(limit))
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def clip_filter(value: Any, limit: int = MAX_FIELD_CHARS) -> str:
    """Jinja's `clip(n)`: like `truncate`, but counts the "…" in the limit and never returns more."""
    return clip(value, limit)


def bounded_fields(value: Any, key: str = "") -> Any:
    """A template's view of alert data with every string and list capped (see the limits above)."""
    if isinstance(value, str):
        if key == "url":
            return value if len(value) <= MAX_URL_CHARS else ""
        return clip(value, _FIELD_CAPS.get(key, MAX_FIELD_CHARS))
    if isinstance(value, Mapping):
        return {k: bounded_fields(v, k if isinstance(k, str) else "") for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [bounded_fields(v, key) for v in list(value)[:MAX_LIST_ITEMS]]
        return items if isinstance(value, list) else tuple(items)
    return value


def clip_lines(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """Every line of a built-in message's text capped (a digest lists article titles)."""
    return "\n".join(clip(line, limit) for line in text.split("\n"))


def truncation_note(link: str | None) -> str:
    """The line that ends the last part of a cut alert: where the rest can be read."""
    if link and link.startswith(("http://", "https://")) and len(link) <= MAX_URL_CHARS:
        shown = link if len(link) <= 80 else "open the article"
        return f'\n{ELLIPSIS} (truncated, full text: <a href="{html.escape(link)}">{html.escape(shown)}</a>)'
    return f"\n{ELLIPSIS} (truncated)"
