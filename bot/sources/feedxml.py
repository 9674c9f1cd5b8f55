"""A fast reader for well-formed RSS 2.0/0.9x, RSS 1.0 and Atom 1.0 feeds, built on lxml.

feedparser costs ~5.5 ms per feed of 50 items (it walks every element through Python SAX
callbacks); lxml parses the same bytes in under 1 ms. This reader handles only the common,
well-formed case and reads only the fields `normalise_entry` uses, giving them exactly the
values feedparser would. Whenever it meets something whose feedparser meaning it does not
reproduce (a DOCTYPE, another encoding, xml:base, markup inside a title, base64 or xhtml
content, a feedparser-special element such as media:title nested in an item, ...), it gives
up and returns None, and the caller parses the bytes with feedparser instead. Odd input
therefore behaves as it always did; the fast path only has to be right on the plain case.

Safety: resolve_entities=False, no_network=True, no DTD loading, huge_tree off, and any
document with a DOCTYPE is handed to feedparser, after `bot/sources/xmlentities.py` has cut
the entity declarations that could expand (feedparser's own cut misses those not at the start
of a line), so entity bombs and XXE never expand on either path.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from feedparser.datetimes import _parse_date as fp_parse_date
from feedparser.mixin import _cp1252, _FeedParserMixin
from feedparser.urls import _urljoin
from lxml import etree

# feedparser's own private helpers are imported on purpose: dates, relative-URI joining and the
# cp1252 repair must give byte-for-byte the values the fallback gives (tests/test_sources_parse.py
# parses every fixture both ways). feedparser is pinned below 7 in pyproject.toml.

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_ATOM = "http://www.w3.org/2005/Atom"
_RSS10 = "http://purl.org/rss/1.0/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# namespace URI (lower case) -> the prefix feedparser names its elements by ("" for RSS and Atom)
_PREFIXES: dict[str, str] = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
# every element name feedparser has a handler for ("dc:date" is handled by _start_dc_date)
_HANDLED_BY_FEEDPARSER = frozenset(
    name.split("_", 2)[2].replace("_", ":", 1)
    for name in dir(_FeedParserMixin) if name.startswith(("_start_", "_end_")))

_TITLE = frozenset({"title", "dc:title"})
_SUMMARY = frozenset({"description", "dc:description", "summary"})
_CONTENT = frozenset({"content:encoded", "content", "fullitem"})
_GUID = frozenset({"guid", "id"})
_PUBLISHED = frozenset({"pubdate", "published", "issued", "dcterms:issued"})
_UPDATED = frozenset({"updated", "modified", "dc:date", "dcterms:modified", "lastbuilddate"})
_CREATED = frozenset({"created", "dcterms:created"})
_LANGUAGE = frozenset({"language", "dc:language"})
_READ = _TITLE | _SUMMARY | _CONTENT | _GUID | _PUBLISHED | _UPDATED | _CREATED | _LANGUAGE | {"link"}
# item children feedparser stores under keys normalise_entry never reads, whatever they contain
# that is not itself one of the names above
_IGNORED = frozenset({
    "author", "managingeditor", "contributor", "name", "email", "url", "uri", "homepage", "category",
    "keywords", "comments", "enclosure", "source", "rights", "copyright", "generator", "dc:creator",
    "dc:author", "dc:subject", "dc:publisher", "dc:rights", "slash:comments", "wfw:comment",
    "wfw:commentrss", "media:content", "media:thumbnail", "media:keywords", "media:credit",
    "media:rating", "media:restriction", "media:license", "media:player", "media:category",
    "georss:point", "itunes:duration", "itunes:explicit", "itunes:image", "itunes:author",
    "itunes:keywords", "itunes:episode", "itunes:season", "itunes:episodetype", "width", "height",
})
# keys normalise_entry reads that an unknown element of the same name would overwrite in feedparser
_RESERVED = frozenset({"published_parsed", "updated_parsed", "created_parsed", "guid"})
# Content types (feedparser's short forms too) whose value feedparser passes through as text:
# anything else may be base64-decoded or re-serialised XHTML there.
_TEXT_TYPES = frozenset({"text", "html", "plain", "text/plain", "text/html"})
_HTML_TYPES = _FeedParserMixin.html_types
_LINK_ENTITY = re.compile(r"&([A-Za-z0-9_]+);")
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_UTF8 = frozenset({"utf-8", "utf8"})
_BOM = b"\xef\xbb\xbf"

_local = threading.local()


class Unsupported(Exception):
    """The document holds something this reader does not reproduce: use feedparser."""


@dataclass
class Feed:
    """What the fast reader found: feedparser's version name, feed language, feedparser-shaped entries."""

    version: str
    language: str | None
    entries: list[dict[str, Any]] = field(default_factory=list)
    items: int = 0   # items in the document; with max_items, `entries` holds only the first and last ones


