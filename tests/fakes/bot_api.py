"""A fake Telegram Bot API server for tests.

Why: Beacon talks to Telegram through python-telegram-bot (PTB). Mocking PTB objects
would test our assumptions about PTB instead of PTB itself, so this module runs a small
HTTP server on 127.0.0.1 that speaks enough of the Bot API for PTB to be pointed at it via
``telegram.Bot(token, base_url=fake.base_url)``. It records what the bot sent, queues
updates for ``getUpdates``, validates HTML like Telegram does and can inject the failures
(429, 403, migration, 5xx, slow answers, dropped connections, outages) that a
news-alerting bot must survive.

Wire format (as PTB 22.x sends it): every call is a POST to ``{base_url}{token}/{method}``.
Without file uploads the body is ``application/x-www-form-urlencoded``; with uploads it is
``multipart/form-data``. String values are sent verbatim, every other value (ints,
bools, lists, dicts such as ``reply_markup``) is JSON-encoded, so ``chat_id=42`` arrives as
the string ``"42"`` and ``disable_notification=True`` as ``"true"``. A JSON body or query
string is accepted too, so hand-written clients work.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
import socket
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import web

JSONDict = dict[str, Any]

__all__ = [
    "Call",
    "DropConnection",
    "ErrorReply",
    "FakeBotAPI",
    "Fault",
    "HtmlParseError",
    "ParsedText",
    "RateLimitRules",
    "SentMessage",
    "Slow",
    "drop_connection",
    "forbidden",
    "http_error",
    "migrate",
    "parse_telegram_html",
    "proxy_error",
    "retry_after",
    "slow",
    "utf16_len",
]

MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit for sendMessage/editMessageText text, after entity parsing."""

MAX_CALLBACK_DATA_BYTES = 64

CONFLICT_DESCRIPTION = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# How form values are decoded. Anything not listed stays a string, because PTB sends
# strings verbatim and guessing (e.g. json-decoding a text of "123") would corrupt them.
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "link_preview_options",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "media",
        "results",
    }
)
_INT_KEYS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "message_thread_id",
        "reply_to_message_id",
        "user_id",
        "from_chat_id",
        "cache_time",
    }
)
_FLOAT_KEYS = frozenset({"timeout"})
_BOOL_KEYS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "drop_pending_updates",
    }
)


# --------------------------------------------------------------------------- records


@dataclass
class Call:
    """One HTTP request the fake received, kept so tests can assert on traffic.

    ``response_status`` is 0 while the request is still being answered, and stays 0
    when the fake closed the connection without answering (drop faults, outages).
    ``error`` holds the ``description`` of a non-ok answer.
    """

    method: str
    params: JSONDict
    at: float
    response_status: int = 0
    error: str | None = None


@dataclass
class SentMessage:
    """An accepted sendMessage, flattened so assertions don't dig through dicts.

    ``text`` is exactly what the bot posted (HTML included); ``plain_text`` and
    ``entities`` are what Telegram would display after parsing it.
    """

    message_id: int
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: JSONDict | None
    disable_notification: bool
    message_thread_id: int | None
    reply_to_message_id: int | None
    at: float
    plain_text: str = ""
    entities: list[JSONDict] = field(default_factory=list)


@dataclass(frozen=True)
class RateLimitRules:
    """Telegram's published flood limits, as enforced when ``rate_limits=True``.

    Rules (only sendMessage counts; edits, callbacks and chat actions are free):

    * per chat: a message is refused if the previous *accepted* message to the same chat
      arrived less than ``per_chat_interval - jitter`` seconds earlier. A bot that waits at
      least 1 s between messages to a chat never trips it; the 0.1 s jitter absorbs
      scheduling and network noise. There is no burst allowance, so a 2nd message within
      a second is refused.
    * per group (chat id < 0): at most ``group_per_minute`` accepted messages in any
      sliding 60 s window.
    * overall: at most ``global_per_second`` accepted messages in any sliding 1 s window.

    ``retry_after`` is the whole number of seconds (at least 1) until the limit frees up.
    """

    per_chat_interval: float = 1.0
    jitter: float = 0.1
    group_per_minute: int = 20
    global_per_second: int = 30


# --------------------------------------------------------------------------- faults


@dataclass(frozen=True)
class Fault:
    """Base class of the failures ``FakeBotAPI.fail_next`` can inject."""


@dataclass(frozen=True)
class ErrorReply(Fault):
    """Answer with an error instead of processing the request (nothing is stored).

    ``html_body=True`` answers with an HTML page instead of Bot API JSON, as a reverse
    proxy in front of Telegram does when it fails.
    """

    status: int
    description: str
    retry_after: int | None = None
    migrate_to_chat_id: int | None = None
    html_body: bool = False


