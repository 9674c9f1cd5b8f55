"""The language of an article: the one its feed declares, else one read from its letters and words.

Rules and facts need to tell English, Serbian (both scripts), Albanian, Russian and Ukrainian
apart, mostly from a headline and a sentence or two. A statistical detector over a hundred
languages (lingua) reads short titles no better for these five and costs about 100 MB more
(docs/performance.md, "Languages"), so Beacon reads them itself, in three steps:

1. the script: Cyrillic or Latin letters, whichever there are more of (other scripts: their
   usual language, or unknown);
2. letters only one language of the family writes: Serbian ђ ј љ њ ћ џ, Ukrainian і ї є ґ,
   Russian ы э ъ ё; Albanian ë (Serbian Latin writes č ć đ, but so do Croatian and Bosnian);
3. function words ("је", "что", "що", "të", "the", "der", ...), counted over the first words.

It reads at most the first 400 characters, so the cost is bounded (about 10-20 us an article).
Croatian, Bosnian and Montenegrin Latin text reads as `sr`: the rules' Serbian vocabulary fits
them as well. An article no step settles has no language (None): no `language:` rule holds.
"""

from __future__ import annotations

import re

# the languages detection can answer; a feed may declare any other
DETECTED = ("en", "sr", "sq", "ru", "uk", "bg", "mk", "de", "fr", "es", "it", "pt", "tr", "pl")

_SAMPLE = 400
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# the same words in a lower-cased ASCII sample, found about a third faster
_ASCII_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")

_SERBIAN_CYRILLIC = frozenset("ђјљњћџЂЈЉЊЋЏ")
_MACEDONIAN = frozenset("ѓќѕЃЌЅ")
_UKRAINIAN = frozenset("іїєґІЇЄҐ")
_RUSSIAN = frozenset("ыэъёЫЭЪЁ")
_NOT_SERBIAN = frozenset("яюьйщЯЮЬЙЩ")   # Serbian Cyrillic writes none of these
# Spellings only one of Russian and Ukrainian writes, for a short title with none of their own letters: Russian
# writes и before я, ю, е, и ("Росгвардии", "армия"; Ukrainian "Росгвардії", "армія"); Ukrainian writes a soft
# sign in -ськ-, -цьк- ("Краматорську", "Донецьк"; Russian "Краматорске") and an apostrophe inside a word
# ("Слов’янськ", "п'ятеро"; Russian writes ъ or ь there); and е after a vowel is Russian or Serbian
# ("отправляет", "Израелски"), never Ukrainian, which writes є there ("відправляє")
_RUSSIAN_SPELLINGS = re.compile(r"и[яюеи]")
_NOT_UKRAINIAN_SPELLINGS = re.compile(r"[аоуы]е")
_UKRAINIAN_SPELLINGS = re.compile(r"[сц]ьк|[а-щь-яґєії]['’ʼ][а-щь-яґєії]")

# Function words: short, frequent, and rare in the other languages of the same script.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "ru": frozenset("и в не на что с по из за от для о это как он она они был была были его их "
                    "после при также года во ко уже может будет".split()),
    "uk": frozenset("і й в у не на що з по із за від для про це як він вона вони був була були його їх "
                    "після при також року вже може буде та".split()),
    "sr": frozenset("и у је не на што да се су од за о као он она они био била били његов "
                    "након код који која које када али све из".split()
                    + "i u je ne na sto da se su od za o kao on ona oni bio bila bili njegov "
                    "nakon kod koji koja koje kada ali sve iz jos vec posle sa prema deo".split()),
    "bg": frozenset("и в не на че с по от за е са като той тя те беше бяха след при също".split()),
    "en": frozenset("the of and to in a is are was were for on with at by from after as that this "
                    "has have had it its be been an not near over says said".split()),
    "sq": frozenset("të te në ne dhe e i u një nje për per nga me që qe është eshte janë jane ka kanë kane "
                    "se si pas mbi tek ku edhe por nuk".split()),
    "de": frozenset("der die das und nicht mit ist von den im zu ein eine des dem auf für bei nach".split()),
    "fr": frozenset("le la les des du et à dans pour une est au aux sur par avec qui après".split()),
    "es": frozenset("el los las del y en por una con que es para al se tras según".split()),
    "it": frozenset("il di che della per una con gli nel alla dei delle sono dopo è".split()),
    "pt": frozenset("o os da do em não com uma das dos ao após são pela pelo".split()),
    "tr": frozenset("ve bir bu için ile da de olarak sonra olan".split()),
    "pl": frozenset("w i się nie na z do że po jest od przez dla oraz".split()),
}

