"""Internal addresses are refused, on the first request and on every redirect hop."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli
from bot.config import HeartbeatConfig, SourceConfig
from bot.errors import SourceError
from bot.models import Article
from bot.sources.addresses import AddressPolicy, is_public, url_problem
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


# -- IPv6 addresses that carry an IPv4 address, or that only look public -----------------------------------------

@pytest.mark.parametrize("address", [
    "::127.0.0.1", "::10.0.0.1", "::8.8.8.8",          # IPv4-compatible: deprecated, never public
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",           # NAT64 to loopback, to the cloud metadata address
    "64:ff9b:1::808:808",                              # local-use NAT64 goes wherever the local network says
    "2002:7f00:1::1", "2002:c0a8:101::1",              # 6to4 around 127.0.0.1 and 192.168.1.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",            # Teredo to 127.0.0.1
    "fec0::1", "feff::1",                              # site-local (deprecated, still routed inside networks)
    "::ffff:169.254.169.254",
])
def test_ipv6_forms_of_internal_addresses_are_internal(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8", "2a00:1450:4001::1"])
def test_ipv6_forms_of_public_addresses_stay_public(address: str) -> None:
    assert is_public(address)


@pytest.mark.parametrize("host", ["[::127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "[fec0::1]"])
async def test_ipv6_hosts_embedding_internal_addresses_are_refused(feed_server: FeedServer, host: str) -> None:
    async with make_client(AddressPolicy()) as client:
        with pytest.raises(SourceError, match="internal address"):
            await fetch(client, "evil", f"http://{host}:{feed_server.port}/feed")
    assert feed_server.hits("/feed") == 0


# -- configured URLs that do not say plainly where they go ------------------------------------------------------

@pytest.mark.parametrize(("url", "problem"), [
    ("http://0177.0.0.1/feed", "host '0177.0.0.1' reads as an IPv4 address in an unusual form"),
    ("http://0x7f.0.0.1/feed", "host '0x7f.0.0.1' reads as an IPv4 address"),
    ("http://2130706433/feed", "host '2130706433' reads as an IPv4 address"),
    ("http://127.1/feed", "host '127.1' reads as an IPv4 address"),
    ("http://300.1.1.1/feed", "host '300.1.1.1' reads as an IPv4 address"),
    ("http://[zz]/feed", "'zz' does not appear to be an IPv4 or IPv6 address"),
    ("http://news.example:99999/feed", "not a valid URL: Port out of range"),
    ("http:///feed", "the URL has no host"),
    ("http://news example.org/feed", "host 'news%20example.org' is not a valid host name"),
])
def test_odd_configured_urls_are_refused_at_check_with_their_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  url: str, problem: str) -> None:
    config = tmp_path / "beacon.yaml"
    config.write_text(f"sources:\n  - name: odd\n    type: rss\n    url: '{url}'\n", encoding="utf-8")
    assert cli.main(["check", "-c", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"{config}:4:10: sources[0].url: {problem}" in err
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/feed", "http://[::1]:8080/feed", "https://news.example/feed",
                                 "https://bücher.example/feed", "http://feeds.example./rss"])
def test_plain_configured_urls_pass(url: str) -> None:
    assert url_problem(url) is None
    SourceConfig(name="plain", url=url)


def test_an_odd_heartbeat_url_is_refused() -> None:
    with pytest.raises(ValueError, match="reads as an IPv4 address"):
        HeartbeatConfig(url="http://0x7f000001/ping")
