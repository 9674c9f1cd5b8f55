"""Which place a name means, and which named place is where the event happened.

Two decisions, both from the article's own text (see docs/rules.md, "Places"):

1. A name several places share ("Georgia", "Paris", "Bari") means the one whose country or
   division the article also names; failing that, a country before any other place, then the
   more populous place. An operator's region that lists the name counts as well. A division
   and a town of its country with the same name ("Kano") are one place: the town.
2. The event's place is, in this order: a place the headline puts the event in ("in", "near",
   "X province"); the dateline ("KABUL, Afghanistan (AP) -"), refined by a more specific place
   of the same country that the lead puts the event in; the first place the text puts the
   event in; the first place the headline names; the first place named at all. A people's name
   ("a French drone", "Somali forces", "US troops") is the event's place only when no place is
   named, or only a country as the edge faced ("near the border with Afghanistan, ..., the Pakistan
   army said" is in Pakistan), and never as a border's adjective: "fled towards the Malian border"
   is not in Mali; nor is a country named as the edge faced ("build-up near Kosovo"), unless
   nothing else is named. A place in no country (an
   operator's line between two) takes the country whose forces the headline names, else the one
   the article names most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from bot.engine.regions import Region, RegionBook, capital_names, context_only_names, neighbour_countries
from bot.engine.text import fold_term

# A division outranks any town of another country of fewer people when neither is in context.
_DIVISION_WEIGHT = 1_000_000
_TOWN_CONTEXT_FACTOR = 10
_LEAD_CHARS = 400   # how far into the text the lead reaches: about its first two sentences

# "the village of", "the town of" in the languages Beacon reads, as words between a preposition and a name
# ("u selu Banjska", "në fshatin Banjskë", "в селе ..."); the ASCII ones also let _may_be_before pass
_LOCAL_UNITS_ASCII = "selu|selo|gradu|mestu|fshatin|fshatit|qytetin|qytetit"
_LOCAL_UNITS = (_LOCAL_UNITS_ASCII + "|opštini|komunën|komunës|селу|селе|село|городе|городу|районе|области|селі|місті"
                "|районі|області|општини|граду|месту")
# Words right before a name that put the event there: "in Gao", "near the town of Gao",
# "30 km north of Gao", "outside the northern city of Gao"; and the same prepositions in the languages
# Beacon reads ("u Rusiju", "na Kosovo", "në Kosovë", "в Румынию", "до Литви"), and their words for "at, near" a
# town ("kod Raške", "под Лепосавичем", "під Покровськом"; not "pranë", "біля", as often before a land faced)
_BEFORE = re.compile(
    r"(?:\b(?:in|into|near|outside|around|at|inside|across|along|to|on|u|na|në|в|во|на|у|до"
    r"|kod|pored|код|поред|под|під)"
    r"|\b(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east"
    r"|south-west|outskirts|province|district|region|state|county|governorate|city|town|village|area|suburbs?"
    r"|centre|center|heart|parts)\s+of)"
    r"(?:\s+(?:the|a|an))?(?:\s+(?:[a-z-]+ern|north|south|east|west|central|restive|remote|border|rural|troubled"
    r"|volatile|coastal|capital|city|town|village|district|province|region|state|area|of|km|kilometres|miles"
    rf"|{_LOCAL_UNITS}|\d+))*\s+$",
    re.IGNORECASE)
# Words right after a name that make it a place of the event: "Helmand province", "(Kismayo, Lower Juba)".
_AFTER = re.compile(
    r"\s+(?:province|state|governorate|district|region|county|oblast|prefecture|division)\b", re.IGNORECASE)
# A dateline opens the text: "KABUL, Afghanistan (AP) -", "BAGHDAD (Reuters) -", "Gao, Mali —".
_DATELINE = re.compile(
    r"\s*[A-Z][A-Za-z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .'’-]{1,30})?\s*(?:\([^)\n]{1,40}\))?\s*[-–—:]")

_NOTE_SECOND = re.compile(r"\([^()\n]{1,40},\s*$")
_BRACKETED = re.compile(r"\((?:[^()\n]{0,40},\s*)?$")
_AFTER_UNIT = re.compile(r"\b(?:district|province|area|village|town|city|county|region|state),\s+$", re.IGNORECASE)
_JOINED = re.compile(r"(?:\w-|-(?:e|i|ye|ul|al|el)\s)$", re.IGNORECASE)


class PlaceBook:
    """A compiled rule set's region book, with the two lookups every named place costs remembered:
    the chain of regions enclosing a region and its country. A matched article asks for them tens
    of times (resolving names, weighing countries, the event's place), each a walk up the parents.
    The book must not change afterwards (a compiled rule set's does not)."""

    def __init__(self, book: RegionBook) -> None:
        self.book = book
        self.regions = book.regions
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._countries: dict[str, str | None] = {}
        self._capitals: dict[str, bool] = {}
        self._operator_countries: frozenset[str] | None = None

    def ancestors(self, region_id: str) -> tuple[str, ...]:
        """The region and everything enclosing it, innermost first."""
        found = self._ancestors.get(region_id)
        if found is None:
            found = self._ancestors[region_id] = tuple(self.book.ancestors(region_id))
        return found

    def operator_countries(self) -> frozenset[str]:
        """The countries the operator's own regions lie in (north-kosovo's Kosovo, donbas's Ukraine): where a region
        of theirs in no country (a line between two lands) is looked for."""
        if self._operator_countries is None:
            countries = {self.country_of(r.id) for r in self.regions.values() if r.kind == "region"}
            self._operator_countries = frozenset(c for c in countries if c is not None)
        return self._operator_countries

    def is_capital(self, region_id: str) -> bool:
        """Is the region a city that its country's capital's name names? Remembered: a city's names are tens of
        spellings, each folded to test it."""
        found = self._capitals.get(region_id)
        if found is None:
            region = self.regions[region_id]
            capital = capital_names().get(self.country_of(region_id) or "") if region.kind == "city" else None
            found = capital is not None and capital in {fold_term(n) for n in (region.name, *region.names)}
            self._capitals[region_id] = found
        return found

    def country_of(self, region_id: str) -> str | None:
        """The id of the country enclosing a region, if any."""
        if region_id in self._countries:
            return self._countries[region_id]
        country = self._countries[region_id] = self.book.country_of(region_id)
        return country


@dataclass(frozen=True)
class PlaceHit:
    """One name in the text, resolved to one region."""

    start: int
    end: int
    region_id: str
    demonym: bool   # a people's name ("Serbian"): says whose, not where


Found = Sequence[tuple[tuple[int, int], "frozenset[str] | set[str]", bool]]   # (span, candidates, demonym)


def resolve(found: Found, book: PlaceBook, text: str = "") -> list[PlaceHit]:
    """One region per name: the candidates of an ambiguous name are weighed against the places
    the article names unambiguously (their regions and everything enclosing them). A town written
    with its division or country after a comma ("Athens, Georgia") is settled by the pair first."""
    found = _without_foreign_namesakes(found, book, text)
    paired = _paired(found, book, text)
    # countries and divisions named without doubt settle an ambiguous name; an unambiguous town
    # says less (the gazetteer lacks most villages and city quarters that share its name)
    context: set[str] = set()
    for region_id in paired.values():
        if book.regions[region_id].kind != "city":
            context.update(book.ancestors(region_id))
    town_context: set[str] = set()
    for _, candidates, _ in found:
        if len(candidates) == 1:
            only = next(iter(candidates))
            if book.regions[only].kind == "city":
                town_context.update(book.ancestors(only))
            else:
                context.update(book.ancestors(only))
    elsewhere = _descriptions_elsewhere(found, book, text)
    hits: list[PlaceHit] = []
    for (start, end), candidates, demonym in found:
        if (start, end) in elsewhere:
            candidates = {c for c in candidates if book.regions[c].kind != "region"}
            if not candidates:
                continue
        if len(candidates) == 1:   # most names: one region, nothing to weigh
            hits.append(PlaceHit(start, end, next(iter(candidates)), demonym))
            continue
        # a name the operator listed in a regions file always counts for their region ("Ladakh" in
        # contested-areas), and also names the gazetteer's place, which carries the country
        operator = sorted(c for c in candidates if book.regions[c].kind == "region")
        others = [c for c in candidates if c not in operator]
        if (start, end) in paired:
            others = [paired[(start, end)]]
            town_context.update(book.ancestors(others[0]))
        elif len(others) > 1 and _AFTER.match(text, end, end + 20):
            # "Niger State", "Georgia province": the word after the name says it is a division, never the country
            others = [c for c in others if book.regions[c].kind != "country"] or others
        elif len(others) > 1 and _NOTE_SECOND.search(text, max(0, start - 40), start):
            # "(Tessalit, Kidal)": in a database note's "(Town, Division)" the second name is the division
            others = [c for c in others if book.regions[c].kind == "division"] or others
        if len(others) > 1:
            chosen = _choose(others, context, town_context, book)
            town_context.update(book.ancestors(chosen))
            others = [chosen]
        hits.extend(PlaceHit(start, end, region_id, demonym) for region_id in [*others, *operator])
    return hits


def _without_foreign_namesakes(found: Found, book: PlaceBook, text: str) -> Found:
    """A town that shares a region's own name ("Bali" of Cameroon, a division of Indonesia too) is meant only
    when the article names the town's country or division without doubt (not by another shared name): the
    region is far more often the news's. Names left with no candidate are dropped."""
    shared = context_only_names()
    if not text or not shared:
        return list(found)
    named: set[str] = set()
    for _, candidates, demonym in found:
        if len(candidates) == 1 and not demonym:
            only = next(iter(candidates))
            if book.regions[only].kind in ("country", "division"):
                named.update(book.ancestors(only))
    kept: list[tuple[tuple[int, int], frozenset[str] | set[str], bool]] = []
    for (start, end), candidates, demonym in found:
        if fold_term(text[start:end]) in shared:
            candidates = {c for c in candidates
                          if book.regions[c].kind != "city" or named.intersection(book.ancestors(c))}
        if candidates:
            kept.append(((start, end), candidates, demonym))
    return kept


def _descriptions_elsewhere(found: Found, book: PlaceBook, text: str) -> set[tuple[int, int]]:
    """The spans of an operator region's name that is a description, listed in lower case ("administrative
    boundary line" of kosovo-serbia-line), in an article whose other places all lie away from the region: neither
    in its country nor in a neighbour of it (for a region in no country, of the operator's other regions, if any). The
    same words describe other lines ("the administrative boundary line with South Ossetia", in Georgia); a proper
    name ("Merdare") is the region's wherever it is read."""
    described = []
    for span, candidates, _ in found:
        for candidate in candidates:
            region = book.regions[candidate]
            if region.kind == "region" and _listed_in_lower_case(region, text[span[0]:span[1]]):
                described.append((span, book.country_of(candidate)))
    if not described:
        return set()
    spans = {span for span, _ in described}
    # the countries of the other places named, each occurrence of a description aside
    named = {book.country_of(c) for span, candidates, _ in found if span not in spans for c in candidates}
    named.discard(None)
    elsewhere = set()
    for span, country in described:
        # a region in no country (a line between two lands) lies where the operator's other regions do
        lands = {country} if country is not None else book.operator_countries()
        if not lands:
            continue   # nowhere to look for it: the description stands
        near = set(lands).union(*(neighbour_countries().get(land, ()) for land in lands))
        if named and not named & near:
            elsewhere.add(span)
    return elsewhere


def _listed_in_lower_case(region: Region, written: str) -> bool:
    """Is the name of the region that the text wrote a description its operator listed in lower case?"""
    folded = fold_term(written)
    return any(name.islower() and fold_term(name) == folded for name in region.names)


# "Savannah, Georgia", "London, Ontario": a comma and one space at most between a town and its division or country
_PAIRING_COMMA = re.compile(r",\s?")


def _paired(found: Found, book: PlaceBook, text: str) -> dict[tuple[int, int], str]:
    """Names settled by the way English writes a town with its division or country: "Savannah, Georgia" is the
    Savannah inside Georgia, the US state, though a region of Ghana and a country share the names. A town
    followed by a comma and the name of a place that encloses one of the town's namesakes means that town and
    that place; when several pairs fit, the more populous town."""
    paired: dict[tuple[int, int], str] = {}
    if not text:
        return paired
    ordered = sorted(found, key=lambda item: item[0])
    for (span, candidates, demonym), (outer_span, outers, outer_demonym) in pairwise(ordered):
        if demonym or outer_demonym or (len(candidates) == 1 and len(outers) == 1):
            continue
        if not _PAIRING_COMMA.fullmatch(text, span[1], outer_span[0]):
            continue
        pairs = [(book.regions[town].population, town, outer) for town in candidates for outer in outers
                 if book.regions[town].kind == "city" and book.regions[outer].kind in ("country", "division")
                 and outer in book.ancestors(town)]
        if pairs:
            _, town, outer = max(pairs)
            paired[span] = town
            paired[outer_span] = outer
    return paired


def _choose(candidates: Sequence[str], context: set[str], town_context: set[str], book: PlaceBook) -> str:
    regions = [book.regions[c] for c in sorted(candidates)]
    # a division and a town of its country with the same name ("Kano", "Kandahar", the province of
    # Cebu and Cebu City) are one place: the town
    town_countries = {book.country_of(r.id) for r in regions if r.kind == "city"}
    regions = [r for r in regions if not (r.kind == "division" and book.country_of(r.id) in town_countries)]

    def weight(region: Region) -> tuple[int, int, int]:
        chain = book.ancestors(region.id)
        # a country or division that holds a town the article names is the one meant: "Georgia" in a report
        # datelined ATLANTA or naming Valdosta is the US state
        in_context = int(any(a in context for a in chain) or (region.kind != "city" and region.id in town_context))
        if region.kind == "country":
            return in_context, 1, 0
        size = region.population if region.kind == "city" else _DIVISION_WEIGHT
        # a town named nearby counts as a tenfold size: "Dhaka" with an Indian namesake's
        # neighbour is still the capital of Bangladesh, but it settles towns of like size
        if any(a in town_context for a in chain):
            size *= _TOWN_CONTEXT_FACTOR
        return in_context, 0, size

    return max(regions, key=weight).id


def event_place(hits: Sequence[PlaceHit], text: str, title_end: int, book: PlaceBook) -> PlaceHit | None:
    """The hit that names where the event happened, or None when no place is named."""
    if not hits:
        return None
    hits = _past_the_cause(hits, text, title_end)
    hits = [_as_people(text, h, book) for h in hits]
    hits = _speakers_as_peoples(hits, text, book)
    places = [h for h in hits if not h.demonym]
    if not places:
        peoples = [h for h in hits if not _names_border(text, h) and not _names_attacker(text, h)]
        return peoples[0] if peoples else None
    body = title_end + 1
    located = [h for h in places if _locative(text, h) and not _country_edge(text, h, book)]
    in_title = [h for h in located if h.end <= title_end]
    if in_title:
        return _refine(in_title[0], located, body, book)
    dateline = _dateline(places, text, body)
    if dateline is not None:
        return _refine(dateline, located, body, book, text, dateline=True)
    # past the headline and dateline, a place of the country the article names most ("Faryab",
    # "Afghan forces") outweighs a lone town elsewhere that a local name happens to contain
    support = _support(hits, book, text)
    located = _best_supported(located, support, book)
    if located:
        return _refine(located[0], located, body, book)
    # a country named as the edge the event faces ("build-up near Kosovo") is its place only when nothing else is: a
    # people named says which side of it the event is on ("near the border with Afghanistan, ... the Pakistan army
    # said"); so too when every other place is a country that only speaks or urges ("US urges Belgrade to pull back
    # forces near Kosovo" over "a large Serbian military deployment": Serbia, the side the forces stand on)
    inside = [h for h in places if not _country_edge(text, h, book)]
    if not inside or all(_country_speaks(text, h, book) for h in inside):
        peoples = [h for h in hits if h.demonym and not _names_border(text, h) and not _names_attacker(text, h)]
        if peoples:
            return peoples[0]
        inside = inside or places
    titled = _past_the_actor([h for h in inside if h.end <= title_end], text, book)
    return _refine(titled[0] if titled else _best_supported(inside, support, book)[0], located, body, book)


# A headline that sends forces somewhere in answer to something: "Serbia sends 3,000 troops to Kosovo boundary after
# Zubin Potok ambush" (the answer's destination, then what it answers; not "after storming", a verb of the news)
_SENT_IN_ANSWER = re.compile(
    r"\b(?:to|into|toward|towards)\s[^;:]*?\s(?P<cause>(?:after|following|in\sresponse\sto|in\sthe\swake\sof)\s)"
    r"(?![a-z]+ing\b)", re.IGNORECASE)
# ... and the clause that tells what was answered, in the body: ", a day after gunmen ambushed a patrol near ..."
_CAUSE_BEFORE = re.compile(
    r"\b(?:after|following|in\sresponse\sto|in\sthe\swake\sof)\s(?![a-z]+ing\b)[^.;:!?\n]*$", re.IGNORECASE)


def _past_the_cause(hits: Sequence[PlaceHit], text: str, title_end: int) -> Sequence[PlaceHit]:
    """The hits without the places of what a sending answers, when the headline sends forces somewhere after an
    attack: the forces' destination is the event's place, the attack's place is background ("Serbia sends 3,000
    troops to Kosovo boundary after Zubin Potok ambush" is at the boundary, not in Zubin Potok). Every hit when
    nothing else is left."""
    answer = _SENT_IN_ANSWER.search(text, 0, title_end)
    if answer is None:
        return hits
    cause_at = answer.start("cause")
    kept = [h for h in hits if not (cause_at <= h.start < title_end)
            and not (h.start > title_end and _CAUSE_BEFORE.search(text, max(title_end, h.start - 160), h.start))]
    return kept or hits


def _past_the_actor(titled: Sequence[PlaceHit], text: str, book: PlaceBook) -> Sequence[PlaceHit]:
    """A country that opens the headline is its subject, the actor ("Russia pulls troops back from Kherson
    front"), named as its people would be ("Russian troops pull back ..."): whose, not where. A town or division
    of another country that the headline names after it is the event's place. Another country or its capital is
    not: it is as often a second actor or a speaker ("Azerbaijan and Armenia pull back", "..., warns Yerevan")."""
    if not titled or book.regions[titled[0].region_id].kind != "country" or text[:titled[0].start].strip():
        return titled
    actor = titled[0].region_id
    # a place of the gazetteer, not an operator's region (its `in` is the operator's, not where the name is),
    # nor a capital, which names its government as a country's name does ("..., warns Yerevan")
    abroad = []
    for hit in titled[1:]:
        region = book.regions[hit.region_id]
        country = book.country_of(hit.region_id)
        if region.kind not in ("city", "division") or country in (actor, None):
            continue
        if _is_capital(hit, book) and not _struck(text, hit):
            continue
        abroad.append(hit)
    return abroad or titled


def _is_capital(hit: PlaceHit, book: PlaceBook) -> bool:
    """Is the hit its country's capital, a name that stands for the government as often as for the town?"""
    return book.is_capital(hit.region_id)


# An attack's verb right before a name: its object is a place, not a government ("Russia pounds Kyiv with drones",
# "Israel strikes Beirut"), where "angering Baku", "warns Yerevan" name the government
_ATTACK_VERB = re.compile(
    r"\b(?:strike|strikes|struck|striking|hits?|hitting|pounds?|pounded|pounding|shells?|shelled|bombs?|bombed"
    r"|bombards?|bombarded|bombarding|attacks?|attacked|attacking|targets?|targeted|targeting|raids?|raided"
    r"|hammers?|hammered|batters?|battered|blasts?|blasted|storms?|stormed|rocks?|rocked)\s+$", re.IGNORECASE)


def _struck(text: str, hit: PlaceHit) -> bool:
    """Does the text put the event in the place: a place preposition or an attack's verb right before its name?"""
    before = _SENTENCE_END.split(text[max(0, hit.start - 30):hit.start])[-1]
    return _locative(text, hit) or _ATTACK_VERB.search(before) is not None


_SENTENCE_END = re.compile(r"[\n.!?]")
# A speech verb right after a name ("Yerevan said", "Kyiv says") or right before it (", warns Yerevan",
# "according to Kyiv"): the name stands for the government that speaks
_SPEECH_AFTER = re.compile(
    r"\s+(?:has\s+|have\s+)?(?:said|says|say|claimed|claims|reported|reports|announced|announces|accused|accuses"
    r"|warned|warns|denied|denies|confirmed|confirms|told|tells|insisted|insists|blamed|blames|condemned|condemns"
    r"|stated|states)\b", re.IGNORECASE)
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|warned|warns|claimed|claims|told|tells|accused|accuses|according\s+to|urged|urges)\s+$",
    re.IGNORECASE)


