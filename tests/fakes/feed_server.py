"""A real HTTP/1.1 feed server on 127.0.0.1 that tests can program to misbehave.

It is written on raw asyncio streams rather than a web framework because the fault modes
(hanging, dripping, lying about sizes, closing without a byte) need control over every byte
and every socket, which frameworks deliberately hide.

Routing: a request is answered by the fault or feed registered for its exact target
(``/feed?page=2``), falling back to its path without the query (``/feed``). Unknown paths get 404.
"""

from __future__ import annotations

import asyncio
import functools
import http
import logging
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

__all__ = [
    "CloseImmediately",
    "Drip",
    "Fault",
    "FeedServer",
    "GzipBomb",
    "Hang",
    "Huge",
    "Redirect",
    "RedirectLoop",
    "Request",
    "Status",
    "gzip_zeros",
]

log = logging.getLogger(__name__)

_BLOCK = 64 * 1024
_HUGE_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'


# --- fault modes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hang:
    """Read the request and never answer: exercises the client's read timeout."""


@dataclass(frozen=True)
class Drip:
    """Send valid headers, then one `chunk` per `interval` forever: a per-chunk timeout never fires."""

    interval: float = 0.5
    chunk: bytes = b"<"


@dataclass(frozen=True)
class Huge:
    """Stream `size` bytes, with Content-Length or chunked without it: exercises the byte cap."""

    size: int = 50_000_000
    chunked: bool = False


@dataclass(frozen=True)
class GzipBomb:
    """A ~200 KiB gzip body that inflates to `decoded_size` zeros: exercises bounded decompression."""

    decoded_size: int = 200 * 2**20


@dataclass(frozen=True)
class RedirectLoop:
    """302 back to the same URL: exercises the redirect limit."""


@dataclass(frozen=True)
class Redirect:
    """Redirect to any URL, e.g. a loopback or metadata address for SSRF checks."""

    location: str
    status: int = 302


@dataclass(frozen=True)
class Status:
    """An error status such as 404, 410, 500, 503, or 429 with Retry-After."""

    code: int
    retry_after: int | str | None = None
    body: bytes = b""
    content_type: str = "text/html"


@dataclass(frozen=True)
class CloseImmediately:
    """Read the request, then close without sending a byte."""


Fault = Hang | Drip | Huge | GzipBomb | RedirectLoop | Redirect | Status | CloseImmediately


@dataclass(frozen=True)
class Request:
    """One request the server received, kept so tests can assert what the client sent.

    `status` is what the server answered, or None when it never answered (Hang, CloseImmediately).
    """

    path: str
    method: str
    headers: dict[str, str]
    at: float
    status: int | None


@dataclass(frozen=True)
class _Route:
    body: bytes
    content_type: str
    status: int
    etag: str | None
    last_modified: str | None
    headers: dict[str, str] = field(default_factory=dict)

    def not_modified(self, request_headers: dict[str, str]) -> bool:
        """Exact-match conditional GET, so a client that mangles a validator gets a 200, not a 304.

        As in RFC 9110, If-Modified-Since is only looked at when the request has no If-None-Match.
        """
        if "if-none-match" in request_headers:
            return self.etag is not None and request_headers["if-none-match"] == self.etag
        ims = request_headers.get("if-modified-since")
        return ims is not None and self.last_modified is not None and ims == self.last_modified


