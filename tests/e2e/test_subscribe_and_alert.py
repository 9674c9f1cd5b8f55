"""User stories end to end: real poller, real feed server, real python-telegram-bot, fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app import Beacon
from bot.config import Config
from tests.conftest import DATA, RULES_DIR
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.feeds import BUILDUP, CLASH, QUIET, rss

USER_CHAT = 4242
SIMPLE_RULES = DATA / "rules"


def config_for(write_config: Callable[..., Config], feed_server: FeedServer, bot_api: FakeBotAPI,
               interval: str = "1s", chats: str = "[]", rules_dir: Path = SIMPLE_RULES) -> Config:
    return write_config(f"""
        rules_dir: {rules_dir}
        sources:
          - name: wire
            type: rss
            url: {feed_server.url('/feed')}
            interval: {interval}
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
          chats: {chats}
        delivery:
          chat_interval: 0.05
          group_interval: 0.05
    """)


async def start(beacon: Beacon) -> asyncio.Task[int]:
    task = asyncio.create_task(beacon.run())
    await asyncio.sleep(0)
    return task


async def stop(beacon: Beacon, task: asyncio.Task[int]) -> None:
    beacon.stop()
    assert await asyncio.wait_for(task, 15) == 0


async def test_user_subscribes_feed_publishes_alert_arrives(write_config, feed_server, bot_api) -> None:
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(config_for(write_config, feed_server, bot_api, rules_dir=RULES_DIR))  # the shipped rules
    task = await start(beacon)
    try:
        await bot_api.wait_for(lambda: feed_server.hits("/feed") >= 1 and bool(bot_api.calls_to("getUpdates")),
                               timeout=10)
        assert bot_api.commands is not None
        assert {c["command"] for c in bot_api.commands} >= {"start", "help", "subscribe", "unsubscribe",
                                                             "subscriptions"}
        bot_api.push_message(USER_CHAT, "/subscribe fatal-clash")
        [reply] = await bot_api.wait_for_sent(1, timeout=10)
        assert reply.chat_id == USER_CHAT and "Subscribed to" in reply.text

        feed_server.serve("/feed", rss(CLASH, BUILDUP, QUIET))  # a new item appears
        sent = await bot_api.wait_for_sent(2, timeout=15)
        alert = sent[1]
        assert alert.chat_id == USER_CHAT
        assert alert.parse_mode == "HTML"
        assert "Fatal armed clash" in alert.text
        assert "Police officer killed in Banjska ambush" in alert.text
        assert alert.reply_markup is not None
        [link] = [b for row in alert.reply_markup["inline_keyboard"] for b in row if "url" in b]
        assert link["url"] == "https://news.example/banjska?id=7"
        await asyncio.sleep(1.5)  # another poll cycle: nothing new, and the troop alert is not subscribed
        assert len(bot_api.sent) == 2
    finally:
        await stop(beacon, task)
    assert beacon.store.db  # closed cleanly, no exception


async def test_restart_sends_nothing_new(write_config, feed_server, bot_api) -> None:
    feed_server.serve("/feed", rss(CLASH, BUILDUP))
    config = config_for(write_config, feed_server, bot_api, chats=f"[{USER_CHAT}]")
    assert await Beacon(config).run(once=True) == 0
    assert sorted("Fatal armed clash" in m.text for m in bot_api.sent) == [False, True]
    assert len(bot_api.sent) == 2
    assert await Beacon(config).run(once=True) == 0
    assert len(bot_api.sent) == 2


async def test_alerts_wait_in_the_outbox_while_telegram_is_down(write_config, feed_server, bot_api) -> None:
    feed_server.serve("/feed", rss(CLASH))
    config = config_for(write_config, feed_server, bot_api, chats=f"[{USER_CHAT}]")
    beacon = Beacon(config)
    task = await start(beacon)
    try:
        await bot_api.wait_for(lambda: bool(bot_api.calls_to("getUpdates")), timeout=10)
        await bot_api.go_down()
        await asyncio.sleep(0.5)
        feed_server.serve("/feed", rss(CLASH, BUILDUP))
        await bot_api.wait_for(lambda: feed_server.hits("/feed") >= 3, timeout=10)
        assert not any("build-up" in m.text for m in bot_api.sent)
        await bot_api.come_up()
        await bot_api.wait_for(lambda: sum("build-up" in m.text for m in bot_api.sent) == 1, timeout=20)
    finally:
        await stop(beacon, task)
    texts = [m.text for m in bot_api.sent if m.chat_id == USER_CHAT]
    assert sum("Banjska" in t for t in texts) == 1
    assert sum("build-up" in t for t in texts) == 1


@pytest.mark.parametrize("fault_name", ["forbidden", "migrate", "retry_after", "parse"])
async def test_delivery_faults(write_config, feed_server, bot_api, fault_name) -> None:
    from tests.fakes import bot_api as fakes

    feed_server.serve("/feed", rss(CLASH))
    config = config_for(write_config, feed_server, bot_api, chats=f"[{USER_CHAT}]")
    fault = {"forbidden": fakes.forbidden(), "migrate": fakes.migrate(-100777),
             "retry_after": fakes.retry_after(1), "parse": fakes.http_error(400, "Bad Request: can't parse entities: "
                                                                           "unsupported start tag")}[fault_name]
    bot_api.fail_next("sendMessage", fault)
    beacon = Beacon(config)
    assert await beacon.run(once=True) == 0
    store_rows = Beacon(config).store.outbox.rows("telegram")
    if fault_name == "forbidden":
        assert bot_api.sent == []
        assert [r.status for r in store_rows] == ["dead"]
        assert "blocked" in store_rows[0].last_error
    elif fault_name == "migrate":
        assert [m.chat_id for m in bot_api.sent] == [-100777]
        assert [(r.chat_id, r.status) for r in store_rows] == [(-100777, "sent")]
    elif fault_name == "retry_after":
        [message] = bot_api.sent
        [refused] = [c for c in bot_api.calls_to("sendMessage") if c.response_status == 429]
        assert message.at - refused.at >= 0.95  # waited what Telegram said
    else:
        [message] = bot_api.sent
        assert message.parse_mode is None and "Banjska" in message.text


async def test_rejected_token_stops_with_an_error(write_config, feed_server, bot_api) -> None:
    from bot.telegram.application import TokenRejected

    feed_server.serve("/feed", rss(QUIET))
    config = config_for(write_config, feed_server, bot_api).model_copy(
        update={"telegram": config_for(write_config, feed_server, bot_api).telegram.model_copy(
            update={"token": "111:WRONG-TOKEN"})})
    with pytest.raises(TokenRejected, match="rejected the bot token"):
        await Beacon(config).run(once=True)
    assert await asyncio.wait_for(Beacon(config).run(), 15) == 1


async def test_commands_conversation(write_config, feed_server, bot_api) -> None:
    """/start, /rules, a mistyped /subscribe, /subscriptions, /unsubscribe and /check, as a user types them."""
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(config_for(write_config, feed_server, bot_api, rules_dir=RULES_DIR))
    task = await start(beacon)
    try:
        await bot_api.wait_for(lambda: bool(bot_api.calls_to("getUpdates")), timeout=10)
        script = [
            ("/start", "Beacon"),
            ("/rules", "troop-buildup"),
            ("/subscribe fatal-clsh", "Did you mean 'fatal-clash'?"),
            ("/subscribe", "Name a rule"),
            ("/subscribe fatal-clash", "Subscribed to"),
            ("/subscriptions", "fatal-clash"),
            ("/unsubscribe fatal-clash", "Unsubscribed"),
            ("/subscriptions", "no subscriptions"),
            ("/check Gunmen kill two police officers in ambush near Banjska", "kosovo-fatal-clash"),
            ("/check A quiet day at the library", "No rule matches"),
        ]
        for i, (command, expected) in enumerate(script, 1):
            bot_api.push_message(USER_CHAT, command)
            sent = await bot_api.wait_for_sent(i, timeout=10)
            assert expected in sent[-1].plain_text, (command, sent[-1].text)
        check_reply = bot_api.sent[8].plain_text
        assert "north-kosovo" in check_reply and "killed 2" in check_reply
        assert beacon.store.chats.subscriptions(USER_CHAT) == []
    finally:
        await stop(beacon, task)


async def test_admin_commands_and_allowlist(write_config, feed_server, bot_api, tmp_path) -> None:
    """/status for everyone, /sources and /reload for admins only, chats outside the allowlist refused."""
    admin, stranger, outsider = 4242, 5151, 9999
    feed_server.serve("/feed", rss(QUIET))
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "a.yaml").write_text("id: a\ntitle: A\nwhen: {terms: [ceasefire]}\n")
    config = write_config(f"""
        rules_dir: {rules_dir}
        sources:
          - {{name: wire, url: "{feed_server.url('/feed')}", interval: 1s}}
          - {{name: broken, url: "{feed_server.url('/missing')}", interval: 1s}}
        telegram:
          token: "{bot_api.token}"
          base_url: {bot_api.base_url}
          admins: [{admin}]
          allowed_chats: [{admin}, {stranger}]
    """)
    beacon = Beacon(config)
    task = await start(beacon)
    try:
        def polled_both() -> bool:
            wire = beacon.store.sources.state("wire")
            return (bool(bot_api.calls_to("getUpdates")) and feed_server.hits("/missing") > 0
                    and wire is not None and wire.last_success is not None)

        await bot_api.wait_for(polled_both, timeout=10)
        script = [
            (stranger, "/status", "Sources: 1/2 healthy"),
            (stranger, "/sources", "Only Beacon's admins"),
            (outsider, "/help", "not allowed to use this Beacon"),
            (admin, "/sources", "last error: HTTP 404 not found"),
            (admin, "/reload", "Reloaded: 1 rules."),
        ]
        for chat, command, expected in script:
            before = len(bot_api.sent)
            bot_api.push_message(chat, command, user_id=chat)
            # the admin may also get a notice about the failing source in between: look for the reply itself
            await bot_api.wait_for(lambda c=chat, e=expected, b=before: any(
                m.chat_id == c and e in m.plain_text for m in bot_api.sent[b:]), timeout=10)
        (rules_dir / "b.yaml").write_text("id: b\ntitle: B\nseverity: loud\nwhen: {terms: [x]}\n")
        bot_api.push_message(admin, "/reload", user_id=admin)
        # (the file watcher may also report the bad edit to the admin; either way the reply must come)
        await bot_api.wait_for(lambda: any("Reload refused" in m.plain_text for m in bot_api.sent), timeout=10)
        refused = next(m for m in bot_api.sent if "Reload refused" in m.plain_text)
        assert "unknown severity 'loud'" in refused.plain_text
        assert len(beacon.ruleset) == 1
    finally:
        await stop(beacon, task)


async def test_buttons_acknowledge_and_mute(write_config, feed_server, bot_api) -> None:
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(config_for(write_config, feed_server, bot_api, chats=f"[{USER_CHAT}]"))
    task = await start(beacon)
    try:
        await bot_api.wait_for(lambda: bool(bot_api.calls_to("getUpdates")), timeout=10)
        feed_server.serve("/feed", rss(CLASH, QUIET))
        [alert] = await bot_api.wait_for_sent(1, timeout=10)
        buttons = [b for row in alert.reply_markup["inline_keyboard"] for b in row]
        assert [b["text"] for b in buttons] == ["✅ Acknowledge", "🔕 Mute incident 1h", "👎 Not relevant",
                                                "Open article"]
        ack, mute_button = buttons[0]["callback_data"], buttons[1]["callback_data"]

        bot_api.push_callback_query(USER_CHAT, alert.message_id, ack, username="alice")
        await bot_api.wait_for(lambda: bool(bot_api.edits), timeout=10)
        edited = bot_api.message(USER_CHAT, alert.message_id)
        assert "Acknowledged by @alice" in edited["text"]
        assert "Police officer killed in Banjska ambush" in edited["text"]   # the alert itself is kept
        assert "ack:" not in str(edited.get("reply_markup"))
        assert bot_api.answered_callbacks[-1]["text"].startswith("Acknowledged by @alice")

        bot_api.push_callback_query(USER_CHAT, alert.message_id, mute_button, username="alice")
        await bot_api.wait_for(lambda: len(bot_api.answered_callbacks) == 2, timeout=10)
        assert bot_api.answered_callbacks[-1]["text"].startswith("Muted this incident (ev-")
        # the button muted that incident only: a new clash elsewhere still arrives (its updates: test_mute_button_story)
        other = {"guid": "m1", "title": "Soldiers killed in border clash", "description": "Three killed."}
        feed_server.serve("/feed", rss(other, CLASH, QUIET))
        await bot_api.wait_for_sent(2, timeout=10)
        assert "Soldiers killed in border clash" in bot_api.sent[1].plain_text

        for i, (command, expected) in enumerate([("/mutes", "that incident's updates"), ("/unmute all", "Unmuted"),
                                                 ("/mute all 2x", "is not a duration"),
                                                 ("/mute all 30m", "Muted all alerts here for 30m")], 3):
            bot_api.push_message(USER_CHAT, command)
            sent = await bot_api.wait_for_sent(i, timeout=10)
            assert expected in sent[-1].plain_text, (command, sent[-1].plain_text)
    finally:
        await stop(beacon, task)
