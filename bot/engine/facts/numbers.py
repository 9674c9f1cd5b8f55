"""Numbers as news writes them: figures, number words, ranges and vague quantities."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.engine.lazy_regex import lazy_compile

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
# A figure or a range of figures ("between 10 and 15", "between 24 and more than 30", "10 to 15", "10-15",
# "two or three").
_NUMR = (rf"(?:between\s{_NUM}\sand\s(?:more\sthan\s|over\s|about\s|nearly\s|almost\s)?{_NUM}"
         rf"|{_NUM}(?:\s?(?:-|–|to|or)\s?{_NUM})?)")
_MODS = rf"(?:(?:{_MOD_ALT})\s){{0,2}}"

_NUM_FIND = lazy_compile(rf"{_NUMR}|\banother\b")
_DIGITS_FULL = lazy_compile(
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
