"""Reading a report as a follow-up of an incident: what its words say about the incident's time and figures.

Clustering (`bot.events.follow_ups`, `bot.events.figures`) asks these when a report shares too few words with an
open incident, or comes after the rule's window: a follow-up looks back at the incident ("Monday's bombing", "last
week's attack"), its headline often gives no casualties of its own ("How did a bomber get inside ...", "Survivors
say guards fled"), and a lower toll in it may be one side's share of the dead ("41 of its citizens"), not a
correction nor another incident. A wire's dateline ("KINSHASA (Meridian Wire) -") is where the outlet files from,
not where it happened. Pure functions of the text, so each can be told and tested alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety").split()
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

# the report speaks of the incident as past: "Monday's bombing", "last week's attack", "a week after",
# "two days ago", "since the massacre"
_LOOKS_BACK = re.compile(
    rf"\b(?:(?:{_DAYS})'s|(?:last|past|previous)\s+(?:week|weekend|month)'s|last\s+(?:week|weekend|month|{_DAYS})|"
    r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|several|few|\d+)\s+(?:days?|weeks?)\s+"
    r"(?:after|ago|since|earlier)|earlier\s+this\s+(?:week|month)|since\s+the\s+(?:attack|bombing|massacre|"
    r"ambush|raid|strike|siege|clash\w*|fighting|shelling))\b",
    re.IGNORECASE)

# a headline that tells casualties itself ("kills 12", "21 dead", "toll rises to 60", "died")
_CASUALTIES = re.compile(r"\b(?:kill\w*|dead|died|dies|deaths?|toll\w*|bodies|massacr\w*|slain|slaughter\w*)\b",
                         re.IGNORECASE)

# the dead of one side: "41 of its citizens", "59 Kyrgyz citizens", "12 of their own soldiers"
_SIDE_NOUNS = (r"(?:citizens|nationals|soldiers|troops|servicemen|service\s+members|border\s+guards|guards|policemen|"
               r"police\s+officers|officers|civilians|fighters|militiamen|members|men)")


# a headline giving a higher toll for what it calls the same attack: "Toll from attack on camp rises to 60"
_RISING_TOLL = re.compile(r"\b(?:toll|count|dead)\b.*\b(?:rises?|rising|climbs?|reach\w*|jumps?|passes)\b|"
                          r"\b(?:rises?|climbs?|jumps?)\s+to\s+\d|\btoll\s+(?:is\s+)?now\s+\d", re.IGNORECASE)


def tells_rising_toll(title: str) -> bool:
    """Does the headline say a toll rose ("Toll from attack on Congo displacement camp rises to 60")? A rising
    toll is a follow-up's headline, though it tells dead."""
    return _RISING_TOLL.search(title) is not None


# a siege, a hostage-taking or an operation told as over: "Army ends train siege", "Siege of hotel over"
_ENDED = re.compile(r"\b(?:ends?|ended|ending)\s+(?:[\w'’-]+\s+){0,2}(?:siege|standoff|stand-off|hostage[\w-]*|"
                    r"hijack\w*|occupation)\b|\b(?:siege|standoff|stand-off|hostage\s+crisis|hijacking)\s+"
                    r"(?:is\s+|was\s+)?(?:over|ends?|ended)\b", re.IGNORECASE)


def tells_end(title: str) -> bool:
    """Does the headline tell that a siege, a hostage-taking or a hijacking ended ("Army ends train siege, says all 33
    attackers killed")? Its end is the last chapter of an incident already told, however many dead it gives."""
    return _ENDED.search(title) is not None


# what is done in answer to an attack already told: "Army sends a battalion to Mukondi after second raid", "Somalia
# vows to press offensive after deadly truck bombing", "army vows to pursue attackers"
_RESPONSE = re.compile(r"\bafter\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,2}(?:attacks?|raids?|bombings?|ambush\w*|"
                       r"massacres?|killings?|blasts?|clash\w*|skirmish\w*|fighting|shelling)\b|\bvows?\s+to\s+(?:pursue|hunt|press|avenge)\b",
                       re.IGNORECASE)


def tells_response(title: str) -> bool:
    """Does the headline tell what is done in answer to an attack already told ("Chad sends reinforcements to Lac
    province after deadly raid")? Troops sent after a raid are the raid's aftermath, not a build-up of their own.
    A headline whose dead come before its "after" tells the attack, not an answer to it."""
    found = _RESPONSE.search(title)
    if found is None:
        return False
    return not headline_tells_casualties(title[:found.start()])   # "Seven villagers dead after raid on market"


