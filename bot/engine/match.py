"""Article -> list of Match: one automaton pass, boundary and case checks, then rule logic."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from bot.engine.automaton import NO_ATOM, Automaton
from bot.engine.conditions import ScanResult
from bot.engine.facts import extract_facts
from bot.engine.lead import is_long, lead_article
from bot.engine.places import PlaceHit, event_chain, event_place, is_fragment, resolve
from bot.engine.regions import place_key
from bot.engine.text import padded_fold, without_lone_surrogates
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
    return _scan(ruleset, article, now)[0]


def _scan(ruleset: RuleSet, article: Article, now: datetime | None,
          with_places: bool = True) -> tuple[ScanResult, list[PlaceHit]]:
    """The hits of every automaton, and unless `with_places` is False the places resolved."""
    result = _new_scan(ruleset, article, now)
    if not ruleset.automata:
        return result, []
    padded, chars = padded_fold(result.text), len(result.text) + 2
    for automaton in ruleset.automata:   # the places', then the rules' own words
        _add_hits(result, automaton, padded, chars)
    return result, (_places(ruleset, result) if with_places else [])


def _new_scan(ruleset: RuleSet, article: Article, now: datetime | None, text: str | None = None) -> ScanResult:
    """The article's scan, before any hit is written; `text` is its title and text joined, when made already."""
    if text is None:
        text = article.title + "\n" + article.text
    return ScanResult(article=article, text=text, title_end=len(article.title), now=now,
                      facts_of=extract_facts if ruleset.with_facts else None)


def _add_hits(result: ScanResult, automaton: Automaton, padded: bytes, chars: int) -> None:
    """Every whole-word hit of the automaton's keys in `padded` (the folded text, padded with a
    space each side, in UTF-8: text.padded_fold; `chars` characters), kept in result.hits; place
    names only where written as names."""
    hits = result.hits
    text = result.text
    lengths, atoms, kinds = automaton.lengths, automaton.atom, automaton.kind
    for index, start, _end in automaton.matches_in(padded, chars):
        span = (start, start + lengths[index])
        atom_id = atoms[index]
        entries = ((atom_id, kinds[index]),) if atom_id != NO_ATOM else automaton.shared[index]
        for atom_id, kind in entries:
            if kind and not _cased_like_a_name(text, start, span[1], kind):
                continue
            spans = hits.get(atom_id)
            if spans is None:
                hits[atom_id] = [span]
            else:
                spans.append(span)


def _write_term_hits(scanned: ScanResult, terms: Automaton | None,
                     unwritten: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The rules' own words' hits written into scanned.hits, before any place name's (the order the
    conditions read them in); returns the empty list, so a second call writes nothing."""
    if terms is not None and unwritten:
        terms.add_found(unwritten, scanned.hits)
    return []


def _places(ruleset: RuleSet, result: ScanResult) -> list[PlaceHit]:
    """Regions named in the article, each with every region enclosing it; one region per name.

    The longest name wins: "South Sudan" is not also a mention of Sudan, nor "New Mexico" of Mexico.
    """
    place_regions = ruleset.place_regions
    found = [(span, atom_id) for atom_id, spans in result.hits.items() if atom_id in place_regions for span in spans]
    if not found:
        return []
    found.sort(key=lambda item: (item[0][0], -item[0][1]))
    kept = []
    reach = -1
    for (start, end), atom_id in found:
        if end <= reach:
            continue  # inside a longer place name already kept
        kept.append((start, end, atom_id))
        reach = end   # beyond the reach, or it would have been skipped
    # several atoms may end at one span (a name and its folded twin): their regions pool
    pooled: dict[tuple[int, int], tuple[set[str], bool]] = {}
    for start, end, atom_id in kept:
        regions, demonym = pooled.setdefault((start, end), (set(), True))
        regions.update(place_regions[atom_id])
        pooled[(start, end)] = (regions, demonym and atom_id in ruleset.demonym_atoms)
    book = ruleset.place_book
    resolved = resolve([(span, regions, demonym) for span, (regions, demonym) in pooled.items()], book, result.text)
    # a town's name inside a longer local name ("Saraj" in Nahri Saraj) is no mention of that town
    resolved = [hit for hit in resolved if not is_fragment(result.text, hit, book, result.title_end)]
    places = result.places
    for hit in resolved:
        for outer in book.ancestors(hit.region_id):
            places.setdefault(outer, []).append((hit.start, hit.end))
            result.region_names[outer] = book.regions[outer].name
    for spans in places.values():
        spans.sort()
    return resolved


class _Where(NamedTuple):
    """Where the event happened, for a Match and for rules narrowed to the event's place."""

    regions: tuple[str, ...]      # names: the event's place, then what encloses it
    keys: tuple[str, ...]         # the same places' keys (regions.place_key), which names may share
    mentioned: tuple[str, ...]    # names of the other places named
    country: str                  # the event's country (or first region), for keys
    chain: frozenset[str]         # region ids of the event's place and everything enclosing it


def _where(ruleset: RuleSet, scanned: ScanResult, hits: list[PlaceHit]) -> _Where:
    """The event's place with what encloses it, the other places named, and the event's country."""
    book = ruleset.place_book
    event = event_place(hits, scanned.text, scanned.title_end, book)
    if event is None:
        return _Where((), (), (), "", frozenset())
    chain = event_chain(event, hits, book, scanned.text, scanned.title_end)
    regions = tuple(dict.fromkeys(book.regions[r].name for r in chain))
    others = [outer for hit in hits for outer in book.ancestors(hit.region_id) if outer not in chain]
    mentioned = tuple(n for n in dict.fromkeys(book.regions[r].name for r in others) if n not in regions)
    country = next((book.regions[r].name for r in chain if book.regions[r].kind == "country"), regions[0])
    keys = tuple(dict.fromkeys(place_key(r) for r in chain))
    return _Where(regions, keys, mentioned, country, frozenset(chain))


