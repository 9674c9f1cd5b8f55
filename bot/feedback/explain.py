"""Why a judged alert fired, in words an operator can act on, and an exception they might add.

The explanation names the words the rule fired on (from the alert's own evidence, as it was sent)
and whether the rules loaded now still fire on that article. The suggested exception is a
`not: {terms: [...]}` made of words of the judged article that the rule did not fire on, preferring
words other judged articles of the same rule share: a hint shown to a person, never written anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.engine import RuleSet
from bot.feedback import Judgement
from bot.models import Evidence

MAX_SUGGESTED = 3
MIN_WORD = 4
MAX_SNIPPET = 120
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Words that say nothing about what an article is about, in the languages rules are written in most.
_COMMON = frozenset("""
about after again against also among amid another around because been before being between both could
during each even from have having here into just more most much near news only other over reported reports
said says since some such than that their them then there these they this those through under until upon
very were what when where which while will with within without would year years today yesterday people
""".split())


def explain_judgement(judgement: Judgement, ruleset: RuleSet | None = None,
                      others: Sequence[Judgement] = ()) -> str:
    """Plain text: who judged what, the words the rule fired on, whether it still fires, a suggested `not`."""
    j, a = judgement, judgement.article
    state = "not relevant" if j.active else f"not relevant, then withdrawn by {j.withdrawn_by or '?'}"
    lines = [f"judgement {j.id}: {state} (chat {j.judge.chat_id}, by {j.judge.name}, "
             f"{j.judged_at:%Y-%m-%d %H:%M} UTC)",
             f"rule: {j.rule_id} ({j.rule_title})",
             f"article: {a.title}" + (f" <{a.url}>" if a.url else "") + f" [{a.source}]",
             "the rule fired on:"]
    lines.extend(_evidence_lines(j.evidence) or ["  (the alert recorded no words: it fired on regions or facts)"])
    if ruleset is not None:
        lines.extend(_now(j, ruleset))
    suggestion = suggest_exception(j, others)
    if suggestion:
        terms = ", ".join(suggestion)
        lines += ["suggested exception (shown only, never applied): beside the rule's conditions, under `all:`",
                  f"  - not: {{terms: [{terms}]}}",
                  "  then measure it: beacon rules eval --feedback (and beacon backtest --compare)"]
    return "\n".join(lines)


def _evidence_lines(evidence: Sequence[Evidence]) -> list[str]:
    lines = []
    for e in evidence:
        where = f" in the {e.field}" if e.field else ""
        snippet = f": “{_short(e.snippet)}”" if e.snippet else ""
        lines.append(f"  {e.kind} {e.value!r}{where}{snippet}")
    return lines


def _now(judgement: Judgement, ruleset: RuleSet) -> list[str]:
    """What the rules loaded now make of the judged article."""
    if ruleset.get(judgement.rule_id) is None:
        return [f"now: rule {judgement.rule_id} is no longer loaded"]
    match = next((m for m in ruleset.match(judgement.article) if m.rule_id == judgement.rule_id), None)
    if match is None:
        return ["now: the rules loaded now no longer fire on this article (the judgement is answered)"]
    return ["now: the rules loaded now still fire on it, on:", *_evidence_lines(match.evidence)]


def suggest_exception(judgement: Judgement, others: Sequence[Judgement] = ()) -> list[str]:
    """Up to three words of the judged article's title the rule did not fire on, most shared first with the
    other judged articles of the same rule (then in title order); empty when the title offers none."""
    fired = {_fold(word) for value in judgement.fired_on for word in _WORD.findall(value)}
    fired |= {_fold(word) for e in judgement.evidence if e.kind in ("region",) for word in _WORD.findall(e.value)}
    candidates: list[str] = []
    for word in _WORD.findall(judgement.article.title):
        folded = _fold(word)
        if len(folded) < MIN_WORD or folded in _COMMON or folded in candidates:
            continue
        if any(folded.startswith(f) or f.startswith(folded) for f in fired):
            continue
        candidates.append(folded)
    peers = [_words(o.article.title + " " + o.article.text) for o in others
             if o.id != judgement.id and o.rule_id == judgement.rule_id and o.active]
    shared = {word: sum(word in words for words in peers) for word in candidates}
    ranked = sorted(candidates, key=lambda word: (-shared[word], candidates.index(word)))
    return ranked[:MAX_SUGGESTED]


def _fold(word: str) -> str:
    return word.casefold().replace("’", "'")


def _words(text: str) -> set[str]:
    return {_fold(w) for w in _WORD.findall(text)}


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SNIPPET else text[:MAX_SNIPPET - 1] + "…"
