"""Feed entry -> Article: plain text, canonical URL, UTC time, stable identity."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bot.engine.text import without_lone_surrogates
from bot.models import Article
from bot.sources.caps import MAX_TEXT_CHARS, MAX_TITLE_CHARS, TEXT_CHARS_LIMIT, TITLE_CHARS_LIMIT

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|ref_src)$", re.I)
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
               "section", "article", "header", "footer", "table", "pre", "hr"}
_SKIP_TAGS = {"script", "style", "template", "noscript", "iframe", "object", "svg"}
FUTURE_SLACK = timedelta(hours=1)

_RAW_TITLE_CHARS = 4 * TITLE_CHARS_LIMIT
_RAW_TEXT_CHARS = 2 * TEXT_CHARS_LIMIT
_WORD_SLACK = 0.8   # a cut moves back to a space only within the last 20% of the cap


@dataclass(frozen=True)
class TextCaps:
    """How many characters of an article's title and text the rules read."""

    title: int = MAX_TITLE_CHARS
    text: int = MAX_TEXT_CHARS


def cut_at_word(text: str, limit: int) -> str:
    """At most `limit` characters, ending at a word boundary when one is near the cap.

    A word cut in half could read as another, shorter term; text without spaces near the
    cap (Chinese, Japanese, one endless token) is cut at the cap itself.
    """
    if len(text) <= limit:
        return text
    head = text[:limit + 1]   # one more: a space right after the cap is a boundary too
    boundary = max(head.rfind(" "), head.rfind("\n"))
    if boundary >= limit * _WORD_SLACK:
        return head[:boundary].rstrip()
    return head[:limit]


def cap_article(article: Article, caps: TextCaps) -> Article:
    """The article as the rules read it: title and text within the caps, the cut noted in `truncated`,
    and any lone surrogate replaced by U+FFFD (a JSON source can carry one; nothing downstream can encode
    it, from the rules' regular expressions to the Bot API request). Unchanged when already so."""
    title, text = without_lone_surrogates(article.title), without_lone_surrogates(article.text)
    if title is not article.title or text is not article.text:
        article = replace(article, title=title, text=text)
    if len(article.title) <= caps.title and len(article.text) <= caps.text:
        return article
    notes = [article.truncated] if article.truncated else []
    title, text = cut_at_word(article.title, caps.title), cut_at_word(article.text, caps.text)
    if title != article.title:
        notes.append(f"title {len(title)} of {len(article.title)} chars")
    if text != article.text:
        notes.append(f"text {len(text)} of {len(article.text)} chars")
    return replace(article, title=title, text=text, truncated="; ".join(notes))


def _raw_cut(entry: Mapping[str, Any], notes: list[str]) -> Mapping[str, Any]:
    """The entry with raw (HTML) title, summary and content cut before stripping, each cut noted.

    The configured caps cut the text further at ingest; this only keeps megabytes away from the
    stripper. The entry is copied only when a field is over (feeds almost never are).
    """
    fields = {"title": _RAW_TITLE_CHARS, "summary": _RAW_TEXT_CHARS}
    if "summary" not in entry:   # feedparser answers "description" with the summary: one field, one cut
        fields["description"] = _RAW_TEXT_CHARS
    over = [k for k, limit in fields.items() if len(entry.get(k, "") or "") > limit]
    content = entry.get("content") or []
    long_content = any(len(c.get("value", "") or "") > _RAW_TEXT_CHARS for c in content)
    if not over and not long_content:
        return entry
    cut = dict(entry)
    for key in over:
        value = entry.get(key, "") or ""
        cut[key] = value[:fields[key]]
        notes.append(f"{key} read {fields[key]} of {len(value)} raw chars")
    if long_content:
        cut["content"] = [{**c, "value": (c.get("value", "") or "")[:_RAW_TEXT_CHARS]} for c in content]
        notes.append(f"content read {_RAW_TEXT_CHARS} raw chars")
    return cut


class _TextExtractor(HTMLParser):
    """Collects visible text; blocks become line breaks, scripts and styles vanish."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment with entities decoded and whitespace tidied."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment, no tracking parameters."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)] \
        if parts.query else []  # urlencode([]) is "": skip the round trip for the many links without a query
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme.lower() == "http":
        netloc = netloc[:-3]
    if netloc.endswith(":443") and parts.scheme.lower() == "https":
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def absolute_link(link: str | None, base: str) -> str | None:
    """A relative link (`/blog/post`) resolved against the feed's URL; absolute links, and every link
    of a feed read without a web URL (a file), stay as they are."""
    if not link or not base.startswith(("http://", "https://")):
        return link
    link = link.strip()
    try:
        if urlsplit(link).scheme:
            return link
        return urljoin(base, link)
    except ValueError:   # an unparsable link ("http://[") stays as the feed wrote it
        return link


def entry_time(entry: Mapping[str, Any], now: datetime) -> datetime | None:
    """Published (else updated) time in UTC; a date in the future is clamped to `now`."""
    return clamped(feed_time(entry), now)


def feed_time(entry: Mapping[str, Any]) -> datetime | None:
    """Published (else updated) time in UTC, as the feed gives it."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # plain dict access: feedparser's own .get maps a missing updated_parsed to published_parsed
        # with a DeprecationWarning
        parsed = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def clamped(when: datetime | None, now: datetime) -> datetime | None:
    """A date in the future (past `FUTURE_SLACK`) is `now`: a feed's clock, or its time zone, is wrong, and a
    report cannot be newer than its arrival."""
    return now if when is not None and when > now + FUTURE_SLACK else when


def future_claim(when: datetime | None, now: datetime) -> datetime | None:
    """The feed's date when `clamped` replaced it, kept to be shown; None otherwise."""
    return when if when is not None and when > now + FUTURE_SLACK else None


def _entry_text(entry: Mapping[str, Any]) -> str:
    """The longest text among the summary and the contents, measured after stripping HTML.

    Measured as HTML, a content of markup and an empty paragraph would beat a real summary. A
    fragment's text is never longer than its HTML, so a content no longer than the best text so far
    is not parsed at all.
    """
    summary = entry.get("summary", "") or entry.get("description", "") or ""
    best = html_to_text(summary)
    for content in entry.get("content") or []:
        value = content.get("value", "") or ""
        if len(value) <= len(best) or value == summary:
            continue
        text = html_to_text(value)
        if len(text) > len(best):
            best = text
    return best


def normalise_entry(entry: Mapping[str, Any], source: str, now: datetime,
                    language: str | None = None, *, base: str = "") -> Article | None:
    """A feedparser entry as an Article, or None when it has neither title nor text.

    Title and text are capped at the largest caps the config allows; the configured (smaller)
    caps are applied at ingest (`cap_article`), so a hostile feed costs little even here.
    """
    notes: list[str] = []
    entry = _raw_cut(entry, notes)
    title = html_to_text(entry.get("title", "") or "")
    text = _entry_text(entry)
    if not title and not text:
        return None
    guid = (entry.get("id") or entry.get("guid") or "").strip() or None
    link = canonical_url(absolute_link(entry.get("link"), base))   # base: the feed's URL
    claimed = feed_time(entry)
    article = Article(
        source=source,
        title=title,
        text=text,
        url=link,
        guid=guid,
        published=clamped(claimed, now),
        language=(entry.get("language") or language or None),
        truncated="; ".join(notes) or None,
        claimed_published=future_claim(claimed, now),
    )
    return cap_article(article, TextCaps(TITLE_CHARS_LIMIT, TEXT_CHARS_LIMIT))