# the dead are buried, mourned or honoured: a report of what followed an incident, never a new one
_BURIAL = re.compile(r"\b(?:bur(?:y|ies|ied|ial)|funerals?|mourn\w*|laid\s+to\s+rest|wreaths?|last\s+rites|"
                     r"coffins?|honou?rs\s+(?:its|their|the)\s+(?:dead|fallen))\b", re.IGNORECASE)


# a funeral as where an attack struck: "Suicide bomber kills 8 at funeral in Quetta", "gunmen open fire on mourners",
# "funeral procession attacked"; the deed comes first in the clause, or the funeral is its object
_STRUCK_DEED = (r"\b(?:kill\w*|bomb\w*|blasts?|explo\w*|attack\w*|shoot\w*|shot|gunfire|fire[sd]?|raid\w*|"
                r"strikes?|struck|hits?|storm\w*|ambush\w*)\b")
_DEED_BEFORE = re.compile(rf"{_STRUCK_DEED}[^.;:|]*?\b(?:at|on|during|into|targeting|near|outside)\s+"
                          r"(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,2}?$", re.IGNORECASE)
_DEED_AFTER = re.compile(r"\s+(?:[\w'’-]+\s+)?(?:attacked|bombed|hit|targeted|struck|shelled|stormed)\b", re.IGNORECASE)
_GATHERINGS = frozenset({"funeral", "funerals", "burial", "mourners", "mourner"})
# burying as a collapse does it: "buries families under rubble", "buried alive"
_UNDER_RUBBLE = re.compile(r"(?:\s+[\w'’-]+){0,3}?\s+(?:under|beneath|in)\s+(?:the\s+)?"
                           r"(?:rubble|debris|ruins|mud|snow)|\s+alive\b", re.IGNORECASE)


def tells_burial(title: str) -> bool:
    """Does the headline tell a funeral, a burial or a wreath-laying ("Wreaths laid for Naik ...", "Thousands
    attend funeral of police sergeant killed in the north")? The dead it names died in an incident already told. A
    funeral an attack struck ("Suicide bomber kills 8 at funeral in Quetta") is a new attack, and a strike that buries
    people under rubble tells no funeral."""
    for found in _BURIAL.finditer(title):
        before, after = title[:found.start()], title[found.end():]
        gathering = found.group().lower() in _GATHERINGS
        if gathering and (_DEED_BEFORE.search(before) or _DEED_AFTER.match(after)):
            continue
        if found.group().lower().startswith("bur") and _UNDER_RUBBLE.match(after):
            continue
        return True
    return False


# a statement about an attack already told: "UN rights chief condemns bombing of school gathering", "Moscow vows
# response after drone attack", "families demand inquiry into massacre"
_REACTION = re.compile(r"\b(?:condemn\w*|denounc\w*|deplor\w*|horrified|outraged|vows?\s+(?:a\s+)?(?:response|revenge|"
                       r"retaliation)|(?:calls?|demands?|urges?)\s+(?:for\s+)?(?:an?\s+)?(?:independent\s+)?"
                       r"(?:inquiry|investigation|probe))\b(?:\s+[\w'’-]+){0,4}?\s+(?:attacks?|bombings?|strikes?|"
                       r"massacres?|killings?|ambush\w*|raids?|shelling|blasts?)\b", re.IGNORECASE)


def tells_reaction(title: str) -> bool:
    """Does the headline tell a statement about an attack ("UN rights chief condemns bombing of school gathering in
    Myanmar", "Moscow vows response after drone attack on Grayvoron bus")? It speaks of an attack already told, days
    later as often as hours, and is no new one."""
    return _REACTION.search(title) is not None


def looks_back(text: str) -> bool:
    """Does the report speak of an incident as past ("where Monday's bombing killed 100", "last week's attack")?"""
    return _LOOKS_BACK.search(text) is not None


def headline_tells_casualties(title: str) -> bool:
    """Does the headline report dead itself? A follow-up days late often does not ("How did a bomber get inside
    ...", "Survivors of camp attack say guards fled"); a new attack nearly always does ("Attack kills 12")."""
    return _CASUALTIES.search(title) is not None


