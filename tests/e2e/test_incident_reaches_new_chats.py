"""User stories: a later report makes an incident reach a chat it did not reach before, and that chat is sent it.

A chat narrowed to a region hears of an incident when a later report moves it into that region; a chat following only
build-ups hears of a clash incident when a build-up told in answer to the attack joins it. Each is sent the incident
in full, once, as a new alert there; the chats that had it get an edit (or a reply), never a second message.

Real feed server, fake Bot API, real SQLite, the shipped rules; one `beacon run --once` per step at a compressed
clock. The reports are in our own words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.why import explain_delivery
from tests.e2e.test_incident_stories import Newsroom, new_messages, replies
from tests.e2e.test_mute_button_story import report

START = datetime(2026, 6, 2, 7, 5, tzinfo=UTC)
NORTH_ONLY, EVERYTHING, BUILD_UPS_ONLY, LATE = 8101, 8102, 8103, 8104

# placed in Kosovo only: "in the north of Kosovo" names no town
NORTH_OF_KOSOVO = report("vesti", "Ubijen policajac u zasedi na severu Kosova",
                         "Jedan policajac je ubijen, a dvojica su ranjena kada su naoružani napadači u zasedi otvorili "
                         "vatru na policijsku patrolu kod Mitrovice u utorak pre zore, saopštila je policija.",
                         START - timedelta(minutes=30))
# newer, the same figures, and its headline names Leposavić (north-kosovo)
AT_LEPOSAVIC = report("north-wire", "Police officer killed in ambush on patrol near Leposavić",
                      "One police officer was killed and two were wounded when gunmen ambushed a patrol near "
                      "Leposavić, north of Mitrovica, before dawn on Tuesday, police said.",
                      START + timedelta(minutes=20))

AMBUSH = report("north-wire", "Two police officers killed in Leposavić ambush",
                "Two police officers were killed when gunmen ambushed a patrol near Leposavić in northern Kosovo "
                "before dawn on Tuesday, police said.", START - timedelta(minutes=30))
TROOPS_IN_ANSWER = report("valley-herald", "Serbia moves 3,000 troops to Kosovo line after Leposavić ambush",
                          "Serbia has moved about 3,000 troops with armoured vehicles to the boundary with Kosovo in "
                          "answer to the ambush near Leposavić in which two police officers were killed, the defence "
                          "ministry said on Tuesday.", START + timedelta(minutes=20))


def subscribe(room: Newsroom, chat: int, selector: str, regions: tuple[str, ...] = ()) -> None:
    Store(room.config.database).chats.subscribe(chat, selector, START, regions=regions)
    room.subscribed = True


async def test_a_report_that_moves_the_incident_into_a_chats_region_sends_it_there(write_config, feed_server,
                                                                                    bot_api) -> None:
    room = Newsroom(write_config, feed_server, bot_api, ["vesti", "north-wire"])
    subscribe(room, NORTH_ONLY, "fatal-clash", ("north-kosovo",))
    subscribe(room, EVERYTHING, "all")
    room.publish("vesti", NORTH_OF_KOSOVO, "north")
    await room.poll(START)
    [first] = new_messages(bot_api, EVERYTHING)
    # placed in Kosovo ("kod Mitrovice" reads as Mitrovicë, whose name does not say which side of the Ibar)
    place = next(line for line in first.plain_text.splitlines() if line.startswith("📍"))
    assert place.endswith("Kosovo") and "north-kosovo" not in first.plain_text, place
    assert new_messages(bot_api, NORTH_ONLY) == []   # Kosovo as a whole is not north-kosovo

    room.publish("north-wire", AT_LEPOSAVIC, "leposavic")
    await room.poll(START + timedelta(minutes=30))
    # the incident is in north-kosovo now: that chat is sent it, in full, as a new alert
    [moved] = new_messages(bot_api, NORTH_ONLY)
    assert "north-kosovo" in moved.plain_text and "killed: 1" in moved.plain_text
    assert replies(bot_api, NORTH_ONLY) == []
    # the chat that had it: still one message, edited to show the region
    assert new_messages(bot_api, EVERYTHING) == [first]
    edited = bot_api.message(EVERYTHING, first.message_id)
    assert edited is not None and "north-kosovo" in edited["text"]
    [event] = Store(room.config.database).events.recent(START - timedelta(days=1))
    told, found = explain_delivery(Store(room.config.database), event.id, NORTH_ONLY, START + timedelta(minutes=31))
    assert found and "edit: sent" in told, told
    assert "1 select: subscribed to fatal-clash in north-kosovo" in told   # the narrowing, in step 1


async def test_a_build_up_told_in_answer_to_an_attack_reaches_a_chat_following_build_ups(write_config, feed_server,
                                                                                       bot_api) -> None:
    room = Newsroom(write_config, feed_server, bot_api, ["north-wire", "valley-herald"])
    subscribe(room, BUILD_UPS_ONLY, "troop-buildup")
    subscribe(room, EVERYTHING, "all")
    room.publish("north-wire", AMBUSH, "ambush")
    await room.poll(START)
    [first] = new_messages(bot_api, EVERYTHING)
    assert new_messages(bot_api, BUILD_UPS_ONLY) == []

    room.publish("valley-herald", TROOPS_IN_ANSWER, "troops")
    await room.poll(START + timedelta(minutes=30))
    # one incident: the build-up joined the clash; the build-up chat is sent it under its own rule's title
    [event] = Store(room.config.database).events.recent(START - timedelta(days=1))
    assert "troop-buildup" in [r.id for r in event.rules]
    [joined] = new_messages(bot_api, BUILD_UPS_ONLY)
    assert joined.plain_text.startswith("🚨 Troop build-up near a border") and "troops: 3,000" in joined.plain_text
    # the chat that had the clash: one message, and a reply under it
    assert new_messages(bot_api, EVERYTHING) == [first]
    assert [r.reply_to_message_id for r in replies(bot_api, EVERYTHING)] == [first.message_id]
    # a chat that subscribes after the last report holds nothing of it, and explain-delivery says why
    store = Store(room.config.database)
    store.chats.subscribe(LATE, "troop-buildup", START + timedelta(minutes=40))
    told, found = explain_delivery(store, event.id, LATE, START + timedelta(minutes=41))
    assert found and "subscribed to troop-buildup" in told
    assert "no message of this incident was queued for this chat: this chat subscribed (2026-06-02T07:45+00:00) " \
           "after the incident's last report (2026-06-02T07:35+00:00)" in told, told
