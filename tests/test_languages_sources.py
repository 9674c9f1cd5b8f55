"""The language a JSON source declares reaches its articles: a JSON Feed's top-level `language`,
else the server's Content-Language, unless an item names its own; a source's configured `language`
is every article's (docs/languages.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pydantic
import pytest

from bot.config import REPO_ROOT, FieldMap, PollingConfig, SourceConfig, load_config
from bot.models import Validators
from bot.poller import host_of
from bot.sources.http import make_client
from bot.sources.jsonapi import JsonApiSource
from bot.sources.registry import build_source
from tests.fakes.feed_server import FeedServer

NOW = datetime(2023, 9, 24, tzinfo=UTC)
FIELDS = FieldMap(title="title", text="content_text", url="url", id="id", language="language")


async def poll(server: FeedServer) -> list:
    async with make_client() as client:
        source = JsonApiSource("feed", server.url("/feed.json"), 60, client, "items", FIELDS)
        return list((await source.poll(Validators(), NOW)).articles)


async def test_a_json_feeds_language_is_its_items_language(feed_server: FeedServer) -> None:
    feed_server.serve("/feed.json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Sever Info", "language": "sr-Latn",
        "items": [{"id": "1", "title": "Poginuo policajac kod Banjske", "url": "https://sever.example/1"},
                  {"id": "2", "title": "Sulm në Banjskë", "url": "https://sever.example/2", "language": "sq"}],
    }), content_type="application/feed+json", headers={"Content-Language": "en"})
    first, second = await poll(feed_server)
    assert (first.language, second.language) == ("sr-latn", "sq")


async def test_the_servers_content_language_when_the_document_names_none(feed_server: FeedServer) -> None:
    feed_server.serve("/feed.json", json.dumps({"items": [{"id": "1", "title": "Погинуо полицајац"}]}),
                      content_type="application/json", headers={"Content-Language": "sr-Cyrl, en"})
    [article] = await poll(feed_server)
    assert article.language == "sr-cyrl"
    feed_server.serve("/feed.json", json.dumps({"items": [{"id": "1", "title": "Погинуо полицајац"}]}),
                      content_type="application/json")
    [article] = await poll(feed_server)
    assert article.language is None   # detected later, when a rule or a match asks (engine/language.py)


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Sever Info</title><link>https://sever.example/</link>
<language>en-US</language>
<item><title>Poginuo policajac kod Banjske</title><link>https://sever.example/1</link><guid>1</guid></item>
</channel></rss>"""


async def test_a_sources_configured_language_wins_over_the_feeds(feed_server: FeedServer) -> None:
    # a WordPress feed says en-US whatever the newsroom writes in; the operator's `language:` wins
    feed_server.serve("/feed.xml", RSS, content_type="application/rss+xml")
    async with make_client() as client:
        plain = build_source(SourceConfig(name="sever", url=feed_server.url("/feed.xml")), client, PollingConfig())
        declared = build_source(SourceConfig(name="sever", url=feed_server.url("/feed.xml"), language="sr-Latn"),
                                client, PollingConfig())
        [as_fed] = (await plain.poll(Validators(), NOW)).articles
        [as_declared] = (await declared.poll(Validators(), NOW)).articles
    assert (as_fed.language, as_declared.language) == ("en-US", "sr-latn")
    assert declared.name == "sever" and as_declared.title == as_fed.title


def test_a_configured_language_must_be_a_language_code() -> None:
    with pytest.raises(pydantic.ValidationError, match="not a language code"):
        SourceConfig(name="sever", url="https://sever.example/feed", language="Serbian (Latin)")


async def test_a_declared_language_source_keeps_its_host_for_the_per_host_limit() -> None:
    config = SourceConfig(name="n1", url="https://n1info.example/feed/", language="sr")
    async with make_client() as client:
        assert host_of(build_source(config, client, PollingConfig())) == "n1info.example"


def test_the_local_outlets_example_declares_every_sources_language() -> None:
    # examples/languages/beacon.yaml: real outlets' feeds (URLs only, never fetched here)
    config = load_config(REPO_ROOT / "examples" / "languages" / "beacon.yaml")
    languages = {source.language.split("-")[0] for source in config.sources if source.language}
    assert languages == {"sr", "sq", "ru", "uk"}
    assert all(source.language for source in config.sources)
    assert {source.language for source in config.sources} >= {"sr-Latn", "sr-Cyrl"}   # both Serbian scripts
    assert config.rules_dir == REPO_ROOT / "rules"
