"""Chat commands. Handlers stay thin: read the update, call the store or engine, reply."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.config import OnCallConfig
from bot.durations import format_duration, parse_duration
from bot.engine import RuleSet
from bot.engine.explain import explain_html
from bot.engine.facts import extract_facts
from bot.engine.load import Rule
from bot.engine.regions import RegionBook
from bot.history import events_html, status_here
from bot.holds import hold_for
from bot.models import Article, Event
from bot.render import format_time
from bot.routing import INCIDENT_MUTE
from bot.store import Store
from bot.telegram.callbacks import MAX_MUTE_SECONDS, MAX_SQL_INTEGER, parse_count, rule_callback_data
from bot.telegram.handler_errors import handler_failed
from bot.telegram.markup import split_html
from bot.telegram.preferences import (
    OFF,
    SettingError,
    parse_digest,
    parse_quiet,
    parse_silent,
    parse_timezone,
    settings_html,
    silent_text,
    split_quiet_args,
)
from bot.telegram.selectors import (
    ALL,
    REGION_PREFIX,
    SelectionError,
    describe,
    parse_regions,
    parse_selector,
    parse_subscription,
    region_label,
    unsubscribe_selector,
)

COMMANDS: list[tuple[str, str, str]] = [
    ("start", "Introduce Beacon", "/start — what Beacon is and how to begin"),
    ("help", "List the commands", "/help — this list"),
    ("subscribe", "Get alerts: /subscribe <rule-id|tag|all> [region ...]",
     "/subscribe &lt;rule-id|tag|all&gt; [region ...] — receive alerts in this chat (or topic), optionally "
     "only about some regions, e.g. <code>/subscribe conflict kosovo</code>"),
    ("unsubscribe", "Stop alerts: /unsubscribe <rule-id|tag|all> [region ...]",
     "/unsubscribe &lt;rule-id|tag|all&gt; [region ...] — stop them (or drop some regions)"),
    ("subscriptions", "What this chat receives", "/subscriptions — what this chat receives, and where from"),
    ("rules", "List the rules, with Subscribe buttons", "/rules — the rules, with a Subscribe button for each"),
    ("check", "Test the rules on a text: /check <text>",
     "/check &lt;text&gt; — run the rules on a text and show what matched and why"),
    ("mute", "Silence alerts: /mute <rule-id|tag|region:name|all> <duration>",
     "/mute &lt;rule-id|tag|region:name|all&gt; &lt;duration&gt; — silence alerts here for a while, e.g. "
     "<code>/mute all 2h</code> or <code>/mute region:kosovo 30m</code> (muted alerts are recorded, not lost)"),
    ("unmute", "End a mute: /unmute <rule-id|all>", "/unmute &lt;rule-id|all&gt; — end a mute"),
    ("mutes", "Active mutes in this chat", "/mutes — the mutes active in this chat"),
    ("settings", "This chat's delivery settings", "/settings — time zone, quiet hours, digest and sound here"),
    ("timezone", "Set the time zone: /timezone <name>",
     "/timezone &lt;name&gt; — the IANA time zone for times and quiet hours, e.g. "
     "<code>/timezone Europe/Belgrade</code>"),
    ("quiet", "Quiet hours: /quiet 23:00-07:00 [zone] | off",
     "/quiet 23:00-07:00 [time zone] — hold non-critical alerts at night and send them as one digest "
     "after; <code>/quiet off</code> ends it"),
    ("digest", "Digest low alerts: /digest hourly|daily|off",
     "/digest hourly|daily|off — gather low-severity alerts into one message"),
    ("silent", "No sound below: /silent <severity>|off",
     "/silent &lt;severity&gt;|off — alerts below this severity arrive without sound (default: below medium)"),
    ("events", "Incidents of the last 24 hours", "/events — the last day's incidents: facts, sources, updates"),
    ("why", "Why this chat did (not) get an incident: /why <id>",
     "/why &lt;incident id&gt; — why this chat did or did not get an incident (ids are in /events)"),
    ("feedback", "Alerts judged not relevant here: /feedback [id]",
     "/feedback [id] — the alerts this chat judged not relevant (the 👎 button), or why one of them fired"),
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
    queued: Callable[[], None] = lambda: None              # rows were queued: wake the delivery worker
    oncall: Callable[[], OnCallConfig | None] = lambda: None   # the on-call config in force (for /why)


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


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
    services: ChatServices = context.application.bot_data["services"]   # put there by `register`
    return services


def _where(update: Update) -> tuple[int, int | None]:
    """The chat, and the forum topic when the command was sent inside one."""
    message = update.effective_message
    chat = update.effective_chat
    assert chat is not None
    thread = message.message_thread_id if message is not None and message.is_topic_message else None
    return chat.id, thread


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    # reply_text answers in the chat and, in a forum, in the topic the command came from
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                                  do_quote=False)


def help_text() -> str:
    return "<b>Beacon commands</b>\n" + "\n".join(line for _, _, line in COMMANDS)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, "👋 <b>Beacon</b> watches news sources and alerts this chat when a rule detects an "
                 "event (a troop build-up, a fatal clash, …).\nStart with /rules, then /subscribe all or "
                 "/subscribe &lt;rule-id&gt;.\n\n" + help_text())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _reply(update, help_text())


RULES_PER_MESSAGE = 20
MAX_RULES_TEXT = 3500     # HTML of one /rules message; the visible text is shorter
MAX_DESCRIPTION = 200


def _rule_button(rule_id: str, subscribed: bool) -> InlineKeyboardButton:
    if subscribed:
        return InlineKeyboardButton(f"Unsubscribe {rule_id}", callback_data=rule_callback_data("unsub", rule_id))
    return InlineKeyboardButton(f"Subscribe {rule_id}", callback_data=rule_callback_data("sub", rule_id))


def _selectors_here(store: Store, chat_id: int, thread: int | None) -> set[str]:
    return {s.selector for s in store.chats.subscriptions(chat_id) if s.thread_id == thread}


def _rule_text(rule: Rule) -> str:
    text = f"• <code>{html.escape(rule.id)}</code> — {html.escape(rule.title)} ({rule.severity.label})"
    description = " ".join(rule.description.split())
    if description:
        if len(description) > MAX_DESCRIPTION:
            description = description[:MAX_DESCRIPTION - 1].rstrip() + "…"
        text += "\n" + html.escape(description)
    return text


async def rules_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    rules = services.rules().rules
    if not rules:
        await _reply(update, "No rules are loaded.")
        return
    here = _selectors_here(services.store, *_where(update))
    note = ("\nThis chat already receives every rule (/subscribe all); the buttons add or remove single rules."
            if ALL in here else "")
    for number, page in enumerate(rule_pages(rules)):
        title = "<b>Rules</b>" + note if number == 0 else "<b>Rules (continued)</b>"
        keyboard = InlineKeyboardMarkup([[_rule_button(r.id, r.id in here)] for r in page])
        await _reply(update, title + "\n\n" + "\n\n".join(_rule_text(r) for r in page), keyboard)


def rule_pages(rules: Sequence[Rule]) -> list[list[Rule]]:
    """Rules split into messages that stay well under Telegram's 4,096 characters, with few buttons each."""
    pages: list[list[Rule]] = [[]]
    size = 0
    for rule in rules:
        length = len(_rule_text(rule)) + 2
        if pages[-1] and (len(pages[-1]) >= RULES_PER_MESSAGE or size + length > MAX_RULES_TEXT):
            pages.append([])
            size = 0
        pages[-1].append(rule)
        size += length
    return pages


