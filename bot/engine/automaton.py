"""One pass over an article for every literal atom of every rule and every place name.

The keys are padded with the spaces folding puts at word boundaries: " troops " is a whole
word, " mobili" a word start. The search runs in ahocorasick-rs (Rust) over the text's UTF-8
bytes: a 3 KB article through 60,000 keys in about 37 us, against 61 us over str and several
hundred for pyahocorasick (bench/engine.py's articles, CPU time on this machine).
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from functools import cached_property

import ahocorasick_rs

# (atom id, kind) pairs: the atoms one key stands for
Entries = tuple[tuple[int, int], ...]
NO_ATOM = -1   # in Automaton.atom: the key stands for several atoms

# Every key starts with a space, so the library puts a start-byte prefilter before its DFA: a call to find
# the next space at every word, which costs more than the DFA's one table lookup per byte (a quarter of the
# rules' words' search). With four start bytes it builds none: three keys of a letter and a control
# character, which folded text never holds (folding turns it into a space), so they are never found. (Keys
# of a control character alone would do as well, but each would add a byte class: the DFA twice the size.)
_NEVER_FOUND = (b"a\x01", b"b\x01", b"c\x01")


class Automaton:
    """Every padded key, searched at once; hits may overlap ("new york" and "york")."""

    def __init__(self, keys: dict[str, Entries], dense: bool = False) -> None:
        # per key index: the length of the atom's own text (without the padding spaces)
        # (list comprehensions, not generators: this runs at every start for 50,000 place names, and a
        # generator's resumption per item cost a fifth of the Python side of the build)
        self.lengths = tuple([len(key.strip(" ")) for key in keys])
        # and its atom and that atom's kind, as machine integers: a tuple of (atom id, kind) pairs per key
        # held 5.5 MB of objects for the 44,000 place names. A key standing for several atoms (the same
        # letters as a name and as an acronym) has NO_ATOM here and its pairs in `shared`.
        values = list(keys.values())
        self.atom = array("i", [entries[0][0] if len(entries) == 1 else NO_ATOM for entries in values])
        self.kind = bytes([entries[0][1] if len(entries) == 1 else 0 for entries in values])
        self.shared: dict[int, Entries] = {index: entries for index, entries in enumerate(values)
                                           if len(entries) > 1}
        # over UTF-8 bytes: about 40 % faster than over str, which maps every offset back to characters.
        # `dense`: a DFA, a table lookup per byte where the library's default walks an NFA's transitions; a
        # third fewer instructions for a search, but about 1.5 KB per key, so only for the rules' own words
        patterns = [key.encode() for key in keys]
        implementation = None
        if dense:
            implementation = ahocorasick_rs.Implementation.DFA
            patterns.extend(_NEVER_FOUND)
        self._search = ahocorasick_rs.BytesAhoCorasick(patterns, implementation=implementation)

    def matches(self, padded: str) -> list[tuple[int, int, int]]:
        """(key index, start, -) for every key in `padded`; start is the index of the key's leading
        space, which is the atom's own start in the unpadded text. For ASCII text these are the
        search's own triples, not remapped in Python (the third value is then the byte end, else 0:
        callers take the key's length from `lengths`)."""
        return self.matches_in(padded.encode(), len(padded))

    def matches_in(self, data: bytes, chars: int) -> list[tuple[int, int, int]]:
        """`matches` of the padded text already in UTF-8 (text.padded_fold), `chars` characters long: the
        matcher folds ASCII text as bytes and never makes the str."""
        found = self._search.find_matches_as_indexes(data, overlapping=True)
        if len(data) == chars:
            return found
        char_at = character_offsets(data, {start for _index, start, _end in found})
        return [(index, char_at[start], 0) for index, start, _end in found]

    def entries(self, index: int) -> Entries:
        """The (atom id, kind) pairs key `index` stands for."""
        atom_id = self.atom[index]
        if atom_id == NO_ATOM:
            return self.shared[index]
        return ((atom_id, self.kind[index]),)

    @cached_property
    def atom_ids(self) -> tuple[tuple[int, ...], ...]:
        """Each key's atom ids without their kinds, for `atoms_found` and `add_found`; made when first needed,
        so the place names' automaton (whose hits are checked by kind) never holds them as objects (2.4 MB)."""
        return tuple(tuple(atom_id for atom_id, _kind in self.entries(index)) for index in range(len(self.lengths)))

    @cached_property
    def only_atoms(self) -> tuple[int, ...] | None:
        """Each key's one atom id, when no key stands for several (the rules' own words: one atom a key);
        else None."""
        if any(len(ids) != 1 for ids in self.atom_ids):
            return None
        return tuple(ids[0] for ids in self.atom_ids)

    def atoms_found(self, found: list[tuple[int, int, int]]) -> set[int]:
        """The atom ids of these `matches`, without their spans: enough to pick the candidate rules,
        and about a quarter of the cost of `add_found` (most articles wake no rule)."""
        only = self.only_atoms
        if only is not None:   # one set comprehension: less than half the cost of a set update per key
            return {only[index] for index, _start, _end in found}
        atom_ids = self.atom_ids
        atoms: set[int] = set()
        for index in {index for index, _start, _end in found}:
            atoms.update(atom_ids[index])
        return atoms

    def add_found(self, found: list[tuple[int, int, int]], hits: dict[int, list[tuple[int, int]]]) -> None:
        """These `matches`' atoms' spans added to `hits`, in the order found: one plain loop without a
        (start, KeyInfo) pair built per hit."""
        lengths, atom_ids = self.lengths, self.atom_ids
        for index, start, _end in found:
            span = (start, start + lengths[index])
            for atom_id in atom_ids[index]:
                spans = hits.get(atom_id)
                if spans is None:
                    hits[atom_id] = [span]
                else:
                    spans.append(span)


def character_offsets(data: bytes, starts: set[int]) -> dict[int, int]:
    """The character offset of each of these byte offsets into UTF-8 `data`, each at a character's
    first byte (a key starts with a space or a letter). Only the stretches between them are decoded, at
    C speed: walking every character of a 3 KB text in Python cost 250 us. Lone surrogates (encoded
    with "surrogatepass") count as one character each."""
    offsets: dict[int, int] = {}
    chars = last = 0
    for start in sorted(starts):
        chars += len(data[last:start].decode("utf-8", "surrogatepass"))
        offsets[start] = chars
        last = start
    return offsets


def build_automaton(atoms: Sequence[tuple[str, bool, int]], first_id: int = 0, dense: bool = False) -> Automaton | None:
    """(text, prefix, kind) per atom id, the first being `first_id` -> the automaton (a DFA when `dense`),
    or None when there is nothing to find."""
    if not atoms:
        return None
    # a tuple per key made at once, not a list per key turned into a tuple: nearly every key stands for one atom,
    # and the 50,000 lists were garbage the collector walked (a compile's build 130 -> 45 ms of CPU)
    grouped: dict[str, Entries] = {}
    for atom_id, (text, prefix, kind) in enumerate(atoms, start=first_id):
        key = f" {text}" if prefix else f" {text} "
        found = grouped.get(key)
        if found is None:
            grouped[key] = ((atom_id, kind),)
        else:
            grouped[key] = (*found, (atom_id, kind))
    return Automaton(grouped, dense)
