"""Whose build-up a report tells: another army's build-up in the same crisis is another incident
(`other_armies`), the same army's from another angle is the same one (`same_army`). The reading of the headline
is `bot.events.army_reading`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from bot.engine.regions import RegionBook
from bot.events.army_reading import ArmyReader
from bot.events.model import report_places
from bot.events.places import division_names, where_it_happened_named
from bot.models import Article, Event, Match


@lru_cache(maxsize=1)
def _army_reader() -> ArmyReader:
    """Every way the gazetteer writes a country or its people, less the acronyms of forces and missions it lists
    among a country's peoples ("KFOR", "FARDC"): KFOR's troops are not Kosovo's army."""
    names: dict[str, str] = {}
    for region in RegionBook.with_countries().regions.values():
        if region.kind == "country":
            for name in region.names:
                if not (name in region.demonyms and name.isupper()):
                    names.setdefault(name, region.name)
    return ArmyReader(names)


def builds_up(facts: Mapping[str, Any]) -> bool:
    """Troops on the move and no dead: a build-up, not a clash (whose two sides' forces are its actors)."""
    return ("troops" in facts or "troops_change" in facts) and "killed" not in facts


def other_armies(event: Event, match: Match, article: Article | None) -> tuple[str, str] | None:
    """A build-up report whose headline moves another army than the build-up's headlines do ("Venezuela reinforces
    border" and "Brazil sends armoured vehicles to Roraima", in one crisis): (this army, the incident's), or None.
    A build-up is one army's move; its reports share the crisis's places and words with every other army's. Two
    armies massing against each other are one standoff: each headline names the other's country ("Cambodia sends
    reinforcements to Thai border", "Thai army reinforces posts along Cambodian frontier")."""
    if article is None or not builds_up(match.facts) or not builds_up(event.facts):
        return None
    reader = _army_reader()
    mine = reader.whose_forces(article.title)
    if not mine:
        return None
    theirs = armies_of(event)
    if not theirs or not mine.isdisjoint(theirs):
        return None
    they_name = set().union(*(reader.countries_named(title) for title in _headlines(event)))
    if not theirs.isdisjoint(reader.countries_named(article.title)) and not mine.isdisjoint(they_name):
        return None   # facing each other: one standoff
    return ", ".join(sorted(mine)), ", ".join(sorted(theirs))


def actors_of(countries: Sequence[str], article: Article | None) -> list[str]:
    """The countries a report is about, in order: less a third country that only speaks in its headline ("US urges
    Belgrade to pull back forces near Kosovo" is about Serbia and Kosovo), when two others remain. A side that
    speaks is still a side: "Kosovo says Serbia is massing troops" names no third. Two countries the headline names
    come first: a third country named only in the text, or speaking through its capital ("Washington urges Venezuela
    to pull troops back from Guyana border"), is no actor."""
    if article is None:
        return list(countries)
    reader = _army_reader()
    speaking = reader.speakers(article.title)
    others = [c for c in countries if c not in speaking]
    headline = [c for c in others if c in reader.countries_named(article.title)]
    if len(headline) >= 2:
        return headline   # "Washington urges Venezuela to pull troops back from Guyana border": its capital speaks
    if len(others) >= 2:
        return others
    return list(countries)


def _headlines(event: Event) -> list[str]:
    """The incident's first headline and the one it shows now."""
    headline = event.headline
    return [title for title in (headline.get("title"), (headline.get("first") or {}).get("title")) if title]


def armies_of(event: Event) -> set[str]:
    """The countries whose forces a build-up's headlines move (none for an incident with dead: a clash)."""
    if not builds_up(event.facts):
        return set()
    reader = _army_reader()
    return set().union(*(reader.whose_forces(title) for title in _headlines(event)))


def same_army(event: Event, candidates: Sequence[Event], match: Match, article: Article | None) -> str | None:
    """The army a build-up report's headline moves, when the incident's headlines move it too, no other open
    build-up does, and the two share the area it masses in, a province or an operator's region ("Satellite photos
    show Venezuelan troops and boats at Anacoco island" for "Venezuela builds up forces near Guyana border", both
    in the contested Essequibo): reported from another angle, one army's build-up shares few words. An army has
    many fronts, so its country and towns (its capital speaks of every one of them) are not enough."""
    if article is None or not builds_up(match.facts) or not where_it_happened_named(event, match):
        return None
    # a province, or an operator's region (named by its id: "contested-areas")
    areas = {p for p in report_places(match) if p in division_names() or not p[:1].isupper()}
    if areas.isdisjoint(event.places or event.regions):
        return None
    shared = _army_reader().whose_forces(article.title) & armies_of(event)
    if not shared:
        return None
    if any(e.id != event.id and not shared.isdisjoint(armies_of(e)) for e in candidates):
        return None
    return ", ".join(sorted(shared))
