"""`beacon regions NAME...`: what a place name means to Beacon, before a rule or a subscription uses it.

A rule's `regions:`, a regions file's `in:` and `/subscribe` take a country (by any of its names
or its ISO code), a first-level division (by name or ISO 3166-2 code) or an operator region;
articles also name towns. This says, for each name, which of those it is, what encloses it, its
codes and population, and, when several places answer to it, all of them in the order Beacon
weighs them (a country before anything else, then the larger place) and which one rules mean.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.engine.region_names import SHARED, ambiguous, unknown_region_hint
from bot.engine.regions import Region, RegionBook, slug
from bot.engine.text import fold_term

MAX_CANDIDATES = 8
_KIND_ORDER = {"country": 0, "region": 1, "division": 2, "city": 3}
_KIND_NAMES = {"country": "country", "division": "division", "region": "your region", "city": "town"}
_JSON_KINDS = {"country": "country", "division": "division", "region": "region", "city": "town"}


@dataclass(frozen=True)
class Place:
    """One place a name may mean."""

    region: Region
    chain: tuple[Region, ...]     # what encloses it, innermost first
    code: str | None              # ISO 3166-1 (country) or 3166-2 (division)
    ref: str | None               # how a rule or /subscribe names it; None for a town
    people: bool = False          # the name is its people's ("Serbian"), not the place's


@dataclass(frozen=True)
class Answer:
    """Everything one name may mean, the one rules take first."""

    name: str
    chosen: Place | None          # what `regions: [name]` means; None when rules refuse the name
    others: tuple[Place, ...]     # other places that answer to the name, most likely first
    note: str | None              # why a shared name means what it does, or why it is refused


def regions_book(rules_dir: Path | None, warn: TextIO | None = None) -> RegionBook:
    """The places the rules under rules_dir know: countries, divisions, the world's larger towns,
    every town of the countries the rules name, and the operator regions. Rules that do not load
    (perhaps the very region being looked up) leave out only the operator regions and their towns."""
    from bot.engine.compile import places_book
    from bot.engine.load import RuleSource, load_rules
    from bot.errors import RuleError

    source = RuleSource()
    if rules_dir is not None:
        try:
            source = load_rules(rules_dir)
        except RuleError as exc:
            if warn is not None:
                warn.write(f"note: the rules in {rules_dir} have {len(exc.problems)} problem(s) (see beacon check); "
                           "their regions are left out\n")
    return places_book(source)


def lookup(name: str, book: RegionBook, index: dict[str, set[str]] | None = None) -> Answer:
    """What `name` means: the place rules take, and every other place of that name."""
    index = index if index is not None else name_index(book)
    wanted = name.strip()
    if wanted.lower().startswith("the "):
        wanted = wanted[4:]
    chosen_id = book.resolve(name)
    ids = set(index.get(fold_term(wanted), ()))
    shared = SHARED.get(slug(wanted))
    note = None
    if shared is not None:
        note = shared.why
        for candidate in shared.candidates:
            resolved = book.resolve(candidate)
            if resolved is not None:
                ids.add(resolved)
    if chosen_id is not None:
        ids.add(chosen_id)
    elif not ids:
        note = ambiguous(name) or unknown_region_hint(name, book, pointer=False)
    places = sorted((describe(book, region_id, wanted) for region_id in ids if region_id != chosen_id), key=_rank)
    chosen = describe(book, chosen_id, wanted) if chosen_id is not None else None
    return Answer(name, chosen, tuple(places), note)


def _rank(place: Place) -> tuple[int, int, str]:
    return (_KIND_ORDER.get(place.region.kind, 9), -place.region.population, place.region.name)


def name_index(book: RegionBook) -> dict[str, set[str]]:
    """Folded name -> the regions written so; built once per command (about 60,000 names)."""
    index: dict[str, set[str]] = {}
    for region in book.regions.values():
        for written in (region.name, *region.names):
            index.setdefault(fold_term(written), set()).add(region.id)
    return index


def describe(book: RegionBook, region_id: str, name: str = "") -> Place:
    region = book.regions[region_id]
    chain = tuple(book.regions[r] for r in book.ancestors(region_id)[1:])
    return Place(region, chain, _code(book, region), _ref(book, region),
                 fold_term(name) in {fold_term(d) for d in region.demonyms})


def _code(book: RegionBook, region: Region) -> str | None:
    if region.kind == "country":
        return book.country_code(region.id)
    if region.kind == "division":
        return region.id.removeprefix("div:").upper()
    return None


def _ref(book: RegionBook, region: Region) -> str | None:
    """The shortest way a rule names the region: its name's slug when that resolves to it, else its code."""
    if region.kind == "city":
        return None
    for ref in (slug(region.name), region.id.removeprefix("div:"), region.id):
        if book.resolve(ref) == region.id:
            return ref
    return None