def _parser() -> etree.XMLParser:
    # lxml parsers must not be shared between threads, and parse_feed runs in to_thread workers
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                 recover=False, remove_comments=False, remove_pis=False, collect_ids=False)
        _local.parser = parser
    return parser


def read_feed(body: bytes, content_type: str = "", max_items: int | None = None) -> Feed | None:
    """The feed in `body` if it is plain, well-formed RSS/Atom in UTF-8; None to ask feedparser.

    Documents that set their own base for relative links (`xml:base`, or the `base` attribute
    feedparser also honours) are feedparser's; normalise_entry resolves what stays relative
    against the feed's URL.
    """
    if not _plain_utf8(body, content_type) or b"xml:base" in body:
        return None
    try:
        root = etree.fromstring(body, _parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return None  # entity declarations and DTD-era feeds: feedparser's job
    try:
        return _read(root, max_items)
    except Unsupported:
        return None


def _plain_utf8(body: bytes, content_type: str) -> bool:
    """True when both the HTTP header and the document say UTF-8 (or say nothing)."""
    params = content_type.lower().split(";")[1:]
    for param in params:
        key, _, value = param.partition("=")
        if key.strip() == "charset" and value.strip().strip("\"'") not in _UTF8:
            return False
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and not (mime.endswith(("/xml", "+xml")) or mime == "text/plain"):
        return False  # feedparser reads a feed served as text/html with its loose parser
    head = body[3:] if body.startswith(_BOM) else body
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x4c\x6f\xa7\x94")):
        return False  # UTF-16/32 or EBCDIC
    declared = _DECLARED.match(head.lstrip()[:200])
    return declared is None or declared.group(1).decode().lower() in _UTF8


def _name(element: etree._Element, cache: dict[tuple[str, str | None], str]) -> str:
    """The element's name as feedparser spells it: known namespaces by its prefix, lower case."""
    tag = cast(str, element.tag)   # str for every element a parser built (only code assigning a tag sets others)
    key = (tag, element.prefix)
    name = cache.get(key)
    if name is None:
        namespace, _, local = tag[1:].rpartition("}") if tag[0] == "{" else ("", "", tag)
        lower = namespace.lower()
        prefix = "" if "backend.userland.com/rss" in lower else _PREFIXES.get(lower, element.prefix or "")
        name = f"{prefix.lower()}:{local.lower()}" if prefix else local.lower()
        cache[key] = name
    return name


def _read(root: etree._Element, max_items: int | None = None) -> Feed:
    cache: dict[tuple[str, str | None], str] = {}
    _no_base(root)
    root_name = _name(root, cache)
    language = _lang_attr(root)
    holder: etree._Element | None
    if root_name == "rss" and root.get("version"):
        channels = [c for c in root.iterchildren(etree.Element) if _name(c, cache) == "channel"]
        if len(channels) != 1:
            raise Unsupported("not one channel")
        version, holder = "rss20", channels[0]
    elif root.tag == f"{{{_RDF}}}RDF" and root.find(f"{{{_RSS10}}}*") is not None:
        channels = [c for c in root.iterchildren(etree.Element) if _name(c, cache) == "channel"]
        version, holder = "rss10", channels[0] if channels else None
    elif root.tag == f"{{{_ATOM}}}feed":
        version, holder = "atom10", root
    else:
        raise Unsupported("not RSS 0.9x/2.0, RSS 1.0 or Atom 1.0")
    parent = holder if version == "rss20" and holder is not None else root
    # only the first and the last max_items are kept (which end is the newest is the caller's to say):
    # element proxies and entry dicts are tracked by the garbage collector, and 100,000 of them alive
    # at once cost full collections of 100+ ms on the event loop
    entries: list[etree._Element] = []
    tail: deque[etree._Element] = deque(maxlen=max_items or 0)
    items = 0
    for el in parent.iterchildren(etree.Element):
        if _name(el, cache) in ("item", "entry"):
            items += 1
            if max_items is None or items <= max_items:
                entries.append(el)
            else:
                tail.append(el)
    entries.extend(tail)
    anywhere = root.iter("{*}item", "{*}entry", "{*}Item", "{*}Entry", "{*}ITEM", "{*}ENTRY")
    if sum(1 for el in anywhere if _name(el, cache) in ("item", "entry")) != items:
        raise Unsupported("items outside their usual place")
    if holder is not None:
        _no_base(holder)
        for child in holder.iterchildren(etree.Element):
            if _name(child, cache) in _LANGUAGE:
                language = _text(child)
    return Feed(version, language, [_entry(item, cache) for item in entries], items)


def _no_base(element: etree._Element) -> None:
    """feedparser moves its base URL at a `base` attribute (any prefix): leave such documents to it."""
    if element.keys() and "base" in _attrs(element):
        raise Unsupported("a base attribute")


def _lang_attr(element: etree._Element) -> str | None:
    lang = element.get(_XML_LANG, element.get("lang"))
    return lang.replace("_", "-") if lang else None


def _attrs(element: etree._Element) -> dict[str, str]:
    # feedparser matches attribute names in lower case (isPermaLink -> ispermalink)
    return {key.rsplit("}", 1)[-1].lower(): value for key, value in element.attrib.items()}


def _raw(element: etree._Element) -> str:
    """An element's stripped text; Unsupported where feedparser would read it another way."""
    if len(element):
        raise Unsupported("markup or a comment inside a text element")
    if element.keys():  # most text elements have no attributes: skip building the dict
        attrs = _attrs(element)
        if "mode" in attrs or attrs.get("type", "text").lower() not in _TEXT_TYPES:
            raise Unsupported("base64, xhtml or another content type")
    return (element.text or "").strip()


def _text(element: etree._Element) -> str:
    """An element's text as feedparser's pop() leaves it."""
    return _repair(_raw(element))


def _repair(text: str) -> str:
    if text.isascii():  # both repairs below only ever change non-ASCII text
        return text
    # feedparser undoes "UTF-8 read as Latin-1" on every UTF-8 document's text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252)


def _nested(elements: Iterator[etree._Element], cache: dict[tuple[str, str | None], str]) -> None:
    """Refuse an item whose deeper elements feedparser would read into the item's own fields."""
    for element in elements:
        name = _name(element, cache)
        if name in _READ or name in _RESERVED or (name in _HANDLED_BY_FEEDPARSER and name not in _IGNORED):
            raise Unsupported(f"<{name}> nested in an item")


def _entry(item: etree._Element, cache: dict[tuple[str, str | None], str]) -> dict[str, Any]:
    """One item or entry, as the feedparser entry keys normalise_entry reads."""
    if item.keys() and {"lastmod", "href", "base"} & _attrs(item).keys():
        raise Unsupported("CDF item attributes, or a base attribute")
    entry: dict[str, Any] = {}
    about = item.get(f"{{{_RDF}}}about")
    if about:
        entry["id"] = about
    title_set = summary_seen = content_seen = False
    for child in item.iterchildren(etree.Element):
        name = _name(child, cache)
        if name in _TITLE:
            value = _text(child)
            if not title_set:  # feedparser keeps the first non-empty title
                entry["title"] = value
                title_set = bool(value)
        elif name in _SUMMARY:
            if summary_seen:
                raise Unsupported("two summaries (feedparser turns the second into content)")
            summary_seen = True
            entry["summary"] = _text(child)
        elif name in _CONTENT:
            if content_seen or child.get("src") is not None:
                raise Unsupported("several or external contents")
            content_seen = True
            value = _text(child)
            entry["content"] = [{"value": value}]
            entry.setdefault("summary", value)
        elif name in _GUID:
            guid_is_link = not child.keys() or _attrs(child).get("ispermalink", "true") == "true"
            _no_base(child)
            value = _raw(child)
            if guid_is_link and value:
                value = _urljoin("", value)
            value = _repair(value)
            entry["id"] = value
            if guid_is_link:
                entry.setdefault("link", value)
        elif name == "link":
            _no_base(child)
            _link(child, entry)
        elif name in _PUBLISHED:
            entry["published_parsed"] = fp_parse_date(_text(child))
        elif name in _UPDATED:
            entry["updated_parsed"] = fp_parse_date(_text(child))
        elif name in _CREATED:
            entry["created_parsed"] = fp_parse_date(_text(child))
        elif name in _LANGUAGE:
            entry["language"] = _text(child)
        elif name in _RESERVED or (name in _HANDLED_BY_FEEDPARSER and name not in _IGNORED):
            raise Unsupported(f"<{name}> in an item")
        else:
            if name == "source":  # feedparser's _start_source lets a later title count again
                title_set = False
            _nested(child.iterdescendants(etree.Element), cache)
    return entry


def _link(element: etree._Element, entry: dict[str, Any]) -> None:
    """RSS <link>text</link> or Atom <link href rel type/>, as feedparser's _start_link/pop set 'link'."""
    attrs = _attrs(element)
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        rel = attrs.get("rel", "alternate")
        kind = attrs.get("type", "application/atom+xml" if rel == "self" else "text/html")
        if len(element):
            raise Unsupported("markup inside a link")
        if rel == "alternate" and _FeedParserMixin.map_content_type(kind) in _HTML_TYPES:
            entry["link"] = _urljoin("", href)
        return
    text = _raw(element)
    if text:
        text = _urljoin("", text)
    text = _repair(text)
    # feedparser's repair of "?a=1&b;=2"-style links
    entry["link"] = _LINK_ENTITY.sub(r"&\g<1>", text.replace("&amp;", "&"))
