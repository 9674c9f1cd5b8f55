"""A database that refuses writes: /subscribe and the buttons answer with an apology, the log has the trace.

python-telegram-bot against the fake Bot API, the handlers as the app registers them, and a real
SQLite database switched to refuse every write (`PRAGMA query_only`: SQLite answers
SQLITE_READONLY, as it does for a read-only file, which file permissions cannot give a test run as
root). Before the error handler, /subscribe on such a database left the user with no answer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.errors import StoreError
from bot.store import Store
from bot.telegram.application import PTBApplication, build_application
from bot.telegram.commands import ChatServices, register
from bot.telegram.handler_errors import APOLOGY, BUTTON_APOLOGY
from tests.fakes.bot_api import FakeBotAPI

CHAT = 4242
RULES = compile_rules(load_rules_text("id: fatal-clash\ntitle: Clash\nwhen: {terms: [ambush]}\n"))


@pytest.fixture
async def polling(bot_api: FakeBotAPI, store: Store) -> AsyncIterator[PTBApplication]:
    """The handlers on a store whose database refuses writes, polling the fake Bot API."""
    application = build_application(bot_api.token, bot_api.base_url)
    await application.initialize()
    register(application, ChatServices(store, lambda: RULES, lambda: datetime.now(UTC)))
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling()
    store.db.execute("PRAGMA query_only=ON")
    yield application
    store.db.execute("PRAGMA query_only=OFF")
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


def traced(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info is not None]


async def test_subscribe_on_a_database_that_refuses_writes_gets_an_apology(
        polling: PTBApplication, bot_api: FakeBotAPI, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        bot_api.push_message(CHAT, "/subscribe fatal-clash")
        [reply] = await bot_api.wait_for_sent(1, timeout=10)
    assert (reply.chat_id, reply.plain_text) == (CHAT, APOLOGY)
    [record] = traced(caplog)
    assert "handling message '/subscribe fatal-clash' in chat 4242 failed: StoreError" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is StoreError
    assert "read-only" in str(record.exc_info[1])
    assert store.chats.subscriptions(CHAT) == []   # nothing half-written


async def test_a_button_on_a_database_that_refuses_writes_gets_an_apology(
        polling: PTBApplication, bot_api: FakeBotAPI, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        bot_api.push_callback_query(CHAT, 1, "sub:fatal-clash")
        await bot_api.wait_for(lambda: bool(bot_api.answered_callbacks), timeout=10)
    assert bot_api.answered_callbacks[0]["text"] == BUTTON_APOLOGY
    [record] = traced(caplog)
    assert "handling button 'sub:fatal-clash' in chat 4242 failed: StoreError" in record.getMessage()
    assert bot_api.sent == []
