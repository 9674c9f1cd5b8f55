"""Odd but valid feeds: relative links, RSS 1.1 and CDF, markup-only content, a Content-Language header.

Every document is parsed both ways (the fast lxml reader where it takes the bytes, and feedparser),
and both must give the same Articles; the header test goes through the real feed server.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.errors import SourceError
from bot.models import Article, Validators
from bot.sources.feedxml import read_feed
from bot.sources.http import first_language, make_client
from bot.sources.rss import RssSource, parse_feed, parse_with_feedparser
from tests.fakes.feed_server import FeedServer

NOW = datetime(2023, 10, 5, tzinfo=UTC)
FEED_URL = "https://wire.example/feeds/main.xml"
XML = "application/rss+xml"


def both(body: str, content_type: str = XML, **kw: str) -> list[Article]:
    """The Articles of both parsers, after checking that they agree."""
    data = body.encode()
    fast = parse_feed("wire", data, content_type, NOW, **kw)
    slow = parse_with_feedparser("wire", data, content_type, NOW, **kw)
    assert fast == slow
    return fast


def rss_items(items: str, channel: str = "") -> str:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Wire</title>'
            f"<link>https://wire.example/</link>{channel}{items}</channel></rss>")


RELATIVE = rss_items(
    "<item><title>Convoy seen near the crossing</title><link>/blog/convoy</link><guid>convoy-7</guid></item>"
    "<item><title>Second report</title><link>reports/two?page=1</link><guid isPermaLink='false'>r2</guid></item>"
    "<item><title>Elsewhere</title><link>//mirror.example/x</link></item>"
    "<item><title>Absolute</title><link>https://other.example/a</link></item>")


def test_relative_links_resolve_against_the_feed_url() -> None:
    assert read_feed(RELATIVE.encode(), XML) is not None   # the fast path takes it
    convoy, second, elsewhere, absolute = both(RELATIVE, url=FEED_URL)
    assert convoy.url == "https://wire.example/blog/convoy"
    assert second.url == "https://wire.example/feeds/reports/two?page=1"
    assert elsewhere.url == "https://mirror.example/x"
    assert absolute.url == "https://other.example/a"
    assert (convoy.guid, second.guid) == ("convoy-7", "r2")   # guids are identities, kept as written


def test_without_a_web_url_links_stay_as_written() -> None:
    convoy = both(RELATIVE)[0]                                  # a file source: nothing to resolve against
    assert convoy.url == "/blog/convoy"
    assert both(RELATIVE, url="file:///srv/feed.xml")[0].url == "/blog/convoy"


def test_a_guid_without_a_link_becomes_an_absolute_link() -> None:
    [article] = both(rss_items("<item><title>Only a guid</title><guid>/posts/41</guid></item>"), url=FEED_URL)
    assert (article.url, article.guid) == ("https://wire.example/posts/41", "/posts/41")


ATOM_WITH_BASE = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/news/">
  <title>Wire</title><id>urn:wire</id><updated>2023-10-02T10:00:00Z</updated>
  <entry><id>urn:1</id><title>Relative to the feed's base</title><link href="clash.html"/>
    <updated>2023-10-02T10:00:00Z</updated><summary>Shots were fired at a checkpoint.</summary></entry>
  <entry xml:base="https://mirror.example/archive/"><id>urn:2</id><title>Relative to the entry's base</title>
    <link href="2023/blockade"/><updated>2023-10-02T10:00:00Z</updated><summary>Roads were closed.</summary>
  </entry>
</feed>"""


def test_xml_base_is_applied_before_the_feed_url() -> None:
    assert read_feed(ATOM_WITH_BASE.encode(), "application/atom+xml") is None   # feedparser's job
    first, second = both(ATOM_WITH_BASE, "application/atom+xml", url=FEED_URL)
    assert first.url == "https://wire.example/news/clash.html"
    assert second.url == "https://mirror.example/archive/2023/blockade"


def test_a_base_attribute_is_left_to_feedparser() -> None:
    body = rss_items("<item base='https://mirror.example/b/'><title>Moved base</title><link>post</link></item>")
    assert read_feed(body.encode(), XML) is None
    [article] = both(body, url=FEED_URL)
    assert article.url == "https://mirror.example/b/post"


RSS11 = """<?xml version="1.0" encoding="utf-8"?>
<Channel xmlns="http://purl.org/net/rss1.1#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         rdf:about="https://wire.example/feeds/main.xml">
  <title>Wire</title><link>https://wire.example/</link><description>Our reports</description>
  <items rdf:parseType="Collection">{items}</items>
</Channel>"""


def test_rss_1_1_is_read() -> None:
    body = RSS11.format(items=(
        '<item rdf:about="https://wire.example/a"><title>Patrol ambushed near the lake</title>'
        "<link>https://wire.example/a</link><description>Two officers were wounded.</description></item>"
        '<item rdf:about="https://wire.example/b"><title>Border crossing closed</title><link>/b</link></item>'))
    first, second = both(body, "application/xml", url=FEED_URL)
    assert (first.title, first.text, first.url) == ("Patrol ambushed near the lake", "Two officers were wounded.",
                                                    "https://wire.example/a")
    assert second.url == "https://wire.example/b"


def test_an_empty_rss_1_1_channel_is_no_news_not_an_error() -> None:
    assert both(RSS11.format(items=""), "application/xml") == []