# word -> the languages it is a function word of
_LANGUAGES_OF_WORD: dict[str, tuple[str, ...]] = {}
for _code, _words in _FUNCTION_WORDS.items():
    for _word in _words:
        _LANGUAGES_OF_WORD[_word] = (*_LANGUAGES_OF_WORD.get(_word, ()), _code)

# Letters that mark a Latin-script language; each found letter counts like a function word.
_LATIN_LETTERS: dict[str, str] = {"ë": "sq", "ç": "sq", "ć": "sr", "đ": "sr", "č": "sr", "š": "sr", "ž": "sr",
                                  "ß": "de", "ä": "de", "ö": "de", "ü": "de", "ñ": "es", "ã": "pt", "õ": "pt",
                                  "ğ": "tr", "ş": "tr", "ı": "tr", "ł": "pl", "ą": "pl", "ę": "pl", "ś": "pl",
                                  "ź": "pl", "ż": "pl", "è": "it", "ò": "it", "ù": "it", "à": "fr", "é": "fr",
                                  "ê": "fr", "œ": "fr"}
# Word shapes of Serbian, Albanian and English written without diacritics: starts and endings
_LATIN_SHAPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sr": (("vojn", "ubij", "povl", "napad", "ranj", "pogin"), ("uo", "ovi", "ima", "ija", "ama", "om", "ih")),
    "sq": (("gj", "rr", "xh"), ("je", "ve", "ra", "it")),
    "en": (("th", "wh"), ("ing", "ed", "ers", "tion")),
}
# letter pairs of one language ("lj" Serbian; "xh", "dh", "q" Albanian); "ght" English
_LATIN_PAIRS: dict[str, tuple[str, ...]] = {"sr": ("lj", "dj"), "sq": ("xh", "dh", "qy", "qi", "qe", "që"),
                                             "en": ("ght", "ck", "ee", "oo")}

# Word endings: Serbian past participles and case endings, Russian and Ukrainian past tenses
_CYRILLIC_ENDINGS: dict[str, tuple[str, ...]] = {
    "sr": ("уо", "ао", "ио", "ију", "има", "ом", "ће"),
    "ru": ("ил", "ал", "ый", "ой", "ого", "ая", "ть", "ов", "ии"),
    "uk": ("ив", "ав", "ння", "ти", "ого", "ий", "ували"),
}

_ANY_OTHER_SCRIPT = re.compile("[\u0370-\u03ff\u0530-\u06ff\u10a0-\u10ff]")
_OTHER_SCRIPTS = tuple((code, re.compile(f"[{lo}-{hi}]")) for code, lo, hi in (
    ("ar", "\u0600", "\u06ff"), ("el", "\u0370", "\u03ff"), ("he", "\u0590", "\u05ff"),
    ("hy", "\u0530", "\u058f"), ("ka", "\u10a0", "\u10ff")))


