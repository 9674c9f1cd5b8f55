"""Matches -> a short human explanation (for `/check` in Telegram and people reading logs)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from bot.models import Match

MAX_EVIDENCE = 6


def explain_html(matches: Sequence[Match], *, facts: Mapping[str, object] | None = None) -> str:
    """Telegram HTML: each rule that matched, with what matched where, the regions and the facts."""
    if not matches:
        lines = ["No rule matches this text."]
        if facts:
            lines.append("Facts read: " + _facts(facts))
        return "\n".join(lines)
    out = []
    for match in matches:
        out.append(f"<b>{html.escape(match.rule_title)}</b> (<code>{html.escape(match.rule_id)}</code>, "
                   f"{match.severity.label})")
        for evidence in match.evidence[:MAX_EVIDENCE]:
            where = f" in {evidence.field}" if evidence.field else ""
            line = f"• {evidence.kind} <i>{html.escape(evidence.value)}</i>{where}"
            if evidence.snippet:
                line += f": “{html.escape(evidence.snippet)}”"
            out.append(line)
        if len(match.evidence) > MAX_EVIDENCE:
            out.append(f"• … and {len(match.evidence) - MAX_EVIDENCE} more")
        if match.regions:
            out.append("📍 " + html.escape(", ".join(match.regions)))
        if match.facts:
            out.append("Facts: " + _facts(dict(match.facts)))
        out.append("")
    return "\n".join(out).strip()


def _facts(facts: Mapping[str, object]) -> str:
    return html.escape(", ".join(f"{name.replace('_', ' ')} {value}" for name, value in facts.items()))
