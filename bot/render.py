"""Alert -> Telegram-ready message parts.

Templates run in Jinja's immutable sandbox with StrictUndefined and HTML autoescaping, so
a feed cannot inject markup and a template typo fails loudly; `bot/sandbox.py` adds a
budget on the work and memory of one render. Templates see the alert with every free-text
field capped (`bot/bounds.py`). The result is reduced to the tags Telegram accepts (`<p>`
earns a 400), split into parts of at most 4,096 characters with tags balanced in every
part, and cut to at most `max_parts` parts (`bot/telegram/markup.py`, which knows Telegram's HTML).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2

from bot import holds
from bot.bounds import (
    DEFAULT_MAX_PARTS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    bounded_fields,
    clip,
    clip_filter,
    clip_lines,
)
from bot.durations import format_duration
from bot.enums import AlertKind, EventStatus, NotifyKind, UpdateKind
from bot.errors import Problem, TemplateError
from bot.events import event_summary
from bot.models import Alert, Article, Event, EventUpdate, Evidence, Match, Message, Severity
from bot.sandbox import BoundedSandbox, render_bounded
from bot.telegram.markup import limit_parts, telegram_html, visible_text

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE = "default.html.j2"
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html")
PUBLISHED_APART = 1800.0       # seconds between publication and arrival past which an update says both

SEVERITY_ICONS = {Severity.INFO: "ℹ️", Severity.LOW: "🔹", Severity.MEDIUM: "🔶", Severity.HIGH: "🔴",
                  Severity.CRITICAL: "🚨"}



def format_time(value: Any, timezone: str | None = None, fmt: str | None = None) -> str:
    """A time for people: in the chat's timezone when it set one (`/timezone`), else in UTC."""
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return text
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    zone = holds.zone(timezone)
    local = value.astimezone(zone)
    return local.strftime(fmt or ("%Y-%m-%d %H:%M " + (local.tzname() or "UTC")))


@jinja2.pass_context
def _datetime_filter(context: Any, value: Any, fmt: str | None = None) -> str:
    return format_time(value, context.get("timezone"), fmt)


@dataclass(frozen=True)
class View:
    """What, besides the alert, shapes its message in one chat: its event now, who acknowledged it,
    the chat's timezone and the severity below which messages arrive silently."""

    event: Event | None = None
    acknowledged: tuple[str, datetime] | None = None
    timezone: str | None = None
    silent_below: Severity = Severity.MEDIUM
    titles: tuple[str, ...] = ()   # the incident's rules this chat subscribed to (bot/routing.py); () the alert's
    judged: bool = False           # this chat judged it not relevant: its button offers the undo (bot/feedback/)


def rule_title(alert: Alert, view: View | None) -> str:
    """The title a chat sees: the titles of the incident's rules it subscribed to, or the alert's rule's."""
    if view is not None and view.titles:
        return " / ".join(view.titles)
    return alert.match.rule_title


def make_environment(templates_dir: Path | None) -> BoundedSandbox:
    loader = jinja2.FileSystemLoader(str(templates_dir)) if templates_dir else None
    env = BoundedSandbox(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
    )
    env.filters["datetime"] = _datetime_filter
    env.filters["clip"] = clip_filter
    env.filters["figure"] = figure_filter
    env.wrap_all_filters()
    return env