# "authorities in Bamako", "the government in Kabul", "officials in Kyiv": the seat of those who govern, named as who
# they are, as "Malian authorities" would
_SEAT_BEFORE = re.compile(
    r"\b(?:authorities|officials|government|junta|leaders|leadership|ministry|ministries|rulers|regime)\s+in\s+$",
    re.IGNORECASE)


# A headline led by a name and a colon ("Tbilisi: soldier killed at the line") gives who says what follows
_HEADLINE_LABEL = re.compile(r"\s*:\s")


def _speaks(text: str, hit: PlaceHit) -> bool:
    """Does the name speak ("Yerevan said", "..., warns Kyiv", "the ministry said in Tbilisi"), or name where those
    who speak for a government sit ("Authorities in Bamako have given no toll")? Then it names a government, not where
    it happened. Only within its sentence: a headline ending "..., Taiwan says" does not make the dateline's TAIPEI
    speak."""
    before = _SENTENCE_END.split(text[max(0, hit.start - 30):hit.start])[-1]
    if _SPEECH_AFTER.match(text, hit.end) is not None or _SPEECH_BEFORE.search(before) is not None \
            or _SEAT_BEFORE.search(before) is not None:
        return True
    return _where_said(text, hit)


# A headline's first name that urges, warns or calls on another: "US urges Belgrade to ...", "France warns Kigali ..."
_URGES_AFTER = re.compile(
    r"\s+(?:urges|urged|calls\s+on|called\s+on|presses|pressed|warns|warned|asks|asked|tells|told|demands)\s",
    re.IGNORECASE)


