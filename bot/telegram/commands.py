"""Chat commands. Handlers stay thin: read the update, call the store or engine, reply."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import BotCommand, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.durations import format_duration, parse_duration
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
    ("mute", "Silence a rule: /mute <rule-id|all> <duration>",
     "/mute &lt;rule-id|all&gt; &lt;duration&gt; — silence alerts here for a while, e.g. <code>/mute all 2h</code> "
     "(muted alerts are recorded, not lost)"),
    ("unmute", "End a mute: /unmute <rule-id|all>", "/unmute &lt;rule-id|all&gt; — end a mute"),
    ("mutes", "Active mutes in this chat", "/mutes — the mutes active in this chat"),
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


def _who(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "someone"
    return f"@{user.username}" if user.username else user.full_name


async def mute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    if len(args) != 2:
        await _reply(update, "Use <code>/mute &lt;rule-id|all&gt; &lt;duration&gt;</code>, e.g. "
                             "<code>/mute fatal-clash 2h</code>.")
        return
    selector, error = _selector(args[:1], services.rules())
    if selector is None:
        await _reply(update, error or "")
        return
    try:
        seconds = parse_duration(args[1])
    except ValueError as exc:
        await _reply(update, html.escape(str(exc), quote=False))
        return
    now = services.now()
    until = now + timedelta(seconds=seconds)
    chat_id, _ = _where(update)
    services.store.mute(chat_id, selector, until, _who(update), now)
    what = "all alerts" if selector == "all" else f"<code>{html.escape(selector)}</code>"
    await _reply(update, f"🔕 Muted {what} here for {format_duration(seconds)} (until "
                         f"{until:%Y-%m-%d %H:%M} UTC). Muted alerts are recorded, not sent.")


async def unmute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    selector = args[0].strip().lower() if args else "all"
    chat_id, _ = _where(update)
    removed = services.store.unmute(chat_id, selector)
    await _reply(update, "🔔 Unmuted." if removed else "Nothing was muted here.")


async def mutes_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    chat_id, _ = _where(update)
    active = services.store.mutes(chat_id, services.now())
    if not active:
        await _reply(update, "No mutes are active in this chat.")
        return
    lines = [f"• {'all alerts' if sel == 'all' else html.escape(sel)} until {until:%Y-%m-%d %H:%M} UTC"
             f"{' (by ' + html.escape(by) + ')' if by else ''}" for sel, until, by in active]
    await _reply(update, "<b>Active mutes</b>\n" + "\n".join(lines))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The Acknowledge and Mute buttons under alerts."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    services = _services(context)
    chat = update.effective_chat
    if chat is None or (services.allowed_chats and chat.id not in services.allowed_chats):
        await query.answer("This chat is not allowed to use this Beacon.")
        return
    kind, _, rest = query.data.partition(":")
    now = services.now()
    if kind == "ack" and rest.isdigit():
        user, at = services.store.acknowledge(int(rest), chat.id, _who(update), now)
        await query.answer(f"Acknowledged by {user}")
        message = query.message
        if isinstance(message, Message) and message.text is not None:
            note = f"\n\n✅ Acknowledged by {html.escape(user)} at {at:%H:%M} UTC"
            if note not in message.text_html:
                await message.edit_text(message.text_html + note, parse_mode=ParseMode.HTML,
                                        reply_markup=_without_ack(message.reply_markup),
                                        link_preview_options=LinkPreviewOptions(is_disabled=True))
    elif kind == "mute":
        rule_id, _, seconds = rest.rpartition(":")
        if not rule_id or not seconds.isdigit():
            await query.answer("Unknown button")
            return
        until = now + timedelta(seconds=int(seconds))
        services.store.mute(chat.id, rule_id, until, _who(update), now)
        await query.answer(f"Muted {rule_id} here until {until:%H:%M} UTC")
    else:
        await query.answer("Unknown button")


def _without_ack(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    if markup is None:
        return None
    rows = [[b for b in row if not (b.callback_data or "").startswith("ack:")] for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


HANDLERS: list[tuple[str, Handler, bool]] = [
    ("start", start, False), ("help", help_command, False), ("rules", rules_command, False),
    ("subscribe", subscribe, False), ("unsubscribe", unsubscribe, False), ("subscriptions", subscriptions, False),
    ("check", check, False), ("status", status, False),
    ("mute", mute, False), ("unmute", unmute, False), ("mutes", mutes_command, False),
    ("sources", sources_command, True), ("reload", reload_command, True),
]


def register(application: Application, services: ChatServices) -> None:
    """Attach the handlers (each behind the allowlist and admin checks) and the services they use."""
    application.bot_data["services"] = services
    for name, handler, admin_only in HANDLERS:
        application.add_handler(CommandHandler(name, guarded(handler, admin_only=admin_only)))
    application.add_handler(CallbackQueryHandler(button))


def bot_commands() -> list[BotCommand]:
    """The menu Telegram shows (setMyCommands)."""
    return [BotCommand(name, short) for name, short, _ in COMMANDS]