def figure_filter(value: Any) -> Any:
    """Jinja's `figure`: a whole number with thousands separators ("4,500" soldiers, as the text wrote it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


def template_names(templates_dir: Path) -> list[str]:
    """Names a rule may give as `template:`."""
    if not templates_dir.is_dir():
        return []
    return sorted(str(p.relative_to(templates_dir)) for p in templates_dir.rglob("*")
                  if p.is_file() and p.suffix in TEMPLATE_SUFFIXES)


def alert_context(alert: Alert, possible_repeat: bool = False, view: View | None = None) -> dict[str, Any]:
    """What a template sees; every string is escaped on output by autoescaping.

    For an event's message, `facts`, `regions` and `severity` are the event's as it stands now
    (merged across its reports), and `event` holds its sources and updates. Strings and lists
    are capped (`bot/bounds.py`), so a template that prints a field whole stays bounded.
    """
    a, m = alert.article, alert.match
    view = view or View()
    event = view.event
    severity = event.severity if event else m.severity
    article = {"title": a.title, "text": a.text, "url": a.url, "source": a.source,
               "published": a.published, "language": a.language or m.language, "id": a.id,
               "claimed_published": a.claimed_published}
    if event is not None and "text" in event.headline and (event.headline.get("title"), event.headline.get("url")) \
            != (a.title, a.url):
        # the report the incident leads with now (bot/events/folding.py: the newest that changed what it says)
        lead = event.headline
        published, claimed = lead.get("published"), lead.get("claimed_published")
        article = {**article, "title": str(lead.get("title") or a.title), "text": str(lead.get("text") or ""),
                   "url": lead.get("url"), "source": str(lead.get("source") or a.source),
                   "published": datetime.fromisoformat(published) if isinstance(published, str) else None,
                   "claimed_published": datetime.fromisoformat(claimed) if isinstance(claimed, str) else None,
                   "id": lead.get("id")}
    fields: dict[str, Any] = bounded_fields({
        "rule": {"id": m.rule_id, "title": rule_title(alert, view), "severity": m.severity.label,
                 "tags": list(m.tags)},
        "article": article,
        "severity": severity.label,
        "severity_icon": SEVERITY_ICONS[severity],
        "facts": dict(event.facts if event else m.facts),
        "regions": list(event.regions if event else m.regions),
        "mentioned": list(m.mentioned),   # places named that are not where the event happened
        "evidence": [e.as_dict() for e in m.evidence],
        "possible_repeat": possible_repeat,
        "created_at": alert.created_at,
        "event": event_summary(event) if event else None,
        "timezone": view.timezone,
    })
    return fields


def sample_alert() -> Alert:
    """Realistic data to render every template against at load time (catches typos early)."""
    article = Article(source="sample-wire", title="Gunmen ambush police patrol near Banjska",
                      text="One officer was killed and three attackers died in a later shoot-out.",
                      url="https://news.example/banjska", guid="sample-1",
                      published=datetime(2023, 9, 24, 6, 0, tzinfo=UTC), language="en")
    match = Match("sample-rule", "Sample rule", Severity.HIGH, ("conflict",), ("Kosovo",),
                  {"killed": 4}, (Evidence("term", "shoot-out", "text", "…a later shoot-out."),))
    return Alert(article, match, datetime(2023, 9, 24, 6, 5, tzinfo=UTC), 1)


def sample_event() -> Event:
    """An event with an update, so templates that show `event` are checked at load time too."""
    at = datetime(2023, 9, 24, 6, 5, tzinfo=UTC)
    return Event("ev-sample", "sample-rule", "Sample rule", "rule=sample-rule|region=Kosovo", EventStatus.OPEN,
                 Severity.HIGH,
                 at, at, {"title": "Gunmen ambush police patrol near Banjska", "url": "https://news.example/banjska",
                          "source": "sample-wire", "published": at.isoformat()},
                 {"killed": 4}, ("Kosovo",), ("sample-wire", "other-wire"), 2,
                 updates=(EventUpdate(at, UpdateKind.UPDATE, ("death toll now 4, was 1",), "other-wire",
                                      "Toll rises"),),
                 alert_id=1)


@dataclass
class Renderer:
    """Renders alerts with the operator's templates, falling back to a built-in message."""

    templates_dir: Path | None
    max_parts: int = DEFAULT_MAX_PARTS   # messages one alert may take (`delivery.max_parts_per_alert`)

    def __post_init__(self) -> None:
        self.env = make_environment(self.templates_dir)

    def check(self, names: Iterable[str] | None = None) -> None:
        """Render every template against sample data; TemplateError lists what fails."""
        if self.templates_dir is None:
            return
        names = list(names) if names is not None else template_names(self.templates_dir)
        problems = []
        for name in names:
            try:
                self._render_template(name, alert_context(sample_alert()))
                self._render_template(name, alert_context(sample_alert(), view=View(event=sample_event())))
            except jinja2.TemplateSyntaxError as exc:
                problems.append(Problem(self.templates_dir / name, exc.lineno, None, f"template syntax: {exc.message}"))
            except jinja2.TemplateNotFound:
                problems.append(Problem(self.templates_dir / name, None, None, "template not found"))
            except Exception as exc:
                problems.append(Problem(self.templates_dir / name, _template_line(exc), None,
                                        f"does not render: {type(exc).__name__}: {exc}"))
        if problems:
            raise TemplateError(problems)

    def render(self, alert: Alert, *, possible_repeat: bool = False, view: View | None = None) -> list[Message]:
        """Telegram-ready parts; never raises: a failing template falls back to a plain message."""
        view = view or View()
        if alert.kind == AlertKind.ESCALATION:
            return [escalation_message(alert)]
        if alert.kind in (AlertKind.NOTICE, AlertKind.DIGEST):
            title = "Beacon" if alert.kind == AlertKind.NOTICE else clip(alert.article.title, MAX_TITLE_CHARS)
            header = ("⚙️" if alert.kind == AlertKind.NOTICE else "🗞") + f" <b>{html.escape(title)}</b>\n"
            body = header + html.escape(clip_lines(alert.article.text), quote=False)
            silent = alert.kind == AlertKind.DIGEST and alert.match.severity < view.silent_below
            return [Message(part, "HTML", disable_notification=silent)
                    for part in limit_parts(body, self.max_parts, link=None)]
        name = alert.match.template or DEFAULT_TEMPLATE
        event = view.event
        severity = event.severity if event else alert.match.severity
        try:
            if self.templates_dir is None or not (self.templates_dir / name).is_file():
                raise jinja2.TemplateNotFound(name)
            body = self._render_template(name, alert_context(alert, possible_repeat, view))
            body = telegram_html(body)
            if not visible_text(body).strip():
                raise ValueError("template produced an empty message")
        except Exception as exc:
            log.error("template %s failed for rule %s: %s: %s; using the built-in message",
                      name, alert.rule_id, type(exc).__name__, exc)
            body = fallback_html(alert, possible_repeat, view)
        tail = acknowledgement_note(*view.acknowledged) if view.acknowledged is not None else ""
        parts = limit_parts(body, self.max_parts, link=alert.article.url, tail=tail)
        alert_id = event.alert_id if event is not None and event.alert_id else alert.id
        return [Message(text=part, parse_mode="HTML", disable_notification=severity < view.silent_below,
                        link=alert.article.url, alert_id=alert_id, rule_id=alert.rule_id,
                        buttons=i == len(parts) - 1, acknowledged=view.acknowledged is not None,
                        judged=view.judged,
                        event_id=event.id if event is not None else None)
                for i, part in enumerate(parts)]

    def render_update(self, alert: Alert, view: View) -> Message:
        """The short threaded reply under an event's message: what changed, and how many sources now."""
        update, event = alert.update, view.event
        kind = update.kind if update else UpdateKind.UPDATE
        icon, label = ("🔻", "De-escalation") if kind == UpdateKind.DEESCALATION else ("🔺", "Update")
        changes = " · ".join(html.escape(c, quote=False) for c in (update.changes if update else ()))
        count = len(event.sources) if event else 1
        report = f"{clip(alert.article.source)}: {clip(alert.article.title, MAX_TITLE_CHARS)}"
        lines = [f"{icon} <b>{label}</b> · {html.escape(rule_title(alert, view), quote=False)}",
                 f"{changes} · {count} source{'s' if count != 1 else ''}",
                 f"<i>{html.escape(report, quote=False)}</i>"]
        published = update.published if update else None
        if published is not None and abs((alert.created_at - published).total_seconds()) > PUBLISHED_APART:
            # an older report arriving late (a slow feed, a backfill) says when it was published
            lines.append(f"<i>published {format_time(published, view.timezone, '%d %b %H:%M')}, arrived "
                         f"{format_time(alert.created_at, view.timezone, '%d %b %H:%M')}</i>")
        url = alert.article.url
        if url and url.startswith(("http://", "https://")):
            lines.append(f'<a href="{html.escape(url)}">Read the report</a>')
        severity = event.severity if event else alert.match.severity
        return Message("\n".join(lines), "HTML", disable_notification=severity < view.silent_below,
                       event_id=event.id if event is not None else None)

    def _render_template(self, name: str, context: dict[str, Any]) -> str:
        return render_bounded(self.env, name, context)


