"""Article -> list of Match: one automaton pass, boundary and case checks, then rule logic."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.engine.conditions import ScanResult
from bot.engine.facts import extract_facts
from bot.engine.text import fold
from bot.models import Article, Match

if TYPE_CHECKING:
    from bot.engine.compile import RuleSet

_PLACE, _ACRONYM = 1, 2


def _cased_like_a_name(original: str, start: int, end: int, kind: int) -> bool:
    """Place names count only when written as names: `Chad` yes, `chad` no; `US` only in capitals."""
    if kind == _ACRONYM:
        return original[start:end].isupper()
    first = original[start]
    return first.isupper() or first.lower() == first.upper()  # scripts without case pass


def scan(ruleset: RuleSet, article: Article, now: datetime | None = None) -> ScanResult:
    """Find every whole-word hit of every atom in the article's title and text."""
    text = article.title + "\n" + article.text
    result = ScanResult(article=article, text=text, title_end=len(article.title), now=now,
                        facts_of=extract_facts if ruleset.with_facts else None)
    if ruleset.automaton is None:
        return result
    padded = " " + fold(text) + " "
    hits = result.hits
    for end, (key_length, text_length, entries) in ruleset.automaton.iter(padded):
        start = end - key_length + 1  # index of the leading space in `padded` = the atom's start in `text`
        span = (start, start + text_length)
        for atom_id, kind in entries:
            if kind and not _cased_like_a_name(text, span[0], span[1], kind):
                continue
            hits.setdefault(atom_id, []).append(span)
    _places(ruleset, result)
    return result


def _places(ruleset: RuleSet, result: ScanResult) -> None:
    """Regions named in the article, each with every region enclosing it.

    The longest name wins: "South Sudan" is not also a mention of Sudan, nor "New Mexico" of Mexico.
    """
    found = [(span, atom_id) for atom_id, spans in result.hits.items() if atom_id in ruleset.place_regions
             for span in spans]
    if not found:
        return
    found.sort(key=lambda item: (item[0][0], -item[0][1]))
    kept = []
    reach = -1
    for (start, end), atom_id in found:
        if end <= reach:
            continue  # inside a longer place name already kept
        kept.append(((start, end), atom_id))
        reach = max(reach, end)
    places = result.places
    book = ruleset.book
    for span, atom_id in kept:
        for region_id in ruleset.place_regions[atom_id]:
            for outer in book.ancestors(region_id):
                places.setdefault(outer, []).append(span)
                result.region_names[outer] = book.regions[outer].name
    for spans in places.values():
        spans.sort()


def match_article(ruleset: RuleSet, article: Article, now: datetime | None = None) -> list[Match]:
    scanned = scan(ruleset, article, now)
    hit_atoms = set(scanned.hits)
    candidates = set(ruleset.always)
    by_atom = ruleset.by_atom
    for atom_id in hit_atoms:
        if atom_id in by_atom:
            candidates.update(by_atom[atom_id])
    matches = []
    regions: tuple[str, ...] | None = None
    country = ""
    clauses = ruleset.clauses
    for index in sorted(candidates):
        # every clause needs a hit: most candidates fail here, before any rule logic runs
        if any(clause.isdisjoint(hit_atoms) for clause in clauses[index]):
            continue
        compiled = ruleset.compiled[index]
        if not compiled.when.holds(scanned):
            continue
        evidence = compiled.when.evaluate(scanned) or []
        if regions is None:
            ordered = sorted(scanned.places.items(), key=lambda item: item[1][0])
            regions = tuple(dict.fromkeys(ruleset.book.regions[r].name for r, _ in ordered))
            country = next((ruleset.book.regions[r].name for r, _ in ordered
                            if ruleset.book.regions[r].kind == "country"), regions[0] if regions else "")
        rule = compiled.rule
        matches.append(Match(
            rule_id=rule.id,
            rule_title=rule.title,
            severity=rule.severity,
            tags=rule.tags,
            regions=regions,
            facts=scanned.facts.as_dict(),
            evidence=tuple(evidence),
            template=rule.template,
            key=_key(rule.key, rule.id, country, article),
            throttle=rule.throttle,
            policy=rule.policy,
        ))
    return matches


def _key(parts: tuple[str, ...], rule_id: str, country: str, article: Article) -> str:
    """`region` in a key is the first country the article names (a Banjska and a Zvečan report
    are both about Kosovo), else its first region."""
    values = {"rule": rule_id, "region": country, "source": article.source}
    return "|".join(f"{p}={values[p]}" for p in parts)
