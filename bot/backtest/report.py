"""`--report FILE.html`: one self-contained page a person opens instead of reading numbers.

No script, stylesheet, font or image is fetched: the style is inline and the plots are SVG drawn
by `bot.backtest.plots`. Article titles, sources, URLs, rule ids and region names are hostile
input: every one goes through `html.escape`, and a link is made only of an http(s) URL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path

from bot.backtest.compare import CHANGE_LABELS, Comparison
from bot.backtest.plots import bar_chart, line_chart
from bot.backtest.results import NEW, UPDATE, Decision, Replay
from bot.errors import BeaconError

TOP_REGIONS = 20
TOP_CHATS = 20
LISTED_ALERTS = 1000   # alerts and updates listed at the end of the page (all are in --format json)

STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.added { color: #1a7f37; } .removed { color: #b42318; } .note { color: #555; font-size: 0.9em; }
"""


def _link(decision: Decision) -> str:
    title = escape(decision.title)
    url = decision.url or ""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url, quote=True)}" rel="noopener noreferrer">{title}</a>'
    return title


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "undated"


def _table(head: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    out = ["<table><tr>" + "".join(f'<th{" class=n" if i in numeric else ""}>{escape(h)}</th>'
                                   for i, h in enumerate(head)) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f'<td{" class=n" if i in numeric else ""}>{cell}</td>'
                                    for i, cell in enumerate(row)) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _summary(replay: Replay) -> str:
    per_rule = replay.per_rule()
    alerts = sum(c.alerts for c in per_rule.values())
    incidents = sum(c.incidents for c in per_rule.values())
    updates = sum(c.updates for c in per_rule.values())
    edits = sum(c.edits for c in per_rule.values())
    suppressed = sum(c.suppressed for c in per_rule.values())
    span = f"{_when(replay.first)} to {_when(replay.last)} UTC" if replay.first else "no dated articles"
    parts = [f"<p><strong>{alerts:,}</strong> alerts about <strong>{incidents:,}</strong> incidents, "
             f"{updates:,} updates and {edits:,} edits would have been sent; {suppressed:,} suppressed.</p>",
             f"<p class=note>{replay.articles:,} articles from {escape(replay.input)}, {span}; "
             f"rules in {escape(replay.rules)}; {replay.duplicates:,} repeats skipped as seen, "
             f"{replay.undated:,} undated (replayed last), {replay.truncated:,} cut to the length caps, "
             f"{len(replay.problems):,} bad lines or files skipped.</p>"]
    if replay.note:
        parts.append(f"<p class=note>Note: {escape(replay.note)}</p>")
    reasons = replay.suppressed_reasons()
    if reasons:
        parts.append("<p class=note>Suppressed: " + ", ".join(f"{escape(k)} {v:,}" for k, v in reasons.most_common())
                     + "</p>")
    rows = [[escape(rule_id), f"{c.matches:,}", f"{c.alerts:,}", f"{c.incidents:,}", f"{c.updates:,}",
             f"{c.edits:,}", f"{c.suppressed:,}", f"{c.held_then_sent:,}"] for rule_id, c in per_rule.items()]
    parts.append(_table(["rule", "matches", "alerts", "incidents", "updates", "edits", "suppressed",
                         "held, then sent"], rows, {1, 2, 3, 4, 5, 6, 7}))
    return "".join(parts)


def _plots(replay: Replay) -> str:
    days = replay.per_day()
    labels = list(days)
    rule_ids = list(replay.per_rule())
    series = {rule_id: [days[day].get(rule_id, 0) for day in labels] for rule_id in rule_ids}
    regions = replay.per_region().most_common(TOP_REGIONS)
    parts = ["<h2>Alerts over time</h2>", line_chart(labels, series, title="New alerts per day (UTC), per rule"),
             "<h2>Top regions</h2>", bar_chart(regions, title=f"New alerts by region (top {TOP_REGIONS})")]
    day_rows = [[escape(day)] + [f"{counts.get(r, 0):,}" for r in rule_ids] + [f"{sum(counts.values()):,}"]
                for day, counts in days.items()]
    parts.append("<details><summary>Alerts per day, as a table</summary>"
                 + _table(["day", *rule_ids, "all"], day_rows, set(range(1, len(rule_ids) + 2))) + "</details>")
    return "".join(parts)


def _chats(replay: Replay) -> str:
    rows = [[escape(name), f"{c.messages:,}", f"{c.alerts:,}", f"{c.updates:,}", f"{c.edits:,}"]
            for name, c in replay.busiest_chats(TOP_CHATS)]
    return (f"<h2>Busiest chats</h2><p class=note>{escape(replay.audience)}</p>"
            + _table(["chat", "messages", "alerts", "updates", "edits"], rows, {1, 2, 3, 4}))


def _comparison(comparison: Comparison) -> str:
    parts = [f"<h2>Compared with the rules in {escape(comparison.after.rules)}</h2>"]
    if comparison.unchanged:
        parts.append("<p>The same alerts, article by article.</p>")
    for change in comparison.changes:
        label = CHANGE_LABELS.get(change.status, "")
        parts.append(f"<h3>{escape(change.rule_id)}{escape(label)}: {change.alerts_before:,} → "
                     f"{change.alerts_after:,} alerting articles, "
                     f"<span class=added>+{len(change.added):,}</span> "
                     f"<span class=removed>−{len(change.removed):,}</span></h3>")
        rows = [[f"<span class={kind}>{sign}</span>", _when(d.published), escape(d.source), escape(d.region),
                 _link(d), escape(_moved(kind, change.moved.get(d.article_key)))]
                for kind, sign, decisions in (("added", "+", change.added), ("removed", "−", change.removed))
                for d in decisions]
        if rows:
            parts.append(_table(["", "published", "source", "region", "article", "other rule"], rows))
    return "".join(parts)


def _moved(kind: str, other_rule: str | None) -> str:
    if other_rule is None:
        return ""
    if kind == "removed":
        return f"now under {other_rule}"
    return f"was under {other_rule}"


def _alert_list(replay: Replay) -> str:
    sent = [d for d in replay.decisions if d.action in (NEW, UPDATE)]
    shown = sent[-LISTED_ALERTS:]
    rows = [[_when(d.at), escape(d.action), escape(d.rule_id), escape(d.region), escape(d.source), _link(d)]
            for d in shown]
    more = f" (the last {len(shown):,} of {len(sent):,})" if len(shown) < len(sent) else ""
    return (f"<h2>Alerts and updates{more}</h2><details><summary>{len(shown):,} messages</summary>"
            + _table(["sent at", "what", "rule", "region", "source", "article"], rows) + "</details>")


def _problems(replay: Replay) -> str:
    if not replay.problems:
        return ""
    items = "".join(f"<li>{escape(p)}</li>" for p in replay.problems[:500])
    more = f"<p class=note>... and {len(replay.problems) - 500:,} more</p>" if len(replay.problems) > 500 else ""
    return f"<h2>Skipped input</h2><ul>{items}</ul>{more}"


def render_report(replay: Replay, comparison: Comparison | None = None) -> str:
    """The whole page as one string."""
    made = datetime.now(UTC)
    body = [f"<h1>Backtest: what Beacon would have sent</h1><p class=note>Made {made:%Y-%m-%d %H:%M} UTC by "
            "beacon backtest. Nothing was sent.</p>", _summary(replay), _plots(replay), _chats(replay)]
    if comparison is not None:
        body.append(_comparison(comparison))
    body.append(_alert_list(replay))
    body.append(_problems(replay))
    return ("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">'
            f"<title>Beacon backtest</title><style>{STYLE}</style></head><body>" + "".join(body) + "</body></html>\n")


def write_report(path: Path, replay: Replay, comparison: Comparison | None = None) -> None:
    try:
        path.write_text(render_report(replay, comparison), encoding="utf-8")
    except OSError as exc:
        raise BeaconError(f"--report: cannot write {path}: {exc.strerror or exc}") from exc
