"""A handler that fails answers the user with a short apology and logs one traceback.

python-telegram-bot against the fake Bot API; the failure is real (a service that raises), given to
the handlers the way the app gives them theirs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from telegram.ext import Application

from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.store import Store
from bot.telegram.commands import ChatServices, register
from bot.telegram.handler_errors import APOLOGY, BUTTON_APOLOGY
from tests.fakes.bot_api import FakeBotAPI

CHAT = 4242
RULES = compile_rules(load_rules_text("id: fatal-clash\ntitle: Clash\nwhen: {terms: [ambush]}\n"))


class Broken(RuntimeError):
    """What the failing services raise, so the log can be searched for it."""


def broken_status() -> str:
    raise Broken("status table unreadable")


@pytest.fixture
async def start_bot(bot_api: FakeBotAPI) -> AsyncIterator[Callable[[ChatServices], Awaitable[None]]]:
    """Start polling the fake Bot API with the handlers on these services; stopped after the test."""
    applications: list[Application] = []

    async def start(services: ChatServices) -> None:
        application = Application.builder().token(bot_api.token).base_url(bot_api.base_url).build()
        await application.initialize()
        applications.append(application)
        register(application, services)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling()

    yield start
    for application in applications:
        assert application.updater is not None
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


def failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info is not None]


async def test_a_failing_command_gets_an_apology_and_one_traceback(start_bot, bot_api, store: Store,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    services = ChatServices(store, lambda: RULES, lambda: datetime.now(UTC), status=broken_status)
    await start_bot(services)
    with caplog.at_level(logging.DEBUG):
        bot_api.push_message(CHAT, "/status")
        [reply] = await bot_api.wait_for_sent(1, timeout=10)
        assert (reply.chat_id, reply.plain_text) == (CHAT, APOLOGY)
    [record] = failures(caplog)
    assert record.name == "bot.telegram.handler_errors"
    assert "handling message '/status' in chat 4242 failed: Broken: status table unreadable" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is Broken


async def test_a_failing_button_is_answered(start_bot, bot_api, store: Store,
                                            caplog: pytest.LogCaptureFixture) -> None:
    def broken_rules() -> RuleSet:
        raise Broken("rules are being swapped")

    await start_bot(ChatServices(store, broken_rules, lambda: datetime.now(UTC)))
    with caplog.at_level(logging.DEBUG):
        bot_api.push_callback_query(CHAT, 1, "sub:fatal-clash")
        await bot_api.wait_for(lambda: bool(bot_api.answered_callbacks), timeout=10)
        assert bot_api.answered_callbacks[0]["text"] == BUTTON_APOLOGY
    [record] = failures(caplog)
    assert "handling button 'sub:fatal-clash' in chat 4242 failed" in record.getMessage()
    assert bot_api.sent == [] and store.chats.subscriptions(CHAT) == []
