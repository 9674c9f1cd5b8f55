"""The names people use for countries and territories, for rules, regions files and /subscribe.

The gazetteer files each country under one name (`Bosnia and Herzegovina`, `Eswatini`) and
finds the others in articles (countries.yaml's aliases), but a rule or a subscription had to use
that one name or its ISO code: `regions: [bosnia]` was refused. Here every alias also names
the country where a rule or `/subscribe` names a region, with a few former and short names
people still write. A division keeps its own name (`England`, `Formosa` in Argentina) unless a
name is listed in PREFERRED; a name two countries share is settled in SHARED, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.yamldoc import did_you_mean

if TYPE_CHECKING:
    from bot.engine.regions import RegionBook

# Former and short names the country file does not list (it lists names found in articles;
# these are names people type). ISO 3166-1 codes.
OTHER_NAMES: dict[str, str] = {
    "Ceylon": "LK", "Siam": "TH", "Persia": "IR", "Upper Volta": "BF", "Burkina": "BF", "Dahomey": "BJ",
    "Moldavia": "MD", "Rhodesia": "ZW", "Emirates": "AE", "Saudi": "SA", "CAR": "CF", "Trinidad": "TT",
}


@dataclass(frozen=True)
class Shared:
    """A name several countries or places answer to: which one a rule means by it, and why."""

    candidates: tuple[str, ...]   # ISO codes (countries) or region ids
    chosen: str | None            # None: the name is refused, the user must say which
    why: str


SHARED: dict[str, Shared] = {
    "congo": Shared(("CD", "CG"), "CD",
                    "'Congo' alone in the news nearly always means the Democratic Republic (Kinshasa): about 100 "
                    "million people against 6 million, and the war in the east; for the Republic of the Congo "
                    "write 'congo-brazzaville' or 'cg'"),
    "korea": Shared(("KP", "KR"), None, "North and South Korea are both called Korea: write 'north-korea' or "
                                        "'south-korea' (or both)"),
    "virgin-islands": Shared(("VG", "VI"), None, "write 'british-virgin-islands' or 'us-virgin-islands'"),
    "gaza": Shared(("PS", "div:mz-g"), "PS",
                   "'Gaza' in the news is the Gaza Strip (Palestine); for the province of Mozambique write 'mz-g'"),
}

# Names that win over a division of the same name: what a person means by them.
PREFERRED = {name: shared.chosen for name, shared in SHARED.items() if shared.chosen is not None}


def add_names(book: RegionBook, aliases: dict[str, tuple[str, ...]]) -> None:
    """Let `book.resolve` take every country's other names (aliases by ISO code, from the
    country file) and OTHER_NAMES; a division, operator region or country name already known
    keeps its name, except for PREFERRED ones; names in SHARED with no choice resolve to nothing."""

    def country(code: str) -> str | None:
        return book.refs.get(code.lower())

    for code, names in aliases.items():
        region_id = country(code)
        if region_id is None:
            continue
        for name in names:
            _add_ref(book, name, region_id)
    for name, code in OTHER_NAMES.items():
        region_id = country(code)
        if region_id is not None:
            _add_ref(book, name, region_id)
    for name, shared in SHARED.items():
        if shared.chosen is None:
            book.refs.pop(name, None)
        else:
            chosen = country(shared.chosen) if len(shared.chosen) == 2 else shared.chosen
            if chosen is not None:
                book.refs[name] = chosen


def _add_ref(book: RegionBook, name: str, region_id: str) -> None:
    """A name in another script is keyed by its Latin folding ("Србија" as `srbija`); a name with no Latin
    form at all (Arabic, Chinese) is not keyed: its slug is empty, and an empty key answered every name in a
    script the slug drops ("Косово" resolved to the Emirates through their Arabic name)."""
    from bot.engine.regions import ref_key

    key = ref_key(name)
    if key:
        book.refs.setdefault(key, region_id)


def ambiguous(ref: str) -> str | None:
    """`'korea' is ambiguous: ...` for a name several countries share and none is chosen for."""
    from bot.engine.regions import slug

    shared = SHARED.get(slug(ref.strip().lower().removeprefix("the ")))
    if shared is None or shared.chosen is not None:
        return None
    return f"{ref!r} is ambiguous: {shared.why}"


def unknown_region_hint(ref: str, book: RegionBook, *, pointer: bool = True) -> str:
    """What to say when a rule, a regions file or /subscribe names a region nobody knows: the
    reason when the name is shared, the town it is when it is one, else the closest name."""
    from bot.engine.regions import slug

    key = slug(ref.strip().lower().removeprefix("the "))
    reason = ambiguous(ref)
    if reason is not None:
        return reason
    town = _town(key, book)
    if town is not None:
        return town
    close = did_you_mean(key, book.ids())
    if not pointer:
        return close or "no country, division, town or region of yours has this name"
    return (close + "; " if close else "") + f"`beacon regions {ref}` shows what a name means"


def _town(key: str, book: RegionBook) -> str | None:
    """`'Mitrovica' is a town (in Mitrovica, Kosovo) ...` when the name is one of the world's larger towns."""
    from bot.engine.regions import slug, world

    if not key:
        return None
    towns = sorted((city for city in world().cities if slug(city.name) == key), key=lambda city: -city.population)
    if not towns:
        return None
    where = []
    for town in towns[:3]:
        chain = [book.regions[r].name for r in book.ancestors(town.parent or "")]
        where.append(", ".join(chain) or "an unknown country")
    return (f"{towns[0].name!r} is a town (in {'; '.join(where)}); a rule names a country, a division or a "
            f"region of yours: use one of those, or define a region with names: [{towns[0].name}]")
