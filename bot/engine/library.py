"""Named vocabularies (`lists:`) and named conditions (`conditions:`) shared by every rule file.

Shipped rules keep their words in named lists so an operator can add to them from a file of
their own (`lists: {killing-words: {append: [executed]}}`) instead of editing, and then
re-merging, the shipped files. All definitions are gathered from every file first and the
appends applied after them in file-name order, so where a list is defined never matters.
Named conditions are not appendable: adding an `or` to a condition every rule relies on
changes their logic unseen, and whether an addition should widen (`any`) or narrow (`all`)
cannot be guessed. Their words live in lists, which are the place to extend them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.engine.conditions import Condition, Term
from bot.engine.text import fold_term
from bot.errors import Problem
from bot.yamldoc import YamlDoc, did_you_mean

FILE_KEYS = ("lists", "conditions")   # top-level keys any rules file may carry besides its rule or regions
LIST_REF = "$"                        # `$killing-words` in terms: or a near: group
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TERM = re.compile(r"^[^*]+\*?$")

Path_ = tuple[Any, ...]
# parses a named condition's mapping as a rule would: (doc, path, value) -> condition, problems
ConditionParser = Callable[[YamlDoc, Path_, Any], tuple[Condition | None, list[Problem]]]


def build_term(raw: Any) -> tuple[Term | None, str | None, str | None]:
    """A rule's word or phrase as a Term, or (None, problem, hint)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str) or not raw.strip():
        return None, f"a term must be a non-empty string, not {raw!r}", None
    written = raw.strip()
    if not _TERM.match(written):
        return None, f"bad term {written!r}", "'*' is allowed only at the end of a term, as in 'mobili*'"
    prefix = written.endswith("*")
    folded = fold_term(written.rstrip("*"))
    if not folded:
        return None, f"term {written!r} has no letters or digits", None
    if prefix and len(folded) < 3:
        return None, f"wildcard term {written!r} is too short", "give at least 3 letters before '*'"
    atoms = [folded]
    # `build-up` and `build up` fold alike; also accept the closed form `buildup`.
    if " " in folded and any(c in written for c in "-‐–_"):
        atoms.append(folded.replace(" ", ""))
    return Term(written, tuple(atoms), prefix), None, None


def list_ref(raw: Any) -> str | None:
    """`$killing-words` -> `killing-words`; None when the item is an ordinary word."""
    if isinstance(raw, str) and raw.strip().startswith(LIST_REF):
        return raw.strip()[len(LIST_REF):]
    return None


@dataclass
class _Written:
    """One definition or append as written: which file, where, and the raw value."""

    name: str
    doc: YamlDoc
    path: Path_
    value: Any

    @property
    def location(self) -> str:
        line = self.doc.where(self.path, key=True)[0]
        return f"{self.doc.file}:{line}" if line else str(self.doc.file)