def _selector(args: list[str], rules: RuleSet) -> tuple[str | None, str | None]:
    """The selector named in the arguments, or an error to reply with."""
    if not args:
        return None, "Name a rule, a tag or <code>all</code>, e.g. <code>/subscribe fatal-clash</code>. See /rules."
    try:
        return parse_selector(args[0], rules), None
    except SelectionError as exc:
        return None, str(exc)


def _mute_selector(word: str, rules: RuleSet) -> tuple[str | None, str | None]:
    """A rule, tag or `all` as for /subscribe, or `region:<name>`: silence one region's alerts."""
    if word.lower().startswith(REGION_PREFIX):
        try:
            [region] = parse_regions([word[len(REGION_PREFIX):]], rules.book)
        except SelectionError as exc:
            return None, str(exc)
        except ValueError:
            return None, "Name one region, e.g. <code>/mute region:kosovo 1h</code>."
        return REGION_PREFIX + region, None
    return _selector([word], rules)


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    try:
        selection = parse_subscription(list(context.args or []), services.rules())
    except SelectionError as exc:
        await _reply(update, str(exc))
        return
    chat_id, thread = _where(update)
    new = services.store.chats.subscribe(chat_id, selection.selector, services.now(), thread, selection.regions)
    what = describe(selection.selector, selection.regions, services.rules().book)
    await _reply(update, f"✅ Subscribed to {what}." if new else f"Already subscribed to {what}.")


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    if not args:
        await _reply(update, "Name a rule, a tag or <code>all</code>, e.g. <code>/unsubscribe fatal-clash</code>.")
        return
    chat_id, thread = _where(update)
    rules = services.rules()
    here = {s.selector: s for s in services.store.chats.subscriptions(chat_id) if s.thread_id == thread}
    selector = unsubscribe_selector(args[0], rules, here)
    regions = parse_regions(args[1:], rules.book, strict=False)
    removed = services.store.chats.unsubscribe(chat_id, selector, thread, regions)
    what = "everything" if selector == ALL and not regions else describe(selector, regions, rules.book)
    if removed:
        await _reply(update, f"Unsubscribed from {what}.")
    elif regions and selector in here and not here[selector].regions:
        await _reply(update, f"This chat receives {describe(selector)} about every region; "
                             f"<code>/unsubscribe {html.escape(args[0])}</code> stops them.")
    else:
        await _reply(update, f"This chat was not subscribed to {what}.")


