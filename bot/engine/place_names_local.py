"""Place names as Serbian, Albanian, Russian and Ukrainian news write them, declined.

GeoNames gives a town's names in the nominative ("Banjska", "Митровица"); these languages
decline them ("kod Banjske", "u Banjskoj", "në Banjskë", "в Митровице"), and the engine counts a
name only as written. data/place_names_local.yaml lists the forms for the countries and towns
of the shipped rules, and the peoples' adjectives ("srpski", "kosovar", "российский"); this
module adds them to a RegionBook after its towns are loaded (compile.py calls it).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from bot.engine.regions import RegionBook

DATA_FILE = "place_names_local.yaml"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("bot.engine").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    return data if isinstance(data, dict) else {}


def _towns(book: RegionBook, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(name, country code) -> town id for the wanted towns, in one pass over the book's towns."""
    countries = {book.refs[code.lower()]: code for _, code in wanted if code.lower() in book.refs}
    # a town's parent is its country or one of the country's divisions
    parents = {region.id: countries[region.parent] for region in book.regions.values()
               if region.kind == "division" and region.parent in countries}
    parents.update(countries)
    names = {name for name, _ in wanted}
    found: dict[tuple[str, str], str] = {}
    for region in book.regions.values():
        code = parents.get(region.parent) if region.parent else None
        if code is None or region.kind != "city":
            continue
        for name in names.intersection(region.names):
            found.setdefault((name, code), region.id)
    return found


def _extend(book: RegionBook, region_id: str, names: list[str], demonyms: bool = False) -> None:
    region = book.regions[region_id]
    new = tuple(n for n in dict.fromkeys(str(n) for n in names) if n not in region.names)
    book.regions[region_id] = dataclasses.replace(
        region, names=region.names + new, demonyms=region.demonyms + (new if demonyms else ()))


def add_local_names(book: RegionBook) -> RegionBook:
    """The book with the declined names and peoples' adjectives added to its regions (in place)."""
    data = _data()
    towns = _towns(book, {(str(e.get("place")), str(e["country"])) for e in data.get("places") or ()
                          if "country" in e})
    for entry in data.get("places") or ():
        place = str(entry.get("place", ""))
        names = [str(n) for n in entry.get("names") or ()]
        if "country" in entry:
            region_id = towns.get((place, str(entry["country"])))
        elif "in" in entry:
            # a village the gazetteer lacks: its forms name the first of these regions that exists,
            # as the nominative does in the operator's regions file (Banjska is north-kosovo)
            region_id = next((found for ref in entry["in"] if (found := book.resolve(str(ref)))), None)
        else:
            region_id = book.resolve(place)
        if region_id is not None and region_id in book.regions:
            _extend(book, region_id, names)
    for place, names in (data.get("peoples") or {}).items():
        region_id = book.resolve(str(place))
        if region_id is not None:
            _extend(book, region_id, [str(n) for n in names], demonyms=True)
    return book
