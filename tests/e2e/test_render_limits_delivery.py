"""Bounded messages and templates in a running Beacon: a real feed, the fake Bot API, hot reload."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.app import Beacon
from tests.conftest import DATA, TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import CLASH, QUIET, rss

CHAT = 4242
ADMIN = 777
FILLER = "Witnesses described gunfire near the monastery gate for most of the night. "


def huge_clash(size: int) -> dict[str, str]:
    """The clash item with a title of about `size` characters (a feed may send that much)."""
    title = CLASH["title"] + ". " + FILLER * (size // len(FILLER))
    return {**CLASH, "title": title, "description": FILLER * 400}


def config_text(feed_server: FeedServer, bot_api: FakeBotAPI, templates: Path, extra: str = "") -> str:
    return f"""
        rules_dir: {DATA / 'rules'}
        templates_dir: {templates}
        sources:
          - name: wire
            type: rss
            url: {feed_server.url('/feed')}
            interval: 1s
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
          chats: [{CHAT}]
          admins: [{ADMIN}]
        delivery:
          chat_interval: 0.01
          group_interval: 0.01
          {extra}
    """


def sent_to(bot_api: FakeBotAPI, chat_id: int) -> list[str]:
    return [m.text for m in bot_api.sent if m.chat_id == chat_id]


@pytest.mark.parametrize("size", [1_000_000, 4_900_000], ids=["1MB", "4.9MB"])
async def test_a_huge_title_is_one_message(write_config, feed_server: FeedServer, bot_api: FakeBotAPI,
                                           size: int) -> None:
    item = huge_clash(size)
    assert len(item["title"]) > size - 100
    feed_server.serve("/feed", rss(item))
    assert await Beacon(write_config(config_text(feed_server, bot_api, TEMPLATES_DIR))).run(once=True) == 0
    calls = [c for c in bot_api.calls_to("sendMessage") if int(c.params["chat_id"]) == CHAT]
    assert len(calls) == 1   # was 253 for 1 MB, 1,229 for 4.9 MB
    [text] = sent_to(bot_api, CHAT)
    assert "Fatal armed clash" in text and "Police officer killed in Banjska ambush" in text
    assert len(text) < 2000


async def test_a_long_alert_is_cut_at_the_configured_part_count(tmp_path: Path, write_config, feed_server: FeedServer,
                                                                 bot_api: FakeBotAPI) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    # an operator's template that prints the (capped) text ten times: about eight parts uncut
    (templates / "default.html.j2").write_text("<b>{{ article.title }}</b>\n"
                                              "{% for i in range(10) %}{{ article.text }}\n{% endfor %}")
    feed_server.serve("/feed", rss(huge_clash(1_000_000)))
    config = write_config(config_text(feed_server, bot_api, templates, "max_parts_per_alert: 2"))
    assert await Beacon(config).run(once=True) == 0
    calls = [c for c in bot_api.calls_to("sendMessage") if int(c.params["chat_id"]) == CHAT]
    assert len(calls) == 2
    first, last = sent_to(bot_api, CHAT)
    assert first.endswith("(1/2)") and last.endswith("(2/2)")
    assert '… (truncated, full text: <a href="https://news.example/banjska?id=7">' in last


async def test_a_hanging_template_is_refused_at_reload_and_later_reloads_still_work(
        tmp_path: Path, write_config, feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(write_config(config_text(feed_server, bot_api, templates)))
    task = asyncio.create_task(beacon.run())
    try:
        await bot_api.wait_for(lambda: bool(bot_api.calls_to("getUpdates")), timeout=15)
        started = beacon.renderer
        (templates / "default.html.j2").write_text(
            "{{ rule.title }}\n{% set s='x'*99999 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}\n")
        await bot_api.wait_for(lambda: bool(sent_to(bot_api, ADMIN)), timeout=15)
        [notice] = sent_to(bot_api, ADMIN)
        assert "rejected" in notice
        assert f"{templates / 'default.html.j2'}:2: does not render: BudgetExceeded" in notice
        assert beacon.renderer is started   # the last good templates keep running
        # a later edit is loaded: the refused one did not hold the reload thread
        (templates / "default.html.j2").write_text("🛰 {{ rule.title }}: {{ article.title | clip(80) }}\n")
        await bot_api.wait_for(lambda: beacon.renderer is not started, timeout=15)
        feed_server.serve("/feed", rss(QUIET, CLASH))
        await bot_api.wait_for(lambda: any(t.startswith("🛰 Fatal armed clash") for t in sent_to(bot_api, CHAT)),
                               timeout=15)
    finally:
        beacon.stop()
        assert await asyncio.wait_for(task, 15) == 0
