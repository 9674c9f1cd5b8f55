"""What an attack struck, and on which day, as its headline and text tell it: two attacks a few days apart in one
district ("Militia attack on displaced camp in eastern Congo kills 22", then "Gunmen kill gold miners in Congo's
Djugu territory") share the district, the group and the words of the region, but not their target nor their day.
Pure functions of the text, so each can be told and tested alone."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from bot.engine.lazy_regex import lazy_compile
from bot.events.followup_reading import weekdays_named
from bot.models import Event

# what an attack struck, as a headline names it, by one word for each (a village is left out: most attacks strike
# one, and a later report names the village where the first named the market)
_TARGETS = {
    "camp": r"camps?|displacement\s+sites?|displaced\s+sites?",
    "mine": r"miners?|mining|gold\s+mines?|gold\s+sites?|mining\s+sites?",   # a roadside mine is a weapon
    "market": r"markets?|marketplaces?",
    "convoy": r"convoys?",
    "bus": r"bus|buses|minibus\w*",
    "base": r"bases?|barracks|garrisons?",
    "school": r"schools?|pupils|students",
    "church": r"church\w*",
    "mosque": r"mosques?",
    "monastery": r"monaster(?:y|ies)|pagodas?|temples?",
    "checkpoint": r"checkpoints?|check\s+points?",
    "hospital": r"hospitals?|clinics?",
    "prison": r"prisons?|jails?",
    "train": r"trains?|railway",
    "hotel": r"hotels?",
    "wedding": r"weddings?",
}
_ATTACK_NOUN = (r"(?:attacks?|raids?|strikes?|airstrikes?|assaults?|bombings?|shelling|ambush(?:es)?|blasts?|"
                r"explosions?|massacres?|killings?|siege)")
_ATTACK_VERB = (r"(?:kill\w*|attack\w*|raid\w*|shell\w*|bomb\w*|storm\w*|hits?|struck|strikes?|ambush\w*|"
                r"massacr\w*|targets?\w*)")

# a target told in the passive: "fuel convoy is ambushed", "market shelled"
_ATTACKED = r"(?:ambushed|attacked|shelled|bombed|struck|hit|raided|stormed|targeted)"


def _struck(pattern: str) -> re.Pattern[str]:
    """A target as an attack's object: "attack on displaced camp", "Djugu camp massacre", "Gunmen kill gold miners",
    "hits army convoy", "fuel convoy ambushed"; not a place the dead or wounded were taken to ("brought to El Fasher
    hospital")."""
    target = rf"(?:{pattern})"
    return lazy_compile(
        rf"\b{_ATTACK_NOUN}\s+(?:on|at|against|near|in)\s+(?:an?\s+|the\s+|its\s+)?(?:[\w'’-]+\s+){{0,2}}?{target}\b|"
        rf"\b{target}\s+{_ATTACK_NOUN}\b|"
        rf"\b{target}\s+(?:is\s+|was\s+|were\s+|are\s+)?{_ATTACKED}\b|"
        rf"\b{_ATTACK_VERB}\s+(?:\w+\s+)?(?:an?\s+|the\s+|\d+\s+)?(?:[\w'’-]+\s+){{0,2}}?{target}\b",
        re.IGNORECASE)


_TARGET = {name: _struck(pattern) for name, pattern in _TARGETS.items()}


@lru_cache(maxsize=256)
def targets_of(title: str) -> frozenset[str]:
    """What a headline says was struck ("camp" for "Militia attack on displaced camp ...", "mine" for "Gunmen kill
    gold miners ..."), by one word for each; none when it names no such target as an attack's object."""
    return frozenset(name for name, pattern in _TARGET.items() if pattern.search(title))


def told_targets(title: str, text: str) -> frozenset[str]:
    """What a report says was struck, in its headline or its first sentence, which tells what the headline tells
    ("Rebels say 21 killed in Anéfis strike": "the toll from Sunday's strike on the market at Anéfis ..."); a target
    further down is often another attack recalled."""
    return targets_of(title) | targets_of(_first_sentence(text))


def incident_targets(event: Event) -> frozenset[str]:
    """What the incident's headlines (the first and the one shown) say was struck."""
    headline = event.headline
    titles = [headline.get("title") or "", (headline.get("first") or {}).get("title") or ""]
    return frozenset().union(*(targets_of(t) for t in titles))


ITS_DAY_SLACK = 1   # a report may date an attack to the day before its first report (a night attack, told at dawn)
# the clock furthest east (UTC+14): an attack's local day is at most the UTC date of its first report this much later,
# so a weekday one day after that UTC date ("early Tuesday" in Mindanao, first reported Monday 19:30 UTC) is its day
EASTMOST_OFFSET = timedelta(hours=14)


def its_dates(began: datetime) -> set[date]:
    """The days an incident first reported at `began` (UTC) may be dated to by a report: the UTC date, the day
    before it (a night attack told at dawn), and the next day where local clocks had passed midnight."""
    dates = {began.date() - timedelta(days=back) for back in range(ITS_DAY_SLACK + 1)}
    dates.add((began + EASTMOST_OFFSET).date())
    return dates


def names_other_day(title: str, text: str, began: datetime, published: datetime | None) -> bool:
    """Does a report, published within a week of an incident's start, date its own attack (in its headline or first
    sentence, which tell what the headline tells) only to days after the incident's first report ("killed 14 miners
    ... on Monday", for a camp raid first reported on Thursday), and name the incident's day nowhere? A weekday names
    the last such day on or before the report. A report of the incident dates it to its day, or to a day before the
    first report reached us (a night attack told at dawn, a feed that reported it late); a later count of its dead
    names the day it rose ("Tuesday's missile attack ... rose to 12 on Wednesday"); and a report recalling another
    attack dates that one further down ("It did not say whether they were linked to Monday's bombing")."""
    if published is None or published - began > timedelta(days=6) or published < began:
        return False
    named = attack_days(f"{title}. {_first_sentence(text)}")
    if not named:
        return False
    latest = max(its_dates(began))
    dates = {published.date() - timedelta(days=(published.weekday() - day) % 7) for day in named}
    if any(named_date <= latest for named_date in dates):
        return False
    its_days = {its_date.weekday() for its_date in its_dates(began)}
    return weekdays_named(f"{title}. {text}").isdisjoint(its_days)


_SENTENCE = lazy_compile(r"(?<=[a-z0-9)'’\"”])\.\s+(?=[A-Z])")


def _first_sentence(text: str) -> str:
    return _SENTENCE.split(text, maxsplit=1)[0]


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY = "|".join(_DAYS)
_DEED = r"(?:kill\w*|attack\w*|ambush\w*|raid\w*|bomb\w*|struck|shell\w*|stormed|massacr\w*|opened\s+fire)"
# a weekday the report dates an attack to: "raided a gold mine near Fataki ... on Monday", "Friday's drone attack"; not
# the day of a statement ("the military said on Thursday") nor of another deed ("agreed to a ceasefire on Sunday")
_DATED = lazy_compile(rf"\b{_DEED}\b(?:\s+[\w'’,-]+){{0,10}}?\s+on\s+({_DAY})\b|"
                      rf"\b({_DAY})(?:'s|’s)\s+(?:[\w-]+\s+)?(?:attack|bombing|ambush|raid|strike|shelling|massacre|"
                      r"killings?|blast)\b", re.IGNORECASE)


# the day a statement was made on: "the military said on Thursday"
_STATEMENT_BEFORE = lazy_compile(r"\b(?:said|says|told|announced|confirmed|reported)\s+on\s+$")


@lru_cache(maxsize=64)
def attack_days(text: str) -> frozenset[int]:
    """The weekdays (Monday is 0) a report dates a deed to ("killed 14 miners ... on Monday", "Friday's drone attack"),
    less the days statements were made on ("the military said on Thursday")."""
    days = set()
    for found in _DATED.finditer(text):
        day = found.group(1) or found.group(2)
        before = found.string[max(0, found.start(1) - 12):found.start(1)] if found.group(1) else ""
        if _STATEMENT_BEFORE.search(before) is None:
            days.add(_DAYS.index(day.lower()))
    return frozenset(days)
