"""Chat commands. Handlers stay thin: read the update, call the store or engine, reply."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.engine import RuleSet
from bot.engine.explain import explain_html
from bot.engine.facts import extract_facts
from bot.models import Article
from bot.store import Store
from bot.yamldoc import did_you_mean

COMMANDS: list[tuple[str, str, str]] = [
    ("start", "Introduce Beacon", "/start — what Beacon is and how to begin"),
    ("help", "List the commands", "/help — this list"),
    ("subscribe", "Get alerts: /subscribe <rule-id|all>",
     "/subscribe &lt;rule-id|all&gt; — receive a rule's alerts in this chat (or topic)"),
    ("unsubscribe", "Stop alerts: /unsubscribe <rule-id|all>",
     "/unsubscribe &lt;rule-id|all&gt; — stop them"),
    ("subscriptions", "What this chat receives", "/subscriptions — what this chat receives"),
    ("rules", "List the rules", "/rules — the rules you can subscribe to"),
    ("check", "Test the rules on a text: /check <text>",
     "/check &lt;text&gt; — run the rules on a text and show what matched and why"),
    ("status", "Sources, rules and queue at a glance", "/status — sources' health, rules loaded, last poll, queue"),
    ("sources", "Sources in detail (admins)", "/sources — every source's health and last error (admins)"),
    ("reload", "Reload rules and templates (admins)", "/reload — load rules and templates again now (admins)"),
]


@dataclass
class ChatServices:
    """What the handlers may call: the store, the current rules, the clock, and a few app actions."""

    store: Store
    rules: Callable[[], RuleSet]
    now: Callable[[], datetime]
    admins: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()          # empty: every chat may use the bot
    status: Callable[[], str] = lambda: "Status is not available."
    sources: Callable[[], str] = lambda: "No sources."
    reload: Callable[[], Awaitable[str]] | None = None


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def guarded(handler: Handler, *, admin_only: bool = False) -> Handler:
    """Refuse, with a short clear answer, chats outside the allowlist and non-admins for admin commands."""

    async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        services = _services(context)
        chat = update.effective_chat
        user = update.effective_user
        if services.allowed_chats and (chat is None or chat.id not in services.allowed_chats):
            await _reply(update, "This chat is not allowed to use this Beacon. Ask its operator to add the chat "
                                 f"id <code>{chat.id if chat else '?'}</code> to telegram.allowed_chats.")
            return
        if admin_only and (user is None or user.id not in services.admins):
            await _reply(update, "Only Beacon's admins can use this command.")
            return
        await handler(update, context)

    return wrapper


def _services(context: ContextTypes.DEFAULT_TYPE) -> ChatServices:
    return context.application.bot_data["services"]


def _where(update: Update) -> tuple[int, int | None]:
    """The chat, and the forum topic when the command was sent inside one."""
    message = update.effective_message
    chat = update.effective_chat
    assert chat is not None
    thread = message.message_thread_id if message is not None and message.is_topic_message else None
    return chat.id, thread


async def _reply(update: Update, text: str) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML,
                                                  do_quote=False)


def help_text() -> str:
    return "<b>Beacon commands</b>\n" + "\n".join(line for _, _, line in COMMANDS)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, "👋 <b>Beacon</b> watches news sources and alerts this chat when a rule detects an "
                 "event (a troop build-up, a fatal clash, …).\nStart with /rules, then /subscribe all or "
                 "/subscribe &lt;rule-id&gt;.\n\n" + help_text())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, help_text())


async def rules_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rules = _services(context).rules().rules
    if not rules:
        await _reply(update, "No rules are loaded.")
        return
    lines = [f"• <code>{html.escape(r.id)}</code> — {html.escape(r.title)} ({r.severity.label})" for r in rules]
    await _reply(update, "<b>Rules</b>\n" + "\n".join(lines))


def _selector(args: list[str], rules: RuleSet) -> tuple[str | None, str | None]:
    """The subscription selector named in the arguments, or an error to reply with."""
    if not args:
        return None, "Name a rule or <code>all</code>, e.g. <code>/subscribe fatal-clash</code>. See /rules."
    wanted = args[0].strip().lower()
    if wanted == "all" or rules.get(wanted) is not None:
        return wanted, None
    ids = [r.id for r in rules.rules]
    hint = did_you_mean(wanted, ids)
    msg = f"Unknown rule <code>{html.escape(wanted)}</code>."
    if hint:
        msg += " " + html.escape(hint.capitalize(), quote=False)
    return None, msg + " See /rules."


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    selector, error = _selector(list(context.args or []), services.rules())
    if selector is None:
        await _reply(update, error or "")
        return
    chat_id, thread = _where(update)
    new = services.store.subscribe(chat_id, selector, services.now(), thread)
    what = "all rules" if selector == "all" else f"<code>{html.escape(selector)}</code>"
    await _reply(update, f"✅ Subscribed to {what}." if new else f"Already subscribed to {what}.")


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    if not args:
        await _reply(update, "Name a rule or <code>all</code>, e.g. <code>/unsubscribe fatal-clash</code>.")
        return
    selector = args[0].strip().lower()
    chat_id, thread = _where(update)
    removed = services.store.unsubscribe(chat_id, selector, thread)
    what = "everything" if selector == "all" else f"<code>{html.escape(selector)}</code>"
    await _reply(update, f"Unsubscribed from {what}." if removed else f"This chat was not subscribed to {what}.")


async def subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    chat_id, thread = _where(update)
    subs = [s for s in services.store.subscriptions(chat_id) if s.thread_id == thread]
    if not subs:
        await _reply(update, "This chat has no subscriptions. Try /subscribe all.")
        return
    names = ", ".join("all rules" if s.selector == "all" else f"<code>{html.escape(s.selector)}</code>"
                      for s in subs)
    await _reply(update, f"This chat receives: {names}.")


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    text = (message.text or "").partition(" ")[2].strip() if message is not None else ""
    if not text:
        await _reply(update, "Send the text after the command, e.g. <code>/check Gunmen killed two officers "
                             "in an ambush near Banjska</code>. The first line counts as the title.")
        return
    title, _, body = text.partition("\n")
    article = Article(source="check", title=title, text=body)
    matches = _services(context).rules().match(article, _services(context).now())
    await _reply(update, explain_html(matches, facts=extract_facts(title + "\n" + body).as_dict()))


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, _services(context).status())


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, _services(context).sources())


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    if services.reload is None:
        await _reply(update, "Reloading is not available here.")
        return
    await _reply(update, await services.reload())


HANDLERS: list[tuple[str, Handler, bool]] = [
    ("start", start, False), ("help", help_command, False), ("rules", rules_command, False),
    ("subscribe", subscribe, False), ("unsubscribe", unsubscribe, False), ("subscriptions", subscriptions, False),
    ("check", check, False), ("status", status, False),
    ("sources", sources_command, True), ("reload", reload_command, True),
]


def register(application: Application, services: ChatServices) -> None:
    """Attach the handlers (each behind the allowlist and admin checks) and the services they use."""
    application.bot_data["services"] = services
    for name, handler, admin_only in HANDLERS:
        application.add_handler(CommandHandler(name, guarded(handler, admin_only=admin_only)))


def bot_commands() -> list[BotCommand]:
    """The menu Telegram shows (setMyCommands)."""
    return [BotCommand(name, short) for name, short, _ in COMMANDS]
