"""Whether a report joins an open incident, and why (`join_reason`): the gates that keep another incident out
(places apart, a new attack, another army, a lower toll, past the window), then shared words, a report in another
language, or a follow-up's evidence; `find_event` picks the best of the open incidents."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.events.build_ups import builds_up, other_armies
from bot.events.figures import another_incident, gives_count
from bot.events.follow_ups import (
    SAME_TOLL_MIN,
    STRONG_REASONS,
    follow_up_cue,
    follow_up_headline,
    follow_up_reason,
    reads_as_late_follow_up,
    says_new_attack,
    tells_new_attack,
    told_as_new_attack,
)
from bot.events.followup_reading import (
    attackers_killed,
    headline_tells_casualties,
    tells_burial,
    tells_end,
    tells_response,
    tells_rising_toll,
)
from bot.events.languages import across_languages
from bot.events.model import as_count, key_region, report_places
from bot.events.places import (
    countries_in,
    countries_of,
    country_names,
    not_distinctive,
    places_meet,
    where_it_happened_named,
)
from bot.events.targets import incident_targets, names_other_day, targets_of
from bot.events.terms import Terms, names_shared, similarity
from bot.models import Article, Event, Match

JOIN_THRESHOLD = 0.3     # share of a report (weighted) an event must already hold; see docs/events.md
MENTIONED_MARGIN = 0.1   # more similarity needed when the report's own place is one the incident only mentioned
CROSS_LANGUAGE = True    # a report in another language may join by place, time and toll (False: words only, for bench)
FOLLOW_UPS = True        # a report may join by the same place, actors or figures (False: words only, for bench)


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
    joinable: list[tuple[Event, float]] = []
    for event in candidates:
        if story_id is not None and story_id in event.stories:
            return event
        score = join_score(event, candidates, match, terms, article, now, late)
        if score is not None and score > 0.0:
            joinable.append((event, score))
    joinable = kind_chooses(joinable, match)
    if article is not None:
        joinable = headline_chooses(joinable, terms, article)
    best: Event | None = None
    best_score = 0.0
    for event, score in joinable:
        if score > best_score:
            best, best_score = event, score
    return best


def kind_chooses(joinable: Sequence[tuple[Event, float]], match: Match) -> list[tuple[Event, float]]:
    """A build-up report (troops, no dead) that may join both an open build-up and a clash goes to the build-up: a
    clash takes troops only as its answer, which the report's headline tells (`deciding._as_response`). "US urges
    Belgrade to pull back forces near Kosovo" shares Belgrade and the boundary with the ambush whose blame exchange
    named them, but it is a report of Serbia's build-up."""
    if not builds_up(match.facts):
        return list(joinable)
    build_ups = [(e, s) for e, s in joinable if builds_up(e.facts)]
    return build_ups or list(joinable)


def headline_chooses(joinable: Sequence[tuple[Event, float]], terms: Terms,
                     article: Article) -> list[tuple[Event, float]]:
    """Of several open incidents a report may join, the ones its headline names: a place or person of theirs below
    country level ("Army says militants killed in Datta Khel were planning attacks", whose text also recalls Monday's
    convoy bombing near Mir Ali), else what was struck ("Aid groups warn of hunger a week after Djugu camp massacre",
    when a raid on a gold mine in Djugu is open too). A report's words may recall another incident; its headline
    says which one it is about. Unchanged when the headline names none of them, or all."""
    if len(joinable) < 2:
        return list(joinable)
    named = [(e, s) for e, s in joinable if not _distinct_names_of(e, terms).isdisjoint(terms.title)]
    if named and len(named) < len(joinable):
        return named
    struck = targets_of(article.title)
    hit = [(e, s) for e, s in joinable if not struck.isdisjoint(incident_targets(e))]
    if struck and hit and len(hit) < len(joinable):
        return hit
    return list(joinable)


