"""The outbox worker with the real Telegram sender against the fake Bot API."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from telegram.ext import Application

from bot.models import Alert, Article, Match, Severity, Target
from bot.outbox import OutboxWorker, Pacing
from bot.render import Renderer
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.conftest import TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI, slow

pytestmark = pytest.mark.backends()   # the outbox's behaviour on SQLite and on PostgreSQL

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)


async def test_chats_are_served_concurrently_and_each_in_order(store: Store, bot_api: FakeBotAPI) -> None:
    chats = list(range(1, 11))
    for n in range(3):
        article = Article("wire", f"Story {n}", "text", guid=f"g{n}")
        alert = Alert(article, Match("r", "Rule", Severity.HIGH), NOW)
        store.commit_articles("wire", [article], [alert], lambda _a: [Target("telegram", c) for c in chats], NOW)
    bot_api.fail_next("sendMessage", slow(0.2), times=30)   # every answer takes 200 ms
    app = Application.builder().token(bot_api.token).base_url(bot_api.base_url).build()
    await app.initialize()
    try:
        worker = OutboxWorker(store, Renderer(TEMPLATES_DIR), {"telegram": TelegramSender(app.bot)},
                              now=lambda: NOW, monotonic=time.monotonic,
                              pacing=Pacing(global_per_second=1000, chat_interval=0.01, group_interval=0.01))
        started = time.monotonic()
        assert await worker.drain(30)
        elapsed = time.monotonic() - started
    finally:
        await app.shutdown()
    assert len(bot_api.sent) == 30
    assert elapsed < 3.0   # one at a time would take 30 x 0.2 s = 6 s
    for chat in chats:
        titles = [next(t for t in ("Story 0", "Story 1", "Story 2") if t in m.plain_text)
                  for m in bot_api.sent if m.chat_id == chat]
        assert titles == ["Story 0", "Story 1", "Story 2"], (chat, titles)
