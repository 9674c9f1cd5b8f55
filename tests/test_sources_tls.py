"""Bad TLS is a clear error, never a silent fallback to an unverified connection."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import trustme

from bot.errors import SourceError
from bot.sources.http import USER_AGENT, fetch, make_client
from tests.feeds import CLASH, rss

BODY = rss(CLASH).encode()


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n"
                     b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)
        await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


async def https_server(ca: trustme.CA, *, expired: bool = False) -> AsyncIterator[str]:
    kwargs = {}
    if expired:
        now = datetime.now(UTC)
        kwargs = {"not_before": now - timedelta(days=30), "not_after": now - timedelta(days=1)}
    cert = ca.issue_cert("127.0.0.1", **kwargs)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    server = await asyncio.start_server(_serve, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"https://127.0.0.1:{port}/feed"
    finally:
        server.close()
        await server.wait_closed()


async def test_untrusted_certificate_is_refused(ca: trustme.CA) -> None:
    async for url in https_server(ca):
        async with make_client() as client:   # the system's trust store: our test CA is not in it
            with pytest.raises(SourceError, match="CERTIFICATE_VERIFY_FAILED"):
                await fetch(client, "tls", url)


async def test_expired_certificate_is_refused_even_from_a_trusted_ca(ca: trustme.CA) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    async for url in https_server(ca, expired=True):
        async with httpx.AsyncClient(verify=context, headers={"User-Agent": USER_AGENT}) as client:
            with pytest.raises(SourceError, match=r"certificate has expired|CERTIFICATE_VERIFY_FAILED"):
                await fetch(client, "tls", url)


async def test_a_valid_certificate_works(ca: trustme.CA) -> None:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    async for url in https_server(ca):
        async with httpx.AsyncClient(verify=context) as client:
            result = await fetch(client, "tls", url)
    assert b"Banjska" in result.body
