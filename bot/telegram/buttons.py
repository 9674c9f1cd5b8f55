"""The buttons: one python-telegram-bot `CallbackQueryHandler` per kind, picked by its data's `pattern`.

Acknowledge, Mute 1h and Not relevant (or its undo) under alerts; Subscribe/Unsubscribe under /rules.
The pattern only routes by kind; each handler reads the data strictly (bot/telegram/callbacks.py),
since a modified client can send anything, and answers "Unknown button" to what none of ours carries.
A press that fails inside Beacon reaches the error handler (bot/telegram/handler_errors.py).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.feedback import Judge
from bot.render import format_time
from bot.routing import INCIDENT_MUTE, incident_of, select
from bot.store import Store
from bot.telegram.callbacks import (
    ACK_PATTERN,
    FEEDBACK_PATTERN,
    MUTE_PATTERN,
    RULE_PATTERN,
    AckButton,
    ButtonError,
    FeedbackButton,
    MuteButton,
    RuleButton,
    parse_ack,
    parse_feedback,
    parse_mute,
    parse_rule_button,
    rule_from_callback,
)
from bot.telegram.commands import ChatServices, Handler, _rule_button, _selectors_here, _services, _where, _who
from bot.telegram.delivery import feedback_button

Pressed = TypeVar("Pressed")
Context = ContextTypes.DEFAULT_TYPE

UNKNOWN = "Unknown button"
NOT_ALLOWED = "This chat is not allowed to use this Beacon."


def on_press(parse: Callable[[str], Pressed],
             act: Callable[[Update, Context, Pressed], Awaitable[None]]) -> Handler:
    """A handler that refuses chats outside the allowlist, reads the data with `parse` and acts on it."""

    async def handler(update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        services = _services(context)
        chat = update.effective_chat
        if chat is None or (services.allowed_chats and chat.id not in services.allowed_chats):
            await query.answer(NOT_ALLOWED)
            return
        try:
            pressed = parse(query.data)
        except ButtonError:
            await query.answer(UNKNOWN)
            return
        await act(update, context, pressed)

    return handler


async def unknown_button(update: Update, context: Context) -> None:
    """Data that starts like none of Beacon's buttons (the last handler: the others did not match)."""
    if update.callback_query is not None:
        await update.callback_query.answer(UNKNOWN)


async def acknowledge(update: Update, context: Context, pressed: AckButton) -> None:
    """Acknowledge an alert this chat was sent; also ends its on-call escalation (bot/escalation.py)."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    services = _services(context)
    acknowledged = services.store.escalations.acknowledge(pressed.alert_id, chat.id, _who(update), services.now())
    if acknowledged is None:
        await query.answer("This chat was not sent that alert, so it cannot acknowledge it here.")
        return
    user, at = acknowledged
    services.queued()   # the acknowledgement may have queued a note for the on-call chats
    await query.answer(f"Acknowledged by {user}")
    message = query.message
    if isinstance(message, Message) and message.text is not None:
        note = f"\n\n✅ Acknowledged by {html.escape(user)} at {at:%H:%M} UTC"
        if note not in message.text_html:
            await message.edit_text(message.text_html + note, parse_mode=ParseMode.HTML,
                                    reply_markup=_without_ack(message.reply_markup),
                                    link_preview_options=LinkPreviewOptions(is_disabled=True))


async def mute(update: Update, context: Context, pressed: MuteButton) -> None:
    """Mute here, for the button's length, the incident the message tells (`incident:<id>`): its updates and edits
    stay silent, while a new incident of the same rules still arrives (issue 12: mutes per incident). An alert told
    without clustering (no incident) mutes every rule it carries in this chat (`muted_rules`); a button naming one
    rule (sent before buttons named the alert) mutes that rule, as `/mute` does. The answer says what was muted."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    services = _services(context)
    if pressed.alert_id is not None:
        rule_ids = muted_rules(services.store, pressed.alert_id, *_where(update))
        if rule_ids is None:
            await query.answer("This chat was not sent that alert, so it cannot mute it here.")
            return
        event_id = services.store.alerts.event_id(pressed.alert_id)
        if event_id:
            now = services.now()
            until = now + timedelta(seconds=pressed.seconds)
            services.store.chats.mute(chat.id, INCIDENT_MUTE + event_id, until, _who(update), now)
            zone = services.store.chats.settings(chat.id).timezone
            await query.answer(f"Muted this incident ({event_id}) here until {format_time(until, zone, '%H:%M %Z')}: "
                               "its updates stay silent; new incidents still arrive. /unmute ends it.")
            return
    else:
        rule = rule_from_callback(pressed.ref, services.rules())
        if rule is None:
            await query.answer("That rule is no longer loaded; see /rules.")
            return
        rule_ids = (rule.id,)
    now = services.now()
    until = now + timedelta(seconds=pressed.seconds)
    for rule_id in rule_ids:
        services.store.chats.mute(chat.id, rule_id, until, _who(update), now)
    zone = services.store.chats.settings(chat.id).timezone
    await query.answer(muted_note(rule_ids, format_time(until, zone, '%H:%M %Z')))


def muted_rules(store: Store, alert_id: int, chat_id: int, thread: int | None) -> tuple[str, ...] | None:
    """The rules an alert's message carries in this chat or topic: those of its incident (as it is now: a later
    report may have added a rule) that the chat's subscriptions select there, or every rule of it where none does
    (an on-call chat), as routing counts a mute (bot/routing.py, `mute_for`). None when the chat was not sent it."""
    alert = store.alerts.get(alert_id)
    if alert is None or not store.alerts.sent_to(alert_id, chat_id):
        return None
    event_id = store.alerts.event_id(alert_id)
    event = store.events.get(event_id) if event_id else None
    incident = incident_of(dataclasses.replace(alert, event=event))
    here = [s for s in store.chats.subscriptions(chat_id) if s.thread_id == thread]
    taken, _ = select(incident, here)
    rules = {r for _, selected in taken for r in selected}
    return tuple(r for r in incident.rule_ids if r in rules) or incident.rule_ids