def _country_speaks(text: str, hit: PlaceHit, book: PlaceBook) -> bool:
    """Is the hit a country that speaks ("The United States said") or opens the headline urging someone ("US urges
    Belgrade to pull back ...")? A government's words, not where the event is."""
    if book.regions[hit.region_id].kind != "country":
        return False
    urges = not text[:hit.start].strip() and _URGES_AFTER.match(text, hit.end) is not None
    return urges or _speaks(text, hit)


def _speakers_as_peoples(hits: Sequence[PlaceHit], text: str, book: PlaceBook) -> list[PlaceHit]:
    """The hits with each capital that speaks ("..., Yerevan said") made a people's name of its country: it says
    whose words they are, as "Armenian officials said" would, not where the event happened."""
    out = []
    for hit in hits:
        country = book.country_of(hit.region_id)
        # a capital leading the headline before a colon ("Tbilisi: ...") gives who says what follows; a country
        # there ("Mali: ...") is the headline's subject
        labels = hit.start == 0 and _HEADLINE_LABEL.match(text, hit.end) is not None
        if not hit.demonym and country is not None and _is_capital(hit, book) and (labels or _speaks(text, hit)):
            hit = PlaceHit(hit.start, hit.end, country, demonym=True)
        out.append(hit)
    return out


# "the Malian border", "the Ukrainian frontier", "Russian lines", "the Kosovo boundary": the edge of a land, seen
# from outside it
_BORDER_AFTER = re.compile(r"[\s-]+(?:border|frontier|boundary|line)s?\b", re.IGNORECASE)


