"""The condition tree of a rule, and how it is evaluated against one scanned article.

Conditions do not search text themselves (except `regex`): the compiled matcher scans each
article once with one shared automaton and hands every condition the positions its atoms
hit, the regions found and, on demand, the extracted facts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from bot.engine.facts import Facts
from bot.engine.kind import Kind, article_kind
from bot.engine.language import article_language
from bot.engine.text import snippet
from bot.models import Article, Evidence

FIELDS = ("any", "title", "text")
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*\s+|\n")


@dataclass(frozen=True)
class Term:
    """A word or phrase as written in the rule, and the folded atoms that stand for it."""

    written: str
    atoms: tuple[str, ...]  # folded strings, e.g. "build up" and "buildup" for `build-up`
    prefix: bool = False    # `mobili*`: the atom may be followed by more letters


@dataclass
class ScanResult:
    """One article after the automaton pass, with lazily computed extras."""

    article: Article
    text: str                  # title + "\n" + body, original characters
    title_end: int             # hits starting before this index are in the title
    hits: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # atom id -> spans
    places: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # region id -> spans (with ancestors)
    region_names: dict[str, str] = field(default_factory=dict)  # region id -> display name
    now: datetime | None = None
    facts_of: Callable[[str, str | None, datetime | None], Facts] | None = None
    _facts: Facts | None = None
    _words: list[int] | None = None
    _sentences: list[int] | None = None
    whole: Article | None = None  # the whole article when this scan is of its lead only (engine/lead.py)
    # and that whole article's scan: a lead's language and kind are the whole article's, read once for both
    whole_scan: ScanResult | None = None
    # the event's place and what encloses it (engine/places.py), set by the matcher once places are resolved
    event_places: frozenset[str] | None = None
    _kind: Kind | None = None
    _language: tuple[str | None] | None = None
    _snippets: dict[tuple[int, int], str] = field(default_factory=dict)

    def snippet(self, start: int, end: int) -> str:
        """The excerpt around text[start:end] (text.snippet), made once: the rules an article matches
        share many of their words' spans."""
        key = (start, end)
        found = self._snippets.get(key)
        if found is None:
            found = self._snippets[key] = snippet(self.text, start, end)
        return found

    @property
    def language(self) -> str | None:
        """The feed's declared language, else the detected one (engine/language.py), read once."""
        if self.whole_scan is not None:
            return self.whole_scan.language
        if self._language is None:
            article = self.whole or self.article
            self._language = (article_language(article.language, article.title, article.text),)
        return self._language[0]

    def field_of(self, start: int) -> str:
        return "title" if start < self.title_end else "text"

    @property
    def clock(self) -> datetime | None:
        """The one time every reader places the article's dates against: its publication, or for an undated
        article the scan's clock (a backtest's replayed time), never the wall clock."""
        return (self.whole or self.article).published or self.now

    @property
    def facts(self) -> Facts:
        if self._facts is None:
            self._facts = Facts()
            if self.facts_of is not None:
                self._facts = self.facts_of(self.text, self.language, self.clock)
        return self._facts

    @property
    def kind(self) -> Kind:
        """News, opinion, trial ... of the whole article (engine/kind.py), read once."""
        if self.whole_scan is not None:
            return self.whole_scan.kind
        if self._kind is None:
            article = self.whole or self.article
            self._kind = article_kind(article.title, article.text, self.clock)
        return self._kind

    def word_index(self, pos: int) -> int:
        if self._words is None:
            self._words = [m.start() for m in _WORD.finditer(self.text)]
        return bisect.bisect_right(self._words, pos)

    def sentence_index(self, pos: int) -> int:
        if self._sentences is None:
            self._sentences = [m.end() for m in _SENTENCE_END.finditer(self.text)]
        return bisect.bisect_right(self._sentences, pos)


