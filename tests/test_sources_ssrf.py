"""Internal addresses are refused, on the first request and on every redirect hop."""

from __future__ import annotations

import pytest

from bot.errors import SourceError
from bot.models import Article
from bot.sources.addresses import AddressPolicy, is_public
from bot.sources.http import fetch, make_client
from tests.fakes.feed_server import FeedServer, Redirect
from tests.feeds import CLASH, rss


def test_address_classes() -> None:
    for internal in ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254", "::1", "fc00::1",
                     "::ffff:127.0.0.1", "100.64.0.1", "0.0.0.0", "224.0.0.1"]:
        assert not is_public(internal), internal
    for public in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"]:
        assert is_public(public), public


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]"])
async def test_internal_hosts_are_refused_before_any_request(feed_server: FeedServer, host: str) -> None:
    feed_server.serve("/feed", rss(CLASH))
    async with make_client(AddressPolicy()) as client:
        with pytest.raises(SourceError, match="internal address"):
            await fetch(client, "evil", f"http://{host}:{feed_server.port}/feed")
    assert feed_server.hits("/feed") == 0


async def test_an_allowed_host_may_not_redirect_inside(feed_server: FeedServer) -> None:
    allowed = f"127.0.0.1:{feed_server.port}"
    feed_server.fault("/feed", Redirect(f"http://127.0.0.2:{feed_server.port}/secret"))
    feed_server.fault("/meta", Redirect("http://169.254.169.254/latest/meta-data/"))
    async with make_client(AddressPolicy(allow_hosts=frozenset({allowed}))) as client:
        for path, target in (("/feed", "127.0.0.2"), ("/meta", "169.254.169.254")):
            with pytest.raises(SourceError, match=f"internal address {target}"):
                await fetch(client, "evil", feed_server.url(path))
    assert feed_server.hits("/secret") == 0


async def test_allow_private_lets_local_feeds_through(feed_server: FeedServer) -> None:
    feed_server.serve("/feed", rss(CLASH))
    async with make_client(AddressPolicy(allow_private=True)) as client:
        result = await fetch(client, "local", feed_server.url("/feed"))
    assert b"Banjska" in result.body


async def test_full_text_never_fetches_an_internal_link(feed_server: FeedServer) -> None:
    from bot.sources.fulltext import FullTextFetcher

    feed_server.serve("/admin", "<html><body><article><p>" + "secret " * 200 + "</p></article></body></html>",
                      content_type="text/html")
    article = Article("feed", "Title", "Feed summary.", url=f"http://localhost:{feed_server.port}/admin")
    async with make_client(AddressPolicy()) as client:
        [result] = await FullTextFetcher(client, deadline=2.0).enrich("feed", [article])
    assert result.text == "Feed summary."
    assert feed_server.hits("/admin") == 0