def _template_line(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith((".j2", ".jinja", ".jinja2", ".html")):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def acknowledgement_note(user: str, at: datetime) -> str:
    """The line an acknowledged alert carries (the Acknowledge button writes the same one)."""
    return f"\n\n✅ Acknowledged by {html.escape(user)} at {at.astimezone(UTC):%H:%M} UTC"


def escalation_message(alert: Alert) -> Message:
    """An on-call escalation message (bot/escalation.py): short, built in, always with sound.

    It carries the escalated alert's Acknowledge button, so it can be acknowledged where it
    arrives; the note that someone acknowledged elsewhere carries none.
    """
    facts, m = alert.match.facts, alert.match
    kind = facts.get("notify")
    seconds = float(facts.get("waited", 0))
    waited = format_duration(round(seconds / 60) * 60 if seconds >= 60 else seconds)   # "10m", not "10m2s"
    if kind == NotifyKind.ACKNOWLEDGED:
        at = datetime.fromisoformat(facts["at"])
        first = f"✅ Acknowledged by {html.escape(str(facts['by']))} at {at.astimezone(UTC):%H:%M} UTC"
    elif kind == NotifyKind.MENTION:
        people = " ".join(_mention_html(who) for who in facts.get("mention", ()))
        first = f"⏰ {people}: <b>not acknowledged after {waited}</b>"
    else:
        first = f"⏰ <b>Not acknowledged after {waited}</b> — re-sending"
    lines = [first, f"{SEVERITY_ICONS[m.severity]} {html.escape(m.rule_title, quote=False)} · {m.severity.label}",
             f"<b>{html.escape(clip(alert.article.title, MAX_TITLE_CHARS), quote=False)}</b>"]
    return Message("\n".join(lines), "HTML", link=alert.article.url, alert_id=facts.get("alert_id"),
                   buttons=kind != NotifyKind.ACKNOWLEDGED)


def _mention_html(who: int | str) -> str:
    """A user name mentions by itself; a numeric id needs a tg://user link (Telegram notifies that user)."""
    if isinstance(who, str):
        return html.escape(who)
    return f'<a href="tg://user?id={int(who)}">user {int(who)}</a>'


def fallback_html(alert: Alert, possible_repeat: bool = False, view: View | None = None) -> str:
    """The built-in message used when a template fails: plain facts, all escaped, every field clipped."""
    a, m = alert.article, alert.match
    event = view.event if view else None
    severity = event.severity if event else m.severity
    facts = event.facts if event else m.facts
    title = html.escape(rule_title(alert, view), quote=False)
    lines = [f"{SEVERITY_ICONS[severity]} <b>{title}</b> · {severity.label}"]
    if possible_repeat:
        lines[0] += " · <i>possible repeat</i>"
    lines.append(f"<b>{html.escape(clip(a.title, MAX_TITLE_CHARS), quote=False)}</b>")
    if facts:
        lines.append(clip(" · ".join(f"{html.escape(clip(k))}: {html.escape(clip(v))}" for k, v in facts.items()),
                          MAX_TEXT_CHARS))
    if event and len(event.sources) > 1:
        lines.append(f"📰 {len(event.sources)} sources: " + html.escape(clip(", ".join(event.sources)), quote=False))
    if a.text:
        lines.append(html.escape(clip(a.text, 500), quote=False))
    lines.append(f"<i>{html.escape(clip(a.source), quote=False)}</i>")
    if a.url and a.url.startswith(("http://", "https://")):
        lines.append(f'<a href="{html.escape(a.url)}">Read the article</a>')
    return "\n".join(lines)