def _written(count: int) -> list[str]:
    """How a count may be written: "41", "1,200", "forty-one" is left out (a toll in words is nearly always small)."""
    forms = [str(count), f"{count:,}"]
    if 1 <= count <= len(_NUMBER_WORDS) and count <= 20:
        forms.append(_NUMBER_WORDS[count - 1])
    return list(dict.fromkeys(forms))


def one_sides_toll(title: str, text: str, count: int, peoples: Iterable[str]) -> bool:
    """Is the report's toll the dead of one side ("41 of its citizens", "59 Kyrgyz citizens", "12 of their own
    soldiers", "nine of its fighters")? Then a figure lower than the incident's is that side's share, not a
    correction, and not another incident. `peoples` are the words naming the incident's countries and their people
    ("Tajik", "Kyrgyz"); with none, only a count "of its" (or "their") own dead is a side's."""
    words = "|".join(re.escape(p) for p in sorted(set(peoples), key=len, reverse=True) if p)
    side = r"(?:of\s+(?:its|their)\s+(?:own\s+)?" + (rf"|(?:{words})\s+" if words else "") + ")"
    for form in _written(count):
        pattern = rf"(?<![\w,]){re.escape(form)}(?![\w,])\s+{side}{_SIDE_NOUNS}\b"
        if re.search(pattern, f"{title}. {text}", re.IGNORECASE):
            return True
    return False


# "KINSHASA (Meridian Wire) - " or "BENI, Congo (Global Wire) -": the place the outlet files from
_DATELINE = re.compile(r"^\s*([A-Z][A-Z .,'-]{1,40}?)\s*\([^)]{1,40}\)\s*[-–—:]\s*")


def dateline_only(text: str, title: str, places: Iterable[str], names_of: dict[str, tuple[str, ...]]) -> set[str]:
    """The places a report names only in its dateline: a capital a wire files from is not where it happened.
    `names_of` gives every way a place may be written ("Kinshasa", "Sagaing"); a place without names is
    matched by its own name."""
    found = _DATELINE.match(text)
    if found is None:
        return set()
    dateline = _plain(found.group(1))
    rest = _plain(f"{title} {text[found.end():]}")
    only: set[str] = set()
    for place in places:
        names = [_plain(n) for n in names_of.get(place, ()) or (place,)]
        if any(_named(n, dateline) for n in names) and not any(_named(n, rest) for n in names):
            only.add(place)
    return only