class Condition:
    """Base of the condition tree."""

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        """Evidence if the condition holds, None if it does not."""
        raise NotImplementedError

    def holds(self, scan: ScanResult) -> bool:
        """The same answer as `evaluate`, without building evidence (most candidate rules fail)."""
        return self.evaluate(scan) is not None

    def clauses(self) -> list[frozenset[int]]:
        """Atom sets that must each have a hit for this to hold (empty: no such requirement)."""
        return []

    def cost(self) -> int:
        """What `holds` reads beyond the hits and the article's metadata, for an `all` to test its cheap
        items first: 0 nothing more, 1 a scan of the text (a regex, near's word index, the language,
        the kind), 2 the facts (a reading of the text, in its language). A composite costs its dearest item."""
        return max((child.cost() for child in self.children()), default=0)

    def required_atoms(self) -> frozenset[int] | None:
        """The smallest clause: the atoms to index this condition's rule under."""
        clauses = self.clauses()
        return min(clauses, key=len) if clauses else None

    def children(self) -> tuple[Condition, ...]:
        return ()


def _atoms_hit(scan: ScanResult, atoms: frozenset[int]) -> set[int]:
    """The atoms with a hit, walking the smaller side: a frozenset's `isdisjoint` or `intersection`
    with the hits dict walks every hit (an article has a hundred), the dict's keys view the smaller
    side (a term has one to three atoms). Hence also `scan.hits.keys().isdisjoint(atoms)` below."""
    hits = scan.hits
    if len(atoms) < len(hits):
        return hits.keys() & atoms
    return set(atoms.intersection(hits))


def _spans(scan: ScanResult, atom_ids: tuple[int, ...], where: str) -> list[tuple[int, int]]:
    spans = []
    for atom in atom_ids:
        for start, end in scan.hits.get(atom, ()):
            if where == "any" or scan.field_of(start) == where:
                spans.append((start, end))
    return spans


@dataclass(frozen=True)
class TermsCondition(Condition):
    """True when any of the terms occurs as whole words in the chosen field."""

    terms: tuple[Term, ...]
    field: str = "any"
    atom_ids: tuple[tuple[int, ...], ...] = ()  # per term, filled in by the compiler

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        hit = scan.hits.keys()
        if hit.isdisjoint(self.atom_set):
            return None   # the common case, and cheap however long the word list is
        evidence = []
        for term, ids, atoms in zip(self.terms, self.atom_ids, self.term_sets, strict=True):
            if hit.isdisjoint(atoms):
                continue   # most terms of a long list have no hit
            spans = _spans(scan, ids, self.field)
            if spans:
                start, end = min(spans)
                evidence.append(Evidence("term", term.written, scan.field_of(start), scan.snippet(start, end)))
        return evidence or None

    def holds(self, scan: ScanResult) -> bool:
        if scan.hits.keys().isdisjoint(self.atom_set):
            return False
        if self.field == "any":
            return True
        return bool(_spans(scan, tuple(_atoms_hit(scan, self.atom_set)), self.field))

    @cached_property
    def atom_set(self) -> frozenset[int]:
        return frozenset(a for ids in self.atom_ids for a in ids)

    @cached_property
    def term_sets(self) -> tuple[frozenset[int], ...]:
        return tuple(frozenset(ids) for ids in self.atom_ids)

    def clauses(self) -> list[frozenset[int]]:
        return [self.atom_set]


@dataclass(frozen=True)
class NearCondition(Condition):
    """True when a term of every group occurs within `within` words (or one sentence) of each other."""

    groups: tuple[tuple[Term, ...], ...]
    within: int | None = 10          # None: the same sentence
    field: str = "any"
    atom_ids: tuple[tuple[int, ...], ...] = ()  # per group, every atom of its terms

    def cost(self) -> int:
        return 1

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        chosen = self._chosen(scan)
        if chosen is None:
            return None
        lo = min(s for s, _ in chosen)
        hi = max(e for _, e in chosen)
        how = "same sentence" if self.within is None else f"within {self.within} words"
        value = " … ".join(scan.text[s:e] for s, e in sorted(chosen)) + f" ({how})"
        return [Evidence("near", value, scan.field_of(lo), scan.snippet(lo, hi))]

    def holds(self, scan: ScanResult) -> bool:
        """Whether a close set exists, without the evidence's text: every candidate rule asks this."""
        return self._chosen(scan) is not None

    def _chosen(self, scan: ScanResult) -> list[tuple[int, int]] | None:
        """The first anchor's hit of the first group with a hit of every other group close to it."""
        per_group = []
        for group in self.group_sets:
            found = _atoms_hit(scan, group)   # only the atoms that hit: word lists run to hundreds
            if not found:
                return None
            per_group.append(_spans(scan, tuple(found), self.field))
        if not all(per_group):
            return None

        def place(pos: int) -> int:
            return scan.sentence_index(pos) if self.within is None else scan.word_index(pos)

        # `within: N`: at most N other words between them; `sentence`: the same sentence
        limit = 0 if self.within is None else self.within + 1
        anchors = sorted(per_group[0])
        others = [sorted((place(s), s, e) for s, e in spans) for spans in per_group[1:]]
        for start, end in anchors:
            here = place(start)
            chosen = [(start, end)]
            for spans in others:
                hit = next(((s, e) for p, s, e in spans if abs(p - here) <= limit and (s, e) != (start, end)), None)
                if hit is None:
                    break
                chosen.append(hit)
            else:
                return chosen
        return None

    @cached_property
    def group_sets(self) -> tuple[frozenset[int], ...]:
        return tuple(frozenset(ids) for ids in self.atom_ids)

    def clauses(self) -> list[frozenset[int]]:
        return [frozenset(group) for group in self.atom_ids]


