"""What tells one incident from another in a report's words: its proper names, its other content words and
its headline's, and how much of a report an event already holds (`similarity`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.models import Article, Event

NAME_WEIGHT = 3          # a shared proper name says far more than a shared common word
MIN_SHARED = 3           # at least one shared name, or three shared words
TITLE_BONUS = 0.15       # a headline naming the incident's place or people
OTHER_NAMES_FACTOR = 0.4 # a headline naming only places or people the event never mentioned
MAX_TERMS = 300          # names and words kept per event (the most recent reports win)
WORD = re.compile(r"[^\W\d_][\w'’-]*")
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
NOT_NAMES = frozenset("""
minister ministry president prime government army police forces force military defence defense interior
general governor spokesman commander officials office council parliament agency wire news press reuters
north south east west northern southern eastern western central national republic state united
one two three four five six seven eight nine ten eleven twelve dozen dozens hundreds thousands
international committee red cross crescent nations human rights watch amnesty doctors borders frontieres
""".split())
# "BELGRADE (Balkan Wire) - " or "(Global Wire) - ": the outlet, not the story
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z .,'-]{1,40}\s*)?\([^)]{1,40}\)\s*[-–—:]\s*")


def fold(word: str) -> str:
    """Lower case without accents, one apostrophe: "Zvečan" and "Zvecan" are one name."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def stem_of(word: str) -> str:
    """A folded word without its plural or possessive ending: "clashes" and "clash" count as one word."""
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
    skip = {fold(part) for part in re.split(r"[\s-]+", country) if part}
    text = _DATELINE.sub("", article.text[:3000], count=1)
    names: set[str] = set()
    for found in WORD.finditer(text):
        word = found.group()
        if not word[0].isupper() or len(word) < 3:
            continue
        before = text[max(0, found.start() - 3):found.start()]
        if found.start() == 0 or _SENTENCE_END.search(before) or "\n" in before:
            continue  # capitalised because it opens a sentence
        stem = stem_of(fold(word))
        if stem not in _STOPWORDS and stem not in skip and stem not in NOT_NAMES:
            names.add(stem)
    words: set[str] = set()
    title: set[str] = set()
    for found in WORD.finditer(article.title + " \n " + text):
        stem = stem_of(fold(found.group()))
        if len(stem) < 4 or stem in _STOPWORDS or stem in skip:
            continue
        if found.start() < len(article.title):
            title.add(stem)
        if stem not in names:
            words.add(stem)
    title.update(_joined_names(article.title))
    return Terms(frozenset(names), frozenset(words), frozenset(title))


_TWO_NAMES = re.compile(r"\b([A-Z][a-z]{1,5})\s+([A-Z][a-z]{2,})\b")


def _joined_names(title: str) -> set[str]:
    """Two capitalised words of a headline written together, the first short ("Dan Sadau" is "Dansadau", "Bir
    Hakeim" "Birhakeim"): one place spelt as one word or two, as transliterations do. Kept with the headline's
    words, so a headline naming the place either way names the incident that wrote it as one."""
    return {stem_of(fold(found.group(1) + found.group(2))) for found in _TWO_NAMES.finditer(title)}


ALIKE_MIN_LETTERS = 6    # names this long that differ in one vowel are one name in two transliterations
_VOWELS = frozenset("aeiouy")


def _unaspirated(word: str) -> str:
    """A name without the "h" an Arabic name's final "-ah" is written with or without ("Busayrah", "Busaira";
    "Mayadeen" has none)."""
    return word[:-1] if len(word) > 2 and word[-1] == "h" and word[-2] in _VOWELS else word


def _skeleton(word: str) -> str:
    """A name with its vowels masked: "shebekino" and "shebekine" (Russian and Ukrainian spellings), "graivoron" and
    "grayvoron", share one; "busayrah" and "busaira" too, a final "-ah" read as "-a"."""
    return "".join("*" if c in _VOWELS else c for c in _unaspirated(word))


