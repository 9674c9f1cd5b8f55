"""Why a report with few words in common is a follow-up of an open incident: the same place, actors or
figures (`follow_up_reason`), and, days late, whether it reads as one (`reads_as_late_follow_up`); how long an
incident takes follow-ups by what it is (`follow_up_window`); and a headline telling a new attack instead. The
reading of the text alone is `bot.events.followup_reading`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from bot.engine.lead import LONG_TEXT, lead_text
from bot.events.build_ups import actors_of, armies_of, builds_up, same_army
from bot.events.figures import gives_count, one_sides_share, rises_from
from bot.events.followup_reading import (
    dateline_only,
    headline_tells_casualties,
    looks_back,
    repeats_toll,
    share_of_dead,
    tells_burial,
    tells_end,
    tells_reaction,
    tells_response,
    tells_rising_toll,
)
from bot.events.model import as_count, dated_to_its_day, key_region, report_places
from bot.events.places import (
    coarse_place_named,
    countries_in,
    countries_of,
    country_names,
    distinct_title_names,
    division_names,
    enclosing_places,
    holds_places_of,
    inside_places_of,
    not_distinctive,
    operator_region,
    own_places,
    place_names,
    speaks,
    towns,
)
from bot.events.targets import incident_targets, names_other_day, targets_of, told_targets
from bot.events.terms import WORD, Terms, dateline_words, fold, names_in_title, names_shared, similarity, stem_of
from bot.models import Article, Event, Match

DEFAULT_WINDOW = 86400.0  # EventPolicy's window when a rule sets none


# how long an incident takes follow-ups, by what it is: a fatal clash draws funerals, identifications, tolls and
# investigations for days, a build-up is reported for weeks (rules with a window narrower than the default keep it)
FOLLOW_UP_WINDOWS = (("killed", 7 * 86400.0), ("wounded", 7 * 86400.0), ("troops", 21 * 86400.0),
                     ("troops_change", 21 * 86400.0))
LONGEST_FOLLOW_UP = max(seconds for _, seconds in FOLLOW_UP_WINDOWS)
SAME_TOLL_MIN = 3        # a toll this high, given again in the same country, is the same incident's
SAME_TROOPS_MIN = 100    # likewise a troop figure
SAME_ACTORS_MIN = 2       # distinctive names (a camp, a unit, a group) a follow-up shares with its incident
BROAD_PLACE_WORDS = 0.15  # words a report placed only by a country or a province must share with its incident
SECOND_COUNT_HOURS = 12.0  # a second outlet's own count of the dead comes within this many hours of the first report


# a headline that tells what followed an incident, not a new one: a toll rising, one of the wounded dying of their
# wounds after it, funerals, names, an inquiry
_FOLLOW_UP_CUE = re.compile(
    r"\b(?:toll\w*\s+(?:\w+\s+){0,3}(?:rises?|rising|climbs?|reach\w*|hits?|up|now)|rais\w+\s+(?:\w+\s+){0,2}toll|"
    r"(?:die[sd]?|dying|succumb\w*)\s+(?:of|to|from)\s+(?:\w+\s+)?(?:wounds|injuries)\s+"
    r"(?:(?:sustained|suffered|received)\s+)?(?:after|from|in)\b|"
    r"wounded\s+(?:\w+\s+){0,3}?(?:dies|died)\s+(?:\w+\s+){0,2}?after\b|"
    r"bur(?:y|ies|ied|ial)|funerals?|mourn\w*|names?d?\b|identif\w+|continues?|siege|still|operation\s+over|"
    r"over\b|ends?\b|ended|aftermath|investigat\w+|inquiry|probe|claims?|blames?|condemns?|survivors?|recounts?|"
    r"(?:pursuit|hunt|manhunt)\s+after|after\s+(?:the\s+|a\s+)?deadly\s+(?:ambush|attack|raid|bombing))",
    re.IGNORECASE)


_ATTACK_NOUNS = r"(?:attacks?|clash\w*|ambush\w*|strikes?|shelling|fighting|raids?|bombings?|blasts?|killings?)"
_ATTACK_VERBS = (r"(?:attack(?:s|ed)?|strikes?|struck|hits?|ambush(?:es|ed)?|raid(?:s|ed)?|bomb(?:s|ed)?|"
                 r"shell(?:s|ed)?|target(?:s|ed)?|storm(?:s|ed)?)")
# an attack done again: "gunmen attacked Kwall again", "El Fasher market shelled again", "again raided", "Again,
# bandits kill 20"; not any "again" ("Relatives again called for better protection", "Djibo cut off again after its
# convoy was attacked", "the soldiers killed on Monday again"), so "killed" only right after it
_DONE_AGAIN = (r"\b" + _ATTACK_VERBS + r"(?:\s+\w+){0,3}?\s+again\b|"
               r"\bagain\W+(?:\w+\s+)?(?:" + _ATTACK_VERBS + r"|kill(?:s|ed)?)\b")

# a headline telling a new attack, not a follow-up of the last one ("new clashes", "fresh strikes", "hit again")
_NEW_EVENT = re.compile(r"\b(?:new|fresh|renewed|another|second|again|latest)\b(?:\s+\w+){0,2}\s+"
                        + _ATTACK_NOUNS + r"\b|" + _DONE_AGAIN, re.IGNORECASE)


def tells_new_attack(title: str) -> bool:
    """Does the headline tell a new attack ("fresh clashes", "another ambush", "struck again")? Then the report is no
    follow-up of the last one."""
    return _NEW_EVENT.search(title) is not None


_ANOTHER = re.compile(r"\banother\b", re.IGNORECASE)

# words that tie what is new to the attack rather than name it ("new details of the ambush", "the second day of
# fighting", "a new toll from Monday's attack")
_LINKS = r"(?:of|on|from|for|in|into|after|about|by|over|since|to|at|with|day|days|week|night|time)"

# a lead telling that its attack is a new one: a new attack named as one ("the second attack on a column in a week",
# "in a fresh attack by the rebels") or an attack done again; not "latest", which a follow-up says of the army's
# answer ("the army's latest strikes on the group's camps") as readily as of a new attack
_NEW_ATTACK_TOLD = re.compile(
    r"\b(?:new|fresh|renewed|another|second|third)\b(?:\s+(?!" + _LINKS + r"\b)\w+){0,2}?\s+" + _ATTACK_NOUNS + r"\b|"
    + _DONE_AGAIN, re.IGNORECASE)


def says_new_attack(title: str, text: str) -> bool:
    """Does the report say its attack is a new one: a headline telling a new attack or "another" ("Lakki Marwat:
    another police van targeted"), or a lead telling a second or fresh attack, or one done again ("It was the second
    attack on the district's police in less than a week")? Only the lead: the paragraphs after it recall earlier
    attacks and tell what others did again; a short item is all lead."""
    if tells_new_attack(title) or _ANOTHER.search(title) is not None:
        return True
    lead = text
    if len(text) > LONG_TEXT:
        lead = lead_text(text)
    return _NEW_ATTACK_TOLD.search(lead) is not None


def told_as_new_attack(event: Event) -> bool:
    """Was the incident itself first told as a new attack ("Another ambush near Téra")? Then the second
    outlet's "second attack in a week" is a report of it, not a third incident."""
    headline = event.headline
    titles = [headline.get("title") or "", (headline.get("first") or {}).get("title") or ""]
    return any(_NEW_EVENT.search(t) or _RETURN.search(t) for t in titles)


# attackers coming back to a place they struck before: "Gunmen return to Hurti, killing villagers ..."
_RETURN = re.compile(r"\b(?:gunmen|attackers|militants|bandits|rebels|insurgents|jihadists|fighters|raiders)\s+"
                     r"(?:return|returns|returned|come\s+back|came\s+back)\s+to\b", re.IGNORECASE)


def follow_up_cue(title: str) -> bool:
    """Does the headline tell what followed an incident (a toll rising, funerals, an inquiry), and no new attack?
    A funeral an attack struck ("Suicide bomber kills 8 at funeral in Quetta") is no cue (`tells_burial`)."""
    if _NEW_EVENT.search(title) is not None:
        return False
    burial = tells_burial(title)
    return any(burial or not _BURIAL_CUE.match(cue.group()) for cue in _FOLLOW_UP_CUE.finditer(title))


_BURIAL_CUE = re.compile(r"bur|funeral|mourn", re.IGNORECASE)


def _headline_names(event: Event, terms: Terms) -> set[str]:
    """Names the report's headline shares with the incident: its places and people, less countries, peoples
    and divisions ("Maarat" and "Panjgur" tell an incident apart; "Niger", "Malian" and "Tillaberi" do not)."""
    return names_shared(terms.title, event.names) - not_distinctive()


def _names_incident(event: Event, match: Match, terms: Terms) -> bool:
    """Does the report's headline name this incident: a name of its (not a country's), or the town it happened in?"""
    if _headline_names(event, terms):
        return True
    title_towns = {t for t in towns(report_places(match)) if stem_of(fold(t)) in terms.title}
    return not title_towns.isdisjoint(event.regions)


# enough for a follow-up days late
STRONG_REASONS = ("the same toll", "the same troop figure", "the headline names", "the same two countries' build-up",
                  "the day it happened", "a rising toll", "a funeral for", "what it struck")


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
    - the same town the incident happened in, with a toll of its repeated in the text (`_same_town_same_toll`);
    - a toll rising past a count its outlets gave, where the incident is (`_rising_toll_here`, a strong reason);
    - within hours, the same toll for an incident no place was found for (`_count_for_unplaced`), a second outlet's
      count (`_second_count`), or a group's claim recalling its toll (`_claim_recalling_toll`);
    - the day it happened, named by its weekday a day or more later, in its country or by a claim naming no place
      (`_told_for_its_day`);
    - the same country, when the report names no place below it and the incident is the only open one of its
      kind there; or the same country or province with words that lean its way (`_same_broad_place`), a
      capital named only in the dateline left out. Neither when the headline tells dead of its own with no
      follow-up's cue: a new incident there.
    None when its headline names a town a clash never named: another place, another incident. The caller
    rules out a report whose headline tells a new attack, and one whose toll contradicts the incident; days
    late, it asks the weaker of these reasons for a report that reads as a follow-up (`reads_as_late_follow_up`)."""
    mine = countries_in(report_places(match))
    theirs = countries_in(event.places or event.regions)
    if not report_places(match):
        rising = _rising_toll_here(event, candidates, match, article)   # neither placed: the headline's names decide
        if rising is not None:
            return rising
        named = _names_it_unplaced(event, candidates, terms, article)
        if named is not None:
            return named
        if article is not None and follow_up_cue(article.title):
            its_day = _told_for_its_day(event, candidates, match, terms, article)   # a claim naming no place
            if its_day is not None:
                return its_day
    unplaced = _count_for_unplaced(event, candidates, match, article)
    if unplaced is not None:
        return unplaced
    recalled = _recalls_its_attack(event, candidates, terms, article)
    if recalled is not None and (not mine or not set(mine).isdisjoint(theirs)):
        return recalled
    if not report_places(match):
        return _struck_its_target(event, candidates, match, article)   # placed nowhere: what it struck may say
    if not mine or set(mine).isdisjoint(theirs):
        return None
    # a town in the headline, less a government speaking ("Baku says") and a wire's dateline ("COTONOU - ...")
    headline_words = terms.title - dateline_words(article.title) if article is not None else terms.title
    title_towns = {t for t in towns(report_places(match)) if stem_of(fold(t)) in headline_words
                   and not (article is not None and speaks(article.title, t))} - _towns_inside_it(event, match)
    build_up = "troops" in event.facts or "troops_change" in event.facts   # a build-up spans many bases and towns
    killed = as_count(match.facts.get("killed"))
    tolls = {as_count(event.facts.get("killed")), *event.source_killed.values()}
    same_toll = killed is not None and killed >= SAME_TOLL_MIN and killed in tolls
    # another town, another incident; but the dead are buried in their home towns ("Mourners in Bunia bury 60
    # killed in camp raid", "Families in Sévaré bury eight of the soldiers killed"): a burial of the incident's dead,
    # by its toll or a share of it, is still its follow-up
    burial = _buries_its_dead(event, candidates, match, article, killed, tolls) is not None
    if title_towns and not build_up and title_towns.isdisjoint(event.places) and title_towns.isdisjoint(event.names) \
            and not burial:
        # a toll rising in a town of the country an incident is placed by alone (its village unknown to the
        # gazetteer: "Kanbalu township strike toll rises to 100" after a strike "in Myanmar") is still its toll; the
        # dead of an attack on what it struck are mourned at home ("Families in Ouagadougou mourn volunteers killed in
        # convoy ambush")
        rising = _rising_toll_here(event, candidates, match, article)
        if rising is None and article is not None and tells_burial(article.title):
            return _struck_its_target(event, candidates, match, article)
        return rising
    if same_toll:
        return f"the same toll ({killed})"
    buried = _buries_its_dead(event, candidates, match, article, killed, tolls)
    if buried is not None:
        return buried
    troops = as_count(match.facts.get("troops"))
    if troops is not None and troops >= SAME_TROOPS_MIN and troops == as_count(event.facts.get("troops")) \
            and _writes_figure(article, troops):
        return f"the same troop figure ({troops:,})"
    if _names_incident(event, match, terms):
        return "the headline names the incident's place or people"
    actors = _shared_actors(event, candidates, terms)
    if actors and article is not None and follow_up_headline(article.title) \
            and similarity(terms, event) >= BROAD_PLACE_WORDS:
        return f"the same named actors ({', '.join(actors)}), named by no other open incident of its kind"
    about = set(actors_of(mine, article)[:2])
    others = [e for e in candidates if e.id != event.id and about <= set(countries_in(e.places or e.regions))]
    if len(about) == 2 and about <= set(theirs):
        pair = _same_actors(event, others, match, about)
        if pair is not None:
            return pair
    army = same_army(event, candidates, match, article)
    if army is not None:
        return f"the same army's build-up ({army}), the only open build-up it leads"
    own = _told_by_its_government(event, candidates, match, terms, mine)
    if own is not None:
        return own
    second = _second_count(event, candidates, match, terms, article)
    if second is not None:
        return second
    same_count = _same_count_in_country(event, candidates, match, terms, article)
    if same_count is not None:
        return same_count
    claim = _claim_recalling_toll(event, candidates, match, article, tolls)
    if claim is not None:
        return claim
    its_day = _told_for_its_day(event, candidates, match, terms, article)
    if its_day is not None:
        return its_day
    if article is not None and not follow_up_headline(article.title):
        # "Gunmen kill dozens at a market in north-east Nigeria": a new incident there, told as one; but a count
        # told as given, of what the incident struck ("Borno market blasts: police confirm 12 dead"), is its
        return _struck_its_target(event, candidates, match, article)
    rising = _rising_toll_here(event, candidates, match, article)   # before the weaker reasons: it holds days late
    if rising is not None:
        return rising
    town = _same_town_same_toll(event, candidates, match, article, tolls)
    if town is not None:
        return town
    only_country = set(match.regions) <= set(mine) and not distinct_title_names(article)
    if len(mine) == 1 and only_country and not others and mine[0] in countries_in(event.regions):
        return f"the same country ({mine[0]}), the only open incident of its kind there"
    if len(mine) == 1 and only_country and not others and builds_up(match.facts) and builds_up(event.facts) \
            and mine[0] in countries_of(event):
        # the other side's statement: "Serbia confirms army units sent south" of "Kosovo says Serbia is massing
        # troops", a build-up whose reports place it where the army masses or where it faces
        return f"the same build-up told from {mine[0]}, the only open incident of its kind naming it"
    broad = _same_broad_place(event, candidates, match, terms, article)
    if broad is not None:
        return broad
    return _struck_its_target(event, candidates, match, article)


def _towns_inside_it(event: Event, match: Match) -> set[str]:
    """The report's own town when it lies in the province the incident is placed in and the incident names no town:
    "drone hits minibus near Shebekino" (in Belgorod Oblast, by the gazetteer) of "Drone strike on minibus in Belgorod
    region kills two" names where in that province it happened, not another place. An incident that names its town
    keeps a report of another town apart, and so does one whose headline names a place below its province that the
    gazetteer does not know ("Militants attack camp in Panjgur", placed in Balochistan: a report of Nushki is
    another attack)."""
    provinces = set(event.places) - set(country_names())
    if not match.regions or not provinces <= division_names() or match.regions[0] in division_names():
        return set()
    if provinces.isdisjoint(match.regions[1:]):
        return set()
    if _incident_title_names(event):
        return set()   # "Militants attack camp in Panjgur": a place of its own the gazetteer does not know
    return {match.regions[0]}


def _names_it_unplaced(event: Event, candidates: Sequence[Event], terms: Terms,
                       article: Article | None) -> str | None:
    """A report the gazetteer places nowhere (no country, no town it knows) whose headline names one of the
    incident's names below country level, and no name the incident never named ("Ombudsman lowers Catatumbo death
    toll to 11", "ELN says it killed dissident commanders in Catatumbo", after "Clashes between armed groups kill 15
    in Colombia's Catatumbo"), is about that place: nothing places it elsewhere, and the name says where, when no
    other open incident of its kind names it."""
    if article is None:
        return None
    headlines = _incident_title_names(event)
    named = _headline_names(event, terms) | (names_shared(terms.title, tuple(headlines)) - not_distinctive())
    if not named:
        return None
    theirs = {stem_of(fold(n)) for n in event.names} | headlines
    if not distinct_title_names(article) <= theirs | named:
        return None   # a name the incident never named: another place
    if any(other.id != event.id and names_shared(named, other.names) for other in candidates):
        return None
    return (f"the headline names the incident's place or people ({', '.join(sorted(named))}), the report placed "
            "nowhere else")


def _incident_title_names(event: Event) -> set[str]:
    """The names below country level of the incident's headlines (the first and the one shown), folded: "Catatumbo"
    in "Clashes between armed groups kill 15 in Colombia's Catatumbo", whose text names only the town."""
    headline = event.headline
    titles = [headline.get("title") or "", (headline.get("first") or {}).get("title") or ""]
    return {stem_of(fold(n)) for t in titles for n in names_in_title(t)} - not_distinctive()


# a headline telling who were among the dead already counted: "Novice monks among 17 dead in airstrike"
_AMONG_DEAD = re.compile(r"\bamong\s+(?:the\s+)?(?:\d[\d,]*|\w+)\s+(?:dead|killed|victims)\b", re.IGNORECASE)


def _struck_its_target(event: Event, candidates: Sequence[Event], match: Match,
                       article: Article | None) -> str | None:
    """A report telling an attack on what the incident struck (a market, a camp, a convoy, a bus: its headline or first
    sentence, "Sunday's strike on the market at Anéfis", "Borno market blasts: police confirm 12 dead") is a report
    of that attack in words of its own when it reads as a follow-up or says who gives its figure, names no place the
    incident does not hold (a funeral or a mourning may be anywhere in the country: the dead are mourned at home),
    names no other day for its attack, and tells it as the incident's: it dates it to the incident's day by its
    weekday, it comes within `SECOND_COUNT_HOURS` of the first report, or its text counts at least as many dead (a
    toll that rose: "Investigators open case over Bryansk bus attack ... the toll had risen to three"). No other open
    incident of its kind in the report's country (anywhere, when it names none) struck the same; when the report
    names the day, no other that began that day. A new attack on another target is ruled out before
    (`_another_attack_there`)."""
    if article is None or article.published is None:
        return None
    struck = told_targets(article.title, article.text) & incident_targets(event)
    if not struck:
        return None
    title = article.title
    if not (follow_up_headline(title) or gives_count(title) or _AMONG_DEAD.search(title)):
        return None
    mine = set(countries_in(report_places(match)))
    if mine and not mine <= countries_of(event):
        return None
    # a broad region says nothing here; a town inside the province of an incident that names no town is there
    inside = _towns_inside_it(event, match)
    own = [p for p in own_places(match, article) if not operator_region(p) and p not in inside]
    theirs = set(event.places or event.regions) | set(event.regions)
    if own and not tells_burial(title) and not inside_places_of(own, theirs) \
            and not _province_of_its_town(own, theirs):
        return None
    began = event.earliest_at or event.first_at
    if names_other_day(title, article.text, began, article.published):
        return None   # "... in an ambush on a convoy on Tuesday", for Monday's: another convoy
    killed = as_count(match.facts.get("killed"))
    current = as_count(event.facts.get("killed"))
    on_its_day = dated_to_its_day(event, article)
    if on_its_day:
        when = "dated to its day"
    elif article.published - event.first_at <= timedelta(hours=SECOND_COUNT_HOURS):
        when = "within hours"
    elif killed is not None and current is not None and killed >= current \
            and repeats_toll(f"{title}. {article.text}", killed):
        when = f"with as many dead or more ({killed}, the incident's {current})"
    else:
        return None
    # a rival is one where the report happened, by where each happened: a drone strike on a bus in Kherson names the
    # Russian drone, and is no rival in Russia of a minibus hit near Shebekino
    where = set(countries_in(match.regions)) or mine
    for other in candidates:
        if other.id == event.id or struck.isdisjoint(incident_targets(other)):
            continue
        if where and where.isdisjoint(set(countries_in(other.regions)) or countries_of(other)):
            continue
        if on_its_day and not dated_to_its_day(other, article):
            continue
        return None
    return (f"what it struck ({', '.join(sorted(struck))}), {when}, the only open incident of its kind there that "
            "struck one")


def _province_of_its_town(own: Sequence[str], theirs: set[str]) -> bool:
    """Are the report's places provinces of the incident's country, when the incident holds a town but no province
    (the gazetteer does not say which province the town lies in: "El Fasher", then "Medics in North Darfur said ...")?
    Its province is unknown, so any of the country's may be it; the caller asks for what it struck and its day too."""
    countries = set(countries_in(theirs))
    if not countries or not (theirs - countries) or (theirs & division_names()):
        return False
    inside = {p for p in own if p in division_names() and not countries.isdisjoint(_countries_holding(p))}
    return set(own) - countries <= inside and set(countries_in(own)) <= countries


def _countries_holding(division: str) -> set[str]:
    """The countries a division of that name lies in."""
    return set(countries_in(enclosing_places(division)))


def _told_by_its_government(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                            mine: Sequence[str]) -> str | None:
    """A build-up report placed only in the country whose army the build-up's headlines move, in any of its provinces
    ("Caracas calls Bolívar state deployment 'defensive'", after "Guyana says Venezuela is moving troops toward
    disputed border"), is that army's government telling its own move, when it names the area the build-up is about
    (a place below country level the incident holds, an operator's region among them: "the Essequibo", in the
    contested areas; or a name of the incident's, not a country's nor a province's) and no other open build-up moves
    that army. An army has many fronts: its country alone is not enough, the area named is."""
    if len(mine) != 1 or not builds_up(match.facts) or not builds_up(event.facts):
        return None
    army = mine[0]
    if army not in armies_of(event):
        return None
    shared_places = set(report_places(match)) & set(event.places or event.regions)
    area = (names_shared(terms.names, event.names) - not_distinctive()) | (shared_places - country_names())
    if not area:
        return None
    if any(other.id != event.id and army in armies_of(other) for other in candidates):
        return None
    return (f"the same army's build-up told by its government ({army}), naming its area ({', '.join(sorted(area))}), "
            "the only open build-up of that army")


def _writes_figure(article: Article | None, figure: int) -> bool:
    """Does the report write the figure as a number ("4,500 troops")? "Several hundred soldiers" may be read as 100,
    but a guess shared by two reports is no shared figure."""
    if article is None:
        return True
    text = f"{article.title} {article.text}"
    return any(re.search(rf"(?<![\d,.]){re.escape(form)}(?![\d,])", text) for form in (str(figure), f"{figure:,}"))


def _same_actors(event: Event, others: Sequence[Event], match: Match, about: set[str]) -> str | None:
    """The two countries a report is about (a clash between Armenia and Azerbaijan, a standoff on the Poland-Belarus
    border) are among the incident's, and no other open incident of its kind is about both: the same actors. A build-up
    whose headlines move a third country's army (Brazil reinforcing its own border in a Venezuela-Guyana crisis) is
    neither the report's incident nor a rival. With rivals, the one incident that shares a town with the report is its
    (the crossing two armies face each other at). Between build-ups this is enough days late (`STRONG_REASONS`): a
    build-up is reported in stages for weeks ("more troops to the eastern border", then "the second reinforcement in a
    week")."""
    if _third_army(event, about):
        return None
    pair = " and ".join(sorted(about))
    build_ups = builds_up(event.facts) and builds_up(match.facts)
    kind = "the same two countries' build-up" if build_ups else "the same actors"
    rivals = [e for e in others if not _third_army(e, about)]
    if build_ups:   # a clash between the two is no rival of a build-up report: another kind of incident
        rivals = [e for e in rivals if builds_up(e.facts)]
    if not rivals:
        return f"{kind} ({pair}), the only open incident of its kind about both"
    mine = towns(report_places(match))
    here = mine & towns(event.places or event.regions)
    if here and all(mine.isdisjoint(towns(e.places or e.regions)) for e in rivals):
        return f"{kind} ({pair}) and a town ({', '.join(sorted(here))}), the only open incident of its kind naming it"
    return None


def _third_army(event: Event, about: set[str]) -> bool:
    """Is the incident a build-up whose headlines move the army of neither country ("Brazil sends armoured vehicles
    to Roraima", in a Venezuela-Guyana crisis)?"""
    armies = armies_of(event)
    return bool(armies) and armies.isdisjoint(about)


def _buries_its_dead(event: Event, candidates: Sequence[Event], match: Match, article: Article | None,
                     killed: int | None, tolls: set[int | None]) -> str | None:
    """A funeral or a wreath-laying for as many dead as one of the incident's outlets counted ("Wreaths laid for
    Naik ... and Sepoy ..." for the two soldiers killed on the frontier): a toll under `SAME_TOLL_MIN` says little
    alone, but the dead of a funeral were counted before, so it is the incident's when no other open incident of
    its kind in the report's country counted as many."""
    if article is None or not tells_burial(article.title):
        return None
    struck = _burial_of_its_target(event, candidates, match, article, killed)
    if struck is not None:
        return struck
    if killed is None:
        return None
    highest = as_count(event.facts.get("killed"))
    share = killed not in tolls and highest is not None and killed < highest \
        and share_of_dead(article.title, article.text, killed)
    if killed not in tolls and not share:
        return None
    mine = {key_region(match.key), *countries_in(report_places(match))} & country_names()
    for other in candidates:
        if other.id == event.id or mine.isdisjoint(countries_of(other)):
            continue
        counted = {as_count(other.facts.get("killed")), *other.source_killed.values()}
        if killed in counted or (share and any(c is not None and c > killed for c in counted)):
            return None
    if share:
        return (f"a funeral for some of its dead ({killed} of {highest}), the only open incident of its kind there "
                "with as many")
    return (f"a funeral for as many dead ({killed}) as it counted, the only open incident of its kind there "
            "counting them")


def _recalls_its_attack(event: Event, candidates: Sequence[Event], terms: Terms,
                        article: Article | None) -> str | None:
    """A report whose headline tells what followed an attack ("Catatumbo families flee as troops pour in after base
    attack") and whose text recalls the incident's toll where it happened ("after the drone attack that killed three
    soldiers in Tibú") is its follow-up, wherever the gazetteer places it (or cannot): the toll and a name of the
    incident's (not a country's nor a province's) say which attack, when no other open incident of its kind has that
    name. A toll of at least `SAME_TOLL_MIN`, so that a count of one or two, which many incidents share, is not
    enough."""
    if article is None:
        return None
    title = article.title
    if not (tells_response(title) or tells_reaction(title) or follow_up_cue(title)):
        return None
    names = names_shared(terms.names, event.names) - not_distinctive()
    if not names:
        return None
    text = f"{title}. {article.text}"
    tolls = {as_count(event.facts.get("killed")), *event.source_killed.values()}
    recalled = sorted(t for t in tolls if t is not None and t >= SAME_TOLL_MIN and repeats_toll(text, t))
    if not recalled:
        return None
    if any(other.id != event.id and not names.isdisjoint(other.names) for other in candidates):
        return None
    return (f"the same toll ({recalled[-1]}) recalled with one of its names ({', '.join(sorted(names))}), the only "
            "open incident of its kind naming it")


def _burial_of_its_target(event: Event, candidates: Sequence[Event], match: Match, article: Article,
                          killed: int | None) -> str | None:
    """A burial whose headline names what the incident struck and gives no count of its own ("Families in Gao bury
    soldiers killed in convoy attack", a week after an ambush on a convoy in the Ménaka region): the dead are buried at
    home, and the target says which attack they died in, when no other open incident of its kind in the country
    struck one. A count the text gives next to a death word is the burial's own, and the toll rules decide."""
    struck = targets_of(article.title) & incident_targets(event)
    if not struck:
        return None
    if killed is not None and repeats_toll(f"{article.title}. {article.text}", killed):
        return None
    mine = {key_region(match.key), *countries_in(report_places(match))} & country_names()
    for other in candidates:
        if other.id != event.id and not mine.isdisjoint(countries_of(other)) \
                and not struck.isdisjoint(incident_targets(other)):
            return None
    return (f"a funeral for the dead of its attack on a {', '.join(sorted(struck))}, the only open incident of its "
            "kind there that struck one")


def _rising_toll_here(event: Event, candidates: Sequence[Event], match: Match,
                      article: Article | None) -> str | None:
    """A headline saying a toll rose ("Haiti: toll from gang attack rises to 43, UN says", "Congo: toll from rebel
    raid near Beni rises to 29") tells of an incident already reported with fewer dead, so it needs no shared
    words: it joins the incident with fewer dead whose places hold every place it names (the capital a wire files
    from left out, and a name that only speaks, "UN says"), when no other open incident there has fewer dead."""
    if article is None or not rises_from(event, match, article):
        return None
    if not holds_places_of(event, match, article):
        return None
    for other in candidates:
        if other.id != event.id and rises_from(other, match, article) and holds_places_of(other, match, article):
            return None
    return (f"a rising toll ({as_count(match.facts.get('killed'))}, was {as_count(event.facts.get('killed'))}) where "
            "it happened, the only open incident of its kind there with fewer dead")


def _told_for_its_day(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                      article: Article | None) -> str | None:
    """A report a day or more after an incident that dates what it tells to the day it happened ("Fifty-four soldiers
    died in Thursday's attacks", from the capital; a group's claim on its channels that names no place: "its fighters
    killed 31 soldiers in an ambush on Monday") tells of that incident, in its countries or naming none, when its
    headline says who gives its figure or reads as a follow-up's (a claim, an inquiry), shares some words with it
    (`BROAD_PLACE_WORDS`) and at least twice what it shares with any other open incident of its kind that began on a day
    it names (in its country, when it names one)."""
    if article is None or not dated_to_its_day(event, article):
        return None
    if not (gives_count(article.title) or follow_up_cue(article.title)):
        return None   # "Two killed in exchange of fire in North Mitrovica late on Saturday": a new incident that day
    words = similarity(terms, event)
    # a village the gazetteer lacks, named by both ("an army patrol near Tillia"), says as much as words do
    village = names_shared(terms.names, event.names) - not_distinctive()
    if words < BROAD_PLACE_WORDS and not village:
        return None
    # where it happened, else every place it names ("an attack on a Nigerien patrol near the Malian border": Niger)
    mine = set(countries_in(match.regions) or countries_in(report_places(match)))
    if not mine <= countries_of(event):
        return None   # a country the incident is not in: another incident, though on the same day
    rivals = [e for e in candidates if e.id != event.id and dated_to_its_day(e, article)
              and (not mine or not mine.isdisjoint(countries_of(e)))]
    closest = max((similarity(terms, e) for e in rivals), default=0.0)
    if words < 2 * closest:
        return None
    where = f"in {', '.join(sorted(mine))}" if mine else "naming no place"
    if words < BROAD_PLACE_WORDS:
        return (f"the day it happened, named by its weekday, {where}, and a place of its the gazetteer lacks "
                f"({', '.join(sorted(village))})")
    return (f"the day it happened, named by its weekday, {where}, and the words choose it ({words:.2f}, others that "
            f"began that day at most {closest:.2f})")


_CLAIM = re.compile(r"\bclaim(?:s|ed)?\b", re.IGNORECASE)


def _claim_recalling_toll(event: Event, candidates: Sequence[Event], match: Match, article: Article | None,
                          tolls: set[int | None]) -> str | None:
    """Within hours of an incident, a group's claim of it gives a far larger toll of its own and, in the same breath,
    the other side's count ("BLA claims highway convoy attack, says 90 soldiers killed": "the army ... said five
    people had died"): its text recalls a toll of at least `SAME_TOLL_MIN` one of the incident's outlets gave, next to
    a death word, in no place the incident does not hold, and no other open incident of its kind counted as many."""
    if article is None or article.published is None or _CLAIM.search(article.title) is None:
        return None
    if article.published - event.first_at > timedelta(hours=SECOND_COUNT_HOURS):
        return None
    if not holds_places_of(event, match, article):
        return None
    text = f"{article.title}. {article.text}"
    recalled = sorted(t for t in tolls if t is not None and t >= SAME_TOLL_MIN and repeats_toll(text, t))
    if not recalled:
        return None
    for other in candidates:
        if other.id != event.id and recalled[-1] in {as_count(other.facts.get("killed")),
                                                     *other.source_killed.values()}:
            return None
    return f"a claim within hours recalling its toll ({recalled[-1]}), the only open incident of its kind counting it"


def _count_for_unplaced(event: Event, candidates: Sequence[Event], match: Match,
                        article: Article | None) -> str | None:
    """An incident the gazetteer could not place (a village it lacks: "Rebels kill dozens in overnight raid on
    Mukondi") is told hours later by a second outlet that names the district, with the same toll ("ADF raid leaves 36
    dead in eastern Congo village", in Beni territory): nothing places the two apart, and a toll of at least
    `SAME_TOLL_MIN` given by one of its outlets within `SECOND_COUNT_HOURS` is the same dead, when no other open
    incident of its kind counted as many."""
    if article is None or article.published is None or event.places or event.regions:
        return None
    killed = as_count(match.facts.get("killed"))
    tolls = {as_count(event.facts.get("killed")), *event.source_killed.values()}
    if killed is None or killed < SAME_TOLL_MIN or killed not in tolls:
        return None
    if article.published - event.first_at > timedelta(hours=SECOND_COUNT_HOURS):
        return None
    for other in candidates:
        if other.id != event.id and killed in {as_count(other.facts.get("killed")), *other.source_killed.values()}:
            return None
    return f"the same toll ({killed}) within hours, for an incident the gazetteer could not place"


def _same_count_in_country(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                           article: Article | None) -> str | None:
    """Within hours of an incident placed by its country alone ("Kosovo police officer killed in attack on patrol in
    the north", its village unknown to the gazetteer), a second outlet places it in a town or region of that country
    and gives the same count ("Gunfire in northern Kosovo, officer reported dead"): a count of the same dead, however
    small, when it shares some words (`BROAD_PLACE_WORDS`) and no other incident of its kind is open in the
    country. A count of one says little alone, so the words and the hours are both asked."""
    if article is None or article.published is None or article.source in event.source_killed:
        return None
    if article.published - event.first_at > timedelta(hours=SECOND_COUNT_HOURS):
        return None
    killed = as_count(match.facts.get("killed"))
    if killed is None or killed not in {as_count(event.facts.get("killed")), *event.source_killed.values()}:
        return None
    theirs = event.places or event.regions
    countries = set(countries_in(theirs))
    if not theirs or set(theirs) != countries or not set(countries_in(own_places(match, article))) <= countries:
        return None   # placed below its country: the town decides, not the count
    if similarity(terms, event) < BROAD_PLACE_WORDS:
        return None
    if any(other.id != event.id and not countries.isdisjoint(countries_of(other)) for other in candidates):
        return None
    return (f"the same count ({killed}) within hours, for an incident placed by its country alone "
            f"({', '.join(sorted(countries))}), the only open incident of its kind there")


def _second_count(event: Event, candidates: Sequence[Event], match: Match, terms: Terms,
                  article: Article | None) -> str | None:
    """Within hours of an incident's first report, a second outlet gives its own count of the same dead, in its own
    words ("Junta jets bomb village in Magway, killing at least 12", then "Myanmar air strike on village kills 21,
    resistance group says"): it names no place the incident does not hold, shares some words
    (`BROAD_PLACE_WORDS`) or names the island or region the incident's province is part of (a wire in the capital
    writes "an ambush on the southern island of Mindanao" for one in Maguindanao del Sur), and no other incident of
    its kind is open in the country (or, instead of the words, names the group its headline named by its acronym:
    "ADF rebels kill 19 in eastern Congo village", then "Congo army says 23 civilians dead in Beni territory attack
    ... by ADF rebels"); or,
    with others open there (a truck bomb in Cali the evening a helicopter was
    downed in Antioquia), it shares at least twice the words it shares with any of them. An outlet that already
    gave the incident a figure is not a second outlet; half a day later a new figure may be a new attack there."""
    if article is None or article.published is None or article.source in event.source_killed:
        return None
    killed = as_count(match.facts.get("killed"))
    current = as_count(event.facts.get("killed"))
    if killed is None or current is None or killed == current:
        return None
    if article.published - event.first_at > timedelta(hours=SECOND_COUNT_HOURS):
        return None
    if not holds_places_of(event, match, article):
        return None
    words = similarity(terms, event)
    island = coarse_place_named(event, terms)
    town = sorted(p for p in towns(own_places(match, article)) & towns(event.places or event.regions)
                  if p not in division_names() and not operator_region(p))
    actors = sorted(_group_acronyms(f"{article.title} {article.text}") & _incident_acronyms(event))
    if words < BROAD_PLACE_WORDS and island is None and not town and not actors:
        return None
    countries = countries_of(event)
    rivals = [other for other in candidates if other.id != event.id and not countries.isdisjoint(countries_of(other))]
    if island is not None:
        shared = f"naming its island or region ({island})"
    elif words < BROAD_PLACE_WORDS and town:
        shared = f"in its town ({', '.join(town)})"
    elif words < BROAD_PLACE_WORDS:
        shared = f"naming its actors ({', '.join(actors)})"
    else:
        shared = f"with words ({words:.2f})"
    if not rivals:
        return (f"a second outlet's count ({killed}, the incident's {current}) within hours, {shared}, "
                "the only open incident of its kind in the country")
    closest = max(similarity(terms, other) for other in rivals)
    if words >= BROAD_PLACE_WORDS and words >= 2 * closest:
        return (f"a second outlet's count ({killed}, the incident's {current}) within hours, and the words choose "
                f"it ({words:.2f}, others in the country at most {closest:.2f})")
    return None


_ACRONYM = re.compile(r"\b[A-Z]{3,6}\b")
# a word in capitals that names no group: a label ("VIDEO:", "UPDATE 2-", "LIVE |"), a word of a line written in
# capitals ("LIVE UPDATES", "GUNMEN KILL 12 IN ZAMFARA", a dateline "KINSHASA (Meridian Wire) -"), an outlet quoted
# ("the army said (NHK)", "told RFI", "according to TASS", "RFI reported")
_LABEL_AFTER = re.compile(r"(?:\s+\d+)?(?:\s*[:|–—]|\s+-\s|-(?=[A-Z\d\s]))")
_OUTLET_BEFORE = re.compile(r"\b(?:told|according\s+to|quoted\s+by|reported\s+by|broadcaster|agency|outlet)\s+$",
                            re.IGNORECASE)
# an acronym in brackets: the short name of the name before it, as wire copy names a group on first mention ("the
# Allied Democratic Forces (ADF)", "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)", "the al-Qaeda affiliate (JNIM)
# said"); an outlet's credit when it closes a dateline ("Kabul (Meridian) -"), when it closes a clause with no name
# before it ("the army said (NHK).") or when the name is an outlet's ("Radio France Internationale (RFI)")
_IN_BRACKETS = re.compile(r"([\w'’-]+)\s*\($")
_DATELINE_CREDIT = re.compile(r"\)\s*[-–—:]")
_CLAUSE_CREDIT = re.compile(r"\)\s*(?:[.,;]|$)")
_OUTLET_NAME = re.compile(r"\b(?:radio|television|tv|news|agency|press|broadcast\w*|times|post|journal)\b"
                          r"(?:\s+[\w'’-]+){0,3}\s*\($", re.IGNORECASE)
_OUTLET_AFTER = re.compile(r"\s+(?:reported|reports|news|tv|radio|television)\b", re.IGNORECASE)
_PREVIOUS_WORD = re.compile(r"([A-Za-z][A-Za-z'’-]*)[ \d]*$")   # the word before, in the same clause
_NEXT_WORD = re.compile(r"[ \d]*([A-Za-z][A-Za-z'’-]*)")


def _group_acronyms(text: str) -> set[str]:
    """Acronyms a report writes (a group or a unit: "ADF", "JNIM", "ISWAP"), less those every story quotes (the UN's,
    NATO's, a country's) and words in capitals that name no group (`_names_no_group`)."""
    found = {a.group() for a in _ACRONYM.finditer(text) if not _names_no_group(text, a.start(), a.end())}
    return {a for a in found if stem_of(fold(a)) not in not_distinctive()} - _COMMON_ACRONYMS


def _names_no_group(text: str, start: int, end: int) -> bool:
    """Is the word in capitals at text[start:end] a label, a word of a line in capitals, or an outlet? A group's
    acronym is written among words in lower case ("ADF rebels killed", "claimed by JNIM")."""
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    if _LABEL_AFTER.match(after) or _OUTLET_BEFORE.search(before) or _OUTLET_AFTER.match(after):
        return True
    if before.endswith("("):
        return _credit_in_brackets(before, after)
    previous, following = _PREVIOUS_WORD.search(before), _NEXT_WORD.match(after)
    return any(w is not None and len(w.group(1)) >= 2 and w.group(1).isupper() for w in (previous, following))


def _credit_in_brackets(before: str, after: str) -> bool:
    """Is an acronym in brackets an outlet's credit rather than the short name of a group named before it?"""
    named = _IN_BRACKETS.search(before)
    if named is None or _DATELINE_CREDIT.match(after) or _OUTLET_NAME.search(before):
        return True   # "(NHK) Gunmen ...", "Kabul (Meridian) - ...", "Radio France Internationale (RFI)"
    word = named.group(1)
    if len(word) >= 2 and word.isupper():
        return True   # no name spelled out: another acronym ("told RFI (NHK)") or a line in capitals
    no_name = word.lower() == word
    return no_name and _CLAUSE_CREDIT.match(after) is not None


_COMMON_ACRONYMS = frozenset({"NATO", "UNHCR", "UNICEF", "WHO", "ICRC", "OCHA", "AFP", "BBC", "CNN", "USA", "EU"})


def _incident_acronyms(event: Event) -> set[str]:
    """The acronyms of the incident's headlines (the first and the one shown): "ADF rebels kill 19 in eastern Congo
    village" names its group there, while its text spells it out."""
    headline = event.headline
    titles = [headline.get("title") or "", (headline.get("first") or {}).get("title") or ""]
    return set().union(*(_group_acronyms(t) for t in titles))


def _same_town_same_toll(event: Event, candidates: Sequence[Event], match: Match, article: Article | None,
                         tolls: set[int | None]) -> str | None:
    """A report placed in the town an incident happened in whose text recalls a toll one of its outlets gave ("the
    rebels who killed 29 villagers on Friday night", near Beni, after "toll from rebel raid near Beni rises to 29")
    tells what followed it, in words of its own (troops in pursuit, a hospital, a curfew): the town and the figure
    together say which incident, when no other open incident of its kind lies in that town. The caller has ruled
    out a headline telling dead of its own; the engine's figure may add the dead of what followed, so the text is
    read for the incident's."""
    if article is None:
        return None
    # a town as the gazetteer places it: a name that is also a word of a division elsewhere ("Beni", "El Beni" of
    # Bolivia) is still the town the match names
    here = {p for p in own_places(match, article) if p not in country_names() and p not in division_names()
            and not operator_region(p)} & set(event.regions)
    if not here:
        return None
    for other in candidates:
        if other.id != event.id and not here.isdisjoint(other.regions):
            return None
    text = f"{article.title}. {article.text}"
    repeated = sorted(t for t in tolls if t is not None and t >= SAME_TOLL_MIN and repeats_toll(text, t))
    if not repeated:
        return None
    return (f"the same town ({', '.join(sorted(here))}) and a toll it repeats ({repeated[-1]}), the only open "
            "incident of its kind there")


def follow_up_headline(title: str) -> bool:
    """Can a report placed only by its country or province be a follow-up, by its headline? Not when the headline
    tells dead of its own with no follow-up's cue (a toll rising, funerals, an inquiry): that is a new incident
    there, told as one. "How did a bomber get inside ...", "Toll from attack on camp rises to 60" can be."""
    if not headline_tells_casualties(title) or tells_burial(title):
        return True
    return follow_up_cue(title) or tells_rising_toll(title)


def _shared_actors(event: Event, candidates: Sequence[Event], terms: Terms) -> list[str]:
    """The names a report shares with the incident that tell it apart: a named camp, unit, hotel or group ("Plaine",
    "Savo"), not a country, a people or a province. At least `SAME_ACTORS_MIN` of them, none of them named by
    another open incident of its kind (a war's many incidents share its commanders and units); else none. The
    caller also asks for a follow-up's headline and some shared words: two incidents in one country may both
    quote the Red Cross."""
    shared = set(terms.names).intersection(event.names) - not_distinctive()
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
    Congo displacement camp rises to 60", from Kinshasa, while a raid in North Kivu is also open). With fewer words,
    a rising toll or a burial there ("Survivors bury the dead in a mass grave"), the only open incident of its kind
    there, is enough: the dead of a burial died in an incident already told."""
    if article is None or distinct_title_names(article):
        return None
    dateline = dateline_only(article.text, article.title, match.regions, place_names())
    own = [p for p in match.regions if p not in dateline]
    countries = countries_in(own)
    theirs = event.places or event.regions
    if len(countries) != 1 or countries[0] not in theirs:
        return None
    provinces = set(own) - set(countries)
    if not all(p in division_names() or operator_region(p) for p in provinces) or not provinces <= set(theirs):
        return None   # a town, or a province the incident never named: the words alone decide (step 4)
    scope = provinces or set(countries)
    where = f"{'province' if provinces else 'country'} ({', '.join(sorted(scope))})"
    words = similarity(terms, event)
    rivals = [e for e in candidates if e.id != event.id and not scope.isdisjoint(e.places or e.regions)]
    if words < BROAD_PLACE_WORDS:
        if rises_from(event, match, article) and not any(rises_from(e, match, article) for e in rivals):
            return (f"the same {where} and a rising toll ({as_count(match.facts.get('killed'))}), the only open "
                    "incident of its kind there with fewer dead")
        if tells_burial(article.title) and not rivals:
            return f"a burial in the same {where}, the only open incident of its kind there"
        return None
    if not rivals:
        return f"the same {where} and words ({words:.2f}), the only open incident of its kind there"
    closest = max(similarity(terms, e) for e in rivals)
    if words >= 2 * closest:
        return f"the same {where}, and the words choose it ({words:.2f}, others at most {closest:.2f})"
    return None


def _burial_names(article: Article) -> set[str]:
    """The headline's names below country level, its first word among them when the text writes that word with a
    capital mid-sentence ("Hroza buries its dead": "Villagers in Hroza ..."), folded: a burial in a town the
    incident never named is another incident's."""
    names = distinct_title_names(article)
    first = WORD.match(article.title.strip())
    if first is not None and first.group()[:1].isupper() \
            and re.search(rf"\b[a-z][\w'’-]*\s+{re.escape(first.group())}\b", article.text):
        names |= {stem_of(fold(first.group()))} - not_distinctive()
    return names


def reads_as_late_follow_up(event: Event, match: Match, article: Article) -> bool:
    """Days after an incident's last report, a report that joins only by its country, province, actors or words
    must read as a follow-up: it speaks of the incident as past ("Monday's bombing", "last week's attack"), and
    its headline gives no dead of its own ("How did a bomber get inside ...", "Survivors say guards fled") or
    only one side's share. A new attack there nearly always headlines its own dead."""
    if tells_burial(article.title) and _burial_names(article) <= {stem_of(fold(n)) for n in event.names}:
        return True   # a funeral for dead already told ("killed on Wednesday near Jarinje"), in no town of its own
    if tells_end(article.title):
        return True   # "Army ends train siege": the end of an incident already under way
    if tells_reaction(article.title) and not headline_tells_casualties(article.title):
        return True   # "UN rights chief condemns bombing of school gathering": a statement about an attack told
    if not looks_back(f"{article.title}. {article.text}"):
        return False
    return not headline_tells_casualties(article.title) or one_sides_share(event, match, article)


def follow_up_window(event: Event, window: float) -> float:
    """Seconds after its last report an incident takes follow-ups: its rule's window, or longer by what it is
    (`FOLLOW_UP_WINDOWS`); a rule that narrowed its window below the default keeps it. An incident with dead is a
    clash, whatever troop figure it gained: troops sent in answer to it, or forces its reports mention, do not make
    it a build-up, and a clash's follow-ups come within days, while three weeks would let a later clash nearby
    with the same toll join it."""
    if window < DEFAULT_WINDOW:
        return window
    kind = event.facts if builds_up(event.facts) else {f: v for f, v in event.facts.items() if f not in _TROOP_FACTS}
    return max([window, *(seconds for fact, seconds in FOLLOW_UP_WINDOWS if fact in kind)])


_TROOP_FACTS = ("troops", "troops_change")
