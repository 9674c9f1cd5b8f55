"""Whose army a build-up headline says moves: "Brazil sends armoured vehicles", "Venezuela reinforces border",
"Satellite photos show Venezuelan troops", "US warns of Serbian build-up".

A build-up is one army's move. In a crisis several armies move at once (Venezuela massing troops near Guyana,
Brazil reinforcing its own border against both), and their reports share the crisis's places and words, but each
army's move is an incident of its own, unless the two armies mass against each other (Cambodia sending
reinforcements to the Thai border, the Thai army reinforcing along the Cambodian frontier): one standoff.
Clustering (`bot.events.build_ups`) asks this to keep them apart. Pure functions of the headline and the countries'
names, so they can be told and tested alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# words that may stand between a people and its forces: "Serbian military build-up", "Russian armoured units"
_QUALIFIERS = (r"(?:military|armou?red|special|naval|elite|regular|additional|extra|more|new|fresh|border|ground|"
               r"combat|army|air|reserve|frontline)")
# what an army is made of: "Venezuelan troops", "Russia's forces", "Serbian build-up"
_FORCES = (r"(?:troops?|soldiers|forces|army|armed\s+forces|military|navy|marines|tanks|warships|units|"
           r"reinforcements|deployment|build-?ups?|buildups?|armou?r|armou?red\s+vehicles|garrisons?)")
# what an army does when it builds up, right after its country's name: "Brazil sends", "Chad to deploy"
_MOVES = (r"(?:(?:to|will)\s+)?(?:sends?|sent|deploys?|deployed|reinforces?|reinforced|builds?\s+up|built\s+up|"
          r"mass(?:es|ed)?|amass(?:es|ed)?|moves?|moved|rush(?:es|ed)?|dispatch(?:es|ed)?|mobili[sz]es?|"
          r"mobili[sz]ed|bolsters?|bolstered|boosts?|boosted|doubles?|doubled|stations?|stationed|beefs?\s+up|"
          r"steps?\s+up|pours?|poured|shifts?|shifted|"
          # told as under way: "Guyana says Venezuela is moving troops toward disputed border"
          r"(?:is|are|was|were|has\s+been|have\s+been)\s+(?:moving|massing|amassing|sending|deploying|reinforcing|"
          r"building\s+up|mobili[sz]ing|pouring|rushing|shifting|bolstering))")


# what a country does when it only speaks of a move, right after its name: "US urges Belgrade to pull back forces"
_SPEAKS = (r"(?:says?|said|urges?|urged|warns?|warned|calls?\s+on|calls?\s+for|demands?|demanded|accuses?|"
           r"accused|condemns?|condemned|welcomes?|welcomed|asks?|asked|voices?)")


READ_CACHE = 4096   # headlines whose reading is kept


class ArmyReader:
    """Reads, from a headline, the countries whose forces it says move or mass."""

    def __init__(self, names: Mapping[str, str]) -> None:
        """`names` maps each way a country or its people is written ("Venezuelan", "US") to the country's name.
        Acronyms of forces and missions ("KFOR", "FARDC") are left to the caller to leave out: KFOR's troops are
        not Kosovo's army."""
        self._country = {n.lower(): country for n, country in names.items()}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._pattern = re.compile(
            rf"(?<![\w-])(?P<name>{alternatives})(?![\w-])"
            rf"(?P<moves>(?:'s|’s)?\s+(?:{_QUALIFIERS}\s+){{0,2}}{_FORCES}\b|\s+{_MOVES}\b)?",
            re.IGNORECASE)
        self._speaking = re.compile(rf"(?<![\w-])(?P<name>{alternatives})(?![\w-])\s+{_SPEAKS}\b", re.IGNORECASE)
        # a headline is asked about once per open incident it is weighed against: read each once (a search of
        # some 1,600 names costs about 0.3 ms)
        self._read: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def countries_named(self, title: str) -> frozenset[str]:
        """Every country the headline names, as a place or a people ("along Cambodian frontier")."""
        return self._reading(title)[1]

    def speakers(self, title: str) -> frozenset[str]:
        """The countries the headline has speak of a move rather than make it ("US urges Belgrade to pull back
        forces", "Kosovo says Serbia is massing troops"): a government's statement, by its name right before a verb
        of saying."""
        return frozenset(self._country[hit.group("name").lower()] for hit in self._speaking.finditer(title)
                         if hit.group("name")[:1].isupper())

    def whose_forces(self, title: str) -> frozenset[str]:
        """A country's name right before a verb of moving forces ("Brazil sends", "Venezuela reinforces
        border"), or a country or people right before its forces ("Venezuelan troops", "Serbian build-up",
        "Russia's army"). A country that only speaks ("Serbia says troops ... cut back"), hosts or is
        threatened is none; a name written in lower case is no name."""
        return self._reading(title)[0]

    def _reading(self, title: str) -> tuple[frozenset[str], frozenset[str]]:
        found = self._read.get(title)
        if found is None:
            moving: set[str] = set()
            named: set[str] = set()
            for hit in self._pattern.finditer(title):
                name = hit.group("name")
                if name[:1].isupper():
                    named.add(self._country[name.lower()])
                    if hit.group("moves"):
                        moving.add(self._country[name.lower()])
            if len(self._read) >= READ_CACHE:
                self._read.clear()
            found = self._read[title] = (frozenset(moving), frozenset(named))
        return found