def _distinct_names_of(event: Event, terms: Terms) -> set[str]:
    """The incident's names the report's headline may name, less countries, peoples and provinces."""
    return names_shared(terms.title, event.names) - not_distinctive()


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
    named = bool(names_shared(terms.title, event.names))   # the headline names one of its places or people
    meet = places_meet(event, match)
    if not meet and not named:
        return "places apart: the report names none of the incident's places", 0.0
    if not meet and _countries_apart(event, candidates, match):
        return "places apart: a shared name, but the report is about another country with an incident open", 0.0
    if meet and not where_it_happened_named(event, match) and _happened_elsewhere(event, candidates, match):
        return ("places apart: they share places named in passing, but the report happened in another country, "
                "where an incident of its kind is open"), 0.0
    new_attack = article is not None and tells_new_attack(article.title) and not _same_dead_again(event, match, article)
    if new_attack and not told_as_new_attack(event):
        return "another incident: the headline tells a new attack", 0.0
    other_attack = _another_attack_there(event, match, article)
    if other_attack is not None:
        return f"another incident: the headline tells dead of its own, {other_attack}", 0.0
    armies = other_armies(event, match, article)
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
        return why is not None and why.startswith(STRONG_REASONS)

    def late_enough() -> bool:   # days late, a weak reason holds only for a report that reads as a follow-up
        if strong():
            return True
        return evidence() is not None and article is not None and reads_as_late_follow_up(event, match, article)

    score = similarity(terms, event)
    needed = JOIN_THRESHOLD
    if not (meet and where_it_happened_named(event, match)):
        needed += MENTIONED_MARGIN
    if article is not None and now is not None and another_incident(event, match, article, now) \
            and not _partial_count_of_it(article, lambda: score >= needed or evidence() is not None, strong):
        return "another incident: a lower toll that corrects nothing", 0.0
    if event.id in late and not named and not late_enough():
        return ("past the rule's window: the headline does not name the incident nor gives its figures, and the "
                "report does not read as its follow-up"), 0.0
    if score >= needed:
        return "joins: similar words", score
    if CROSS_LANGUAGE and article is not None and now is not None \
            and across_languages(event, match, article, terms, now):
        return "joins: across languages", needed   # words cannot be compared; the place, the time and the toll can
    why = evidence()
    if why is not None and (event.id not in late or late_enough()):
        return "joins: " + why, needed - 0.01   # words that are shared still win
    return f"too few words shared ({score:.2f} < {needed:.2f}) and no shared place, actors or figures", score


def _partial_count_of_it(article: Article, tied: Callable[[], bool], strong: Callable[[], bool]) -> bool:
    """Is a lower toll a partial count of the incident, or one side's, rather than another incident's? A police
    count, a funeral for some of the dead, one side's claim are counted apart from the toll, and lower. So when the
    headline reads as a follow-up's (a cue, or no dead of its own: "Junta suspends garrison chiefs after deadly convoy
    ambush", "Shells hit homes as fighting continues in North Kivu") and the report shares the incident's words or a
    follow-up's evidence holds (`tied`); or when it says who gives the figure ("Borno market blasts: police
    confirm 12 dead", "ELN says it killed dissident commanders in Catatumbo") and a strong one holds (its target, its
    day, its name: a government's count of a clash between two countries, "Armenia says 135 soldiers died", is not
    tied to the incident by the two countries alone). Never when the report says its attack is new ("Lakki Marwat:
    another police van targeted", "the second attack on the district's police in less than a week"); a new attack
    headlines its own dead ("Shelling of Kherson kills two")."""
    if says_new_attack(article.title, article.text):
        return False
    if follow_up_headline(article.title):
        return tied()
    return gives_count(article.title) and strong()


