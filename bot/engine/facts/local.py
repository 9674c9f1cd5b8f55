"""Casualty and troop facts in Serbian (both scripts), Albanian, Russian and Ukrainian.

The English reader (reader.py, casualties.py, troops.py) is tuned to English word order and
vocabulary; these languages put the figure on either side of the verb ("погибли 27 человек",
"четверо военных погибли", "u vranë tre policë", "tre të vrarë") and inflect numbers, so they
get a reader of their own over the same Facts, with word tables in local_words.py. It follows
the same conventions (docs/rules.md, "Numbers in the text"), more simply:

* each word for the dead or wounded takes the figure right after it ("poginuo je jedan
  policajac"), else the nearest one before it in its clause ("Четверо ... погибли"), else 1 when
  the word is singular ("погиб", "u vra", "poginuo");
* the title's figures are summed ("убијен полицајац, тројица нападача погинула" = 4), and so
  are the body's, except a group inside a larger one ("среди погибших двое детей") and a body
  that restates the title's toll before detailing it; a toll ("broj poginulih porastao je na
  12") replaces them; the larger of title and body wins;
* figures in sentences about the past (a year, "od početka rata", "годовщина", a "when" clause after a
  dated earlier event) are background, and a violence verb in quotation marks ("„vret”") is no death;
* troops is the largest figure bound to a troop noun ("30 тысяч военнослужащих", "8.350
  vojnika"), or any figure of a sentence about their number, never a casualty figure; after a cut,
  the level it left, as in English ("broj vojnika smanjen sa 8.350 na 4.500" and "4.500 vojnika
  umesto 8.350" are 4.500);
* troops_change follows a force's two figures when a sentence gives them ("sa 8.350 na 4.500",
  "4.500 vojnika umesto 8.350"), else weighs increase and decrease words in sentences about
  forces, the title double, leaving out changes only asked for or denied ("pozvao Beograd da povuče") and
  clauses the language negates ("više nisu potrebne");
* each language has its own small words (negations, prepositions, auxiliaries): folded, Albanian
  "në" (in) is Serbian "ne" (not), and Albanian "u" (a passive) Serbian "u" (in).

Words are compared folded (text.py), so Serbian Cyrillic and Latin are one, and the reader
reads at most MAX_TOKENS tokens, so its cost is linear and bounded on any input.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.engine.facts import local_words as words
from bot.engine.facts.values import Facts, FactSpan
from bot.engine.text import fold, script_variants

LANGUAGES = ("sr", "sq", "ru", "uk", "hr", "bs", "cnr", "sh")
# Croatian, Bosnian and Montenegrin read with the Serbian tables (one language, several standards)
_READ_AS = {"hr": "sr", "bs": "sr", "cnr": "sr", "sh": "sr"}
MAX_TOKENS = 5_000

# a decimal is one token only before a thousands word ("8,5 тисячі"); elsewhere "4,5" stays "4" "," "5"
_TOKEN = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?!\d)"
                    r"|\d+[.,]\d{1,2}(?=[ \u00a0]*(?:тыс|тис|hiljad|хиљад|tisuć|mij))"
                    r"|\d+|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*|[.!?;:,—–()\n]")
_ORDINAL_DOT = re.compile(r"[ \u00a0]*[^\W\d_A-ZА-ЯЂЈЉЊЋЏЁІЇЄҐ]")
_SENTENCE_END = frozenset(".!?;\n")
_CLAUSE_END = frozenset(",:—–()")
_DASHES = frozenset("—–")
# a dash or a colon that stands for "to": "кількість загиблих уточнили — восьмеро"
_TOLL_COLONS = frozenset("—–:")
_SERBIAN_SPELLING = re.compile("[čćšžđ]|lj|[ђјљњћџ]")
_DECIMAL = re.compile(r"(\d+)[.,](\d{1,2})")
_OPEN_QUOTES = frozenset("„“”«»\"‚‘'")
_CLOSE_QUOTES = frozenset("“”«»\"‘’'")


def _key(word: str) -> str:
    """A word as the tables compare it: folded, apostrophes dropped ("п'ять" = "пять")."""
    return fold(word.replace("'", "").replace("’", "").replace("ʼ", "")).strip()


# abbreviated thousands and millions before a lower-case word: "3 тыс. военных", "5 тис. військових", "2 hilj.
# vojnika": their dot ends no sentence
_ABBREVIATIONS = frozenset(_key(word) for word in ("тыс", "тис", "млн", "hilj", "mln"))
# Albanian participles take an article ("të dërguar"); "не менее 500" is a figure, not a negation
_PARTICIPLE_ARTICLES = frozenset(("te", "e", "i"))
# "there are none": "погибших нет", "загиблих немає", "mrtvih nema"
_NONE_OF_THEM = frozenset(_key(w) for w in ("нет", "немає", "нема", "nema", "ska"))
# Albanian "pa" (without): "u dërguan pa paralajmërim" is a sending all the same
_NOT_A_CLAUSE_NEGATION = frozenset(("pa",))
_NOT_A_NEGATION = frozenset(_key(w) for w in ("менее", "более", "только", "меньше", "лише", "тільки", "менше", "samo",
                                               "vetëm"))


def _spellings(entry: str, serbian: bool = False) -> tuple[str, ...]:
    """A table entry folded, with the one-letter twin of a Serbian word ("ranjen*" also "ranen*", as
    `рањен` folds); not of an Albanian one ("një" is not "ne")."""
    star = "*" if entry.endswith("*") else ""
    body = entry.rstrip("*")
    keyed = " ".join(_key(part) for part in body.split())
    if not serbian and not _SERBIAN_SPELLING.search(body):
        return (keyed + star,)
    return tuple(v + star for v in script_variants(body, (keyed,)))


def _keyed(table: dict[str, int], serbian: bool) -> dict[str, int]:
    return {spelling: n for word, n in table.items() for spelling in _spellings(word, serbian)}


# words that introduce Serbian "što" (that, what) and never stand before "sto" (a hundred)
_BEFORE_THE_WORD_WHAT = frozenset(("nego", "zato", "kao", "to", "ono", "sve"))

class _Lexicon:
    """Words and stems (`stem*`), one or several words long, folded once; phrases are indexed by
    their first two words (by the first alone when the second is a stem), so a lookup costs a dict
    probe or two whatever the table's size, even with many phrases after "в" or "u"."""

    def __init__(self, entries: list[str] | set[str], serbian: bool = False) -> None:
        self.exact: set[str] = set()
        prefixes: list[str] = []
        self.phrases: dict[str, list[tuple[tuple[str, bool], ...]]] = {}
        self.two_word_phrases: dict[tuple[str, str], list[tuple[tuple[str, bool], ...]]] = {}
        self.two_word_firsts: set[str] = set()
        self.prefix_phrases: list[tuple[tuple[str, bool], ...]] = []
        for entry in (spelling for written in entries for spelling in _spellings(written, serbian)):
            parts = tuple((p.rstrip("*"), p.endswith("*")) for p in entry.split())
            if len(parts) > 1:
                if parts[0][1]:
                    self.prefix_phrases.append(parts)
                elif parts[1][1]:
                    self.phrases.setdefault(parts[0][0], []).append(parts)
                else:
                    self.two_word_phrases.setdefault((parts[0][0], parts[1][0]), []).append(parts)
                    self.two_word_firsts.add(parts[0][0])
            elif parts[0][1]:
                prefixes.append(parts[0][0])
            else:
                self.exact.add(parts[0][0])
        self.prefix_tuple = tuple(prefixes)

    def match(self, keys: list[str], i: int) -> int:
        """How many words from keys[i] are one entry (0: none); a phrase before a word."""
        key = keys[i]
        if not key:
            return 0
        candidates = self.phrases.get(key, [])
        if key in self.two_word_firsts and i + 1 < len(keys):
            candidates = self.two_word_phrases.get((key, keys[i + 1]), []) + candidates
        if self.prefix_phrases:
            candidates = candidates + [p for p in self.prefix_phrases if key.startswith(p[0][0])]
        for phrase in candidates:
            if i + len(phrase) <= len(keys) and all(
                    keys[i + k].startswith(stem) if star else keys[i + k] == stem
                    for k, (stem, star) in enumerate(phrase)):
                return len(phrase)
        if key in self.exact or key.startswith(self.prefix_tuple):
            return 1
        return 0