@dataclass(frozen=True)
class Slow(Fault):
    """Delay the answer by ``delay`` seconds.

    With ``accept=True`` the request is processed (a message is stored in ``sent``)
    *before* the delay, so a client that times out has in fact delivered it: the
    ambiguous case a retrying sender must not turn into a duplicate. With
    ``accept=False`` the request is processed only after the delay and only if the client
    is still connected, i.e. a client that gave up did not deliver anything.
    """

    delay: float
    accept: bool = True


@dataclass(frozen=True)
class DropConnection(Fault):
    """Close the connection without answering.

    ``accept=True`` processes the request first (delivered, but the client never hears).
    """

    accept: bool = False


def retry_after(seconds: int) -> ErrorReply:
    """429 flood-wait, which PTB raises as ``RetryAfter``."""
    return ErrorReply(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)


def http_error(status: int, description: str | None = None, *, html: bool = False) -> ErrorReply:
    """Any HTTP error; the description defaults to the status phrase (e.g. "Bad Gateway").

    With ``html=True`` the body is an HTML error page rather than JSON.
    """
    return ErrorReply(status, description or HTTPStatus(status).phrase, html_body=html)


def proxy_error(status: int = 502) -> ErrorReply:
    """A 5xx from a proxy: HTML body, no Bot API JSON at all."""
    return http_error(status, html=True)


def forbidden(description: str = "Forbidden: bot was blocked by the user") -> ErrorReply:
    """403, which PTB raises as ``Forbidden``."""
    return ErrorReply(403, description)


def migrate(new_chat_id: int) -> ErrorReply:
    """400 with ``migrate_to_chat_id``, which PTB raises as ``ChatMigrated``."""
    return ErrorReply(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=new_chat_id,
    )


def slow(delay_seconds: float, accept: bool = True) -> Slow:
    """See :class:`Slow`."""
    return Slow(delay_seconds, accept)


def drop_connection(accept: bool = False) -> DropConnection:
    """See :class:`DropConnection`."""
    return DropConnection(accept)


# --------------------------------------------------------------------------- HTML


class HtmlParseError(ValueError):
    """Text that Telegram would refuse with "can't parse entities"."""


@dataclass
class ParsedText:
    """The visible text and entities Telegram derives from a formatted message."""

    text: str
    entities: list[JSONDict]


@dataclass
class _OpenTag:
    name: str
    start16: int
    attrs: dict[str, str]
    language: str | None = None


_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|(lt|gt|amp|quot));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL_RE = re.compile(r"[<&]")
_NAME_RE = re.compile(r"[^\s>]*")
_ATTR_NAME_RE = re.compile(r"[A-Za-z0-9_-]+")
_UNQUOTED_VALUE_RE = re.compile(r"[^\s>]+")
_SPACE_RE = re.compile(r"\s*")
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}
_SUPPORTED_TAGS = frozenset({*_SIMPLE_TAGS, "a", "blockquote", "tg-emoji"})


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, index: int) -> tuple[str, int]:
    """Decode the entity at ``source[index] == "&"``; returns (char, next index).

    Stricter than Telegram on purpose: real Telegram keeps an unrecognised "&" literally,
    but a bot that doesn't escape "&" is one "&lt;" away from garbled alerts.
    """
    match = _ENTITY_RE.match(source, index)
    if match is None:
        raise HtmlParseError(f'Unescaped "&" or unsupported HTML entity at byte offset {_byte_offset(source, index)}')
    decimal, hexadecimal, named = match.groups()
    if named:
        return _NAMED_ENTITIES[named], match.end()
    code_point = int(decimal) if decimal else int(hexadecimal, 16)
    if not 0 < code_point <= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
        raise HtmlParseError(f"Invalid numeric HTML entity at byte offset {_byte_offset(source, index)}")
    return chr(code_point), match.end()


def _decode_attr(source: str, value: str, value_start: int) -> str:
    out: list[str] = []
    i = 0
    while (amp := value.find("&", i)) != -1:
        out.append(value[i:amp])
        try:
            char, end = _decode_entity(value, amp)
        except HtmlParseError:
            raise HtmlParseError(
                f'Unescaped "&" in attribute value at byte offset {_byte_offset(source, value_start + amp)}'
            ) from None
        out.append(char)
        i = end
    out.append(value[i:])
    return "".join(out)