@dataclass
class Library:
    """Every list and named condition of a rules directory, resolved on first use and then kept."""

    lists: dict[str, _Written] = field(default_factory=dict)
    appends: list[_Written] = field(default_factory=list)
    conditions: dict[str, _Written] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _terms: dict[str, tuple[Term, ...] | None] = field(default_factory=dict)
    _conditions: dict[str, Condition | None] = field(default_factory=dict)
    _resolving: list[str] = field(default_factory=list)             # lists being expanded
    _parsing: list[str] = field(default_factory=list)               # named conditions being parsed

    # -- gathering, file by file -----------------------------------------------------------------

    def collect(self, doc: YamlDoc) -> None:
        """Take the `lists:` and `conditions:` of one file (a mapping at the top level)."""
        data = doc.data
        if not isinstance(data, dict):
            return
        if "lists" in data:
            self._collect_lists(doc, data["lists"])
        if "conditions" in data:
            self._collect_conditions(doc, data["conditions"])

    def _fail(self, doc: YamlDoc, path: Path_, message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append(doc.problem(path, message, hint, key=key))

    def _collect_lists(self, doc: YamlDoc, specs: Any) -> None:
        if not isinstance(specs, dict) or not specs:
            self._fail(doc, ("lists",), "'lists' maps list names to words",
                       "e.g. lists: {killing-words: [killed, slain]}")
            return
        for name, value in specs.items():
            path = ("lists", name)
            if not _NAME.match(str(name)):
                self._fail(doc, path, f"list name {name!r} must be lower-case letters, digits, '-' or '_'", key=True)
                continue
            written = _Written(str(name), doc, path, value)
            if isinstance(value, dict):
                if set(value) != {"append"}:
                    extra = sorted(set(value) - {"append"}) or ["append"]
                    self._fail(doc, (*path, extra[0]) if extra[0] in value else path,
                               "a list is a list of words, or {append: [words]} to add to one defined elsewhere",
                               did_you_mean(str(extra[0]), ["append"]), key=extra[0] in value)
                    continue
                written.path = (*path, "append")
                written.value = value["append"]
                if not self._words_ok(written):
                    continue
                self.appends.append(written)
                continue
            if not self._words_ok(written):
                continue
            first = self.lists.get(written.name)
            if first is not None:
                self._fail(doc, path, f"list {name!r} is defined twice (first at {first.location})",
                           "to add words to it, write {append: [...]}", key=True)
                continue
            self.lists[written.name] = written

    def _words_ok(self, written: _Written) -> bool:
        """The words of a definition or append: a non-empty list, each a valid term or a `$list`."""
        value = written.value
        if not isinstance(value, list) or not value:
            self._fail(written.doc, written.path, f"list {written.name!r} must be a non-empty list of words")
            return False
        ok = True
        for i, raw in enumerate(value):
            if list_ref(raw) is not None:
                continue
            _, message, hint = build_term(raw)
            if message is not None:
                self._fail(written.doc, (*written.path, i), message, hint)
                ok = False
        return ok

    def _collect_conditions(self, doc: YamlDoc, specs: Any) -> None:
        if not isinstance(specs, dict) or not specs:
            self._fail(doc, ("conditions",), "'conditions' maps condition names to conditions",
                       "e.g. conditions: {armed-violence: {terms: [attack*, gunmen]}}")
            return
        for name, value in specs.items():
            path = ("conditions", name)
            if not _NAME.match(str(name)):
                self._fail(doc, path, f"condition name {name!r} must be lower-case letters, digits, '-' or '_'",
                           key=True)
                continue
            if isinstance(value, dict) and "append" in value:
                self._fail(doc, (*path, "append"), "named conditions cannot be appended to",
                           "add words to the lists the condition uses, or define a condition of your own",
                           key=True)
                continue
            first = self.conditions.get(str(name))
            if first is not None:
                self._fail(doc, path, f"condition {name!r} is defined twice (first at {first.location})", key=True)
                continue
            self.conditions[str(name)] = _Written(str(name), doc, path, value)

    # -- after every file is gathered --------------------------------------------------------------

    def check(self, parse: ConditionParser) -> None:
        """Refuse appends to lists nobody defines, and resolve every list and named condition once,
        so a mistake in one no rule uses yet is still reported."""
        for append in self.appends:
            if append.name not in self.lists:
                self._fail(append.doc, append.path[:-1], f"append to unknown list {append.name!r}",
                           self._hint(append.name, self.lists), key=True)
        for name in self.lists:
            self.terms(name)
        for name in self.conditions:
            self.condition(name, parse)

    @staticmethod
    def _hint(name: str, known: dict[str, _Written]) -> str:
        return did_you_mean(name, known) or (f"known: {', '.join(sorted(known))}" if known else "no lists are defined")

    def unknown_list(self, name: str) -> tuple[str, str]:
        """The problem and hint for a `$name` no file defines."""
        return f"unknown list '${name}'", self._hint(name, self.lists)

    def unknown_condition(self, name: str) -> tuple[str, str]:
        hint = did_you_mean(name, self.conditions) or (
            f"known: {', '.join(sorted(self.conditions))}" if self.conditions else "no conditions are defined")
        return f"unknown condition {name!r}", hint

    def terms(self, name: str) -> tuple[Term, ...] | None:
        """The words of a list, its own then its appends', lists inside it expanded in place,
        each word once; None when the list is unknown, broken or part of a cycle."""
        if name in self._terms:
            return self._terms[name]
        definition = self.lists.get(name)
        if definition is None:
            return None
        if name in self._resolving:
            return None
        self._resolving.append(name)
        parts = [definition, *(a for a in self.appends if a.name == name)]
        terms: dict[str, Term] = {}
        broken = False
        for part in parts:
            for i, raw in enumerate(part.value):
                inner = list_ref(raw)
                if inner is None:
                    term, _, _ = build_term(raw)
                    if term is None:
                        broken = True
                    else:
                        terms.setdefault(term.written, term)
                    continue
                if inner in self._resolving:
                    chain = " -> ".join([*self._resolving[self._resolving.index(inner):], inner])
                    self._fail(part.doc, (*part.path, i), f"list {name!r} contains itself: {chain}")
                    broken = True
                    continue
                if inner not in self.lists:
                    self._fail(part.doc, (*part.path, i), *self.unknown_list(inner))
                    broken = True
                    continue
                found = self.terms(inner)
                if found is None:
                    broken = True
                    continue
                for term in found:
                    terms.setdefault(term.written, term)
        self._resolving.pop()
        result = None if broken else tuple(terms.values())
        self._terms[name] = result
        return result

    def condition(self, name: str, parse: ConditionParser) -> Condition | None:
        """A named condition, parsed where it is written (so its errors name its own file); None
        when it is unknown, broken or uses itself."""
        if name in self._conditions:
            return self._conditions[name]
        definition = self.conditions.get(name)
        if definition is None or name in self._parsing:
            return None
        self._parsing.append(name)
        condition, problems = parse(definition.doc, definition.path, definition.value)
        self._parsing.pop()
        self.problems.extend(problems)
        result = None if problems else condition
        self._conditions[name] = result
        return result

    def cycle(self, name: str) -> str | None:
        """`a -> b -> a` when using `name` now would close a cycle of named conditions."""
        if name not in self._parsing:
            return None
        return " -> ".join([*self._parsing[self._parsing.index(name):], name])