def _where_from(regions: Sequence[str], book: RegionBook) -> str:
    return "only " + "; ".join(html.escape(region_label(r, book)) for r in regions) if regions else "any region"


async def subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    chat_id, thread = _where(update)
    subs = [s for s in services.store.chats.subscriptions(chat_id) if s.thread_id == thread]
    place = "topic" if thread is not None else "chat"
    if not subs:
        await _reply(update, f"This {place} has no subscriptions. Try /subscribe all or /rules.")
        return
    book = services.rules().book
    lines = [f"• {describe(s.selector)} — {_where_from(s.regions, book)}" for s in subs]
    await _reply(update, f"<b>This {place} receives</b>\n" + "\n".join(lines))


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


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    await _reply(update, settings_html(services.store.chats.settings(_where(update)[0])))


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    chat_id, _ = _where(update)
    if not args:
        current = services.store.chats.settings(chat_id).timezone or "UTC (default)"
        await _reply(update, f"Time zone here: {html.escape(current)}. Change it with "
                             "<code>/timezone Europe/Belgrade</code> (any IANA name), or <code>/timezone off</code>.")
        return
    if args[0].lower() in OFF:
        services.store.chats.set_setting(chat_id, "timezone", None)
        await _reply(update, "🕑 Time zone reset to UTC." + _release_held(services, chat_id))
        return
    try:
        zone = parse_timezone(args[0])
    except SettingError as exc:
        await _reply(update, str(exc))
        return
    services.store.chats.set_setting(chat_id, "timezone", zone)
    await _reply(update, f"🕑 Time zone set to {html.escape(zone)}: times and quiet hours here follow it."
                 + _release_held(services, chat_id))


def _release_held(services: ChatServices, chat_id: int) -> str:
    """The chat changed its quiet hours, time zone or digest: what it holds by them is decided again on the new
    settings, and what no longer waits goes out now, as the digest of held alerts. The reply's last sentence."""
    settings = services.store.chats.settings(chat_id)
    now = services.now()
    released = services.store.outbox.rehold(
        chat_id, now, lambda _reason, severity: hold_for(severity, now, quiet=settings.quiet,
                                                         timezone=settings.timezone, digest=settings.digest))
    if not released:
        return ""
    services.queued()
    return f" {released} held alert{'s' if released != 1 else ''} now sent as one digest."


async def quiet_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    chat_id, _ = _where(update)
    if not args:
        await _reply(update, "Use <code>/quiet 23:00-07:00</code> (optionally a time zone after it, e.g. "
                             "<code>/quiet 23:00-07:00 Europe/Belgrade</code>) or <code>/quiet off</code>.")
        return
    if len(args) == 1 and args[0].lower() in OFF:
        services.store.chats.set_setting(chat_id, "quiet", None)
        await _reply(update, "🔔 Quiet hours off: alerts arrive at any hour." + _release_held(services, chat_id))
        return
    window_text, zone_text = split_quiet_args(args)
    try:
        window = parse_quiet(window_text)
        zone = parse_timezone(zone_text) if zone_text else None
    except SettingError as exc:
        await _reply(update, str(exc))
        return
    if zone is not None:
        services.store.chats.set_setting(chat_id, "timezone", zone)
    services.store.chats.set_setting(chat_id, "quiet", window)
    shown = zone or services.store.chats.settings(chat_id).timezone or "UTC"
    await _reply(update, f"🌙 Quiet hours {window.replace('-', '–')} ({html.escape(shown)}): non-critical alerts "
                         "are held and sent as one digest when they end." + _release_held(services, chat_id))


