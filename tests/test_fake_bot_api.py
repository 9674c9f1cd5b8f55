"""The fake Bot API must behave like Telegram *as seen by real python-telegram-bot*.

Bot tests built on FakeBotAPI prove nothing unless PTB parses its answers and raises the
same exceptions it raises against Telegram, so every test here drives a real
``telegram.Bot`` over HTTP on 127.0.0.1; nothing is mocked.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.fakes.bot_api import (
    FakeBotAPI,
    HtmlParseError,
    RateLimitRules,
    drop_connection,
    forbidden,
    http_error,
    migrate,
    parse_telegram_html,
    proxy_error,
    retry_after,
    slow,
)

pytestmark = [
    pytest.mark.timeout(10),
    # PTB 22.2+ warns inside RetryAfter.__init__ itself, so every 429 triggers it.
    pytest.mark.filterwarnings("ignore:.*attribute `retry_after`:telegram.warnings.PTBDeprecationWarning"),
]

TOKEN = "123456:TEST-TOKEN"
CHAT = 4242
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Mute 1h", callback_data="mute:3600")]])


@pytest_asyncio.fixture
async def fake(caplog: pytest.LogCaptureFixture) -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(TOKEN) as server:
        yield server
    assert server.errors == []
    noisy = [r for r in caplog.records if r.name.startswith(("aiohttp", "asyncio")) and r.levelno >= 30]
    assert [r.getMessage() for r in noisy] == []


@pytest_asyncio.fixture
async def bot(fake: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


def retry_seconds(exc: RetryAfter) -> float:
    """``retry_after`` is an int, or a timedelta when PTB_TIMEDELTA is set."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# --------------------------------------------------------------------------- basics


async def test_get_me_returns_the_bot_user(fake: FakeBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (999, True, "Beacon Test", "beacon_test_bot")
    assert bot.username == "beacon_test_bot"  # cached by Bot.initialize(), which called getMe
    assert [c.method for c in fake.calls] == ["getMe", "getMe"]
    assert all(c.response_status == 200 for c in fake.calls)


async def test_wrong_token_and_unknown_method(fake: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("1:WRONG", base_url=fake.base_url):
            pass
    assert fake.calls[-1].response_status == 401
    async with Bot(TOKEN, base_url=fake.base_url) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("launch_rockets")
    assert fake.calls[-1].response_status == 404


async def test_method_names_are_case_insensitive(fake: FakeBotAPI) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake.base_url}{TOKEN}/SENDMESSAGE", data={"chat_id": "7", "text": "x"})
        as_json = await client.post(f"{fake.base_url}{TOKEN}/getme", json={})
    assert response.json()["result"]["chat"] == {"id": 7, "type": "private"}
    assert as_json.json()["result"]["username"] == "beacon_test_bot"
    assert [c.method for c in fake.calls_to("sendmessage")] == ["sendMessage"]


async def test_send_message_is_recorded(fake: FakeBotAPI, bot: Bot) -> None:
    message = await bot.send_message(
        CHAT,
        "<b>Quake</b> M6.1 &amp; tsunami watch",
        parse_mode="HTML",
        reply_markup=KEYBOARD,
        disable_notification=True,
    )
    second = await bot.send_message(CHAT, "plain")
    other = await bot.send_message(-100200300, "group", message_thread_id=7)

    assert (message.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert message.text == "Quake M6.1 & tsunami watch"  # Telegram returns the parsed text...
    assert message.entities == (MessageEntity("bold", 0, 5),)  # ...plus entities
    assert message.text_html == "<b>Quake</b> M6.1 &amp; tsunami watch"
    assert message.reply_markup == KEYBOARD
    assert message.from_user is not None and message.from_user.id == 999

    sent = fake.sent[0]
    assert sent.chat_id == CHAT and isinstance(sent.chat_id, int)
    assert sent.text == "<b>Quake</b> M6.1 &amp; tsunami watch"
    assert sent.parse_mode == "HTML"
    assert sent.reply_markup == {"inline_keyboard": [[{"text": "Mute 1h", "callback_data": "mute:3600"}]]}
    assert sent.disable_notification is True
    assert fake.sent[1].parse_mode is None and fake.sent[1].disable_notification is False
    assert fake.sent[2].message_thread_id == 7 and other.is_topic_message


async def test_reply_to_known_message_and_missing_one(fake: FakeBotAPI, bot: Bot) -> None:
    pushed = fake.push_message(CHAT, "hello")["message"]
    reply = await bot.send_message(CHAT, "hi", reply_to_message_id=pushed["message_id"])
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "hello"
    assert fake.sent[-1].reply_to_message_id == pushed["message_id"]
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(CHAT, "hi", reply_to_message_id=999)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "text",
    [
        "<p>para</p>",
        "a < b",
        "<br>",
        "<b>unclosed",
        "<b><i>crossed</b></i>",
        "stray </b>",
        "AT&T",
        "&nbsp;",
        "<span>not a spoiler</span>",
        "<tg-emoji>x</tg-emoji>",
        '<a href="https://x.test/?a=1&b=2">link</a>',
    ],
)
async def test_invalid_html_is_refused(fake: FakeBotAPI, bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(CHAT, text, parse_mode="HTML")
    assert fake.sent == []
    assert fake.calls[-1].response_status == 400


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</b>",
        "a &lt; b &gt; c &amp; d &quot;e&quot;",
        "a > b",
        "&#128680; &#x1F4E2; alert",
        '<a href="https://x.test/?a=1&amp;b=2">link</a>',
        "<B>Upper</B> <strong>s</strong> <em>e</em> <ins>i</ins> <del>d</del> <strike>s</strike>",
        '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
        '<pre><code class="language-python">print(1 &lt; 2)</code></pre>',
        "<blockquote expandable>quote</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "<b>bold <i>both</i></b>",
    ],
)
async def test_valid_html_is_accepted(fake: FakeBotAPI, bot: Bot, text: str) -> None:
    await bot.send_message(CHAT, text, parse_mode="HTML")
    assert fake.sent[-1].text == text


