"""The matcher's shortcuts give the answers the long way gives: place names searched only once a
rule's own words all hit, the quick test in front of the locative regex, and a `near` condition's
`holds`, which finds the close pair without writing the evidence, the language detector's word
pattern for ASCII samples, the atoms an automaton found whether or not a key stands for several, the
rules' words' DFA against the default automaton, and folding text with a few letters beyond ASCII by
replacing each kind."""

from __future__ import annotations

import random

from bot.engine import compile_rules, load_rules_text
from bot.engine.automaton import build_automaton
from bot.engine.compile import ACRONYM, PLACE, TERM
from bot.engine.conditions import ScanResult
from bot.engine.language import _ASCII_WORDS, _WORDS
from bot.engine.match import _add_hits, scan
from bot.engine.places import _BEFORE, _may_be_before
from bot.engine.text import _FEW_DISTINCT, _fold_char, _table, fold, padded_fold
from bot.models import Article

RULES = """
- id: words-only
  title: Words only
  when:
    all:
      - terms: [ambush*]
      - terms: [convoy]
- id: words-and-region
  title: Words and a region
  when:
    all:
      - terms: [shelling]
      - regions: [ukraine]
- id: region-only
  title: A region alone
  when:
    regions: [mali]
"""


def test_a_rule_found_only_through_a_place_name_still_matches() -> None:
    ruleset = compile_rules(load_rules_text(RULES))
    assert ruleset.place_indexed   # region-only has no clause of its own words
    found = ruleset.match(Article("wire", "Talks resume in Bamako", "Delegations met on Monday."))
    assert [m.rule_id for m in found] == ["region-only"]
    assert found[0].regions == ("Bamako", "Mali")


def test_words_and_places_found_in_one_article_in_rule_order() -> None:
    ruleset = compile_rules(load_rules_text(RULES))
    article = Article("wire", "Convoy ambushed near Gao",
                      "Shelling hit Kharkiv overnight while a convoy was ambushed in central Mali.")
    assert [m.rule_id for m in ruleset.match(article)] == ["words-only", "words-and-region", "region-only"]


def test_an_article_without_the_rules_words_skips_the_places_and_matches_nothing() -> None:
    rules = load_rules_text(RULES.split("- id: region-only")[0])
    ruleset = compile_rules(rules)
    assert not ruleset.place_indexed
    assert ruleset.match(Article("wire", "Shelling reported", "Shelling was heard near Paris, France.")) == []
    [m] = ruleset.match(Article("wire", "Shelling near Kharkiv", "Shelling hit Kharkiv overnight."))
    assert (m.rule_id, m.regions) == ("words-and-region", ("Kharkiv", "Kharkiv Oblast", "Ukraine"))


_TOKENS = ["in", "near", "outside", "at", "to", "on", "of", "the", "a", "an", "north", "North", "south-east",
           "northern", "Western", "restive", "town", "village", "province", "district", "30", "km", "miles",
           "killed", "fighting", "Berlin", "within", "into", "(in", "x-on", "outskirts", "suburbs", "heart",
           "said", "police", ",", "(", "army", "IN", "Near", "of,", "km)", "—", "said:"]


def test_the_quick_locative_test_never_refuses_what_the_regex_accepts() -> None:
    rng = random.Random(11)
    accepted = 0
    for _ in range(20_000):
        words = rng.choices(_TOKENS, k=rng.randint(0, 8))
        before = rng.choice(["", "x", "Officials said "]) + " ".join(words) + rng.choice([" ", "  ", "\n", "", "\t"])
        if _BEFORE.search(before):
            accepted += 1
            assert _may_be_before(before), before
    assert accepted > 1_000   # the generator does reach the regex's matches


def test_the_quick_locative_test_refuses_ordinary_text() -> None:
    assert _may_be_before("killed in ")
    assert _may_be_before("about 30 km north of the restive town of ")
    assert not _may_be_before("officials said ")
    assert not _may_be_before("Officials said")   # no space before the name: never a locative


