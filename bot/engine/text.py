"""Text folding for matching: case- and diacritics-insensitive, and length-preserving.

Folding maps each character to exactly one character, so a hit's position in the folded
text is its position in the original text, and snippets need no offset table. Every
character that is not a letter or digit folds to a space, so `build-up` and `build up`
read the same, and word boundaries are simply spaces: the automaton looks for
" troops " and never reports "troop" inside "troopship".

Cyrillic folds to Latin, letter for letter, the way Serbian writes it in both scripts: `погинуо`
and `poginuo` are one atom, and so are `Косовска Митровица` and `Kosovska Mitrovica`. Three
Serbian Cyrillic letters are two Latin ones (љ lj, њ nj, џ dž); to keep the length they fold to
one letter of their own (ʎ, ɲ, ǆ), and `script_variants` gives each term and place name its
one-letter twin ("ljudi" also as "ʎudi"), so either script finds it. Letters Serbian does not write (я ю щ ы э
ь ъ є ґ) stay Cyrillic: Russian and Ukrainian words fold consistently with themselves (ё is е,
й is и, ї and і are i), and a Russian word rarely becomes a Latin word of another language. Ukrainian's
apostrophe before я ю є ї is part of its word whichever character writes it ("Куп'янськ" is one word, not
"kup" and a fragment).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE_LIKE = "-‐‑‒–—―_/\t\n\r\f\v\u00a0\u2009\u202f"
# Letters NFKD leaves alone but a reader treats as the plain letter.
_EXTRA = {"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i", "ħ": "h", "’": "'", "‘": "'"}
# Cyrillic to Latin, one letter each (Serbian's; љ њ џ lose their j and ž: see script_variants).
# Applied after case and diacritics are folded, so ё (е) and й (и) follow.
_CYRILLIC = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџшіѓќѕ",
                     "abvgddezzijklʎmnɲoprstcufhccǆsigkz", strict=True))
# Serbian Latin digraphs whose Cyrillic letter folds to one letter of its own (ʎ, ɲ, ǆ: letters no
# other language here writes, so the one-letter twin of "šalje" is never the English "sale");
# "dj" is how ASCII text writes đ
_DIGRAPHS = (("lj", "ʎ"), ("nj", "ɲ"), ("dz", "ǆ"), ("dj", "d"))
_CYRILLIC_DIGRAPHS = str.maketrans({"љ": "lj", "Љ": "Lj", "њ": "nj", "Њ": "Nj", "џ": "dž", "Џ": "Dž"})


def _fold_char(ch: str) -> str:
    """One character folded: a space unless a letter or digit, else lower case without diacritics, in
    Latin where Serbian would write it so; always one character."""
    if not ch.isalnum() or ch in _SPACE_LIKE:
        return " "  # also emoji, CJK punctuation and lone surrogates: "🚨Troops" is the word "troops"
    if ch in _EXTRA:
        return _EXTRA[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    lowered = base.lower()
    if len(lowered) != 1:
        lowered = ch.lower() if len(ch.lower()) == 1 else ch
    return _CYRILLIC.get(lowered, lowered)


class _FoldTable(dict[int, str]):
    """Code point -> folded character for str.translate, each computed the first time a text holds it:
    computing the first 0x3000 up front cost about 0.1 s and 1 MB of every start, for the few hundred
    letters a run meets."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


@lru_cache(maxsize=1)
def _table() -> _FoldTable:
    return _FoldTable()


_ASCII = bytes(ord(c.lower()) if c.isalnum() else ord(" ") for c in map(chr, range(128))) + bytes(128)


# Led by a single character class, not a repeat: the regex engine then skips ASCII at C speed, where a
# pattern led by `[...]+` is tried at every position (a 3 KB article with one "č" cost 90,000 instructions).
_NON_ASCII = re.compile(r"[^\x00-\x7f][^\x00-\x7f]*")
_ASCII_BYTES = bytes(range(128))
# English with a name or two in another spelling holds a few letters beyond ASCII, of a few kinds: each
# kind is replaced by str.replace (a C scan of the text), cheaper than any search. Text in another script
# (more than this many such letters, or kinds) is searched for its runs instead.
_FEW_CHARS = 64
_FEW_DISTINCT = 8