def format_place(place: Place) -> str:
    region = place.region
    what = _KIND_NAMES.get(region.kind, region.kind)
    facts = [what]
    if place.code:
        facts.append(place.code)
    if region.population:
        facts.append(f"{region.population:,} people")
    text = f"{region.name} ({', '.join(facts)})"
    if place.people:
        text += ", by its people's name"
    if place.chain:
        text += " in " + ", ".join(r.name for r in place.chain)
    if place.ref is not None:
        text += f"; in rules: {place.ref}"
    return text


def format_answer(answer: Answer) -> list[str]:
    lines = []
    if answer.chosen is not None:
        lines.append(f"{answer.name}: {format_place(answer.chosen)}")
    elif all(p.region.kind == "city" for p in answer.others) and answer.others:
        lines.append(f"{answer.name}: a town, which rules do not take: name its division or country, or a region "
                     f"of yours with names: [{answer.name}]; /subscribe takes it written as "
                     f"{_town_ref(answer.others[0])}")
    elif answer.others:
        lines.append(f"{answer.name}: not a name rules or /subscribe take; in articles it names")
    else:
        lines.append(f"{answer.name}: unknown")
    if answer.note:
        lines.append(f"  {'why' if answer.chosen is not None else 'note'}: {answer.note}")
    shown = answer.others[:MAX_CANDIDATES]
    label = "also" if answer.chosen is not None else "may be"
    for place in shown:
        lines.append(f"  {label}: {format_place(place)}")
    if len(answer.others) > len(shown):
        lines.append(f"  ... and {len(answer.others) - len(shown)} more of that name")
    return lines


def _town_ref(place: Place) -> str:
    """How /subscribe takes a town: its name as listed, with its country ("Mitrovicë, Kosovo")."""
    country = place.chain[-1].name if place.chain else ""
    return f"'{place.region.name}, {country}'" if country else f"'{place.region.name}'"


def place_json(place: Place, book: RegionBook) -> dict[str, object]:
    """One place as `--format json` writes it: what it is, how rules name it, and what encloses it."""
    region = place.region
    return {
        "id": region.id,
        "name": region.name,
        "kind": _JSON_KINDS.get(region.kind, region.kind),
        "code": place.code,
        "ref": place.ref,
        "population": region.population or None,
        "by_people_name": place.people,
        "parents": [_parent_json(parent, book) for parent in place.chain],
    }


def _parent_json(parent: Region, book: RegionBook) -> dict[str, object]:
    """An enclosing place, innermost first: enough to tell a division from its country."""
    code = _code(book, parent)
    return {"id": parent.id, "name": parent.name, "kind": _JSON_KINDS.get(parent.kind, parent.kind), "code": code}


def answer_json(answer: Answer, book: RegionBook) -> dict[str, object]:
    """One name's answer as a JSON object: `resolves_to` is what rules and /subscribe take (null when
    they refuse the name), `others` every other place of that name, most likely first."""
    chosen = None
    if answer.chosen is not None:
        chosen = place_json(answer.chosen, book)
    return {
        "name": answer.name,
        "resolves_to": chosen,
        "others": [place_json(place, book) for place in answer.others],
        "note": answer.note,
    }


def run(names: Sequence[str], rules_dir: Path | None, out: TextIO, warn: TextIO | None = None,
        output_format: str = "text") -> int:
    """Print what each name means (text, or one JSON object a line); exit 1 when one means nothing at all."""
    book = regions_book(rules_dir, warn)
    index = name_index(book)
    status = 0
    for answer in lookups(names, book, index):
        if output_format == "json":
            out.write(json.dumps(answer_json(answer, book), ensure_ascii=False) + "\n")
        else:
            out.write("\n".join(format_answer(answer)) + "\n")
        if answer.chosen is None and not answer.others:
            status = 1
    return status


def lookups(names: Iterable[str], book: RegionBook, index: dict[str, set[str]]) -> list[Answer]:
    return [lookup(name, book, index) for name in names]