@dataclass(frozen=True)
class _Tables:
    numbers: dict[str, int]
    vague: dict[str, int]
    killed: _Lexicon
    single_killed: set[str]
    active_killed: set[str]
    wounded: _Lexicon
    single_wounded: set[str]
    troops: _Lexicon
    hardware: _Lexicon             # "военных кораблей": ships, not troops
    forces: _Lexicon
    increase: _Lexicon
    increase_nouns: _Lexicon
    attackers: _Lexicon
    earlier_step: frozenset[str]   # relative words and pluperfect auxiliaries: the build-up behind a pull-back
    replacing: frozenset[str]      # "na zamenu": the dead that troops are sent to replace
    also: frozenset[str]           # "i", "также": killed too, besides the dead already counted
    also_before: frozenset[str]    # "також" before the verb: "Троє порушників також убиті"
    dead_after_comma: frozenset[str]   # "29 военным, погибшим": the dead told after the comma
    decrease: _Lexicon
    # small words, one set per language: Albanian "u" is a passive, Serbian "u" a preposition;
    # Albanian "në" folds to Serbian "ne", a negation
    auxiliary: frozenset[str]
    prepositions: frozenset[str]
    negations: frozenset[str]
    conjunctions: frozenset[str]
    partitives: frozenset[str]
    plural_endings: tuple[str, ...]   # of the original word, lower case: "жители", "військові"
    singular_exceptions: frozenset[str]
    comitatives: frozenset[str]
    vague_phrases: dict[str, list[tuple[tuple[str, ...], int]]]   # by first word


@cache
def _tables(language: str) -> _Tables:
    """The folded word tables of one language, built the first time an article of it is read."""
    sr = language == "sr"
    return _Tables(
        numbers=_keyed(words.NUMBERS[language], sr),
        vague=_keyed(words.VAGUE[language], sr),
        killed=_Lexicon(words.KILLED[language], sr),
        single_killed={k for w in words.SINGULAR_KILLED[language] for k in _spellings(w, sr)},
        active_killed={k for w in words.ACTIVE_KILLED[language] for k in _spellings(w, sr)},
        wounded=_Lexicon(words.WOUNDED[language], sr),
        single_wounded={k for w in words.SINGULAR_WOUNDED[language] for k in _spellings(w, sr)},
        troops=_Lexicon(words.TROOP_NOUNS[language], sr),
        hardware=_Lexicon(words.HARDWARE[language], sr),
        forces=_Lexicon(words.FORCE_WORDS[language] + words.TROOP_NOUNS[language], sr),
        increase=_Lexicon(words.INCREASE[language], sr),
        increase_nouns=_Lexicon(words.INCREASE_NOUNS[language], sr),
        attackers=_Lexicon(words.ATTACKERS[language], sr),
        earlier_step=_folded(words.EARLIER_STEP[language]),
        replacing=_folded(words.REPLACING[language]),
        also=_folded(words.ALSO[language]),
        also_before=_folded(words.ALSO_BEFORE[language]),
        dead_after_comma=_folded(words.DEAD_AFTER_COMMA[language]),
        decrease=_Lexicon(words.DECREASE[language], sr),
        auxiliary=_folded(words.AUXILIARY[language]),
        prepositions=_folded(words.PREPOSITIONS[language]),
        negations=_folded(words.NEGATIONS[language]),
        conjunctions=_folded(words.CONJUNCTIONS[language]),
        partitives=_folded(words.PARTITIVES[language]),
        plural_endings=words.PLURAL_ENDINGS[language],
        singular_exceptions=frozenset(words.SINGULAR_EXCEPTIONS[language].split()),
        comitatives=_folded(words.COMITATIVES[language]),
        vague_phrases=_phrases(words.VAGUE_PHRASES[language]),
    )


def _phrases(table: dict[str, int]) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """Phrases of a table as tuples of keys, indexed by their first word."""
    out: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase, n in table.items():
        keys = tuple(_key(w) for w in phrase.split())
        out.setdefault(keys[0], []).append((keys, n))
    return out


def _folded(spaced: str) -> frozenset[str]:
    """A space-separated word list as the reader's keys."""
    return frozenset(_key(w) for w in spaced.split())


@dataclass(frozen=True)
class _Shared:
    """The tables every language shares (their words are of all four)."""

    toll: _Lexicon
    toll_verbs: frozenset[str]
    subgroup: _Lexicon
    background: _Lexicon
    not_people: _Lexicon
    not_done: _Lexicon
    existing: _Lexicon
    count_words: _Lexicon
    count_firsts: frozenset[str]   # the first words of count_words, for a cheap look behind
    thousands: frozenset[str]
    from_to: frozenset[str]
    year_words: frozenset[str]
    year_before: frozenset[str]
    then_words: frozenset[str]
    tens: frozenset[str]
    more_than: dict[str, frozenset[str]]
    change_from: frozenset[str]
    change_to: frozenset[str]
    instead_of: frozenset[str]
    about: frozenset[str]
    range_from: frozenset[str]
    range_to: frozenset[str]
    range_between: frozenset[str]
    range_and: frozenset[str]
    months: _Lexicon
    one_and_a_half: frozenset[str]
    also_openers: _Lexicon
    when_words: frozenset[str]
    past_month_openers: _Lexicon
    remaining: frozenset[str]
    strength_of: frozenset[str]
    over_span: frozenset[str]
    years_and_months: frozenset[str]
    after_words: frozenset[str]
    latest_words: frozenset[str]
    times_of_day: frozenset[str]
    became: frozenset[str]
    thousand_genitive: frozenset[str]
    since_words: frozenset[str]
    governs_genitive: frozenset[str]


@lru_cache(maxsize=1)
def _shared() -> _Shared:
    return _Shared(_Lexicon(words.TOLL_WORDS), frozenset(_key(w) for w in words.TOLL_VERBS),
                   _Lexicon(words.SUBGROUP_WORDS), _Lexicon(words.BACKGROUND_WORDS),
                   _Lexicon(words.NOT_PEOPLE), _Lexicon(words.NOT_DONE), _Lexicon(words.EXISTING),
                   _Lexicon(words.COUNT_WORDS), frozenset(_key(w.split()[0]) for w in words.COUNT_WORDS),
                   # "хиљаде" folds to "hiʎade": the Serbian Cyrillic twin of every thousands word
                   frozenset(k for w in words.THOUSANDS for k in _spellings(w, serbian=True)),
                   frozenset(_key(w) for w in words.FROM_TO), frozenset(_key(w) for w in words.YEAR_WORDS),
                   frozenset(_key(w) for w in words.YEAR_BEFORE), frozenset(_key(w) for w in words.THEN_WORDS),
                   frozenset(_key(w) for w in words.TENS_WORDS),
                   {_key(w): frozenset(_key(k) for k in links) for w, links in words.MORE_THAN.items()},
                   frozenset(_key(w) for w in words.CHANGE_FROM), frozenset(_key(w) for w in words.CHANGE_TO),
                   frozenset(_key(w) for w in words.INSTEAD_OF), frozenset(_key(w) for w in words.ABOUT),
                   frozenset(_key(w) for w in words.RANGE_FROM), frozenset(_key(w) for w in words.RANGE_TO),
                   frozenset(_key(w) for w in words.RANGE_BETWEEN), frozenset(_key(w) for w in words.RANGE_AND),
                   _Lexicon(words.MONTHS), frozenset(_key(w) for w in words.ONE_AND_A_HALF),
                   _Lexicon(words.ALSO_OPENERS),
                   frozenset(_key(w) for w in words.WHEN_WORDS),
                   _Lexicon(words.PAST_MONTH_OPENERS), frozenset(_key(w) for w in words.REMAINING),
                   frozenset(_key(w) for w in words.STRENGTH_OF),
                   frozenset(_key(w) for w in words.OVER_SPAN),
                   frozenset(_key(w) for w in words.YEARS_AND_MONTHS),
                   frozenset(_key(w) for w in words.AFTER_WORDS), frozenset(_key(w) for w in words.LATEST_WORDS),
                   frozenset(_key(w) for w in words.TIMES_OF_DAY),
                   frozenset(_key(w) for w in words.BECAME),
                   frozenset(_key(w) for w in words.THOUSAND_GENITIVE),
                   frozenset(_key(w) for w in words.SINCE_WORDS),
                   frozenset(_key(w) for w in words.GOVERNS_GENITIVE))


