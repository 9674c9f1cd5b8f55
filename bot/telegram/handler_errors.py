"""What happens when a command or button handler fails: the user hears a short apology, the log one traceback.

Without an error handler python-telegram-bot logs the traceback and the user hears nothing: a button
spins until Telegram gives up on it, and a command seems ignored.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)

APOLOGY = "Sorry, that went wrong inside Beacon. It has been logged for the operator; please try again later."
BUTTON_APOLOGY = "Sorry, that went wrong inside Beacon. It has been logged for the operator."
MAX_SHOWN = 80   # of the command or button data, in the log line


async def handler_failed(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """PTB's error handler: log the failure with its traceback once, then apologise where it came from."""
    error = context.error
    log.error("handling %s failed: %s: %s", _what(update), type(error).__name__, error,
              exc_info=(type(error), error, error.__traceback__) if error is not None else None)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(BUTTON_APOLOGY)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(APOLOGY, do_quote=False)
    except TelegramError as exc:   # Telegram unreachable, or the button already answered: the log has it
        log.debug("could not apologise for a failed update: %s: %s", type(exc).__name__, exc)


def _what(update: object) -> str:
    """The update in a few words for the log: which chat, and the command or button data (shortened)."""
    if not isinstance(update, Update):
        return "an update"
    chat = update.effective_chat.id if update.effective_chat is not None else "?"
    if update.callback_query is not None:
        return f"button {_short(update.callback_query.data or '')} in chat {chat}"
    message = update.effective_message
    if message is not None and message.text:
        return f"message {_short(message.text)} in chat {chat}"
    return f"update {update.update_id} in chat {chat}"


def _short(text: str) -> str:
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN - 1] + "…"
    return repr(text)