def _names_border(text: str, hit: PlaceHit) -> bool:
    """Is a people's name the adjective of a border ("fled towards the Malian border")? It names the edge of
    that country, seen from the other side: the event is not inside it."""
    return hit.demonym and _BORDER_AFTER.match(text, hit.end) is not None


# "near Kosovo", "close to Ukraine", "the border with Kosovo", "the administrative line with Kosovo": a country
# seen from outside it (nobody writes "near France" of a place in France)
# ("the border with Burkina Faso and Mali": both)
# and the same in the languages Beacon reads: "na granici sa Kosovom", "duž administrativne linije sa Kosovom",
# "në kufirin me Kosovën", "pranë vijës administrative me Kosovën", "у границы с Косово", "на кордоні з Україною"
_EDGE_BEFORE = re.compile(
    r"\b(?i:near|close\s+to|(?:border|frontier|line|boundary)s?\s+with"
    r"|(?:granic\w*|linij\w*)\s+(?:sa|s)|(?:kufi\w*|vij\w*)(?:\s+administrative)?\s+me"
    r"|(?:границ\w*|лини\w*)\s+(?:с|со)|(?:кордон\w*|ліні\w*)\s+(?:з|із))"
    r"(?:\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}\s+(?:and|or))?\s+(?:the\s+)?$")