def base_language(code: str | None) -> str | None:
    """"sr-Latn" -> "sr", "EN-us" -> "en"; None or "" -> None."""
    if not code:
        return None
    return code.strip().lower().replace("_", "-").split("-")[0] or None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, read from its first 400 characters; None when unsure."""
    sample = text[:_SAMPLE].lower()
    # vowels stand for the letters of each script: counting them is a few C-speed passes
    latin = sum(map(sample.count, "aeiouy"))
    cyrillic = 0 if sample.isascii() else sum(map(sample.count, "аеиоуяюыэєії"))
    if not sample.isascii() and _ANY_OTHER_SCRIPT.search(sample):
        for code, letters in _OTHER_SCRIPTS:
            if len(letters.findall(sample)) > 2 * (cyrillic + latin):
                return code
    if cyrillic == 0 and latin == 0:
        return None
    pattern = _ASCII_WORDS if sample.isascii() else _WORDS
    words = pattern.findall(sample)
    if cyrillic > latin:
        return _cyrillic(sample, words)
    return _latin(sample, words)


def _shape_index(shapes: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """"^th" / "ing$" -> the languages that word start or ending marks."""
    index: dict[str, tuple[str, ...]] = {}
    for code, (starts, ends) in shapes.items():
        for key in [f"^{s}" for s in starts] + [f"{e}$" for e in ends]:
            index[key] = (*index.get(key, ()), code)
    return index


_LATIN_SHAPE_CODES = _shape_index(_LATIN_SHAPES)
_CYRILLIC_SHAPE_CODES = _shape_index({code: ((), ends) for code, ends in _CYRILLIC_ENDINGS.items()})


def _add_shapes(scores: dict[str, float], words: list[str], index: dict[str, tuple[str, ...]]) -> None:
    """Half a point for each word whose start (2 or 4 letters) or ending (2 to 5) marks a language."""
    for word in words:
        if len(word) < 3:
            continue
        keys = ("^" + word[:2], "^" + word[:4], word[-2:] + "$", word[-3:] + "$", word[-4:] + "$", word[-5:] + "$")
        for key in keys:
            for code in index.get(key, ()):
                if code in scores:
                    scores[code] += 0.5


_LATIN_CODES = tuple(code for code in _FUNCTION_WORDS if code not in ("ru", "uk", "bg"))


def _word_scores(words: list[str], codes: tuple[str, ...]) -> dict[str, float]:
    """How many of the words are function words of each language."""
    scores = dict.fromkeys(codes, 0.0)
    for word in words:
        for code in _LANGUAGES_OF_WORD.get(word, ()):
            if code in scores:
                scores[code] += 1
    return scores


def _cyrillic(sample: str, words: list[str]) -> str:
    """Serbian, Macedonian, Ukrainian, Russian or Bulgarian: letters first, then function words."""
    letters = set(sample)
    serbian = bool(letters & _SERBIAN_CYRILLIC)
    if letters & _MACEDONIAN:
        return "mk"
    ukrainian = len(letters & _UKRAINIAN)
    russian = len(letters & _RUSSIAN)
    if serbian and not letters & _NOT_SERBIAN:
        return "sr"
    if ukrainian > russian:
        return "uk"
    if russian > ukrainian:
        return "ru"
    scores = _word_scores(words, ("ru", "uk", "bg", "sr"))
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 4 or ranked[0] < 2 * ranked[1]:
        _add_shapes(scores, words, _CYRILLIC_SHAPE_CODES)
        # no letter of their own settled it: each spelling only one of them writes weighs like two function words
        scores["ru"] += 2 * len(_RUSSIAN_SPELLINGS.findall(sample))
        scores["uk"] += 2 * len(_UKRAINIAN_SPELLINGS.findall(sample))
        not_ukrainian = 2 * len(_NOT_UKRAINIAN_SPELLINGS.findall(sample))
        scores["ru"] += not_ukrainian
        scores["sr"] += not_ukrainian
    if letters & _NOT_SERBIAN:
        scores["sr"] = -1
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] > 0 else "ru"   # the most written Cyrillic language in the news


def _latin(sample: str, words: list[str]) -> str | None:
    """English, Serbian Latin, Albanian or another Latin-script language, by words and letters."""
    scores = _word_scores(words, _LATIN_CODES)
    if not sample.isascii():
        for ch, code in _LATIN_LETTERS.items():
            if ch in sample:
                scores[code] += 0.5 * sample.count(ch)
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 4 or ranked[0] < 2 * ranked[1]:
        # no clear lead from a sentence's function words: weigh the shapes of words too
        _add_shapes(scores, words, _LATIN_SHAPE_CODES)
        for code, pairs in _LATIN_PAIRS.items():
            scores[code] += 0.5 * sum(map(sample.count, pairs))
    best = max(scores, key=lambda code: scores[code])
    if sample.isascii() and scores[best] < 1:
        # nothing to go by but one word's shape ("NATO boosts KFOR presence", "Shells hit market"): plain
        # ASCII is most often English, and a single start or ending is as often an English word
        return "en"
    if scores[best] <= 0:
        return None
    if scores["en"] == scores[best]:
        return "en"
    return best


def article_language(declared: str | None, title: str, text: str) -> str | None:
    """The feed's declared language (its base code) when there is one, else the detected one."""
    code = base_language(declared)
    if code:
        return code
    return detect_language(title + "\n" + text)
