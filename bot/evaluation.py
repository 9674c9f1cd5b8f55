"""Precision, recall and fact accuracy of rules against a labeled corpus (`beacon rules eval`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.engine import RuleSet
from bot.errors import BeaconError
from bot.models import Article

FACT_NAMES = ("killed", "wounded", "troops", "troops_change")


@dataclass(frozen=True)
class Labeled:
    id: str
    article: Article
    labels: dict[str, bool]
    facts: dict[str, Any] | None
    judged: bool = False   # judged "not relevant" in a chat (bot/feedback/): a labeled negative from use


@dataclass
class RuleScore:
    rule: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    fact_right: dict[str, int] = field(default_factory=dict)
    fact_total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    judged: int = 0          # articles judged not relevant in a chat, among the negatives
    judged_firing: int = 0   # ... that the rule still fires on (counted in fp too)
    # matches that only update an open incident (the rule's events.update_only: a pull-back): alone they
    # alert nobody, and a pull-back is a build-up's news to one labeller and "not a build-up" to another,
    # so they are kept apart from tp/fp/fn/tn and counted here, with how many were labelled positive
    update_only: int = 0
    update_only_positive: int = 0
    # the same counts for the articles of each language (declared, else detected): a corpus of
    # several languages is judged per language too, since a rule may be good in one and poor in another
    by_language: dict[str, RuleScore] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def read_labeled(path: Path, split: str | None = None) -> list[Labeled]:
    """Labeled articles (the `beacon match` JSON Lines format plus `labels` and `facts`)."""
    from bot.sources.files import json_lines, jsonl_article

    now = datetime.now(UTC)
    items = []
    with path.open("rb") as fh:
        for line in json_lines(fh):
            if line.error is not None:
                raise BeaconError(f"{path}:{line.number}: {line.error}")
            data = line.value
            if not isinstance(data, dict):
                raise BeaconError(f"{path}:{line.number}: a line must be a JSON object, not {type(data).__name__}")
            if split is not None and data.get("split") != split:
                continue
            if not isinstance(data.get("labels"), dict):
                raise BeaconError(f"{path}:{line.number}: missing 'labels' ({{rule-id: true|false}})")
            try:
                article = jsonl_article("corpus", data, now)
            except ValueError as exc:
                raise BeaconError(f"{path}:{line.number}: {exc}") from exc
            items.append(Labeled(str(data.get("id", line.number)), article, data["labels"], data.get("facts"),
                                 judged=isinstance(data.get("feedback"), dict)))
    return items


def evaluate(ruleset: RuleSet, items: Sequence[Labeled]) -> list[RuleScore]:
    """Score every rule that appears in the labels, overall and per language."""
    from bot.engine.language import article_language

    rule_ids = sorted({r for item in items for r in item.labels})
    known = {r.id for r in ruleset.rules}
    scores = {r: RuleScore(r) for r in rule_ids if r in known}
    for item in items:
        matches = {m.rule_id: m for m in ruleset.match(item.article)}
        article = item.article
        language = article_language(article.language, article.title, article.text) or "unknown"
        for rule_id, score in scores.items():
            expected = bool(item.labels.get(rule_id, False))
            match = matches.get(rule_id)
            got = match is not None
            apart = match is not None and match.only_updates
            found: dict[str, Any] | None = None
            if expected and item.facts is not None:
                found = dict(match.facts) if match is not None else _facts_of(ruleset, article)
            part = score.by_language.setdefault(language, RuleScore(rule_id))
            for target in (score, part):
                _count(target, item, expected, got, found, apart)
    return list(scores.values())


def _count(score: RuleScore, item: Labeled, expected: bool, got: bool, found: dict[str, Any] | None,
           apart: bool = False) -> None:
    """Add one article's answer for one rule to a score (`apart`: an update-only match, counted on its own)."""
    if apart:
        score.update_only += 1
        score.update_only_positive += expected
        label = "negative"
        if expected:
            label = "positive"
        score.misses.append(f"update only (labelled {label}) {item.id}: {item.article.title[:80]}")
    elif expected and got:
        score.tp += 1
    elif expected:
        score.fn += 1
        score.misses.append(f"missed {item.id}: {item.article.title[:80]}")
    elif got:
        score.fp += 1
        what = "judged not relevant, still fires" if item.judged else "false alarm"
        score.misses.append(f"{what} {item.id}: {item.article.title[:80]}")
    else:
        score.tn += 1
    if item.judged and not expected:
        score.judged += 1
        score.judged_firing += got
    if found is None or item.facts is None:
        return
    for name in FACT_NAMES:
        if name not in item.facts:
            continue
        score.fact_total[name] = score.fact_total.get(name, 0) + 1
        if found.get(name) == item.facts[name]:
            score.fact_right[name] = score.fact_right.get(name, 0) + 1
        else:
            score.misses.append(f"{name} {item.id}: expected {item.facts[name]}, got {found.get(name)}")


def _facts_of(ruleset: RuleSet, article: Article) -> dict[str, Any]:
    from bot.engine.facts import extract_facts
    from bot.engine.language import article_language

    language = article_language(article.language, article.title, article.text)
    return extract_facts(article.title + "\n" + article.text, language, article.published).as_dict()


def format_report(scores: Iterable[RuleScore], misses: bool = False) -> str:
    """One line per rule; when the corpus holds several languages, one more line per language."""
    scores = list(scores)
    languages = sorted({lang for s in scores for lang in s.by_language})
    lines = [f"{'rule':<28} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}  facts right on positives"]
    for s in scores:
        lines.append(_row(s.rule, s))
        if s.judged:
            lines.append(f"    judged not relevant in chats: {s.judged}, still fired on: {s.judged_firing} "
                         "(counted as false positives)")
        if s.update_only:
            lines.append(f"    update-only matches (join an open incident, alone alert nobody; not in tp/fp/fn): "
                         f"{s.update_only}, labelled positive {s.update_only_positive}, "
                         f"negative {s.update_only - s.update_only_positive}")
        if misses:
            lines.extend(f"    {m}" for m in s.misses)
        if len(languages) > 1:
            lines.extend(_row(f"  {s.rule} [{lang}]", s.by_language[lang])
                         for lang in languages if lang in s.by_language)
    return "\n".join(lines) + "\n"


def _row(label: str, s: RuleScore) -> str:
    facts = "  ".join(f"{n} {s.fact_right.get(n, 0)}/{t}" for n, t in s.fact_total.items())
    # no alert and no labelled positive: nothing was measured, so "-", not a perfect 1.000
    precision = f"{s.precision:>9.3f}" if s.tp + s.fp else f"{'-':>9}"
    recall = f"{s.recall:>7.3f}" if s.tp + s.fn else f"{'-':>7}"
    return f"{label:<28} {s.tp:>4} {s.fp:>4} {s.fn:>4} {precision} {recall}  {facts}"