@dataclass
class _Mention:
    name: str       # "killed" | "wounded"
    value: int
    start: int
    end: int
    sentence: int
    in_title: bool
    toll: bool = False
    attackers: bool = False   # the dead are the attackers ("trojica napadača")
    also: bool = False        # killed too, besides those already counted ("убијен је и непознат број нападача")


class _Reader:
    def __init__(self, text: str, language: str) -> None:
        self.text = text
        self.t = _tables(language)
        self.s = _shared()
        nl = text.find("\n")
        self.title_end = nl if nl >= 0 else len(text)
        self.spans: list[tuple[int, int]] = []
        self.keys: list[str] = []
        self.sentence_of: list[int] = []
        sentence = 0
        for m in _TOKEN.finditer(text):
            if len(self.spans) >= MAX_TOKENS:
                break
            start = m.start()
            token = m.group()
            if token == "." and self.keys and self.keys[-1][:1].isdigit() and _ORDINAL_DOT.match(text, m.end()):
                continue   # "24. marta 1999. godine": an ordinal's dot, not a sentence end
            if token == "." and self.keys and self.keys[-1] in _ABBREVIATIONS and _ORDINAL_DOT.match(text, m.end()):
                continue   # "3 тыс. военных": an abbreviation's dot
            self.spans.append((start, m.end()))
            self.keys.append(token if token in _SENTENCE_END or token in _CLAUSE_END else _key(token))
            self.sentence_of.append(sentence)
            if token in _SENTENCE_END:
                sentence += 1
        self.background_sentences = self._background()
        self.cut_to: tuple[int, int, int] | None = None   # (level, start, end) forces were cut to: change_by_figures
        self.raised_to: tuple[int, int, int] | None = None   # (level, start, end) forces were raised to: the same
        self.force_sentences: set[int] = set()   # the sentences that name a force: direction
        # words for the dead and the wounded at each token (their length in tokens; 0: none), read once
        self.killed_word = [self.t.killed.match(self.keys, i) for i in range(len(self.keys))]
        if self.t.replacing.intersection(self.keys):
            self.killed_word = [0 if n and self.replaces(i) else n for i, n in enumerate(self.killed_word)]
        self.wounded_word = [self.t.wounded.match(self.keys, i) for i in range(len(self.keys))]
        self.casualty_word = [k or w for k, w in zip(self.killed_word, self.wounded_word, strict=True)]

    def replaces(self, i: int) -> bool:
        """"на заміну загиблим": the word at i names the dead that troops replace, not this report's."""
        return any(self.keys[j] in self.t.replacing for j in range(max(0, i - 2), i))

    def is_year(self, i: int) -> bool:
        """"1999. godine", "в 2014 году", "24. марта 1999": a year, not a count."""
        key = self.keys[i]
        if not (key.isdigit() and len(key) == 4 and 1900 <= int(key) <= 2099):
            return False
        nxt = self.keys[i + 1] if i + 1 < len(self.keys) else "."
        if nxt in self.s.year_words or self.is_break(i + 1) if i + 1 < len(self.keys) else True:
            return True
        if self.text.startswith(".", self.spans[i][1]):
            return True   # "Od 2021. na granici": a year's dot before a lower-case word (an ordinal's dot)
        if i > 0 and self.keys[i - 1] in self.s.year_before:
            return True   # "që nga viti 2014"
        return i > 0 and self.s.not_people.match(self.keys, i - 1) > 0   # after a month: "марта 1999"

    def _background(self) -> set[int]:
        """Sentences about the past: a year ("1999"), "od početka rata", "годовщина"."""
        found = set()
        after_dated = -1   # the sentence in which "after" an event with a date was told so far
        after_seen = -1
        since_month = -1   # the sentence in which "since" a month was told so far ("od septembra")
        for i in range(len(self.keys)):
            if self.is_year(i) or self.s.background.match(self.keys, i) or self.over_years(i):
                found.add(self.sentence_of[i])
            key = self.keys[i]
            if key in self.s.after_words and (i + 1 >= len(self.keys) or self.keys[i + 1] not in self.s.times_of_day):
                after_seen = self.sentence_of[i]
            elif after_seen == self.sentence_of[i] and (self.is_date(i) or key in self.s.latest_words):
                after_dated = after_seen   # "posle napada 24. septembra", "pas përplasjes së fundit"
            elif key in self.s.since_words and i + 1 < len(self.keys) and self.s.months.match(self.keys, i + 1):
                since_month = self.sentence_of[i]
            elif key in self.s.when_words and i > 0 and self.keys[i - 1] == "," \
                    and self.sentence_of[i] in (after_dated, since_month):
                # "posle napada ... 24. septembra, kada su poginuli ...", "Napetost raste od septembra, kada su
                # poginuli ...": the toll of an earlier event
                found.add(self.sentence_of[i])
            # "... в сентябре 2004 года. Тогда погибли 334 человека": "then" goes on about that past
            sentence = self.sentence_of[i]
            opens = i == 0 or self.sentence_of[i - 1] != sentence
            if opens and sentence - 1 in found and self.keys[i] in self.s.then_words:
                found.add(sentence)
            if opens and self.s.past_month_openers.match(self.keys, i):
                found.add(sentence)
        return found

    def over_years(self, i: int) -> bool:
        """"за вісім років", "za dve godine", "за минулий тиждень": a toll summed over years, months or weeks."""
        if self.keys[i] not in self.s.over_span:
            return False
        return any(self.keys[j] in self.s.years_and_months for j in range(i + 1, min(i + 3, len(self.keys))))

    def is_date(self, i: int) -> bool:
        """"24. septembra", "24 сентября", "24 shtator": a day of the month."""
        key = self.keys[i]
        return key.isdigit() and 1 <= int(key) <= 31 and i + 1 < len(self.keys) \
            and self.s.months.match(self.keys, i + 1) > 0

    def quoted(self, i: int, after: int) -> bool:
        """Is the word from token i to after in quotes ("e „vret” Dritën", "«убил» соперника"): a figure of
        speech, no death."""
        start, end = self.spans[i][0], self.spans[after - 1][1]
        return start > 0 and end < len(self.text) and self.text[start - 1] in _OPEN_QUOTES \
            and self.text[end] in _CLOSE_QUOTES

    def is_break(self, i: int) -> bool:
        key = self.keys[i]
        return key in _SENTENCE_END or key in _CLAUSE_END

    def is_the_word_what(self, i: int) -> bool:
        """Serbian "što" ("pre nego što je ubijen": before he was killed) folds to "sto", a hundred. The
        original letters tell them apart; written without the caron, the words that introduce it do ("pre nego
        sto", "kao sto", "to sto")."""
        if self.keys[i] != "sto":
            return False
        start, end = self.spans[i]
        if self.text[start:end].lower() in ("што", "što"):
            return True
        return i > 0 and self.keys[i - 1] in _BEFORE_THE_WORD_WHAT

    def number_at(self, i: int) -> tuple[int, int] | None:
        """(value, index after it) of a figure starting at token i: digits, words, "30 тысяч"."""
        keys = self.keys
        key = keys[i]
        value: int | None = None
        j = i + 1
        self.vague = False
        phrase = self.vague_phrase_at(i)
        if phrase is not None:
            value, j = phrase
            self.vague = True
        elif key[:1].isdigit():
            raw = self.text[self.spans[i][0]:self.spans[i][1]]
            decimal = _DECIMAL.fullmatch(raw)
            if decimal is not None:
                # "8,5 тисячі": the tokenizer keeps a decimal only before a thousands word
                if j >= len(keys) or keys[j] not in self.s.thousands:
                    return None
                whole, fraction = decimal.groups()
                return int(whole) * 1000 + int(fraction.ljust(3, "0")), j + 1
            digits = re.sub(r"\D", "", raw)
            value = int(digits) if digits else None
        elif key in self.t.numbers:
            if self.is_the_word_what(i):
                return None
            value, j = self.words_value(i)
            # "двох десятків", "dve desetine": tens
            if value < 10 and j < len(keys) and keys[j] in self.s.tens:
                value *= 10
                j += 1
        elif key in self.s.one_and_a_half and j < len(keys) and keys[j] in self.s.thousands:
            return 1500, j + 1   # "полторы тысячи военных"
        elif key in self.s.thousand_genitive and i > 0 and keys[i - 1] in self.s.governs_genitive:
            # "около тысячи военных", "близько тисячі двохсот": one thousand, after a word that takes the
            # genitive; "тысячи военных" alone is "thousands", no figure
            value = 1000
            if j < len(keys) and keys[j] in self.t.numbers:
                rest, end = self.words_value(j)
                if 0 < rest < 1000:
                    value, j = value + rest, end
        elif key in self.s.more_than and j + 1 < len(keys) and keys[j] in self.s.more_than[key]:
            return self.number_at(j + 1)   # "više od dvesta": more than two hundred counts 200
        elif key in self.t.vague:
            value = self.t.vague[key]
            self.vague = True
            # "nekoliko stotina", "кілька сотень", "несколько десятков": the scale word's figure
            if j < len(keys) and keys[j] in self.t.vague and self.t.vague[keys[j]] > value:
                value = self.t.vague[keys[j]]
                j += 1
        if value is None:
            return None
        if j < len(keys) and keys[j] in self.s.thousands:
            value *= 1000   # "несколько тысяч" stays vague: "several thousand" is no troop figure
            j += 1
            # "tri hiljade petsto", "пять тысяч двести", "një mijë e pesëqind"
            at = j + 1 if j + 1 < len(keys) and keys[j] == "e" else j
            if at < len(keys) and keys[at] in self.t.numbers:
                rest, end = self.words_value(at)
                if 0 < rest < 1000:
                    value, j = value + rest, end
        if j < len(keys) and self.s.not_people.match(keys, j):
            return None   # "3 sata", "24. марта", "20 km"
        return value, j

    def words_value(self, i: int) -> tuple[int, int]:
        """(value, index after it) of a number in words below a thousand from token i, its orders
        descending: "petsto", "двадцать пять", "сорока трех", "treqind e pesëdhjetë", "njëzet e tre"."""
        keys = self.keys
        total, last, j = 0, 1000, i
        while j < len(keys):
            at = j + 1 if keys[j] == "e" and total and j + 1 < len(keys) else j   # Albanian "njëzet e tre"
            n = self.t.numbers.get(keys[at])
            if n is None:
                break
            if n >= 1000:
                if not total:   # "hiljadu vojnika", "тысяча двести военных"
                    rest, end = self.words_value(at + 1) if at + 1 < len(keys) else (0, at + 1)
                    total, j = n + rest, end
                break
            order = 100 if n >= 100 else 10 if n >= 20 and n % 10 == 0 else 1
            if order >= last:
                break
            total, last, j = total + n, order, at + 1
        return total, j

    def inside_number(self, j: int) -> bool:
        """Is token j a later word of a number that starts before it ("пять" of "двадцать пять", "tre" of
        "njëzet e tre")?"""
        keys = self.keys
        for k in range(j - 1, max(-1, j - 4), -1):
            key = keys[k]
            if key not in self.t.numbers and key not in self.s.thousands and key != "e" and not key[:1].isdigit():
                return False   # only number words, thousands and Albanian "e" make up a number
            found = self.number_at(k)
            if found is not None and found[1] > j:
                return True
        return False

    def vague_phrase_at(self, i: int) -> tuple[int, int] | None:
        """(value, index after it) of "nepoznat broj", "неизвестное число": a quantity in words."""
        for phrase, value in self.t.vague_phrases.get(self.keys[i], ()):
            end = i + len(phrase)
            if end <= len(self.keys) and tuple(self.keys[i:end]) == phrase:
                return value, end
        return None

    def figure_after(self, i: int, limit: int = 4) -> tuple[int, int] | None:
        """A figure right after a verb, across auxiliaries only ("погибли ещё 27", "poginuo je jedan")."""
        j = i
        for _ in range(limit):
            if j >= len(self.keys) or self.is_break(j):
                return None
            found = self.number_at(j)
            if found is not None:
                return found[0], j
            if self.keys[j] not in self.t.auxiliary:
                return None
            j += 1
        return None

    def figure_before(self, i: int, limit: int = 5, join: bool = True) -> tuple[int, int] | None:
        """The nearest figure before a word in its clause ("Четверо армянских военнослужащих погибли"),
        with the figures of a list joined to it ("Dvojica vojnika i trojica napadača poginuli" = 5)."""
        j = i - 1
        total, first, joined = 0, -1, True
        while j >= 0 and i - j <= limit:
            if self.is_break(j) or self.is_year(j):
                break
            inside = (self.keys[j] in self.t.numbers or self.keys[j] == "e") and self.inside_number(j)
            if inside:
                limit = max(limit, i - j + 3)   # "njëzet e pesë të tjerë janë plagosur": the number's first word
            elif self.keys[j] in self.t.conjunctions:
                if not join:
                    break   # troops: "dy brigada dhe 4.000 ushtarë" is 4,000, not a sum
                limit = i - j + 4   # one more group before the conjunction
                joined = True
            elif self.casualty_word[j]:
                break   # "12 погибли и 43 ранены": the group before belongs to another verb
            elif self.keys[j] in self.t.partitives and j > 0 and self.number_at(j - 1) is not None:
                pass    # "tre nga sulmuesit u vranë": the figure before "of" is the group's
            elif self.keys[j] in self.t.prepositions and first < 0:
                break
            else:
                found = self.number_at(j)
                if found is not None and not self.inside_number(j):   # "двадцать пять": at "двадцать"
                    if not joined:
                        break   # "s 8350 do 4500 vojnika": one figure, not a list
                    total += found[0]
                    first = j
                    joined = False
            j -= 1
        return (total, first) if first >= 0 else None

    def toll_after(self, i: int) -> tuple[int, int] | None:
        """The figure a toll rose to: "число погибших выросло до 46", "broj poginulih porastao je na 12",
        "число погибших в результате нападения на ... выросло до 137", "превысило 80", and a toll corrected, its
        figure after a dash or a colon ("кількість загиблих уточнили — восьмеро", "уточнили: восьмеро людей")."""
        j = i
        while j < len(self.keys) and j - i < 16:
            if self.is_break(j):
                if (j > i and j + 1 < len(self.keys) and self.keys[j] in _TOLL_COLONS
                        and self.keys[j - 1] in self.s.toll_verbs):
                    found = self.number_at(j + 1)
                    if found is not None:
                        return found[0], j + 1
                break
            verb = j - 2 if j > i + 1 and self.keys[j - 1] in self.t.auxiliary else j - 1   # "premašio je 30"
            if j > i and (self.keys[j - 1] in self.s.from_to or self.keys[verb] in self.s.toll_verbs):
                found = self.number_at(j)
                # "выросло с 7 до 10", "porastao je sa 7 na 10": the figure it rose from is not the toll
                if found is not None and self.keys[j - 1] not in self.s.change_from:
                    return found[0], j
            j += 1
        return None

    def list_after(self, i: int) -> tuple[int, int] | None:
        """Victims listed after a plural verb: "погибли полицейский и трое нападавших" = 4,
        "poginuli su dva vojnika i tri civila" = 5. Groups are joined by "and"; a first group
        without a figure counts 1 when a later one has one."""
        j = i
        while j < len(self.keys) and self.keys[j] in self.t.auxiliary:
            j += 1
        total, figures, words_in_group, groups = 0, 0, 0, 0
        while j < len(self.keys) and j - i < 12 and not self.is_break(j):
            key = self.keys[j]
            if words_in_group == 0 and key in self.t.auxiliary:
                j += 1
                continue
            if key in self.t.conjunctions:
                if not words_in_group:
                    break
                groups += 1
                words_in_group = 0
                j += 1
                continue
            found = self.number_at(j) if words_in_group == 0 else None
            if found is not None:
                total += found[0]
                figures += 1
                words_in_group = 1
                j = found[1]
                continue
            if words_in_group == 0:
                if groups:
                    break     # a later group needs a figure of its own
                total += 1    # the first group named without one: one person ("полицейский")
            words_in_group += 1
            if words_in_group > 3:
                if figures:
                    break
                return None
            j += 1
        if figures and groups:
            return total, i
        return None

    def persons_after(self, i: int) -> tuple[int, int] | None:
        """People named one by one after a plural verb with no figure: "погибли мужчина, его супруга и их
        сын" = 3, "загинули мати з донькою" = 2. Each group is one person when its last word is not plural;
        "and" or "with" must join the last two; a figure, a preposition opening a group or a plural ends the
        reading ("погибли мирные жители", "погибли в Харькове и Сумах": no count)."""
        t = self.t
        if not t.plural_endings:
            return None
        groups: list[list[int]] = [[]]
        joined = False
        j = i
        while j < len(self.keys) and j - i < 16:
            key = self.keys[j]
            if key == ",":
                if joined or not groups[-1]:
                    break     # "погибли мужчина и женщина, сообщили в МВД": the list ended
                groups.append([])
            elif key in t.conjunctions or key in t.comitatives:
                if not groups[-1]:
                    return None
                groups.append([])
                joined = True
            elif self.is_break(j):
                break
            else:
                groups[-1].append(j)
            j += 1
        if not joined or not groups[-1] or any(len(group) > 4 for group in groups):
            return None
        for group in groups:
            if self.keys[group[0]] in t.prepositions or any(self.number_at(k) is not None for k in group):
                return None
            last = self.text[self.spans[group[-1]][0]:self.spans[group[-1]][1]].lower()
            if last.endswith(t.plural_endings) and last not in t.singular_exceptions:
                return None
        return len(groups), i

    def subgroup_before(self, i: int) -> bool:
        return any(self.s.subgroup.match(self.keys, j) for j in range(max(0, i - 4), i))

    def toll_before(self, i: int) -> bool:
        return any(self.s.toll.match(self.keys, j) for j in range(max(0, i - 3), i))

    def existing_before(self, i: int) -> bool:
        """"ukupno 3.800", "Aktualisht KFOR-i ka rreth 3.800": a force's existing strength; not a total
        sent ("Всего в страну были направлены 2030 военнослужащих": a verb of sending between)."""
        for j in range(max(0, i - 5), i):
            if self.s.existing.match(self.keys, j):
                return not any(self.t.increase.match(self.keys, k) for k in range(j + 1, i))
        return False

    def counted_force(self, i: int) -> bool:
        """A force whose number is the subject ("чисельність контингенту"): a count word just before it."""
        if not self.count_word_before(i):
            return False
        return self.t.forces.match(self.keys, i) > 0

    def count_word_before(self, i: int) -> bool:
        """A count word a few words before token i in its clause: "численность контингенту", "численность
        переброшенных в Белоруссию российских войск", "broj vojnika"."""
        for j in range(i - 1, max(-1, i - 6), -1):
            if self.is_break(j):
                return False
            if self.keys[j] in self.s.count_firsts and self.s.count_words.match(self.keys, j):
                return True
        return False

    def counts_units(self, figure: int, noun: int) -> bool:
        """"dy brigada rezerviste", "три батальона десантников": the figure counts the units between it
        and the troop noun, not soldiers."""
        return any(self.t.forces.match(self.keys, k) and not self.t.troops.match(self.keys, k)
                   for k in range(figure + 1, noun))

    def dead_noun(self, i: int) -> bool:
        """"Число военнослужащих, погибших ...": the troop noun at i names the dead, its figure a toll."""
        k = i + 1
        if k < len(self.keys) and self.keys[k] == ",":
            k += 1
        return k < len(self.keys) and self.killed_word[k] > 0

    def existing_after(self, i: int) -> bool:
        """"400 britanskih vojnika koji su već na terenu", "солдат, которые уже там": the troop noun at
        i names the forces already there, in its own clause."""
        for j in range(i + 1, min(i + 4, len(self.keys))):
            if self.is_break(j) and self.keys[j] != ",":
                return False
            if self.s.existing.match(self.keys, j):
                return True
        return False

    def casualties(self) -> list[_Mention]:
        t = self.t
        mentions: list[_Mention] = []
        i = 0
        keys = self.keys
        lowest = self.range_lows()   # "От семи до десяти человек погибли": a range counts its lowest
        while i < len(keys):
            name = "killed"
            length = self.killed_word[i]
            if not length:
                name = "wounded"
                length = self.wounded_word[i]
            if not length:
                i += 1
                continue
            sentence = self.sentence_of[i]
            cue = " ".join(keys[i:i + length])
            if self.quoted(i, i + length):
                i += length
                continue
            if any(keys[j] in t.negations for j in range(max(0, i - 3), i)) and not self.figure_after(i + length):
                i += length
                continue
            after = i + length
            toll = self.toll_before(i)
            found = self.toll_after(after) if toll else None
            if found is None and after < len(keys) and keys[after] in self.s.became:
                # "К вечеру погибших стало девять": the dead "became" a figure, a toll
                found = self.figure_after(after + 1)
                toll = found is not None
            if found is None:
                found = self.figure_after(after)
            if found is None and after + 1 < len(keys) and keys[after] in self.s.range_from:
                found = self.figure_after(after + 1, limit=1)   # "погибли от 7 до 10 человек": its lowest
            if found is not None and not toll:
                listed = self.list_after(after)
                if listed is not None and listed[0] > found[0]:
                    found = (listed[0], found[1])
            if found is None:
                found = self.figure_before(i)
            if found is None and after + 1 < len(keys) and keys[after] in _DASHES:
                # "погибших — трое", "загиблих — двоє": the dash stands for the verb "to be"
                found = self.figure_after(after + 1)
            if found is None and cue not in t.single_killed and cue not in t.single_wounded:
                found = self.list_after(after) or self.persons_after(after)
            if found is None and name == "killed":
                found = self.figure_before_comma(i)
            if found is None and cue in t.active_killed:
                found = self.figure_after(after, limit=2)
            value: int | None = lowest.get(found[1], found[0]) if found else None
            where = found[1] if found else i
            if value is None and name == "wounded" and self.describes_the_dead(i):
                i = after   # "Vdes polici i plagosur": the wounded man who died, not one more
                continue
            if name == "wounded" and found is not None and where < i and self.counted_dead(where):
                i = after   # "скончались ещё четверо раненых": the wounded who died, counted once
                continue
            if value is None:
                single = t.single_killed if name == "killed" else t.single_wounded
                prev = keys[i - 1] if i else ""
                if cue in single or f"{prev} {cue}" in single or cue in t.active_killed:
                    value = 1
            if value is not None and sentence not in self.background_sentences \
                    and not self.subgroup_before(min(where, i)):
                start = min(self.spans[where][0], self.spans[i][0])
                end = max(self.spans[where][1], self.spans[after - 1][1])
                mentions.append(_Mention(name, value, start, end, sentence, start < self.title_end,
                                         toll=toll or self.toll_before(min(where, i)),
                                         attackers=self.counts_attackers(where if found else None, after),
                                         also=self.also_after(after) or self.opens_with_also(sentence)
                                         or (i > 0 and keys[i - 1] in self.t.also_before)))
            i = after
        return mentions

    def figure_before_comma(self, i: int) -> tuple[int, int] | None:
        """The figure of the dead named before a comma, when the word for their death opens what follows it, as a
        participle or in a relative clause of their own: "траур по 29 военным, погибшим в засаде", "по 29
        военнослужащим, которые погибли"."""
        keys = self.keys
        comma = i - 1
        if comma > 0 and keys[comma - 1] == "," and keys[comma] in self.t.dead_after_comma \
                and keys[i] not in self.t.dead_after_comma:
            comma -= 1   # "..., которые погибли": the relative word, then the verb
        elif keys[i] in self.t.dead_after_comma:
            pass         # "..., погибшим в засаде": the participle itself
        else:
            return None
        if comma < 2 or keys[comma] != ",":
            return None
        if i + 1 < len(keys) and (keys[i + 1] in _NONE_OF_THEM or keys[i + 1] in self.t.negations):
            return None   # "ранены двадцать человек, погибших нет": none dead
        found = self.figure_before(comma, limit=3, join=False)
        if found is None or found[1] != comma - 2:
            return None   # the figure and its noun right before the comma: "29 военным,"
        return found

    def opens_with_also(self, sentence: int) -> bool:
        """Does the sentence open with "besides" ("Крім того, ...", "Osim toga, ...")?"""
        first = bisect_left(self.sentence_of, sentence)
        return first < len(self.keys) and self.s.also_openers.match(self.keys, first) > 0

    def also_after(self, i: int) -> bool:
        """"убијен је и ...", "погибли также ...": "also" among the auxiliaries right after a verb at i."""
        for k in range(i, min(i + 3, len(self.keys))):
            if self.keys[k] in self.t.also:
                return True
            if self.keys[k] not in self.t.auxiliary:
                return False
        return False

    def counted_dead(self, figure: int) -> bool:
        """Is the figure at `figure` the one a word for the dead just before takes ("preminula još četvorica
        ranjenih", "vdiqën edhe katër të plagosur"), with no "and" between?"""
        for k in range(max(0, figure - 4), figure):
            length = self.killed_word[k]
            if not length or any(self.keys[m] in self.t.conjunctions for m in range(k + length, figure)):
                continue
            found = self.figure_after(k + length)
            if found is not None and found[1] == figure:
                return True
        return False

    def describes_the_dead(self, i: int) -> bool:
        """Does a figureless wounded word at i describe someone a killed word just before it names, in its
        clause ("Vdes polici i plagosur", "скончался раненый боец")?"""
        for k in range(i - 1, max(-1, i - 4), -1):
            if self.is_break(k):
                return False
            if self.killed_word[k]:
                return True
        return False

    def attackers_in_title(self) -> bool:
        """Does the title name attackers ("Džihadisti ubili petnaest vojnika")?"""
        return any(self.t.attackers.match(self.keys, k) for k in range(len(self.keys))
                   if self.spans[k][0] < self.title_end)

    def counts_attackers(self, figure: int | None, after: int) -> bool:
        """Are the dead of this mention attackers: the noun right after its figure ("petoricu napadača",
        "Обох нападників"), or after a figureless verb ("ubijen napadač")? Not the attackers who killed
        ("нападники вбили шістьох"). A vague figure ("nekoliko desetina terorista") is no count to add."""
        if figure is not None:
            number = self.number_at(figure)
            if number is None or self.vague:
                return False
            start = number[1]
        else:
            start = after
        for k in range(start, min(len(self.keys), start + 3)):
            if self.is_break(k):
                return False
            if self.t.attackers.match(self.keys, k):
                return True
        return False

    def troops(self) -> tuple[int, int, int] | None:
        """(figure, start, end) of the largest troop figure, leaving out casualties and existing strength."""
        t = self.t
        keys = self.keys
        casualty_clauses = set()
        casualty_sentences = {self.sentence_of[i] for i in range(len(keys)) if self.casualty_word[i]}
        clause = 0
        clause_of = []
        for i in range(len(keys)):
            if self.is_break(i):
                clause += 1
            clause_of.append(clause)
            if self.casualty_word[i]:
                casualty_clauses.add(clause)
        best: tuple[int, int, int] | None = None
        counted_sentences = set()
        lowest = self.range_lows()
        for i in range(len(keys)):
            # a unit's strength after it: "бригада численностью около двух тысяч человек"
            if keys[i] in self.s.strength_of:
                strength = self.figure_near(i + 1)
                if strength is not None and not self.vague_at(strength[1]) \
                        and (best is None or strength[0] > best[0]):
                    best = (strength[0], self.spans[i][0], self.spans[strength[1]][1])
                continue
            # a troop noun, or a force whose number is the subject ("чисельність контингенту сягне 4700 осіб")
            if not t.troops.match(keys, i) and not self.counted_force(i):
                continue
            if clause_of[i] in casualty_clauses or (i + 1 < len(keys) and t.hardware.match(keys, i + 1)):
                continue
            if self.dead_noun(i):
                continue
            candidates = []
            found = self.figure_before(i, limit=4, join=False)
            if found is not None and not self.vague_at(found[1]) and not self.counts_units(found[1], i):
                candidates.append(found)
            sentence = self.sentence_of[i]
            # "broj vojnika smanjen je sa 8.350 na 4.500", "pakëson ushtarët nga 8.350 në 4.500"
            about_number = self.count_word_before(i)
            # once per sentence, and again for a later noun whose number is the subject ("Разом із 1700
            # десантниками ... загальна чисельність контингенту сягне 4700 осіб")
            if (sentence, about_number) not in counted_sentences and (sentence, True) not in counted_sentences:
                counted_sentences.add((sentence, about_number))
                lo = bisect_left(self.sentence_of, sentence)
                hi = bisect_right(self.sentence_of, sentence)
                for j in range(lo, hi):   # the sentence's own tokens: linear over the article
                    if clause_of[j] in casualty_clauses:
                        continue
                    # digits, or a number in words at its first word ("arrin në rreth katër mijë e shtatëqind")
                    worded = keys[j] in self.t.numbers and not self.inside_number(j)
                    if not (keys[j][:1].isdigit() or worded) or self.is_year(j):
                        continue
                    number = self.number_at(j)
                    if number is None or number[0] < 50:
                        continue
                    if about_number or (j > 0 and keys[j - 1] in self.s.from_to):
                        candidates.append((number[0], j))
            already_there = self.existing_after(i)
            for value, j in candidates:
                value = lowest.get(j, value)
                if value < 2 or self.is_year(j) or self.existing_before(j) or (j < i and already_there):
                    continue
                if self.sentence_of[j] in casualty_sentences and self.subgroup_before(j):
                    continue   # "загинули 26 заручників, серед них 18 військовослужбовців": among the dead
                if best is None or value > best[0]:
                    best = (value, self.spans[j][0], self.spans[i][1] if i > j else self.spans[j][1])
        return best

    def range_lows(self) -> dict[int, int]:
        """The token of each range's highest figure -> the range's lowest, with the scale word of the
        highest: "від 10 до 12 тисяч" and "10-12 тисяч" are 10,000, as a range counts its lowest."""
        keys = self.keys
        lows: dict[int, int] = {}
        for j in range(2, len(keys)):
            # digits, or a number in words ("od deset do dvanaest hiljada", "dy deri në tre mijë")
            if not keys[j][:1].isdigit() and (keys[j] not in self.t.numbers or self.inside_number(j)):
                continue
            worded = True   # "od A do B" needs its "od": "do 12 hiljada" alone is "up to"
            if keys[j - 1] in self.s.range_and:
                a = j - 2
                if a < 1 or keys[a - 1] not in self.s.range_between:
                    continue
            elif keys[j - 1] in self.s.range_to:
                a = j - 2
            elif keys[j - 1] in ("ne", "në") and keys[j - 2] == "deri":
                # Albanian "A deri në B" is a range wherever it stands ("dërgoi dy deri në tre mijë ushtarë"):
                # a change says "nga A" first, itself a range's opening
                a, worded = j - 3, False
            elif keys[j - 1] == "–" and keys[j - 2].isdigit():
                a, worded = j - 2, False
            elif self.text[self.spans[j - 1][1]:self.spans[j][0]].strip() == "-" and keys[j - 1].isdigit():
                a, worded = j - 1, False
            else:
                continue
            while a > 1 and not keys[a][:1].isdigit() and self.inside_number(a):
                a -= 1   # the first word of a low figure in words: "od dvadeset pet do trideset hiljada"
            if a < 1:
                continue
            if worded and keys[a - 1] not in self.s.range_from and keys[a - 1] not in self.s.range_between \
                    and (keys[a - 1] in self.s.from_to or not self.is_break(a - 1)):
                continue   # "A deri B" after a break ("OKB-së: 3.000 deri 4.000") is a range; "s A do B" a change
            low, high = self.number_at(a), self.number_at(j)
            if low is None or high is None:
                continue
            value = low[0]
            if high[0] >= 1000 and value < 1000 and value * 1000 <= high[0]:
                value *= 1000
            if value < high[0]:
                lows[j] = lows[a] = value   # a reading may start at either end
        return lows

    def figure_near(self, j: int, limit: int = 3) -> tuple[int, int] | None:
        """(value, index) of the first figure from token j, across "about" and other small words."""
        for k in range(j, min(j + limit, len(self.keys))):
            if self.is_break(k):
                return None
            found = self.number_at(k) if not self.is_year(k) else None
            if found is not None:
                return found[0], k
            if self.keys[k] not in self.s.about and self.keys[k] not in self.t.auxiliary:
                return None
        return None

    def change_by_figures(self, force_sentences: set[int]) -> str | None:
        """The direction a force's figures give, in sentences that name a force: "sa 8.350 na
        4.500" and "4.500 vojnika umesto 8.350" are a decrease, "nga 5.000 në 10.000" an increase."""
        keys = self.keys
        votes = set()
        for j in range(len(keys) - 1):
            if self.sentence_of[j] not in force_sentences or self.sentence_of[j] in self.background_sentences:
                continue
            before = after = None
            at = -1   # the token of the level forces were changed to
            if keys[j] in self.s.change_from:
                start = self.figure_near(j + 1, limit=2)
                if start is None:
                    continue
                for k in range(start[1] + 1, min(start[1] + 5, len(keys))):
                    if self.is_break(k):
                        break
                    if keys[k] in self.s.change_to:
                        end = self.figure_near(k + 1)
                        if end is not None:
                            before, after, at = start[0], end[0], end[1]
                        break
            elif keys[j] in self.s.change_to and j + 1 < len(keys) and keys[j + 1][:1].isdigit():
                # the level first, then where it came from: "ulur në 4.500, nga 8.350", "smanjen na 4.500 sa 8.350"
                level = self.figure_near(j + 1, limit=1)
                if level is None:
                    continue
                for k in range(level[1] + 1, min(level[1] + 4, len(keys) - 1)):
                    if keys[k] in self.s.change_from:
                        start = self.figure_near(k + 1, limit=2)
                        if start is not None:
                            before, after, at = start[0], level[0], level[1]
                        break
                    if self.is_break(k) and keys[k] != ",":
                        break
            elif keys[j] in self.s.instead_of:
                earlier = self.figure_near(j + 1, limit=2)
                later = None
                for k in range(j - 1, max(-1, j - 4), -1):
                    if self.is_break(k):
                        break
                    found = self.number_at(k) if not self.is_year(k) else None
                    if found is not None:
                        later, at = found[0], k
                        break
                if earlier is not None and later is not None:
                    before, after = earlier[0], later
            if before is not None and after is not None:
                before, after = _shared_scale(before, after)
            if before is not None and after is not None and before != after and min(before, after) >= 10:
                votes.add("increase" if after > before else "decrease")
                if after < before and self.cut_to is None:
                    self.cut_to = (after, self.spans[at][0], self.spans[at][1])
                if after > before and self.raised_to is None and not self.casualty_sentence(self.sentence_of[at]):
                    # not "погибли от двадцати до восьмидесяти бойцов": a range of the dead
                    self.raised_to = (after, self.spans[at][0], self.spans[at][1])
        if len(votes) == 1:
            return votes.pop()
        return None

    def level_left(self, force_sentences: set[int]) -> tuple[int, int, int] | None:
        """(level, start, end) a pull-back leaves, told with "remain": "od 40.000 ostaje 25.000", "из 10 тысяч
        останутся около 4 тысяч" -- the first such figure in a sentence that names a force, the title's first.
        The month the build-up behind it was sent ("стянутых в сентябре") dates that build-up, not the level."""
        keys = self.keys
        for j in range(len(keys) - 1):
            at = self.level_word_end(j)
            if at is None:
                continue
            if self.sentence_of[j] not in force_sentences and not self.troop_sentence(self.sentence_of[j]):
                continue
            found = self.figure_near(at)
            if found is not None and found[0] >= 10 and not self.vague_at(found[1]):
                level = found[0]
                earlier = self.figure_before_level(j)
                # "od četrdeset hiljada ostaje dvadeset pet": the level takes the scale of the figure it came from
                if earlier is not None and earlier >= 1000 and level < 1000 and level * 1000 < earlier:
                    level *= 1000
                return level, self.spans[found[1]][0], self.spans[found[1]][1]
        return None

    def level_raised(self, force_sentences: set[int]) -> tuple[int, int, int] | None:
        """(level, start, end) a build-up raised forces to, told with "to" after a word of increasing, where
        no troop noun carries the figure: "Группировка ... удвоена — до сорока тысяч", "pojačan na 6.000"."""
        keys = self.keys
        for j in range(len(keys) - 1):
            if self.sentence_of[j] not in force_sentences or self.sentence_of[j] in self.background_sentences:
                continue
            length = self.t.increase.match(keys, j)
            if not length:
                continue
            k = j + length
            while k < len(keys) and (keys[k] in self.t.auxiliary or keys[k] in ("—", "–")):
                k += 1
            if k + 1 >= len(keys) or keys[k] not in self.s.change_to:
                continue
            found = self.number_at(k + 1) if not self.is_year(k + 1) else None
            if found is not None and found[0] >= 100 and not self.vague_at(k + 1):
                return found[0], self.spans[k + 1][0], self.spans[found[1] - 1][1]
        return None

    def level_word_end(self, j: int) -> int | None:
        """Where the figure of a level starts when token j opens one: a word of remaining ("ostaje",
        "mbeten", "останутся"), or a word of cutting with "to" after it ("smanjen je na 4.500", "vraćen na
        4.500", "ulur në 4.500", "сокращена до 4500"); None otherwise."""
        keys = self.keys
        if keys[j] in self.s.remaining:
            return j + 1
        length = self.t.decrease.match(keys, j)
        if not length:
            return None
        k = j + length
        while k < len(keys) and keys[k] in self.t.auxiliary:
            k += 1
        # "smanjen je na 4.500", "u ul në katër mijë e pesëqind"
        if k + 1 < len(keys) and keys[k] in self.s.change_to and self.number_at(k + 1) is not None:
            return k + 1
        return None

    def figure_before_level(self, j: int) -> int | None:
        """The figure a level came from, a few words before it in its clause ("od 40.000 ostaje")."""
        for k in range(j - 1, max(-1, j - 5), -1):
            if self.is_break(k):
                return None
            if self.inside_number(k):
                continue
            found = self.number_at(k) if not self.is_year(k) else None
            if found is not None:
                return found[0]
        return None

    def casualty_sentence(self, sentence: int) -> bool:
        """Does the sentence name the dead or the wounded?"""
        lo = bisect_left(self.sentence_of, sentence)
        hi = bisect_right(self.sentence_of, sentence)
        return any(self.casualty_word[k] for k in range(lo, hi))

    def troop_sentence(self, sentence: int) -> bool:
        """Does the sentence name troops ("из 40 тысяч военных ...")?"""
        lo = bisect_left(self.sentence_of, sentence)
        hi = bisect_right(self.sentence_of, sentence)
        return any(self.t.troops.match(self.keys, k) for k in range(lo, hi))

    def vague_at(self, j: int) -> bool:
        """"dozens", "several" and "several thousand" are no troop figure; "hundreds" is (as in English)."""
        found = self.number_at(j)
        return found is not None and self.vague and (found[0] < 100 or found[0] >= 1000)

    def direction(self) -> str | None:
        """increase or decrease, from sentences that name a force; the title counts double. As in
        English, a pull-back wins a tie (its story names the build-up it ends), and the build-up
        told as a noun or as an earlier step ("jedinice koje je dovukla") weighs half."""
        t = self.t
        keys = self.keys
        forces: set[int] = set()
        for i in range(len(keys)):
            if t.forces.match(keys, i):
                forces.add(self.sentence_of[i])
        self.force_sentences = forces
        by_figures = self.change_by_figures(forces)
        if by_figures is not None:
            return by_figures
        score = {"increase": 0.0, "decrease": 0.0}
        last_not_done = -10
        earlier_step = False   # in a relative clause or a pluperfect since the last break
        negated = self.negated_clauses()
        clause = 0
        i = 0
        while i < len(keys):
            if self.is_break(i):
                last_not_done = -10
                # "Турски командоси, послати на Косово ..., враћају се": a participle set off after the force
                # tells the earlier sending of the forces that now return
                earlier_step = keys[i] == "," and self.appositive_after(i)
                clause += 1
                i += 1
                continue
            if clause in negated:
                i += 1
                continue
            if keys[i] in t.earlier_step:
                earlier_step = True
            if self.s.not_done.match(keys, i):
                last_not_done = i
                i += 1
                continue
            sentence = self.sentence_of[i]
            if sentence not in forces or sentence in self.background_sentences or i - last_not_done <= 6:
                i += 1
                continue
            weight = 2.0 if self.spans[i][0] < self.title_end else 1.0
            length = t.decrease.match(keys, i)
            if length:
                score["decrease"] += weight
                i += length   # "mesta stalnog razmeštaja" is one return home, not a deployment too
                continue
            if t.increase.match(keys, i):
                if t.increase_nouns.match(keys, i):
                    weight /= 2
                if earlier_step or self.sent_before_return(i):
                    weight /= 2
                score["increase"] += weight
            i += 1
        if score["decrease"] > 0 and score["decrease"] >= score["increase"]:
            return "decrease"
        if score["increase"] > 0:
            return "increase"
        return None


    def sent_before_return(self, i: int) -> bool:
        """Is the word of sending at i a participle right after its force, in a clause that tells of a return
        or a pull-back ("vojnici poslati kao pojačanje vraćaju se", "vojnika upućenih na Kosovo ... vraća se")?
        Such a participle says how the force came, before the return its clause reports."""
        t = self.t
        keys = self.keys
        if not any(t.forces.match(keys, k) == i - k for k in range(max(0, i - 3), i)):
            return False
        start = i
        while start > 0 and not self.is_break(start - 1):
            start -= 1
        end = i
        while end < len(keys) and not self.is_break(end):
            end += 1
        return any(t.decrease.match(keys, k) for k in range(start, end))

    def appositive_after(self, comma: int) -> bool:
        """Does a clause set off by the comma at `comma` right after a force open with a word of sending
        ("komandosi, poslati na Kosovo", "Komandot turq, të dërguar")?"""
        t = self.t
        if not any(t.forces.match(self.keys, k) for k in range(max(0, comma - 2), comma)):
            return False
        k = comma + 1
        while k < len(self.keys) and self.keys[k] in _PARTICIPLE_ARTICLES:
            k += 1
        return k < len(self.keys) and t.increase.match(self.keys, k) > 0

    def negated_clauses(self) -> set[int]:
        """Clauses (counted by breaks) with a negation of the language: "dodatne snage više nisu potrebne",
        "подкрепления не прибыли": their words of sending or withdrawing tell nothing done. "Не менее"
        (no fewer than) is no negation."""
        found = set()
        clause = 0
        keys = self.keys
        for i, key in enumerate(keys):
            if self.is_break(i):
                clause += 1
            elif key in self.t.negations and key not in _NOT_A_CLAUSE_NEGATION \
                    and (i + 1 >= len(keys) or keys[i + 1] not in _NOT_A_NEGATION):
                found.add(clause)
        return found