# "an Israeli air strike", "a Russian drone", "Turkish shelling": a people's weapon, fired at another land
_WEAPON_AFTER = re.compile(
    r"[\s-]+(?:air[\s-]?strikes?|air[\s-]?raids?|drones?|missiles?|rockets?|strikes?|shells?|shelling|shellfire"
    r"|artillery|fire|gunfire|bombs?|bombing|bombardment|attacks?|warplanes?|jets?|aircraft|helicopters?|mortars?"
    r"|barrage)\b", re.IGNORECASE)


def _names_attacker(text: str, hit: PlaceHit) -> bool:
    """Is a people's name the adjective of a weapon ("Israeli air strike kills 4 in Jabalia")? It names who
    fired, as often at another country as at home: with no place known, the event is left unplaced rather than put
    in the attacker's land."""
    return hit.demonym and _WEAPON_AFTER.match(text, hit.end) is not None


def _country_edge(text: str, hit: PlaceHit, book: PlaceBook) -> bool:
    """Is a country named as its border ("near the Pakistan frontier", "along the Syria border"), or as the
    country a place is near or faces ("build-up near Kosovo", "the line with Kosovo")? The event is at that
    country's edge, as often on the other side of it: the name does not put the event inside."""
    if book.regions[hit.region_id].kind != "country" or hit.demonym:
        return False
    if _BORDER_AFTER.match(text, hit.end) is not None:
        return True
    return _EDGE_BEFORE.search(text, max(0, hit.start - 40), hit.start) is not None


# "US troops", "Pakistan army", "UK officials": a country's name as the adjective of its forces or its officials
# says whose they are, as "American troops" does, not where they are
_FORCES_AFTER = re.compile(
    r"[\s-]+(?:troops?|soldiers?|forces|army|military|marines|navy|warplanes?|jets?|drones?|embassy|diplomats?"
    r"|officials?|intelligence|envoys?|commanders?|servicemen|service\s+members|(?:border\s+)?(?:guards?|police))\b",
    re.IGNORECASE)


def _as_people(text: str, hit: PlaceHit, book: PlaceBook) -> PlaceHit:
    """A country named as the adjective of its forces or officials ("US troops", "the Pakistan army") counts as
    its people's name: whose, not where."""
    if hit.demonym or book.regions[hit.region_id].kind != "country" or _FORCES_AFTER.match(text, hit.end) is None:
        return hit
    return replace(hit, demonym=True)


def _support(hits: Sequence[PlaceHit], book: PlaceBook, text: str) -> dict[str, int]:
    """How strongly the article points at each country: every distinct place or people named
    counts, a country or division named as a place twice, since those names are rarely shared,
    while a foreign town's name often is a local village's ("Saraj" in Nahri Saraj). A border
    named by a people's adjective ("the Malian border") points at the neighbour, not here."""
    named: dict[str, dict[str, int]] = {}
    for hit in hits:
        if _names_border(text, hit) or _country_edge(text, hit, book):
            continue
        country = book.country_of(hit.region_id)
        if country is None:
            continue
        weight = 1
        if not hit.demonym and book.regions[hit.region_id].kind in ("country", "division"):
            weight = 2
        regions = named.setdefault(country, {})
        regions[hit.region_id] = max(weight, regions.get(hit.region_id, 0))
    return {country: sum(regions.values()) for country, regions in named.items()}


