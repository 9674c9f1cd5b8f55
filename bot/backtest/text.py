"""The backtest's plain-text output: totals, per rule, per region, per day, busiest chats, and the comparison."""

from __future__ import annotations

import unicodedata

from bot.backtest.compare import CHANGE_LABELS, Comparison
from bot.backtest.results import Decision, Replay

TOP_REGIONS = 15
TOP_CHATS = 10
LISTED = 20   # articles listed per rule and direction in a comparison; the JSON and the report have all


def _day(replay: Replay) -> str:
    if replay.first is None or replay.last is None:
        return "no dated articles"
    return f"{replay.first:%Y-%m-%d %H:%M} to {replay.last:%Y-%m-%d %H:%M} UTC"


def format_replay(replay: Replay) -> str:
    """What would have been sent, as a few tables."""
    out: list[str] = []
    out.append(f"backtest of {replay.input} with the rules in {replay.rules}")
    out.append(f"  {replay.articles:,} articles, {_day(replay)}; {replay.duplicates:,} repeats skipped as seen, "
               f"{replay.undated:,} undated (replayed last), {replay.truncated:,} cut to the length caps, "
               f"{len(replay.problems):,} bad lines or files skipped; {replay.seconds:.1f} s")
    if replay.note:
        out.append(f"  note: {replay.note}")
    per_rule = replay.per_rule()
    totals = {name: sum(getattr(c, name) for c in per_rule.values())
              for name in ("alerts", "incidents", "updates", "edits", "suppressed", "held_then_sent")}
    out.append(f"  would have sent {totals['alerts']:,} alerts about {totals['incidents']:,} incidents, "
               f"{totals['updates']:,} updates and {totals['edits']:,} edits; {totals['suppressed']:,} suppressed"
               + (f"; {totals['held_then_sent']:,} held for more sources, then sent" if totals["held_then_sent"]
                  else ""))
    reasons = replay.suppressed_reasons()
    if reasons:
        out.append("  suppressed: " + ", ".join(f"{kind} {count:,}" for kind, count in reasons.most_common()))
    out.append("")
    out.append(f"{'rule':<28}{'matches':>9}{'alerts':>8}{'incidents':>11}{'updates':>9}{'edits':>7}"
               f"{'suppressed':>12}")
    for rule_id, c in per_rule.items():
        out.append(f"{rule_id:<28}{c.matches:>9,}{c.alerts:>8,}{c.incidents:>11,}{c.updates:>9,}{c.edits:>7,}"
                   f"{c.suppressed:>12,}")
    regions = replay.per_region()
    if regions:
        out.append("")
        out.append(f"{'region (alerts)':<36}{'alerts':>8}")
        for region, count in regions.most_common(TOP_REGIONS):
            out.append(f"{printable(region)[:35]:<36}{count:>8,}")
        if len(regions) > TOP_REGIONS:
            out.append(f"... and {len(regions) - TOP_REGIONS:,} more regions")
    days = replay.per_day()
    if days:
        rule_ids = list(per_rule)
        out.append("")
        out.append(f"{'day (alerts)':<12}" + "".join(f"{rule_id[:18]:>20}" for rule_id in rule_ids) + f"{'all':>8}")
        for day, rules in days.items():
            out.append(f"{day:<12}" + "".join(f"{rules.get(r, 0):>20,}" for r in rule_ids)
                       + f"{sum(rules.values()):>8,}")
    out.append("")
    out.append(f"busiest chats ({replay.audience}):")
    chats = replay.busiest_chats(TOP_CHATS)
    if not chats:
        out.append("  none would have received anything")
    for name, counts in chats:
        out.append(f"  {name:<34}{counts.messages:>7,} messages ({counts.alerts:,} alerts, {counts.updates:,} "
                   f"updates), {counts.edits:,} edits")
    for problem in replay.problems[:LISTED]:
        out.append(f"skipped: {printable(problem)}")
    if len(replay.problems) > LISTED:
        out.append(f"skipped: ... and {len(replay.problems) - LISTED:,} more")
    return "\n".join(out) + "\n"


def printable(text: str) -> str:
    """Article text as one line with no control characters: a title may carry terminal escape sequences."""
    return " ".join("".join(c if unicodedata.category(c)[0] != "C" else " " for c in text).split())


def _article(decision: Decision, other_rule: str | None = None, sign: str = "") -> str:
    when = f"{decision.published:%Y-%m-%d %H:%M}" if decision.published else "undated"
    title = printable(decision.title)[:100]
    moved = ""
    if other_rule is not None:
        moved = f"  (now under {other_rule})" if sign == "-" else f"  (was under {other_rule})"
    return f"    {when}  {printable(decision.source)[:20]:<20} {title}{moved}"


def format_comparison(comparison: Comparison) -> str:
    """Per rule: the articles that alert only with the other rules (+) or only with the current ones (-)."""
    out = ["", f"compared with the rules in {comparison.after.rules}:"]
    if comparison.unchanged:
        out.append("  the same alerts, article by article")
    for change in comparison.changes:
        label = CHANGE_LABELS.get(change.status, "")
        out.append(f"  {change.rule_id}{label}: {change.alerts_before:,} -> {change.alerts_after:,} alerting "
                   f"articles, +{len(change.added):,} -{len(change.removed):,}")
        for sign, decisions in (("+", change.added), ("-", change.removed)):
            for decision in decisions[:LISTED]:
                out.append(f"  {sign}{_article(decision, change.moved.get(decision.article_key), sign)[3:]}")
            if len(decisions) > LISTED:
                out.append(f"  {sign}   ... and {len(decisions) - LISTED:,} more")
    return "\n".join(out) + "\n"
