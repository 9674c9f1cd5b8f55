"""One incident across languages and scripts: a report's language tag, names compared as written in any script
and most cases (`name_key`), and whether a report the word measure cannot read is the incident's
(`across_languages`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.engine.text import fold as fold_script
from bot.events.figures import contradicts_toll
from bot.events.model import key_region, report_places, report_time
from bot.events.terms import Terms, names_in_title
from bot.models import Article, Event, Match

BRIDGE_HOURS = 12.0      # a report in another language joins only within this many hours of the incident's reports
NAME_KEY = 5             # letters of a name compared across languages and cases (Banjska, Banjskoj, Banjskë, Бањској)


# Offices and institutions every report names, capitalised in some of these languages ("Kosovske policije",
# "ministri i Brendshëm"): as name keys they would tie any two reports of one country together.
_GENERIC_NAME_KEYS = frozenset("""
polic polis milic minis minister premi presi vlada vlade qever ushtr vojsk vojni armij army armee
drzav shtet komun opsti opstin sluzb speci brend unutr inter zavod sud gjyka tuzil proku
""".split())
_DIGRAPH_LETTERS = str.maketrans({"ʎ": "lj", "ɲ": "nj", "ǆ": "dz"})
# one sound written with two letters in Albanian or English, with one (less its diacritic) in Serbian Latin:
# Zherovnicë and Žerovnica, Shala and Šala, Xhelal and Džhelal
_ONE_SOUND = (("xh", "dz"), ("zh", "z"), ("sh", "s"), ("ch", "c"))


def language_tag(match: Match, article: Article) -> str:
    """A report's language with its script ("sr-Cyrl", "sr-Latn", "en-Latn"): Serbian in Cyrillic shares
    no written word with Serbian in Latin script for the similarity measure, so the two count as different;
    "" when the language is unknown."""
    language = match.language or article.language or ""
    if not language:
        return ""
    return f"{language}-{script_of(article.title)}"


def script_of(text: str) -> str:
    """"Cyrl" when most of the letters of a text are Cyrillic, else "Latn"."""
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "Cyrl" if cyrillic > latin else "Latn"


def name_key(name: str) -> str:
    """A name as written in any of the scripts and most of the cases: transliterated, without diacritics,
    cut to its first `NAME_KEY` letters (Бањској, Banjskoj, Banjskë and Banjska are all "banjs")."""
    folded = fold_script(name).translate(_DIGRAPH_LETTERS).replace(" ", "")
    for digraph, letter in _ONE_SOUND:
        folded = folded.replace(digraph, letter)
    return folded[:NAME_KEY]


def _name_keys(names: Iterable[str], country: str) -> set[str]:
    skip = name_key(country) if country else ""
    keys = {name_key(n) for n in names if len(n) >= 4}
    return {k for k in keys if k and k != skip and k not in _GENERIC_NAME_KEYS}


def across_languages(event: Event, match: Match, article: Article, terms: Terms, now: datetime) -> bool:
    """Is this report, in another language or script than (some of) the incident's, or in an inflected
    language the word measure cannot read (Banjska, Banjske, Banjskoj are three words to it), the same incident?

    Shared words say little across languages, so the rule asks what can be compared: the same place below
    country level (an operator region such as north-kosovo, or a town), the same place name as written in
    either script and case (Banjska, Бањској, Banjskë), a publication time within `BRIDGE_HOURS` of the
    incident's reports, figures that do not contradict it, and a headline that names no other place. Two
    villages of one region on the same day stay apart: neither report names the other's village."""
    mine = language_tag(match, article)
    if not mine or not event.languages:
        return False
    if not set(event.languages) - {mine} and mine.startswith("en-"):
        return False   # English to English: the words decide (the measure's stopwords and plurals are English)
    country = key_region(match.key)
    below_country = {r for r in report_places(match) if r not in (country, key_region(event.key))}
    if below_country.isdisjoint(event.places or event.regions):
        return False
    at = report_time(article, now)
    reach = timedelta(hours=BRIDGE_HOURS)
    latest = event.latest_at or event.first_at
    if not (event.earliest_at or event.first_at) - reach <= at <= latest + reach:
        return False
    if contradicts_toll(event, match, article, at, latest):
        return False
    known = _name_keys(event.names, country)
    if _name_keys(terms.names, country).isdisjoint(known):
        return False
    # what the incident is about: the names of its headlines, less the towns the gazetteer knows (the
    # municipality two villages share is no evidence), so a headline naming another village is another incident
    headlines = [event.headline.get("title") or "", (event.headline.get("first") or {}).get("title") or ""]
    about = _name_keys([n for h in headlines for n in names_in_title(h)], country)
    about = (about - _name_keys(event.places, country)) or about
    named = _name_keys(names_in_title(article.title), country)
    return not (named - known) or not about or not named.isdisjoint(about)