async def test_html_not_enforced_without_parse_mode_or_when_disabled(bot: Bot) -> None:
    await bot.send_message(CHAT, "a < b & <p>", parse_mode=None)
    async with FakeBotAPI(TOKEN, enforce_html=False) as lax, Bot(TOKEN, base_url=lax.base_url) as lax_bot:
        await lax_bot.send_message(CHAT, "a < b", parse_mode="HTML")
        assert lax.sent[0].text == "a < b"


async def test_unknown_parse_mode_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unsupported parse_mode"):
        await bot.send_message(CHAT, "x", parse_mode="Markdown3")


def test_parser_entities_use_utf16_offsets() -> None:
    parsed = parse_telegram_html(
        '😀 <b>bold</b> <a href="https://e.test">l</a><pre><code class="language-py">x</code></pre>'
    )
    assert parsed.text == "😀 bold lx"
    assert parsed.entities == [
        {"offset": 3, "length": 4, "type": "bold"},
        {"offset": 8, "length": 1, "type": "text_link", "url": "https://e.test"},
        {"offset": 9, "length": 1, "type": "pre", "language": "py"},
    ]
    with pytest.raises(HtmlParseError, match='Unsupported start tag "" at byte offset 2'):
        parse_telegram_html("a < b")
    with pytest.raises(HtmlParseError, match=r'expected "</i>", found "</b>"'):
        parse_telegram_html("<b><i>x</b></i>")


async def test_length_and_empty_text_limits(fake: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(CHAT, "x" * 4096)
    await bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")  # tags don't count
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "😀" * 2049)  # 4098 UTF-16 code units
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode="HTML")
    assert len(fake.sent) == 2


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "x", reply_markup=markup)


async def test_persistent_chat_conditions(fake: FakeBotAPI, bot: Bot) -> None:
    fake.blocked_chats.add(1)
    fake.missing_chats.add(2)
    fake.migrated_chats[-3] = -1003
    with pytest.raises(Forbidden):
        await bot.send_message(1, "x")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(2, "x")
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-3, "x")
    assert migrated.value.new_chat_id == -1003


