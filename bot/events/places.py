"""Where a report and an incident are, as the gazetteer names them: their countries, provinces and towns, which
names tell no incident apart (a country, its people, a province), whether two sets of places meet, and what a
wire's dateline or a speaking capital adds that is not where it happened."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.engine.regions import ID_FORM, Region, RegionBook
from bot.events.followup_reading import dateline_only
from bot.events.model import key_region, report_places
from bot.events.terms import NOT_NAMES, WORD, Terms, fold, names_in_title, stem_of
from bot.models import Article, Event, Match


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Countries as the engine names them in a match's places ("Mali", "Armenia")."""
    return frozenset(c.name for c in RegionBook.with_countries().regions.values() if c.kind == "country")


@lru_cache(maxsize=1)
def not_distinctive() -> frozenset[str]:
    """Folded words that name a country, its people or a first-level division: every report of every
    incident there names them ("Malian", "Tillaberi"), so they tell no incident from another."""
    book = RegionBook.with_countries()
    words: set[str] = set()
    for region in book.regions.values():
        if region.kind in ("country", "division"):
            for name in region.names:
                words.update(stem_of(fold(w.group())) for w in WORD.finditer(name))
    return frozenset(words) | NOT_NAMES


def countries_in(places: Iterable[str]) -> list[str]:
    """The countries among places, in order, once each."""
    known = country_names()
    return list(dict.fromkeys(p for p in places if p in known))


def towns(places: Iterable[str]) -> set[str]:
    """Places below a division: towns and villages (not countries, divisions or an operator's broad regions)."""
    words = not_distinctive()
    return {p for p in places if p[:1].isupper() and stem_of(fold(p)) not in words
            and p not in country_names()}


_SPEAKS = re.compile(r"\s+(?:says?|said|accuses?|accused|warns?|denies|denied|blames?|claims?|condemns?|"
                     r"calls?|vows?|rejects?|silent|insists?|reports?|confirms?)\b", re.IGNORECASE)


def speaks(title: str, town: str) -> bool:
    """Is a town in a headline a government speaking ("Baku says 50 servicemen died"), not where it happened?"""
    at = title.find(town)
    return at >= 0 and _SPEAKS.match(title, at + len(town)) is not None


def distinct_title_names(article: Article | None) -> set[str]:
    """The headline's names below country level ("Mitrovica" in "Two killed in exchange of fire in North Mitrovica")."""
    if article is None:
        return set()
    return {stem_of(fold(n)) for n in names_in_title(article.title)} - not_distinctive()


def own_places(match: Match, article: Article) -> list[str]:
    """Where the report says it happened, less the capital its wire files from and the province that capital
    brought with it ("DAMASCUS (Compass Wire) -" gives Damascus and its governorate; the text names neither)."""
    names = place_names()
    dateline = dateline_only(article.text, article.title, match.regions, names)
    if not dateline:
        return list(match.regions)
    said = f"{article.title} {article.text}".lower()
    implied = {p for p in match.regions if p in division_names()
               and not any(n.lower() in said for n in names.get(p, (p,)))}
    return [p for p in match.regions if p not in dateline and p not in implied]


def holds_places_of(event: Event, match: Match, article: Article) -> bool:
    """Does the incident hold every place the report names where it happened (less the wire's dateline) and every
    name of its headline (less a speaker's: "UN says")? A later report often names a larger place than the first: the
    district or province a village lies in ("Toll in Soum province attack passes 100" for an attack on Djibo, in the
    Sahel region), so a division inside a province the incident holds is held (`inside_places_of`). When neither
    names a place the gazetteer knows (a village it lacks), the headline's names decide alone."""
    own = own_places(match, article)
    theirs = set(event.places or event.regions) | set(event.regions)
    names = {stem_of(fold(n)) for n in event.names}
    spoken = {stem_of(fold(n)) for n in names_in_title(article.title) if speaks(article.title, n)}
    title_names = distinct_title_names(article) - spoken
    if not own:   # neither placed: the headline names one of the incident's names ("Marawi bombing ...") and no other
        title_words = {stem_of(fold(w.group())) for w in WORD.finditer(article.title)} - not_distinctive()
        return not theirs and not title_words.isdisjoint(names) and title_names <= names
    if not inside_places_of(own, theirs):
        return False
    if not theirs - country_names():
        title_names -= {stem_of(fold(p)) for p in own}   # its own places, in a country the incident is placed by alone
    return title_names <= names