@functools.cache
def gzip_zeros(decoded_size: int) -> bytes:
    """Gzip of `decoded_size` zero bytes, built in 1 MiB steps and cached: 200 MiB -> ~200 KiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = memoryview(bytes(2**20))
    parts: list[bytes] = []
    remaining = decoded_size
    while remaining > 0:
        step = min(remaining, len(zeros))
        parts.append(compressor.compress(zeros[:step]))
        remaining -= step
    parts.append(compressor.flush())
    return b"".join(parts)


def _huge_blocks(size: int) -> Iterator[bytes]:
    """The start of an RSS document padded with spaces, in blocks of at most 64 KiB, never all at once."""
    first = (_HUGE_HEAD + b" " * _BLOCK)[:_BLOCK]
    padding = b" " * _BLOCK
    sent = 0
    while sent < size:
        block = first if sent == 0 else padding
        n = min(_BLOCK, size - sent)
        yield block if n == _BLOCK else block[:n]
        sent += n


def _fault_status(fault: Fault) -> int | None:
    match fault:
        case Hang() | CloseImmediately():
            return None
        case Drip() | Huge() | GzipBomb():
            return 200
        case RedirectLoop():
            return 302
        case Redirect(status=code) | Status(code=code):
            return code
    raise TypeError(f"not a fault mode: {fault!r}")


def _wants_close(version: str, headers: dict[str, str]) -> bool:
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" not in tokens
    return "close" in tokens


class _BadRequest(Exception):
    pass


# --- the server ----------------------------------------------------------------------------------


class FeedServer:
    """Serves feeds that a test defines, and misbehaves on demand, on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.errors: list[BaseException] = []  # bugs in the fake itself, so tests can assert none
        self._routes: dict[str, _Route] = {}
        self._faults: dict[str, Fault] = {}
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False

    # lifecycle

    async def start(self) -> None:
        """Listen on an ephemeral port so parallel tests never collide."""
        if self._server is not None:
            return
        self._stopping = False
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)

    async def stop(self) -> None:
        """Close the listener and every connection, hanging and dripping ones too, and await them."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping = True
        server.close()
        await asyncio.sleep(0)  # let connections accepted just now register before we cancel them
        while self._tasks:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The port chosen by the OS at start()."""
        if self._server is None:
            raise RuntimeError("FeedServer is not started")
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    @property
    def open_connections(self) -> int:
        """Connections still open, so tests can prove a client let go of a sick server."""
        return len(self._tasks)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    # programming it

    def serve(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        status: int = 200,
        etag: str | None = None,
        last_modified: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Replace what `path` serves and clear any fault on it.

        With `etag` or `last_modified` set, a request whose validator matches byte for byte gets 304.
        """
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._routes[path] = _Route(data, content_type, status, etag, last_modified, dict(headers or {}))
        self._faults.pop(path, None)

    def fault(self, path: str, mode: Fault) -> None:
        """Make `path` misbehave until serve() or clear_fault() is called for it."""
        if isinstance(mode, GzipBomb):
            # built now, not when first asked for: compressing tens of MiB takes a second or more on a busy
            # machine, and the server shares the test's event loop, so building it there would stall every
            # source a test times
            gzip_zeros(mode.decoded_size)
        self._faults[path] = mode

    def clear_fault(self, path: str) -> None:
        self._faults.pop(path, None)

    def hits(self, path: str) -> int:
        """How many requests arrived for exactly this target, whatever the answer."""
        return sum(1 for r in self.requests if r.path == path)

    # connection handling

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """The root task of one connection, tracked so that stop() can end it."""
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._converse(reader, writer)
        except asyncio.CancelledError:
            # stop() ends connections by cancelling them. Python 3.11's start_server logs a handler
            # task that ends cancelled as an unhandled error, so the root task swallows it.
            pass
        finally:
            self._tasks.discard(task)

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Answer requests on one connection until either side closes it."""
        abort = True
        try:
            if self._stopping:
                return
            while True:
                try:
                    parsed = await self._read_request(reader)
                except _BadRequest as exc:
                    await self._send(writer, 400, [], str(exc).encode(), close=True)
                    break
                if parsed is None:
                    break
                method, target, version, headers = parsed
                if not await self._answer(
                    reader, writer, method, target, headers, _wants_close(version, headers)
                ):
                    break
            abort = False
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away, which is what many fault tests are about
        except Exception as exc:
            log.exception("FeedServer failed")
            self.errors.append(exc)
        finally:
            await self._close(writer, abort=abort)

    @staticmethod
    async def _close(writer: asyncio.StreamWriter, *, abort: bool) -> None:
        """Abort (not a graceful close) after errors or cancellation: unsent data must not keep it open."""
        if abort:
            writer.transport.abort()
        else:
            writer.close()
        try:
            await writer.wait_closed()
        except asyncio.CancelledError:
            writer.transport.abort()
            raise
        except Exception:
            pass

    @staticmethod
    async def _read_request(
        reader: asyncio.StreamReader,
    ) -> tuple[str, str, str, dict[str, str]] | None:
        """Read a request head and discard its body; None when the client closed between requests."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return None
        except asyncio.LimitOverrunError as exc:
            raise _BadRequest("request head too large") from exc
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _BadRequest(f"bad request line: {lines[0]!r}")
        method, target, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, sep, value = line.partition(":")
            if not sep:
                raise _BadRequest(f"bad header line: {line!r}")
            key = name.strip().lower()
            value = value.strip()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        if "chunked" in headers.get("transfer-encoding", "").lower():
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                pass
        elif length := headers.get("content-length"):
            await reader.readexactly(int(length))
        return method, target, version, headers

    async def _answer(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        method: str,
        target: str,
        headers: dict[str, str],
        close: bool,
    ) -> bool:
        """Answer one request; True when the connection may carry another."""
        key = target if target in self._faults or target in self._routes else target.partition("?")[0]
        head_only = method == "HEAD"
        fault = self._faults.get(key)
        if fault is not None:
            self._record(target, method, headers, _fault_status(fault))
            return await self._misbehave(fault, reader, writer, target, head_only, close)
        route = self._routes.get(key)
        if route is None:
            self._record(target, method, headers, 404)
            await self._send(writer, 404, [], b"not found", close=close, head_only=head_only)
            return not close
        validators = [("ETag", route.etag), ("Last-Modified", route.last_modified)]
        extra = [(k, v) for k, v in validators if v is not None]
        if route.not_modified(headers):
            self._record(target, method, headers, 304)
            await self._send(writer, 304, extra, b"", close=close)
            return not close
        self._record(target, method, headers, route.status)
        extra += [("Content-Type", route.content_type), *route.headers.items()]
        await self._send(writer, route.status, extra, route.body, close=close, head_only=head_only)
        return not close

    def _record(self, target: str, method: str, headers: dict[str, str], status: int | None) -> None:
        self.requests.append(Request(target, method, headers, time.monotonic(), status))

    async def _misbehave(
        self,
        fault: Fault,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        target: str,
        head_only: bool,
        close: bool,
    ) -> bool:
        """Carry out a fault mode; True when the connection may carry another request."""
        match fault:
            case Hang():
                while await reader.read(_BLOCK):  # hold the socket until the client or stop() ends it
                    pass
                return False
            case CloseImmediately():
                return False
            case Drip(interval=interval, chunk=chunk):
                await self._send_head(writer, 200, [("Content-Type", "application/rss+xml")], close=True)
                while not head_only:
                    writer.write(chunk)
                    await writer.drain()
                    if await _peer_closed_within(reader, interval):
                        break
                return False
            case Huge(size=size, chunked=chunked):
                framing = ("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(size))
                await self._send_head(
                    writer, 200, [("Content-Type", "application/rss+xml"), framing], close=close
                )
                if not head_only:
                    for block in _huge_blocks(size):
                        writer.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
                        await writer.drain()
                    if chunked:
                        writer.write(b"0\r\n\r\n")
                        await writer.drain()
                return not close
            case GzipBomb(decoded_size=decoded_size):
                # Built off the event loop: the first build takes ~0.4 s and must not stall other clients.
                body = await asyncio.to_thread(gzip_zeros, decoded_size)
                extra = [("Content-Type", "application/rss+xml"), ("Content-Encoding", "gzip")]
                await self._send(writer, 200, extra, body, close=close, head_only=head_only)
                return not close
            case RedirectLoop():
                await self._send(writer, 302, [("Location", self.url(target))], b"", close=close)
                return not close
            case Redirect(location=location, status=code):
                await self._send(writer, code, [("Location", location)], b"", close=close)
                return not close
            case Status(code=code, retry_after=retry_after, body=body, content_type=content_type):
                extra = [("Content-Type", content_type)]
                if retry_after is not None:
                    extra.append(("Retry-After", str(retry_after)))
                await self._send(writer, code, extra, body, close=close, head_only=head_only)
                return not close
        raise TypeError(f"not a fault mode: {fault!r}")

    @staticmethod
    async def _send_head(
        writer: asyncio.StreamWriter, status: int, headers: list[tuple[str, str]], *, close: bool
    ) -> None:
        try:
            reason = http.HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        lines = [f"HTTP/1.1 {status} {reason}", "Server: beacon-fake-feed"]
        lines += [f"{name}: {value}" for name, value in headers]
        if close:
            lines.append("Connection: close")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await writer.drain()

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        close: bool,
        head_only: bool = False,
    ) -> None:
        """A complete response framed by Content-Length (none for 304, whose body is always empty)."""
        framing = [] if status == 304 else [("Content-Length", str(len(body)))]
        await self._send_head(writer, status, [*headers, *framing], close=close)
        if body and not head_only and status != 304:
            writer.write(body)
            await writer.drain()


async def _peer_closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Wait up to `seconds`, discarding input; True as soon as the client closes its side."""
    try:
        async with asyncio.timeout(seconds):
            while await reader.read(_BLOCK):
                pass
    except TimeoutError:
        return False
    return True