def _readable(article: Article) -> Article:
    """The article with no lone surrogate in its title or text (see text.without_lone_surrogates): feeds
    are cleaned when read (sources/normalise.py), but `beacon match` and `rules eval` read files as given."""
    title = without_lone_surrogates(article.title)
    text = without_lone_surrogates(article.text)
    if title is article.title and text is article.text:
        return article
    return replace(article, title=title, text=text)


def match_article(ruleset: RuleSet, article: Article, now: datetime | None = None) -> list[Match]:
    """Every rule that holds for the article, in rule order.

    The rules' own words are searched first. The place names (tens of thousands of them) are
    searched only once some rule has a hit in every clause of its words: most articles wake no
    rule, and they cost one pass of the small automaton instead of two passes.
    """
    article = _readable(article)
    scanned: ScanResult | None = None   # made once some rule is a candidate (most articles wake none)
    text = article.title + "\n" + article.text
    padded, chars = padded_fold(text), len(text) + 2
    places = ruleset.places_automaton   # None once searched (or when there are no places)
    # the rules' own words: which atoms hit is enough to pick the candidates; their spans are
    # written into scanned.hits only once a candidate has a hit in every clause of its words
    terms = ruleset.terms_automaton
    unwritten: list[tuple[int, int, int]] = []
    hit_atoms: set[int] = set()
    if terms is not None:
        unwritten = terms.matches_in(padded, chars)
        hit_atoms = terms.atoms_found(unwritten)
    if places is not None and ruleset.place_indexed:
        scanned = _new_scan(ruleset, article, now, text)
        unwritten = _write_term_hits(scanned, terms, unwritten)
        _add_hits(scanned, places, padded, chars)   # some rule can only be found by a place name
        places = None
        hit_atoms = set(scanned.hits)
    place_hits: list[PlaceHit] | None = None
    candidates = set(ruleset.always)
    candidates.update(*filter(None, map(ruleset.by_atom.get, hit_atoms)))   # the rules indexed under a hit atom
    if not candidates:
        return []
    if scanned is None:
        scanned = _new_scan(ruleset, article, now, text)
    matches = []
    where: _Where | None = None
    clauses = ruleset.clauses
    term_clauses = ruleset.term_clauses
    long_article = is_long(article)
    lead: tuple[ScanResult, set[int]] | None = None  # the title and lead of a long article, scanned on demand
    for index in sorted(candidates):
        compiled = ruleset.compiled[index]
        in_lead = long_article and compiled.rule.scope == "lead"
        if places is not None:
            # the clauses of the rule's own words first: most candidates fail here (a lead is
            # scanned apart, and a lead cut inside a word may hold a word the whole text lacks)
            if not in_lead and any(clause.isdisjoint(hit_atoms) for clause in term_clauses[index]):
                continue
            unwritten = _write_term_hits(scanned, terms, unwritten)
            _add_hits(scanned, places, padded, chars)
            hit_atoms = set(scanned.hits)
            places = None
        view, view_atoms = scanned, hit_atoms
        if in_lead:
            if lead is None:
                lead_scan = _scan(ruleset, lead_article(article), now)[0]
                lead_scan.whole = article
                lead_scan.whole_scan = scanned   # the language and kind detected once, from the whole article
                lead = lead_scan, set(lead_scan.hits)
            view, view_atoms = lead
        # every clause needs a hit: most candidates fail here, before any rule logic runs
        if any(clause.isdisjoint(view_atoms) for clause in clauses[index]):
            continue
        unwritten = _write_term_hits(scanned, terms, unwritten)
        if place_hits is None:
            place_hits = _places(ruleset, scanned)
        if where is None and compiled.needs_event_place:
            where = _where(ruleset, scanned, place_hits)
        if where is not None:
            view.event_places = where.chain
        if not compiled.when.holds(view):
            continue
        evidence = compiled.when.evaluate(view) or []
        if where is None:   # most articles match no rule: the event's place is found only for a match
            where = _where(ruleset, scanned, place_hits)
        regions, keys, mentioned, country, _ = where
        rule = compiled.rule
        kind = None
        if rule.policy.reads_kind:
            kind = view.kind
        facts = view.facts.as_dict()
        if view is not scanned:
            facts = _with_wounded_from_the_body(facts, scanned)
        matches.append(Match(
            rule_id=rule.id,
            rule_title=rule.title,
            severity=rule.severity,
            tags=rule.tags,
            regions=regions,
            region_keys=keys,
            facts=facts,
            evidence=tuple(evidence),
            template=rule.template,
            key=_key(rule.key, rule.id, country, article),
            throttle=rule.throttle,
            policy=rule.policy,
            mentioned=mentioned,
            language=view.language,
            kind=kind,
        ))
    return matches


def _key(parts: tuple[str, ...], rule_id: str, country: str, article: Article) -> str:
    """`region` in a key is the country of the event's place (a Banjska and a Zvečan report are
    both about Kosovo), else the event's place itself."""
    values = {"rule": rule_id, "region": country, "source": article.source}
    return "|".join(f"{p}={values[p]}" for p in parts)


def _with_wounded_from_the_body(facts: dict[str, int | str], whole: ScanResult) -> dict[str, int | str]:
    """A long report's lead tells its dead; its wounded often come paragraphs later ("Hospital officials said
    eleven people were being treated"). With dead in the lead and no wounded there, the whole text's wounded
    count: background paragraphs give earlier attacks' dead far more often than a wounded figure."""
    if "killed" not in facts or "wounded" in facts:
        return facts
    wounded = whole.facts.wounded
    if wounded is None:
        return facts
    return {**facts, "wounded": wounded}