@lru_cache(maxsize=4096)
def _by_skeleton(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for name in names:
        if len(name) >= ALIKE_MIN_LETTERS:
            index.setdefault(_skeleton(name), []).append(name)
    return {key: tuple(found) for key, found in index.items()}


def alike(one: str, other: str) -> bool:
    """Are two names one name written in two transliterations: at least `ALIKE_MIN_LETTERS` letters, the same length,
    and one vowel for another in one place ("Shebekino" and "Shebekine", "Graivoron" and "Grayvoron", "Kharkiv" and
    "Kharkov"; "Busayrah" and "Busaira", a final "-ah" read as "-a")? Two places whose names differ in a consonant, or
    in two letters, are two places."""
    if len(one) < ALIKE_MIN_LETTERS or len(other) < ALIKE_MIN_LETTERS:
        return False
    one, other = _unaspirated(one), _unaspirated(other)
    if one == other:
        return True   # "busayrah" and "busayra"
    if len(one) != len(other):
        return False
    differ = [(a, b) for a, b in zip(one, other, strict=True) if a != b]
    return len(differ) == 1 and differ[0][0] in _VOWELS and differ[0][1] in _VOWELS


def _two_names_joined(word: str, known: set[str]) -> bool:
    """Is a word two of the names written as one ("Dankurmi" for the "Dan Kurmi" an incident's text named), the first
    at least three letters, the second at least three? Transliterations write a place in one word or two."""
    return any(word[:cut] in known and word[cut:] in known for cut in range(3, len(word) - 2))


def names_shared(words: Iterable[str], names: Sequence[str]) -> set[str]:
    """The words (a report's, folded) that are one of the names (an event's), as written, in another
    transliteration (`alike`), or as two of its names written as one word (`_two_names_joined`)."""
    known = set(names)
    shared = set()
    index: dict[str, tuple[str, ...]] | None = None
    for word in words:
        if word in known:
            shared.add(word)
            continue
        if len(word) < ALIKE_MIN_LETTERS:
            continue
        if _two_names_joined(word, known):
            shared.add(word)
            continue
        if index is None:
            index = _by_skeleton(tuple(names))
        if any(alike(word, name) for name in index.get(_skeleton(word), ())):
            shared.add(word)
    return shared


def similarity(terms: Terms, event: Event) -> float:
    """How much of a report the event already holds, weighted towards names (0..1).

    A headline naming one of the event's names adds `TITLE_BONUS`; a headline naming only
    names the event does not know cuts it to `OTHER_NAMES_FACTOR`."""
    total = NAME_WEIGHT * len(terms.names) + len(terms.words)
    if total == 0:
        return 0.0
    shared_names = names_shared(terms.names, event.names)
    shared = NAME_WEIGHT * len(shared_names) + len(terms.words.intersection(event.words))
    if shared < MIN_SHARED:
        return 0.0  # two one-line items that share a word or two are not yet the same incident
    score = shared / total
    title_names = terms.title.intersection(terms.names)
    if names_shared(terms.title, event.names):
        score += TITLE_BONUS
    elif title_names and title_names.isdisjoint(event.words):
        # the headline names a place or person the event has never mentioned: most likely another
        # incident ("Shots fired near Zvečan" is not the Banjska shooting, however alike the wording)
        score *= OTHER_NAMES_FACTOR
    return min(1.0, score)


def merge_terms(old: Sequence[str], new: Iterable[str]) -> tuple[str, ...]:
    """An event's names or words with a report's added first, at most `MAX_TERMS` (the most recent win)."""
    merged = list(dict.fromkeys([*sorted(new), *old]))
    return tuple(merged[:MAX_TERMS])


# "COTONOU - Government confirms ...": a headline that starts with the place its wire files from, in capitals
_TITLE_DATELINE = re.compile(r"^\s*([^\W\d_][\w .,'’-]{1,40}?)\s+[-–—:]\s+")


def dateline_words(title: str) -> frozenset[str]:
    """The folded words of a dateline a headline starts with ("CARACAS - Troops deploy ..."), which name where the
    wire files from, not where it happened; none without one."""
    found = _TITLE_DATELINE.match(title)
    if found is None or not found.group(1).isupper():
        return frozenset()
    rest = {stem_of(fold(w.group())) for w in WORD.finditer(title[found.end():])}
    return frozenset(stem_of(fold(w.group())) for w in WORD.finditer(found.group(1))) - rest


def names_in_title(title: str) -> list[str]:
    """Capitalised words of a headline after its first word: the places and people it is about."""
    words = [w.group() for w in WORD.finditer(title)]
    return [w for w in words[1:] if w[0].isupper()]