NEAR_RULES = """
- id: near-words
  title: Near words
  when:
    near: [[troops, soldiers], [border, frontier]]
    within: 3
- id: same-sentence
  title: Same sentence
  when:
    near: [[shelling], [village]]
    within: sentence
"""

_NEAR_WORDS = ["troops", "soldiers", "border", "frontier", "shelling", "village", "the", "were", "sent", "to",
               "a", "quiet", "morning", "near", "its", "east", "."]


def test_a_near_condition_holds_exactly_when_it_gives_evidence() -> None:
    """`holds` finds the close pair without writing the evidence; it must agree with `evaluate`."""
    ruleset = compile_rules(load_rules_text(NEAR_RULES))
    rng = random.Random(7)
    agreed = {True: 0, False: 0}
    for _ in range(400):
        body = " ".join(rng.choice(_NEAR_WORDS) for _ in range(rng.randint(3, 30)))
        scanned = scan(ruleset, Article("wire", "Report", body))
        for compiled in ruleset.compiled:
            holds = compiled.when.holds(scanned)
            assert holds == (compiled.when.evaluate(scanned) is not None), body
            agreed[holds] += 1
    assert agreed[True] > 20 and agreed[False] > 20   # both answers were tried


def test_the_ascii_word_pattern_finds_the_words_the_general_one_finds() -> None:
    rng = random.Random(11)
    alphabet = "abcxyz'_09 -.,\n"
    for _ in range(2000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert _ASCII_WORDS.findall(sample) == _WORDS.findall(sample), sample
    assert _ASCII_WORDS.findall("troops don't cross_the line2 'here'") == ["troops", "don't", "cross", "the",
                                                                           "line", "here"]


def test_folding_a_few_letters_beyond_ascii_gives_what_the_general_table_gives() -> None:
    """Text with a few kinds of letters beyond ASCII is folded by replacing each kind; any text, however
    many kinds it holds (a second script, emoji, combining marks, lone surrogates), must fold as the
    general per-character table folds it."""
    rng = random.Random(13)
    beyond = "’“”…čćšžđĐŁøıħЁёйЙљЊџжЯяїґ\u0301\u00a0\u2009\ud800😀中ﬁǅ½²ßİ"
    kinds_seen = {True: 0, False: 0}   # few kinds (replaced one by one), many kinds (the general way)
    for _ in range(3000):
        sample = "".join(rng.choice(beyond) if rng.random() < 0.2 else rng.choice("abc dE.-9")
                         for _ in range(rng.randint(1, 60)))
        assert fold(sample) == sample.translate(_table()), repr(sample)
        kinds_seen[len({ch for ch in sample if not ch.isascii()}) <= _FEW_DISTINCT] += 1
    assert kinds_seen[True] > 100 and kinds_seen[False] > 100
    assert fold("Troops near Zvečan’s “border”") == "troops near zvecan s  border "


def test_the_atoms_found_are_those_whose_spans_are_written_whether_a_key_stands_for_one_atom_or_several() -> None:
    """One atom a key (the rules' own words) takes a set comprehension; a key shared by several atoms (a name
    and its twin) the general way: both must give every atom `add_found` writes a span for, and no other."""
    words = ["troops", "border", "front line", "mobili", "shelling", "village", "near"]
    one_each = build_automaton([(w, w == "mobili", 0) for w in words], first_id=100)
    shared = build_automaton([(w, w == "mobili", 0) for w in [*words, "border", "near"]], first_id=100)
    assert one_each is not None and shared is not None
    assert one_each.only_atoms is not None and shared.only_atoms is None
    rng = random.Random(17)
    for _ in range(500):
        text = " ".join(rng.choice([*words, "the", "mobilised", "line", "front", "troopship"]) for _ in range(12))
        padded = " " + text + " "
        for automaton in (one_each, shared):
            found = automaton.matches(padded)
            written: dict[int, list[tuple[int, int]]] = {}
            automaton.add_found(found, written)
            assert automaton.atoms_found(found) == set(written), text
    found = shared.matches(" troops near the border ")
    assert shared.atoms_found(found) == {100, 101, 106, 107, 108}


def test_the_fold_table_filled_on_demand_folds_as_one_computed_up_front() -> None:
    """The table computes a code point's folding the first time a text holds it (str.translate asks the
    dict, whose __missing__ computes): every code point below 0x3000 folds as the per-character rule says,
    and characters met again read the stored entry."""
    every = "".join(chr(code) for code in range(0x3000) if not 0xD800 <= code < 0xE000)
    up_front = {ord(ch): _fold_char(ch) for ch in every}
    assert every.translate(_table()) == every.translate(up_front)
    assert fold(every) == every.translate(up_front)
    assert len(_table()) >= len(up_front)
    assert fold("Zvečan, Звечан") == "zvecan  zvecan"


def test_a_key_standing_for_several_atoms_writes_each_atoms_hits_by_its_own_kind() -> None:
    """The automaton holds one atom and kind per key as machine integers; a key shared by several atoms (the
    same letters as a word, a name and an acronym) keeps its pairs apart: each atom is still checked by its kind."""
    automaton = build_automaton([("us", False, TERM), ("us", False, PLACE), ("us", False, ACRONYM),
                                 ("troops", False, TERM), ("gao", False, PLACE)], first_id=7)
    assert automaton is not None
    assert automaton.entries(0) == ((7, TERM), (8, PLACE), (9, ACRONYM))
    assert automaton.entries(1) == ((10, TERM),) and automaton.entries(2) == ((11, PLACE),)
    text = "US troops near gao\nLet us see: Us and Gao"
    result = ScanResult(article=Article("wire", text.split("\n")[0], text.split("\n")[1]), text=text, title_end=18)
    _add_hits(result, automaton, padded_fold(text), len(text) + 2)
    assert result.hits == {7: [(0, 2), (23, 25), (31, 33)],   # the word: any case
                           8: [(0, 2), (31, 33)],             # the name: capitalised
                           9: [(0, 2)],                       # the acronym: in capitals
                           10: [(3, 9)],
                           11: [(38, 41)]}                    # "gao" in lower case is no name


def test_the_dense_automaton_finds_what_the_default_one_finds_and_never_its_own_extra_keys() -> None:
    """The rules' own words are searched by a DFA with three extra keys of control characters (they keep the
    library from putting a start-byte prefilter in front of it): over folded text, which holds no control
    character, it finds the same (key, start, end) triples as the default automaton, keys beyond ASCII too."""
    words = ["troops", "border", "front line", "mobili", "zvecan", "ʎudi", "near", "us", "s", "build up"]
    atoms = [(w, w == "mobili", 0) for w in words]
    default = build_automaton(atoms, first_id=3)
    dense = build_automaton(atoms, first_id=3, dense=True)
    assert default is not None and dense is not None
    rng = random.Random(23)
    pieces = [*words, "the", "mobilised", "Zvečan", "људи", "front\x01line", "\x02troops\x03", "U.S.", "build-up", "—"]
    for _ in range(500):
        padded = " " + fold(" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 15)))) + " "
        assert dense.matches(padded) == default.matches(padded), padded
        assert all(index < len(words) for index, _start, _end in dense.matches(padded))
    assert [index for index, _start, _end in dense.matches(" " + fold("\x01troops\x02 near\x03") + " ")] == [0, 6]


def test_the_padded_fold_is_the_padded_folded_text_in_utf8() -> None:
    """The matcher folds ASCII text as bytes and hands the automata UTF-8 without making the str: the same
    bytes as folding, padding and encoding, for ASCII text, letters beyond it and other scripts."""
    rng = random.Random(29)
    letters = "abcXYZ 09.,-\n\t'’“č Đ ł Звечан ʎ 🚨"
    for _ in range(2000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 40)))
        assert padded_fold(text) == (" " + fold(text) + " ").encode(), repr(text)