MAX_ANSWER = 200   # Telegram shows at most 200 characters of a button's answer


def muted_note(rule_ids: Sequence[str], until: str) -> str:
    """"Muted kosovo-fatal-clash, fatal-clash here until 10:10 UTC", the list shortened to fit an answer."""
    names = list(rule_ids)
    while True:
        more = len(rule_ids) - len(names)
        listed = ", ".join(names) + (f" and {more} more" if more else "")
        note = f"Muted {listed} here until {until}"
        if len(note) <= MAX_ANSWER or len(names) == 1:
            return note[:MAX_ANSWER]
        names.pop()


async def subscribe(update: Update, context: Context, pressed: RuleButton) -> None:
    """Subscribe or unsubscribe this chat (or topic), then show the new state on the buttons."""
    query = update.callback_query
    assert query is not None
    services = _services(context)
    rule = rule_from_callback(pressed.ref, services.rules())
    if rule is None:
        await query.answer("That rule is no longer loaded; see /rules.")
        return
    chat_id, thread = _where(update)
    subscribed = rule.id in _selectors_here(services.store, chat_id, thread)
    if pressed.kind == "sub" and not subscribed:  # (an existing one may be narrowed to regions: leave it)
        services.store.chats.subscribe(chat_id, rule.id, services.now(), thread)
    elif pressed.kind == "unsub" and subscribed:
        services.store.chats.unsubscribe(chat_id, rule.id, thread)
    await query.answer(f"Subscribed to {rule.id}" if pressed.kind == "sub" else f"Unsubscribed from {rule.id}")
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        await _show(message, _refresh_rule_buttons(message.reply_markup, services, chat_id, thread))


async def judge(update: Update, context: Context, pressed: FeedbackButton) -> None:
    """"Not relevant": record who judged which article against which rule (bot/feedback/); "Relevant after
    all" withdraws it. The button turns into the other one, so the chat sees the state and can undo."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    services = _services(context)
    user = update.effective_user
    who = Judge(chat.id, user.id if user is not None else None, _who(update))
    if pressed.kind == "nr":
        judgement = services.store.feedback.judge(pressed.alert_id, who, services.now())
        if judgement is None:
            await query.answer("This chat was not sent that alert, so it cannot judge it here.")
            return
        await query.answer(f"Noted: not relevant for {judgement.rule_id}. The operator will see it "
                           "(/feedback lists this chat's judgements).")
    else:
        withdrawn = services.store.feedback.withdraw(pressed.alert_id, who, services.now())
        if withdrawn is None:
            await query.answer("This alert was not judged here, so there is nothing to undo.")
            return
        await query.answer("Noted: relevant after all.")
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        await _show(message, _with_feedback_state(message.reply_markup, pressed.alert_id, pressed.kind == "nr"))


BUTTONS: list[tuple[str, Handler]] = [
    (ACK_PATTERN, on_press(parse_ack, acknowledge)),
    (MUTE_PATTERN, on_press(parse_mute, mute)),
    (RULE_PATTERN, on_press(parse_rule_button, subscribe)),
    (FEEDBACK_PATTERN, on_press(parse_feedback, judge)),
]


def button_handlers() -> list[CallbackQueryHandler[Any, None]]:
    """One handler per kind of button, then one for data of no kind of ours."""
    return [*(CallbackQueryHandler(handler, pattern=pattern) for pattern, handler in BUTTONS),
            CallbackQueryHandler(unknown_button)]


async def _show(message: Message, markup: InlineKeyboardMarkup) -> None:
    """Put the updated buttons on the message (if they changed)."""
    if markup == message.reply_markup:
        return
    try:
        await message.edit_reply_markup(markup)
    except BadRequest as exc:  # pressed twice quickly: Telegram refuses an edit that changes nothing
        if "not modified" not in str(exc).lower():
            raise


def _refresh_rule_buttons(markup: InlineKeyboardMarkup, services: ChatServices, chat_id: int,
                          thread: int | None) -> InlineKeyboardMarkup:
    """The same keyboard with each Subscribe/Unsubscribe button showing the current state."""
    here = _selectors_here(services.store, chat_id, thread)
    rules = services.rules()
    rows = []
    for row in markup.inline_keyboard:
        buttons = []
        for b in row:
            kind, _, ref = str(b.callback_data or "").partition(":")
            rule = rule_from_callback(ref, rules) if kind in ("sub", "unsub") else None
            buttons.append(_rule_button(rule.id, rule.id in here) if rule is not None else b)
        rows.append(buttons)
    return InlineKeyboardMarkup(rows)


def _with_feedback_state(markup: InlineKeyboardMarkup, alert_id: int, judged: bool) -> InlineKeyboardMarkup:
    """The same keyboard with the alert's Not relevant / Relevant after all button showing the state."""
    datas = (f"nr:{alert_id}", f"rel:{alert_id}")
    rows = [[feedback_button(alert_id, judged) if b.callback_data in datas else b for b in row]
            for row in markup.inline_keyboard]
    return InlineKeyboardMarkup(rows)


def _without_ack(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    if markup is None:
        return None
    rows = [[b for b in row if not (isinstance(b.callback_data, str) and b.callback_data.startswith("ack:"))]
            for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None

