"""All rules -> one shared matcher: one Aho-Corasick automaton over every literal atom.

A loop of per-rule regexes costs one pass per rule per article; the automaton costs one
pass per article whatever the number of rules, and only rules whose atoms hit are
evaluated afterwards.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick

from bot.engine.conditions import AllCondition, AnyCondition, Condition, NotCondition, TermsCondition
from bot.engine.load import Rule
from bot.models import Article, Match


@dataclass(frozen=True)
class Atom:
    text: str      # folded
    prefix: bool   # may continue with more word characters


class _AtomTable:
    def __init__(self) -> None:
        self.atoms: list[Atom] = []
        self.index: dict[Atom, int] = {}

    def id_for(self, atom: Atom) -> int:
        if atom not in self.index:
            self.index[atom] = len(self.atoms)
            self.atoms.append(atom)
        return self.index[atom]


def _bind(cond: Condition, table: _AtomTable) -> Condition:
    """Copy a condition tree with atom ids filled in."""
    if isinstance(cond, TermsCondition):
        ids = tuple(tuple(table.id_for(Atom(a, t.prefix)) for a in t.atoms) for t in cond.terms)
        return dataclasses.replace(cond, atom_ids=ids)
    if isinstance(cond, AllCondition):
        return AllCondition(tuple(_bind(c, table) for c in cond.items))
    if isinstance(cond, AnyCondition):
        return AnyCondition(tuple(_bind(c, table) for c in cond.items))
    if isinstance(cond, NotCondition):
        return NotCondition(_bind(cond.item, table))
    raise TypeError(f"unknown condition {type(cond).__name__}")


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    when: Condition


class RuleSet:
    """Compiled rules, ready to match many articles; immutable, so safe to swap on reload."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        table = _AtomTable()
        self.compiled = tuple(CompiledRule(r, _bind(r.when, table)) for r in rules)
        self.atoms = tuple(table.atoms)
        self.by_atom: dict[int, list[int]] = {}
        self.always: list[int] = []
        for i, cr in enumerate(self.compiled):
            required = cr.when.required_atoms()
            if required is None:
                self.always.append(i)
            else:
                for atom in required:
                    self.by_atom.setdefault(atom, []).append(i)
        self.automaton = _build_automaton(self.atoms)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(cr.rule for cr in self.compiled)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def __len__(self) -> int:
        return len(self.compiled)

    def match(self, article: Article) -> list[Match]:
        """Every rule that holds for the article, in rule order, each with its evidence."""
        from bot.engine.match import match_article

        return match_article(self, article)


def _build_automaton(atoms: Sequence[Atom]) -> ahocorasick.Automaton | None:
    if not atoms:
        return None
    automaton = ahocorasick.Automaton()
    grouped: dict[str, list[tuple[int, bool]]] = {}
    for i, atom in enumerate(atoms):
        grouped.setdefault(atom.text, []).append((i, atom.prefix))
    for text, entries in grouped.items():
        automaton.add_word(text, (len(text), tuple(entries)))
    automaton.make_automaton()
    return automaton


def compile_rules(rules: Sequence[Rule]) -> RuleSet:
    return RuleSet(rules)
