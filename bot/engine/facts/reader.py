"""One article as the readers see it: lower-cased text, sentences, clauses and the figures in them."""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from bot.engine.facts.numbers import _NUM_FIND, parse_number
from bot.engine.facts.vocabulary import (
    _BACKGROUND,
    _BACKGROUND_WORDS,
    _DATED,
    _DIGIT,
    _EXCLAIM_END,
    _FOLLOWING,
    _LABELS,
    _MONTHS,
    _NEXT_WORD,
    _NUM_JOINERS,
    _NUMBERISH,
    _PUNCT,
    _QUESTION_END,
    _SENT_END,
    _THINGS,
    _YEAR,
)

# --------------------------------------------------------------------------- the reader

Part = tuple[int, int, int]  # (value, start, end) of one figure


@dataclass
class Mention:
    """One casualty statement: a group count, a list summed, or a toll."""

    name: str
    value: int
    start: int
    end: int
    toll: bool
    in_title: bool
    parts: tuple[Part, ...]
    extra: bool = False  # "... and decapitated another": one more, never a restatement
    # told in a clause dated days before another ("killing 12 soldiers, three days after 51 died"): the
    # dead of an earlier incident, counted only when the report gives no other figure
    earlier: bool = False
    # dead the report's toll leaves out ("the toll does not include the attackers, four of whom also died"):
    # added to whatever total the other mentions give
    beyond_toll: bool = False
    # a figure that is at least the whole toll, never a group to add: "all nine men inside died", "a tenth victim
    # died overnight", "bringing the number of Maoists killed to twelve" (a toll of one side); the total is at
    # least this figure, and more when the report counts more dead on other sides
    whole: bool = False
    # a side's claim of what it killed ("the rebels said they had killed 20 soldiers"): an official figure of the same
    # victims told after it replaces it, as the one before it already does
    claim: bool = False


class Reader:
    """One article: the lower-cased text, its sentences and the facts read so far."""

    def __init__(self, text: str, low: str | None = None, published: datetime | None = None) -> None:
        if low is None:
            low = _lower(text)
        self.text = text
        self.low = low
        nl = low.find("\n")
        self.title_end = nl if nl >= 0 else len(low)
        self._ends: list[int] | None = None
        self.mentions: list[Mention] = []
        self.restated: list[tuple[int, int]] = []  # victims told again, not counted again: still no troops
        self.used: set[int] = set()  # start offsets of figures already read as casualties
        # the end of a stretch read whole (cues come in order): the death words before it are read no more
        self.covered_until = -1
        self.troops: list[Part] = []
        self.past_troops: list[Part] = []  # figures dated to a past month: the deployment a pullback ends
        self.levels: list[Part] = []  # levels forces were changed to: "cut from 8,350 to 4,500" is 4,500
        self.hints: list[str] = []  # directions read off "from X to Y"
        self.published = published  # when the article was published, to place the dates it names

    # -- geometry

    def sentence(self, pos: int) -> tuple[int, int]:
        if self._ends is None:
            self._ends = self._sentence_ends()
        ends = self._ends
        i = bisect_right(ends, pos)
        return (ends[i - 1] if i else 0), (ends[i] if i < len(ends) else len(self.low))

    def _sentence_ends(self) -> list[int]:
        """Where each sentence ends, in order: after . ! ? before a capital (see _SENT_END), at every line
        break after the title, and at the title's end. A line break inside a "!" or "?" end ("Why?\n\nThe")
        makes no end of its own."""
        text = self.text
        ends = [m.end() for m in _SENT_END.finditer(text)]
        after_title = self.title_end + 1
        rare: list[tuple[int, int]] = []  # spans of the "!" and "?" ends
        if "!" in text:
            rare.extend(m.span() for m in _EXCLAIM_END.finditer(text, after_title))
        if "?" in text:
            rare.extend(m.span() for m in _QUESTION_END.finditer(text, after_title))
        if rare or text.count("\n") > 1:
            rare.sort()
            ends.extend(end for _start, end in rare)
            starts = [start for start, _end in rare]
            nl = text.find("\n", after_title)
            while nl >= 0:
                i = bisect_right(starts, nl) - 1
                if i < 0 or nl >= rare[i][1]:
                    ends.append(nl + 1)
                nl = text.find("\n", nl + 1)
            ends.sort()
        if self.title_end < len(text):
            insort(ends, after_title)
        return ends

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
        if self.low.startswith(" when ", a) and a > lo:
            # a "when" clause told of a time the clause before puts a year or more in the past: "... since last
            # year, when a massacre in a nearby town killed more than 100 people" (an earlier incident of weeks
            # ago, "since March 15, when strikes killed 53", still counts when the report tells no dead of its own)
            before = max(lo, self.low.rfind(", ", lo, a - 1) + 1)
            if _YEARS_BACK.search(self.low, before, a) and _is_background(self.low, before, a, dated):
                return True
        comma = self.low.find(", ", lo, min(a + 1, lo + 42))
        return 0 <= comma - lo <= 40 and _is_background(self.low, lo, comma, dated)

    def dated(self, start: int, end: int) -> bool:
        """Is the figure's clause, or a short opener, dated to a past month ("sent in December 2022")?"""
        low = self.low
        a, b = self.clause(start, end)
        if _YEAR.search(low, a, b) is not None and _DATED.search(low, a, b) is not None:
            return True
        lo, _ = self.sentence(start)
        comma = low.find(", ", lo, min(a + 1, lo + 42))
        return 0 <= comma - lo <= 40 and _DATED.search(low, lo, comma) is not None

    def words_before(self, pos: int, lo: int, n: int) -> list[str]:
        return [w.strip(_PUNCT) for w in self.low[max(lo, pos - 12 * n):pos].split()[-n:]]

    def next_word(self, pos: int) -> str:
        """The word after pos, or "" at the end of the title: a headline's last word has none after it ("Policeman
        shot dead" is not followed by the body's "He")."""
        end = self.title_end if pos <= self.title_end else len(self.low)
        m = _NEXT_WORD.match(self.low, pos, end)
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
            j = i  # widen left over number words: "one hundred and twelve", "between 24 and more than 30"
            while j > 0 and i - j < 5 and (_numberish(cores[j - 1]) or cores[j - 1] in _NUM_JOINERS):
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

    def in_name(self, m: re.Match[str]) -> bool:
        """Is the figure part of a group's name ("three members of the 400 Mawozo gang")?"""
        return self.low.endswith("the ", 0, m.start()) and _NUMBER_IN_NAME.match(self.text, m.end()) is not None

    def figure_ok(self, m: re.Match[str], limit: int) -> bool:
        """Not a date, a label, a year, an age or a count of things."""
        low = self.low
        before = low[max(0, m.start() - 14):m.start()]
        # a label stands right before its figure, on its line: a headline's last word ("Attack on base") and
        # the body's first figure ("Three soldiers were killed") are not "Base 3", nor is "...the base. Three"
        prev = before[before.rfind("\n") + 1:].split()
        if prev and (prev[-1] in _MONTHS or prev[-1] in _LABELS or prev[-1] in ("no", "no.", "aged", "age")):
            return False
        if prev[-2:] in (["age", "of"], ["ages", "of"]):
            return False
        if _AGE_OF.search(low, max(0, m.start() - 30), m.start()):
            return False  # "a boy of about 12", "a woman of 70": an age
        if _AGES_LISTED.search(low, max(0, m.start() - 40), m.start()):
            return False  # "two officers, aged 29 and 41, died": the second of the ages
        if _PARENT_OF.search(low, max(0, m.start() - 20), m.start()):
            return False  # "the officer, a father of three, was shot dead": his children, not the dead
        if _AGE_AFTER_NAME.search(self.text, max(0, m.start() - 40), m.end() + 1):
            return False  # "police sergeant Arben Krasniqi, 36, killed on Wednesday": an age
        if self.in_name(m):
            return False
        nxt = _FOLLOWING.match(low, m.end(), limit)
        if nxt:
            word = nxt.group(1)
            if word in _THINGS or word in _MONTHS or word.startswith(("year", "km", "%")):
                return False
        s = m.group()
        return not (s.isdigit() and len(s) == 4 and s[:2] in ("19", "20"))  # a bare 19xx/20xx is a year