@lru_cache(maxsize=1)
def _enclosing() -> dict[str, frozenset[str]]:
    """The places each country and division lies in, by the names a match gives them ("Soum" -> {"Sahel", "Burkina
    Faso"}); the gazetteer's divisions, first and second level."""
    book = RegionBook.with_countries()
    out: dict[str, set[str]] = {}
    for region in book.regions.values():
        if region.kind in ("country", "division"):
            out.setdefault(region.name, set()).update(
                book.regions[a].name for a in book.ancestors(region.id)[1:] if a in book.regions)
    return {name: frozenset(held) for name, held in out.items()}


def enclosing_places(place: str) -> frozenset[str]:
    """The divisions and the country a division of this name lies in ("Soum" -> {"Sahel", "Burkina Faso"})."""
    return _enclosing().get(place, frozenset())


def inside_places_of(own: Iterable[str], theirs: set[str]) -> bool:
    """Do the places a report says it happened lie where the incident is: each one the incident holds, or a division
    inside a province it holds (the district a village lies in, told the next day), or, for an incident placed by its
    country alone (the engine could not place its village), anywhere in that country? A town or a province the
    incident never named, beside the ones it did, is elsewhere. An operator's region named with a town is the town's
    ("Donetsk" and "donbas"): the town decides."""
    own = list(own)
    countries = set(countries_in(own))
    provinces = theirs - country_names()
    unplaced = not provinces
    below = [p for p in own if p not in countries and not operator_region(p)]
    if below:   # an operator's region the engine gives with a town ("donbas" with Donetsk) is the town's
        own = [p for p in own if not operator_region(p) or p in theirs]
    for place in own:
        if place in theirs:
            continue
        if not _enclosing().get(place, frozenset()).isdisjoint(provinces):
            continue   # a district or province inside one the incident holds
        if named_like_a_province(place, provinces):
            continue   # "Bryansk bus attack" for one in Bryansk Oblast: the province by its capital's name
        if unplaced and countries and countries <= theirs:
            continue   # the incident is placed by its country alone: its village, unknown to the gazetteer, is here
        return False
    return True


def named_like_a_province(town: str, provinces: Iterable[str]) -> bool:
    """Is a town named as a province the incident holds is, less the word for what kind of division it is ("Bryansk"
    and "Bryansk Oblast", "Donetsk" and "Donetsk Oblast", "Kirkuk" and "Kirkuk Governorate")? Many provinces bear their
    capital's name, and a report saying "the Bryansk bus attack" may mean either: the engine reads the town."""
    words = [stem_of(fold(w.group())) for w in WORD.finditer(town)]
    if not words:
        return False
    for province in provinces:
        if province not in division_names():
            continue
        theirs = [stem_of(fold(w.group())) for w in WORD.finditer(province)]
        if [w for w in theirs if w not in _ADMINISTRATIVE and w not in _KINDS_OF_DIVISION] == words:
            return True
    return False


# words ISO 3166-2 names add to a division's name, besides `_ADMINISTRATIVE`'s
_KINDS_OF_DIVISION = frozenset("governorate prefecture municipality department krai kray republic".split())


def operator_region(place: str) -> bool:
    """Is the place one of the operator's broad regions ("north-kosovo", "donbas", "kosovo-serbia-line"), named by its
    id, which has the form the rules' loader requires (`ID_FORM`)? Like a province it holds many incidents, so it
    counts as one. A town whose name starts in lower case ("eMbalenhle", "al-Yarmūk") has capitals or letters no id
    has: it is a town. (Until 8 December 2026 any word starting in lower case was taken for a region.)"""
    return ID_FORM.match(place) is not None


