"""JSON API, GDELT and local-file sources against a real loopback server and real files, and the registry."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.config import GDELT_API, FieldMap, PollingConfig, SourceConfig
from bot.errors import SourceError
from bot.models import Validators
from bot.sources.files import DirSource, FileSource
from bot.sources.gdelt import GdeltSource, gdelt_url, language_code
from bot.sources.http import make_client
from bot.sources.jsonapi import JsonApiSource, parse_time
from bot.sources.registry import build_source, check_source
from bot.sources.rss import RssSource
from tests.fakes.feed_server import FeedServer, Redirect, Status
from tests.feeds import BUILDUP, CLASH, rss

NOW = datetime(2023, 10, 5, tzinfo=UTC)
RELIEFWEB_FIELDS = FieldMap(title="fields.title", text="fields.body", url="fields.url",
                            published="fields.date.created", id="id", language="fields.language[0].code")


# --- JSON APIs -----------------------------------------------------------------------------------


async def poll_json(server: FeedServer, path: str = "/api", items: str = "data", fields: Any = RELIEFWEB_FIELDS,
                    headers: dict[str, str] | None = None, validators: Validators | None = None):
    async with make_client() as client:
        source = JsonApiSource("relief", server.url(path), 60, client, items, fields, headers)
        return await source.poll(validators or Validators(), NOW)


async def test_json_items_map_to_articles_through_nested_fields(feed_server: FeedServer) -> None:
    feed_server.serve("/api", json.dumps({"data": [
        {"id": 4012, "fields": {"title": "Floods in <b>Derna</b>", "body": "<p>Dams &amp; bridges gone.</p>",
                                "url": "https://reliefweb.example/report/4012?utm_source=api#top",
                                "date": {"created": "2023-09-12T08:15:00+02:00"},
                                "language": [{"code": "EN"}, {"code": "FR"}]}},
        {"id": 4013, "fields": {"url": "https://reliefweb.example/empty"}},  # neither title nor text: skipped
        {"id": "x-9", "fields": {"body": "Text only, epoch date", "date": {"created": 1696257000}}},
        {"fields": {"title": "RFC 822 date, from the future", "date": {"created": "Mon, 01 Jan 2035 00:00:00 GMT"}}},
    ]}), content_type="application/json")
    result = await poll_json(feed_server)
    first, second, third = result.articles
    assert first.source == "relief"
    assert first.title == "Floods in Derna"
    assert first.text == "Dams & bridges gone."
    assert first.url == "https://reliefweb.example/report/4012"
    assert first.guid == "4012"
    assert first.published == datetime(2023, 9, 12, 6, 15, tzinfo=UTC)
    assert first.language == "en"
    assert (second.title, second.text, second.guid) == ("", "Text only, epoch date", "x-9")
    assert second.published == datetime(2023, 10, 2, 14, 30, tzinfo=UTC)
    assert second.url is None and second.language is None
    assert third.published == NOW  # clamped
    assert third.guid is None


async def test_json_html_error_page_with_200_is_refused(feed_server: FeedServer) -> None:
    feed_server.serve("/api", "<html><head><title>Oops</title><style>p{}</style></head><body><h1>Service "
                              "temporarily unavailable</h1></body></html>", content_type="text/html")
    with pytest.raises(SourceError) as info:
        await poll_json(feed_server)
    assert info.value.reason.startswith("not JSON: ")
    assert "Service temporarily unavailable" in info.value.reason
    feed_server.serve("/api", "", content_type="application/json")
    with pytest.raises(SourceError, match="not JSON: \\(empty body\\)"):
        await poll_json(feed_server)


@pytest.mark.parametrize(("body", "found"), [
    ({"data": {"id": 1, "title": "not a list"}}, "a dict"),
    ({"results": []}, "nothing"),
    ([1, 2], "nothing"),
])
async def test_json_items_that_are_not_a_list_are_refused(feed_server: FeedServer, body: Any, found: str) -> None:
    feed_server.serve("/api", json.dumps(body), content_type="application/json")
    with pytest.raises(SourceError) as info:
        await poll_json(feed_server)
    assert info.value.reason == f"items 'data' gave {found}, not a list"


async def test_json_empty_list_is_no_news(feed_server: FeedServer) -> None:
    feed_server.serve("/api", '{"data": []}', content_type="application/json")
    assert (await poll_json(feed_server)).articles == ()


async def test_json_sends_configured_headers_and_asks_for_json(feed_server: FeedServer) -> None:
    feed_server.serve("/api", '{"articles": [{"title": "Hello"}]}', content_type="application/json", etag='"e1"')
    result = await poll_json(feed_server, items="articles", fields={"title": "title"},
                             headers={"X-Api-Key": "k-123", "Authorization": "Bearer t"})
    [article] = result.articles
    assert article.title == "Hello"
    sent = feed_server.requests[-1].headers
    assert sent["x-api-key"] == "k-123"
    assert sent["authorization"] == "Bearer t"
    assert sent["accept"].startswith("application/json")
    assert sent["user-agent"].startswith("Beacon/")
    # conditional GET works as for feeds, with the extra headers still sent
    again = await poll_json(feed_server, items="articles", fields={"title": "title"},
                            headers={"X-Api-Key": "k-123"}, validators=result.validators)
    assert again.not_modified
    assert feed_server.requests[-1].headers["if-none-match"] == '"e1"'
    assert feed_server.requests[-1].headers["x-api-key"] == "k-123"


async def test_json_headers_follow_same_origin_redirects_only(feed_server: FeedServer) -> None:
    feed_server.serve("/new", '{"data": []}', content_type="application/json")
    feed_server.fault("/api", Redirect(feed_server.url("/new")))
    await poll_json(feed_server, headers={"X-Api-Key": "secret"})
    assert feed_server.requests[-1].headers["x-api-key"] == "secret"
    async with FeedServer() as other:
        other.serve("/elsewhere", '{"data": []}', content_type="application/json")
        feed_server.fault("/api", Redirect(other.url("/elsewhere")))
        await poll_json(feed_server, headers={"X-Api-Key": "secret"})
        [request] = other.requests
        assert "x-api-key" not in request.headers
        assert request.headers["user-agent"].startswith("Beacon/")


@pytest.mark.parametrize(("items", "fields", "named"), [
    ("data[", {"title": "title"}, "'data['"),
    ("data", {"title": "fields.title", "published": "date.[created"}, "fields.published"),
])
def test_json_bad_jmespath_is_refused_at_construction(items: str, fields: dict[str, str], named: str) -> None:
    with pytest.raises(ValueError, match="bad JMESPath") as info:
        JsonApiSource("relief", "https://api.example/", 60, None, items, fields)  # type: ignore[arg-type]
    assert named in str(info.value)


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-10-02T14:30:00Z", datetime(2023, 10, 2, 14, 30, tzinfo=UTC)),
    ("2023-10-02T16:30:00+02:00", datetime(2023, 10, 2, 14, 30, tzinfo=UTC)),
    ("2023-10-02 14:30", datetime(2023, 10, 2, 14, 30, tzinfo=UTC)),  # naive means UTC
    ("20231002", datetime(2023, 10, 2, tzinfo=UTC)),  # a basic ISO date, not an epoch
    ("Mon, 02 Oct 2023 16:30:00 +0200", datetime(2023, 10, 2, 14, 30, tzinfo=UTC)),
    (1696257000, datetime(2023, 10, 2, 14, 30, tzinfo=UTC)),
    ("1696257000", datetime(2023, 10, 2, 14, 30, tzinfo=UTC)),
    (1696257000000, datetime(2023, 10, 2, 14, 30, tzinfo=UTC)),  # milliseconds
    ("2031-01-01T00:00:00Z", NOW),
    ("yesterday", None), ("", None), (None, None), (True, None), ({"d": 1}, None), (1e300, None),
])
def test_published_formats(value: Any, expected: datetime | None) -> None:
    assert parse_time(value, NOW) == expected


# --- GDELT ---------------------------------------------------------------------------------------

GDELT_PATH = "/api/v2/doc/doc"


def gdelt(server: FeedServer, client: Any, query: str = "kosovo", **kw: Any) -> GdeltSource:
    return GdeltSource("gdelt-kosovo", query, 300, client, endpoint=server.url(GDELT_PATH), **kw)


async def poll_gdelt(server: FeedServer, query: str = "kosovo", **kw: Any):
    async with make_client() as client:
        return await gdelt(server, client, query, **kw).poll(Validators(), NOW)


async def test_gdelt_query_string_is_built_and_encoded(feed_server: FeedServer) -> None:
    feed_server.serve(GDELT_PATH, "{}", content_type="application/json")
    query = '"troop build-up" (sourcecountry:RS OR sourcecountry:XK) & tone<-5'
    await poll_gdelt(feed_server, query, timespan="2h", maxrecords=50)
    [request] = feed_server.requests
    path, _, raw = request.path.partition("?")
    assert path == GDELT_PATH
    assert parse_qs(raw, strict_parsing=True) == {
        "query": [query], "mode": ["artlist"], "format": ["json"], "timespan": ["2h"], "maxrecords": ["50"],
        "sort": ["datedesc"]}
    assert "+" not in raw and "%20" in raw and "%22" in raw
    assert request.headers["user-agent"].startswith("Beacon/")


def test_gdelt_url_keeps_an_existing_query_string() -> None:
    url = gdelt_url("http://proxy.example/doc?key=1", "a b", "1h", 75)
    assert url.startswith("http://proxy.example/doc?key=1&query=a%20b&mode=artlist")


async def test_gdelt_articles_seendate_language_and_no_guid(feed_server: FeedServer) -> None:
    feed_server.serve(GDELT_PATH, json.dumps({"articles": [
        {"url": "https://news.example/a?utm_medium=x", "url_mobile": "", "title": "Troops massing &amp; waiting",
         "seendate": "20231002T143000Z", "socialimage": "", "domain": "news.example", "language": "English",
         "sourcecountry": "Serbia"},
        {"url": "https://vesti.example/b", "title": "Vojska na granici", "seendate": "20231003T080000Z",
         "domain": "vesti.example", "language": "Serbian", "sourcecountry": "Serbia"},
        {"url": "https://x.example/c", "title": "Unknown tongue", "seendate": "garbled", "language": "Klingon"},
        {"url": "https://x.example/d", "title": "", "seendate": "20231003T080000Z"},  # no title: skipped
    ]}), content_type="application/json; charset=utf-8")
    first, second, third = (await poll_gdelt(feed_server)).articles
    assert first.source == "gdelt-kosovo"
    assert first.title == "Troops massing & waiting"
    assert first.text == ""  # the domain stays out of the text
    assert first.url == "https://news.example/a"
    assert first.guid is None
    assert first.identity_keys[0] == "url:https://news.example/a"
    assert first.published == datetime(2023, 10, 2, 14, 30, tzinfo=UTC)
    assert (first.language, second.language, third.language) == ("en", "sr", None)
    assert third.published is None


@pytest.mark.parametrize(("name", "code"), [("English", "en"), ("french", "fr"), (" Chinese ", "zh"),
                                             ("Ukrainian", "uk"), ("Klingon", None), ("", None), (None, None)])
def test_gdelt_language_names(name: str | None, code: str | None) -> None:
    assert language_code(name) == code


@pytest.mark.parametrize("body", ["{}", '{"articles": []}'])
async def test_gdelt_empty_answer_is_no_news(feed_server: FeedServer, body: str) -> None:
    feed_server.serve(GDELT_PATH, body, content_type="application/json")
    result = await poll_gdelt(feed_server)
    assert result.articles == () and not result.not_modified


@pytest.mark.parametrize(("body", "content_type"), [
    ("The specified phrase is too short.", "text/plain; charset=utf-8"),
    ("<html><body><p>The specified phrase is too short.</p></body></html>", "text/html"),
])
async def test_gdelt_refusal_with_200_is_an_error(feed_server: FeedServer, body: str, content_type: str) -> None:
    feed_server.serve(GDELT_PATH, body, content_type=content_type)
    with pytest.raises(SourceError) as info:
        await poll_gdelt(feed_server, "ab")
    assert info.value.reason == "GDELT refused the query: The specified phrase is too short."
    assert info.value.retry_after is None and not info.value.permanent


@pytest.mark.parametrize(("retry_after", "expected"), [(None, 5.0), (30, 30.0)])
async def test_gdelt_rate_limit_sets_retry_after(feed_server: FeedServer, retry_after: int | None,
                                                 expected: float) -> None:
    feed_server.fault(GDELT_PATH, Status(429, retry_after=retry_after, content_type="text/plain",
                                         body=b"Please limit requests to one every 5 seconds"))
    with pytest.raises(SourceError) as info:
        await poll_gdelt(feed_server)
    assert info.value.retry_after == expected
    assert "429" in info.value.reason


async def test_gdelt_other_errors_get_no_made_up_retry_after(feed_server: FeedServer) -> None:
    feed_server.fault(GDELT_PATH, Status(500))
    with pytest.raises(SourceError) as info:
        await poll_gdelt(feed_server)
    assert info.value.retry_after is None


@pytest.mark.parametrize(("body", "reason"), [
    ("", "GDELT sent an empty answer"),
    ("[]", "GDELT answered a JSON list, not an object"),
    ('{"articles": {"a": 1}}', "GDELT 'articles' is a dict, not a list"),
])
async def test_gdelt_odd_json_is_an_error(feed_server: FeedServer, body: str, reason: str) -> None:
    feed_server.serve(GDELT_PATH, body, content_type="application/json")
    with pytest.raises(SourceError) as info:
        await poll_gdelt(feed_server)
    assert info.value.reason == reason


# --- local files ---------------------------------------------------------------------------------


def jsonl(*lines: Any) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


GOOD = {"id": "a1", "title": "Clash at the  border", "text": "Two  killed.\nMore later.",
        "url": "https://news.example/a1?fbclid=z", "published": "2023-10-01T12:00:00Z",
        "source": "Eastbridge Observer", "language": "EN"}


async def test_jsonl_file_skips_bad_lines_with_file_and_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "archive.jsonl"
    path.write_text(jsonl(GOOD, "not json", {"url": "https://x.example"}, [1, 2], "",
                          {"text": "Text only"}), encoding="utf-8")
    source = FileSource("archive", f"file://{path}", 60)
    with caplog.at_level(logging.WARNING, logger="bot.sources.files"):
        result = await source.poll(Validators(), NOW)
    first, second = result.articles
    assert first.source == "Eastbridge Observer"
    assert first.title == "Clash at the border"
    assert first.text == "Two  killed.\nMore later."  # plain text kept as written
    assert first.url == "https://news.example/a1"
    assert first.guid == first.id == "a1"
    assert first.published == datetime(2023, 10, 1, 12, tzinfo=UTC)
    assert first.language == "en"
    assert (second.source, second.text, second.guid) == ("archive", "Text only", None)
    messages = [r.getMessage() for r in caplog.records]
    assert any(f"{path}:2: skipped" in m for m in messages)
    assert any(f"{path}:3: skipped: an article needs 'title' or 'text'" in m for m in messages)
    assert any(f"{path}:4: skipped: a line must be a JSON object" in m for m in messages)
    assert len(messages) == 3


async def test_file_is_read_again_only_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "feed.ndjson"
    path.write_text(jsonl(GOOD), encoding="utf-8")
    source = FileSource("archive", f"file://{path}", 60)
    first = await source.poll(Validators(), NOW)
    assert len(first.articles) == 1
    second = await source.poll(first.validators, NOW)
    assert second.not_modified and second.articles == ()
    path.write_text(jsonl(GOOD, {"title": "Second item"}), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    third = await source.poll(first.validators, NOW)
    assert not third.not_modified and len(third.articles) == 2


async def test_rss_file(tmp_path: Path) -> None:
    path = tmp_path / "wire.xml"
    path.write_text(rss(CLASH, BUILDUP), encoding="utf-8")
    result = await FileSource("wire", f"file://{path}", 60).poll(Validators(), NOW)
    assert [a.guid for a in result.articles] == ["clash-1", "buildup-1"]
    assert result.articles[0].source == "wire"


async def test_file_that_is_not_a_feed_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes", encoding="utf-8")
    with pytest.raises(SourceError, match="not a feed"):
        await FileSource("notes", f"file://{path}", 60).poll(Validators(), NOW)


async def test_dir_reads_matching_files_in_name_order(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "b.jsonl").write_text(jsonl({"id": "b", "title": "From b"}), encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(jsonl({"id": "a", "title": "From a"}), encoding="utf-8")
    (tmp_path / "c.xml").write_text(rss(CLASH), encoding="utf-8")
    (tmp_path / ".hidden.jsonl").write_text(jsonl({"title": "Hidden"}), encoding="utf-8")
    (tmp_path / "sub.jsonl").mkdir()
    source = DirSource("archive", f"file://{tmp_path}", 60, "*.jsonl")
    result = await source.poll(Validators(), NOW)
    assert [a.guid for a in result.articles] == ["a", "b"]
    assert (await source.poll(result.validators, NOW)).not_modified
    everything = await DirSource("archive", f"file://{tmp_path}", 60).poll(Validators(), NOW)
    assert [a.guid for a in everything.articles] == ["a", "b", "clash-1"]
    big = DirSource("archive", f"file://{tmp_path}", 60, "*.xml", max_bytes=100)
    with caplog.at_level(logging.WARNING, logger="bot.sources.files"):
        assert (await big.poll(Validators(), NOW)).articles == ()
    assert any("c.xml: too large" in r.getMessage() for r in caplog.records)


async def test_dir_with_a_broken_file_keeps_the_rest_but_all_broken_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(rss(CLASH), encoding="utf-8")
    (tmp_path / "b.xml").write_text("<html>nope</html>", encoding="utf-8")
    result = await DirSource("archive", f"file://{tmp_path}", 60, "*.xml").poll(Validators(), NOW)
    assert [a.guid for a in result.articles] == ["clash-1"]
    with pytest.raises(SourceError, match=r"no readable file .*b\.xml: not a feed"):
        await DirSource("archive", f"file://{tmp_path}", 60, "b.*").poll(Validators(), NOW)


async def test_missing_paths_are_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"cannot read .*gone\.jsonl: No such file"):
        await FileSource("f", f"file://{tmp_path}/gone.jsonl", 60).poll(Validators(), NOW)
    with pytest.raises(SourceError, match="gone does not exist"):
        await DirSource("d", f"file://{tmp_path}/gone", 60).poll(Validators(), NOW)
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(SourceError, match="is not a folder"):
        await DirSource("d", f"file://{tmp_path}/plain", 60).poll(Validators(), NOW)
    with pytest.raises(SourceError, match="is not a file"):
        await FileSource("f", f"file://{tmp_path}", 60).poll(Validators(), NOW)


async def test_empty_dir_is_no_news(tmp_path: Path) -> None:
    result = await DirSource("d", f"file://{tmp_path}", 60, "*.jsonl").poll(Validators(), NOW)
    assert result.articles == ()


# --- registry ------------------------------------------------------------------------------------


def config(**data: Any) -> SourceConfig:
    return SourceConfig.model_validate(data)


async def test_registry_builds_each_type() -> None:
    polling = PollingConfig(max_bytes=2048, timeout=7)
    async with make_client() as client:
        feed = build_source(config(name="wire", url="https://news.example/rss", interval="5m"), client, polling)
        assert isinstance(feed, RssSource) and feed.url == "https://news.example/rss" and feed.interval == 300
        api = build_source(config(name="relief", type="json", url="https://api.example/v1", items="data",
                                  fields={"title": "fields.title"}, headers={"X-Key": "k"}), client, polling)
        assert isinstance(api, JsonApiSource)
        assert (api.max_bytes, api.deadline, api.headers["X-Key"]) == (2048, 7, "k")
        news = build_source(config(name="g", type="gdelt", query="kosovo", timespan="3h", maxrecords=20),
                            client, polling)
        assert isinstance(news, GdeltSource) and news.url.startswith(GDELT_API + "?query=kosovo&")
        assert "timespan=3h" in news.url and "maxrecords=20" in news.url
        one = build_source(config(name="f", type="file", url="file:///data/a.jsonl"), client, polling)
        assert isinstance(one, FileSource) and one.path == Path("/data/a.jsonl") and one.max_bytes == 2048
        many = build_source(config(name="d", type="dir", url="file:///data", pattern="*.xml"), client, polling)
        assert isinstance(many, DirSource) and many.pattern == "*.xml"


async def test_registry_json_source_polls_the_loopback_server(feed_server: FeedServer) -> None:
    feed_server.serve("/v1", '{"data": [{"t": "Built from config"}]}', content_type="application/json")
    async with make_client() as client:
        source = build_source(config(name="relief", type="json", url=feed_server.url("/v1"), items="data",
                                     fields={"title": "t"}), client, PollingConfig())
        [article] = (await source.poll(Validators(), NOW)).articles
    assert article.title == "Built from config"


def test_check_source_refuses_bad_jmespath_offline() -> None:
    check_source(config(name="ok", type="json", url="https://api.example/", items="data[*]",
                        fields={"title": "a.b", "published": "c[0]"}))
    check_source(config(name="wire", url="https://news.example/rss"))
    bad = config(name="relief", type="json", url="https://api.example/", items="data",
                 fields={"title": "a.b", "url": "links[?"})
    with pytest.raises(ValueError, match=r"source relief: fields.url: bad JMESPath 'links\[\?'"):
        check_source(bad)
    with pytest.raises(ValueError, match=r"fields\.url"):
        build_source(bad, None, PollingConfig())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="relative glob"):
        check_source(config(name="d", type="dir", url="file:///data", pattern="/etc/*"))


def test_gdelt_source_url_is_fixed_at_construction() -> None:
    source = GdeltSource("g", "a b", 60, None, endpoint="http://127.0.0.1:9/doc")  # type: ignore[arg-type]
    query = parse_qs(urlsplit(source.url).query)
    assert query["query"] == ["a b"] and query["timespan"] == ["1h"] and query["maxrecords"] == ["75"]
