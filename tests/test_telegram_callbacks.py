"""Buttons stay within Telegram's 64-byte callback_data, whatever the rule id's length or the alert's rules."""

from __future__ import annotations

from bot.engine import compile_rules, load_rules_text
from bot.models import Message
from bot.telegram.callbacks import MAX_CALLBACK_DATA, MAX_SQL_INTEGER, rule_from_callback
from bot.telegram.delivery import alert_keyboard

LONG_ID = "kosovo-serbia-administrative-boundary-line-troop-build-up-watch"
RULES = compile_rules(load_rules_text(f"id: {LONG_ID}\ntitle: Long\nwhen: {{terms: [troops]}}\n"))


def test_the_mute_button_names_the_alert_within_64_bytes_whatever_its_rules() -> None:
    keyboard = alert_keyboard(Message("x", alert_id=MAX_SQL_INTEGER, rule_id=LONG_ID, buttons=True))
    assert keyboard is not None
    [mute] = [b.callback_data for row in keyboard.inline_keyboard for b in row
              if isinstance(b.callback_data, str) and b.callback_data.startswith("mute:")]
    assert mute == f"mute:@{MAX_SQL_INTEGER}:3600" and len(mute.encode()) <= MAX_CALLBACK_DATA


def test_mute_button_of_a_long_rule_id_fits_and_resolves() -> None:
    keyboard = alert_keyboard(Message("x", rule_id=LONG_ID, buttons=True))   # no alert id: the rule's own button
    assert keyboard is not None
    datas = [b.callback_data for row in keyboard.inline_keyboard for b in row if b.callback_data]
    assert all(len(d.encode()) <= MAX_CALLBACK_DATA for d in datas)
    [mute] = [d for d in datas if d.startswith("mute:")]
    ref, _, seconds = mute.removeprefix("mute:").rpartition(":")
    assert ref.startswith("#") and seconds == "3600"
    rule = rule_from_callback(ref, RULES)
    assert rule is not None and rule.id == LONG_ID


def test_short_rule_ids_are_written_plainly() -> None:
    keyboard = alert_keyboard(Message("x", rule_id="fatal-clash", buttons=True))
    assert keyboard is not None
    assert "mute:fatal-clash:3600" in [b.callback_data for row in keyboard.inline_keyboard for b in row]


def test_alerts_carry_a_not_relevant_button_and_escalation_notes_do_not() -> None:
    keyboard = alert_keyboard(Message("x", alert_id=77, rule_id="fatal-clash", buttons=True, link="https://a.example/"))
    assert keyboard is not None
    texts = [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard]
    assert texts[0] == [("✅ Acknowledge", "ack:77"), ("🔕 Mute 1h", "mute:@77:3600"),
                        ("👎 Not relevant", "nr:77")]
    assert texts[1] == [("Open article", None)]
    # an alert telling an incident: the button mutes that incident, and says so
    incident = alert_keyboard(Message("x", alert_id=78, rule_id="fatal-clash", buttons=True, event_id="ev-1"))
    assert incident is not None
    assert ("🔕 Mute incident 1h", "mute:@78:3600") in [(b.text, b.callback_data) for b in incident.inline_keyboard[0]]
    escalation = alert_keyboard(Message("x", alert_id=77, buttons=True))   # an on-call re-notification
    assert escalation is not None
    assert [b.callback_data for row in escalation.inline_keyboard for b in row] == ["ack:77"]


def test_each_kind_of_button_has_a_handler_of_its_own() -> None:
    from bot.telegram.buttons import button_handlers

    *kinds, last = button_handlers()
    for data in ("ack:1", "mute:fatal-clash:3600", "mute:@7:3600", "sub:fatal-clash", "unsub:#0123456789abcdef",
                 "nr:7", "rel:7"):
        assert len([h for h in kinds if h.pattern is not None and h.pattern.match(data)]) == 1, data
    assert not any(h.pattern is not None and h.pattern.match("nonsense:1") for h in kinds)
    assert last.pattern is None   # data of no kind of ours: "Unknown button"