# --------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    ("fault", "expected", "detail"),
    [
        (retry_after(7), RetryAfter, "flood control exceeded"),  # the wording varies with PTB_TIMEDELTA
        (forbidden(), Forbidden, "bot was blocked by the user"),
        (forbidden("Forbidden: user is deactivated"), Forbidden, "user is deactivated"),
        (migrate(-1001234), ChatMigrated, "-1001234"),
        (http_error(400, "Bad Request: chat not found"), BadRequest, "chat not found"),
        (http_error(500), NetworkError, "Internal Server Error"),
        (http_error(502), NetworkError, "Bad Gateway"),
        (proxy_error(502), NetworkError, "Parsing the server response"),
    ],
)
async def test_faults_map_to_ptb_exceptions(
    fake: FakeBotAPI, bot: Bot, fault: object, expected: type[Exception], detail: str
) -> None:
    fake.fail_next("sendMessage", fault, times=2)  # type: ignore[arg-type]
    for _ in range(2):
        with pytest.raises(expected) as info:
            await bot.send_message(CHAT, "alert")
        assert detail.lower() in str(info.value).lower()  # PTB re-capitalises descriptions
    await bot.send_message(CHAT, "alert")  # the fault is used up
    assert [m.text for m in fake.sent] == ["alert"]
    if isinstance(info.value, RetryAfter):
        assert retry_seconds(info.value) == 7
    if isinstance(info.value, ChatMigrated):
        assert info.value.new_chat_id == -1001234


async def test_faults_target_one_method_or_any(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", forbidden())
    await bot.get_me()  # not affected
    fake.fail_next("*", http_error(500))
    with pytest.raises(NetworkError):
        await bot.get_me()
    with pytest.raises(Forbidden):
        await bot.send_message(CHAT, "x")
    with pytest.raises(ValueError, match="does not implement"):
        fake.fail_next("sendMesage", forbidden())


async def test_slow_answer_times_out_but_was_delivered(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", slow(5.0))
    started = time.monotonic()
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "ambiguous", read_timeout=0.2)
    assert time.monotonic() - started < 2
    assert [m.text for m in fake.sent] == ["ambiguous"]  # delivered although the client gave up
    await bot.send_message(CHAT, "next")  # the server still answers other requests
    assert fake.sent[-1].message_id == 2


async def test_slow_unaccepted_answer_is_not_delivered_to_a_client_that_gave_up(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", slow(0.3, accept=False))
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "lost", read_timeout=0.1)
    await asyncio.sleep(0.4)  # past the delay: the server noticed the client left and dropped it
    assert fake.sent == [] and fake.calls_to("sendMessage")[-1].response_status == 0
    fake.fail_next("sendMessage", slow(0.1, accept=False))
    await bot.send_message(CHAT, "patient")  # a patient client gets it after the delay
    assert [m.text for m in fake.sent] == ["patient"]


async def test_dropped_connection_is_a_network_error(fake: FakeBotAPI, bot: Bot) -> None:
    fake.fail_next("sendMessage", drop_connection())
    with pytest.raises(NetworkError) as info:
        await bot.send_message(CHAT, "dropped")
    assert not isinstance(info.value, TimedOut)
    assert fake.sent == [] and fake.calls[-1].response_status == 0
    fake.fail_next("sendMessage", drop_connection(accept=True))
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "delivered, unacknowledged")
    assert [m.text for m in fake.sent] == ["delivered, unacknowledged"]


async def test_outage_refuses_connections_until_it_comes_back(fake: FakeBotAPI, bot: Bot) -> None:
    port = fake.port
    await fake.go_down()
    assert not fake.is_up
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "during outage")
    with pytest.raises(httpx.ConnectError):  # refused, not hanging
        async with httpx.AsyncClient() as client:
            await client.post(f"{fake.base_url}{TOKEN}/getMe")
    await fake.come_up()
    assert fake.port == port
    await bot.send_message(CHAT, "after outage")
    assert [m.text for m in fake.sent] == ["after outage"]


