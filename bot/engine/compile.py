"""All rules -> one shared matcher: one Aho-Corasick automaton over every literal atom.

A loop of per-rule regexes costs one pass per rule per article; the automaton costs one
pass per article whatever the number of rules, and only rules whose atoms hit are
evaluated afterwards. Place names from the gazetteer share the same automaton.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.engine.automaton import Automaton, build_automaton
from bot.engine.conditions import (
    AllCondition,
    AnyCondition,
    Condition,
    CountriesCondition,
    NearCondition,
    NotCondition,
    RegionsCondition,
    TermsCondition,
)
from bot.engine.load import Rule, RuleSource
from bot.engine.match import match_article
from bot.engine.place_names_local import add_local_names
from bot.engine.places import PlaceBook
from bot.engine.regions import Region, RegionBook
from bot.engine.text import fold_term, script_variants
from bot.models import Article, Match

TERM, PLACE, ACRONYM = 0, 1, 2   # how a hit must look in the original text


@dataclass(frozen=True, slots=True)
class Atom:
    text: str      # folded
    prefix: bool   # may continue with more word characters
    kind: int = TERM


class _AtomTable:
    """Atoms numbered in the order first seen; the index (atom -> id) lives only while compiling."""

    def __init__(self, atoms: Sequence[Atom] = ()) -> None:
        self.atoms: list[Atom] = list(atoms)
        self.index: dict[Atom, int] = {atom: atom_id for atom_id, atom in enumerate(self.atoms)}

    def id_for(self, atom: Atom) -> int:
        if atom not in self.index:
            self.index[atom] = len(self.atoms)
            self.atoms.append(atom)
        return self.index[atom]


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    when: Condition
    # the rule is narrowed to where the event happened, so the event's place is needed to decide
    needs_event_place: bool = False


def _narrowed_to_event_place(cond: Condition) -> bool:
    return any(isinstance(c, RegionsCondition) and c.event_only for c in _walk(cond))


def _walk(cond: Condition) -> list[Condition]:
    out = [cond]
    for child in cond.children():
        out.extend(_walk(child))
    return out


@dataclass(frozen=True)
class _Gazetteer:
    """The place side of a compile: the regions and an atom for each way of writing each place's
    name, with their own automaton. It is the same for every rule set that names the same regions
    and defines the same operator regions, so it is built once and shared: a rule set then compiles
    in a tenth of a second instead of about one (reloads and tests compile often)."""

    book: RegionBook
    atoms: tuple[Atom, ...]                      # atom ids 0 .. len - 1 (no index kept: 2.5 MB, a compile
                                                 # rebuilds it in a few ms)
    place_regions: Mapping[int, tuple[str, ...]]  # atom id -> the regions that name it
    demonym_atoms: frozenset[int]                 # "French", "Somali": a people, not a place
    automaton: Automaton | None

    def __getstate__(self) -> dict[str, object]:
        """For the compiled-rules cache (engine/cache.py): everything but the automaton, which
        cannot be pickled and is rebuilt from the atoms (a fifth of a second)."""
        return {name: value for name, value in self.__dict__.items() if name != "automaton"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        object.__setattr__(self, "automaton", build_automaton([(a.text, a.prefix, a.kind) for a in self.atoms]))


def _named_regions(source: RuleSource) -> frozenset[str]:
    return frozenset(region_id for rule in source.rules for cond in _walk(rule.when)
                     if isinstance(cond, RegionsCondition) and cond.region_ids is not None
                     for region_id in cond.region_ids)


GazetteerKey = tuple[tuple[Region, ...], frozenset[str]]   # operator regions, regions the rules name
# a daemon needs one (its current rules'); two let a reload that changes the places named and one
# that changes them back share, and tests that alternate; each is tens of MB
_GAZETTEERS_KEPT = 2
_gazetteers: dict[GazetteerKey, _Gazetteer] = {}


def _gazetteer(operator_regions: tuple[Region, ...], named: frozenset[str]) -> _Gazetteer:
    """The places of a compile, built once for the same operator regions and regions named."""
    key = (operator_regions, named)
    found = _gazetteers.pop(key, None)
    if found is None:
        found = _build_gazetteer(operator_regions, named)
    remember_gazetteer(key, found)
    return found


def remember_gazetteer(key: GazetteerKey, gazetteer: _Gazetteer) -> None:
    """Keep a gazetteer for later compiles of rules naming the same places (the most recent last)."""
    _gazetteers.pop(key, None)
    _gazetteers[key] = gazetteer
    while len(_gazetteers) > _GAZETTEERS_KEPT:
        del _gazetteers[next(iter(_gazetteers))]


def _build_gazetteer(operator_regions: tuple[Region, ...], named: frozenset[str]) -> _Gazetteer:
    """Countries (with demonyms), divisions, the world's larger cities and operator regions always;
    every town of 15,000 people or more, with local names, of the countries rules name."""
    book = RegionBook.with_countries()
    for region in operator_regions:
        book.add(region)
    wanted: set[str] = set()
    for region_id in named:
        for inner in book.descendants(region_id) | {region_id}:
            country = book.country_of(inner)
            code = book.country_code(country) if country else None
            if code:
                wanted.add(code)
    book = add_local_names(book.with_cities(wanted))
    table = _AtomTable()
    # a tuple per atom: ~50,000 place names, most naming one region
    place_regions: dict[int, tuple[str, ...]] = {}
    demonym_atoms: set[int] = set()
    for region in book.regions.values():
        demonyms = set(region.demonyms)
        for name in region.names:
            for place_atom in _place_atoms(name):
                atom_id = table.id_for(place_atom)
                known = place_regions.get(atom_id, ())
                if region.id not in known:
                    place_regions[atom_id] = (*known, region.id)
                if name in demonyms:
                    demonym_atoms.add(atom_id)
    automaton = build_automaton([(a.text, a.prefix, a.kind) for a in table.atoms])
    return _Gazetteer(book, tuple(table.atoms), place_regions, frozenset(demonym_atoms), automaton)


def places_book(source: RuleSource) -> RegionBook:
    """Every place the rules of `source` know (as a compile of them would), for `beacon regions`."""
    return _gazetteer(source.regions, _named_regions(source)).book


class RuleSet:
    """Compiled rules, ready to match many articles; immutable, so safe to swap on reload."""

    def __init__(self, source: RuleSource | Sequence[Rule], facts: bool = True) -> None:
        if not isinstance(source, RuleSource):
            source = RuleSource(tuple(source))
        self.source = source
        self.with_facts = facts
        # `any` region needs no towns: loading every town on Earth costs ~100 MB
        self.gazetteer_key: GazetteerKey = (source.regions, _named_regions(source))
        gazetteer = _gazetteer(*self.gazetteer_key)
        self.gazetteer = gazetteer
        self.book = gazetteer.book
        self.place_book = PlaceBook(self.book)   # its lookups remembered, for matching
        table = _AtomTable(gazetteer.atoms)
        self.place_regions = gazetteer.place_regions
        self.demonym_atoms = gazetteer.demonym_atoms
        self._atoms_of_region: dict[str, frozenset[int]] = {}
        self._countries: frozenset[str] | None = None   # every country id, for `countries:` conditions
        self.compiled = tuple(CompiledRule(r, self._bind(r.when, table), _narrowed_to_event_place(r.when))
                              for r in source.rules)
        self._atoms_of_region.clear()  # needed only while binding
        self.atoms = tuple(table.atoms)
        self.by_atom: dict[int, list[int]] = {}
        self.always: list[int] = []
        self.clauses: list[tuple[frozenset[int], ...]] = []
        for cr in self.compiled:
            self.clauses.append(tuple(sorted(set(cr.when.clauses()), key=len)))
        # Clauses of the rules' own words only (no place atom in them): they can be checked before
        # the place names are searched at all, which most articles then never need (engine/match.py).
        places = len(gazetteer.atoms)
        self.term_clauses = [tuple(c for c in clauses if min(c, default=places) >= places)
                             for clauses in self.clauses]
        # Index each rule under one clause, the one whose atoms the fewest rules share: words many
        # rules use ("troops", "police") are common in articles too, and would wake the rule often.
        # A clause of the rule's own words is preferred, so the rule is found without the places.
        shared: dict[int, int] = {}
        for clauses in self.clauses:
            for atom in set().union(*clauses):
                shared[atom] = shared.get(atom, 0) + 1
        self.place_indexed = False   # some rule is found only through a place name
        for i, clauses in enumerate(self.clauses):
            if not clauses:
                self.always.append(i)
                continue
            rarest = min(self.term_clauses[i] or clauses, key=lambda clause: sum(shared[a] for a in clause))
            self.place_indexed = self.place_indexed or not self.term_clauses[i]
            for atom in rarest:
                self.by_atom.setdefault(atom, []).append(i)
        # the places' automaton is shared; the rules' own words get one of their own
        terms = self.atoms[places:]
        self.places_automaton = gazetteer.automaton
        # every article is searched for the rules' own words: a DFA (7 MB for the shipped rules' 4,900 keys)
        self.terms_automaton = build_automaton([(a.text, a.prefix, a.kind) for a in terms], first_id=places,
                                               dense=True)
        self.automata = tuple(a for a in (gazetteer.automaton, self.terms_automaton) if a is not None)

    def __getstate__(self) -> dict[str, object]:
        """For the compiled-rules cache (engine/cache.py): the automata are rebuilt, not pickled."""
        return {name: value for name, value in self.__dict__.items()
                if name not in ("places_automaton", "terms_automaton", "automata", "place_book")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.place_book = PlaceBook(self.book)
        places = len(self.gazetteer.atoms)
        self.places_automaton = self.gazetteer.automaton
        self.terms_automaton = build_automaton([(a.text, a.prefix, a.kind) for a in self.atoms[places:]],
                                               first_id=places, dense=True)
        self.automata = tuple(a for a in (self.places_automaton, self.terms_automaton) if a is not None)

    def _bind(self, cond: Condition, table: _AtomTable) -> Condition:
        """Copy a condition tree with atom ids filled in."""
        if isinstance(cond, TermsCondition):
            ids = tuple(tuple(table.id_for(Atom(a, t.prefix)) for a in script_variants(t.written, t.atoms))
                        for t in cond.terms)
            return dataclasses.replace(cond, atom_ids=ids)
        if isinstance(cond, NearCondition):
            groups = tuple(tuple(table.id_for(Atom(a, t.prefix)) for t in group
                                 for a in script_variants(t.written, t.atoms))
                           for group in cond.groups)
            return dataclasses.replace(cond, atom_ids=groups)
        if isinstance(cond, RegionsCondition):
            if cond.region_ids is None:
                return cond
            inside = set().union(*(self.book.descendants(r) for r in cond.region_ids))
            atoms = sorted(set().union(*(self._region_atoms(r, table) for r in inside)))
            return dataclasses.replace(cond, region_ids=frozenset(inside), atom_ids=tuple(atoms))
        if isinstance(cond, CountriesCondition):
            if self._countries is None:
                self._countries = frozenset(r.id for r in self.book.regions.values() if r.kind == "country")
            return dataclasses.replace(cond, country_ids=self._countries)
        if isinstance(cond, AllCondition):
            return AllCondition(tuple(self._bind(c, table) for c in cond.items))
        if isinstance(cond, AnyCondition):
            return AnyCondition(tuple(self._bind(c, table) for c in cond.items))
        if isinstance(cond, NotCondition):
            return NotCondition(self._bind(cond.item, table))
        return cond

    def _region_atoms(self, region_id: str, table: _AtomTable) -> frozenset[int]:
        """The atom ids of a region's names, worked out once per compile: many rules name the same
        countries, and a country holds thousands of town names (1,000 rules compiled in 7.5 s without)."""
        cached = self._atoms_of_region.get(region_id)
        if cached is None:
            cached = frozenset(table.index[atom] for name in self.book.regions[region_id].names
                               for atom in _place_atoms(name) if atom in table.index)
            self._atoms_of_region[region_id] = cached
        return cached

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, trend rules (bot/trends: never matched against an article) last."""
        return tuple(cr.rule for cr in self.compiled) + self.source.trends

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def __len__(self) -> int:
        return len(self.compiled)

    def match(self, article: Article, now: datetime | None = None) -> list[Match]:
        """Every rule that holds for the article, in rule order, each with its evidence."""
        return match_article(self, article, now)