@lru_cache(maxsize=1)
def division_names() -> frozenset[str]:
    """Provinces, states and regions of countries, as the engine names them in a match ("Sagaing Region")."""
    return frozenset(r.name for r in RegionBook.with_countries().regions.values() if r.kind == "division")


@lru_cache(maxsize=1)
def place_names() -> dict[str, tuple[str, ...]]:
    """Every way the gazetteer's countries and provinces are written, by the name a match gives them."""
    return {r.name: r.names for r in RegionBook.with_countries().regions.values()}


def peoples_of(countries: Iterable[str]) -> list[str]:
    """Every way the gazetteer writes these countries and their peoples ("Kyrgyzstan", "Kyrgyz")."""
    names = place_names()
    return [n for c in countries for n in names.get(c, (c,))]


def countries_of(event: Event) -> set[str]:
    """The countries an incident is in: its key's region and the countries among its places."""
    return {key_region(event.key), *countries_in(event.places or event.regions)} & country_names()


def places_meet(event: Event, match: Match) -> bool:
    """Does the report name a place the incident's reports named? Where it happened or in passing: a wire
    datelined in Beirut or London about a strike in Idlib names Idlib in its text. With no places on either
    side, there is nothing to tell them apart."""
    mine = report_places(match)
    theirs = event.places or event.regions
    return not mine or not theirs or not set(theirs).isdisjoint(mine)


def where_it_happened_named(event: Event, match: Match) -> bool:
    """Does the incident name the place this report says it happened? When the two only share places named
    in passing (Brazil reinforcing its border in a Venezuela-Guyana crisis names both), more must be shared."""
    return not match.regions or not set(match.regions).isdisjoint(event.places or event.regions)


# words of division names that say what kind of division it is, in English and the languages ISO 3166-2 keeps
_ADMINISTRATIVE = frozenset("""division region regiao zizhiqu oblast oblast' oblysy zupanija province provincia
district county state territory peopl highland island ilha islas""".split())


@lru_cache(maxsize=1)
def coarse_region_words() -> dict[str, frozenset[str]]:
    """Words that name an island or a region made of several divisions of one country, folded, with the divisions
    holding them: "Mindanao" (Northern Mindanao, the Autonomous Region in Muslim Mindanao), "Kivu" (North and South
    Kivu). A wire far away names the island, not the province ("on the southern island of Mindanao"). A word found
    in divisions of two countries ("North", "Region") or in one division only ("Muslim") names no such region, nor
    does a word of administration ("Division": Fiji's Central and Western Divisions, not the army's 6th Division)."""
    book = RegionBook.with_countries()
    country_words = {stem_of(fold(w.group())) for r in book.regions.values() if r.kind == "country"
                     for name in r.names for w in WORD.finditer(name)}
    holders: dict[str, set[tuple[str, str]]] = {}
    for region in book.regions.values():
        if region.kind != "division":
            continue
        country = _country_of(book.regions, region)
        for name in region.names:
            for found in WORD.finditer(name):
                word = stem_of(fold(found.group()))
                if len(word) >= 4 and word not in country_words and word not in _ADMINISTRATIVE:
                    holders.setdefault(word, set()).add((country, region.name))
    return {word: frozenset(name for _, name in held) for word, held in holders.items()
            if len({country for country, _ in held}) == 1 and len({name for _, name in held}) >= 2}


def _country_of(regions: dict[str, Region], region: Region) -> str:
    """The id of the country a division lies in (a province's parent may be a region of the country)."""
    seen = region
    while seen.parent is not None and seen.parent in regions and seen.kind != "country":
        seen = regions[seen.parent]
    return seen.id


def coarse_place_named(event: Event, terms: Terms) -> str | None:
    """The island or region (`coarse_region_words`) the report names that holds a division the incident lies in,
    if any: "Mindanao" for an ambush placed in Maguindanao del Sur, of the Muslim Mindanao region."""
    held = set(event.places or event.regions)
    words = coarse_region_words()
    for name in sorted(terms.names):
        if not held.isdisjoint(words.get(name, ())):
            return name
    return None