async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    if len(args) != 1:
        await _reply(update, "Use <code>/digest hourly</code>, <code>/digest daily</code> or <code>/digest off</code>.")
        return
    try:
        value = parse_digest(args[0])
    except SettingError as exc:
        await _reply(update, str(exc))
        return
    chat_id = _where(update)[0]
    services.store.chats.set_setting(chat_id, "digest", value)
    answer = "📰 Digest off: every alert is sent as it comes."
    if value:
        answer = f"📰 Low-severity alerts will be gathered into a {value} digest."
    await _reply(update, answer + _release_held(services, chat_id))


async def silent_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    if len(args) != 1:
        await _reply(update, "Use <code>/silent high</code> (alerts below high arrive without sound) or "
                             "<code>/silent off</code>. The default is below medium.")
        return
    try:
        value = parse_silent(args[0])
    except SettingError as exc:
        await _reply(update, str(exc))
        return
    services.store.chats.set_setting(_where(update)[0], "silent_below", value)
    await _reply(update, f"🔈 Silent: {silent_text(value)}.")


def _who(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "someone"
    return f"@{user.username}" if user.username else user.full_name


async def mute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    if len(args) != 2:
        await _reply(update, "Use <code>/mute &lt;rule-id|tag|region:name|all&gt; &lt;duration&gt;</code>, e.g. "
                             "<code>/mute fatal-clash 2h</code> or <code>/mute region:kosovo 30m</code>.")
        return
    selector, error = _mute_selector(args[0], services.rules())
    if selector is None:
        await _reply(update, error or "")
        return
    try:
        seconds = parse_duration(args[1], maximum=MAX_MUTE_SECONDS)
    except ValueError as exc:
        await _reply(update, html.escape(str(exc), quote=False))
        return
    now = services.now()
    until = now + timedelta(seconds=seconds)
    chat_id, _ = _where(update)
    services.store.chats.mute(chat_id, selector, until, _who(update), now)
    what = "all alerts" if selector == ALL else describe(selector, book=services.rules().book)
    shown = format_time(until, services.store.chats.settings(chat_id).timezone)
    await _reply(update, f"🔕 Muted {what} here for {format_duration(seconds)} (until "
                         f"{shown}). Muted alerts are recorded, not sent.")


async def unmute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    args = list(context.args or [])
    chat_id, _ = _where(update)
    muted = [m.selector for m in services.store.chats.active_mutes(services.now(), chat_id)]
    selector = unsubscribe_selector(args[0], services.rules(), muted) if args else ALL   # `conflict`: tag:conflict
    removed = services.store.chats.unmute(chat_id, selector)
    await _reply(update, "🔔 Unmuted." if removed else "Nothing was muted here.")


def _muted_what(selector: str, book: RegionBook) -> str:
    """A mute as listed: its selector, and for a region's the region's name (`region:us-ga (Georgia, United
    States)`), since the key alone may not say which Georgia."""
    if selector == ALL:
        return "all alerts"
    if selector.startswith(REGION_PREFIX):
        return f"{html.escape(selector)} ({html.escape(region_label(selector.removeprefix(REGION_PREFIX), book))})"
    if selector.startswith(INCIDENT_MUTE):
        return f"{html.escape(selector)} (that incident's updates, by its 🔕 button)"
    return html.escape(selector)


async def mutes_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = _services(context)
    chat_id, _ = _where(update)
    active = services.store.chats.active_mutes(services.now(), chat_id)
    if not active:
        await _reply(update, "No mutes are active in this chat.")
        return
    zone = services.store.chats.settings(chat_id).timezone
    book = services.rules().book
    lines = [f"• {_muted_what(m.selector, book)} until {format_time(m.until, zone)}"
             f"{' (by ' + html.escape(m.created_by) + ')' if m.created_by else ''}" for m in active]
    await _reply(update, "<b>Active mutes</b>\n" + "\n".join(lines))


async def events_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The last day's events, then the trend alerts decided in that time, in the chat's timezone."""
    from bot.trends.alerts import TREND_SOURCE
    from bot.trends.listing import trend_record

    services = _services(context)
    chat_id, _ = _where(update)
    since = services.now() - timedelta(hours=24)
    events = services.store.events.recent(since)
    trends = [trend_record(alert) for alert in services.store.alerts.sent_from_source(TREND_SOURCE, since)]
    store = services.store

    def here(event: Event) -> str:   # "alerted" only where this chat was sent it (not held for its quiet hours)
        return status_here(event, [(r.status, r.last_error) for r in store.events.deliveries(event.id, chat_id)])

    text = events_html(events, store.chats.settings(chat_id).timezone, trends=trends, here=here)
    for part in split_html(text):   # a busy day with trend alerts outgrows one message
        await _reply(update, part)


async def why_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Why this chat did (not) get an incident: the routing stages and what delivery did (bot/why.py)."""
    from bot.why import explain_delivery

    services = _services(context)
    chat_id, _ = _where(update)
    args = list(context.args or [])
    if len(args) != 1:
        await _reply(update, "Usage: /why &lt;incident id&gt; (the ids are in /events)")
        return
    text, _found = explain_delivery(services.store, args[0], chat_id, services.now(), services.oncall())
    await _reply(update, f"<pre>{html.escape(text)}</pre>")


async def feedback_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """This chat's "not relevant" judgements, or (`/feedback <id>`) the words that made one's rule fire."""
    from bot.feedback.explain import explain_judgement
    from bot.feedback.listing import feedback_html

    services = _services(context)
    chat_id, _ = _where(update)
    args = list(context.args or [])
    if not args:
        judgements = services.store.feedback.judgements(chat_id=chat_id)
        await _reply(update, feedback_html(judgements, services.store.chats.settings(chat_id).timezone))
        return
    number = parse_count(args[0], 1, MAX_SQL_INTEGER)
    judgement = None
    if len(args) == 1 and number is not None:
        judgement = services.store.feedback.get(number)
    if judgement is None or judgement.judge.chat_id != chat_id:   # another chat's judgement is not shown here
        await _reply(update, "Usage: /feedback [id], with an id this chat's /feedback lists.")
        return
    others = services.store.feedback.judgements(rule_id=judgement.rule_id)
    text = explain_judgement(judgement, services.rules(), others)
    await _reply(update, f"<pre>{html.escape(text)}</pre>")


HANDLERS: list[tuple[str, Handler, bool]] = [
    ("start", start, False), ("help", help_command, False), ("rules", rules_command, False),
    ("subscribe", subscribe, False), ("unsubscribe", unsubscribe, False), ("subscriptions", subscriptions, False),
    ("check", check, False), ("status", status, False),
    ("mute", mute, False), ("unmute", unmute, False), ("mutes", mutes_command, False),
    ("events", events_command, False), ("why", why_command, False), ("feedback", feedback_command, False),
    ("settings", settings_command, False), ("timezone", timezone_command, False), ("quiet", quiet_command, False),
    ("digest", digest_command, False), ("silent", silent_command, False),
    ("sources", sources_command, True), ("reload", reload_command, True),
]

# New messages and channel posts; not edits, or correcting a typo in an old "/subscribe" would run it again.
# (CommandHandler's default, UpdateType.MESSAGES, takes edited messages and no channel posts.)
COMMAND_UPDATES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


def register(application: Application[Any, Any, Any, Any, Any, Any], services: ChatServices) -> None:
    """Attach the handlers (each behind the allowlist and admin checks) and the services they use."""
    application.bot_data["services"] = services
    for name, handler, admin_only in HANDLERS:
        application.add_handler(CommandHandler(name, guarded(handler, admin_only=admin_only),
                                               filters=COMMAND_UPDATES))
    from bot.telegram.buttons import button_handlers  # (buttons.py uses this module's helpers)

    application.add_handlers(button_handlers())
    application.add_error_handler(handler_failed)


def bot_commands() -> list[BotCommand]:
    """The menu Telegram shows (setMyCommands)."""
    return [BotCommand(name, short) for name, short, _ in COMMANDS]