def _fold_run(run: re.Match[str]) -> str:
    return run.group().translate(_table())


def fold(text: str) -> str:
    """Lower-case, strip diacritics, everything but letters and digits to spaces; same length."""
    if text.isascii():  # the common case, about 10x faster than the general table
        return text.encode("ascii").translate(_ASCII).decode("ascii")
    # English with a few curly quotes or accented names: fold only the characters beyond ASCII, then
    # the rest the fast way, when they fold to ASCII (Cyrillic letters Serbian does not write stay Cyrillic)
    table = _table()
    # deleting the ASCII bytes from UTF-8 leaves exactly the other characters' bytes, in order
    beyond = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    distinct = set(beyond) if len(beyond) <= _FEW_CHARS else ()
    if distinct and len(distinct) <= _FEW_DISTINCT:
        folded = {char: table[ord(char)] for char in distinct}
        if not "".join(folded.values()).isascii():
            return _apostrophes_as_letters(text).translate(table)
        for char, into in folded.items():
            text = text.replace(char, into)
        return text.encode("ascii").translate(_ASCII).decode("ascii")
    mapped = _NON_ASCII.sub(_fold_run, text)
    if mapped.isascii():
        return mapped.encode("ascii").translate(_ASCII).decode("ascii")
    return _apostrophes_as_letters(text).translate(table)


def padded_fold(text: str) -> bytes:
    """" " + fold(text) + " " in UTF-8, what the automata search: ASCII text is folded as bytes, never
    decoded to a str and encoded again (a tenth of the cost of folding and padding)."""
    if text.isascii():
        return b" " + text.encode("ascii").translate(_ASCII) + b" "
    return (" " + fold(text) + " ").encode()


# Ukrainian writes an apostrophe inside a word before я, ю, є, ї ("Куп'янськ", "п'ять"), often as ' or ’
# rather than the letter ʼ: as a letter, so the word stays one word ("kup" is not a word of its own).
_UKRAINIAN_APOSTROPHE = re.compile("(?<=[\u0400-\u04ff])['’](?=[яюєїЯЮЄЇ])")


def _apostrophes_as_letters(text: str) -> str:
    if "'" not in text and "’" not in text:
        return text
    return _UKRAINIAN_APOSTROPHE.sub("ʼ", text)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """The text with each lone surrogate (a JSON feed's "\\ud800" decodes to one) replaced by U+FFFD,
    same length: no UTF-8 encoder takes one, so re2, the automaton and the Bot API request would fail."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")   # a C-speed test, about three times faster than searching for one
    except UnicodeEncodeError:   # UTF-8 encodes every other code point
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


def fold_term(term: str) -> str:
    """Fold a rule's term the same way, with runs of spaces collapsed."""
    return " ".join(fold(term).split())


def script_variants(written: str, atoms: tuple[str, ...]) -> tuple[str, ...]:
    """A term's atoms with their twins in the other Serbian script: "ljudi" also as "ʎudi" (how
    `људи` folds), and `људи` also as "ljudi" (how the Latin spelling folds)."""
    out = dict.fromkeys(atoms)
    if any(ch in written for ch in "љњџЉЊЏ"):
        out[fold_term(written.translate(_CYRILLIC_DIGRAPHS))] = None
    for atom in list(out):
        one_letter = atom
        for pair, letter in _DIGRAPHS:
            one_letter = one_letter.replace(pair, letter)
        if one_letter != atom and one_letter.strip():
            out[one_letter] = None
    return tuple(out)


def is_word_char(ch: str) -> bool:
    return ch.isalnum()


def snippet(text: str, start: int, end: int, width: int = 60) -> str:
    """A short, single-line excerpt around text[start:end] for explanations."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    # widen to word edges so the snippet does not start mid-word
    while lo > 0 and not text[lo - 1].isspace() and start - lo < width + 15:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - end < width + 15:
        hi += 1
    body = " ".join(text[lo:hi].split())
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")
