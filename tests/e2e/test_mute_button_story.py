"""User story: a chat that follows everything, every conflict rule and Kosovo clashes presses 🔕 Mute incident 1h
under a message that carries two rules ("Fatal clash in Kosovo / Fatal armed clash"): that incident's updates stay
silent for an hour, and a new clash elsewhere in Kosovo still arrives (issue 12: mutes per incident).

Real feed server, fake Bot API, real SQLite, the shipped rules; Beacon polls once per step at a compressed clock,
and a running Beacon answers the button. The reports are in our own words.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import Beacon
from bot.store import Store
from tests.e2e.telegram_setup import start, stop
from tests.e2e.test_feedback_button import buttons, press
from tests.e2e.test_incident_stories import Newsroom, new_messages, replies

EVERYTHING, KOSOVO_ONLY, STRANGER = 7101, 7102, 7103
START = datetime(2026, 6, 2, 7, 5, tzinfo=UTC)


def report(source: str, title: str, text: str, published: datetime) -> dict[str, str]:
    return {"source": source, "title": title, "text": text, "published": published.isoformat()}


AMBUSH = report("north-wire", "Kosovo police officer killed in ambush near Zubin Potok",
                "A Kosovo police officer was shot dead when gunmen ambushed a patrol near Zubin Potok in northern "
                "Kosovo before dawn on Tuesday, police said.", START - timedelta(minutes=5))
TOLL_RISES = report("valley-herald", "Second officer dies after Zubin Potok ambush",
                    "A second police officer wounded in the ambush near Zubin Potok died in hospital, raising the "
                    "toll to two, police said.", START + timedelta(minutes=25))
ANOTHER = report("north-wire", "Two killed in gunfight in Leposavic",
                 "Two men were killed in a gunfight with police in Leposavic, in northern Kosovo, on Tuesday, "
                 "police said.", START + timedelta(minutes=40))


async def test_the_mute_button_silences_that_incident_and_not_the_next(write_config, feed_server, bot_api) -> None:
    room = Newsroom(write_config, feed_server, bot_api, ["north-wire", "valley-herald"])
    room.publish("north-wire", AMBUSH, "ambush")
    await room.poll(START, selectors=((EVERYTHING, "all"), (EVERYTHING, "tag:conflict"),
                                               (EVERYTHING, "kosovo-fatal-clash"), (KOSOVO_ONLY, "kosovo-fatal-clash")))
    [first] = new_messages(bot_api, EVERYTHING)
    assert " / " in first.plain_text.splitlines()[0]   # one message for the incident, naming both rules
    mute_data = buttons(bot_api, first)["🔕 Mute incident 1h"]
    assert len(mute_data.encode()) <= 64 and mute_data.startswith("mute:@")

    listening = Beacon(room.config, now=lambda: START + timedelta(minutes=5))
    task = await start(listening, bot_api)
    try:
        # a chat that was never sent the alert cannot mute by it
        assert "cannot mute it here" in await press(bot_api, STRANGER, 1, mute_data)
        toast = await press(bot_api, EVERYTHING, first.message_id, mute_data)
    finally:
        await stop(listening, task)
    # the answer names what was muted: this incident, by its id
    store = Store(room.config.database)
    [event] = store.events.recent(START - timedelta(days=1))
    assert toast.startswith(f"Muted this incident ({event.id}) here until "), toast
    assert "new incidents still arrive" in toast
    muted = {m.selector for m in store.chats.active_mutes(START + timedelta(minutes=5), EVERYTHING)}
    assert muted == {f"incident:{event.id}"}
    assert store.chats.active_mutes(START + timedelta(minutes=5), STRANGER) == []

    # within the hour: the incident's toll rises (silent here), and another clash is reported in Kosovo (it arrives)
    room.publish("valley-herald", TOLL_RISES, "toll")
    await room.poll(START + timedelta(minutes=30))
    assert new_messages(bot_api, EVERYTHING) == [first] and replies(bot_api, EVERYTHING) == []
    room.publish("north-wire", ANOTHER, "another")
    await room.poll(START + timedelta(minutes=45))
    [_, another] = new_messages(bot_api, EVERYTHING)
    assert "Leposavic" in another.plain_text and replies(bot_api, EVERYTHING) == []
    # the chat that did not press hears both
    assert len(replies(bot_api, KOSOVO_ONLY)) == 1 and len(new_messages(bot_api, KOSOVO_ONLY)) == 2
