"""The fake feed server must misbehave exactly as advertised, or source tests built on it prove nothing."""

from __future__ import annotations

import asyncio
import gzip
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from tests.fakes.feed_server import (
    CloseImmediately,
    Drip,
    FeedServer,
    GzipBomb,
    Hang,
    Huge,
    Redirect,
    RedirectLoop,
    Status,
    gzip_zeros,
)

pytestmark = pytest.mark.timeout(10)

RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>Ünïcode</title></channel></rss>'
TIMEOUT = httpx.Timeout(3.0)


@pytest_asyncio.fixture
async def server(caplog: pytest.LogCaptureFixture) -> AsyncIterator[FeedServer]:
    async with FeedServer() as srv:
        yield srv
    assert srv.errors == []
    assert srv.open_connections == 0
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=TIMEOUT) as c:
        yield c


async def test_serves_body_and_content_type(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.serve("/feed.xml", RSS, headers={"X-Extra": "1"})
    response = await client.get(server.url("/feed.xml"))
    assert response.status_code == 200
    assert response.content == RSS.encode()
    assert response.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert response.headers["x-extra"] == "1"
    assert server.url("/feed.xml") == f"http://127.0.0.1:{server.port}/feed.xml"


async def test_unknown_path_is_404_and_serve_replaces(server: FeedServer, client: httpx.AsyncClient) -> None:
    assert (await client.get(server.url("/nope"))).status_code == 404
    server.serve("/a", b"one", content_type="text/xml")
    server.serve("/a", b"two", status=410)
    response = await client.get(server.url("/a?utm_source=x"))  # query falls back to the path
    assert (response.status_code, response.content) == (410, b"two")
    assert server.hits("/a?utm_source=x") == 1


async def test_conditional_get_on_etag(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.serve("/f", RSS, etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    first = await client.get(server.url("/f"))
    assert first.status_code == 200
    assert first.headers["etag"] == '"v1"'
    assert first.headers["last-modified"] == "Mon, 01 Jan 2024 00:00:00 GMT"

    same = await client.get(server.url("/f"), headers={"If-None-Match": '"v1"'})
    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["etag"] == '"v1"'

    stale = await client.get(server.url("/f"), headers={"If-None-Match": "v1"})  # unquoted: no match
    assert stale.status_code == 200
    assert stale.content == RSS.encode()
    assert [r.status for r in server.requests] == [200, 304, 200]


async def test_conditional_get_on_last_modified(server: FeedServer, client: httpx.AsyncClient) -> None:
    stamp = "Tue, 02 Jan 2024 10:00:00 GMT"
    server.serve("/f", RSS, last_modified=stamp)
    assert (await client.get(server.url("/f"), headers={"If-Modified-Since": stamp})).status_code == 304
    other = "Tue, 02 Jan 2024 10:00:01 GMT"
    assert (await client.get(server.url("/f"), headers={"If-Modified-Since": other})).status_code == 200
    # With no validators configured, nothing is ever "not modified".
    server.serve("/g", RSS)
    assert (await client.get(server.url("/g"), headers={"If-Modified-Since": stamp})).status_code == 200


async def test_requests_are_recorded(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.serve("/f", RSS)
    before = time.monotonic()
    await client.get(server.url("/f"), headers={"User-Agent": "Beacon/1", "If-None-Match": '"x"'})
    await client.post(server.url("/f"), content=b"a body to discard")
    await client.get(server.url("/f"))  # same keep-alive connection: the POST body was consumed
    first, second, third = server.requests
    assert (first.path, first.method, first.status) == ("/f", "GET", 200)
    assert first.headers["user-agent"] == "Beacon/1"
    assert first.headers["if-none-match"] == '"x"'
    assert before <= first.at <= second.at <= third.at <= time.monotonic()
    assert second.method == "POST"
    assert third.status == 200
    assert server.hits("/f") == 3
    assert server.hits("/other") == 0


async def test_keep_alive_and_connection_close(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.serve("/f", RSS)
    await client.get(server.url("/f"))
    await client.get(server.url("/f"))
    assert server.open_connections == 1
    response = await client.get(server.url("/f"), headers={"Connection": "close"})
    assert response.headers["connection"] == "close"
    await _until(lambda: server.open_connections == 0)


async def test_head_gets_headers_only(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.serve("/f", RSS, etag='"v1"')
    server.fault("/big", Huge())
    small = await client.head(server.url("/f"))
    big = await client.head(server.url("/big"))
    assert (small.status_code, small.headers["etag"], small.content) == (200, '"v1"', b"")
    assert (big.headers["content-length"], big.content) == ("50000000", b"")
    assert server.open_connections == 1  # no stray body bytes broke the connection


async def test_raw_http10_and_malformed_requests(server: FeedServer) -> None:
    server.serve("/f", b"hello")
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /f HTTP/1.0\r\n\r\n")
    reply = await reader.read()  # HTTP/1.0 without keep-alive: the server closes after the answer
    writer.close()
    await writer.wait_closed()
    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nConnection: close\r\n" in reply
    assert reply.endswith(b"\r\n\r\nhello")

    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"NONSENSE\r\n\r\n")
    reply = await reader.read()
    writer.close()
    await writer.wait_closed()
    assert reply.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert server.hits("/f") == 1


async def test_hang_times_out(server: FeedServer) -> None:
    server.fault("/f", Hang())
    async with httpx.AsyncClient(timeout=httpx.Timeout(3.0, read=0.3)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(server.url("/f"))
    assert server.hits("/f") == 1
    assert server.requests[0].status is None
    await _until(lambda: server.open_connections == 0)  # the client's close ends the hang


async def test_drip_sends_bytes_slowly(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.fault("/f", Drip(interval=0.5, chunk=b"<"))
    received = b""
    async with client.stream("GET", server.url("/f")) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1.2):
                async for chunk in response.aiter_raw():
                    received += chunk
    assert 1 <= len(received) <= 4
    assert set(received) == {ord("<")}


@pytest.mark.parametrize("chunked", [False, True])
async def test_huge_streams_without_end(server: FeedServer, client: httpx.AsyncClient, chunked: bool) -> None:
    server.fault("/f", Huge(size=50_000_000, chunked=chunked))
    received = 0
    async with client.stream("GET", server.url("/f")) as response:
        if chunked:
            assert response.headers["transfer-encoding"] == "chunked"
            assert "content-length" not in response.headers
        else:
            assert response.headers["content-length"] == "50000000"
        async for chunk in response.aiter_raw():
            if received == 0:
                assert chunk.startswith(b"<?xml")
            received += len(chunk)
            if received >= 3_000_000:
                break
    assert received >= 3_000_000
    await client.aclose()
    await _until(lambda: server.open_connections == 0)


async def test_huge_small_size_is_exact(server: FeedServer, client: httpx.AsyncClient) -> None:
    for chunked in (False, True):
        server.fault("/f", Huge(size=200_000, chunked=chunked))
        response = await client.get(server.url("/f"))
        assert len(response.content) == 200_000
    assert server.open_connections == 1  # both framings end cleanly and keep the connection usable


async def test_gzip_bomb(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.fault("/f", GzipBomb())
    async with client.stream("GET", server.url("/f")) as response:
        assert response.headers["content-encoding"] == "gzip"
        compressed = int(response.headers["content-length"])
        first = b""
        async for chunk in response.aiter_raw():
            first = chunk
            break
    assert first[:2] == b"\x1f\x8b"
    assert 150_000 < compressed < 300_000
    assert gzip_zeros(200 * 2**20) is gzip_zeros(200 * 2**20)  # cached once per process


def test_gzip_zeros_decodes_to_zeros() -> None:
    assert gzip.decompress(gzip_zeros(3 * 2**20 + 5)) == bytes(3 * 2**20 + 5)


async def test_redirect_loop(server: FeedServer) -> None:
    server.fault("/loop", RedirectLoop())
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True, max_redirects=5) as client:
        with pytest.raises(httpx.TooManyRedirects):
            await client.get(server.url("/loop"))
    assert 5 <= server.hits("/loop") <= 6
    assert {r.status for r in server.requests} == {302}


async def test_redirect_elsewhere(server: FeedServer) -> None:
    server.serve("/new", RSS)
    server.fault("/old", Redirect(server.url("/new"), status=301))
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True) as client:
        response = await client.get(server.url("/old"))
    assert response.content == RSS.encode()
    assert [r.status_code for r in response.history] == [301]


@pytest.mark.parametrize("code", [404, 410, 500, 503])
async def test_status(server: FeedServer, client: httpx.AsyncClient, code: int) -> None:
    server.fault("/f", Status(code, body=b"<html>down</html>"))
    response = await client.get(server.url("/f"))
    assert response.status_code == code
    assert response.text == "<html>down</html>"
    assert response.headers["content-type"] == "text/html"
    assert "retry-after" not in response.headers


async def test_status_429_has_retry_after(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.fault("/f", Status(429, retry_after=120))
    response = await client.get(server.url("/f"))
    assert response.status_code == 429
    assert response.headers["retry-after"] == "120"


async def test_close_immediately(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.fault("/f", CloseImmediately())
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        await client.get(server.url("/f"))
    assert server.hits("/f") == 1


async def test_fault_lasts_until_cleared(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.serve("/f", RSS)
    server.fault("/f", Status(503))
    assert (await client.get(server.url("/f"))).status_code == 503
    assert (await client.get(server.url("/f"))).status_code == 503
    server.clear_fault("/f")
    assert (await client.get(server.url("/f"))).status_code == 200
    server.fault("/f", Status(500))
    server.serve("/f", b"fresh")
    assert (await client.get(server.url("/f"))).content == b"fresh"


async def test_stop_ends_hanging_and_dripping_connections(caplog: pytest.LogCaptureFixture) -> None:
    server = FeedServer()
    await server.start()
    server.fault("/hang", Hang())
    server.fault("/drip", Drip(interval=0.05))

    async def fetch(client: httpx.AsyncClient, path: str) -> None:
        async with client.stream("GET", server.url(path)) as response:
            async for _ in response.aiter_raw():
                pass

    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        fetches = [asyncio.create_task(fetch(client, p)) for p in ("/hang", "/drip")]
        await _until(lambda: server.hits("/hang") == 1 and server.hits("/drip") == 1)
        assert server.open_connections == 2
        started = time.monotonic()
        await server.stop()
        assert time.monotonic() - started < 1
        results = await asyncio.gather(*fetches, return_exceptions=True)
    # A hang ends as an error; a drip's body is delimited by the close, so it may end cleanly.
    assert isinstance(results[0], httpx.TransportError), results
    assert results[1] is None or isinstance(results[1], httpx.TransportError), results
    assert server.open_connections == 0
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert asyncio.all_tasks() == {asyncio.current_task()}
    await server.stop()  # idempotent


async def _until(condition: object, timeout: float = 2.0) -> None:
    """Poll briefly for a server-side effect of a client action that has no event to await."""
    assert callable(condition)
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)