def _best_supported(hits: Sequence[PlaceHit], support: dict[str, int], book: PlaceBook) -> list[PlaceHit]:
    if not hits:
        return []
    # a place in no country (a line between two) takes the country the article points at most (event_chain),
    # unless the gazetteer has a place of that name, which carries its country ("Ladakh", "Kinmen")
    most = max(support.values(), default=0)
    placed = {(h.start, h.end) for h in hits if book.country_of(h.region_id) is not None}

    def score(hit: PlaceHit) -> int:
        country = book.country_of(hit.region_id)
        if country is None:
            return -1 if (hit.start, hit.end) in placed else most
        return support.get(country, 0)
    best = max(score(h) for h in hits)
    return [h for h in hits if score(h) == best]


# an armed group's branch named by the land it claims: "Islamic State Sahel claims ...", "Islamic State's Sahel
# Province", "Islamic State in the Greater Sahara": the group, wherever it struck
_GROUP_BRANCH_BEFORE = re.compile(r"\b(?:Islamic\s+State|ISIS|ISIL|IS)(?:'s|’s)?\s+(?:in\s+(?:the\s+)?)?$")


def is_fragment(text: str, hit: PlaceHit, book: PlaceBook, title_end: int) -> bool:
    """A town's name joined to more of a name is part of a longer local name: "Qala-e-Naw",
    "Adan Yabaal" (not Aden). Headlines are left alone: Title Case capitalises every word. A province or town that
    names an armed group's branch ("Islamic State Sahel Province": a Sahel wider than Burkina Faso's region of that
    name) is no mention of that place either; a country that names one ("Islamic State's Mozambique province") is
    where the branch fights, and stays."""
    kind = book.regions[hit.region_id].kind
    if kind not in ("city", "division"):
        return False
    if _GROUP_BRANCH_BEFORE.search(text, max(0, hit.start - 24), hit.start) is not None:
        return True
    after = text[hit.end:hit.end + 2]
    before = text[max(0, hit.start - 4):hit.start]
    if (len(after) == 2 and after[0] == "-" and after[1].islower()) or _JOINED.search(before):
        return True   # "Qala-i-Barqi", "Qala-e-Naw"; but "the Lamu-Malindi road" names two towns
    if hit.start <= title_end or kind != "city":
        return False
    preceding = _PREVIOUS_WORD.search(text, max(0, hit.start - 40), hit.start)
    if preceding is not None and preceding.group(2).lower() not in _LEADERS:
        return True   # "in Nahri Saraj district", "at Ganga Rampur village"
    following = _NEXT_WORD.match(text, hit.end)
    return following is not None and following.group(1).lower() not in _TRAILERS


_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)\b")
# a capitalised word inside a sentence right before the name: "(in) Nahri Saraj"
_PREVIOUS_WORD = re.compile(r"([a-z,]) ([A-Z][a-z]+) $")
# capitalised words that come before a place's name without being part of it
_LEADERS = frozenset("""north south east west northern southern eastern western central upper lower greater
northeastern northwestern southeastern southwestern old new downtown metropolitan
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december al el ad ar as at az ash""".split())
# capitalised words that follow a town's name without being part of it ("Kabul Police")
_TRAILERS = frozenset("""province state district county region city town governorate oblast division airport
university police press club hospital market prison port airbase base camp valley road street highway bridge
mosque church stadium station court council municipality""".split())


# "militants based in Pakistan", "a Somalia-based group": where an actor comes from, not where it struck
_BASED_IN = re.compile(r"\bbased\s+in\s+(?:the\s+)?$", re.IGNORECASE)


# A government named by its seat in the languages Beacon reads: "Vlada u Prištini osudila je napad", "Qeveria në
# Prishtinë", "власти в Киеве": the speaker, not the event's place (English "officials in" is left as it reads today)
_GOVERNMENT_IN = re.compile(
    r"(?:^|[\s(„«\"])(?:vlad[aeiu]|vlasti|qeveri\w*|autoritetet|правительств[оауе]|власт[иі]|влад[аеиуі]"
    r"|уряд\w*)\s+(?:u|në|в|у)\s+$", re.IGNORECASE)
_GOVERNMENT_PREPOSITIONS = (" u ", " në ", " в ", " у ", " U ", " Në ", " В ", " У ")

# A clause of saying puts its speaker in a place, not the event: "..., the ministry said in Tbilisi", "said police in
# Pristina", "police in Pristina said", and the same in the languages Beacon reads ("saopštila je policija u
# Prištini", "njoftoi policia në Prishtinë", "сообщили в полиции в Приштине", "повідомили в поліції в Приштині").
# The verbs of saying, past and present (Serbian in both scripts):
_SAYING = (
    r"(?:said|says|told|tells|announced|announces|stated|confirmed|confirms"
    r"|saopšti\w*|саопшти\w*|rekao|rekla|rekli|рекао|рекла|рекли|izjavi\w*|изјави\w*|naveo|navela|naveli|navodi"
    r"|kaže|kažu|потврди\w*|potvrdi\w*|javi[lo]\w*"
    r"|njoftoi|njoftuan|njofton|njoftojnë|njoftuar|tha|thanë|deklaroi|deklaruan|deklaruar|konfirmoi|konfirmuan"
    r"|сообщил\w*|сообщает|сообщают|заявил\w*|заявляет|заявляют|рассказал\w*|подтвердил\w*"
    r"|повідомил\w*|повідомляє|повідомляють|заявляє|розповіл\w*|підтвердил\w*|сказав|сказала|сказали)")