async def test_outage_cuts_a_pending_long_poll(fake: FakeBotAPI, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")))
    await fake.go_down()
    with pytest.raises(NetworkError):
        await poll
    await fake.come_up()


# --------------------------------------------------------------------------- updates


async def test_pushed_updates_reach_get_updates_with_offset_semantics(fake: FakeBotAPI, bot: Bot) -> None:
    fake.push_message(CHAT, "/subscribe@beacon_test_bot quakes", username="bob", user_id=77)
    fake.push_message(-100555, "news?", chat_type="supergroup", message_thread_id=3)

    updates = await bot.get_updates(timeout=0)
    assert len(updates) == 2
    first = updates[0].message
    assert first is not None and first.text == "/subscribe@beacon_test_bot quakes"
    assert first.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 26),)
    assert first.parse_entities([MessageEntity.BOT_COMMAND])
    assert first.chat.id == CHAT and first.chat.type == "private"
    assert first.from_user is not None and (first.from_user.id, first.from_user.username) == (77, "bob")
    second = updates[1].message
    assert second is not None and second.chat.type == "supergroup" and second.message_thread_id == 3
    assert not second.entities

    again = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)  # confirms the first
    assert [u.update_id for u in again] == [updates[1].update_id]
    assert await bot.get_updates(offset=updates[1].update_id + 1, timeout=0) == ()
    assert await bot.get_updates(timeout=0) == ()  # confirmed updates are gone for good


async def test_long_poll_returns_as_soon_as_an_update_arrives(fake: FakeBotAPI, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")))
    started = time.monotonic()
    fake.push_message(CHAT, "/start")
    updates = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1
    assert updates[0].message is not None and updates[0].message.text == "/start"

    started = time.monotonic()
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=dtm.timedelta(seconds=0.3)) == ()
    assert 0.25 < time.monotonic() - started < 2
    assert fake.calls_to("getUpdates")[-1].params["timeout"] == 0.3


async def test_second_poller_terminates_the_first_with_conflict(fake: FakeBotAPI, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda: len(fake.calls_to("getUpdates")) == 1)
    # A second Bot, as a second bot instance would be: PTB's getUpdates pool holds 1 connection.
    async with Bot(TOKEN, base_url=fake.base_url) as other:
        second = asyncio.create_task(other.get_updates(timeout=5))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        fake.push_message(CHAT, "x")
        assert len(await second) == 1


async def test_delete_webhook_can_drop_pending_updates(fake: FakeBotAPI, bot: Bot) -> None:
    fake.push_message(CHAT, "old")
    assert await bot.delete_webhook()
    assert len(fake.pending_updates) == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert fake.pending_updates == []


async def test_callback_query_round_trip(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "Alert", reply_markup=KEYBOARD)
    fake.push_callback_query(CHAT, sent.message_id, "mute:3600")
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.data == "mute:3600"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.message.reply_markup == KEYBOARD

    assert await query.answer("Muted for 1h")
    assert fake.answered_callbacks == [{"callback_query_id": query.id, "text": "Muted for 1h"}]
    with pytest.raises(BadRequest, match=r"(?i)query ID is invalid"):
        await bot.answer_callback_query("nope")


# --------------------------------------------------------------------------- other methods


async def test_edits_are_recorded_and_validated(fake: FakeBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(CHAT, "<b>v1</b>", parse_mode="HTML", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("<b>v2</b>", CHAT, sent.message_id, parse_mode="HTML")
    assert not isinstance(edited, bool) and edited.text == "v2" and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<b>v2</b>", CHAT, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.edit_message_text("<b>v3", CHAT, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", CHAT, 99)
    await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=KEYBOARD)
    await bot.edit_message_reply_markup(CHAT, sent.message_id)  # removes the keyboard

    assert [(e["method"], e.get("text")) for e in fake.edits] == [
        ("editMessageText", "<b>v2</b>"),
        ("editMessageReplyMarkup", None),
        ("editMessageReplyMarkup", None),
    ]
    current = fake.message(CHAT, sent.message_id)
    assert current is not None and current["text"] == "v2" and "reply_markup" not in current
    assert len(fake.sent) == 1  # edits are not sends


