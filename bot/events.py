"""Matches -> incidents -> alert decisions.

One incident is reported by many outlets over hours, and may be matched by several rules (a
general rule and its region-scoped variant). The matches of one report by related rules (the
same rule, one that `supersedes` the other, or a shared tag) are one incident; it either opens a
new Event or joins the open event of related rules that reports the same incident: overlapping
regions, the same key apart from its rule and region (a `source` part still separates), and text
about the same things (the same syndicated story, or enough shared names and words). Joining
produces one of:

- an **update** when the report adds something material (a higher toll, a new troop figure,
  a new region, a severity jump) or points down (troops cut, a ceasefire holding, a casualty
  report corrected): the first message is edited and a short threaded reply says what changed;
- an **edit** when it only adds a source: the first message's source count is edited;
- nothing to send when a source already counted repeats itself (still recorded).

Reports are folded in the order they were published, not the order they arrive: a report
published before the event's newest one is context (a source, a missing figure, a region), never
news: it reverses no direction, produces no "now X, was Y" and leaves the headline alone.

A new event is sent at once unless its rule waits for `min_sources` (held, then released
when enough sources agree or `max_wait` passes) or throttles its key. Every decision is an
`Alert` value, recorded in history whether or not anything is sent.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from bot.engine.regions import RegionBook
from bot.engine.text import fold as fold_script
from bot.enums import AlertAction, EventStatus, UpdateKind
from bot.events_armies import ArmyReader
from bot.events_followup import (
    dateline_only,
    headline_tells_casualties,
    looks_back,
    one_sides_toll,
    tells_burial,
    tells_rising_toll,
)
from bot.models import Alert, Article, Event, EventRule, EventUpdate, Match

# (rule id, key, since) -> True if an alert with this key was sent or queued since then
RecentLookup = Callable[[str, str, datetime], bool]

JOIN_THRESHOLD = 0.3     # share of a report (weighted) an event must already hold; see docs/events.md
NAME_WEIGHT = 3          # a shared proper name says far more than a shared common word
MIN_SHARED = 3           # at least one shared name, or three shared words
TITLE_BONUS = 0.15       # a headline naming the incident's place or people
OTHER_NAMES_FACTOR = 0.4 # a headline naming only places or people the event never mentioned
LATE_LOWER_TOLL = 12 * 3600.0  # seconds after an event began when a lower toll means another incident
MAX_TERMS = 300          # names and words kept per event (the most recent reports win)
CONTEXT_GRACE = 60.0     # seconds: a report published this much before the event's newest is context
DEFAULT_WINDOW = 86400.0  # EventPolicy's window when a rule sets none
# how long an incident takes follow-ups, by what it is: a fatal clash draws funerals, identifications, tolls and
# investigations for days, a build-up is reported for weeks (rules with a window narrower than the default keep it)
FOLLOW_UP_WINDOWS = (("killed", 7 * 86400.0), ("wounded", 7 * 86400.0), ("troops", 21 * 86400.0),
                     ("troops_change", 21 * 86400.0))
LONGEST_FOLLOW_UP = max(seconds for _, seconds in FOLLOW_UP_WINDOWS)
MENTIONED_MARGIN = 0.1   # more similarity needed when the report's own place is one the incident only mentioned
CROSS_RULE = True        # related rules' matches are one incident (False: one event per rule, for bench what-ifs)
CROSS_LANGUAGE = True    # a report in another language may join by place, time and toll (False: words only, for bench)
FOLLOW_UPS = True        # a report may join by the same place, actors or figures (False: words only, for bench)
SAME_TOLL_MIN = 3        # a toll this high, given again in the same country, is the same incident's
SAME_TROOPS_MIN = 100    # likewise a troop figure
SAME_ACTORS_MIN = 2       # distinctive names (a camp, a unit, a group) a follow-up shares with its incident
BROAD_PLACE_WORDS = 0.15  # words a report placed only by a country or a province must share with its incident
HEADLINE_TEXT = 1000     # characters of the leading report's text kept with the event's headline
SECOND_COUNT_HOURS = 12.0  # a second outlet's own count of the dead comes within this many hours of the first report
BRIDGE_HOURS = 12.0      # a report in another language joins only within this many hours of the incident's reports
NAME_KEY = 5             # letters of a name compared across languages and cases (Banjska, Banjskoj, Banjskë, Бањској)


@dataclass(frozen=True)
class Syndication:
    """The article is a near-copy of a story already seen: its id, its sources, the rules it alerted."""

    story_id: str
    sources: tuple[str, ...]
    alerted_rules: frozenset[str]


class EventBook(Protocol):
    """Where clustering finds open events (the store, plus this batch's changes): those one of whose
    rules is `rule_id`, or, given `tag:<tag>`, one of whose rules carries the tag."""

    def candidates(self, rule_id: str, since: datetime) -> list[Event]: ...

    def remember(self, event: Event) -> None: ...


# -- salient terms -------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")
_STOPWORDS = frozenset("""
a about above after again against all also although among an and another any are around as at away back be
because been before being between both but by can could did does during each either else even ever every
few for from further had has have having he her here hers him his how however i if in into is it its itself
just last later least less like many may me might more most much must my near neither no nor not now of off
often on once one only or other others our out over own per perhaps same several she should since so some
still such than that the their theirs them then there these they this those though three through thus to
today too toward towards two under until up upon very via was we were what when where whether which while
who whom whose why will with within without would yesterday yet you your said says say told according
reported reports report reporting news statement spokesman spokeswoman spokesperson officials official
monday tuesday wednesday thursday friday saturday sunday january february march april june july august
september october november december morning evening night afternoon week weeks month months year years
first second third new latest early late amid area region local least people sources source
""".split())
# Capitalised, but offices and institutions every story has, not names that tell incidents apart.
_NOT_NAMES = frozenset("""
minister ministry president prime government army police forces force military defence defense interior
general governor spokesman commander officials office council parliament agency wire news press reuters
north south east west northern southern eastern western central national republic state united
one two three four five six seven eight nine ten eleven twelve dozen dozens hundreds thousands
international committee red cross crescent nations human rights watch amnesty doctors borders frontieres
""".split())
# "BELGRADE (Balkan Wire) - " or "(Global Wire) - ": the outlet, not the story
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z .,'-]{1,40}\s*)?\([^)]{1,40}\)\s*[-–—:]\s*")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def _stem(word: str) -> str:
    for suffix in ("'s", "ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


@dataclass(frozen=True)
class Terms:
    """What tells one incident from another in a report."""

    names: frozenset[str]   # proper names written mid-sentence: places, people, units
    words: frozenset[str]   # other content words
    title: frozenset[str]   # the headline's words (headlines are often all capitals, so kept apart)


def salient_terms(article: Article, country: str = "") -> Terms:
    """A report's names and words, without the country its key names: every report of every
    incident in Kosovo names Kosovo (towns and operator regions are kept: they tell incidents apart)."""
    skip = {_fold(part) for part in re.split(r"[\s-]+", country) if part}
    text = _DATELINE.sub("", article.text[:3000], count=1)
    names: set[str] = set()
    for found in _WORD.finditer(text):
        word = found.group()
        if not word[0].isupper() or len(word) < 3:
            continue
        before = text[max(0, found.start() - 3):found.start()]
        if found.start() == 0 or _SENTENCE_END.search(before) or "\n" in before:
            continue  # capitalised because it opens a sentence
        stem = _stem(_fold(word))
        if stem not in _STOPWORDS and stem not in skip and stem not in _NOT_NAMES:
            names.add(stem)
    words: set[str] = set()
    title: set[str] = set()
    for found in _WORD.finditer(article.title + " \n " + text):
        stem = _stem(_fold(found.group()))
        if len(stem) < 4 or stem in _STOPWORDS or stem in skip:
            continue
        if found.start() < len(article.title):
            title.add(stem)
        if stem not in names:
            words.add(stem)
    return Terms(frozenset(names), frozenset(words), frozenset(title))


def similarity(terms: Terms, event: Event) -> float:
    """How much of a report the event already holds, weighted towards names (0..1).

    A headline naming one of the event's names adds `TITLE_BONUS`; a headline naming only
    names the event does not know cuts it to `OTHER_NAMES_FACTOR`."""
    total = NAME_WEIGHT * len(terms.names) + len(terms.words)
    if total == 0:
        return 0.0
    shared_names = terms.names.intersection(event.names)
    shared = NAME_WEIGHT * len(shared_names) + len(terms.words.intersection(event.words))
    if shared < MIN_SHARED:
        return 0.0  # two one-line items that share a word or two are not yet the same incident
    score = shared / total
    title_names = terms.title.intersection(terms.names)
    if terms.title.intersection(event.names):
        score += TITLE_BONUS
    elif title_names and title_names.isdisjoint(event.words):
        # the headline names a place or person the event has never mentioned: most likely another
        # incident ("Shots fired near Zvečan" is not the Banjska shooting, however alike the wording)
        score *= OTHER_NAMES_FACTOR
    return min(1.0, score)


def _merge_terms(old: Sequence[str], new: Iterable[str]) -> tuple[str, ...]:
    merged = list(dict.fromkeys([*sorted(new), *old]))
    return tuple(merged[:MAX_TERMS])


# -- clustering and merging -------------------------------------------------------------------


def find_event(candidates: Sequence[Event], match: Match, terms: Terms, story_id: str | None,
               article: Article | None = None, now: datetime | None = None,
               late: frozenset[str] = frozenset()) -> Event | None:
    """The open event this match reports, if any: the same syndicated story, else the most similar
    event whose places meet the match's (or whose place or people the headline names) and whose
    facts the report does not contradict; failing words, the incident the report follows up (the same
    place, actors or figures: `follow_up_reason`).

    An event in `late` is past its rule's window but within its follow-up window: the report joins
    it only when its headline names the incident (one of its names) or gives its toll, and it tells no
    new attack."""
    best: Event | None = None
    best_score = 0.0
    for event in candidates:
        if story_id is not None and story_id in event.stories:
            return event
        score = join_score(event, candidates, match, terms, article, now, late)
        if score is not None and score > best_score:
            best, best_score = event, score
    return best


def join_score(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
               article: Article | None = None, now: datetime | None = None,
               late: frozenset[str] = frozenset()) -> float | None:
    """How well the report fits this event, when it may join it at all (None: it may not)."""
    reason, score = join_reason(event, candidates, match, terms, article, now, late)
    return score if reason.startswith("joins") else None


def join_reason(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                article: Article | None = None, now: datetime | None = None,
                late: frozenset[str] = frozenset()) -> tuple[str, float]:
    """Why the report joins this event or not, and its score: what `bench/events.py --explain` prints
    for a report that opened a new incident where its incident was already open."""
    named = not terms.title.isdisjoint(event.names)   # the headline names one of its places or people
    meet = _places_meet(event, match)
    if not meet and not named:
        return "places apart: the report names none of the incident's places", 0.0
    if not meet and _countries_apart(event, candidates, match):
        return "places apart: a shared name, but the report is about another country with an incident open", 0.0
    new_attack = article is not None and _NEW_EVENT.search(article.title) is not None
    if new_attack and not _told_as_new_attack(event):
        return "another incident: the headline tells a new attack", 0.0
    armies = _other_armies(event, match, article)
    if armies is not None:
        return f"another incident: another army's build-up ({armies[0]}, not {armies[1]})", 0.0
    found: list[str | None] = []

    def evidence() -> str | None:   # asked only when the words do not settle it (most reports never ask)
        if not found:
            found.append(follow_up_reason(event, candidates, match, terms, article)
                         if FOLLOW_UPS and not new_attack else None)
        return found[0]

    def strong() -> bool:
        why = evidence()
        return why is not None and why.startswith(_STRONG)

    def late_enough() -> bool:   # days late, a weak reason holds only for a report that reads as a follow-up
        if strong():
            return True
        return evidence() is not None and article is not None and reads_as_late_follow_up(event, match, article)

    if article is not None and now is not None and _another_incident(event, match, article, now) \
            and not (_follow_up_cue(article.title) and evidence() is not None):
        return "another incident: a lower toll that corrects nothing", 0.0
    if event.id in late and terms.title.isdisjoint(event.names) and not late_enough():
        return ("past the rule's window: the headline does not name the incident nor gives its figures, and the "
                "report does not read as its follow-up"), 0.0
    score = similarity(terms, event)
    needed = JOIN_THRESHOLD
    if not (meet and _where_it_happened_named(event, match)):
        needed += MENTIONED_MARGIN
    if score >= needed:
        return "joins: similar words", score
    if CROSS_LANGUAGE and article is not None and now is not None \
            and across_languages(event, match, article, terms, now):
        return "joins: across languages", needed   # words cannot be compared; the place, the time and the toll can
    why = evidence()
    if why is not None and (event.id not in late or late_enough()):
        return "joins: " + why, needed - 0.01   # words that are shared still win
    return f"too few words shared ({score:.2f} < {needed:.2f}) and no shared place, actors or figures", score


# -- another army's build-up ---------------------------------------------------------------------


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


def _builds_up(facts: Mapping[str, Any]) -> bool:
    """Troops on the move and no dead: a build-up, not a clash (whose two sides' forces are its actors)."""
    return ("troops" in facts or "troops_change" in facts) and "killed" not in facts


def _other_armies(event: Event, match: Match, article: Article | None) -> tuple[str, str] | None:
    """A build-up report whose headline moves another army than the build-up's headlines do ("Venezuela reinforces
    border" and "Brazil sends armoured vehicles to Roraima", in one crisis): (this army, the incident's), or None.
    A build-up is one army's move; its reports share the crisis's places and words with every other army's. Two
    armies massing against each other are one standoff: each headline names the other's country ("Cambodia sends
    reinforcements to Thai border", "Thai army reinforces posts along Cambodian frontier")."""
    if article is None or not _builds_up(match.facts) or not _builds_up(event.facts):
        return None
    reader = _army_reader()
    mine = reader.whose_forces(article.title)
    if not mine:
        return None
    theirs = _armies_of(event)
    if not theirs or not mine.isdisjoint(theirs):
        return None
    they_name = set().union(*(reader.countries_named(title) for title in _headlines(event)))
    if not theirs.isdisjoint(reader.countries_named(article.title)) and not mine.isdisjoint(they_name):
        return None   # facing each other: one standoff
    return ", ".join(sorted(mine)), ", ".join(sorted(theirs))


def _headlines(event: Event) -> list[str]:
    """The incident's first headline and the one it shows now."""
    headline = event.headline
    return [title for title in (headline.get("title"), (headline.get("first") or {}).get("title")) if title]


def _armies_of(event: Event) -> set[str]:
    """The countries whose forces a build-up's headlines move (none for an incident with dead: a clash)."""
    if not _builds_up(event.facts):
        return set()
    reader = _army_reader()
    return set().union(*(reader.whose_forces(title) for title in _headlines(event)))


def _same_army(event: Event, candidates: Sequence[Event], match: Match, article: Article | None) -> str | None:
    """The army a build-up report's headline moves, when the incident's headlines move it too, no other open
    build-up does, and the two share the area it masses in, a province or an operator's region ("Satellite photos
    show Venezuelan troops and boats at Anacoco island" for "Venezuela builds up forces near Guyana border", both
    in the contested Essequibo): reported from another angle, one army's build-up shares few words. An army has
    many fronts, so its country and towns (its capital speaks of every one of them) are not enough."""
    if article is None or not _builds_up(match.facts) or not _where_it_happened_named(event, match):
        return None
    # a province, or an operator's region (named by its id: "contested-areas")
    areas = {p for p in report_places(match) if p in _division_names() or not p[:1].isupper()}
    if areas.isdisjoint(event.places or event.regions):
        return None
    shared = _army_reader().whose_forces(article.title) & _armies_of(event)
    if not shared:
        return None
    if any(e.id != event.id and not shared.isdisjoint(_armies_of(e)) for e in candidates):
        return None
    return ", ".join(sorted(shared))


# -- follow-ups: the same place, actors or figures ------------------------------------------------

# a headline that tells what followed an incident, not a new one: a toll rising, funerals, names, an inquiry
_FOLLOW_UP_CUE = re.compile(
    r"\b(?:toll\w*\s+(?:\w+\s+){0,3}(?:rises?|rising|climbs?|reach\w*|hits?|up)|rais\w+\s+(?:\w+\s+){0,2}toll|"
    r"bur(?:y|ies|ied|ial)|funerals?|mourn\w*|names?d?\b|identif\w+|continues?|siege|still|operation\s+over|"
    r"over\b|ends?\b|ended|aftermath|investigat\w+|inquiry|probe|claims?|blames?|condemns?|survivors?|recounts?|"
    r"(?:pursuit|hunt|manhunt)\s+after|after\s+(?:the\s+|a\s+)?deadly\s+(?:ambush|attack|raid|bombing))",
    re.IGNORECASE)


def _told_as_new_attack(event: Event) -> bool:
    """Was the incident itself first told as a new attack ("Another ambush near Téra")? Then the second
    outlet's "second attack in a week" is a report of it, not a third incident."""
    headline = event.headline
    titles = [headline.get("title") or "", (headline.get("first") or {}).get("title") or ""]
    return any(_NEW_EVENT.search(t) or _RETURN.search(t) for t in titles)


# attackers coming back to a place they struck before: "Gunmen return to Hurti, killing villagers ..."
_RETURN = re.compile(r"\b(?:gunmen|attackers|militants|bandits|rebels|insurgents|jihadists|fighters|raiders)\s+"
                     r"(?:return|returns|returned|come\s+back|came\s+back)\s+to\b", re.IGNORECASE)


def _follow_up_cue(title: str) -> bool:
    return _FOLLOW_UP_CUE.search(title) is not None and _NEW_EVENT.search(title) is None


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Countries as the engine names them in a match's places ("Mali", "Armenia")."""
    return frozenset(c.name for c in RegionBook.with_countries().regions.values() if c.kind == "country")


@lru_cache(maxsize=1)
def _not_distinctive() -> frozenset[str]:
    """Folded words that name a country, its people or a first-level division: every report of every
    incident there names them ("Malian", "Tillaberi"), so they tell no incident from another."""
    book = RegionBook.with_countries()
    words: set[str] = set()
    for region in book.regions.values():
        if region.kind in ("country", "division"):
            for name in region.names:
                words.update(_stem(_fold(w.group())) for w in _WORD.finditer(name))
    return frozenset(words) | _NOT_NAMES


def _countries_in(places: Iterable[str]) -> list[str]:
    known = _country_names()
    return list(dict.fromkeys(p for p in places if p in known))


def _towns(places: Iterable[str]) -> set[str]:
    """Places below a division: towns and villages (not countries, divisions or an operator's broad regions)."""
    words = _not_distinctive()
    return {p for p in places if p[:1].isupper() and _stem(_fold(p)) not in words
            and p not in _country_names()}


def _headline_names(event: Event, terms: Terms) -> set[str]:
    """Names the report's headline shares with the incident: its places and people, less countries, peoples
    and divisions ("Maarat" and "Panjgur" tell an incident apart; "Niger", "Malian" and "Tillaberi" do not)."""
    return set(terms.title.intersection(event.names)) - _not_distinctive()


_SPEAKS = re.compile(r"\s+(?:says?|said|accuses?|accused|warns?|denies|denied|blames?|claims?|condemns?|"
                     r"calls?|vows?|rejects?|silent|insists?|reports?|confirms?)\b", re.IGNORECASE)


def _speaks(title: str, town: str) -> bool:
    """Is a town in a headline a government speaking ("Baku says 50 servicemen died"), not where it happened?"""
    at = title.find(town)
    return at >= 0 and _SPEAKS.match(title, at + len(town)) is not None


def _distinct_title_names(article: Article | None) -> set[str]:
    """The headline's names below country level ("Mitrovica" in "Two killed in exchange of fire in North Mitrovica")."""
    if article is None:
        return set()
    return {_stem(_fold(n)) for n in _title_names(article.title)} - _not_distinctive()


def _names_incident(event: Event, match: Match, terms: Terms) -> bool:
    """Does the report's headline name this incident: a name of its (not a country's), or the town it happened in?"""
    if _headline_names(event, terms):
        return True
    title_towns = {t for t in _towns(report_places(match)) if _stem(_fold(t)) in terms.title}
    return not title_towns.isdisjoint(event.regions)


_STRONG = ("the same toll", "the same troop figure", "the headline names")   # enough for a follow-up days late


def follow_up_reason(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                     article: Article | None = None) -> str | None:
    """Why a report with few words in common is a follow-up of this incident, or None.

    Follow-ups are written short and from another angle (funerals, a toll the next day, who claimed it),
    so they share few words; what they share is the incident's place, its actors or its figures:

    - the same figures: a toll of at least `SAME_TOLL_MIN` (or a troop figure) one of its outlets gave;
    - the same place: its headline names one of the incident's places or people below country level, or
      the town the incident happened in;
    - the same named actors: two names that tell incidents apart (a camp, a unit, a town), named by no other
      open incident of its kind;
    - the same actors: the two countries it is about (a clash between Armenia and Azerbaijan) are among the
      incident's, and no other open incident of its kind is about both;
    - the same country, when the report names no place below it and the incident is the only open one of its
      kind there; or the same country or province with words that lean its way (`_same_broad_place`), a
      capital named only in the dateline left out. Neither when the headline tells dead of its own with no
      follow-up's cue: a new incident there.
    None when its headline names a town a clash never named: another place, another incident. The caller
    rules out a report whose headline tells a new attack, and one whose toll contradicts the incident; days
    late, it asks the weaker of these reasons for a report that reads as a follow-up (`reads_as_late_follow_up`)."""
    mine = _countries_in(report_places(match))
    theirs = _countries_in(event.places or event.regions)
    if not mine or set(mine).isdisjoint(theirs):
        return None
    title_towns = {t for t in _towns(report_places(match)) if _stem(_fold(t)) in terms.title
                   and not (article is not None and _speaks(article.title, t))}
    build_up = "troops" in event.facts or "troops_change" in event.facts   # a build-up spans many bases and towns
    killed = _count(match.facts.get("killed"))
    tolls = {_count(event.facts.get("killed")), *event.source_killed.values()}
    same_toll = killed is not None and killed >= SAME_TOLL_MIN and killed in tolls
    # another town, another incident; but the dead are buried in their home towns ("Mourners in Bunia bury 60
    # killed in camp raid"): a burial of the incident's dead, by its toll, is still its follow-up
    burial = same_toll and article is not None and tells_burial(article.title)
    if title_towns and not build_up and title_towns.isdisjoint(event.places) and title_towns.isdisjoint(event.names) \
            and not burial:
        return None
    if same_toll:
        return f"the same toll ({killed})"
    buried = _buries_its_dead(event, candidates, match, article, killed, tolls)
    if buried is not None:
        return buried
    troops = _count(match.facts.get("troops"))
    if troops is not None and troops >= SAME_TROOPS_MIN and troops == _count(event.facts.get("troops")):
        return f"the same troop figure ({troops:,})"
    if _names_incident(event, match, terms):
        return "the headline names the incident's place or people"
    actors = _shared_actors(event, candidates, terms)
    if actors and article is not None and _follow_up_headline(article.title) \
            and similarity(terms, event) >= BROAD_PLACE_WORDS:
        return f"the same named actors ({', '.join(actors)}), named by no other open incident of its kind"
    about = set(mine[:2])
    others = [e for e in candidates if e.id != event.id and about <= set(_countries_in(e.places or e.regions))]
    if len(about) == 2 and about <= set(theirs) and not others:
        return f"the same actors ({' and '.join(sorted(about))}), the only open incident of its kind about both"
    army = _same_army(event, candidates, match, article)
    if army is not None:
        return f"the same army's build-up ({army}), the only open build-up it leads"
    second = _second_count(event, candidates, match, terms, article)
    if second is not None:
        return second
    if article is not None and not _follow_up_headline(article.title):
        return None   # "Gunmen kill dozens at a market in north-east Nigeria": a new incident there, told as one
    only_country = set(match.regions) <= set(mine) and not _distinct_title_names(article)
    if len(mine) == 1 and only_country and not others and mine[0] in _countries_in(event.regions):
        return f"the same country ({mine[0]}), the only open incident of its kind there"
    broad = _same_broad_place(event, candidates, match, terms, article)
    if broad is not None:
        return broad
    return _rising_toll_here(event, candidates, match, article)


def rises_from(event: Event, match: Match, article: Article) -> bool:
    """Does the report's headline say a toll rose ("Haiti: toll from gang attack rises to 43, UN says"), to more
    than the incident's? A rising toll tells of an incident already reported with fewer dead."""
    killed = _count(match.facts.get("killed"))
    current = _count(event.facts.get("killed"))
    return tells_rising_toll(article.title) and killed is not None and current is not None and killed > current


def _buries_its_dead(event: Event, candidates: Sequence[Event], match: Match, article: Article | None,
                     killed: int | None, tolls: set[int | None]) -> str | None:
    """A funeral or a wreath-laying for as many dead as one of the incident's outlets counted ("Wreaths laid for
    Naik ... and Sepoy ..." for the two soldiers killed on the frontier): a toll under `SAME_TOLL_MIN` says little
    alone, but the dead of a funeral were counted before, so it is the incident's when no other open incident of
    its kind in the report's country counted as many."""
    if article is None or killed is None or killed not in tolls or not tells_burial(article.title):
        return None
    mine = {key_region(match.key), *_countries_in(report_places(match))} & _country_names()
    for other in candidates:
        if other.id != event.id and not mine.isdisjoint(_countries_of(other)) \
                and killed in {_count(other.facts.get("killed")), *other.source_killed.values()}:
            return None
    return (f"a funeral for as many dead ({killed}) as it counted, the only open incident of its kind there "
            "counting them")


def _rising_toll_here(event: Event, candidates: Sequence[Event], match: Match,
                      article: Article | None) -> str | None:
    """A headline saying a toll rose ("Haiti: toll from gang attack rises to 43, UN says", "Congo: toll from rebel
    raid near Beni rises to 29") tells of an incident already reported with fewer dead, so it needs no shared
    words: it joins the incident with fewer dead whose places hold every place it names (the capital a wire files
    from left out, and a name that only speaks, "UN says"), when no other open incident there has fewer dead."""
    if article is None or not rises_from(event, match, article):
        return None
    if not _holds_places_of(event, match, article):
        return None
    for other in candidates:
        if other.id != event.id and rises_from(other, match, article) and _holds_places_of(other, match, article):
            return None
    return (f"a rising toll ({_count(match.facts.get('killed'))}, was {_count(event.facts.get('killed'))}) where "
            "it happened, the only open incident of its kind there with fewer dead")


def _second_count(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                  article: Article | None) -> str | None:
    """Within hours of an incident's first report, a second outlet gives its own count of the same dead, in its own
    words ("Junta jets bomb village in Magway, killing at least 12", then "Myanmar air strike on village kills 21,
    resistance group says"): it names no place the incident does not hold, shares some words
    (`BROAD_PLACE_WORDS`), and no other incident of its kind is open in the country. An outlet that already gave
    the incident a figure is not a second outlet; half a day later a new figure may be a new attack there."""
    if article is None or article.published is None or article.source in event.source_killed:
        return None
    killed = _count(match.facts.get("killed"))
    current = _count(event.facts.get("killed"))
    if killed is None or current is None or killed == current:
        return None
    if article.published - event.first_at > timedelta(hours=SECOND_COUNT_HOURS):
        return None
    if not _holds_places_of(event, match, article):
        return None
    words = similarity(terms, event)
    if words < BROAD_PLACE_WORDS:
        return None
    countries = _countries_of(event)
    if any(other.id != event.id and not countries.isdisjoint(_countries_of(other)) for other in candidates):
        return None
    return (f"a second outlet's count ({killed}, the incident's {current}) within hours, with words ({words:.2f}), "
            "the only open incident of its kind in the country")


def _own_places(match: Match, article: Article) -> list[str]:
    """Where the report says it happened, less the capital its wire files from and the province that capital
    brought with it ("DAMASCUS (Compass Wire) -" gives Damascus and its governorate; the text names neither)."""
    names = _place_names()
    dateline = dateline_only(article.text, article.title, match.regions, names)
    if not dateline:
        return list(match.regions)
    said = f"{article.title} {article.text}".lower()
    implied = {p for p in match.regions if p in _division_names()
               and not any(n.lower() in said for n in names.get(p, (p,)))}
    return [p for p in match.regions if p not in dateline and p not in implied]


def _holds_places_of(event: Event, match: Match, article: Article) -> bool:
    """Does the incident hold every place the report names where it happened (less the wire's dateline) and every
    name of its headline (less a speaker's: "UN says")?"""
    own = _own_places(match, article)
    theirs = set(event.places or event.regions) | set(event.regions)
    if not own or not set(own) <= theirs:
        return False
    names = {_stem(_fold(n)) for n in event.names}
    spoken = {_stem(_fold(n)) for n in _title_names(article.title) if _speaks(article.title, n)}
    return _distinct_title_names(article) - spoken <= names


def _follow_up_headline(title: str) -> bool:
    """Can a report placed only by its country or province be a follow-up, by its headline? Not when the headline
    tells dead of its own with no follow-up's cue (a toll rising, funerals, an inquiry): that is a new incident
    there, told as one. "How did a bomber get inside ...", "Toll from attack on camp rises to 60" can be."""
    if not headline_tells_casualties(title) or tells_burial(title):
        return True
    return _follow_up_cue(title) or tells_rising_toll(title)


def _shared_actors(event: Event, candidates: Sequence[Event], terms: Terms) -> list[str]:
    """The names a report shares with the incident that tell it apart: a named camp, unit, hotel or group ("Plaine",
    "Savo"), not a country, a people or a province. At least `SAME_ACTORS_MIN` of them, none of them named by
    another open incident of its kind (a war's many incidents share its commanders and units); else none. The
    caller also asks for a follow-up's headline and some shared words: two incidents in one country may both
    quote the Red Cross."""
    shared = set(terms.names).intersection(event.names) - _not_distinctive()
    if len(shared) < SAME_ACTORS_MIN:
        return []
    for other in candidates:
        if other.id != event.id and not shared.isdisjoint(other.names):
            return []
    return sorted(shared)


def _same_broad_place(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                      article: Article | None) -> str | None:
    """A report placed only by its country, or by a province the incident lies in (a capital named only in its
    dateline left out: the wire files from there): a country or a province holds many incidents, so the words
    must lean too (the caller has ruled out a headline telling a new incident there). It shares at least
    `BROAD_PLACE_WORDS` of its words with the incident and, when other
    incidents of its kind are open there, at least twice what it shares with any of them ("Toll from attack on
    Congo displacement camp rises to 60", from Kinshasa, while a raid in North Kivu is also open)."""
    if article is None or _distinct_title_names(article):
        return None
    dateline = dateline_only(article.text, article.title, match.regions, _place_names())
    own = [p for p in match.regions if p not in dateline]
    countries = _countries_in(own)
    theirs = event.places or event.regions
    if len(countries) != 1 or countries[0] not in theirs:
        return None
    provinces = set(own) - set(countries)
    if not all(p in _division_names() or _operator_region(p) for p in provinces) or not provinces <= set(theirs):
        return None   # a town, or a province the incident never named: the words alone decide (step 4)
    scope = provinces or set(countries)
    where = f"{'province' if provinces else 'country'} ({', '.join(sorted(scope))})"
    words = similarity(terms, event)
    rivals = [e for e in candidates if e.id != event.id and not scope.isdisjoint(e.places or e.regions)]
    if words < BROAD_PLACE_WORDS:
        if rises_from(event, match, article) and not any(rises_from(e, match, article) for e in rivals):
            return (f"the same {where} and a rising toll ({_count(match.facts.get('killed'))}), the only open "
                    "incident of its kind there with fewer dead")
        return None
    if not rivals:
        return f"the same {where} and words ({words:.2f}), the only open incident of its kind there"
    closest = max(similarity(terms, e) for e in rivals)
    if words >= 2 * closest:
        return f"the same {where}, and the words choose it ({words:.2f}, others at most {closest:.2f})"
    return None


def _operator_region(place: str) -> bool:
    """Is the place one of the operator's broad regions ("north-kosovo", "kosovo-serbia-line"), named by a slug in
    lower case? Like a province it holds many incidents, so it counts as one."""
    return place[:1].islower() and "-" in place


@lru_cache(maxsize=1)
def _division_names() -> frozenset[str]:
    """Provinces, states and regions of countries, as the engine names them in a match ("Sagaing Region")."""
    return frozenset(r.name for r in RegionBook.with_countries().regions.values() if r.kind == "division")


@lru_cache(maxsize=1)
def _place_names() -> dict[str, tuple[str, ...]]:
    """Every way the gazetteer's countries and provinces are written, by the name a match gives them."""
    return {r.name: r.names for r in RegionBook.with_countries().regions.values()}


def _peoples(countries: Iterable[str]) -> list[str]:
    names = _place_names()
    return [n for c in countries for n in names.get(c, (c,))]


def one_sides_share(event: Event, match: Match, article: Article) -> bool:
    """Is the report's toll one side's count of its dead in an incident between two countries ("Tajikistan says
    41 of its citizens died", after Kyrgyzstan's 59)? Then a lower figure is neither a correction nor another
    incident. A side's count is given by someone (its headline says who says so) or of a fight already past
    ("in last week's fighting"): "Border clash kills 3 Armenian soldiers" is a new clash, though one side's dead."""
    killed = _count(match.facts.get("killed"))
    countries = _countries_in([*(event.places or event.regions), *report_places(match)])
    if killed is None:
        return False
    if _COUNT_GIVEN.search(article.title) is None and not looks_back(f"{article.title}. {article.text}"):
        return False
    # between two countries a side may be named by its people ("59 Kyrgyz citizens"); within one, a side (an
    # army, a militia, a guerrilla) counts "N of its fighters" ("ELN admits nine of its fighters died")
    peoples = _peoples(countries) if len(countries) >= 2 else []
    return one_sides_toll(article.title, article.text, killed, peoples)


_COUNT_GIVEN = re.compile(r"\b(?:says?|said|puts?|gives?|confirms?|reports?|raises?|announces?|admits?|admitted)\b",
                          re.IGNORECASE)


def _burial_names(article: Article) -> set[str]:
    """The headline's names below country level, its first word among them when the text writes that word with a
    capital mid-sentence ("Hroza buries its dead": "Villagers in Hroza ..."), folded: a burial in a town the
    incident never named is another incident's."""
    names = _distinct_title_names(article)
    first = _WORD.match(article.title.strip())
    if first is not None and first.group()[:1].isupper() \
            and re.search(rf"\b[a-z][\w'’-]*\s+{re.escape(first.group())}\b", article.text):
        names |= {_stem(_fold(first.group()))} - _not_distinctive()
    return names


def reads_as_late_follow_up(event: Event, match: Match, article: Article) -> bool:
    """Days after an incident's last report, a report that joins only by its country, province, actors or words
    must read as a follow-up: it speaks of the incident as past ("Monday's bombing", "last week's attack"), and
    its headline gives no dead of its own ("How did a bomber get inside ...", "Survivors say guards fled") or
    only one side's share. A new attack there nearly always headlines its own dead."""
    if tells_burial(article.title) and _burial_names(article) <= {_stem(_fold(n)) for n in event.names}:
        return True   # a funeral for dead already told ("killed on Wednesday near Jarinje"), in no town of its own
    if not looks_back(f"{article.title}. {article.text}"):
        return False
    return not headline_tells_casualties(article.title) or one_sides_share(event, match, article)


# -- one incident across languages and scripts -------------------------------------------------------

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
    if _contradicts_toll(event, match, article, at, latest):
        return False
    known = _name_keys(event.names, country)
    if _name_keys(terms.names, country).isdisjoint(known):
        return False
    # what the incident is about: the names of its headlines, less the towns the gazetteer knows (the
    # municipality two villages share is no evidence), so a headline naming another village is another incident
    headlines = [event.headline.get("title") or "", (event.headline.get("first") or {}).get("title") or ""]
    about = _name_keys([n for h in headlines for n in _title_names(h)], country)
    about = (about - _name_keys(event.places, country)) or about
    named = _name_keys(_title_names(article.title), country)
    return not (named - known) or not about or not named.isdisjoint(about)


def _contradicts_toll(event: Event, match: Match, article: Article, at: datetime, latest: datetime) -> bool:
    """A lower toll in a report at least as new as the incident's newest, correcting nothing: another incident."""
    killed = _count(match.facts.get("killed"))
    current = _count(event.facts.get("killed"))
    if killed is None or current is None or killed >= current:
        return False
    return at >= latest - timedelta(seconds=CONTEXT_GRACE) and not _corrects(article.title, article.text)


def _title_names(title: str) -> list[str]:
    """Capitalised words of a headline after its first word: the places and people it is about."""
    words = [w.group() for w in _WORD.finditer(title)]
    return [w for w in words[1:] if w[0].isupper()]


def follow_up_window(event: Event, window: float) -> float:
    """Seconds after its last report an incident takes follow-ups: its rule's window, or longer by what it is
    (`FOLLOW_UP_WINDOWS`); a rule that narrowed its window below the default keeps it."""
    if window < DEFAULT_WINDOW:
        return window
    return max([window, *(seconds for fact, seconds in FOLLOW_UP_WINDOWS if fact in event.facts)])


# a headline telling a new attack, not a follow-up of the last one ("new clashes", "fresh strikes", "again")
_NEW_EVENT = re.compile(r"\b(?:new|fresh|renewed|another|second|again|latest)\b(?:\s+\w+){0,2}\s+"
                        r"(?:attacks?|clash\w*|ambush\w*|strikes?|shelling|fighting|raids?|bombings?|"
                        r"blasts?|killings?)\b|\bagain\b", re.IGNORECASE)


def report_places(match: Match) -> tuple[str, ...]:
    """Every place a report names: where it happened first, then those named in passing."""
    return tuple(dict.fromkeys([*match.regions, *match.mentioned]))


def _countries_of(event: Event) -> set[str]:
    return {key_region(event.key), *_countries_in(event.places or event.regions)} & _country_names()


def _countries_apart(event: Event, candidates: Sequence[Event], match: Match) -> bool:
    """Is the report about another country than the incident, one where an incident of its kind is open? A group
    fighting in many countries (the Islamic State) or a people is a name incidents share across borders: its
    Mozambican branch's claim belongs to the raid open in Mozambique, not to the ambush its Iraqi cells laid.
    With no incident open in the report's country, the shared name decides (a town the gazetteer misplaces)."""
    mine = {key_region(match.key), *_countries_in(report_places(match))} & _country_names()
    theirs = _countries_of(event)
    if not mine or not theirs or not mine.isdisjoint(theirs):
        return False
    return any(not mine.isdisjoint(_countries_of(other)) for other in candidates if other.id != event.id)


def _places_meet(event: Event, match: Match) -> bool:
    """Does the report name a place the incident's reports named? Where it happened or in passing: a wire
    datelined in Beirut or London about a strike in Idlib names Idlib in its text. With no places on either
    side, there is nothing to tell them apart."""
    mine = report_places(match)
    theirs = event.places or event.regions
    return not mine or not theirs or not set(theirs).isdisjoint(mine)


def _where_it_happened_named(event: Event, match: Match) -> bool:
    """Does the incident name the place this report says it happened? When the two only share places named
    in passing (Brazil reinforcing its border in a Venezuela-Guyana crisis names both), more must be shared."""
    return not match.regions or not set(match.regions).isdisjoint(event.places or event.regions)


def _another_incident(event: Event, match: Match, article: Article, now: datetime) -> bool:
    """A lower toll that is not a correction is another incident (a new shelling of the same town
    two days later), not a retelling of this one, when the outlet giving it had given this event a
    higher one, or when it comes long after the event began (a first, partial report of the same
    incident arrives within hours, not half a day later)."""
    killed = _count(match.facts.get("killed"))
    current = _count(event.facts.get("killed"))
    if killed is None or current is None or killed >= current:
        return False
    if killed in event.source_killed.values():
        return False   # a figure one of its outlets gave already ("four policemen" after "four officers killed")
    at = report_time(article, now)
    earlier = event.source_killed.get(article.source)
    if event.latest_at is not None and at < event.latest_at - timedelta(seconds=CONTEXT_GRACE):
        earlier = None   # the outlet's own first, lower figure, arriving after its later one (a backfill, a slow feed)
    late = at - event.first_at >= timedelta(seconds=LATE_LOWER_TOLL)
    if not ((earlier is not None and killed < earlier) or late):
        return False
    return not _corrects(article.title, article.text) and not one_sides_share(event, match, article)


@lru_cache(maxsize=8)
def _corrects(title: str, text: str) -> bool:
    """Does the report say it corrects a figure? Asked once per candidate incident, so kept for the
    article at hand (a long text would otherwise be searched some thirty times)."""
    return _CORRECTION_CUES.search(f"{title}. {text}") is not None


def new_event_id() -> str:
    return "ev-" + secrets.token_hex(5)


def report_time(article: Article, now: datetime) -> datetime:
    """When a report was published, for time order: its feed's date, or its arrival when the date is
    missing or in the future (a feed's clock, or its time zone, is wrong)."""
    published = article.published
    if published is None or published > now:
        return now
    return published


def _headline(article: Article, language: str | None = None) -> dict[str, Any]:
    """The report a message leads with, in its own language (the alert says which when it is not English)."""
    return {"title": article.title, "url": article.url, "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "text": article.text[:HEADLINE_TEXT], "id": article.id, "language": language or article.language,
            "script": script_of(article.title)}


# -- incidents across rules ---------------------------------------------------------------------


def rule_of(match: Match) -> EventRule:
    return EventRule(match.rule_id, match.rule_title, match.severity, match.tags, match.policy.supersedes)


def related(a: EventRule, b: EventRule) -> bool:
    """Rules whose matches tell one incident: the same rule, one superseding the other, or a shared tag
    (fatal-clash and kosovo-fatal-clash share `conflict`; troop-buildup shares nothing with them)."""
    return a.id == b.id or a.id in b.supersedes or b.id in a.supersedes or not set(a.tags).isdisjoint(b.tags)


def incident_groups(matches: Sequence[Match]) -> list[list[Match]]:
    """The matches of one report, grouped by incident: related rules together, in the order they came."""
    groups: list[list[Match]] = []
    for match in matches:
        rule = rule_of(match)
        joined = [g for g in groups if any(related(rule, rule_of(m)) if CROSS_RULE else m.rule_id == rule.id
                                           for m in g)]
        merged = [m for g in joined for m in g] + [match]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def _lead(matches: Sequence[Match]) -> Match:
    """The rule an incident is told under: one that supersedes another of them, else the most severe,
    else the first."""
    ids = {m.rule_id for m in matches}
    superseded = {s for m in matches for s in m.policy.supersedes if s in ids}
    return max(matches, key=lambda m: (m.rule_id not in superseded, bool(set(m.policy.supersedes) & ids),
                                       m.severity, -matches.index(m)))


def combine(matches: Sequence[Match]) -> Match:
    """One match for an incident matched by several rules: the leading rule's, with the highest severity,
    the facts, regions, tags and evidence of all, and the longest window."""
    lead = _lead(matches)
    if len(matches) == 1:
        return lead
    others = [m for m in matches if m is not lead]
    facts = dict(lead.facts)
    for other in others:
        for name, value in other.facts.items():
            facts.setdefault(name, value)
    everything = [lead, *others]
    window = max(m.policy.window for m in everything)
    return dataclasses.replace(
        lead, severity=max(m.severity for m in everything), facts=facts,
        tags=tuple(dict.fromkeys(t for m in everything for t in m.tags)),
        regions=tuple(dict.fromkeys(r for m in everything for r in m.regions)),
        mentioned=tuple(dict.fromkeys(r for m in everything for r in m.mentioned)),
        evidence=tuple(e for m in everything for e in m.evidence),
        policy=dataclasses.replace(lead.policy, window=window))


def merge_rules(old: Sequence[EventRule], new: Iterable[EventRule]) -> tuple[EventRule, ...]:
    known = {r.id: r for r in old}
    for rule in new:
        known.setdefault(rule.id, rule)
    return tuple(known.values())


def open_event(match: Match, article: Article, now: datetime, terms: Terms,
               story_id: str | None, event_id: str | None = None,
               rules: Sequence[EventRule] = ()) -> Event:
    """A new event from its first report; held when the rule wants more than one source first."""
    policy = match.policy
    held = policy.min_sources > 1
    return Event(
        id=event_id or new_event_id(), rule_id=match.rule_id, rule_title=match.rule_title, key=match.key,
        status=EventStatus.HELD if held else EventStatus.OPEN,
        severity=policy.severity_for(match.severity, match.facts),
        first_at=now, last_at=now,
        headline=_headline(article, match.language),
        facts=dict(match.facts), regions=match.regions, sources=(article.source,),
        names=_merge_terms((), terms.names), words=_merge_terms((), terms.words),
        stories=(story_id,) if story_id else (),
        source_killed=_with_toll({}, article.source, match.facts.get("killed")),
        hold_until=now + timedelta(seconds=policy.max_wait) if held else None,
        rules=merge_rules((), rules or (rule_of(match),)), latest_at=report_time(article, now),
        places=report_places(match), languages=_with_language((), match, article),
        earliest_at=report_time(article, now),
    )


def _with_language(languages: Sequence[str], match: Match, article: Article) -> tuple[str, ...]:
    tag = language_tag(match, article)
    return tuple(dict.fromkeys([*languages, *([tag] if tag else [])]))


def _with_toll(by_source: dict[str, int] | Any, source: str, killed: Any) -> dict[str, int]:
    """The highest toll each outlet has given for the event, this report's included."""
    tolls = dict(by_source)
    count = _count(killed)
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
_CORRECTION_CUES = re.compile(r"\b(?:retract\w*|revised\s+down\w*|correct(?:ed|ing|ion)|erroneous|"
                              r"overstated|in\s+error)\b", re.IGNORECASE)


def _cue(article: Article) -> str | None:
    """The sentence of a report that says things are calming down, shortened; None if none does."""
    text = f"{article.title}. {article.text}"
    found = _DEESCALATION_CUES.search(text)
    if found is None:
        return None
    start = max(text.rfind(". ", 0, found.start()) + 2, found.start() - 80, 0)
    end = text.find(". ", found.end())
    sentence = text[start:end if end != -1 else len(text)].strip(" .")
    return sentence if len(sentence) <= 140 else sentence[:139].rsplit(" ", 1)[0] + "…"


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def merge_report(event: Event, match: Match, article: Article, now: datetime, terms: Terms,
                 story_id: str | None, rules: Sequence[EventRule] = ()) -> tuple[Event, EventUpdate | None, bool]:
    """Fold one more report into an event: (the new event, what materially changed, whether the
    report came from a source not counted before).

    A report published before the event's newest one is context: it may add a source, a figure
    the event lacks or a region, but it changes no figure or direction and keeps the headline."""
    at = report_time(article, now)
    latest = event.latest_at or event.first_at
    context = at < latest - timedelta(seconds=CONTEXT_GRACE)
    if context:
        facts = dict(event.facts)
        for name, value in match.facts.items():
            facts.setdefault(name, value)   # a figure the event lacks; never one it has, never a direction
        up: list[str] = []
        down: list[str] = []
        rising = False
    else:
        facts, up, down, rising = _fold_news(event, match, article)
    regions = tuple(dict.fromkeys([*event.regions, *match.regions]))
    if not context:
        # a region is news when the report is about it (its headline names it), not when it is named in passing
        title = " " + _fold(article.title).replace("-", " ") + " "
        added = [r for r in regions if r not in event.regions and f" {_fold(r).replace('-', ' ')} " in title]
        if added:
            up.append("new region: " + ", ".join(added))
        if not up and not down:
            cue = _cue(article)
            if cue and not _cue_already_told(event, cue):
                down.append(f"“{cue}”")
    severity = max(event.severity, match.policy.severity_for(match.severity, facts))
    if severity > event.severity:
        up.append(f"severity now {severity.label}, was {event.severity.label}")
        rising = True
    fresh_source = article.source not in event.sources
    sources = (*event.sources, article.source) if fresh_source else event.sources
    update = None
    if up or down:
        kind = UpdateKind.DEESCALATION if down and not rising else UpdateKind.UPDATE
        update = EventUpdate(now, kind, tuple(down + up) if kind == UpdateKind.DEESCALATION else tuple(up + down),
                             article.source, article.title, article.published,
                             severity_before=event.severity if severity > event.severity else None)
    # the headline is the newest report that changed what the message says: it agrees with the figures shown
    headline = event.headline
    if update is not None and not context:
        first = event.headline.get("first") or {k: event.headline.get(k) for k in ("title", "source", "published")}
        headline = {**_headline(article, match.language), "first": first}   # the first report is still named under it
    merged = dataclasses.replace(
        event, facts=facts, regions=regions, sources=sources, reports=event.reports + 1, last_at=now,
        severity=severity, names=_merge_terms(event.names, terms.names), words=_merge_terms(event.words, terms.words),
        stories=tuple(dict.fromkeys([*event.stories, *([story_id] if story_id else [])])),
        source_killed=_with_toll(event.source_killed, article.source, match.facts.get("killed")),
        updates=(*event.updates, update) if update else event.updates, headline=headline,
        rules=merge_rules(event.rules or (_own_rule(event),), rules or (rule_of(match),)),
        latest_at=max(latest, at), places=tuple(dict.fromkeys([*event.places, *report_places(match)]))[:MAX_TERMS],
        languages=_with_language(event.languages, match, article),
        earliest_at=min(event.earliest_at or at, at))
    return merged, update, fresh_source


def _own_rule(event: Event) -> EventRule:
    return EventRule(event.rule_id, event.rule_title, event.severity)


def _fold_news(event: Event, match: Match, article: Article) -> tuple[dict[str, Any], list[str], list[str], bool]:
    """A report newer than everything the event holds: (facts, what went up, what went down, rising)."""
    facts = dict(event.facts)
    new = match.facts
    up: list[str] = []
    down: list[str] = []
    correction = _corrects(article.title, article.text)
    for name, label in (("killed", "death toll"), ("wounded", "wounded")):
        old_n, new_n = _count(facts.get(name)), _count(new.get(name))
        if new_n is None or new_n == old_n:
            continue
        if old_n is None or new_n > old_n:
            up.append(f"{label} now {new_n:,}" + (f", was {old_n:,}" if old_n is not None else ""))
            facts[name] = new_n
        elif correction:  # a lower figure is usually an older report; only a correction lowers it
            down.append(f"{label} revised to {new_n:,}, was {old_n:,}")
            facts[name] = new_n
    old_t, new_t = _count(facts.get("troops")), _count(new.get("troops"))
    decreasing = new.get("troops_change") == "decrease"
    if new_t is not None and new_t != old_t:
        if old_t is None:
            facts["troops"] = new_t
            if not decreasing:  # a figure in a report of a cut is the old level: the cut line says it
                up.append(f"troops: {new_t:,}")
        elif new_t > old_t and not decreasing:
            up.append(f"troops now {new_t:,}, was {old_t:,}")
            facts["troops"] = new_t
        elif new_t < old_t and (decreasing or _cue(article)):
            down.append(f"troops reduced to {new_t:,}, was {old_t:,}")
            facts["troops"] = new_t
    if decreasing and facts.get("troops_change") == "increase":  # a reversal, not a stray "withdrew"
        facts["troops_change"] = "decrease"
        if not down:
            down.append("build-up reported scaled back")
    elif new.get("troops_change") == "increase" and facts.get("troops_change") == "decrease":
        facts["troops_change"] = "increase"
        up.append("build-up resumed")
    elif "troops_change" in new and "troops_change" not in facts:
        facts["troops_change"] = new["troops_change"]
    return facts, up, down, bool(up)   # a figure went up: the report is news of escalation, whatever else


def _cue_already_told(event: Event, cue: str) -> bool:
    return any(cue in change for u in event.updates for change in u.changes)


# -- decisions ------------------------------------------------------------------------------------


def decide_alerts(article: Article, matches: Sequence[Match], now: datetime,
                  recent: RecentLookup | None = None, copy_of: Syndication | None = None,
                  book: EventBook | None = None, story_id: str | None = None) -> list[Alert]:
    """One alert decision per incident this (new) article reports.

    With a `book`, the matches of related rules are one incident (`incident_groups`), clustered into
    events (see the module docstring); without one (clustering off) every match is its own alert.
    Throttled alerts, and repeats of a syndicated story that already alerted on the same rule, are
    recorded with the reason.
    """
    alerts = []
    clustered: list[Match] = []
    for match in matches:
        if book is not None and match.policy.window > 0:
            clustered.append(match)
            continue
        reason = None
        if copy_of is not None and match.rule_id in copy_of.alerted_rules:
            reason = f"syndicated copy of a story already alerted (sources: {', '.join(copy_of.sources)})"
        reason = reason or _throttled(match, now, recent)
        alerts.append(Alert(article=article, match=match, created_at=now, suppressed=reason))
    if book is not None:
        groups = incident_groups(clustered)
        placed = [_place(article, group, now, book, story_id) for group in groups]
        for placing in placed:
            if placing.found is None and len(placed) > 1:
                placing = _with_companion(placing, [p.found for p in placed if p.found is not None])
            alerts.append(_decide_event(article, placing, now, recent, copy_of, book, story_id))
    return alerts


@dataclass(frozen=True)
class Placing:
    """Where clustering puts one incident a report tells: its combined match, rules, terms and the open event
    it joins (None: it opens one)."""

    match: Match
    rules: tuple[EventRule, ...]
    terms: Terms
    candidates: tuple[Event, ...]
    found: Event | None


def _place(article: Article, group: Sequence[Match], now: datetime, book: EventBook,
           story_id: str | None) -> Placing:
    match = combine(group)
    rules = tuple(rule_of(m) for m in group)
    terms = salient_terms(article, key_region(match.key))
    window = match.policy.window
    reach = LONGEST_FOLLOW_UP if window >= DEFAULT_WINDOW else window
    candidates = [e for e in _candidates(book, rules, match, now - timedelta(seconds=max(window, reach)))
                  if e.last_at >= now - timedelta(seconds=follow_up_window(e, window))]
    late = frozenset(e.id for e in candidates if e.last_at < now - timedelta(seconds=window))
    found = find_event(candidates, match, terms, story_id, article, now, late)
    return Placing(match, rules, terms, tuple(candidates), found)


def _with_companion(placing: Placing, joined: Sequence[Event]) -> Placing:
    """A report telling incidents of two kinds (a clash and a build-up) that joins an open incident of one kind
    also joins the open incident of the other kind that an earlier report told together with it: the two were
    opened (or joined) by one report, so they are one pair, and a second message for the same pair would
    repeat the first. The other kind's words are seldom enough for this ("Islamic State claims raid that left 53
    Malian troops dead" shares little with the first report's build-up match)."""
    told = {story for event in joined for story in event.stories}
    for event in placing.candidates:
        if not told.isdisjoint(event.stories) and _places_meet(event, placing.match) \
                and event.id not in {e.id for e in joined}:
            return dataclasses.replace(placing, found=event)
    return placing


def _candidates(book: EventBook, rules: Sequence[EventRule], match: Match, since: datetime) -> list[Event]:
    """Open events of rules related to these: looked up by rule id, superseded rule and tag."""
    lookups = dict.fromkeys([*(r.id for r in rules), *(s for r in rules for s in r.supersedes),
                             *(f"tag:{t}" for r in rules for t in r.tags)])
    if not CROSS_RULE:
        lookups = dict.fromkeys(r.id for r in rules)
    found: dict[str, Event] = {}
    for lookup in lookups:
        for event in book.candidates(lookup, since):
            found.setdefault(event.id, event)
    wanted = cluster_key(match.key)
    return [e for e in found.values() if e.last_at >= since and cluster_key(e.key) == wanted
            and any(related(mine, theirs) if CROSS_RULE else mine.id == theirs.id
                    for mine in rules for theirs in (e.rules or (_own_rule(e),)))]


def _decide_event(article: Article, placing: Placing, now: datetime, recent: RecentLookup | None,
                  copy_of: Syndication | None, book: EventBook, story_id: str | None) -> Alert:
    match, rules, terms, found = placing.match, placing.rules, placing.terms, placing.found
    if found is None:
        if match.only_updates:
            why = "updates an open incident only (the rule's events.update_only), and none is open"
            return Alert(article, match, now, suppressed=why)
        if copy_of is not None and not copy_of.alerted_rules.isdisjoint(r.id for r in rules):
            copied = f"syndicated copy of a story already alerted (sources: {', '.join(copy_of.sources)})"
            return Alert(article, match, now, suppressed=copied)
        event = open_event(match, article, now, terms, story_id, rules=rules)
        throttled = _throttled(match, now, recent)
        if throttled is not None:
            return Alert(article, match, now, suppressed=throttled)
        book.remember(event)
        return Alert(article, match, now, event=event, action=AlertAction.SEND, held=event.status == EventStatus.HELD)
    event, update, fresh_source = merge_report(found, match, article, now, terms, story_id, rules)
    if event.status == EventStatus.HELD:
        if len(event.sources) >= match.policy.min_sources:
            # enough sources agree: this report opens the event, carrying everything known so far
            event = dataclasses.replace(event, status=EventStatus.OPEN, hold_until=None, updates=())
            book.remember(event)
            return Alert(article, match, now, event=event, action=AlertAction.SEND)
        book.remember(event)
        return Alert(article, match, now, event=event, action=AlertAction.SEND, held=True)
    book.remember(event)
    if update is not None:
        return Alert(article, match, now, event=event, action=AlertAction.UPDATE, update=update)
    if fresh_source:
        return Alert(article, match, now, event=event, action=AlertAction.EDIT)
    return Alert(article, match, now, event=event, action=AlertAction.EDIT,
                 suppressed=f"adds nothing to event {event.id} (same source, same facts)")


def coalesce_updates(alerts: Sequence[Alert]) -> list[Alert]:
    """Several updates of one event decided in one poll (a backfill after an outage) become one: the
    last, saying what changed since before the poll ("death toll now 6, was 1"); the others are
    recorded as folded into it. One reply instead of a burst that repeats itself."""
    last: dict[str, int] = {}
    for index, alert in enumerate(alerts):
        if alert.action == AlertAction.UPDATE and alert.event is not None and not alert.suppressed:
            last[alert.event.id] = index
    out = list(alerts)
    earlier: dict[str, list[EventUpdate]] = {}
    for index, alert in enumerate(alerts):
        if alert.action != AlertAction.UPDATE or alert.event is None or alert.suppressed or alert.update is None:
            continue
        event_id = alert.event.id
        if index != last[event_id]:
            earlier.setdefault(event_id, []).append(alert.update)
            out[index] = dataclasses.replace(alert, suppressed=f"folded into the next update of event {event_id} "
                                                               "decided in the same poll")
        elif event_id in earlier:
            folded = [*earlier[event_id], alert.update]
            changes = _combine_changes([c for u in folded for c in u.changes])
            kind = UpdateKind.UPDATE
            if all(u.kind == UpdateKind.DEESCALATION for u in folded):
                kind = UpdateKind.DEESCALATION
            out[index] = dataclasses.replace(alert, update=dataclasses.replace(alert.update, kind=kind,
                                                                               changes=changes))
    return out


def _combine_changes(changes: Sequence[str]) -> tuple[str, ...]:
    """Changes in the order they came, one per figure: "death toll now 4, was 1" then "death toll now 6,
    was 4" read "death toll now 6, was 1"."""
    by_label: dict[str, str] = {}
    for change in changes:
        label, sep, rest = change.partition(" now ")
        if not sep:
            by_label.setdefault(change, change)
            continue
        earlier = by_label.get(label)
        if earlier is not None and ", was " in earlier:
            by_label[label] = f"{label} now {rest.split(', was ')[0]}, was {earlier.rsplit(', was ', 1)[1]}"
        else:
            by_label[label] = change
    return tuple(by_label.values())


def cluster_key(key: str) -> str:
    """The key without its rule and region: which country an article names first ("US warns of a
    Serbian build-up near Kosovo") says little about the incident, so regions are compared by overlap
    instead, and rules by relation (`related`); other key parts (`source`) still keep events apart."""
    return "|".join(part for part in key.split("|") if not part.startswith(("region=", "rule=")))


def key_region(key: str) -> str:
    """The region part of a match key ("rule=fatal-clash|region=Kosovo" -> "Kosovo")."""
    for part in key.split("|"):
        name, _, value = part.partition("=")
        if name == "region":
            return value
    return ""


def _throttled(match: Match, now: datetime, recent: RecentLookup | None) -> str | None:
    if not match.throttle or recent is None:
        return None
    since = now - timedelta(seconds=match.throttle)
    if recent(match.rule_id, match.key, since):
        return f"throttled: same {match.key} within {int(match.throttle)}s"
    return None


def release_due(event: Event, now: datetime) -> bool:
    """A held event whose `max_wait` has passed goes out on what it has."""
    return event.status == EventStatus.HELD and event.hold_until is not None and now >= event.hold_until


def event_summary(event: Event) -> dict[str, Any]:
    """The event as plain data for templates, `beacon events` and `/events`."""
    return {
        "id": event.id, "rule": event.rule_id, "title": event.rule_title, "status": event.status,
        "severity": event.severity.label, "first_at": event.first_at, "last_at": event.last_at,
        "facts": dict(event.facts), "regions": list(event.regions), "sources": list(event.sources),
        "source_count": len(event.sources), "reports": event.reports, "headline": dict(event.headline),
        "updates": [{"at": u.at, "kind": u.kind, "changes": list(u.changes), "source": u.source, "title": u.title,
                     "published": u.published} for u in event.updates],
        "rules": [{"id": r.id, "title": r.title, "severity": r.severity.label, "tags": list(r.tags)}
                  for r in (event.rules or (_own_rule(event),))],
        "latest_at": event.latest_at,
    }
