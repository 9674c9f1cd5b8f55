"""Telegram's HTML: reduce any markup to the tags its parse mode accepts, and split a long message.

Telegram answers 400 to a tag it does not know (`<p>`, `<img>`), to unbalanced tags and to a message
whose visible text passes 4,096 UTF-16 code units. The renderer hands its output through
`telegram_html` and `limit_parts`, so every part it produces is one Telegram accepts. No
python-telegram-bot here: the renderer and the terminal sender use these without talking to Telegram.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

from bot.bounds import truncation_note

TELEGRAM_LIMIT = 4096          # characters of visible text per message (UTF-16 code units)
PART_BUDGET = 4000             # leave room for the "(1/3)" marker

# Tags Telegram's HTML parse mode accepts, and the attributes it reads on them.
ALLOWED_TAGS = {"b": (), "strong": (), "i": (), "em": (), "u": (), "ins": (), "s": (), "strike": (), "del": (),
                "a": ("href",), "code": ("class",), "pre": (), "tg-spoiler": (), "span": ("class",),
                "blockquote": ("expandable",)}
_LINE_BREAK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class _Token:
    kind: str           # "text", "open", "close"
    value: str          # escaped text, or the full tag
    name: str = ""


class _TelegramHTML(HTMLParser):
    """Re-serialises HTML keeping only Telegram's tags, balanced, with text re-escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Token] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _LINE_BREAK_TAGS:
            self.tokens.append(_Token("text", "\n"))
            return
        if tag not in ALLOWED_TAGS:
            return
        kept = []
        for key, value in attrs:
            if key not in ALLOWED_TAGS[tag]:
                continue
            if tag == "a" and not (value or "").lower().startswith(("http://", "https://", "tg://")):
                return  # a link Telegram would refuse (javascript:, relative): keep only its text
            if tag == "span" and value != "tg-spoiler":
                return
            kept.append(key if value is None else f'{key}="{html.escape(value, quote=True)}"')
        if tag == "span" and not kept:
            return
        if tag == "a" and not kept:
            return
        self.stack.append(tag)
        self.tokens.append(_Token("open", f"<{' '.join([tag, *kept])}>", tag))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            if tag in ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6"):
                self.tokens.append(_Token("text", "\n"))
            return
        while self.stack:  # close anything left open inside, so nesting stays valid
            top = self.stack.pop()
            self.tokens.append(_Token("close", f"</{top}>", top))
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if data:
            self.tokens.append(_Token("text", html.escape(data, quote=False)))

    def finish(self) -> list[_Token]:
        self.close()
        while self.stack:
            top = self.stack.pop()
            self.tokens.append(_Token("close", f"</{top}>", top))
        return self.tokens


def _tokens(markup: str) -> list[_Token]:
    parser = _TelegramHTML()
    parser.feed(markup)
    return parser.finish()


def telegram_html(markup: str) -> str:
    """Reduce HTML to what Telegram accepts: allowed tags only, balanced, text escaped."""
    text = "".join(t.value for t in _tokens(markup))
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:  # at most one blank line in a row
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def visible_text(markup: str) -> str:
    """The text Telegram shows for this HTML (what its length limit counts)."""
    return "".join(html.unescape(t.value) for t in _tokens(markup) if t.kind == "text")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _split_parts(markup: str, budget: int = PART_BUDGET) -> list[str]:
    """Parts whose visible text fits `budget`, tags closed and reopened at each cut; not numbered."""
    if utf16_len(visible_text(markup)) <= budget:
        return [markup]
    pieces: list[_Token] = []
    for token in _tokens(markup):  # break long text runs at line, then word boundaries
        if token.kind != "text":
            pieces.append(token)
            continue
        raw = html.unescape(token.value)
        for chunk in _text_chunks(raw, budget // 2):
            pieces.append(_Token("text", html.escape(chunk, quote=False)))
    parts: list[str] = []
    current: list[str] = []
    open_tags: list[_Token] = []
    used = 0
    for token in pieces:
        if token.kind == "text":
            size = utf16_len(html.unescape(token.value))
            if used + size > budget and used > 0:
                parts.append("".join(current) + "".join(f"</{t.name}>" for t in reversed(open_tags)))
                current = [t.value for t in open_tags]
                used = 0
            current.append(token.value)
            used += size
        elif token.kind == "open":
            open_tags.append(token)
            current.append(token.value)
        else:
            if open_tags and open_tags[-1].name == token.name:
                open_tags.pop()
            current.append(token.value)
    if used or not parts:
        parts.append("".join(current))
    return [p.strip() for p in parts]


def _numbered(parts: list[str]) -> list[str]:
    total = len(parts)
    return [p + (f"\n({i}/{total})" if total > 1 else "") for i, p in enumerate(parts, 1)]


def split_html(markup: str, budget: int = PART_BUDGET) -> list[str]:
    """Split into parts whose visible text fits Telegram's limit, closing and reopening tags."""
    return _numbered(_split_parts(markup, budget))


def limit_parts(markup: str, max_parts: int, link: str | None, tail: str = "") -> list[str]:
    """At most `max_parts` parts; a longer message is cut and its last part says where to read the rest.

    `tail` (the acknowledgement line) always ends the last part, cut or not.
    """
    parts = _split_parts(markup + tail)
    if len(parts) <= max_parts:
        return _numbered(parts)
    closing = truncation_note(link) + tail
    room = PART_BUDGET - utf16_len(visible_text(closing))
    last = _split_parts(parts[max_parts - 1], room)[0]
    return _numbered([*parts[:max_parts - 1], last + closing])


def _text_chunks(text: str, size: int) -> list[str]:
    """Cut text into pieces of at most `size` characters, preferring newlines, then spaces."""
    chunks = []
    while utf16_len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut < size // 2:
            cut = text.rfind(" ", 0, size)
        if cut < size // 2:
            cut = size
            while utf16_len(text[:cut]) > size:
                cut -= 1
        chunks.append(text[:cut + 1] if text[cut:cut + 1] in ("\n", " ") else text[:cut])
        text = text[len(chunks[-1]):]
    if text:
        chunks.append(text)
    return chunks