def _parse_attrs(source: str, i: int, tag: str, tag_offset: int) -> tuple[dict[str, str], int]:
    """Parse attributes up to and including ">"; returns (attrs, index after ">")."""
    attrs: dict[str, str] = {}
    n = len(source)
    while True:
        i = _SPACE_RE.match(source, i).end()  # type: ignore[union-attr]
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
        if source[i] == ">":
            return attrs, i + 1
        name_match = _ATTR_NAME_RE.match(source, i)
        if name_match is None:
            raise HtmlParseError(
                f'Unexpected character in declaration of the tag "{tag}" at byte offset {_byte_offset(source, i)}'
            )
        name = name_match.group().lower()
        i = _SPACE_RE.match(source, name_match.end()).end()  # type: ignore[union-attr]
        if i < n and source[i] == "=":
            i = _SPACE_RE.match(source, i + 1).end()  # type: ignore[union-attr]
            if i < n and source[i] in "\"'":
                close = source.find(source[i], i + 1)
                if close == -1:
                    raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
                attrs[name] = _decode_attr(source, source[i + 1 : close], i + 1)
                i = close + 1
            else:
                value_match = _UNQUOTED_VALUE_RE.match(source, i)
                if value_match is None:
                    raise HtmlParseError(
                        f'Expected attribute value of the tag "{tag}" at byte offset {_byte_offset(source, i)}'
                    )
                attrs[name] = _decode_attr(source, value_match.group(), i)
                i = value_match.end()
        else:
            attrs[name] = ""


def _entity_for(tag: _OpenTag, length: int) -> JSONDict | None:
    """The MessageEntity a closed tag produces, or None if it produces none."""
    entity: JSONDict
    if tag.name == "a":
        if "href" not in tag.attrs:
            return None
        entity = {"type": "text_link", "url": tag.attrs["href"]}
    elif tag.name == "blockquote":
        kind = "expandable_blockquote" if "expandable" in tag.attrs else "blockquote"
        entity = {"type": kind}
    elif tag.name == "tg-emoji":
        entity = {"type": "custom_emoji", "custom_emoji_id": tag.attrs["emoji-id"]}
    else:
        entity = {"type": _SIMPLE_TAGS[tag.name]}
        if tag.name == "pre" and tag.language:
            entity["language"] = tag.language
    return {"offset": tag.start16, "length": length, **entity}


def parse_telegram_html(source: str) -> ParsedText:
    """Parse Telegram-flavoured HTML the way the Bot API does for ``parse_mode="HTML"``.

    Raises :class:`HtmlParseError` (message in Telegram's wording where we know it) for:
    unsupported tags (anything but b, strong, i, em, u, ins, s, strike, del, a, code, pre,
    tg-spoiler, span class="tg-spoiler", blockquote [expandable], tg-emoji emoji-id=...);
    unbalanced or crossed tags; a "<" that doesn't open a tag (``a < b``); a "&" that
    doesn't start &lt; &gt; &amp; &quot; or a numeric entity. A bare ">" is accepted, as
    Telegram does. Entity offsets/lengths are in UTF-16 code units.
    """
    out: list[str] = []
    pos16 = 0
    stack: list[_OpenTag] = []
    entities: list[JSONDict] = []
    i = 0
    n = len(source)

    def emit(chunk: str) -> None:
        nonlocal pos16
        out.append(chunk)
        pos16 += utf16_len(chunk)

    while i < n:
        special = _SPECIAL_RE.search(source, i)
        if special is None:
            emit(source[i:])
            break
        if special.start() > i:
            emit(source[i : special.start()])
        i = special.start()
        if source[i] == "&":
            char, i = _decode_entity(source, i)
            emit(char)
            continue
        tag_offset = _byte_offset(source, i)
        if source.startswith("</", i):
            name_match = _NAME_RE.match(source, i + 2)
            assert name_match is not None  # "*" always matches
            name = name_match.group().lower()
            end = _SPACE_RE.match(source, name_match.end()).end()  # type: ignore[union-attr]
            if end >= n or source[end] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {tag_offset}")
            i = end + 1
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {tag_offset}")
            top = stack.pop()
            if top.name != name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {tag_offset}, expected "</{top.name}>", found "</{name}>"'
                )
            language = top.attrs.get("class", "")
            if top.name == "code" and stack and stack[-1].name == "pre" and language.startswith("language-"):
                stack[-1].language = language.removeprefix("language-")
                continue
            length = pos16 - top.start16
            if length > 0 and (entity := _entity_for(top, length)) is not None:
                entities.append(entity)
            continue
        name_match = _NAME_RE.match(source, i + 1)
        assert name_match is not None
        name = name_match.group().lower()
        if i + 1 + len(name) >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {tag_offset}")
        if name not in _SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {tag_offset}')
        attrs, i = _parse_attrs(source, name_match.end(), name, tag_offset)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {tag_offset}')
        if name == "tg-emoji" and not attrs.get("emoji-id"):
            raise HtmlParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {tag_offset}')
        stack.append(_OpenTag(name, pos16, attrs))
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