def _total(mentions: list[_Mention], name: str, attackers_in_title: bool = False) -> tuple[int | None, list[_Mention]]:
    """The incident's figure: a toll if one is given, else the larger of the title's and the body's sums."""
    own = [m for m in mentions if m.name == name]
    if not own:
        return None, []
    tolls = [m for m in own if m.toll]
    if tolls:
        best = max(tolls, key=lambda m: m.value)
        return best.value, [best]
    title = [m for m in own if m.in_title]
    body = [m for m in own if not m.in_title]
    title_sum = sum(m.value for m in title)
    by_sentence: dict[int, int] = {}
    for m in body:
        by_sentence[m.sentence] = by_sentence.get(m.sentence, 0) + m.value
    body_sum = sum(by_sentence.values())
    if title_sum and body_sum > title_sum and title_sum in by_sentence.values():
        # the body restates the title's toll, then details it; attackers killed besides are added when the
        # title names them as the killers ("нападники вбили шістьох" ... "Обох нападників застрелили": 8)
        restated = next(n for n, v in by_sentence.items() if v == title_sum)
        attackers = {m.sentence for m in body if m.attackers} - {m.sentence for m in body if not m.attackers}
        # the dead told as "also" killed are besides the title's ("убијено дванаест војника" ... "убијен је и
        # непознат број нападача" is 15), and so are attackers killed when the title names them as the killers
        # ("нападники вбили шістьох" ... "Обох нападників застрелили": 8)
        besides = {m.sentence for m in body if m.also and m.name == name}
        if attackers_in_title and not any(m.attackers for m in title):
            besides |= attackers
        extra = sum(v for n, v in by_sentence.items() if n != restated and n in besides)
        body_sum = title_sum + extra
    elif title_sum and title_sum not in by_sentence.values() and not attackers_in_title:
        # a body that does not restate the title's toll but tells attackers killed "also" ("poginulo
        # petnaest policajaca i dvoje civila" ... "ubijeno je i pet napadača" is 22): they are besides it
        # (a body sentence that sums to the title's toll tells its parts: "11 ushtarë ... edhe pesë sulmues";
        # a title that names attackers may count them: "dy policë dhe një sulmues të vrarë")
        also_attackers = [m for m in body if m.also and m.attackers]
        if also_attackers:
            title_sum += sum(m.value for m in also_attackers)
            title = title + also_attackers
    if not title:
        # a body that gives one toll and then its parts: the first sentence's figure when a later one repeats it
        sums = list(by_sentence.values())
        if len(sums) > 1 and sums[0] == sum(sums[1:]):
            body_sum = sums[0]
    if title_sum >= body_sum:
        return title_sum, title
    return body_sum, body


