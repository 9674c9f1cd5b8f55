"""Forum topics and channels: a /subscribe sent there makes alerts go there."""

from __future__ import annotations

from bot.app import Beacon
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.feeds import CLASH, QUIET, rss

FORUM, TOPIC, OTHER_TOPIC = -1001234, 77, 78
CHANNEL = -1005555


async def test_subscribe_in_a_forum_topic_alerts_that_topic(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        answer = await say(bot_api, FORUM, "/subscribe fatal-clash", chat_type="supergroup", message_thread_id=TOPIC)
        assert "Subscribed to fatal-clash" in answer
        assert bot_api.sent[-1].message_thread_id == TOPIC          # the answer stays in the topic
        answer = await say(bot_api, FORUM, "/subscriptions", chat_type="supergroup", message_thread_id=OTHER_TOPIC)
        assert "This topic has no subscriptions" in answer            # topics are subscribed one by one
        replies = len(bot_api.sent)

        feed_server.serve("/feed", rss(CLASH, QUIET))
        [alert] = (await bot_api.wait_for_sent(replies + 1, timeout=15))[replies:]
        assert alert.chat_id == FORUM and alert.message_thread_id == TOPIC
        assert "Banjska" in alert.plain_text
        [row] = beacon.store.outbox.rows("telegram")
        assert (row.chat_id, row.thread_id) == (FORUM, TOPIC)
    finally:
        await stop(beacon, task)


async def test_subscribe_in_a_channel_alerts_the_channel(write_config, feed_server, bot_api, tmp_path) -> None:
    """The bot is an admin of a channel: commands arrive as `channel_post` updates, with no user."""
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        update = bot_api.push_message(CHANNEL, "/subscribe conflict", chat_type="channel")
        assert "channel_post" in update and "from" not in update["channel_post"]
        [answer] = await bot_api.wait_for_sent(1, timeout=10)
        assert answer.chat_id == CHANNEL and "Subscribed to rules tagged conflict" in answer.plain_text
        assert "no subscriptions" not in await say(bot_api, CHANNEL, "/subscriptions", chat_type="channel")

        feed_server.serve("/feed", rss(CLASH, QUIET))
        [alert] = (await bot_api.wait_for_sent(3, timeout=15))[2:]
        assert alert.chat_id == CHANNEL and alert.message_thread_id is None
        assert "Fatal armed clash" in alert.plain_text
    finally:
        await stop(beacon, task)


async def test_an_edited_command_is_not_run_again(write_config, feed_server, bot_api, tmp_path) -> None:
    """PTB's CommandHandler takes edited messages by default; fixing a typo must not subscribe twice."""
    feed_server.serve("/feed", rss(QUIET))
    beacon = Beacon(telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path)))
    task = await start(beacon, bot_api)
    try:
        edited = {"message_id": 50, "date": 0, "edit_date": 1, "chat": {"id": 4242, "type": "private"},
                  "from": {"id": 4242, "is_bot": False, "first_name": "A"}, "text": "/subscribe all",
                  "entities": [{"type": "bot_command", "offset": 0, "length": 10}]}
        bot_api.push_update({"edited_message": edited})
        assert "no subscriptions" in await say(bot_api, 4242, "/subscriptions")   # answered in order: no reply
        assert len(bot_api.sent) == 1
    finally:
        await stop(beacon, task)