# --------------------------------------------------------------------------- server


class _ApiError(Exception):
    """Raised by method handlers to answer ``{"ok": false, ...}``."""

    def __init__(self, status: int, description: str, **parameters: int) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class _Dropped(Exception):
    """Raised by method handlers to close the connection without answering."""


def _bad_request(detail: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {detail}")


def _html_error_page(status: int) -> str:
    phrase = HTTPStatus(status).phrase
    return (
        f"<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )


def _coerce(key: str, value: Any) -> Any:
    """Turn one posted value into its Bot API type; raises ValueError for bad JSON."""
    if not isinstance(value, str):
        return value
    if key in _JSON_KEYS:
        return json.loads(value)
    if key in _INT_KEYS:
        try:
            return int(value)
        except ValueError:
            return value  # e.g. chat_id="@channel"
    if key in _FLOAT_KEYS:
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    if key in _BOOL_KEYS:
        return value.strip().lower() in ("true", "1")
    return value


def _chat_type_for(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id <= -1_000_000_000_000 else "group"


class FakeBotAPI:
    """A fake Telegram Bot API server on 127.0.0.1 for driving real PTB ``Bot`` objects.

    Use ``async with FakeBotAPI() as fake:`` and ``telegram.Bot(fake.token,
    base_url=fake.base_url)``. Everything runs on the test's event loop, so the test can
    inspect ``calls``/``sent`` directly and ``push_message`` synchronously.

    Recorded state: ``calls`` (every request, even refused ones), ``sent`` (accepted
    sendMessage), ``edits`` (accepted edits, as decoded params plus ``"method"``),
    ``commands`` (last setMyCommands list), ``answered_callbacks``, ``throttled`` (429s
    from the rate limiter only, not injected ones) and ``errors`` (bugs in the fake).
    Persistent failures: ``blocked_chats`` (403), ``missing_chats`` (400 chat not found),
    ``migrated_chats`` (old id -> new id), ``refused_texts`` (a sendMessage whose text contains
    a key gets a 400 with the value as its description: a message-specific refusal) and
    ``unavailable`` (every call, getMe included, answered with that error until it is set back
    to None: Telegram down behind its proxy). One-shot failures: ``fail_next``.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        enforce_html: bool = True,
        rate_limits: bool = False,
    ) -> None:
        self.token = token
        self.enforce_html = enforce_html
        self.rate_limits = rate_limits
        self.rate_limit_rules = RateLimitRules()
        self.bot_user: JSONDict = {
            "id": 999,
            "is_bot": True,
            "first_name": "Beacon Test",
            "username": "beacon_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.sent: list[SentMessage] = []
        self.edits: list[JSONDict] = []
        self.commands: list[JSONDict] | None = None
        self.answered_callbacks: list[JSONDict] = []
        self.throttled = 0
        # Exceptions raised inside the fake itself (answered as 500). A test fixture should
        # assert this stays empty, or a bug in the fake masquerades as a network error.
        self.errors: list[str] = []
        # Persistent per-chat conditions (unlike one-shot faults): every send to these
        # chats fails the way Telegram fails for a blocked bot / a vanished chat / an
        # upgraded group.
        self.blocked_chats: set[int] = set()
        self.missing_chats: set[int] = set()
        self.migrated_chats: dict[int, int] = {}
        self.refused_texts: dict[str, str] = {}
        self.unavailable: ErrorReply | None = None

        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._callback_queries: dict[str, JSONDict] = {}
        self._faults: list[list[Any]] = []  # [method_lower | "*", fault, remaining]
        self._poll_generation = 0
        self._last_sent_to: dict[int, float] = {}
        self._group_window: dict[int, deque[float]] = {}
        self._global_window: deque[float] = deque()
        self._change = asyncio.Event()
        self._halted = True
        self._runner: web.AppRunner | None = None
        self._port = 0
        by_name: dict[str, Callable[[JSONDict], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "close": self._log_out_or_close,
            "logOut": self._log_out_or_close,
        }
        # Telegram matches method names case-insensitively; calls record the canonical name.
        self._handlers = {name.lower(): handler for name, handler in by_name.items()}
        self._canonical = {name.lower(): name for name in by_name}

    # ------------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        """The bound port; stable across ``go_down``/``come_up``."""
        if not self._port:
            raise RuntimeError("FakeBotAPI is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """What to pass as PTB's ``base_url`` (PTB appends the token itself)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def is_up(self) -> bool:
        """Whether the listener is accepting connections."""
        return self._runner is not None

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and start answering."""
        if self._runner is not None:
            raise RuntimeError("FakeBotAPI already started")
        await self._listen()

    async def stop(self) -> None:
        """Stop listening, abort in-flight requests and close every connection."""
        await self._unlisten()

    async def go_down(self) -> None:
        """Simulate an outage: connections are refused until ``come_up``.

        In-flight requests (e.g. a long poll) lose their connection without an answer.
        """
        if self._runner is None:
            raise RuntimeError("FakeBotAPI is not up")
        await self._unlisten()

    async def come_up(self) -> None:
        """End an outage: listen again on the same port."""
        if self._runner is not None:
            raise RuntimeError("FakeBotAPI is already up")
        if not self._port:
            raise RuntimeError("FakeBotAPI was never started")
        await self._listen()

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", self._port))
        except OSError:
            sock.close()
            raise
        self._port = sock.getsockname()[1]
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        self._runner = runner
        self._halted = False
        self._changed()

    async def _unlisten(self) -> None:
        runner, self._runner = self._runner, None
        self._halted = True
        self._changed()  # wakes long polls and slow faults; they drop their connections
        if runner is not None:
            await runner.cleanup()

    # ------------------------------------------------------------------ test helpers

    def calls_to(self, method: str) -> list[Call]:
        """Calls to one method, matched case-insensitively."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """The current state (after edits) of a message the fake knows about."""
        return self._messages.get((chat_id, message_id))

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed through ``offset``."""
        return list(self._updates)

    def fail_next(self, method: str, fault: Fault, times: int = 1) -> None:
        """Make the next ``times`` calls to ``method`` (any method for "*") fail with ``fault``.

        Faults queue up in order; a call consumes the first matching entry. Note that "*"
        also hits ``getUpdates`` if the bot is polling.
        """
        key = method.lower()
        if key != "*" and key not in self._handlers:
            raise ValueError(f"FakeBotAPI does not implement {method!r}")
        if times < 1:
            raise ValueError("times must be >= 1")
        self._faults.append([key, fault, times])

    def clear_faults(self) -> None:
        """Forget faults that have not fired yet."""
        self._faults.clear()

    def push_update(self, update: JSONDict) -> JSONDict:
        """Queue a raw Update (``update_id`` is assigned if missing) and wake long polls."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self._updates.append(update)
        self._changed()
        return update

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int = 1001,
        chat_type: str = "private",
        message_thread_id: int | None = None,
        username: str = "alice",
    ) -> JSONDict:
        """Queue an Update with a user's text message; "/cmd" text gets a bot_command entity.

        The message takes the next message id of that chat, so ids interleave with the
        bot's own messages as they do on Telegram. Returns the queued update.
        """
        chat = self._register_chat(chat_id, chat_type, username)
        message: JSONDict = {
            "message_id": self._take_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if chat_type == "channel":
            message["sender_chat"] = chat
        else:
            message["from"] = self._user(user_id, username)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
            message["is_topic_message"] = True
        self._messages[(chat_id, message["message_id"])] = message
        kind = "channel_post" if chat_type == "channel" else "message"
        return self.push_update({kind: message})

    def push_callback_query(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int = 1001,
        username: str = "alice",
    ) -> JSONDict:
        """Queue an Update for a press on an inline button of message ``message_id``."""
        message = self._messages.get((chat_id, message_id)) or {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self.bot_user,
        }
        query_id = str(4_000_000 + self._next_update_id)
        query: JSONDict = {
            "id": query_id,
            "from": self._user(user_id, username),
            "chat_instance": f"ci{chat_id}",
            "message": message,
            "data": data,
        }
        self._callback_queries[query_id] = query
        return self.push_update({"callback_query": query})

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``predicate()`` holds; AssertionError after ``timeout`` seconds.

        Re-checked on every request/update and at least every 50 ms, so predicates over
        state outside the fake work too.
        """
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"condition not met within {timeout}s; last calls: {self._recent_calls()}")
            await self._wait_change(min(remaining, 0.05))

    async def wait_for_sent(self, count: int, timeout: float = 5.0) -> list[SentMessage]:
        """Wait until at least ``count`` messages were accepted; returns ``sent``."""
        try:
            await self.wait_for(lambda: len(self.sent) >= count, timeout)
        except AssertionError:
            got = [(m.chat_id, m.text) for m in self.sent]
            raise AssertionError(
                f"expected {count} sent message(s) within {timeout}s, got {len(self.sent)}: "
                f"{got}; last calls: {self._recent_calls()}"
            ) from None
        return self.sent

    def _recent_calls(self) -> list[str]:
        return [f"{c.method}->{c.response_status}" + (f" ({c.error})" if c.error else "") for c in self.calls[-10:]]

    # ------------------------------------------------------------------ plumbing

    def _changed(self) -> None:
        """Wake every coroutine waiting for state to change."""
        self._change.set()
        self._change = asyncio.Event()

    async def _wait_change(self, timeout: float) -> None:
        event = self._change
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    async def _sleep(self, delay: float) -> None:
        """Sleep that ends early when the server goes down."""
        deadline = time.monotonic() + delay
        while not self._halted and (remaining := deadline - time.monotonic()) > 0:
            await self._wait_change(remaining)

    def _take_fault(self, method: str) -> Fault | None:
        key = method.lower()
        for entry in self._faults:
            if entry[0] in ("*", key):
                entry[2] -= 1
                if entry[2] <= 0:
                    self._faults.remove(entry)
                return entry[1]  # type: ignore[no-any-return]
        return None

    @staticmethod
    async def _read_params(request: web.Request) -> JSONDict:
        params: JSONDict = dict(request.query)
        if not request.can_read_body:
            return params
        if request.content_type == "application/json":
            with contextlib.suppress(ValueError):
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = value
            else:   # an uploaded file: its name stands for it
                params[key] = f"<file {getattr(value, 'filename', key)}>"
        return params

    @staticmethod
    def _decode(raw: JSONDict) -> tuple[JSONDict, list[str]]:
        params: JSONDict = {}
        bad: list[str] = []
        for key, value in raw.items():
            try:
                params[key] = _coerce(key, value)
            except ValueError:
                params[key] = value
                bad.append(key)
        return params, bad

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        params, bad_json = self._decode(await self._read_params(request))
        match = re.fullmatch(r"/bot([^/]+)/([^/]+)", request.path)
        method = match.group(2) if match else request.path
        canonical = self._canonical.get(method.lower())
        call = Call(canonical or method, params, time.monotonic())
        self.calls.append(call)
        self._changed()
        try:
            if match is None or match.group(1) != self.token:
                raise _ApiError(401 if match else 404, "Unauthorized" if match else "Not Found")
            if canonical is None:
                raise _ApiError(404, "Not Found")
            if self.unavailable is not None:
                return self._fault_response(call, self.unavailable)
            fault = self._take_fault(canonical)
            if isinstance(fault, ErrorReply):
                return self._fault_response(call, fault)
            if isinstance(fault, DropConnection):
                if fault.accept:
                    with contextlib.suppress(_ApiError, _Dropped):
                        await self._run(canonical, params, bad_json)
                raise _Dropped
            if isinstance(fault, Slow):
                if fault.accept:
                    try:
                        result = await self._run(canonical, params, bad_json)
                    finally:
                        await self._sleep(fault.delay)
                        if self._halted:
                            raise _Dropped
                else:
                    await self._sleep(fault.delay)
                    if self._halted or request.transport is None:
                        raise _Dropped
                    result = await self._run(canonical, params, bad_json)
            else:
                result = await self._run(canonical, params, bad_json)
        except _ApiError as err:
            return self._error_response(call, err)
        except _Dropped:
            if request.transport is not None:
                request.transport.close()
            self._changed()
            return web.Response(status=204)  # never reaches the (closed) client
        except Exception as exc:  # a bug in the fake, not a simulated failure
            self.errors.append("".join(traceback.format_exception(exc)))
            return self._error_response(call, _ApiError(500, "Internal Server Error"))
        call.response_status = 200
        self._changed()
        return web.json_response({"ok": True, "result": result})

    async def _run(self, method: str, params: JSONDict, bad_json: list[str]) -> Any:
        if bad_json:
            key = bad_json[0]
            what = "reply keyboard markup" if key == "reply_markup" else key
            raise _bad_request(f"can't parse {what} JSON object")
        result = self._handlers[method.lower()](params)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    def _error_response(self, call: Call, err: _ApiError) -> web.Response:
        body: JSONDict = {"ok": False, "error_code": err.status, "description": err.description}
        if err.parameters:
            body["parameters"] = err.parameters
        call.response_status = err.status
        call.error = err.description
        self._changed()
        return web.json_response(body, status=err.status)

    def _fault_response(self, call: Call, fault: ErrorReply) -> web.Response:
        if fault.html_body:
            call.response_status = fault.status
            call.error = fault.description
            self._changed()
            return web.Response(status=fault.status, text=_html_error_page(fault.status), content_type="text/html")
        parameters: dict[str, int] = {}
        if fault.retry_after is not None:
            parameters["retry_after"] = fault.retry_after
        if fault.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = fault.migrate_to_chat_id
        return self._error_response(call, _ApiError(fault.status, fault.description, **parameters))

    # ------------------------------------------------------------------ model helpers

    def _user(self, user_id: int, username: str) -> JSONDict:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": username.capitalize() or "User",
            "username": username,
            "language_code": "en",
        }

    def _register_chat(self, chat_id: int, chat_type: str, username: str) -> JSONDict:
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat.update(first_name=username.capitalize() or "User", username=username)
        else:
            chat["title"] = f"Test {chat_type} {chat_id}"
        self._chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: int) -> JSONDict:
        return self._chats.get(chat_id) or {"id": chat_id, "type": _chat_type_for(chat_id)}

    def _take_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _chat_id(self, params: JSONDict) -> int:
        """The target chat, failing the way Telegram does for unusable chats."""
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if not isinstance(chat_id, int) or chat_id == 0 or chat_id in self.missing_chats:
            raise _bad_request("chat not found")
        if chat_id in self.blocked_chats:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.migrated_chats:
            raise _ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated_chats[chat_id],
            )
        return chat_id

    def _render(self, text: Any, parse_mode: Any) -> ParsedText:
        """Visible text and entities; enforces Telegram's empty/length/HTML rules.

        Length is counted in UTF-16 code units of the visible text (what Telegram uses for
        entity offsets): the stricter reading, so an emoji counts 2. Markdown/MarkdownV2 text
        is not validated and counts raw.
        """
        if not isinstance(text, str) or text == "":
            raise _bad_request("message text is empty")
        parsed = ParsedText(text, [])
        mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
        if mode not in ("", "html", "markdown", "markdownv2"):
            raise _bad_request(f"unsupported parse_mode {parse_mode!r}")
        if mode == "html":
            try:
                parsed = parse_telegram_html(text)
            except HtmlParseError as err:
                if self.enforce_html:
                    raise _bad_request(f"can't parse entities: {err}") from None
        if not parsed.text.strip():
            raise _bad_request("message text is empty")
        if utf16_len(parsed.text) > MAX_MESSAGE_LENGTH:
            raise _bad_request("message is too long")
        return parsed

    @staticmethod
    def _check_markup(markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request("inline_keyboard must be an Array of Arrays of InlineKeyboardButton")
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad_request("BUTTON_TEXT_INVALID")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise _bad_request("BUTTON_DATA_INVALID")
        return markup

    def _check_rate(self, chat_id: int) -> None:
        """Raise 429 if sending to ``chat_id`` now breaks :class:`RateLimitRules`."""
        if not self.rate_limits:
            return
        rules = self.rate_limit_rules
        now = time.monotonic()
        while self._global_window and self._global_window[0] <= now - 1.0:
            self._global_window.popleft()
        wait = 0.0
        if len(self._global_window) >= rules.global_per_second:
            wait = self._global_window[0] + 1.0 - now
        last = self._last_sent_to.get(chat_id)
        if last is not None and now - last < rules.per_chat_interval - rules.jitter:
            wait = max(wait, last + rules.per_chat_interval - now)
        if chat_id < 0:
            window = self._group_window.setdefault(chat_id, deque())
            while window and window[0] <= now - 60.0:
                window.popleft()
            if len(window) >= rules.group_per_minute:
                wait = max(wait, window[0] + 60.0 - now)
        if wait > 0:
            self.throttled += 1
            seconds = max(1, math.ceil(wait))
            raise _ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)

    def _record_rate(self, chat_id: int) -> None:
        now = time.monotonic()
        self._global_window.append(now)
        self._last_sent_to[chat_id] = now
        if chat_id < 0:
            self._group_window.setdefault(chat_id, deque()).append(now)

    # ------------------------------------------------------------------ methods

    def _get_me(self, params: JSONDict) -> JSONDict:
        return self.bot_user

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Long polling with Telegram's semantics.

        ``offset`` confirms (drops) updates with a smaller id; a negative offset keeps only
        the last ``-offset`` updates. Waits up to ``timeout`` seconds but answers as soon as
        an update is queued. A newer getUpdates terminates a waiting one with 409 Conflict,
        as Telegram does when two bot instances poll.
        """
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        limit = params.get("limit", 100)
        limit = max(1, min(100, limit)) if isinstance(limit, int) else 100
        timeout = params.get("timeout", 0)
        timeout = float(timeout) if isinstance(timeout, int | float) else 0.0
        self._poll_generation += 1
        generation = self._poll_generation
        self._changed()
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            if self._halted:
                raise _Dropped
            if generation != self._poll_generation:
                raise _ApiError(409, CONFLICT_DESCRIPTION)
            remaining = deadline - time.monotonic()
            if self._updates or remaining <= 0:
                return self._updates[:limit]
            await self._wait_change(remaining)

    def _delete_webhook(self, params: JSONDict) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("commands must be an array of at most 100 BotCommand")
        for command in commands:
            if not isinstance(command, dict) or not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = commands
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return list(self.commands or [])

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self.commands = None
        return True

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._chat_id(params)
        parse_mode = params.get("parse_mode")
        parsed = self._render(params.get("text"), parse_mode)
        for fragment, description in self.refused_texts.items():
            if fragment in parsed.text:
                raise _bad_request(description)
        markup = self._check_markup(params.get("reply_markup"))
        reply_to = params.get("reply_to_message_id")
        allow_missing = bool(params.get("allow_sending_without_reply"))
        reply_parameters = params.get("reply_parameters")
        if isinstance(reply_parameters, dict):
            reply_to = reply_parameters.get("message_id", reply_to)
            allow_missing = allow_missing or bool(reply_parameters.get("allow_sending_without_reply"))
        replied = self._messages.get((chat_id, reply_to)) if isinstance(reply_to, int) else None
        if reply_to is not None and replied is None and not allow_missing:
            raise _bad_request("message to be replied not found")
        self._check_rate(chat_id)
        self._record_rate(chat_id)

        message_id = self._take_message_id(chat_id)
        thread_id = params.get("message_thread_id")
        message: JSONDict = {
            "message_id": message_id,
            "from": self.bot_user,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "text": parsed.text,
        }
        if parsed.entities:
            message["entities"] = parsed.entities
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if isinstance(thread_id, int):
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if replied is not None:
            message["reply_to_message"] = replied
        self._messages[(chat_id, message_id)] = message
        self.sent.append(
            SentMessage(
                message_id=message_id,
                chat_id=chat_id,
                text=params["text"],
                parse_mode=parse_mode,
                reply_markup=markup,
                disable_notification=bool(params.get("disable_notification", False)),
                message_thread_id=thread_id if isinstance(thread_id, int) else None,
                reply_to_message_id=reply_to if replied is not None else None,
                at=time.monotonic(),
                plain_text=parsed.text,
                entities=parsed.entities,
            )
        )
        return message

    def _editable(self, params: JSONDict) -> tuple[int, int, JSONDict] | None:
        """The bot's own message an edit targets; None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat_id = self._chat_id(params)
        message_id = params.get("message_id")
        message = self._messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
        if message is None:
            raise _bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise _bad_request("message can't be edited")
        return chat_id, message_id, message  # type: ignore[return-value]

    def _apply_edit(self, method: str, params: JSONDict, changes: JSONDict) -> JSONDict | bool:
        target = self._editable(params)
        if target is None:
            self.edits.append({"method": method, **params})
            return True
        chat_id, message_id, message = target
        updated = {k: v for k, v in message.items() if k not in ("edit_date",)}
        for key, value in changes.items():
            if value is None:
                updated.pop(key, None)
            else:
                updated[key] = value
        visible = ("text", "entities", "reply_markup")
        if all(updated.get(k) == message.get(k) for k in visible):
            raise _bad_request(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        updated["edit_date"] = int(time.time())
        self._messages[(chat_id, message_id)] = updated
        self.edits.append({"method": method, **params})
        return updated

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        parsed = self._render(params.get("text"), params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        return self._apply_edit(
            "editMessageText",
            params,
            {
                "text": parsed.text,
                "entities": parsed.entities or None,
                "reply_markup": markup if markup and "inline_keyboard" in markup else None,
            },
        )

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        markup = self._check_markup(params.get("reply_markup"))
        return self._apply_edit(
            "editMessageReplyMarkup",
            params,
            {"reply_markup": markup if markup and "inline_keyboard" in markup else None},
        )

    def _answer_callback_query(self, params: JSONDict) -> bool:
        if str(params.get("callback_query_id")) not in self._callback_queries:
            raise _bad_request("query is too old and response timeout expired or query ID is invalid")
        self.answered_callbacks.append(params)
        return True

    def _send_chat_action(self, params: JSONDict) -> bool:
        self._chat_id(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = dict(self._chat(self._chat_id(params)))
        chat.setdefault("accent_color_id", 0)
        chat.setdefault("max_reaction_count", 11)
        return chat

    def _log_out_or_close(self, params: JSONDict) -> bool:
        return True
