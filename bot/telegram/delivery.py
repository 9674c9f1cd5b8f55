"""Telegram sender: one sendMessage, with python-telegram-bot's errors mapped to outcomes.

PTB's `BadRequest` and `TimedOut` both subclass `NetworkError`, so a blanket "retry on
NetworkError" would resend permanent 400s and messages that may have arrived. We map by
what actually happened: a connect failure never reached Telegram (retry freely), a read
timeout may have been accepted (uncertain), a 400 is permanent unless it is our markup.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.models import Message, Target
from bot.outbox import Outcome, SendOutcome
from bot.telegram.callbacks import mute_callback_data, rule_callback_data

_GONE_PHRASES = ("chat not found", "not enough rights", "have no rights", "bot was kicked", "user is deactivated",
                 "bot is not a member", "need administrator rights", "chat_write_forbidden", "topic_closed",
                 "group chat was deactivated")


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def classify(exc: TelegramError) -> SendOutcome:
    """What a failed send means for the outbox."""
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, RetryAfter):
        return SendOutcome(Outcome.RETRY_AFTER, retry_after=_seconds(exc._retry_after), error=text)
    if isinstance(exc, ChatMigrated):
        return SendOutcome(Outcome.MIGRATED, new_chat_id=exc.new_chat_id, error=text)
    if isinstance(exc, Forbidden):
        return SendOutcome(Outcome.CHAT_GONE, error=text)
    if isinstance(exc, InvalidToken):
        return SendOutcome(Outcome.UNAUTHORIZED, error="token rejected by Telegram")
    if isinstance(exc, BadRequest):
        if "parse entities" in lowered or "can't find end of the entity" in lowered:
            return SendOutcome(Outcome.BAD_MARKUP, error=text)
        if any(p in lowered for p in _GONE_PHRASES):
            return SendOutcome(Outcome.CHAT_GONE, error=text)
        return SendOutcome(Outcome.REJECTED, error=text)
    if isinstance(exc, TimedOut):
        cause = exc.__cause__
        if isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout):
            return SendOutcome(Outcome.TRANSIENT, error=f"not sent: {type(cause).__name__}")
        return SendOutcome(Outcome.UNCERTAIN, error="timed out waiting for Telegram; it may have arrived")
    if isinstance(exc, NetworkError):
        cause = exc.__cause__
        if cause is None or isinstance(cause, httpx.ConnectError | TelegramError):
            # no cause: Telegram answered 5xx; a TelegramError cause: a proxy in front of it answered 5xx with
            # a page that is not Bot API JSON; ConnectError: the request never left
            return SendOutcome(Outcome.TRANSIENT, error=text)
        return SendOutcome(Outcome.UNCERTAIN, error=f"connection lost mid-request: {type(cause).__name__}")
    return SendOutcome(Outcome.TRANSIENT, error=f"{type(exc).__name__}: {text}")


MUTE_BUTTON_SECONDS = 3600
NOT_RELEVANT = "👎 Not relevant"
RELEVANT_AFTER_ALL = "↩️ Relevant after all"


def feedback_button(alert_id: int, judged: bool) -> InlineKeyboardButton:
    """"Not relevant" (records a judgement, bot/feedback/), or its undo once pressed."""
    if judged:
        return InlineKeyboardButton(RELEVANT_AFTER_ALL, callback_data=f"rel:{alert_id}")
    return InlineKeyboardButton(NOT_RELEVANT, callback_data=f"nr:{alert_id}")


def alert_keyboard(message: Message) -> InlineKeyboardMarkup | None:
    """Acknowledge, Mute incident 1h (that incident's updates; without an incident, every rule the alert carries in
    the chat: Mute 1h), Not relevant, Open article: under the last part of an alert."""
    if not message.buttons:
        return None
    row = []
    if message.alert_id is not None and not message.acknowledged:
        row.append(InlineKeyboardButton("✅ Acknowledge", callback_data=f"ack:{message.alert_id}"))
    if message.rule_id and message.alert_id is not None:   # mutes its incident (or, with none, its rules here)
        label = "🔕 Mute 1h"
        if message.event_id:
            label = "🔕 Mute incident 1h"
        row.append(InlineKeyboardButton(label, callback_data=mute_callback_data(message.alert_id,
                                                                                MUTE_BUTTON_SECONDS)))
    elif message.rule_id:
        row.append(InlineKeyboardButton("🔕 Mute 1h", callback_data=rule_callback_data(
            "mute", message.rule_id, f":{MUTE_BUTTON_SECONDS}")))
    if message.alert_id is not None and message.rule_id:   # an alert of a rule, not an escalation note
        row.append(feedback_button(message.alert_id, judged=message.judged))
    rows = [row] if row else []
    if message.link and message.link.startswith(("http://", "https://")):
        rows.append([InlineKeyboardButton("Open article", url=message.link)])
    return InlineKeyboardMarkup(rows) if rows else None


class TelegramSender:
    """Sends one message part through a python-telegram-bot `Bot`."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, target: Target, message: Message, *, reply_to: int | None = None) -> SendOutcome:
        try:
            sent = await self.bot.send_message(
                chat_id=target.chat_id,
                text=message.text,
                parse_mode=message.parse_mode,
                disable_notification=message.disable_notification,
                message_thread_id=target.thread_id,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                reply_markup=alert_keyboard(message),
                # a reply to a message deleted meanwhile still goes out, just without the thread
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None,
            )
        except TelegramError as exc:
            return classify(exc)
        return SendOutcome(Outcome.SENT, message_id=sent.message_id)

    async def probe(self) -> bool:
        """Does the Bot API answer at all? getMe is cheap and touches no chat; the outbox asks it every few
        seconds while every send fails, and sends what waited as soon as it answers."""
        try:
            await self.bot.get_me()
        except TelegramError:
            return False
        return True

    async def edit(self, target: Target, message_id: int, message: Message) -> SendOutcome:
        """Rewrite a message already sent (an event's message as its reports come in)."""
        try:
            await self.bot.edit_message_text(
                chat_id=target.chat_id, message_id=message_id, text=message.text, parse_mode=message.parse_mode,
                link_preview_options=LinkPreviewOptions(is_disabled=True), reply_markup=alert_keyboard(message))
        except TelegramError as exc:
            if "message is not modified" in str(exc).lower():
                return SendOutcome(Outcome.SENT, message_id=message_id)  # it already says this
            return classify(exc)
        return SendOutcome(Outcome.SENT, message_id=message_id)
