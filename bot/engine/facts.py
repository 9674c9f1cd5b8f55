"""Casualty and troop facts from an article's text: killed, wounded, troops and troops_change.

The reading is conservative, in the style of ACLED coding:

* killed / wounded: the total for the incident the article reports. Distinct groups are
  summed ("10 soldiers and 19 gunmen were killed" = 29, "killing one officer ... three
  gunmen were also killed" = 4); a toll update is the total and replaces the partial figures
  ("the death toll rose to 12"); a range counts as its lowest figure; vague quantities have
  fixed values ("dozens" 12, "scores" 20, "hundreds" 100); counts placed in the past ("since
  2004", "in 2019", "this year") are background and ignored.
* troops: the largest figure bound to a troop noun ("8,350 troops", "7,500 sailors and Marines",
  "2,900 members of the National Defence Force", "a 2,000-strong contingent", "reinforced by
  2,000", "a total of about 10,000 expected"), leaving out casualties, existing strength
  ("currently has 3,800 personnel") and figures placed in earlier years or crises. "From X to Y"
  and "from a peak of X" count as the larger figure, the build-up in question. Of the vague
  quantities only the hundreds count ("hundreds", "several/a few hundred" = 100): "thousands"
  gives no figure, so a vague word never passes a 1,000 threshold. A figure dated to a past
  month ("in December 2023") is used only when a pullback story gives no current one.
* troops_change: "increase" when forces are sent, massed, reinforced or deployed; "decrease"
  when they are withdrawn, cut, pulled back, sent back to their bases or stood down, unless
  the pullback is only asked for or denied ("urged Serbia to withdraw", "no sign of a
  pullback"). A change counts only when a force is its object or nearest subject (not "the
  attackers then withdrew"); the main clause outweighs a "while ..." clause.

How it reads: a few literal-led scans for word stems ("kill", "dead", "sol-dier", "t-roop", ...)
decide whether there is anything to read at all (an article without that vocabulary costs one
pass of C-speed searches); each word found is then read in place: the figures just before it
("Ten soldiers and 19 gunmen were killed"), the counted list just after it ("killing at least 15
officers and four civilians"), a toll ("the death toll rose to 12"). Figures are found word by
word from the cue, not by scanning the text; every pattern gap is bounded, and a sentence or
clause is never read beyond a few hundred characters around the cue, so the cost stays linear
on run-on or hostile text. Offsets in the result are into the text the caller gave.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["FactSpan", "Facts", "extract_facts", "parse_number"]


@dataclass(frozen=True)
class FactSpan:
    """Where a fact's figure was read: the number and the words that bind it, as offsets."""

    name: str   # "killed", "wounded", "troops"
    value: int  # the figure read at this place (a group's count, or a toll)
    start: int
    end: int


