"""Rule files (YAML) -> typed `Rule` objects that remember where they were written.

Every problem is collected with `file:line:column` and a hint, so `beacon check` can list
them all at once; a file with any problem contributes no rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.conditions import (
    FIELDS,
    AllCondition,
    AnyCondition,
    Condition,
    NotCondition,
    Term,
    TermsCondition,
)
from bot.engine.text import fold_term
from bot.errors import Problem, RuleError
from bot.models import Severity
from bot.yamldoc import YamlDoc, YamlLoadError, did_you_mean, load_yaml_file, load_yaml_text

RULE_KEYS = ("id", "title", "description", "severity", "tags", "when", "template", "examples")
CONDITION_KEYS = ("all", "any", "not", "terms")
MODIFIER_KEYS = ("in",)
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TERM = re.compile(r"^[^*]+\*?$")


@dataclass(frozen=True)
class Examples:
    """Texts a rule must and must not match; run by `beacon rules test`."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One parsed rule, with its source position for later messages."""

    id: str
    title: str
    severity: Severity
    when: Condition
    description: str = ""
    tags: tuple[str, ...] = ()
    template: str | None = None
    examples: Examples = field(default_factory=Examples)
    file: str = "<string>"
    line: int | None = None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def load_rules(rules_dir: Path, *, known_templates: Iterable[str] | None = None) -> list[Rule]:
    """Every rule under rules_dir (*.yaml, *.yml, sorted); raises RuleError listing all problems."""
    if not rules_dir.is_dir():
        raise RuleError(Problem(rules_dir, None, None, "rules directory not found"))
    files = sorted(p for p in rules_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    rules: list[Rule] = []
    problems: list[Problem] = []
    for path in files:
        try:
            doc = load_yaml_file(path)
        except YamlLoadError as exc:
            problems.append(exc.problem)
            continue
        found, errs = _rules_from_doc(doc, known_templates)
        rules.extend(found)
        problems.extend(errs)
    problems.extend(_duplicate_ids(rules))
    if problems:
        raise RuleError(problems)
    return rules


def load_rules_text(text: str, file: str = "<string>", *,
                    known_templates: Iterable[str] | None = None) -> list[Rule]:
    """Rules from one YAML string; handy in tests and for `/check`."""
    try:
        doc = load_yaml_text(text, file)
    except YamlLoadError as exc:
        raise RuleError(exc.problem) from exc
    rules, problems = _rules_from_doc(doc, known_templates)
    problems.extend(_duplicate_ids(rules))
    if problems:
        raise RuleError(problems)
    return rules


def _duplicate_ids(rules: list[Rule]) -> list[Problem]:
    first: dict[str, Rule] = {}
    problems = []
    for rule in rules:
        if rule.id in first:
            problems.append(Problem(rule.file, rule.line, None, f"duplicate rule id {rule.id!r}",
                                    f"first defined at {first[rule.id].location}"))
        else:
            first[rule.id] = rule
    return problems


def _rules_from_doc(doc: YamlDoc, known_templates: Iterable[str] | None) -> tuple[list[Rule], list[Problem]]:
    if doc.data is None:
        return [], []
    if isinstance(doc.data, dict):
        items = [((), doc.data)]
    elif isinstance(doc.data, list):
        items = [((i,), item) for i, item in enumerate(doc.data)]
    else:
        return [], [doc.problem((), "a rule file holds one rule (a mapping) or a list of rules")]
    rules, problems = [], []
    templates = set(known_templates) if known_templates is not None else None
    for path, item in items:
        parser = _RuleParser(doc, path, templates)
        rule = parser.parse(item)
        problems.extend(parser.problems)
        if rule is not None and not parser.problems:
            rules.append(rule)
    return rules, problems


class _RuleParser:
    """Validates one rule mapping, collecting every problem rather than stopping at the first."""

    def __init__(self, doc: YamlDoc, path: tuple[Any, ...], templates: set[str] | None) -> None:
        self.doc = doc
        self.path = path
        self.templates = templates
        self.problems: list[Problem] = []

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, message, hint, key=key))

    def parse(self, data: Any) -> Rule | None:
        p = self.path
        if not isinstance(data, dict):
            self.fail(p, "a rule must be a mapping with at least id, title and when")
            return None
        suggested = set()
        for key in data:
            if key not in RULE_KEYS:
                hint = did_you_mean(key, RULE_KEYS)
                suggested.update(k for k in RULE_KEYS if hint and repr(k) in hint)
                self.fail((*p, key), f"unknown key {key!r}", hint, key=True)
        for key in ("id", "title", "when"):
            if key not in data and key not in suggested:  # a misspelt key was already reported
                self.fail(p, f"missing required key {key!r}")
        rule_id = self._string(data, "id")
        if rule_id is not None and not _ID.match(rule_id):
            self.fail((*p, "id"), f"rule id {rule_id!r} must be lower-case letters, digits, '-' or '_'")
        title = self._string(data, "title")
        description = self._string(data, "description") or ""
        severity = Severity.MEDIUM
        if "severity" in data:
            raw = data["severity"]
            names = [s.label for s in Severity]
            if not isinstance(raw, str) or raw.lower() not in names:
                self.fail((*p, "severity"), f"unknown severity {raw!r}",
                          did_you_mean(str(raw).lower(), names) or f"use one of {', '.join(names)}")
            else:
                severity = Severity.parse(raw)
        tags = self._string_list(data, "tags")
        template = self._string(data, "template")
        if template is not None and self.templates is not None and template not in self.templates:
            self.fail((*p, "template"), f"template {template!r} not found in templates_dir",
                      did_you_mean(template, self.templates))
        examples = self._examples(data.get("examples"), (*p, "examples"))
        when = self.condition(data["when"], (*p, "when")) if "when" in data else None
        if self.problems or rule_id is None or title is None or when is None:
            return None
        line = self.doc.where(p)[0]
        return Rule(rule_id, title, severity, when, description, tuple(tags), template, examples,
                    str(self.doc.file), line)

    def _string(self, data: dict[str, Any], key: str) -> str | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.fail((*self.path, key), f"{key!r} must be a non-empty string")
            return None
        return value.strip()

    def _string_list(self, data: dict[str, Any], key: str) -> list[str]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail((*self.path, key), f"{key!r} must be a list of strings")
            return []
        return [v.strip() for v in value]

    def _examples(self, value: Any, path: tuple[Any, ...]) -> Examples:
        if value is None:
            return Examples()
        if not isinstance(value, dict):
            self.fail(path, "'examples' must be a mapping with 'match' and/or 'no_match' lists")
            return Examples()
        out: dict[str, tuple[str, ...]] = {}
        for key, texts in value.items():
            if key not in ("match", "no_match"):
                self.fail((*path, key), f"unknown key {key!r}", did_you_mean(key, ("match", "no_match")),
                          key=True)
                continue
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                self.fail((*path, key), f"'examples.{key}' must be a list of texts")
                continue
            out[key] = tuple(texts)
        return Examples(**out)

    # -- conditions ---------------------------------------------------------------------------

    def condition(self, value: Any, path: tuple[Any, ...]) -> Condition | None:
        if isinstance(value, list):
            self.fail(path, "a condition must be a mapping, not a list",
                      "put the list under 'all:' or 'any:'")
            return None
        if not isinstance(value, dict) or not value:
            self.fail(path, "a condition must be a mapping such as {terms: [...]} or {all: [...]}")
            return None
        parts: list[Condition] = []
        for key, sub in value.items():
            if key in MODIFIER_KEYS:
                continue
            if key not in CONDITION_KEYS:
                self.fail((*path, key), f"unknown condition {key!r}",
                          did_you_mean(key, CONDITION_KEYS + MODIFIER_KEYS), key=True)
                continue
            built = self._one(key, sub, value, (*path, key))
            if built is not None:
                parts.append(built)
        if "in" in value and "terms" not in value:
            self.fail((*path, "in"), "'in' applies to 'terms' in the same mapping", key=True)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else AllCondition(tuple(parts))

    def _one(self, key: str, sub: Any, parent: dict[str, Any], path: tuple[Any, ...]) -> Condition | None:
        if key in ("all", "any"):
            if not isinstance(sub, list) or not sub:
                self.fail(path, f"'{key}' takes a non-empty list of conditions")
                return None
            items = [self.condition(item, (*path, i)) for i, item in enumerate(sub)]
            if any(i is None for i in items):
                return None
            kids = tuple(i for i in items if i is not None)
            return AllCondition(kids) if key == "all" else AnyCondition(kids)
        if key == "not":
            inner = self.condition(sub, path)
            return NotCondition(inner) if inner is not None else None
        return self._terms(sub, parent.get("in", "any"), path)

    def _terms(self, sub: Any, where: Any, path: tuple[Any, ...]) -> Condition | None:
        values = [sub] if isinstance(sub, str) else sub
        if not isinstance(values, list) or not values:
            self.fail(path, "'terms' takes a word, a phrase, or a list of them")
            return None
        if where not in FIELDS:
            self.fail((*path[:-1], "in"), f"'in' must be one of {', '.join(FIELDS)}, not {where!r}")
            return None
        terms = []
        for i, raw in enumerate(values):
            term = self._term(raw, (*path, i) if isinstance(sub, list) else path)
            if term is not None:
                terms.append(term)
        if len(terms) != len(values):
            return None
        return TermsCondition(tuple(terms), where)

    def _term(self, raw: Any, path: tuple[Any, ...]) -> Term | None:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str) or not raw.strip():
            self.fail(path, f"a term must be a non-empty string, not {raw!r}")
            return None
        written = raw.strip()
        if not _TERM.match(written):
            self.fail(path, f"bad term {written!r}", "'*' is allowed only at the end of a term, as in 'mobili*'")
            return None
        prefix = written.endswith("*")
        folded = fold_term(written.rstrip("*"))
        if not folded:
            self.fail(path, f"term {written!r} has no letters or digits")
            return None
        if prefix and len(folded) < 3:
            self.fail(path, f"wildcard term {written!r} is too short", "give at least 3 letters before '*'")
            return None
        atoms = [folded]
        joined = folded.replace(" ", "")
        # `build-up` and `build up` fold alike; also accept the closed form `buildup`.
        if " " in folded and any(c in written for c in "-‐–_"):
            atoms.append(joined)
        return Term(written, tuple(atoms), prefix)