def _plain(text: str) -> str:
    """Lower case without accents: a dateline is written in capitals without them ("BOGOTA" for Bogotá)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _named(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


# a death word: the figure next to it is a toll ("rebels who killed 29 villagers", "29 people died")
_DEATH_WORD = r"(?:kill\w*|dead|died|deaths?|bodies|slain|massacr\w*|toll)"


def repeats_toll(text: str, count: int) -> bool:
    """Does the text give this toll with a death word within a few words of it, before or after ("the rebels who
    killed 29 villagers", "the 29 people who died")? A report of what followed an incident recalls its toll, while
    the figure the engine reads for it may add the dead of what followed (four attackers killed in the chase)."""
    for form in _written(count):
        number = rf"(?<![\w,.]){re.escape(form)}(?![\w,]|\.\d)"
        near = rf"{_DEATH_WORD}\W+(?:\w+\W+){{0,2}}{number}|{number}\W+(?:\w+\W+){{0,3}}{_DEATH_WORD}\b"
        if re.search(near, text, re.IGNORECASE):
            return True
    return False


# "35 children among Wad al-Noura dead", "two brothers were among the 41 killed", "women among the victims", "eight of
# the soldiers killed"
_AMONG_DEAD = (r"(?:\s+(?:[\w'’-]+\s+){0,3}(?:were\s+|are\s+)?among\s+(?:[\w'’-]+\s+){0,3}"
               r"(?:dead|killed|victims|slain)|"
               r"\s+of\s+(?:the|those)\s+(?:[\w'’-]+\s+){0,2}(?:dead|killed|victims|slain|who\s+died))\b")


def share_of_dead(title: str, text: str, count: int) -> bool:
    """Is the report's toll a share of an incident's dead ("UN says 35 children among the village's dead", "12
    police officers were among those killed", "funerals for eight of the soldiers killed on Wednesday")? Then a figure
    lower than the incident's is part of its toll, not a correction and not another incident."""
    for form in _written(count):
        pattern = rf"(?<![\w,.]){re.escape(form)}(?![\w,]|\.\d){_AMONG_DEAD}"
        if re.search(pattern, f"{title}. {text}", re.IGNORECASE):
            return True
    return False


# attackers the army says it killed: "Burkina army says it killed 20 attackers", "killed about 20 fighters"
_ATTACKER_NOUNS = (r"(?:attackers|assailants|fighters|militants|militiamen|insurgents|jihadists|gunmen|terrorists|"
                   r"rebels|raiders|bandits)")


# a report saying it has no toll to give: "gives no toll", "did not say how many people died", "without giving a toll";
# "how many" asks for a count of the dead only with a death word after it ("how many attackers took part" is no toll),
# and not for the attackers' ("how many of the gunmen were killed")
_HOW_MANY_DEAD = (rf"how\s+many\s+(?:(?!{_ATTACKER_NOUNS}\b)[\w'’-]+\s+){{0,3}}?"
                  r"(?:died|dead|deaths|victims|casualties|fatalities|(?:were|had\s+been|have\s+been|was|got)\s+killed|lost\s+their\s+lives)")
_NO_TOLL = re.compile(r"\b(?:gives?|gave|giving|with)\s+no\s+(?:death\s+)?(?:toll|figures?|casualty\s+figures?)\b|"
                      r"\b(?:did\s+not|didn't|does\s+not|would\s+not|declined\s+to)\s+(?:say|give|specify|disclose)\s+"
                      rf"(?:{_HOW_MANY_DEAD}|a\s+(?:death\s+)?toll|the\s+(?:death\s+)?toll|any\s+(?:death\s+)?toll|"
                      r"casualty\s+figures?)|\bwithout\s+giving\s+(?:a|any)\s+(?:death\s+)?(?:toll|figure)",
                      re.IGNORECASE)


def gives_no_toll(title: str, text: str) -> bool:
    """Does the report say it gives no toll ("Ouagadougou confirms 'terrorist' attack in Yatenga, gives no toll", "It
    did not say how many people died")? A figure read from it is then no count of the dead: a government confirming an
    attack is not a lower toll of it."""
    return _NO_TOLL.search(f"{title}. {text}") is not None


def attackers_killed(title: str, text: str, count: int) -> bool:
    """Is the report's toll the attackers' dead ("Burkina army says it killed 20 attackers after Yatenga massacre",
    "killed about 20 fighters in air and ground operations")? The army's count of the men it killed in answer to an
    attack is the other side's dead, neither a correction of the attack's toll nor another incident."""
    for form in _written(count):
        pattern = rf"(?<![\w,.]){re.escape(form)}(?![\w,]|\.\d)\s+(?:[\w'’-]+\s+)?{_ATTACKER_NOUNS}\b"
        if re.search(pattern, f"{title}. {text}", re.IGNORECASE):
            return True
    return False


_WEEKDAY = re.compile(rf"\b({_DAYS})(?:'s|’s)?\b", re.IGNORECASE)
_WEEKDAYS = _DAYS.split("|")


@lru_cache(maxsize=64)
def weekdays_named(text: str) -> frozenset[int]:
    """The days of the week a report names (Monday is 0, as `datetime.weekday` counts): a report a day or more after
    an incident dates what it tells by its weekday ("in Thursday's attacks", "in an ambush on Monday"). Asked once
    per open incident a report is weighed against, so kept for the reports at hand."""
    return frozenset(_WEEKDAYS.index(found.group(1).lower()) for found in _WEEKDAY.finditer(text))


_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = "|".join(_MONTHS)
_CALENDAR_DATE = re.compile(rf"\b(?:(\d{{1,2}})\s+({_MONTH})|({_MONTH})\s+(\d{{1,2}}))\b", re.IGNORECASE)


@lru_cache(maxsize=64)
def dates_named(text: str) -> frozenset[tuple[int, int]]:
    """The calendar days a report names, as (month, day): "killed on 11 April", "on March 16", "the night of 8 to 9
    March" (9 March). A date names one day, where a weekday names one day of the week."""
    found: set[tuple[int, int]] = set()
    for date in _CALENDAR_DATE.finditer(text):
        day, month = (date.group(1), date.group(2)) if date.group(1) else (date.group(4), date.group(3))
        if 1 <= int(day) <= 31:
            found.add((_MONTHS.index(month.lower()) + 1, int(day)))
    return frozenset(found)