# who speaks: the police, a ministry, officials, a spokesman, sources (any case of the local nouns)
_SPEAKER = (
    r"(?:police|officials?|authorities|ministry|spokes(?:man|woman|person)|sources?|reporters|government|army"
    r"|policij\w*|полициј\w*|ministarstv\w*|министарств\w*|vlast\w*|izvor\w*|portparol\w*|zvanični\w*|MUP"
    r"|polici\w*|ministri\w*|autoritet\w*|zëdhën\w*|burim\w*"
    r"|полици\w*|МВД|министерств\w*|власт\w*|источник\w*|ведомств\w*|пресс-служб\w*"
    r"|поліці\w*|МВС|міністерств\w*|влад\w*|джерел\w*|відомств\w*|прес-служб\w*)")
_SPEAKER_IN = r"(?:in|u|në|в|у)"
# the verb first: "said in", "said police in", "saopštila je policija u", "сообщили в полиции в"
_SAID_IN = re.compile(
    rf"\b{_SAYING}(?:\s+(?:je|su|ka|kanë|has|have))?"
    rf"(?:\s+(?:(?:the|a|{_SPEAKER_IN})\s+)?(?:[\w-]+\s+)?{_SPEAKER})?\s+{_SPEAKER_IN}\s+$", re.IGNORECASE)
# the speaker first, the verb after the name: "police in Pristina said", "в полиции в Приштине сообщили"
_SPEAKER_BEFORE = re.compile(rf"(?:^|\W)(?:{_SPEAKER_IN}\s+)?{_SPEAKER}\s+{_SPEAKER_IN}\s+$", re.IGNORECASE)
_SAYING_AFTER = re.compile(rf",?\s+(?:(?:je|su|ka|kanë|has|have)\s+)?{_SAYING}\b", re.IGNORECASE)


def _where_said(text: str, hit: PlaceHit) -> bool:
    """Is the name the place a clause of saying puts its speaker in ("the ministry said in Tbilisi", "police in
    Pristina said")? Reporters and officials speak from capitals, not where the event happened. Only within the
    name's sentence."""
    before = _SENTENCE_END.split(text[max(0, hit.start - 60):hit.start])[-1]
    if _SAID_IN.search(before):
        return True
    return _SPEAKER_BEFORE.search(before) is not None and _SAYING_AFTER.match(text, hit.end) is not None


# "taken to hospital in Mitrovica", "prebačen u bolnicu u Kosovskoj Mitrovici", "в больницу в ...": where the wounded
# were treated, not where they were hurt
# (the hospital the wounded were taken to or died in: "an air strike on a hospital in Mrauk-U" is the place)
_HOSPITAL_IN = re.compile(
    r"(?:\b(?:to|in)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+)?hospitals?|\b(?:bolnicu|bolnici|болницу|болници|больницу"
    r"|больнице|госпиталь|госпитале|лікарню|лікарні|шпиталь|шпиталі|spital|spitalin|spitalit))"
    r"(?:\s+[\w-]+)?\s+(?:in|u|në|в|у)\s+$", re.IGNORECASE)
_HOSPITAL_STEMS = ("hospital", "bolnic", "болниц", "spital", "больниц", "госпитал", "лікарн", "шпитал")


def _locative(text: str, hit: PlaceHit) -> bool:
    before = text[max(0, hit.start - 60):hit.start]
    if before.endswith(_GOVERNMENT_PREPOSITIONS) and _GOVERNMENT_IN.search(before):
        return False
    if before.endswith((" in ", " In ", *_GOVERNMENT_PREPOSITIONS)) and _where_said(text, hit):
        return False
    # a substring test first: the regex, led by \b, is tried at every position (casefold: any case, and "ſ";
    # ASCII text is lower-cased the same at C speed, where casefold looks up every character)
    folded = before.lower() if before.isascii() else before.casefold()
    if "based" in folded and _BASED_IN.search(before):
        return False
    if any(stem in folded for stem in _HOSPITAL_STEMS) and _HOSPITAL_IN.search(before):
        return False
    if (_may_be_before(before) and _BEFORE.search(before)) or _AFTER.match(text, hit.end, hit.end + 20):
        return True
    # "(Kismayo, Lower Juba)", "Shirin Tagab district, Faryab": database notes give the town
    # and then its province
    return bool(_BRACKETED.search(before) or (before.rstrip().endswith(",") and _AFTER_UNIT.search(before)))


# The words _BEFORE may end with, each a whole token: a searched regex tries every position of the
# 60 characters (about 15 us), while most names follow no such word. Tokens are lower-cased ASCII here:
# a set lookup, digits, or a word ending in "ern" ("northern", "south-western").
_TAIL_WORDS = frozenset(
    "north south east west central restive remote border rural troubled volatile coastal capital city town village"
    " district province region state area of km kilometres miles the a an".split() + _LOCAL_UNITS_ASCII.split("|"))
_TAIL_ERN = re.compile(r"[a-z-]+ern")


def _tail_word(token: str) -> bool:
    """May this lower-cased ASCII token stand between a preposition and a name (see _BEFORE)?"""
    return token in _TAIL_WORDS or token.isdigit() or (token.endswith("ern") and _TAIL_ERN.fullmatch(token) is not None)


_PREPOSITIONS = ("in", "near", "outside", "around", "at", "inside", "across", "along", "to", "on", "u", "na", "kod",
                 "pored")
_OF_LEADERS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "outskirts",
               "province", "district", "region", "state", "county", "governorate", "city", "town", "village",
               "area", "suburb", "suburbs", "centre", "center", "heart", "parts")


