"""The condition tree of a rule, and how it is evaluated against one article's hits.

Conditions do not search text themselves: the compiled matcher scans each article once
with one shared automaton and hands every condition the positions its atoms hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.text import snippet
from bot.models import Evidence

FIELDS = ("any", "title", "text")


@dataclass(frozen=True)
class Term:
    """A word or phrase as written in the rule, and the folded atoms that stand for it."""

    written: str
    atoms: tuple[str, ...]  # folded strings, e.g. "build up" and "buildup" for `build-up`
    prefix: bool = False    # `mobili*`: the atom may be followed by more letters


@dataclass
class ScanResult:
    """One article after the automaton pass: where each atom hit, and the original text."""

    text: str                  # title + "\n" + body, original characters
    title_end: int             # hits starting before this index are in the title
    hits: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # atom id -> spans

    def field_of(self, start: int) -> str:
        return "title" if start < self.title_end else "text"


class Condition:
    """Base of the condition tree."""

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        """Evidence if the condition holds, None if it does not."""
        raise NotImplementedError

    def required_atoms(self) -> frozenset[int] | None:
        """Atoms of which at least one must hit for this to hold; None if it can hold without any."""
        return None

    def children(self) -> tuple[Condition, ...]:
        return ()


@dataclass(frozen=True)
class TermsCondition(Condition):
    """True when any of the terms occurs as whole words in the chosen field."""

    terms: tuple[Term, ...]
    field: str = "any"
    atom_ids: tuple[tuple[int, ...], ...] = ()  # per term, filled in by the compiler

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        evidence = []
        for term, ids in zip(self.terms, self.atom_ids, strict=True):
            for atom in ids:
                for start, end in scan.hits.get(atom, ()):
                    where = scan.field_of(start)
                    if self.field != "any" and where != self.field:
                        continue
                    evidence.append(Evidence("term", term.written, where, snippet(scan.text, start, end)))
                    break
                else:
                    continue
                break
        return evidence or None

    def required_atoms(self) -> frozenset[int] | None:
        return frozenset(a for ids in self.atom_ids for a in ids)


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

    def required_atoms(self) -> frozenset[int] | None:
        options = [r for r in (i.required_atoms() for i in self.items) if r is not None]
        return min(options, key=len) if options else None

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

    def required_atoms(self) -> frozenset[int] | None:
        needed: set[int] = set()
        for item in self.items:
            req = item.required_atoms()
            if req is None:
                return None
            needed |= req
        return frozenset(needed)

    def children(self) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True)
class NotCondition(Condition):
    item: Condition

    def evaluate(self, scan: ScanResult) -> list[Evidence] | None:
        return [] if self.item.evaluate(scan) is None else None

    def children(self) -> tuple[Condition, ...]:
        return (self.item,)