CDF = """<?xml version="1.0" encoding="utf-8"?>
<CHANNEL HREF="https://wire.example/">
  <TITLE>Wire</TITLE><ABSTRACT>Our reports</ABSTRACT>
  <ITEM HREF="https://wire.example/cdf/1" LASTMOD="2023-09-24T06:00">
    <TITLE>Shelling reported overnight</TITLE><ABSTRACT>Homes were damaged in two villages.</ABSTRACT></ITEM>
  <ITEM HREF="/cdf/2"><TITLE>Curfew lifted</TITLE></ITEM>
</CHANNEL>"""


def test_cdf_is_read() -> None:
    first, second = both(CDF, "application/xml", url=FEED_URL)
    assert (first.title, first.text, first.url) == ("Shelling reported overnight",
                                                    "Homes were damaged in two villages.", "https://wire.example/cdf/1")
    assert first.published == datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
    assert (second.title, second.url) == ("Curfew lifted", "https://wire.example/cdf/2")


@pytest.mark.parametrize("body", [
    "<html><head><title>Hi</title></head><body><h1>Welcome</h1></body></html>",
    '<?xml version="1.0"?><page><title>Not a feed</title></page>',
])
def test_a_page_without_entries_is_still_not_a_feed(body: str) -> None:
    for parse in (parse_feed, parse_with_feedparser):
        with pytest.raises(SourceError, match="not a feed"):
            parse("wire", body.encode(), "text/html", NOW)


MARKUP = "<div class='gallery'>" + "<figure><img src='/i/1.jpg' alt=''/></figure>" * 6 + "<p>&nbsp;</p></div>"
SUMMARY = "Gunmen opened fire on a patrol near the village; one officer was killed."


def test_content_is_chosen_by_its_text_not_its_markup() -> None:
    atom_body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>
  <updated>2023-10-02T10:00:00Z</updated>
  <entry><id>urn:g</id><title>Patrol attacked</title><link href="https://wire.example/g"/>
    <updated>2023-10-02T10:00:00Z</updated>
    <summary>{SUMMARY}</summary><content type="html">{_escape(MARKUP)}</content></entry>
</feed>"""
    rss_body = rss_items(
        f"<item><title>Patrol attacked</title><link>https://wire.example/g</link><description>{SUMMARY}"
        f"</description><content:encoded>{_escape(MARKUP)}</content:encoded></item>").replace(
        "<rss version=\"2.0\">", "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">")
    assert len(MARKUP) > 3 * len(SUMMARY)
    for body, content_type in ((atom_body, "application/atom+xml"), (rss_body, XML)):
        assert read_feed(body.encode(), content_type) is not None
        [article] = both(body, content_type)
        assert article.text == SUMMARY


def test_a_longer_text_in_the_content_still_wins() -> None:
    full = f"<p>{SUMMARY}</p><p>The ministry said two more were wounded and taken to hospital.</p>"
    body = rss_items(
        f"<item><title>Patrol attacked</title><link>https://wire.example/g</link><description>{SUMMARY}"
        f"</description><content:encoded>{_escape(full)}</content:encoded></item>").replace(
        "<rss version=\"2.0\">", "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">")
    [article] = both(body)
    assert article.text == SUMMARY + "\nThe ministry said two more were wounded and taken to hospital."


def _escape(html: str) -> str:
    return html.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize(("header", "tag"), [
    ("sr", "sr"), ("sr-Latn, en", "sr-Latn"), ("  de-CH ", "de-CH"), ("", ""), ("en;q=1", ""), ("*", ""),
])
def test_first_language_of_a_header(header: str, tag: str) -> None:
    assert first_language(header) == tag


async def poll(server: FeedServer) -> list[Article]:
    async with make_client() as client:
        return list((await RssSource("wire", server.url("/feed"), 60, client).poll(Validators(), NOW)).articles)


NO_LANGUAGE = rss_items("<item><title>Bridge reopened</title><link>/bridge</link></item>")
WITH_LANGUAGE = rss_items("<item><title>Bridge reopened</title><link>/bridge</link></item>",
                          channel="<language>en-GB</language>")


async def test_content_language_is_the_language_when_the_feed_names_none(feed_server: FeedServer) -> None:
    feed_server.serve("/feed", NO_LANGUAGE, content_type=XML, headers={"Content-Language": "sr-Latn, en"})
    [article] = await poll(feed_server)
    assert article.language == "sr-Latn"
    assert article.url == feed_server.url("/bridge")         # and the link resolved against where it came from
    # the feedparser path reads the header the same way (a charset the fast reader declines)
    feed_server.serve("/feed", NO_LANGUAGE.replace("utf-8", "iso-8859-2"), content_type=XML + "; charset=iso-8859-2",
                      headers={"Content-Language": "sr-Latn"})
    [article] = await poll(feed_server)
    assert article.language == "sr-Latn"


async def test_the_feeds_own_language_wins_over_the_header(feed_server: FeedServer) -> None:
    feed_server.serve("/feed", WITH_LANGUAGE, content_type=XML, headers={"Content-Language": "sr"})
    [article] = await poll(feed_server)
    assert article.language == "en-GB"
    feed_server.serve("/feed", WITH_LANGUAGE.replace("utf-8", "iso-8859-2"),
                      content_type=XML + "; charset=iso-8859-2", headers={"Content-Language": "sr"})
    [article] = await poll(feed_server)
    assert article.language == "en-GB"