def _another_attack_there(event: Event, match: Match, article: Article | None) -> str | None:
    """Does a report whose headline tells dead of its own, as a new attack is told (no toll rising, no funeral, no
    answer, no follow-up's cue), tell another attack than the incident: another target ("Gunmen kill gold miners in
    Congo's Djugu territory", four days after a militia attack on a displaced camp there) or another day ("on
    Thursday", for a convoy bombing of Monday in the same district)? Then it is a new incident there, however many
    words of the district and its war it shares. None when it tells neither, or when its dead are the attackers the
    army killed in answer."""
    if article is None:
        return None
    title = article.title
    if not headline_tells_casualties(title) or follow_up_cue(title) or tells_rising_toll(title) \
            or tells_burial(title) or tells_response(title) or tells_end(title):
        return None
    struck, theirs = targets_of(title), incident_targets(event)
    if struck and theirs and struck.isdisjoint(theirs):
        return f"on another target ({', '.join(sorted(struck))}, not {', '.join(sorted(theirs))})"
    killed = as_count(match.facts.get("killed"))
    if killed is not None and attackers_killed(title, article.text, killed):
        return None   # the army's count of the attackers it killed: an answer to the attack, whatever day
    began = event.earliest_at or event.first_at
    if names_other_day(title, article.text, began, article.published):
        return f"on another day than the incident's ({began:%A})"
    return None


SAME_DEAD_HOURS = 24.0   # a headline's "again" or "another" with the incident's own toll, this soon, is a retelling


def _same_dead_again(event: Event, match: Match, article: Article | None) -> bool:
    """Is a headline telling a new attack ("Tillaberi hit again as market attack leaves 14 dead", "Another deadly
    attack in Sinaloa capital days after Tierra Blanca gunfight") the incident itself, set beside an earlier one? It
    gives a toll of at least `SAME_TOLL_MIN` one of the incident's outlets gave, in a place the incident holds,
    within `SAME_DEAD_HOURS` of its last report, and sets it beside an earlier attack ("days after ..."): the "again"
    is the town's or the region's, the dead are the incident's. A second attack told as one ("struck again at dawn")
    is a new incident, whatever its toll."""
    if article is None or article.published is None or event.latest_at is None:
        return False
    killed = as_count(match.facts.get("killed"))
    if killed is None or killed < SAME_TOLL_MIN:
        return False
    if killed not in {as_count(event.facts.get("killed")), *event.source_killed.values()}:
        return False
    if abs(article.published - event.latest_at) > timedelta(hours=SAME_DEAD_HOURS):
        return False
    if _BESIDE_EARLIER.search(f"{article.title}. {article.text}") is None:
        return False   # "Another attack on Mali army post kills 53 ... struck again at dawn": a second attack
    return places_meet(event, match) and where_it_happened_named(event, match)


# a report setting its attack beside an earlier one: "days after Tierra Blanca gunfight", "Three days after nine
# soldiers died in an ambush near Banibangou, attackers struck the market"
_BESIDE_EARLIER = re.compile(r"\b(?:days?|weeks?)\s+after\b", re.IGNORECASE)


def _happened_elsewhere(event: Event, candidates: Sequence[Event], match: Match) -> bool:
    """Is the country where the report says it happened none of the incident's, and one where another incident of its
    kind is open? A third country's call ("Washington urges Venezuela to pull troops back from Guyana border") shares
    the speaker with another crisis's statements ("US urges Belgrade to pull back"), not the crisis."""
    mine = set(countries_in(match.regions))
    theirs = countries_of(event)
    if not mine or not theirs or not mine.isdisjoint(theirs):
        return False
    return any(not mine.isdisjoint(countries_of(other)) for other in candidates if other.id != event.id)


def _countries_apart(event: Event, candidates: Sequence[Event], match: Match) -> bool:
    """Is the report about another country than the incident, one where an incident of its kind is open? A group
    fighting in many countries (the Islamic State) or a people is a name incidents share across borders: its
    Mozambican branch's claim belongs to the raid open in Mozambique, not to the ambush its Iraqi cells laid.
    With no incident open in the report's country, the shared name decides (a town the gazetteer misplaces)."""
    mine = {key_region(match.key), *countries_in(report_places(match))} & country_names()
    theirs = countries_of(event)
    if not mine or not theirs or not mine.isdisjoint(theirs):
        return False
    return any(not mine.isdisjoint(countries_of(other)) for other in candidates if other.id != event.id)