def _may_be_before(before: str) -> bool:
    """False only when _BEFORE cannot match `before`: it must end in a space after a preposition
    ("in", "near") or "<direction> of", followed by nothing but the words _tail_word allows. A
    quick test that lets the regex decide the few that pass; text beyond ASCII always passes."""
    if not before[-1:].isspace():
        return False
    if not before.isascii():
        return True
    tokens = before.split()
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i].lower()
        if token.endswith(_PREPOSITIONS):
            return True
        if token == "of" and i and tokens[i - 1].lower().endswith(_OF_LEADERS):
            return True
        if not _tail_word(token):
            return False
    return False


def _dateline(places: Sequence[PlaceHit], text: str, body: int) -> PlaceHit | None:
    match = _DATELINE.match(text, body)
    if match is None:
        return None
    word = text[body:match.end()].strip()
    if not word[:2].isupper() and "(" not in word:
        return None   # "Gao, Mali —" needs the wire's bracket; "Police said -" is no dateline
    inside = [h for h in places if body <= h.start < match.end()]
    if not inside:
        return None
    # "KABUL, Afghanistan": the city, which carries its country
    return inside[0]


def _in_first_sentence(text: str, body: int, hit: PlaceHit) -> bool:
    end = text.find(". ", body)
    return end < 0 or hit.start < end


# "in", "near", "outside" right before a name: the event happened there (not "flew to Amman")
_IN_PLACE = re.compile(r"\b(?:in|near|outside|around)(?:\s+(?:the\s+)?[a-z-]+ern)?\s+$", re.IGNORECASE)


def _refine(anchor: PlaceHit, located: Sequence[PlaceHit], body: int, book: PlaceBook, text: str = "",
            dateline: bool = False) -> PlaceHit:
    """A more precise place that the headline or lead puts the event in: inside the anchor
    ("Clashes in Nigeria" ... "in Maiduguri"), or, for a dateline, anywhere in its country (KABUL ...
    "in Helmand province"), or abroad when the lead's first sentence puts the event in it (BELGRADE
    ... "killed in northern Kosovo"): reporters file from capitals, often a neighbour's."""
    country = book.country_of(anchor.region_id)
    if country is None:
        return anchor
    above = set(book.ancestors(anchor.region_id))
    within = _within(anchor, book)
    for hit in located:
        if hit.start >= body + _LEAD_CHARS or hit.region_id in above:
            continue
        chain = book.ancestors(hit.region_id)
        if within.intersection(chain) or (dateline and country in chain):
            return hit
        if _unlinked_town(hit, book) and chain[-1] == country and any(book.regions[w].kind == "division"
                                                                      for w in within):
            return hit   # "Rebels kill 20 in Ituri" ... "in Djugu, Ituri": GeoNames links no division to Djugu
        if dateline and _in_first_sentence(text, body, hit) and _IN_PLACE.search(text, max(0, hit.start - 40),
                                                                                    hit.start):
            return hit
    return anchor


def _within(anchor: PlaceHit, book: PlaceBook) -> set[str]:
    """The regions a more precise place may lie in to refine the anchor: the anchor, and for a town named as its
    division is ("Guanajuato", "Kidal": one place, the town) that division too, since the name stands for both ("kill 7
    in Guanajuato bar" ... "in Celaya, Guanajuato")."""
    region = book.regions[anchor.region_id]
    within = {anchor.region_id}
    if region.kind == "city" and region.parent is not None and book.regions[region.parent].kind == "division":
        names = {fold_term(n) for n in (region.name, *region.names)}
        division = book.regions[region.parent]
        if names.intersection(fold_term(n) for n in (division.name, *division.names)):
            within.add(division.id)
    return within


def _unlinked_town(hit: PlaceHit, book: PlaceBook) -> bool:
    """Is the hit a town GeoNames links to its country alone, with no division?"""
    region = book.regions[hit.region_id]
    return region.kind == "city" and region.parent is not None and book.regions[region.parent].kind == "country"


def _side_of(hits: Sequence[PlaceHit], book: PlaceBook, text: str, title_end: int) -> str | None:
    """The country a place in no country is taken to be in: the country whose forces or officials the headline
    names, its subject ("Serbian troops mass along the line": Serbia; forces stand on their own side), else
    the country the article points at most, of equals the one named first; None when it names no country."""
    hits = [_as_people(text, h, book) for h in hits]
    for hit in hits:
        if hit.end > title_end:
            break
        if hit.demonym and _FORCES_AFTER.match(text, hit.end) and book.country_of(hit.region_id) is not None:
            return book.country_of(hit.region_id)
    support = _support(hits, book, text)
    if not support:
        return None
    order = [c for c in dict.fromkeys(book.country_of(h.region_id) for h in hits) if c in support]
    return max(order, key=lambda c: support[c])


def event_chain(event: PlaceHit, hits: Sequence[PlaceHit], book: PlaceBook, text: str = "",
                title_end: int = 0) -> list[str]:
    """The event's place, then its division, then its country (region ids). A town with no
    linked division takes a division of its country that the article names ("Kismayo (Kismayo,
    Lower Juba)"). A place in no country (a line between two, a contested area) takes a country from
    the article (_side_of: "a Kosovo guard killed at Merdare" is in Kosovo)."""
    chain = list(book.ancestors(event.region_id))
    if book.country_of(event.region_id) is None:
        country = _side_of(hits, book, text, title_end)
        if country is not None:
            chain.append(country)
        return chain
    kinds = [book.regions[r].kind for r in chain]
    if "division" not in kinds and kinds[0] != "country":
        country = book.country_of(event.region_id)
        for hit in hits:
            region = book.regions[hit.region_id]
            if region.kind == "division" and region.parent == country and country in chain:
                chain.insert(chain.index(country), region.id)
                break
    return chain
