"""The python-telegram-bot `Application`: built, connected, given its handlers and stopped here.

bot/app.py asks for a connection and gets back a sender and a way to close it; it never touches
PTB itself, so the dry-run path and every module outside bot/telegram/ work without importing it
(importing telegram.ext costs ~0.4 s).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.errors import BeaconError
from bot.telegram.commands import ChatServices, bot_commands, register
from bot.telegram.delivery import TelegramSender
from bot.telegram.polling import PollingErrors

log = logging.getLogger(__name__)

PTBApplication = Application[Any, Any, Any, Any, Any, Any]


class TokenRejected(BeaconError):
    """Telegram refused the bot token at start-up."""


class TelegramUnreachable(BeaconError):
    """Telegram did not answer as it should (no connection, a 5xx, a timeout): worth trying again later."""


def build_application(token: str, base_url: str) -> PTBApplication:
    """The Application for this token and Bot API address (the fake one in tests), not yet connected."""
    return Application.builder().token(token).base_url(base_url).build()


@dataclass
class TelegramLink:
    """A connected Application: the sender the outbox uses, and how to stop it."""

    application: PTBApplication
    sender: TelegramSender
    polling_errors: PollingErrors | None = None

    @property
    def username(self) -> str:
        return str(self.application.bot.username)

    async def start_polling(self, notify_admins: Callable[[str], None]) -> None:
        """Long-poll getUpdates for commands (one instance per bot token: bot/instances.py picks it)."""
        app = self.application
        if not app.running:
            await app.start()
        assert app.updater is not None
        if app.updater.running:
            return
        # errors while polling (409 Conflict: a second instance with this token) are said once,
        # not logged with a traceback on every retry; sending does not depend on polling
        self.polling_errors = PollingErrors(notify_admins)
        await app.updater.start_polling(drop_pending_updates=False, bootstrap_retries=3,
                                        error_callback=self.polling_errors)

    async def stop_polling(self) -> None:
        """Stop long-polling (another instance leads now); sending goes on. Updates fetched but not yet
        handled are left to the Application, which keeps running."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()

    async def close(self) -> None:
        """Stop polling and the Application; a failure is logged, never raised (we are stopping anyway)."""
        app = self.application
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        except Exception as exc:
            log.warning("error while disconnecting from Telegram: %s", exc)


async def connect(token: str, base_url: str, services: ChatServices, *, polling: bool,
                  notify_admins: Callable[[str], None]) -> TelegramLink:
    """getMe, the handlers, the command menu and (with `polling`) getUpdates.

    Raises TokenRejected when Telegram refuses the token and TelegramUnreachable when it does not
    answer; whatever was started is stopped again before either is raised.
    """
    application = build_application(token, base_url)
    link = TelegramLink(application, TelegramSender(application.bot))
    try:
        try:
            await application.initialize()
        except InvalidToken as exc:
            raise TokenRejected("Telegram rejected the bot token (check TELEGRAM_BOT_TOKEN)") from exc
        register(application, services)
        await application.bot.set_my_commands(bot_commands())
        if polling:
            await link.start_polling(notify_admins)
    except BaseException as exc:
        await link.close()
        if isinstance(exc, TelegramError | OSError):
            raise TelegramUnreachable(f"{type(exc).__name__}: {exc}") from exc
        raise
    log.info("connected to Telegram as @%s", link.username)
    return link
