"""Article -> list of Match: one automaton pass, boundary checks, then rule logic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.conditions import ScanResult
from bot.engine.text import fold
from bot.models import Article, Match

if TYPE_CHECKING:
    from bot.engine.compile import RuleSet


def scan(ruleset: RuleSet, article: Article) -> ScanResult:
    """Find every whole-word hit of every atom in the article's title and text."""
    text = article.title + "\n" + article.text
    result = ScanResult(text=text, title_end=len(article.title))
    if ruleset.automaton is None:
        return result
    folded = fold(text)
    n = len(folded)
    hits = result.hits
    for end, (length, entries) in ruleset.automaton.iter(folded):
        start = end - length + 1
        if start > 0 and folded[start - 1].isalnum():
            continue
        closed = end + 1 >= n or not folded[end + 1].isalnum()
        for atom_id, prefix in entries:
            if prefix or closed:
                hits.setdefault(atom_id, []).append((start, end + 1))
    return result


def match_article(ruleset: RuleSet, article: Article) -> list[Match]:
    scanned = scan(ruleset, article)
    candidates = set(ruleset.always)
    for atom_id in scanned.hits:
        candidates.update(ruleset.by_atom.get(atom_id, ()))
    matches = []
    for index in sorted(candidates):
        compiled = ruleset.compiled[index]
        evidence = compiled.when.evaluate(scanned)
        if evidence is None:
            continue
        rule = compiled.rule
        matches.append(Match(
            rule_id=rule.id,
            rule_title=rule.title,
            severity=rule.severity,
            tags=rule.tags,
            evidence=tuple(evidence),
            template=rule.template,
        ))
    return matches
