"""Histories of news over days, written by us, for the trend rules' tests: distinct fatal clashes in named
towns, troop build-ups, and ordinary news between them, as JSON Lines the backtest and the feeds read.

Each clash is told in its own words (its own town, attackers and victims), so the events stage keeps
them apart as separate incidents, as real reports of separate attacks are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
# a flatline over the histories' one outlet
WIRE_SILENT = """
id: wire-silent
title: A wire fell silent
severity: low
tags: [health]
trend: {flatline: {sources: [sahel-wire], within: 12h}}
"""

# (town, country): each clash of a history takes the next unused town of its country
TOWNS = {
    "Nigeria": ["Maiduguri", "Kano", "Jos", "Kaduna", "Yola", "Bauchi", "Sokoto", "Makurdi"],
    "Mali": ["Gao", "Mopti", "Timbuktu", "Kidal", "Segou", "Sikasso"],
    "Kosovo": ["Peja", "Prizren", "Gjilan", "Ferizaj", "Gjakova", "Podujevo"],
}
# one way of telling a deadly attack per clash, each in words of its own, so no two read as one incident
CLASHES = [
    ("Gunmen kill {n} police officers at checkpoint in {town}",
     "Armed men opened fire on a police checkpoint on the road into {town}, {country}, killing {n} officers."),
    ("{N} villagers dead after raid on market in {town}",
     "Raiders on motorbikes swept through the weekly market of {town} in {country} and shot {n} villagers dead."),
    ("Militants ambush army convoy near {town}, {n} soldiers killed",
     "An army convoy was ambushed outside {town}; {n} soldiers died when insurgents detonated a roadside bomb."),
    ("{N} farmers slain in night attack on {town} settlement",
     "Attackers torched huts in a farming settlement near {town}, {country}, overnight, and {n} farmers were slain."),
    ("Bandits storm mining camp in {town}, killing {n}",
     "Heavily armed bandits stormed a gold mining camp at {town} and killed {n} miners, {country} authorities said."),
    ("Suicide bomber kills {n} at bus station in {town}",
     "A suicide bomber blew himself up among travellers at the main bus station of {town}, killing {n} people."),
    ("{N} worshippers shot dead in church attack in {town}",
     "Gunmen burst into a Sunday service in {town}, {country}, and shot {n} worshippers dead before fleeing."),
    ("Clashes between rival militias leave {n} dead in {town}",
     "Fighting between two rival militias for control of {town} in {country} left {n} fighters dead."),
]
# build-ups in a country's towns, each told its own way, so that each is an incident of its own
DEPLOYMENTS = [
    ("Army masses troops near {town}",
     "The army massed thousands of troops and tanks near {town}, {country}, on {day}, officials said."),
    ("Troops mass outside {town} with artillery",
     "Hundreds of soldiers with artillery massed outside {town}, {country}, on {day}, residents reported."),
    ("Military build-up reported around {town}",
     "Convoys of armoured vehicles and fresh troops arrived around {town} on {day} in a build-up across {country}."),
    ("Thousands of soldiers deployed to {town} border area",
     "{country} deployed about 3,000 soldiers and armoured vehicles to the border area near {town} on {day}, "
     "the defence ministry said."),
    ("Tanks and troops gather near {town}",
     "Satellite images show tanks, howitzers and troops gathering near {town} in {country} since {day}."),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"]
CALM = ["Central bank holds interest rate steady", "City council opens new library wing",
        "Farmers expect a strong maize harvest", "Football league announces new fixtures",
        "Rail operator adds evening trains", "Hospital wing reopens after renovation"]


@dataclass
class History:
    """Articles in publication order, built by the helpers below."""

    articles: list[dict[str, object]]
    used: dict[str, int]

    @classmethod
    def new(cls) -> History:
        return cls([], {})

    def clash(self, hours: float, country: str, source: str = "sahel-wire") -> History:
        """A fatal attack on a town of `country`, `hours` after START."""
        n = len(self.articles)
        index = self.used.get(country, 0)
        self.used[country] = index + 1
        town = TOWNS[country][index]
        headline, lead = CLASHES[(n + index) % len(CLASHES)]
        number = NUMBERS[n % len(NUMBERS)]
        values = {"n": number, "N": number.capitalize(), "town": town, "country": country}
        title, text = headline.format(**values), lead.format(**values)
        return self._add(hours, source, title, text, f"clash-{town.lower()}")

    def buildup(self, hours: float, country: str, source: str = "sahel-wire") -> History:
        """Troops massing near a border of `country`."""
        title = f"Army masses troops and armour near the {country} border"
        text = (f"Satellite pictures show thousands of soldiers, tanks and artillery deployed along the "
                f"border with {country}, officials said, describing the largest build-up in years.")
        return self._add(hours, source, title, text, f"buildup-{country.lower()}-{len(self.articles)}")

    def deployment(self, hours: float, country: str, source: str = "sahel-wire") -> History:
        """Troops sent to a town of `country`, told differently each time (a separate build-up)."""
        n = len(self.articles)
        index = self.used.get(country, 0)
        self.used[country] = index + 1
        town = TOWNS[country][index % len(TOWNS[country])]
        headline, lead = DEPLOYMENTS[index % len(DEPLOYMENTS)]
        day = DAYS[int(hours // 24) % len(DAYS)]
        values = {"town": town, "country": country, "day": day}
        return self._add(hours, source, headline.format(**values), lead.format(**values), f"deploy-{n}")

    def calm(self, hours: float, source: str = "sahel-wire") -> History:
        """Ordinary news that no rule matches: a sign of life of its source."""
        n = len(self.articles)
        title = CALM[n % len(CALM)]
        return self._add(hours, source, title, f"{title}, the announcement said on day {n}.", f"calm-{n}")

    def _add(self, hours: float, source: str, title: str, text: str, ident: str) -> History:
        published = START + timedelta(hours=hours)
        self.articles.append({"id": f"{ident}-{len(self.articles)}", "source": source, "title": title,
                              "text": text, "published": published.isoformat().replace("+00:00", "Z"),
                              "url": f"https://{source}.example/{ident}-{len(self.articles)}"})
        return self

    def write(self, path: Path) -> Path:
        ordered = sorted(self.articles, key=lambda a: str(a["published"]))
        path.write_text("".join(json.dumps(a) + "\n" for a in ordered), encoding="utf-8")
        return path