async def test_commands_chat_action_and_get_chat(fake: FakeBotAPI, bot: Bot) -> None:
    assert await bot.set_my_commands([BotCommand("subscribe", "Follow a topic"), ("help", "Help")])
    assert fake.commands == [
        {"command": "subscribe", "description": "Follow a topic"},
        {"command": "help", "description": "Help"},
    ]
    assert [c.command for c in await bot.get_my_commands()] == ["subscribe", "help"]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Subscribe", "uppercase is not allowed")])

    assert await bot.send_chat_action(CHAT, "typing")
    with pytest.raises(BadRequest):
        await bot.send_chat_action(CHAT, "dancing")

    fake.push_message(-42, "hi", chat_type="group")
    chat = await bot.get_chat(-42)
    assert (chat.id, chat.type, chat.title) == (-42, "group", "Test group -42")


# --------------------------------------------------------------------------- rate limits


async def test_rate_limit_refuses_second_message_to_a_chat_within_a_second() -> None:
    async with FakeBotAPI(TOKEN, rate_limits=True) as fake, Bot(TOKEN, base_url=fake.base_url) as bot:
        await bot.send_message(CHAT, "one")
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(CHAT, "two")
        assert retry_seconds(info.value) == 1
        assert fake.throttled == 1 and fake.calls[-1].response_status == 429
        await bot.send_message(CHAT + 1, "another chat is fine")
        assert [m.text for m in fake.sent] == ["one", "another chat is fine"]


async def test_rate_limit_per_group_per_minute() -> None:
    async with FakeBotAPI(TOKEN, rate_limits=True) as fake, Bot(TOKEN, base_url=fake.base_url) as bot:
        fake.rate_limit_rules = RateLimitRules(per_chat_interval=0, jitter=0)  # isolate this rule
        for i in range(20):
            await bot.send_message(-100, f"g{i}")
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(-100, "g20")
        assert 55 <= retry_seconds(info.value) <= 60
        await bot.send_message(100, "a private chat is not limited by the group rule")


async def test_rate_limit_30_per_second_overall() -> None:
    async with FakeBotAPI(TOKEN, rate_limits=True) as fake, Bot(TOKEN, base_url=fake.base_url) as bot:
        for chat_id in range(1, 31):
            await bot.send_message(chat_id, "x")
        with pytest.raises(RetryAfter):
            await bot.send_message(31, "x")
        assert fake.throttled == 1 and len(fake.sent) == 30


# --------------------------------------------------------------------------- helpers


async def test_wait_for_sent(fake: FakeBotAPI, bot: Bot) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(CHAT, "a")
        await bot.send_message(CHAT, "b")

    task = asyncio.create_task(later())
    sent = await fake.wait_for_sent(2, timeout=2)
    assert [m.text for m in sent] == ["a", "b"]
    await task
    with pytest.raises(AssertionError, match=r"expected 3 sent message\(s\) within 0.1s, got 2"):
        await fake.wait_for_sent(3, timeout=0.1)


async def test_a_real_application_polls_and_replies(fake: FakeBotAPI) -> None:
    """The whole PTB polling stack (deleteWebhook, long polling, offsets) works against the fake."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(f"<b>Hi</b> {context.args}")

    app = ApplicationBuilder().token(TOKEN).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        fake.push_message(CHAT, "/start quakes")
        (reply,) = await fake.wait_for_sent(1)
        await app.updater.stop()
        await app.stop()
    assert (reply.chat_id, reply.text, reply.parse_mode) == (CHAT, "<b>Hi</b> ['quakes']", "HTML")
    assert fake.calls_to("deleteWebhook")
    assert fake.pending_updates == []  # the stopping Updater confirmed the offset