@dataclass(frozen=True)
class Facts:
    """What an article says about casualties and troops; None when it says nothing."""

    killed: int | None = None
    wounded: int | None = None
    troops: int | None = None
    troops_change: str | None = None  # "increase" | "decrease"
    spans: tuple[FactSpan, ...] = ()

    def as_dict(self) -> dict[str, int | str]:
        """The facts found, flat: {"killed": 4, "troops": 8350, "troops_change": "decrease"}."""
        out: dict[str, int | str] = {}
        for name in ("killed", "wounded", "troops", "troops_change"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


# --------------------------------------------------------------------------- numbers

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague quantities read at the conservative figures the conventions fix.
_VAGUE = {
    "a dozen": 12, "half a dozen": 6, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
    "tens of thousands": 10_000, "hundreds of thousands": 100_000, "half a million": 500_000,
    # "several"/"a few" + a scale word read as the plural of that scale: "a few hundred" = "hundreds" = 100.
    "several dozen": 12, "a few dozen": 12, "several hundred": 100, "a few hundred": 100, "few hundred": 100,
    "several thousand": 1_000, "a few thousand": 1_000, "few thousand": 1_000,
}
_MODIFIERS = (
    "at least", "more than", "over", "about", "around", "some", "roughly", "nearly", "almost", "up to",
    "as many as", "an estimated", "estimated", "approximately", "close to", "upwards of", "at most",
    "fewer than", "less than", "just over", "just under", "well over", "a further", "another",
    "an additional", "additional", "a total of", "a reported", "a minimum of", "a maximum of", "only",
    "an extra", "extra", "above", "below", "under", "in excess of", "no fewer than", "no less than",
    "not less than", "a staggering", "a record",
)


def _by_first_letter(alternation: str) -> str:
    """The same alternation with branches grouped by their first letter: `a(?:b|c)|d` for `ab|ac|d`.

    The regex engine tries branches one by one at every word start; grouping lets it reject a
    whole group on one character, which makes scanning long alternations several times faster.
    """
    branches: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(alternation):
        ch = alternation[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(alternation[start:i])
            start = i + 1
        i += 1
    branches.append(alternation[start:])
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for branch in branches:
        if branch[:1].isalpha():
            groups.setdefault(branch[0], []).append(branch[1:])
        else:
            rest.append(branch)
    parts = [f"{k}(?:{'|'.join(v)})" if len(v) > 1 else k + v[0] for k, v in groups.items()]
    return "|".join(parts + rest)


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first, spaces as \\s."""
    return "|".join(sorted((w.replace(" ", r"\s") for w in words), key=len, reverse=True))


_SMALL_ALT = _alt([*_UNITS, *_TENS])
_WORD_ALT = _alt([*_UNITS, *_TENS, *_SCALES])
_MOD_ALT = _alt(set(_MODIFIERS))
# 8,350 / 8 350 / 4500 / 1.5 million. The lookbehind keeps "350" of "8,350" from matching alone.
_DIGITS = (
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,3}(?:[ \u00a0\u202f]\d{3}){1,3}|\d{1,12})(?:\.\d{1,3})?(?![\da-z])"
    r"(?:\s(?:million|billion|thousand)\b)?"
)
# twenty-one / one hundred and twelve / two thousand; never starts on a bare scale word, so
# "several hundred" is not read as 100; "and" only joins after a scale word.
_WORDS = (
    rf"\b(?:(?:a|one)\s(?:hundred|thousand|million)|(?:{_SMALL_ALT}))\b"
    rf"(?:(?:[\s-]|(?:(?<=hundred)|(?<=thousand)|(?<=million))\sand\s)(?:{_WORD_ALT})\b){{0,6}}"
)
_VAGUE_RE = (
    r"\b(?:tens\sof\sthousands|hundreds\sof\sthousands|half\sa\sdozen|half\sa\smillion|a\sdozen|dozens|scores"
    r"|hundreds|thousands|(?:several|(?:a\s)?few)\s(?:dozen|hundred|thousand)(?!\sthousand))\b"
)
_NUM = rf"(?:{_DIGITS}|{_VAGUE_RE}|{_WORDS})"
# A figure or a range of figures ("between 10 and 15", "10 to 15", "10-15", "two or three").
_NUMR = rf"(?:between\s{_NUM}\sand\s{_NUM}|{_NUM}(?:\s?(?:-|–|to|or)\s?{_NUM})?)"
_MODS = rf"(?:(?:{_MOD_ALT})\s){{0,2}}"

_NUM_FIND = re.compile(rf"{_NUMR}|\banother\b")
_DIGITS_FULL = re.compile(
    r"(\d{1,3}(?:[, \u00a0\u202f]\d{3}){1,4}|\d{1,12})(?:\.(\d{1,6}))?\s?(million|billion|thousand|mn|bn|m|k)?"
)
_MULTIPLIERS = {"million": 10**6, "mn": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9, "thousand": 1000, "k": 1000}
_RANGE_WORDS = ("to", "and", "or", "-")


def _strip_modifiers(s: str) -> str:
    changed = True
    while changed:
        changed = False
        for mod in _MODIFIERS:
            if s.startswith(mod + " "):
                s = s[len(mod) + 1:]
                changed = True
    return s


def _single(s: str) -> int | None:
    """One figure, no range: digits, number words or a vague quantity."""
    if s in _VAGUE:
        return _VAGUE[s]
    m = _DIGITS_FULL.fullmatch(s)
    if m:
        whole = int(re.sub(r"\D", "", m.group(1)))
        frac = m.group(2) or ""
        mult = _MULTIPLIERS.get(m.group(3) or "", 1)
        if frac and mult == 1:
            return None  # "1.5" people is not a count
        return whole * mult + (int(frac) * mult) // 10 ** len(frac) if frac else whole * mult
    return _words_value(s.replace("-", " ").split())


def _words_value(tokens: list[str]) -> int | None:
    """"one hundred and twelve" = 112, "two thousand" = 2000, "4 thousand" = 4000; None if not a number."""
    total = current = 0
    last = ""  # what came before: "", "a", "unit", "teen", "tens", "hundred", "scale", "and", "digits"
    for i, tok in enumerate(tokens):
        if tok in ("a", "an") and i == 0 and len(tokens) > 1:
            current, last = 1, "a"
        elif tok == "and" and last in ("hundred", "scale"):
            last = "and"
        elif tok.isdigit() and i == 0:
            current, last = int(tok), "digits"
        elif tok in _UNITS and last in ("", "tens", "hundred", "scale", "and"):
            value = _UNITS[tok]
            current += value
            last = "unit" if value < 10 else "teen"
        elif tok in _TENS and last in ("", "hundred", "scale", "and"):
            current += _TENS[tok]
            last = "tens"
        elif tok == "hundred" and last in ("a", "unit", "teen", "tens", "digits"):
            current *= 100
            last = "hundred"
        elif tok in _SCALES and tok != "hundred" and last in ("a", "unit", "teen", "tens", "hundred", "digits"):
            total += current * _SCALES[tok]
            current, last = 0, "scale"
        elif tok == "dozen" and last in ("a", "unit"):
            current *= 12
            last = "scale"
        else:
            return None
    if last in ("", "a", "and") or (last == "digits" and len(tokens) > 1):
        return None
    return total + current


@lru_cache(maxsize=4096)
def parse_number(phrase: str) -> int | None:
    """A count written in figures or words: "8,350", "8 350", "twenty-one", "a dozen", "dozens" (12),
    "scores" (20), "hundreds" (100), "one hundred and twelve", "1.5 million". Modifiers are dropped
    ("at least 7" = 7) and a range gives its lowest figure ("between 10 and 15" = 10). None when the
    phrase is not a count."""
    s = " ".join(phrase.lower().replace("–", "-").replace("—", "-").split()).strip(" .,;:")
    if not s or len(s) > 80:
        return None
    s = _strip_modifiers(s)
    value = _single(s)
    if value is not None:
        return value
    s = s.removeprefix("between ")
    spaced = s.replace("-", " - ")
    tokens = spaced.split()
    for i, tok in enumerate(tokens):
        if tok in _RANGE_WORDS and 0 < i < len(tokens) - 1:
            low = _single(_strip_modifiers(" ".join(tokens[:i]).replace(" - ", "-")))
            high = _single(_strip_modifiers(" ".join(tokens[i + 1:]).replace(" - ", "-")))
            if low is not None and high is not None:
                return min(low, high)
    return None


# --------------------------------------------------------------------------- vocabulary

# Stems of the words that carry facts, one pattern per leading letter: a pattern led by a
# literal is searched at C speed, a many-letter alternation is not. Stems start on uncommon
# letters where the word allows (sol-DIER, t-ROOP, a-RMY, h-URT via lookbehind) so the scan
# is cheap. They are searched in the lower-cased text, so "Killed" at a sentence start counts.
_QUICK = tuple(
    re.compile(p)
    for p in (
        r"d(?:ea(?:d|th)|ie[ds]|ier|eploy|ivision|own(?<=gunned\sdown))",
        r"k(?:ill|(?<=tank))",
        r"w(?:ound|ithdr|arship)",
        r"jur",
        r"r(?:my|mies|oop|t(?<=hurt)|vist)",
        r"f(?:orce|ighter|atalit)",
        r"m(?:ilitar|ilitia|arines|obili|assacr|mando|ercenar|our(?<=armour)|or(?<=armor))",
        r"p(?:erish|ersonnel|aratroop|eacekeep)",
        r"v(?:icem|ice\smember|es(?<=lives))",
        r"g(?:uard|ent(?<=contingent))",
    )
)
# The rarer words, looked for only once the article is known to be worth reading (and in the title).
_STEMS = (
    *_QUICK,
    *(re.compile(p) for p in (r"b(?:odies|rigade|attalion)", r"l(?:l(?<=toll)|ain(?<=slain))", r"sailor")),
)
_TITLE_STEMS = re.compile("|".join(p.pattern for p in _STEMS))
# A sentence ends at . ! ? before a capital, a digit or a quote (so "U.S. troops" is one sentence).
# Literal-led, so the scan runs at C speed; "!" and "?" are looked for only when present.
_SENT_END = re.compile(r"\.[\"'”’)]{0,2}\s{1,3}(?=[A-Z0-9\"'“‘(])")
_SENT_END_RARE = re.compile(r"[!?][\"'”’)]{0,2}\s{1,3}(?=[A-Z0-9\"'“‘(])|\n")
_NEXT_WORD = re.compile(r"\s{1,3}([a-z][a-z'’-]*)")

# Nouns that, right after a figure, make it something other than people.
_THINGS = frozenset(
    """day days hour hours week weeks month months year years decade decades minute minutes km kms kilometres
    kilometers kilometre kilometer miles mile metres meters metre meter feet foot yards percent per cent % pm am
    a.m. p.m. o'clock tanks tank vehicles vehicle trucks truck lorries cars car buses bus missiles missile rockets
    rocket drones drone shells shell bombs bomb villages village towns town houses homes buildings building
    rounds times aircraft planes plane jets jet helicopters helicopter ships ship boats boat vessels dollars
    euros pounds rupees tonnes tons kg kilograms litres acres hectares provinces districts countries states
    cities locations sites positions posts points rifles guns weapons artillery launchers batteries brigades
    battalions divisions regiments units companies squadrons flights sorties attacks strikes raids incidents
    cases votes seats percentage bases camps year-old old""".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun"
    " jul aug sep sept oct nov dec".split()
)
# Words before a figure that make it a label, not a count ("Route 6", "Resolution 1701").
_LABELS = frozenset(
    """route highway road resolution article division brigade battalion regiment unit flight number no page
    chapter section district block sector zone ward gate level grade class type model su mig f t kh tu il
    camp base point hill height paragraph item kilometre kilometer km mile""".split()
)
_VAGUE_STARTS = ("dozens", "scores", "hundreds", "thousands", "tens", "several", "a few", "few", "half a", "a dozen")
_NUMBERISH = frozenset([*_UNITS, *_TENS, *_SCALES, "dozen", "dozens", "scores", "hundreds", "thousands", "another"])
_NUM_JOINERS = frozenset(("and", "to", "or", "between", "a", "of", "half", "tens", "several", "few", "-", "–"))
_PUNCT = ".,;:!?\"'()[]“”‘’"
_DIGIT = re.compile(r"\d")
_SUBSET_MARKERS = ("including", "among them", "among whom", "of whom", "of them", "mostly", "most of them")
_AUX = frozenset("were was are is been being have has had".split())
_SINGULAR_AUX = frozenset(("was", "has", "is"))
# A clause break or another action between a figure and the verb it is not the subject of.
_GAP_STOP = re.compile(
    r"[;:()\[\]]|,\s(?:and|but|while|as|when|after|before|which|where|although|though)\b|\b(?:"
    + _by_first_letter(
        "killing|wounding|injuring|killed|wounded|injured|said|says|told|according|after|before|when|while"
        "|but|because|although|though|whereas|if|then"
    )
    + r")\b"
)
# "a soldier and " / "an officer, " just before a counted group: one more person in the list.
_ONE_BEFORE = re.compile(r"(?:^|[\s,(])(?P<a>an?|another)\s(?:[\w'’.-]+\s){1,4}(?:and|,)\s$")
_LIST_WORD = r"\s(?!(?:were|was|are|is|have|has|had|been|killed|wounded|injured|died|dead|hurt)\b)[a-z'’.-]+"
_LIST_GAP = re.compile(rf"(?:{_LIST_WORD}){{0,4}},?\s(?:and|as\swell\sas|plus)\s|(?:{_LIST_WORD}){{0,4}},\s")
_FOLLOWING = re.compile(r"[\s-]{0,3}([a-z%$€£][a-z'’.%-]{0,30}?)[.,]?(?![a-z'’.%-])")

# Background: a figure in a clause like this is history, not the incident.
_BACKGROUND = re.compile(
    r"\b(?:"
    + _by_first_letter(
        r"since\s(?:(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|november"
        r"|december|the\s(?:start|beginning|outbreak|war|conflict|insurgency|uprising|invasion|fighting)|last|early"
        r"|late|then|records|independence)"
        r"|this\syear|last\syear|in\srecent\s(?:years|months|decades)|years\s(?:ago|since)"
        r"|over\sthe\s(?:past|last)\s(?:\w+\s)?(?:years|months|decades|weeks)|in\s(?:19|20)\d\d"
        r"|during\s(?:the\s)?(?:\w+\s){0,2}(?:war|conflict|insurgency|crisis|crises)"
        r"|in\sthe\s(?:\w+\s){0,2}(?:war|conflict|insurgency|crisis|crises)|during\scrises"
        r"|at\sthe\s(?:height|peak)\sof|in\sthe\spast|film|novel|movie|series|game"
    )
    + r")\b"
)
# Every _BACKGROUND match holds one of these words or a year: a cheap test before the regex.
_BACKGROUND_WORDS = frozenset(
    """since year years during war conflict insurgency crisis crises height peak past months weeks decades film
    novel movie series game""".split()
)
_YEAR = re.compile(r"(?:19|20)\d\d")
# A clause dated to a past month: background for casualties and the direction; for troops, a fallback figure
# when the story is a pullback and gives no current one (the size of the deployment being ended).
_DATED = re.compile(
    r"\bin\s(?:(?:early|late|mid)[\s-])?(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december|spring|summer|autumn|fall|winter)(?:\sof)?\s(?:19|20)\d\d\b"
)
# Existing strength or a goal, not the deployment in question: words just before the figure
# ("currently has around 3,800 personnel", "reinforce the 600", "grow to 200,000 soldiers") or
# just after it ("600 already in the country").
_EXISTING_BEFORE = re.compile(
    r"\b(?:currently|presently|at\spresent|existing|permanent(?:ly)?|normally|usually|routinely|peacetime"
    r"|in\saddition\sto|on\stop\sof|(?:grow|expand|increase|raise)\sto|target\sof|goal\sof)\s(?:[a-z'’.-]+\s){0,3}$"
    r"|\b(?:join|reinforc|bolster|strengthen|support)\w*\s(?:the|its|their)\s(?:[a-z'’.-]+\s){0,2}$"
)
_EXISTING_AFTER = re.compile(
    r"\s(?:[a-z'’.-]+\s){0,3}?(?:already|currently)\s(?:there|in|stationed|based|present|on)\b"
)

# --------------------------------------------------------------------------- casualty cues

_KILL_VERBS = frozenset(("kill", "kills", "killed", "killing", "massacre", "massacres", "massacred", "massacring"))
_SHOOT = frozenset(("shot", "shoot", "shoots", "shooting"))
_TO_DEATH = frozenset("stabbed beaten hacked burned burnt crushed bludgeoned trampled lynched tortured".split())
_WOUND_VERBS = frozenset(("wounded", "wounding", "injured", "injuring", "injures", "wounds", "wound"))
_DEATH_STATES = frozenset(("found", "confirmed", "declared", "pronounced", "reported", "feared", "presumed"))

_ITEM = re.compile(
    rf"(?P<mods>{_MODS})(?:(?P<num>{_NUMR})|(?P<another>another)\b|(?P<a>an?)(?=\s(?!(?:number|lot|few|handful|couple"
    r"|total|series|group|large|small|significant|majority|further|half|quarter|fraction|portion|share|wave|dozen"
    r"|score|hundred|thousand|million)\b)(?!(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\sof\b)))"
)
_ITEM_BODY = re.compile(
    r"(?:\s(?!(?:and|or|as|including|among|in|on|at|near|when|after|during|while|with|by|from|before|who|which"
    r"|that|wounding|injuring|killing|leaving|left|said|says|according|to|across|inside|outside|since|over|for|but"
    r"|dead|killed|wounded|injured|hurt|lives|were|was|are|is|had|have|has)\b)[a-z][a-z'’.-]*){0,6}"
)
_NOT_PEOPLE = frozenset(
    """deal agreement bill plan proposal project idea law motion contract story rumour rumor hope chance talks
    momentum measure reform treaty accord merger bid scheme programme program initiative process""".split()
)
_REPORTING = re.compile(r"\s(?:said|says|say|told|reported|reports|added|confirmed|claimed|stated|announced)\b")
_ITEM_SEP = re.compile(r",?\s(?:and|as\swell\sas|plus)\s|,\s")
_LEFT_VERB = re.compile(r"\b(?:left|leaving|leaves|leave)\s")
_TREATED = re.compile(r"\btreated\s")
_CLAIM = re.compile(r"\bclaim(?:s|ed|ing)?\s")
_TAIL_TREATED = re.compile(r"\sfor\s(?:[a-z'’-]+\s){0,5}")
_NUMBER_OF = re.compile(r"\bnumber\sof\s(?:[a-z]+\s)?$")
_TOLL_VALUE = re.compile(
    r"\b(?:to|at|of|reach(?:ed|es)?|hit|hits|pass(?:ed|es)?|exceed(?:ed|s)?|surpass(?:ed|es)?|top(?:ped|s)?"
    rf"|near(?:ed|s)?|cross(?:ed|es)?|now|is|was|stands|stood)\s{_MODS}(?P<num>{_NUMR})"
)
_TOLL_SKIP = re.compile(r"\b(?:since|war|conflict|insurgency|years|decade|decades|campaign)\b")
_TOTAL_HINTS = ("total", "in all", "altogether", "ing the")
_TOTAL_NEAR = re.compile(
    r"\b(?:" + _by_first_letter(r"in\stotal|in\sall|altogether|a\stotal\sof|bringing|raising|taking|pushing") + r")\b"
)

# --------------------------------------------------------------------------- troop cues

_TROOP_NOUNS = frozenset(
    """troops soldiers servicemen servicemembers personnel reservists forces marines sailors paratroopers commandos
    fighters peacekeepers guardsmen guards mercenaries militiamen reinforcements""".split()
) | {"service members"}
# Nouns a figure may follow: "a force of 5,000", "troop numbers to 10,000".
_AFTER_NOUNS = _TROOP_NOUNS | {"troop", "force", "contingent", "deployment", "garrison", "army"}
# Nouns that "members of the ..." and "-strong" bind to.
_NOT_IN_GAP = frozenset(("of", "or", "from", "to", "in", "on", "at", "by", "with", "for"))
_DEPLOY_VERBS = frozenset(
    """mobilised mobilized mobilising mobilizing mobilise mobilize deploy deploys deployed deploying redeploy
    redeployed redeploying""".split()
)
_MEMBER_NOUNS = frozenset(("army", "forces", "force", "guard", "military", "marines", "navy", "militia", "corps"))
_STRONG_NOUNS = frozenset(
    ("force", "forces", "contingent", "army", "brigade", "battalion", "division", "militia", "guard", "deployment",
     "troops", "military", "unit", "troop")
)
# Words that make a sentence about forces (for the direction of a change).
_CTX_WORDS = _TROOP_NOUNS | frozenset(
    """troop soldier army armies military militia brigade brigades battalion battalions division divisions tank
    tanks armour armoured armor armored warship warships contingent contingents force guard""".split()
)
_CTX_PREFIXES = ("reinforc", "peacekeep", "paratroop")
# Verbs that make a sentence about forces unless it is about civilian staff ("deployed extra staff").
_TROOP_VERB_PREFIXES = ("deploy", "redeploy", "mobilis", "mobiliz", "withdr")
_CIVILIAN_STAFF = re.compile(
    r"\b(?:staff|police|policemen|workers|inspectors|customs|medics|doctors|nurses|volunteers"
    r"|firefighters|rescuers|engineers|technicians|teams?)\b"
)
_MEMBERS_BEFORE = re.compile(r"\bmembers\sof\sthe\s(?:[a-z'’.-]+\s){0,5}$")
_STRONG_BEFORE = re.compile(r"[\s-](?:strong|member|man)\s(?:[a-z'’-]+\s){0,2}$")
_AFTER_NOUN = re.compile(
    rf"(?:\s[a-z'’.-]+){{0,6}}?\s(?:to|at|of|numbering|totall?ing|number(?:ing)?)\s{_MODS}(?P<num>{_NUMR})"
)
_AFTER_FIGURE_OK = frozenset(
    """troops soldiers servicemen personnel reservists forces marines sailors guards paratroopers men in on at near
    along by from to and or this next last over within under as across into for before after""".split()
)
_REINFORCED_BY = re.compile(rf"\s(?:by|with)\s{_MODS}(?P<num>{_NUMR})")
_FROM_TO = re.compile(rf"from\s{_MODS}(?P<a>{_NUM})\sto\s{_MODS}(?P<b>{_NUM})")
# "bringing the potential total to 10,000" in a sentence about troops.
_TOTAL_TO = re.compile(
    r"\b(?:bringing|taking|raising|pushing)\s(?:the|its|their)\s(?:[a-z'’-]+\s){0,2}?(?:total|number|strength|size)\s"
    rf"(?:[a-z'’.-]+\s){{0,4}}?to\s{_MODS}(?P<num>{_NUMR})"
)
# "with a total of about 10,000 expected by December": a planned total for the deployment.
_TOTAL_OF = re.compile(rf"\b(?:a|the|an?\s(?:overall|eventual|planned|expected))\stotal\sof\s{_MODS}(?P<num>{_NUMR})")
# "cut ... to about 4,500, from a peak of 8,350": the peak is the build-up in question, and it fell.
_FROM_PEAK = re.compile(rf"\bfrom\sa\s(?:peak|high|maximum|height)\sof\s{_MODS}(?P<num>{_NUMR})")
_TOTAL_OF_NEXT = frozenset(("expected", "planned", "due", "envisaged", "projected", "foreseen", "eventually", ""))
_TROOP_CASUALTY_AFTER = re.compile(
    r"\s(?:were|was|are|have\sbeen|had\sbeen|has\sbeen)\s(?:[a-z]+\s)?(?:killed|wounded|injured|hurt|dead"
    r"|captured|abducted|kidnapped|missing|arrested|detained|taken|executed|shot|slain)\b"
    r"|\s(?:died|killed|dead|hurt|injured|wounded)\b"
)
_TROOP_CASUALTY_BEFORE = re.compile(
    r"\b(?:killing|killed|kill|kills|wounding|wounded|injuring|injured|capturing|captured|abducted|kidnapped"
    r"|deaths\sof|bodies\sof|lives\sof|freed|released)\s(?:[a-z]+\s){0,2}$"
)

# --------------------------------------------------------------------------- direction cues

_INC = (
    r"deploy\w*|redeploy\w*|reinforc\w*|mass(?:es|ed|ing)|mass\s(?:troops|forces|soldiers)|amass\w*"
    r"|build[\s-]?ups?|buildups?|build(?:s|ing)?\sup|mobili[sz]\w*|(?:on|high|heightened)\salert"
    r"|call(?:s|ed|ing)?\sup|sen[dt]s?|sending|dispatch\w*|mov(?:e|es|ed|ing)|rush\w*|airlift\w*"
    r"|station(?:s|ed|ing)|boost\w*|bolster\w*|beef\w*\sup|step(?:s|ped|ping)?\sup|strengthen\w*|increas\w*"
    r"|expand\w*|concentrat\w*|gather\w*|surg(?:e|es|ed|ing)|arriv\w*|encircl\w*|advanc\w*|pour\w*\sin"
    r"|shift\w*|offer\w*|pledg\w*|contribut\w*|additional|extra|fresh|more\s(?:troops|soldiers|forces)"
    r"|bring(?:s|ing)?|brought|flown\sin|flew\sin|land(?:s|ed)|enter\w*|cross(?:ed|es)|doubl\w*|tripl\w*"
    r"|rais(?:e|es|ed|ing)|assembl\w*|position(?:ed|ing)|t(?:ake|akes|ook|aking|aken)\sup\spositions"
    r"|ramp(?:s|ed|ing)?\sup|augment\w*|grow(?:s|ing|n)?|grew"
    r"|reach(?:ed|es|ing)|push(?:es|ed|ing)?\sinto|transport(?:s|ed|ing)|ferr(?:y|ies|ied|ying)|pour(?:s|ed|ing)"
)
_DEC = (
    r"withdr(?:aw|aws|awing|awn|ew|awal|awals)|pull(?:s|ed|ing)?\s(?:[a-z]+\s){0,3}?(?:back|out|away|from)"
    r"|pull[\s-]?(?:back|out)s?|cut(?:s|ting)?(?!\soff)|reduc\w*|scal(?:e|es|ed|ing)\s(?:back|down)|halv\w*"
    r"|trim\w*|slash\w*|shrink\w*|draw(?:s|ing|n)?[\s-]?down|drew\sdown|wind(?:s|ing)?\sdown|wound\sdown"
    r"|st(?:and|ood|ands|anding)\sdown|demobili[sz]\w*"
    r"|return\w*\s(?:home|(?:[a-z'’-]+\s){0,12}?to\s(?:their\s|its\s|the\s)?(?:[a-z]+\s)?(?:bases?|barracks"
    r"|garrisons?|home|positions))|back\sto\s(?:their\s|its\s)?(?:[a-z]+\s)?(?:bases?|barracks|garrisons?)"
    r"|sen[dt]\s(?:[a-z]+\s){0,2}?back|sends\s(?:[a-z]+\s){0,2}?back|sending\s(?:[a-z]+\s){0,2}?back"
    r"|mov(?:e|es|ed|ing)\s(?:[a-z]+\s){0,2}?back|brought\s(?:[a-z]+\s){0,2}?back"
    r"|bring(?:s|ing)?\s(?:[a-z]+\s){0,2}?back|order(?:s|ed|ing)?\s(?:[a-z]+\s){0,2}?back"
    r"|sail(?:s|ed|ing)?\s(?:[a-z]+\s){0,2}?back|leav(?:e|es|ing)(?!\s(?:for|of|behind)\b)"
    r"|lower(?:s|ed|ing)?\s(?:[a-z]+\s){0,4}?(?:readiness|alert)"
    r"|head(?:s|ed|ing)?\s(?:back|home)|retreat\w*|downsiz\w*|thin\w*\sout"
    r"|end(?:s|ed|ing)?\s(?:its|their|the)\s(?:military\s)?(?:mission|deployment|presence)|revert\w*\sto\snormal"
    r"|disband\w*|fewer|decreas\w*|relocat\w*\saway"
)
_CHANGE = re.compile(rf"\b(?:{_by_first_letter(_DEC + '|' + _INC)})\b")
_DECREASE = re.compile(_DEC)
_NEGATED = re.compile(
    r"\b(?:"
    + _by_first_letter(
        r"urg\w*|call\w*\s(?:on|for)|demand\w*|ask\w*|press\w*|refus\w*|no|not|never|neither|nor|without"
        r"|rul\w*\sout|reject\w*|den(?:y|ies|ied|ying)|fail\w*|yet\sto|instead\sof|rather\sthan|unlikely"
        r"|appeal\w*|push\w*\sfor|insist\w*|threat\w*"
    )
    + r")\b|n't\b"
)
_PLUPERFECT = re.compile(r"\bhad\s(?:been\s)?(?:[a-z]+\s)?$")
# "said he had moved": reported speech, not an earlier step.
_REPORTED_HAD = re.compile(
    r"\b(?:said|says|told\s\w+|announced|reported|added|confirmed|stated|claimed)\s(?:that\s)?(?:[a-z'’]+\s){0,3}?"
    r"had\s(?:been\s)?(?:[a-z]+\s)?$"
)
# Who or what moves: a change counts only when forces are its subject or object ("the army withdrew",
# "sent 3,000 soldiers"), not gunmen, attackers or police ("the attackers then withdrew").
_FORCE_WORDS = _TROOP_NOUNS | frozenset(
    """troop soldier army armies military militia militias brigade brigades battalion battalions division divisions
    regiment regiments unit units reserves tank tanks armour armor warship warships ship ships vessels navy naval
    fleet carrier carriers destroyers submarines frigates aircraft jets warplanes helicopters contingent contingents
    force garrison garrisons deployment deployments presence artillery howitzers equipment rebels sailor marine
    reservist peacekeeper paratrooper commando fighter airmen corps paramilitary paramilitaries wings boats craft
    missiles launchers batteries infantry armoured armored""".split()
)
_NOT_FORCE_WORDS = frozenset(
    """gunmen gunman attackers attacker assailants assailant police policemen patrol patrols protesters
    demonstrators rioters crowd crowds residents civilians villagers migrants refugees bandits robbers militants
    jihadists insurgents terrorists gang gangs cartel staff workers toll tolls prices price""".split()
)
_ACTOR_WORDS = _FORCE_WORDS | _NOT_FORCE_WORDS
_PUNCT_TO_SPACE = str.maketrans(dict.fromkeys(_PUNCT, " "))
_SELF_MILITARY = ("reinforc", "deploy", "redeploy", "mobili", "demobili", "troop", "build", "take up", "took up",
                  "taking up", "more troops", "mass troops", "mass forces", "mass soldiers")
_OBJECT_STOP = frozenset(
    """to into toward towards from on at in near along across after before while when as because since until
    over by through within""".split()
)
# A force noun the change only describes: "the soldiers it massed", "troops who had been sent",
# "the number of soldiers deployed".
# Read as: a noun, then one of these, then the change; the noun is checked against _FORCE_WORDS.
_DESCRIBED = re.compile(
    r"\s([a-z]+)\s(?:(?:that|who|which)\s(?:[a-z]+\s){0,2}?|(?:it|they|he|she|we)\s(?:had\s|has\s|have\s)?"
    r"(?:also\s)?(?:been\s)?)$"
)
_DESCRIBED_OF = re.compile(r"\bof\s(?:the\s|its\s|their\s)?(?:[a-z'’-]+\s)?([a-z]+)\s$")
# A change in a clause that is not the main one: "while withdrawing some units" weighs less;
# "before reinforcements arrived" is the response to an incident, not a change in strength.
_SUBORDINATE = re.compile(r"\b(?:while|whereas|although|though|even\sas)\s(?:[a-z'’-]+\s){0,3}$")
_RESPONSE = re.compile(r"\b(?:before|until|by\sthe\stime)\s(?:[a-z'’-]+\s){0,3}$")
# A title about a commemoration or a work of fiction: the deaths and troops in it are not news.
_NOT_CURRENT = re.compile(
    r"\b(?:anniversary|commemorat\w*|remembrance|years\s(?:since|on|after)|film|movie|novel|thriller|documentary"
    r"|board\sgame|video\sgame|premiere|exhibition)\b"
)
# A like-for-like rotation moves troops without changing their number.
_ROTATION = re.compile(r"\b(?:rotat\w*|hand(?:s|ed|ing)?\sover|handover|swap\w*)\b")
_UNCHANGED = re.compile(r"\b(?:unchanged|same\ssize|like[\s-]for[\s-]like|not\schange|no\schange|remain\sthe\ssame)\b")


# --------------------------------------------------------------------------- the reader

_Part = tuple[int, int, int]  # (value, start, end) of one figure


@dataclass
class _Mention:
    """One casualty statement: a group count, a list summed, or a toll."""

    name: str
    value: int
    start: int
    end: int
    toll: bool
    in_title: bool
    parts: tuple[_Part, ...]


class _Reader:
    """One article: the lower-cased text, its sentences and the facts read so far."""

    def __init__(self, text: str, low: str | None = None) -> None:
        if low is None:
            low = _lower(text)
        self.text = text
        self.low = low
        nl = low.find("\n")
        self.title_end = nl if nl >= 0 else len(low)
        self._ends: list[int] | None = None
        self.mentions: list[_Mention] = []
        self.used: set[int] = set()  # start offsets of figures already read as casualties
        self.troops: list[_Part] = []
        self.past_troops: list[_Part] = []  # figures dated to a past month: the deployment a pullback ends
        self.hints: list[str] = []  # directions read off "from X to Y"

    # -- geometry

    def sentence(self, pos: int) -> tuple[int, int]:
        if self._ends is None:
            text = self.text
            ends = [m.end() for m in _SENT_END.finditer(text)]
            if "!" in text or "?" in text or text.count("\n") > 1:
                ends = sorted(ends + [m.end() for m in _SENT_END_RARE.finditer(text, self.title_end + 1)])
            if self.title_end < len(text):
                insort(ends, self.title_end + 1)
            self._ends = ends
        ends = self._ends
        i = bisect_right(ends, pos)
        return (ends[i - 1] if i else 0), (ends[i] if i < len(ends) else len(self.low))

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """The comma-delimited stretch of a sentence around [start, end), at most ~250 characters each way."""
        lo, hi = self.sentence(start)
        lo, hi = max(lo, start - 250), min(hi, end + 250)  # linear time on run-on text
        low = self.low
        c = max(low.rfind(", ", lo, start), low.rfind("; ", lo, start))  # not the comma of "8,350"
        a = c + 1 if c >= 0 else lo
        ends = [p for p in (low.find(", ", end, hi), low.find("; ", end, hi)) if p >= 0]
        return a, (min(ends) if ends else hi)

    def background(self, start: int, end: int, dated: bool = True) -> bool:
        """Is the figure history? Its clause, or a short opener ("Last year, ...") says so. With dated=False
        a clause dated only by a past month ("in December 2022") is not history here (see dated)."""
        a, b = self.clause(start, end)
        if _is_background(self.low, a, b, dated):
            return True
        lo, _ = self.sentence(start)
        comma = self.low.find(", ", lo, a + 1)
        return 0 <= comma - lo <= 40 and _is_background(self.low, lo, comma, dated)

    def dated(self, start: int, end: int) -> bool:
        """Is the figure's clause, or a short opener, dated to a past month ("sent in December 2022")?"""
        low = self.low
        a, b = self.clause(start, end)
        if _YEAR.search(low, a, b) is not None and _DATED.search(low, a, b) is not None:
            return True
        lo, _ = self.sentence(start)
        comma = low.find(", ", lo, a + 1)
        return 0 <= comma - lo <= 40 and _DATED.search(low, lo, comma) is not None

    def words_before(self, pos: int, lo: int, n: int) -> list[str]:
        return [w.strip(_PUNCT) for w in self.low[max(lo, pos - 12 * n):pos].split()[-n:]]

    def next_word(self, pos: int) -> str:
        m = _NEXT_WORD.match(self.low, pos)
        return m.group(1) if m else ""

    # -- figures

    def figures_before(self, lo: int, hi: int, max_tokens: int) -> Iterator[re.Match[str]]:
        """The figures among the last max_tokens words of [lo, hi), nearest first, read lazily."""
        low = self.low
        parts = low[lo:hi].rsplit(None, max_tokens)
        if len(parts) > max_tokens:
            del parts[0]
        cores = [t.strip(_PUNCT) for t in parts]
        if _NUMBERISH.isdisjoint(cores) and not _DIGIT.search(low, lo, hi) and low.find("-", lo, hi) < 0:
            return  # no figure here: the common case, decided without a word-by-word walk
        starts: list[int] = []  # start offsets of the words, filled from the right as needed
        pos = hi
        n = len(parts)

        def start_of(k: int) -> int:
            nonlocal pos
            while len(starts) < n - k:
                idx = n - 1 - len(starts)
                pos = low.rfind(parts[idx], lo, pos)
                starts.append(pos + parts[idx].find(cores[idx]) if cores[idx] else pos)
            return starts[n - 1 - k]

        i = n - 1
        while i >= 0:
            core = cores[i]
            if not _numberish(core):
                i -= 1
                continue
            j = i  # widen left over number words: "one hundred and twelve", "between 10 and 15"
            while j > 0 and i - j < 4 and (_numberish(cores[j - 1]) or cores[j - 1] in _NUM_JOINERS):
                j -= 1
            token_end = start_of(i) + len(core)
            match = None
            for k in range(j, i + 1):
                m = _NUM_FIND.match(low, start_of(k), hi)
                if m and m.end() >= token_end:
                    match = m
                    break
            if match is None:
                i -= 1
                continue
            yield match
            while i >= 0 and start_of(i) >= match.start():
                i -= 1

    def value_of(self, m: re.Match[str]) -> int | None:
        s = m.group()
        if s == "another":
            return 1
        if self.low.endswith("from ", 0, m.start()):  # "from 8,350 to 4,500" is a change, not a range
            parts = re.split(r"\s?(?:-|–|\bto\b)\s?", s, maxsplit=1)
            if len(parts) == 2:
                a, b = parse_number(parts[0]), parse_number(parts[1])
                if a is not None and b is not None:
                    return max(a, b)
        return parse_number(s)

    def figure_ok(self, m: re.Match[str], limit: int) -> bool:
        """Not a date, a label, a year, an age or a count of things."""
        low = self.low
        prev = low[max(0, m.start() - 14):m.start()].split()
        if prev and (prev[-1] in _MONTHS or prev[-1].rstrip(".") in _LABELS or prev[-1] in ("no", "aged", "age")):
            return False
        if prev[-2:] in (["age", "of"], ["ages", "of"]):
            return False
        nxt = _FOLLOWING.match(low, m.end(), limit)
        if nxt:
            word = nxt.group(1)
            if word in _THINGS or word in _MONTHS or word.startswith(("year", "km", "%")):
                return False
        s = m.group()
        return not (s.isdigit() and len(s) == 4 and s[:2] in ("19", "20"))  # a bare 19xx/20xx is a year

    # -- casualties

    def read_casualty_word(self, word: str, ws: int, we: int) -> None:
        """Read the casualty figure a death or injury word at [ws, we) is part of, if any."""
        low = self.low
        s_lo, s_hi = self.sentence(ws)
        prev = self.words_before(ws, s_lo, 3)
        p1 = prev[-1] if prev else ""
        if word == "toll" or (word == "death" and self.next_word(we) == "toll"):
            if word == "toll" and p1 == "death":
                return  # read from "death"
            self._toll("killed", low.find("toll", ws) + 4, ws, s_hi)
            return
        if (
            word in ("killed", "dead", "deaths", "fatalities", "injured", "wounded")
            and low.find("number of", max(s_lo, ws - 30), ws) >= 0
            and _NUMBER_OF.search(low, max(s_lo, ws - 30), ws)
        ):
            self._toll("wounded" if word in ("injured", "wounded") else "killed", we, ws, s_hi)
            return
        if word in ("death", "deaths", "bodies") and self.next_word(we) == "of":
            self._object("killed", ws, low.find("of", we) + 2, s_hi)
            return
        if word == "death":
            if p1 == "to" and len(prev) > 1 and prev[-2] in _TO_DEATH:
                self._subject("killed", ws, we, s_lo, bare_words=3)
            return
        if word == "down":
            if p1 in ("gunned", "gunning") and not self._object("killed", ws, we, s_hi):
                self._subject("killed", ws, we, s_lo, bare_words=3)
            return
        if word == "lives":
            self._lives(ws, we, prev, s_lo, s_hi)
            return
        if word in ("wounds", "injuries", "injury"):
            m = _last(_TREATED, low, max(s_lo, ws - 100), ws) if low.find("treated", s_lo, ws) >= 0 else None
            obj = self.object_after(m.end(), s_hi) if m else None
            if m and obj and _TAIL_TREATED.fullmatch(low, obj[1], ws):
                self.add("wounded", obj[0], m.start(), obj[1])
            elif p1 in ("suffered", "sustained") or (len(prev) > 1 and prev[-2] in ("suffered", "sustained")):
                self.subject_before(ws, we, 10, "wounded", singular_ok=False)
            return
        name = "wounded" if word in _WOUND_VERBS or word == "hurt" else "killed"
        if word in ("dead", "wounded", "injured", "killed", "hurt") and self._left_dead(name, ws, we, s_lo, s_hi):
            return
        if word == "dead" and p1 in _SHOOT:
            if not self._object("killed", ws, we, s_hi):
                self._subject("killed", ws, we, s_lo, bare_words=3)
            return
        if (word in _KILL_VERBS or word in _WOUND_VERBS) and self._object(name, ws, we, s_hi):
            return
        if word in ("died", "dies", "perished"):
            self.subject_before(ws, we, 14, "killed", singular_ok=True)
        elif word in ("killed", "dead", "slain", "massacred", "wounded", "injured", "hurt", "deaths", "bodies",
                      "fatalities"):
            self._subject(name, ws, we, s_lo, bare_words=2 if word in ("deaths", "bodies", "fatalities") else 3)

    def _subject(self, name: str, ws: int, we: int, s_lo: int, bare_words: int) -> None:
        before = self.words_before(ws, s_lo, 3)
        aux = [w for w in before if w in _AUX]
        if aux or (before and before[-1] in _DEATH_STATES):
            self.subject_before(ws, we, 14, name, singular_ok=any(w in _SINGULAR_AUX for w in aux))
        else:
            self.subject_before(ws, we, bare_words, name, singular_ok=False)

    def _lives(self, ws: int, we: int, prev: list[str], s_lo: int, s_hi: int) -> None:
        low = self.low
        if len(prev) > 1 and prev[-1] in ("their", "his", "her") and prev[-2] == "lost":
            self.subject_before(low.rfind("lost", s_lo, ws), we, 14, "killed", singular_ok=True)
        elif len(prev) > 1 and prev[-1] == "the" and prev[-2].startswith("claim") and self.next_word(we) == "of":
            self._object("killed", ws, low.find("of", we) + 2, s_hi)
        else:
            m = _last(_CLAIM, low, max(s_lo, ws - 40), ws) if low.find("claim", s_lo, ws) >= 0 else None
            if m:
                self._object("killed", m.start(), m.end() - 1, s_hi, until=ws)

    def _left_dead(self, name: str, ws: int, we: int, s_lo: int, s_hi: int) -> bool:
        """"left two soldiers dead", "leaving 5 dead and 12 wounded"."""
        low = self.low
        lo = max(s_lo, ws - 120)
        m = _last(_LEFT_VERB, low, lo, ws) if low.find(" le", lo, ws) >= 0 else None
        if not m:
            return False
        return self._object(name, m.start(), m.end() - 1, s_hi, until=ws)

    def _object(self, name: str, cs: int, ce: int, s_hi: int, until: int | None = None) -> bool:
        obj = self.object_after(ce, s_hi)
        if not obj:
            return False
        parts, end = obj
        if until is not None and self.low[end:until].strip():
            return False  # the list must run up to the word that makes it a casualty count
        self.add(name, parts, cs, end)
        return True

    def subject_before(self, cue_start: int, cue_end: int, max_words: int, name: str, singular_ok: bool) -> None:
        """The counted subject of a verb: "Ten soldiers and 19 gunmen were killed", "A soldier was killed"."""
        low = self.low
        s_lo, _ = self.sentence(cue_start)
        semi = max(low.rfind(";", s_lo, cue_start), low.rfind(":", s_lo, cue_start))
        lo = max(s_lo, semi + 1, cue_start - 160)
        parts: list[_Part] = []
        for m in self.figures_before(lo, cue_start, max_words + 2):
            gap = low[m.end():cue_start]
            if len(gap.split()) > max_words or _GAP_STOP.search(gap):
                break
            head = low[max(lo, m.start() - 14):m.start()].rstrip()
            if head.endswith(_SUBSET_MARKERS):
                continue  # "including eleven children": part of a count, not another group
            if m.group() == "one" and head.endswith(("no", "none")):
                return
            value = self.value_of(m) if self.figure_ok(m, cue_start) else None
            if value is not None:
                parts.append((value, m.start(), m.end()))
            break
        if not parts:
            if singular_ok and self._singular_subject(lo, cue_start):
                self.add(name, [(1, cue_start, cue_end)], cue_start, cue_end)
            return
        # walk left along the list: "Ten soldiers and 19 gunmen", "a soldier and two civilians"
        while True:
            first = parts[-1][1]
            before = low[max(lo, first - 50):first]
            if ", " not in before and " and " not in before and " plus " not in before:
                break
            one = _ONE_BEFORE.search(before)
            if one:
                a = first - len(before) + one.start("a")
                parts.append((1, a, a + len(one.group("a"))))
                break
            m = next(self.figures_before(lo, first, 7), None)
            if m is None or not _LIST_GAP.fullmatch(low, m.end(), first) or not self.figure_ok(m, first):
                break
            if low[max(lo, m.start() - 14):m.start()].rstrip().endswith(_SUBSET_MARKERS):
                break
            value = self.value_of(m)
            if value is None:
                break
            parts.append((value, m.start(), m.end()))
        parts.reverse()
        self.add(name, parts, parts[0][1], cue_end)

    def _singular_subject(self, lo: int, cue_start: int) -> bool:
        """"A police officer was killed": a singular subject with no figure counts one."""
        stretch = self.low[lo:cue_start]
        c = max(stretch.rfind(","), stretch.rfind(" and "))
        words = (stretch if c < 0 else stretch[c + 1:]).split()
        if words and words[0] in ("and", "but"):
            words = words[1:]
        if not words or len(words) > 16:
            return False
        return words[0] in ("a", "an", "another") or (words[0] == "one" and len(words) > 1 and words[1] != "of")

    def object_after(self, pos: int, limit: int) -> tuple[list[_Part], int] | None:
        """The counted groups that follow a verb: "killing at least 15 officers and four civilians"."""
        low = self.low
        if pos < limit and low[pos] == " ":
            pos += 1
        parts: list[_Part] = []
        end = pos
        while pos < limit:
            m = _ITEM.match(low, pos, limit)
            if not m:
                break
            if m.group("num") is not None:
                fig = _NUM_FIND.match(low, m.start("num"), limit)
                value = self.value_of(fig) if fig is not None and self.figure_ok(fig, limit) else None
                if value is None:
                    break
                num_start, num_end = m.start("num"), m.end("num")
            else:
                key = "another" if m.group("another") is not None else "a"
                num_start, num_end, value = m.start(key), m.end(key), 1
            body = _ITEM_BODY.match(low, m.end(), limit)
            item_end = body.end() if body else m.end()
            nouns = low[m.end():item_end].split()
            if nouns and nouns[0] in _THINGS:
                break
            if parts and _REPORTING.match(low, item_end, limit):
                break  # "wounding ten, a relief group said": a new clause's subject, not a group
            if m.group("a") is not None and (not nouns or _NOT_PEOPLE.intersection(nouns)):
                break  # "a" alone is not a count, and "killing a deal" counts nobody
            parts.append((value, num_start, num_end))
            end = item_end
            sep = _ITEM_SEP.match(low, item_end, limit)
            if not sep:
                break
            pos = sep.end()
        return (parts, end) if parts else None

    def _toll(self, name: str, start: int, cs: int, s_hi: int) -> None:
        low = self.low
        m = _TOLL_VALUE.search(low, start, min(s_hi, start + 160))
        if not m or _TOLL_SKIP.search(low, start, m.start()):
            return
        fig = _NUM_FIND.match(low, m.start("num"), s_hi)
        if fig is None or not self.figure_ok(fig, s_hi) or low.endswith("from ", 0, fig.start()):
            return
        value = self.value_of(fig)
        if value is not None:
            self.add(name, [(value, fig.start(), fig.end())], cs, fig.end(), toll=True)

    def add(self, name: str, parts: list[_Part], start: int, end: int, toll: bool = False) -> None:
        fresh = [p for p in parts if p[1] not in self.used]
        if not fresh or self.background(fresh[0][1], end):
            return
        if not toll and name == "killed" and len(fresh) == 1:
            a, b = self.clause(fresh[0][1], end)
            stretch = self.low[a:b]
            toll = any(w in stretch for w in _TOTAL_HINTS) and _TOTAL_NEAR.search(stretch) is not None
        self.used.update(p[1] for p in fresh)
        value = sum(p[0] for p in fresh)
        self.mentions.append(_Mention(name, value, start, end, toll, start < self.title_end, tuple(fresh)))

    # -- troops

    def read_troop_word(self, word: str, ws: int, we: int) -> None:
        """Read the troop figure a force noun or deployment verb at [ws, we) is bound to, if any."""
        low = self.low
        s_lo, s_hi = self.sentence(ws)
        if word == "reinforced":
            m = _REINFORCED_BY.match(low, we, s_hi)
            if m:
                fig = _NUM_FIND.match(low, m.start("num"), s_hi)
                if fig:
                    self._troop_figure(fig, ws, fig.end(), s_hi)
            return
        if word in _DEPLOY_VERBS:
            m = _ITEM.match(low, we + 1, s_hi)  # "mobilised 300,000 men", "deploy an additional 3,000 to Europe"
            if m and m.group("num") is not None:
                fig = _NUM_FIND.match(low, m.start("num"), s_hi)
                nxt = self.next_word(fig.end()) if fig and low.startswith(" ", fig.end()) else ""
                if fig and (nxt in _AFTER_FIGURE_OK or nxt in ("men", "more", "extra", "additional") or not nxt):
                    self._troop_figure(fig, fig.start(), fig.end(), s_hi)
            return

        if word in _AFTER_NOUNS:
            self._figure_after_noun(we, s_hi)
        if word in _MEMBER_NOUNS:
            lo = max(s_lo, ws - 80)
            m = _MEMBERS_BEFORE.search(low, lo, ws) if low.find("members of", lo, ws) >= 0 else None
            if m:
                self._figure_before(m.start(), we, s_lo, s_hi)
        if word in _STRONG_NOUNS:
            lo = max(s_lo, ws - 40)
            m = _STRONG_BEFORE.search(low, lo, ws) if _has_any(low, lo, ws, ("strong", "member", "man ")) else None
            if m:
                fig = next(self.figures_before(max(s_lo, m.start() - 20), m.start(), 2), None)
                if fig and fig.end() == m.start():
                    self._troop_figure(fig, fig.start(), we, s_hi, strong=True)
        if word in _TROOP_NOUNS:
            self._figure_before(ws, we, s_lo, s_hi)

    def _figure_before(self, ws: int, we: int, s_lo: int, s_hi: int) -> None:
        fig = next(self.figures_before(max(s_lo, ws - 60), ws, 4), None)
        if fig is None:
            return
        gap = self.low[fig.end():ws]
        words = gap.split()
        if words[:1] == ["of"] and words[1:2] and words[1] in ("its", "their", "the", "his", "her", "our"):
            words = words[2:]  # "8,350 of its troops"
        elif words[:1] == ["of"] and fig.group().startswith(_VAGUE_STARTS):
            words = words[1:]  # "hundreds of soldiers"
        if len(words) > 3 or any(ch in gap for ch in ",;:()") or any(w in _THINGS or w in _NOT_IN_GAP for w in words):
            return
        if "and" in words and not all(w == "and" or self.text[fig.end():ws].split()[k][:1].isupper()
                                      for k, w in enumerate(words)):
            return  # "5,000 Russian and Belarusian troops", but not "40 tanks and troops"
        self._troop_figure(fig, fig.start(), we, s_hi)

    def _figure_after_noun(self, we: int, s_hi: int) -> None:
        """"raising the number of troops in Poland to 10,000", "a force of 5,000"."""
        low = self.low
        m = _AFTER_NOUN.match(low, we, min(s_hi, we + 90))
        if not m:
            return
        fig = _NUM_FIND.match(low, m.start("num"), s_hi)
        if fig is None:
            return
        nxt = self.next_word(fig.end()) if low.startswith(" ", fig.end()) else ""
        if nxt and nxt not in _AFTER_FIGURE_OK:
            return
        pos = low.rfind("from ", max(0, fig.start() - 60), fig.start())
        if pos >= 0 and (ft := _FROM_TO.match(low, pos, s_hi)) is not None and ft.end() >= fig.end():
            return  # the end of "from X to Y", read with its start (read_sentence_figures)
        self._troop_figure(fig, fig.start(), fig.end(), s_hi)

    def _troop_figure(self, fig: re.Match[str], start: int, end: int, s_hi: int, strong: bool = False) -> None:
        low = self.low
        s = fig.group()
        if s == "another" or fig.start() in self.used:
            return
        if not strong and not self.figure_ok(fig, s_hi):
            return
        value = self.value_of(fig)
        if value is None or value < 10:
            return
        if s.startswith(_VAGUE_STARTS) and value != 100:
            return  # only "hundreds" (also "several/a few hundred") reads as a figure, 100: see _VAGUE_TROOPS
        if _TROOP_CASUALTY_AFTER.match(low, end, s_hi):
            return
        if _TROOP_CASUALTY_BEFORE.search(low, max(0, fig.start() - 40), fig.start()):
            return
        if _EXISTING_BEFORE.search(low, max(0, fig.start() - 50), fig.start()) or _EXISTING_AFTER.match(low, end, s_hi):
            return
        if self.background(fig.start(), end, dated=False):
            return
        if self.dated(fig.start(), end):
            self.past_troops.append((value, start, end))  # "deployed in December 2023 with about 1,300"
            return
        self.troops.append((value, start, end))

    def read_sentence_figures(self, lo: int, hi: int) -> None:
        """Figures a troop sentence states as a change or a total: "cut from 8,350 to 4,500" (the larger
        figure, and the direction), "bringing the total to 10,000"."""
        low = self.low
        if low.find("ing the", lo, hi) >= 0:
            for m in _TOTAL_TO.finditer(low, lo, hi):
                fig = _NUM_FIND.match(low, m.start("num"), hi)
                if fig:
                    self._troop_figure(fig, m.start(), fig.end(), hi)
        if low.find("total of", lo, hi) >= 0:
            for m in _TOTAL_OF.finditer(low, lo, hi):
                fig = _NUM_FIND.match(low, m.start("num"), hi)
                nxt = self.next_word(fig.end()) if fig and low.startswith(" ", fig.end()) else ""
                if fig and (nxt in _TOTAL_OF_NEXT or nxt in _AFTER_FIGURE_OK):
                    self._troop_figure(fig, m.start(), fig.end(), hi)
        if low.find("from a ", lo, hi) >= 0:
            for m in _FROM_PEAK.finditer(low, lo, hi):
                fig = _NUM_FIND.match(low, m.start("num"), hi)
                if fig and not self.background(m.start(), fig.end()):
                    self.hints.append("decrease")
                    self._troop_figure(fig, m.start(), fig.end(), hi)
        pos = low.find("from ", lo, hi)
        while pos >= 0:
            m = _FROM_TO.match(low, pos, hi)
            if m:
                a, b = parse_number(m.group("a")), parse_number(m.group("b"))
                if a is not None and b is not None and a != b and not self.background(pos, m.end()):
                    self.hints.append("increase" if b > a else "decrease")
                    big = m.group("a") if a > b else m.group("b")
                    if max(a, b) >= 10 and (max(a, b) == 100 or not big.startswith(_VAGUE_STARTS)):
                        self.troops.append((max(a, b), m.start("a"), m.end()))
            pos = low.find("from ", pos + 5, hi)

    # -- direction

    def direction(self, sentences: list[tuple[int, int]]) -> str | None:
        """"increase", "decrease" or None, weighing the change words of the sentences about forces."""
        scores = {"increase": 0.0, "decrease": 0.0, "held": 0.0}
        for lo, hi in sentences:
            self.read_change(lo, hi, scores)
        for hint in self.hints:
            scores[hint] += 2.0
        change = None
        if scores["decrease"] > 0 and scores["decrease"] >= scores["increase"]:
            change = "decrease"
        elif scores["increase"] > 0 or scores["held"] > 0:
            change = "increase"  # a pullback only demanded or denied: the forces are there
        if change and self._any_in(sentences, _UNCHANGED, ("chang", "same", "like")) and self._any_in(
            sentences, _ROTATION, ("rotat", "hand", "swap")
        ):
            change = None  # a like-for-like rotation
        return change

    def _any_in(self, sentences: list[tuple[int, int]], pattern: re.Pattern[str], hints: tuple[str, ...]) -> bool:
        return any(_has_any(self.low, lo, hi, hints) and pattern.search(self.low, lo, hi) for lo, hi in sentences)

    def read_change(self, lo: int, hi: int, scores: dict[str, float]) -> None:
        low = self.low
        weight = 2.0 if lo < self.title_end else 1.0  # the title says what the story is about
        for cue in _CHANGE.finditer(low, lo, hi):
            word = cue.group()
            name = "decrease" if _DECREASE.fullmatch(word) else "increase"
            before = low[max(lo, cue.start() - 60):cue.start()]
            if not self.forces_move(cue.start(), cue.end(), lo, hi, before):
                continue
            if _NEGATED.search(before):
                if name == "decrease":
                    scores["held"] += 1.0  # "urged Serbia to withdraw": the forces are there
                continue
            if _is_background(low, *self.clause(cue.start(), cue.end())):
                continue  # "in 2022 some 14,000 soldiers were stationed there"
            w = weight
            if _PLUPERFECT.search(before) and not _REPORTED_HAD.search(before):
                w *= 0.5  # "had been deployed": an earlier step
            if word.endswith(("ment", "ments", "up", "ups")):
                w *= 0.5  # a noun ("deployment", "build-up") says less than a verb
            if ("while" in before or "though" in before or "whereas" in before or "even as" in before) and (
                _SUBORDINATE.search(before)
            ):
                w *= 0.5  # "moved reserve brigades ... while withdrawing some units": the main clause wins
            scores[name] += w

    def forces_move(self, cs: int, ce: int, lo: int, hi: int, before: str) -> bool:
        """Is the change at [cs, ce) one of forces? Its object ("sent 3,000 soldiers") or else its nearest
        subject ("the army withdrew") must be a force, not gunmen, police or a death toll; a change that only
        describes a force ("the soldiers it massed") or answers an incident ("before the army arrived") is none."""
        low = self.low
        word = low[cs:ce]
        if word.endswith("ing") and before.endswith((" a ", " an ")):
            return False  # "a gathering": a noun
        if ("before" in before or "until" in before or "the time" in before) and _RESPONSE.search(before):
            return False
        if word.endswith("ed") or " " not in word:
            m = _DESCRIBED.search(before, max(0, len(before) - 45))
            if m is None and word.endswith("ed") and " of " in before:
                m = _DESCRIBED_OF.search(before)
            if m is not None and m.group(1) in _FORCE_WORDS:
                return False
        # words that name a military move by themselves ("ordered a general mobilisation", "reinforced its
        # positions") count unless their subject or object says otherwise ("police deployed")
        military = word.startswith(_SELF_MILITARY)
        if " " in word and not _FORCE_WORDS.isdisjoint(word.split()):
            return True  # "pulls troops from", "sent the soldiers back"
        if not word.startswith("leav"):  # only forces leave: "Leave was cancelled for all army personnel"
            seg = low[ce:min(hi, ce + 90)]
            for sep in (", ", "; ", ": "):  # the object ends with its clause (not at the comma of "8,350")
                cut = seg.find(sep)
                if cut >= 0:
                    seg = seg[:cut]
            words = seg.translate(_PUNCT_TO_SPACE).split()[:8]
            for i, core in enumerate(words):
                if core in _FORCE_WORDS:
                    return True
                if core in _NOT_FORCE_WORDS:
                    return False  # "deployed extra staff", "raising the toll"
                if core in _OBJECT_STOP and not (core == "at" and words[i + 1:i + 2] == ["least"]):
                    break
        subjects = low[max(lo, cs - 160):cs].translate(_PUNCT_TO_SPACE).split()[-24:]
        if _ACTOR_WORDS.isdisjoint(subjects):
            return military
        for core in reversed(subjects):
            if core in _FORCE_WORDS:
                return True
            if core in _NOT_FORCE_WORDS:
                return False
        return military


def _lower(text: str) -> str:
    """The text lower-cased with every offset kept: ASCII letters only (str.lower turns a few characters
    into two), which is also several times faster than str.lower on text with any non-ASCII in it and,
    on ASCII text, cheaper than a single regex scan."""
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def _is_background(low: str, a: int, b: int, dated: bool = True) -> bool:
    stretch = low[a:b]
    words = stretch.replace(",", " ").replace(".", " ").split()
    has_year = _YEAR.search(stretch) is not None
    if _BACKGROUND_WORDS.isdisjoint(words) and not has_year:
        return False  # the common case, decided without the long alternation
    return _BACKGROUND.search(stretch) is not None or (dated and has_year and _DATED.search(stretch) is not None)


def _has_any(text: str, lo: int, hi: int, needles: tuple[str, ...]) -> bool:
    return any(text.find(n, lo, hi) >= 0 for n in needles)


def _numberish(core: str) -> bool:
    return core in _NUMBERISH or core[:1].isdigit() or ("-" in core and core.split("-", 1)[0] in _NUMBERISH)


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    m = None
    for m in pattern.finditer(text, lo, hi):  # noqa: B007 - the last one is wanted
        pass
    return m


_CASUALTY_WORDS = frozenset(
    """kill kills killed killing dead death deaths died dies slain perished massacre massacres massacred massacring
    lives bodies toll wounded wounding wound wounds injured injuring injures injuries injury hurt down
    fatalities""".split()
)


def _total(mentions: list[_Mention], name: str) -> tuple[int | None, list[_Mention]]:
    """The incident's total from a fact's mentions: the highest toll, else the title's or the body's sum."""
    mine = [m for m in mentions if m.name == name]
    if not mine:
        return None, []
    tolls = [m for m in mine if m.toll]
    if tolls:
        best = max(tolls, key=lambda m: m.value)
        return best.value, [best]
    counted: list[_Mention] = []
    running = 0
    seen: set[int] = set()
    for m in mine:
        if m.in_title:
            continue
        if m.value in seen or (counted and m.value == running):
            continue  # a restatement of a figure or of the running total
        seen.add(m.value)
        counted.append(m)
        running += m.value
    title = [m for m in mine if m.in_title]
    best_title = max(title, key=lambda m: m.value) if title else None
    if best_title and best_title.value > running:
        return best_title.value, [best_title]
    return running, counted


def _hits(low: str) -> list[tuple[int, int]]:
    """Start and end of every word holding a fact stem, in order, each word once."""
    starts: set[int] = set()
    words: list[tuple[int, int]] = []
    n = len(low)
    for pattern in _STEMS:
        for m in pattern.finditer(low):
            ws, we = m.start(), m.end()
            while ws and low[ws - 1].isalpha():
                ws -= 1
            if ws in starts:
                continue
            starts.add(ws)
            while we < n and low[we].isalpha():
                we += 1
            words.append((ws, we))
    words.sort()
    return words


def extract_facts(text: str) -> Facts:
    """Casualty and troop facts from an article's text (title + "\\n" + body)."""
    if not text:
        return Facts()
    nl = text.find("\n")
    title_end = nl if nl >= 0 else len(text)
    # Lower-casing first (one C-speed pass, cheaper than any of the scans) lets "Troops", "Killed" or
    # "Marines" at a sentence start count like the same word in the middle of one.
    low = _lower(text)
    if not any(p.search(low, title_end) for p in _QUICK) and not _TITLE_STEMS.search(low, 0, title_end):
        return Facts()  # no death, injury or troop vocabulary: nothing to read
    reader = _Reader(text, low)
    low = reader.low
    if _NOT_CURRENT.search(low, 0, reader.title_end):
        return Facts()
    hits = [(low[ws:we], ws, we) for ws, we in _hits(low)]
    for word, ws, we in hits:  # casualties first: their figures are not troop counts
        if word in _CASUALTY_WORDS:
            reader.read_casualty_word(word, ws, we)
    victims = sorted((m.start, m.end) for m in reader.mentions)
    victim_starts = [a for a, _ in victims]
    sentences: dict[tuple[int, int], None] = {}  # the sentences about forces, in order
    for word, ws, we in hits:
        military = word in _CTX_WORDS or word.startswith(_CTX_PREFIXES)
        if not military and not word.startswith(_TROOP_VERB_PREFIXES):
            continue
        i = bisect_right(victim_starts, ws) - 1
        if i >= 0 and ws < victims[i][1]:
            continue  # "Seventeen soldiers were killed": a casualty, not a force on the move
        reader.read_troop_word(word, ws, we)
        sentence = reader.sentence(ws)
        if sentence not in sentences and (military or not _CIVILIAN_STAFF.search(low, *sentence)):
            sentences[sentence] = None
    for lo, hi in sentences:
        reader.read_sentence_figures(lo, hi)

    killed, killed_from = _total(reader.mentions, "killed")
    wounded, wounded_from = _total(reader.mentions, "wounded")
    spans = [FactSpan(m.name, v, s, e) for m in killed_from + wounded_from for v, s, e in m.parts]
    change = reader.direction(list(sentences))
    troops = None
    found = reader.troops or (reader.past_troops if change == "decrease" else [])
    if found:
        best = max(found, key=lambda f: f[0])
        troops = best[0]
        spans.append(FactSpan("troops", *best))
    return Facts(killed, wounded, troops, change, tuple(spans))
