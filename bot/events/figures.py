"""Tolls, troop figures and the words around them: whether a report corrects a figure, says things are calming
down, gives one side's share of the dead, says a toll rose, or gives a lower toll that makes it another incident."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from bot.events.followup_reading import (
    attackers_killed,
    looks_back,
    one_sides_toll,
    share_of_dead,
    tells_rising_toll,
)
from bot.events.model import CONTEXT_GRACE, as_count, dated_by_calendar, dated_to_its_day, report_places, report_time
from bot.events.places import countries_in, peoples_of
from bot.models import Article, Event, Match

LATE_LOWER_TOLL = 12 * 3600.0  # seconds after an event began when a lower toll means another incident


def rises_from(event: Event, match: Match, article: Article) -> bool:
    """Does the report's headline say a toll rose ("Haiti: toll from gang attack rises to 43, UN says"), to more
    than a count the incident's outlets gave? A rising toll tells of an incident already reported with fewer dead; a
    higher figure an outlet gave besides may be another account of them (a group's claim: "JNIM claims it killed
    more than 200", then "Toll in Soum province attack passes 100")."""
    killed = as_count(match.facts.get("killed"))
    counts = [c for c in (as_count(event.facts.get("killed")), *event.source_killed.values()) if c is not None]
    return tells_rising_toll(article.title) and killed is not None and bool(counts) and killed > min(counts)


def one_sides_share(event: Event, match: Match, article: Article) -> bool:
    """Is the report's toll one side's count of its dead in an incident between two countries ("Tajikistan says
    41 of its citizens died", after Kyrgyzstan's 59)? Then a lower figure is neither a correction nor another
    incident. A side's count is given by someone (its headline says who says so) or of a fight already past
    ("in last week's fighting"): "Border clash kills 3 Armenian soldiers" is a new clash, though one side's dead."""
    killed = as_count(match.facts.get("killed"))
    countries = countries_in([*(event.places or event.regions), *report_places(match)])
    if killed is None:
        return False
    if _COUNT_GIVEN.search(article.title) is None and not looks_back(f"{article.title}. {article.text}"):
        return False
    # between two countries a side may be named by its people ("59 Kyrgyz citizens"); within one, a side (an
    # army, a militia, a guerrilla) counts "N of its fighters" ("ELN admits nine of its fighters died")
    peoples = peoples_of(countries) if len(countries) >= 2 else []
    return one_sides_toll(article.title, article.text, killed, peoples)


def gives_count(title: str) -> bool:
    """Does the headline say who gives its figure ("Army says 12 soldiers died", "Government confirms 54 killed")?"""
    return _COUNT_GIVEN.search(title) is not None


_COUNT_GIVEN = re.compile(r"\b(?:says?|said|puts?|gives?|confirms?|reports?|raises?|announces?|admits?|admitted)\b",
                          re.IGNORECASE)


def contradicts_toll(event: Event, match: Match, article: Article, at: datetime, latest: datetime) -> bool:
    """A lower toll in a report at least as new as the incident's newest, correcting nothing: another incident."""
    killed = as_count(match.facts.get("killed"))
    current = as_count(event.facts.get("killed"))
    if killed is None or current is None or killed >= current:
        return False
    return at >= latest - timedelta(seconds=CONTEXT_GRACE) and not corrects(article.title, article.text)


def another_incident(event: Event, match: Match, article: Article, now: datetime) -> bool:
    """A lower toll that is not a correction is another incident (a new shelling of the same town
    two days later), not a retelling of this one, when the outlet giving it had given this event a
    higher one, or when it comes long after the event began (a first, partial report of the same
    incident arrives within hours, not half a day later). Neither when the report gives its figure as a share of
    the dead ("35 children among the dead") or, with a headline saying who gives it, dates it to the day the incident
    happened ("Government confirms 54 soldiers killed": "in Thursday's attacks", two days after a group claimed 70):
    that is another count of the same dead."""
    killed = as_count(match.facts.get("killed"))
    current = as_count(event.facts.get("killed"))
    if killed is None or current is None or killed >= current:
        return False
    if killed in event.source_killed.values():
        return False   # a figure one of its outlets gave already ("four policemen" after "four officers killed")
    if rises_from(event, match, article):
        return False   # a toll that rose past an outlet's count: above it, another account (a group's claim of 200)
    at = report_time(article, now)
    earlier = event.source_killed.get(article.source)
    if event.latest_at is not None and at < event.latest_at - timedelta(seconds=CONTEXT_GRACE):
        earlier = None   # the outlet's own first, lower figure, arriving after its later one (a backfill, a slow feed)
    late = at - event.first_at >= timedelta(seconds=LATE_LOWER_TOLL)
    if not ((earlier is not None and killed < earlier) or late):
        return False
    if corrects(article.title, article.text) or one_sides_share(event, match, article):
        return False
    if share_of_dead(article.title, article.text, killed):
        return False
    if attackers_killed(article.title, article.text, killed):
        return False   # "Burkina army says it killed 20 attackers after Yatenga massacre": the other side's dead
    if dated_by_calendar(event, article):
        return False   # "killed ... on 11 April", a day after the strike of 11 April: another count of its dead
    return not (gives_count(article.title) and dated_to_its_day(event, article))


@lru_cache(maxsize=8)
def corrects(title: str, text: str) -> bool:
    """Does the report say it corrects a figure? Asked once per candidate incident, so kept for the
    article at hand (a long text would otherwise be searched some thirty times)."""
    return _CORRECTION_CUES.search(f"{title}. {text}") is not None


def with_toll(by_source: dict[str, int] | Any, source: str, killed: Any) -> dict[str, int]:
    """The highest toll each outlet has given for the event, this report's included."""
    tolls = dict(by_source)
    count = as_count(killed)
    if count is not None:
        tolls[source] = max(count, tolls.get(source, count))
    return tolls


_DEESCALATION_CUES = re.compile(
    r"\b(?:(?:ceasefire|cease-fire|truce)\s+(?:is\s+|was\s+|has\s+been\s+)?(?:holding|held|agreed|in\s+effect|"
    r"took\s+effect|takes\s+effect)|back\s+to\s+(?:its\s+|their\s+|the\s+)?(?:normal|regular|usual|pre-crisis|"
    r"peacetime)\s+(?:level|levels|strength|posture)|retract(?:ed|s|ion)|revised\s+down(?:ward)?|"
    r"corrected\s+(?:its|the|an)\s+(?:earlier\s+)?(?:report|figure|toll)|pull(?:ed|ing|s)\s+back|"
    r"withdr(?:ew|awn|awing)|stood\s+down|standing\s+down|scal(?:ed|ing)\s+back|drawdown|de-?escalat\w*)\b",
    re.IGNORECASE)
# a figure said to be put right: "revised down", "revise Mamove toll to 21", "Ombudsman lowers Catatumbo death toll to
# 11", "reduces the number of dead to 9", "two victims had been counted twice"; a number or a count is the toll's only
# with the dead named ("the number of dead", "the casualty count"), not "reducing the number of checkpoints"
_OF_THE_DEAD = (r"(?:(?:death|casualty|victim)s?\s+(?:number|count)s?|(?:number|count)s?\s+of\s+(?:the\s+)?"
                r"(?:[\w'’-]+\s+){0,2}?(?:dead|deaths|killed|victims|casualties|fatalities|bodies|lives\s+lost))")
_CORRECTION_CUES = re.compile(r"\b(?:retract\w*|revised\s+down\w*|correct(?:ed|ing|ion)|erroneous|"
                              r"overstated|in\s+error|(?:revis(?:e|es|ed|ing)|lower(?:s|ed|ing)|reduc(?:es|ed|ing)|"
                              r"downgrad(?:e|es|ed|ing))\s+(?:[\w'’-]+\s+){0,4}?"
                              rf"(?:tolls?|figures?|{_OF_THE_DEAD})|counted\s+twice|double[- ]counted)\b",
                              re.IGNORECASE)


def calming_cue(article: Article) -> str | None:
    """The sentence of a report that says things are calming down, shortened; None if none does."""
    text = f"{article.title}. {article.text}"
    found = _DEESCALATION_CUES.search(text)
    if found is None:
        return None
    start = max(text.rfind(". ", 0, found.start()) + 2, found.start() - 80, 0)
    end = text.find(". ", found.end())
    sentence = text[start:end if end != -1 else len(text)].strip(" .")
    return sentence if len(sentence) <= 140 else sentence[:139].rsplit(" ", 1)[0] + "…"