@dataclass(frozen=True)
class RegexCondition(Condition):
    """True when the (RE2, linear-time, case-insensitive) pattern is found in the chosen field."""

    pattern: str
    compiled: Any = field(compare=False, hash=False)
    field: str = "any"

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        if self.field == "title":
            offset, text = 0, scan.text[:scan.title_end]
        elif self.field == "text":
            offset, text = scan.title_end + 1, scan.text[scan.title_end + 1:]
        else:
            offset, text = 0, scan.text
        found = self.compiled.search(text)
        if found is None:
            return None
        start, end = found.start() + offset, found.end() + offset
        return [Evidence("regex", self.pattern, scan.field_of(start), scan.snippet(start, end))]

    def cost(self) -> int:
        return 1


@dataclass(frozen=True)
class RegionsCondition(Condition):
    """True when the article names one of these regions, or a place inside one (None: any region)."""

    refs: tuple[str, ...]                     # as written in the rule
    region_ids: frozenset[str] | None         # resolved ids; None means any
    atom_ids: tuple[int, ...] = ()            # names of these regions and everything inside them
    # only where the event happened, not every place named: a rule's own top-level `regions:`
    event_only: bool = False

    def _named(self, scan: ScanResult) -> Collection[str]:
        if self.event_only and scan.event_places is not None:
            return scan.event_places
        return scan.places

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        evidence = []
        named = self._named(scan)
        ordered = [r for r in scan.places if r in named] + sorted(r for r in named if r not in scan.places)
        for region_id in ordered:
            if self.region_ids is not None and region_id not in self.region_ids:
                continue
            name = scan.region_names.get(region_id, region_id)
            spans = scan.places.get(region_id)
            if not spans:   # the event's place, named beyond a long article's lead
                evidence.append(Evidence("region", name))
                continue
            start, end = spans[0]
            evidence.append(Evidence("region", name, scan.field_of(start), scan.snippet(start, end)))
        return evidence or None

    def holds(self, scan: ScanResult) -> bool:
        named = self._named(scan)
        if self.region_ids is None:
            return bool(named)
        return not self.region_ids.isdisjoint(named)

    def clauses(self) -> list[frozenset[int]]:
        return [frozenset(self.atom_ids)] if self.region_ids is not None else []


@dataclass(frozen=True)
class CountriesCondition(Condition):
    """`countries: 2`: places in at least this many countries are named (a people's name counts for its
    country), in the title, the text or anywhere. Forces sent from one country to another are news
    wherever they go: "Chad sends 2,000 soldiers to Mali" needs no border word."""

    at_least: int
    where: str = "any"
    country_ids: frozenset[str] = frozenset()   # every country of the gazetteer, set when compiled

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        named = []
        for region_id, spans in scan.places.items():
            if region_id not in self.country_ids:
                continue
            inside = [s for s in spans if self.where == "any" or scan.field_of(s[0]) == self.where]
            if inside:
                named.append((inside[0], region_id))
        if len(named) < self.at_least:
            return None
        evidence = []
        for (start, end), region_id in sorted(named):
            name = scan.region_names.get(region_id, region_id)
            evidence.append(Evidence("region", name, scan.field_of(start), scan.snippet(start, end)))
        return evidence


