"""/rules lists the rules with a Subscribe button each; a press subscribes and flips the button."""

from __future__ import annotations

from bot.app import Beacon
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config

FORUM, TOPIC = -1001234, 9
OUTSIDER = 777
LONG_ID = "long-" + "x" * 70     # "sub:" + this is over Telegram's 64-byte callback_data limit
LONG_RULE = f"""
- id: {LONG_ID}
  title: A rule with a long id
  severity: low
  when: {{terms: [siege]}}
"""


def buttons(markup: dict | None) -> list[tuple[str, str]]:
    return [(b["text"], b["callback_data"]) for row in (markup or {}).get("inline_keyboard", []) for b in row]


async def test_subscribe_buttons(write_config, feed_server, bot_api, tmp_path) -> None:
    feed_server.serve("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    config = telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path, LONG_RULE),
                             allowed_chats=f"[{FORUM}]")
    beacon = Beacon(config)
    task = await start(beacon, bot_api)
    try:
        beacon.store.chats.subscribe(FORUM, "troop-buildup", beacon.now(), thread_id=TOPIC)
        text = await say(bot_api, FORUM, "/rules", chat_type="supergroup", message_thread_id=TOPIC)
        listing = bot_api.sent[-1]
        assert listing.message_thread_id == TOPIC
        assert "fatal-clash — Fatal armed clash (high)" in text
        assert "An armed clash, ambush or shoot-out in which someone was killed." in text   # the description
        shown = buttons(listing.reply_markup)
        assert shown[:2] == [("Subscribe fatal-clash", "sub:fatal-clash"),
                             ("Unsubscribe troop-buildup", "unsub:troop-buildup")]   # already subscribed here
        long_text, long_data = shown[2]
        assert long_text == f"Subscribe {LONG_ID}" and long_data.startswith("sub:#")
        assert len(long_data.encode()) <= 64

        bot_api.push_callback_query(FORUM, listing.message_id, "sub:fatal-clash")
        await bot_api.wait_for(lambda: len(bot_api.edits) == 1, timeout=10)
        assert bot_api.answered_callbacks[-1]["text"] == "Subscribed to fatal-clash"
        edited = bot_api.message(FORUM, listing.message_id)
        assert buttons(edited["reply_markup"])[0] == ("Unsubscribe fatal-clash", "unsub:fatal-clash")
        assert {(s.selector, s.thread_id) for s in beacon.store.chats.subscriptions(FORUM)} == {
            ("fatal-clash", TOPIC), ("troop-buildup", TOPIC)}

        bot_api.push_callback_query(FORUM, listing.message_id, long_data)
        await bot_api.wait_for(lambda: len(bot_api.edits) == 2, timeout=10)
        assert any(s.selector == LONG_ID for s in beacon.store.chats.subscriptions(FORUM))
        assert buttons(bot_api.message(FORUM, listing.message_id)["reply_markup"])[2][0] == f"Unsubscribe {LONG_ID}"

        bot_api.push_callback_query(FORUM, listing.message_id, "unsub:troop-buildup")
        await bot_api.wait_for(lambda: len(bot_api.edits) == 3, timeout=10)
        assert bot_api.answered_callbacks[-1]["text"] == "Unsubscribed from troop-buildup"
        assert buttons(bot_api.message(FORUM, listing.message_id)["reply_markup"])[1] == (
            "Subscribe troop-buildup", "sub:troop-buildup")
        assert "troop-buildup" not in {s.selector for s in beacon.store.chats.subscriptions(FORUM)}

        bot_api.push_callback_query(FORUM, listing.message_id, "sub:no-such-rule")
        await bot_api.wait_for(lambda: len(bot_api.answered_callbacks) == 4, timeout=10)
        assert "no longer loaded" in bot_api.answered_callbacks[-1]["text"]

        # a chat outside the allowlist: the press is refused and changes nothing
        bot_api.push_callback_query(OUTSIDER, 1, "sub:fatal-clash")
        await bot_api.wait_for(lambda: len(bot_api.answered_callbacks) == 5, timeout=10)
        assert "not allowed" in bot_api.answered_callbacks[-1]["text"]
        assert beacon.store.chats.subscriptions(OUTSIDER) == []
        assert len(bot_api.edits) == 3
    finally:
        await stop(beacon, task)
