"""The language a JSON source declares reaches its articles: a JSON Feed's top-level `language`,
else the server's Content-Language, unless an item names its own (docs/languages.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.config import FieldMap
from bot.models import Validators
from bot.sources.http import make_client
from bot.sources.jsonapi import JsonApiSource
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