# the rest of a group's name after a figure: " Mawozo gang", " Wolves brigade"
_NUMBER_IN_NAME = re.compile(
    r"\s(?:[A-Z][\w'’-]+\s){1,3}(?:gang|group|brigade|battalion|regiment|division|unit|cartel|militia|front|movement"
    r"|squad|corps|faction|army)\b"
)
# a person's age set off by commas after the name: "Arben Krasniqi, 36, was killed"
_AGE_AFTER_NAME = re.compile(r"[A-Z][a-z'’-]+,\s\d{1,2},$")
# the later ages of a list after "aged": "aged 29 and 41", "aged 19, 23 and 30", "ages 8 to 12"
_AGES_LISTED = re.compile(r"\b(?:aged|ages|age)\s+\d{1,3}(?:(?:,\s*|\s+(?:and|or|to)\s+|\s*[-–]\s*)\d{1,3})*"
                          r"(?:,\s*|,?\s+(?:and|or|to)\s+|\s*[-–]\s*)$")
# a victim's children counted: "a father of three", "a mother of five"
_PARENT_OF = re.compile(r"\b(?:father|mother|parent|grandfather|grandmother)\s+of\s+$")
# a person's age told after "of": "a boy of about 12 was killed", "a man in his 40s" is read elsewhere
_AGE_OF = re.compile(r"\b(?:boy|girl|man|woman|child|teenager|youth|student|farmer|shepherd|herder)\s+of\s+"
                     r"(?:about\s+|around\s+|some\s+|only\s+|just\s+)?$")


def _lower(text: str) -> str:
    """The text lower-cased with every offset kept: ASCII letters only (str.lower turns a few characters
    into two), which is also several times faster than str.lower on text with any non-ASCII in it and,
    on ASCII text, cheaper than a single regex scan."""
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


# a time a year or more back, for a "when" clause after it (Reader.background)
_YEARS_BACK = re.compile(r"\b(?:last\syear|years|decades?|(?:19|20)\d\d)\b")


def _is_background(low: str, a: int, b: int, dated: bool = True) -> bool:
    stretch = low[a:b]
    words = stretch.replace(",", " ").replace(".", " ").split()
    has_year = _YEAR.search(stretch) is not None
    if _BACKGROUND_WORDS.isdisjoint(words) and not has_year:
        return False  # the common case, decided without the long alternation
    return _BACKGROUND.search(stretch) is not None or (dated and has_year and _DATED.search(stretch) is not None)


def _has_any(text: str, lo: int, hi: int, needles: tuple[str, ...]) -> bool:
    # a loop, not any() over a generator (a third of the cost): the readers ask this thousands of times
    for needle in needles:  # noqa: SIM110 - see above
        if text.find(needle, lo, hi) >= 0:
            return True
    return False


def _numberish(core: str) -> bool:
    return core in _NUMBERISH or core[:1].isdigit() or ("-" in core and core.split("-", 1)[0] in _NUMBERISH)


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    m = None
    for m in pattern.finditer(text, lo, hi):  # noqa: B007 - the last one is wanted
        pass
    return m
