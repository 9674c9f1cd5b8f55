"""The fast lxml reader and feedparser must give the same Articles; odd input must reach feedparser.

Every fixture here is parsed twice, once by `parse_feed` (the fast reader where it accepts the
bytes) and once by `parse_with_feedparser`, and the Articles (titles, links, guids, dates, text,
language) must be equal. A second group checks which path each fixture takes, so the
comparison cannot pass by quietly falling back everywhere.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

import pytest

from bot.errors import SourceError
from bot.sources.feedxml import read_feed
from bot.sources.rss import parse_feed, parse_with_feedparser

NOW = datetime(2023, 10, 5, tzinfo=UTC)
RSS_TYPE = "application/rss+xml; charset=utf-8"
DECL = '<?xml version="1.0" encoding="utf-8"?>\n'
NAMESPACES = ('xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
              'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" '
              'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:x="urn:example:unknown"')


def rss(items: str, *, channel: str = "<language>sr-Latn</language>", decl: str = DECL, root: str = "") -> bytes:
    return (f'{decl}<rss version="2.0" {NAMESPACES}{root}><channel><title>Wire</title>'
            f"<link>https://wire.example/</link><description>News</description>{channel}{items}"
            "</channel></rss>").encode()


def atom(entries: str, *, lang: str = ' xml:lang="de"') -> bytes:
    return (f'{DECL}<feed xmlns="http://www.w3.org/2005/Atom"{lang}><title>Feed</title><id>urn:feed</id>'
            f"<updated>2023-10-02T10:00:00Z</updated>{entries}</feed>").encode()


ITEM = ("<item><title>Bridge reopens after repairs</title><link>https://wire.example/bridge?utm_source=rss&amp;p=2"
        "</link><guid isPermaLink=\"false\">wire:1</guid><pubDate>Mon, 02 Oct 2023 08:15:00 +0200</pubDate>"
        "<description>&lt;p&gt;Traffic flows again.&lt;/p&gt;&lt;p&gt;Trams follow next week.&lt;/p&gt;</description>"
        "</item>")

# Feeds the fast reader must accept, each with the same Articles as feedparser gives.
FAST: dict[str, tuple[bytes, str]] = {
    "rss 2.0": (rss(ITEM * 2), RSS_TYPE),
    "rss 2.0 without a declaration or a content type": (rss(ITEM, decl=""), ""),
    "rss 2.0 served as text/xml, non-ASCII": (rss(ITEM.replace("Bridge", "Mostić")), "text/xml"),
    "rss 2.0 with a BOM": (b"\xef\xbb\xbf" + rss(ITEM), RSS_TYPE),
    "content:encoded longer than the description": (rss(
        "<item><title>Short</title><link>https://wire.example/s</link><description>teaser</description>"
        "<content:encoded><![CDATA[<p>The whole story, <b>much</b> longer than its teaser.</p>]]></content:encoded>"
        "<dc:date>2023-09-24T08:00:00+02:00</dc:date><dc:language>sr</dc:language></item>"), RSS_TYPE),
    "content:encoded before the description, no description": (rss(
        "<item><content:encoded>&lt;p&gt;Only content&lt;/p&gt;</content:encoded><title>C</title></item>"
        "<item><content:encoded>x</content:encoded><description>a longer description here</description></item>"),
        RSS_TYPE),
    "guid as link, relative and permalink variants": (rss(
        "<item><title>A</title><guid>https://wire.example/a</guid></item>"
        "<item><title>B</title><guid isPermaLink=\"true\">b-relative</guid></item>"
        "<item><title>C</title><guid isPermaLink=\"True\">c</guid></item>"
        "<item><title>D</title><guid>https://wire.example/d</guid><link>https://wire.example/d-link</link></item>"
        "<item><title>E</title><link>https://wire.example/e-link</link><guid>https://wire.example/e</guid></item>"
        "<item><title>F</title><guid></guid></item>"
        "<item><title>G</title><link></link><guid>https://wire.example/g</guid></item>"
        "<item><title>H</title><guid>https:///wire.example/h</guid></item>"), RSS_TYPE),
    "identity chaos": (rss(
        "<item><guid>same</guid><title>First</title><link>https://wire.example/1</link></item>"
        "<item><guid>same</guid><title>Second</title><link>https://wire.example/2</link></item>"
        "<item><title>No guid</title><link>https://wire.example/3?utm_medium=x#top</link></item>"
        "<item><description>only text</description></item><item></item>"
        "<item><title>   </title><description>  spaced   out  </description></item>"), RSS_TYPE),
    "html and scripts in titles and text": (rss(
        "<item><guid>h1</guid><title>Tom &amp; &lt;Jerry&gt; &lt;script&gt;alert(1)&lt;/script&gt;</title>"
        "<link>javascript:alert(1)</link><description>&lt;p onclick=\"x()\"&gt;Hi&lt;img src=x&gt;&lt;/p&gt;"
        "&lt;script&gt;bad()&lt;/script&gt;&lt;style&gt;p{}&lt;/style&gt;</description></item>"
        "<item><guid>h2</guid><title><![CDATA[a<b & c]]></title><description><![CDATA[<p>para</p>]]></description>"
        "</item><item><guid>h3</guid><title>5 &lt; 6 &amp;amp; x &#169; &#x2014;</title></item>"
        "<item><guid>h4</guid><title type=\"html\">&lt;b&gt;Bold&lt;/b&gt; move</title></item>"), RSS_TYPE),
    "odd dates": (rss("".join(
        f"<item><guid>d{i}</guid><title>Date {i}</title><pubDate>{d}</pubDate></item>" for i, d in enumerate([
            "Sun, 24 Sep 2023 06:00:00 +0200", "24 Sep 2023 06:00:00 GMT", "Sunday, 24-Sep-23 06:00:00 GMT",
            "2023-09-24T06:00:00Z", "2023-09-24 06:00:00", "Sun, 24 Sep 2023 06:00:00 EST",
            "Sun, 24 Sep 2023 06:00 PDT", "not a date", "", "Sun, 24 Sep 2023 6:00:00 GMT",
            "Mon, 31 Feb 2023 06:00:00 GMT", "2023-09-24", "Sun, 24 Sept 2023 06:00:00 GMT",
            "Sun,24 Sep 2023 06:00:00 GMT", "Sun, 24 Sep 23 06:00:00 GMT", "Wed, 01 Jan 2031 00:00:00 GMT",
            "  Sun, 24 Sep 2023 06:00:00 GMT  ", "1695535200"]))), RSS_TYPE),
    "several dates, updated and created": (rss(
        "<item><title>U</title><dc:date>2023-09-20T10:00:00Z</dc:date><pubDate>bad</pubDate></item>"
        "<item><title>V</title><dcterms:modified>2023-09-21T10:00:00Z</dcterms:modified>"
        "<dcterms:created>2023-09-19T10:00:00Z</dcterms:created></item>"
        "<item><title>W</title><pubDate>Sun, 24 Sep 2023 06:00:00 GMT</pubDate>"
        "<pubDate>Mon, 25 Sep 2023 06:00:00 GMT</pubDate></item>"), RSS_TYPE),
    "two titles, the first empty": (rss("<item><title></title><title>Second wins</title></item>"
                                        "<item><title>First wins</title><title>Second loses</title></item>"), RSS_TYPE),
    "links: several, atom:link, entity fix": (rss(
        "<item><title>L1</title><link>https://wire.example/1</link><link>https://wire.example/1b</link></item>"
        "<item><title>L2</title><atom:link rel=\"alternate\" href=\"https://wire.example/2\"/></item>"
        "<item><title>L3</title><link>https://wire.example/3</link><atom:link rel=\"self\" href=\"https://x/3\"/>"
        "</item><item><title>L4</title><link>  https://wire.example/4?a=1&amp;amp;b=2&amp;c;=3  </link></item>"
        "<item><title>L5</title><link>https:///wire.example/5</link></item>"), RSS_TYPE),
    "extensions feedparser files elsewhere": (rss(
        "<item><title>Ext</title><link>https://wire.example/ext</link><dc:creator>Ana</dc:creator>"
        "<author>desk@wire.example (Desk)</author><category>Politics</category><comments>https://wire.example/c"
        "</comments><enclosure url=\"https://wire.example/a.mp3\" length=\"1\" type=\"audio/mpeg\"/>"
        "<media:content url=\"https://wire.example/p.jpg\" medium=\"image\"/><source url=\"https://other.example/\">"
        "Other</source><x:rating>5</x:rating><x:deep><x:deeper>ok</x:deeper></x:deep></item>"), RSS_TYPE),
    "item language and channel language": (rss("<item><title>Lang</title><language>hr</language></item>"
                                               "<item><title>Plain</title></item>"), RSS_TYPE),
    "no channel language, root xml:lang": (rss("<item><title>Root lang</title></item>", channel="",
                                              root=' xml:lang="bs_BA"'), RSS_TYPE),
    "comments outside text elements": (rss("<!-- a --><item><!-- b --><title>Commented</title></item>"), RSS_TYPE),
    "mis-decoded UTF-8 and cp1252 controls": (rss("<item><title>CafÃ© \u0093quoted\u0094</title></item>"), RSS_TYPE),
    "rss 1.0": (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                b'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                b'<channel rdf:about="http://r.example/"><title>R</title><link>http://r.example/</link>'
                b"<description>d</description><dc:language>fr</dc:language></channel>"
                b'<item rdf:about="http://r.example/1"><title>Bridge closes</title><link>http://r.example/1</link>'
                b"<description>For repairs.</description><dc:date>2023-09-24T06:00:00Z</dc:date></item>"
                b'<item rdf:about="http://r.example/2"><title>No link</title></item></rdf:RDF>',
                "application/rdf+xml"),
    "rss 0.92 without a doctype": (rss(ITEM).replace(b'version="2.0"', b'version="0.92"'), "text/xml"),
    "atom 1.0": (atom(
        '<entry><id>urn:1</id><title type="html">Army chief: troops &lt;i&gt;cut&lt;/i&gt;</title>'
        '<link rel="alternate" href="https://a.example/cut"/><link rel="enclosure" href="https://a.example/x.mp3"/>'
        "<published>2023-10-01T09:00:00+01:00</published><updated>2023-10-02T10:00:00Z</updated>"
        '<summary type="html">&lt;b&gt;8,350&lt;/b&gt; to 4,500</summary>'
        '<content type="html">&lt;p&gt;A longer body than the summary, with &lt;b&gt;markup&lt;/b&gt;.&lt;/p&gt;'
        "</content><author><name>Desk</name><uri>https://a.example/desk</uri></author></entry>"
        '<entry><id>urn:2</id><title>Text only</title><link href="https://a.example/2"/>'
        '<updated>2023-10-02T11:00:00Z</updated><content type="text">Plain &amp; simple &lt;not a tag&gt;</content>'
        "</entry><entry><id>https://a.example/3</id><title>Id as link</title>"
        '<link rel="related" href="https://a.example/related"/></entry>'
        '<entry><id>urn:4</id><title>Two alternates</title><link href="https://a.example/4a"/>'
        '<link rel="alternate" type="text/html" href="https://a.example/4b"/>'
        '<link rel="alternate" type="application/pdf" href="https://a.example/4.pdf"/></entry>'),
        "application/atom+xml"),
    "atom without a language": (atom("<entry><id>urn:9</id><title>Bare</title></entry>", lang=""), ""),
}

# Bytes the fast reader must decline (feedparser decides), and what must come out.
FALLBACK: dict[str, tuple[bytes, str]] = {
    "malformed: raw ampersand": (rss(ITEM + "<item><title>Loose & broken</title></item>"), RSS_TYPE),
    "malformed: unclosed tag": (rss(ITEM + "<item><title>Unclosed <b>bold</title></item>"), RSS_TYPE),
    "html entity without a DTD": (rss("<item><title>Caf&eacute;&nbsp;open</title></item>"), RSS_TYPE),
    "doctype (rss 0.91)": (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                           b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">'
                           + rss(ITEM, decl="").replace(b'version="2.0"', b'version="0.91"'), "text/xml"),
    "latin-1 declared": (rss("<item><title>Caf\u00e9</title></item>", decl="").decode().encode("latin-1")
                         .replace(b"<rss", b'<?xml version="1.0" encoding="ISO-8859-1"?><rss', 1), "text/xml"),
    "BOM plus a windows-1251 declaration": (b"\xef\xbb\xbf" + rss(
        "<item><title>Напад у Бањској</title><guid>c1</guid></item>",
        decl='<?xml version="1.0" encoding="windows-1251"?>\n'), RSS_TYPE),
    "undeclared cp1251 with a charset header": (rss("<item><title>Напад</title></item>", decl="").decode()
                                                .encode("cp1251"), "text/xml; charset=windows-1251"),
    "served as text/html": (rss(ITEM), "text/html"),
    "xml:base": (rss(ITEM, root=' xml:base="https://base.example/"'), RSS_TYPE),
    "markup inside a title": (rss("<item><title>Big <b>news</b></title></item>"), RSS_TYPE),
    "media:title in an item": (rss("<item><media:title>Only a media title</media:title></item>"), RSS_TYPE),
    "media:group with a title": (rss("<item><title>T</title><media:group><media:title>M</media:title>"
                                     "</media:group></item>"), RSS_TYPE),
    "source with a nested title": (rss("<item><title>T</title><source><title>S</title></source></item>"), RSS_TYPE),
    "description and summary": (rss("<item><description>d</description><summary>s</summary></item>"), RSS_TYPE),
    "atom xhtml content": (atom('<entry><id>urn:x</id><title>X</title><content type="xhtml">'
                                '<div xmlns="http://www.w3.org/1999/xhtml"><p>Para</p></div></content></entry>'), ""),
    "atom base64 content": (atom('<entry><id>urn:y</id><title>Y</title><content type="application/octet-stream">'
                                 "SGVsbG8=</content></entry>"), ""),
    "atom 0.3": (b'<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title>'
                 b"<entry><title>Old atom</title><id>urn:o</id><issued>2023-09-24T06:00:00Z</issued></entry></feed>",
                 ""),
    "item outside the channel": (rss(ITEM).replace(b"</channel></rss>", b"</channel>" + ITEM.encode() + b"</rss>"),
                                 RSS_TYPE),
    "comment inside a title": (rss("<item><title>Split<!-- x --> title</title></item>"), RSS_TYPE),
}

LAUGHS = '<!DOCTYPE rss [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
) + '<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
FALLBACK["billion laughs and XXE"] = (
    rss('<item><guid>b</guid><title>T &lol9; &xxe;</title><description>d</description></item>', decl=DECL + LAUGHS),
    RSS_TYPE)


def both(body: bytes, content_type: str) -> tuple[object, object]:
    """parse_feed's and feedparser's answers (an Article list, or the error text)."""
    out = []
    for parse in (parse_feed, parse_with_feedparser):
        try:
            out.append(parse("wire", body, content_type, NOW))
        except SourceError as exc:
            out.append(str(exc))
    return out[0], out[1]


@pytest.mark.parametrize("name", FAST)
def test_fast_reader_takes_plain_feeds_and_agrees_with_feedparser(name: str) -> None:
    body, content_type = FAST[name]
    assert read_feed(body, content_type) is not None, "the fast reader declined a plain feed"
    fast, slow = both(body, content_type)
    assert isinstance(slow, list) and slow, "fixture yields no articles through feedparser"
    assert fast == slow


@pytest.mark.parametrize("name", FALLBACK)
def test_odd_input_goes_to_feedparser(name: str) -> None:
    body, content_type = FALLBACK[name]
    assert read_feed(body, content_type) is None
    fast, slow = both(body, content_type)
    assert fast == slow


@pytest.mark.parametrize(("body", "content_type", "reason"), [
    (b"", RSS_TYPE, "not a feed (empty body)"),
    (b"  \n", RSS_TYPE, "not a feed (empty body)"),
    (b"<html><head><title>Hi</title></head><body><h1>Welcome</h1></body></html>", "text/html", "no RSS or Atom"),
    (b'<?xml version="1.0"?><html><body><p>XHTML page</p></body></html>', "application/xml", "no RSS or Atom"),
    (b'<?xml version="1.0"?><rss><channel><title>No version</title></channel></rss>', RSS_TYPE, None),
])
def test_not_a_feed_is_still_an_error(body: bytes, content_type: str, reason: str | None) -> None:
    assert read_feed(body, content_type) is None
    fast, slow = both(body, content_type)
    assert fast == slow
    if reason:
        assert isinstance(fast, str) and reason in fast


def test_entity_bomb_stays_flat_on_both_paths() -> None:
    body, content_type = FALLBACK["billion laughs and XXE"]
    started = time.monotonic()
    [article] = parse_feed("wire", body, content_type, NOW)
    assert time.monotonic() - started < 2  # generous: a real expansion takes far longer and gigabytes
    assert len(article.title) < 50 and "lol" in article.title


# Random items built from the pieces real feeds use, in random order: both paths must agree.
_PIECES = (
    "<title>Headline {n}</title>", "<title><![CDATA[CDATA & <em>{n}</em>]]></title>",
    "<title>Škoda plant {n} &amp; union</title>", "<title></title>", "<dc:title>DC title {n}</dc:title>",
    "<link>https://wire.example/{n}?utm_campaign=x&amp;id={n}</link>", "<link/>",
    '<atom:link rel="alternate" type="text/html" href="https://wire.example/alt/{n}"/>',
    "<guid>https://wire.example/g/{n}</guid>", '<guid isPermaLink="false">tag:{n}</guid>', "<guid>rel-{n}</guid>",
    "<pubDate>Tue, 03 Oct 2023 0{d}:30:00 GMT</pubDate>", "<pubDate>03 Oct 2023 1{d}:00 +0100</pubDate>",
    "<dc:date>2023-10-0{d}T12:00:00+03:00</dc:date>", "<dcterms:created>2023-09-2{d}</dcterms:created>",
    "<description>Plain text {n}, about the harbour.</description>",
    "<description>&lt;p&gt;HTML &lt;a href='x'&gt;text&lt;/a&gt; {n}&lt;/p&gt;</description>",
    "<content:encoded><![CDATA[<div><p>Full body {n}</p><p>with two paragraphs and more words</p></div>]]>"
    "</content:encoded>", "<dc:language>sl</dc:language>", "<category>Region</category>",
    "<dc:creator>Reporter {n}</dc:creator>", '<enclosure url="https://wire.example/{n}.jpg" type="image/jpeg"/>',
    "<comments>https://wire.example/{n}#c</comments>", "<x:score>{n}</x:score>",
    '<media:thumbnail url="https://wire.example/t{n}.jpg"/>',
)


def test_random_items_agree() -> None:
    rng = random.Random(4)
    items = []
    for n in range(400):
        pieces = rng.sample(_PIECES, rng.randint(1, 7))
        # at most one summary-like and one content element: feedparser moves a second one elsewhere
        descriptions = [p for p in pieces if p.startswith("<description")]
        pieces = [p for p in pieces if p not in descriptions[1:]]
        items.append("<item>" + "".join(p.format(n=n, d=rng.randint(1, 9)) for p in pieces) + "</item>")
    for start in range(0, len(items), 25):
        body = rss("".join(items[start:start + 25]))
        assert read_feed(body, RSS_TYPE) is not None
        fast, slow = both(body, RSS_TYPE)
        assert fast == slow