@dataclass(frozen=True)
class FactCondition(Condition):
    """A bound on an extracted count: `killed: {at_least: 1}`, `troops: {at_least: 1000}`."""

    name: str                    # killed, wounded, troops
    at_least: int | None = None
    at_most: int | None = None

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        facts = scan.facts
        value = getattr(facts, self.name)
        if value is None:
            return None
        if (self.at_least is not None and value < self.at_least) or (self.at_most is not None and value > self.at_most):
            return None
        span = next((s for s in facts.spans if s.name == self.name), None)
        where = scan.snippet(span.start, span.end) if span else ""
        return [Evidence("fact", f"{self.name}={value}", scan.field_of(span.start) if span else "", where)]

    def cost(self) -> int:
        return 2


@dataclass(frozen=True)
class ChangeCondition(Condition):
    """`troops_change: increase | decrease | any`."""

    direction: str

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        change = scan.facts.troops_change
        if change is None or (self.direction != "any" and change != self.direction):
            return None
        return [Evidence("fact", f"troops_change={change}")]

    def cost(self) -> int:
        return 2


@dataclass(frozen=True)
class FieldCondition(Condition):
    """`source: [...]` or `language: [...]`: the article's metadata is one of these values."""

    name: str
    values: frozenset[str]

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        value = scan.language if self.name == "language" else getattr(scan.article, self.name)
        if value is None:
            return None
        value = str(value).lower()
        return [Evidence(self.name, value)] if value in self.values else None

    def cost(self) -> int:
        return 1 if self.name == "language" else 0


@dataclass(frozen=True)
class KindCondition(Condition):
    """`kind: news` (or a list): the article is of one of these kinds (engine/kind.py)."""

    kinds: frozenset[str]

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        kind = scan.kind
        return [Evidence("kind", kind)] if kind in self.kinds else None

    def cost(self) -> int:
        return 1


@dataclass(frozen=True)
class AgeCondition(Condition):
    """`age: {at_most: 2d}`: published recently (an article without a date counts as new)."""

    at_most: float

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        published = scan.article.published
        if published is None or scan.now is None:
            return [Evidence("age", "undated")]
        age = (scan.now - published).total_seconds()
        return [Evidence("age", f"{age / 3600:.1f}h")] if age <= self.at_most else None


@dataclass(frozen=True)
class AllCondition(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        evidence: list[Evidence] = []
        for item in self.items:
            found = item.evaluate(scan)
            if found is None:
                return None
            evidence.extend(found)
        return evidence

    def holds(self, scan: ScanResult) -> bool:
        # a loop, not all() over a generator (its frame and calls): 8 % of what the matched rules' tests cost
        for item in self.cheap_first:  # noqa: SIM110
            if not item.holds(scan):
                return False
        return True

    @cached_property
    def cheap_first(self) -> tuple[Condition, ...]:
        """The items, those that read least first (a stable sort by `cost`): most candidate rules fail on a
        word, and the facts are then never read. `evaluate` keeps the written order for the evidence."""
        return tuple(sorted(self.items, key=lambda item: item.cost()))

    def clauses(self) -> list[frozenset[int]]:
        return [clause for item in self.items for clause in item.clauses()]

    def children(self) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True)
class AnyCondition(Condition):
    items: tuple[Condition, ...]

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        for item in self.items:
            found = item.evaluate(scan)
            if found is not None:
                return found
        return None

    def holds(self, scan: ScanResult) -> bool:
        for item in self.items:  # noqa: SIM110 - a loop, as in AllCondition.holds
            if item.holds(scan):
                return True
        return False

    def clauses(self) -> list[frozenset[int]]:
        # one of the items must hold, so one of their smallest clauses must have a hit
        needed: set[int] = set()
        for item in self.items:
            smallest = item.required_atoms()
            if smallest is None:
                return []
            needed |= smallest
        return [frozenset(needed)]

    def children(self) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True)
class NotCondition(Condition):
    item: Condition

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        return None if self.item.holds(scan) else []

    def holds(self, scan: ScanResult) -> bool:
        return not self.item.holds(scan)

    def children(self) -> tuple[Condition, ...]:
        return (self.item,)