def _shared_scale(before: int, after: int) -> tuple[int, int]:
    """The two figures of a change, the thousands word of one shared by the other: "с пятнадцати до девяти
    тысяч" is 15,000 to 9,000, "з п'ятдесяти до тридцяти тисяч" 50,000 to 30,000. A force seldom changes fifty-fold,
    so a figure under a thousand beside one over fifty times larger takes its scale ("z 800 do 1500" keeps both)."""
    if before < 1000 <= after and after > 50 * before:
        return before * 1000, after
    if after < 1000 <= before and before > 50 * after:
        return before, after * 1000
    return before, after


def read_local_facts(text: str, language: str) -> Facts:
    """Casualty and troop facts of an article (title + "\\n" + body) in one of LANGUAGES."""
    if not text or language not in LANGUAGES:
        return Facts()
    reader = _Reader(text, _READ_AS.get(language, language))
    mentions = reader.casualties()
    killed, killed_from = _total(mentions, "killed", reader.attackers_in_title())
    wounded, wounded_from = _total(mentions, "wounded")
    spans = [FactSpan(m.name, m.value, m.start, m.end) for m in killed_from + wounded_from]
    change = reader.direction()
    troops = reader.troops()
    if change == "decrease" and reader.cut_to is None:
        reader.cut_to = reader.level_left(reader.force_sentences)   # "od 40.000 ostaje 25.000"
    if change == "decrease" and reader.cut_to is not None:
        troops = reader.cut_to   # after a cut, the level it left ("sa 8.350 na 4.500" is 4.500), as in English
    if change == "increase" and troops is None:
        # "выросла с восьмисот до полутора тысяч", "удвоена — до сорока тысяч"
        troops = reader.raised_to or reader.level_raised(reader.force_sentences)   # "удвоена — до сорока тысяч"
    if troops is not None:
        spans.append(FactSpan("troops", *troops))
    return Facts(killed, wounded, troops[0] if troops else None, change, tuple(spans))