def _place_atoms(name: str) -> tuple[Atom, ...]:
    """How a place name must look in an article to count: as written, and in the other Serbian
    script when its spelling differs (`Banja Luka` is also `Бања Лука`, folded "bana luka")."""
    folded = fold_term(name)
    if len(folded) < 2:
        return ()
    # a name the operator wrote in lower case ("northern Kosovo", "tri-border area") is a
    # phrase, not a proper name: it counts however it is cased in the article
    kind = ACRONYM if (name.isupper() and len(name) <= 4) else PLACE if not name[:1].islower() else TERM
    if "j" not in folded and "dz" not in folded and name.isascii():
        return (Atom(folded, False, kind),)   # nearly every name: no twin to make
    return tuple(Atom(text, False, kind) for text in script_variants(name, (folded,)) if len(text) >= 2)


def compile_rules(source: RuleSource | Sequence[Rule], facts: bool = True) -> RuleSet:
    """The rules compiled; the same rules compiled again return the last RuleSet (it is immutable).

    With the world gazetteer a compile costs about a second, and the same rules are compiled
    again by `/reload` with nothing changed, by `beacon check` before a run, and by every test
    that starts a Beacon. Only the last compile is kept, which the caller holds anyway.
    """
    if not isinstance(source, RuleSource):
        source = RuleSource(tuple(source))
    global _last_compiled
    last = _last_compiled
    if last is not None and last[1] == facts and last[0] == source:
        return last[2]
    ruleset = RuleSet(source, facts)
    _last_compiled = (source, facts, ruleset)
    return ruleset


_last_compiled: tuple[RuleSource, bool, RuleSet] | None = None


def last_compiled() -> RuleSet | None:
    """The rule set compile_rules returned last, if any."""
    return _last_compiled[2] if _last_compiled is not None else None


def remember_compiled(ruleset: RuleSet) -> None:
    """A rule set read back from the compiled-rules cache (engine/cache.py) counts as the last
    compile: compiling the same rules again returns it, and its places serve later compiles."""
    global _last_compiled
    remember_gazetteer(ruleset.gazetteer_key, ruleset.gazetteer)
    _last_compiled = (ruleset.source, ruleset.with_facts, ruleset)
