"""Rule files (YAML) -> typed `Rule` objects that remember where they were written.

Every problem is collected with `file:line:column` and a hint, so `beacon check` can list
them all at once; a file with any problem contributes no rules.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.durations import parse_duration
from bot.engine.conditions import (
    FIELDS,
    AgeCondition,
    AllCondition,
    AnyCondition,
    ChangeCondition,
    Condition,
    FactCondition,
    FieldCondition,
    KindCondition,
    NearCondition,
    NotCondition,
    RegexCondition,
    RegionsCondition,
    Term,
    TermsCondition,
)
from bot.engine.kind import KINDS
from bot.engine.regions import Region, RegionBook, slug, user_region
from bot.engine.text import fold_term
from bot.errors import Problem, RuleError
from bot.models import EventPolicy, Severity
from bot.yamldoc import YamlDoc, YamlLoadError, did_you_mean, load_yaml_file, load_yaml_text

RULE_KEYS = ("id", "title", "description", "severity", "tags", "when", "template", "examples", "throttle", "key",
             "events", "scope", "supersedes")
# article: every condition may hold anywhere in the text; lead: in a long article, only in its title and lead
SCOPES = ("article", "lead")
EVENT_KEYS = ("window", "min_sources", "max_wait", "group_wait", "escalate")
CONDITION_KEYS = ("all", "any", "not", "terms", "near", "regex", "regions", "killed", "wounded", "troops",
                  "troops_change", "source", "language", "age", "kind")
MODIFIER_KEYS = ("in", "within")
KEY_PARTS = ("rule", "region", "source")
REGION_KEYS = ("names", "in")
FACT_NAMES = ("killed", "wounded", "troops")
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
    throttle: float | None = None       # seconds: repeats of the same rule and key are suppressed
    key: tuple[str, ...] = ("rule", "region")
    policy: EventPolicy = field(default_factory=EventPolicy)
    file: str = "<string>"
    line: int | None = None
    scope: str = "article"  # "lead": a long article is judged on its title and first sentences (engine/lead.py)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class RuleSource:
    """What a rules directory defines: rules and operator regions."""

    rules: tuple[Rule, ...] = ()
    regions: tuple[Region, ...] = ()


def load_rules(rules_dir: Path, *, known_templates: Iterable[str] | None = None) -> RuleSource:
    """Every rule and region under rules_dir (*.yaml, *.yml, sorted); RuleError lists all problems."""
    if not rules_dir.is_dir():
        raise RuleError(Problem(rules_dir, None, None, "rules directory not found"))
    files = sorted(p for p in rules_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    docs: list[YamlDoc] = []
    problems: list[Problem] = []
    for path in files:
        try:
            docs.append(load_yaml_file(path))
        except YamlLoadError as exc:
            problems.append(exc.problem)
    source = _build(docs, known_templates, problems)
    unknown = _unknown_superseded(list(source.rules))
    if unknown:
        raise RuleError(unknown)
    return source


def load_rules_text(text: str, file: str = "<string>", *, known_templates: Iterable[str] | None = None,
                    regions_text: str | None = None) -> RuleSource:
    """Rules (and optionally regions) from YAML strings; handy in tests and for `/check`."""
    docs = []
    try:
        if regions_text is not None:
            docs.append(load_yaml_text(regions_text, "<regions>"))
        docs.append(load_yaml_text(text, file))
    except YamlLoadError as exc:
        raise RuleError(exc.problem) from exc
    return _build(docs, known_templates, [])


def _build(docs: list[YamlDoc], known_templates: Iterable[str] | None, problems: list[Problem]) -> RuleSource:
    book = RegionBook.with_countries()
    declared: list[_Declared] = []
    rule_docs = []
    for doc in docs:
        if isinstance(doc.data, dict) and "regions" in doc.data and "id" not in doc.data:
            problems.extend(_regions_from_doc(doc, book, declared))
        else:
            rule_docs.append(doc)
    regions = _resolve_parents(declared, book, problems)
    rules: list[Rule] = []
    templates = set(known_templates) if known_templates is not None else None
    for doc in rule_docs:
        found, errs = _rules_from_doc(doc, templates, book)
        rules.extend(found)
        problems.extend(errs)
    problems.extend(_duplicate_ids(rules))
    if problems:
        raise RuleError(problems)
    return RuleSource(tuple(rules), tuple(regions))


@dataclass(frozen=True)
class _Declared:
    """A region as written, before its parent is resolved (parents may live in later files)."""

    region: Region
    doc: YamlDoc
    path: tuple[Any, ...]


def _regions_from_doc(doc: YamlDoc, book: RegionBook, declared: list[_Declared]) -> list[Problem]:
    data = doc.data
    problems = []
    for key in data:
        if key != "regions":
            problems.append(doc.problem((key,), f"unknown key {key!r} in a regions file",
                                        "a regions file holds only 'regions:'", key=True))
    specs = data.get("regions")
    if not isinstance(specs, dict) or not specs:
        return [*problems, doc.problem(("regions",), "'regions' must map region ids to {names, in}")]
    for region_id, spec in specs.items():
        path = ("regions", region_id)
        before = len(problems)
        existing = book.resolve(str(region_id))
        if not _ID.match(str(region_id)):
            problems.append(doc.problem(path, f"region id {region_id!r} must be lower-case letters, digits, "
                                              "'-' or '_'", key=True))
        elif existing is not None and book.regions[existing].kind == "country":
            problems.append(doc.problem(path, f"region id {region_id!r} is already a country",
                                        "pick another id, or name the country in 'in:'", key=True))
        if not isinstance(spec, dict):
            problems.append(doc.problem(path, "a region is a mapping with 'names' and optional 'in'"))
            continue
        for key in spec:
            if key not in REGION_KEYS:
                problems.append(doc.problem((*path, key), f"unknown key {key!r}", did_you_mean(key, REGION_KEYS),
                                            key=True))
        names = spec.get("names")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
            problems.append(doc.problem((*path, "names"), "'names' must be a non-empty list of place names"))
        if spec.get("in") is not None and not isinstance(spec.get("in"), str):
            problems.append(doc.problem((*path, "in"), "'in' must name one region or country"))
        if len(problems) == before:
            declared.append(_Declared(user_region(str(region_id), spec), doc, path))
    return problems


def _resolve_parents(declared: list[_Declared], book: RegionBook, problems: list[Problem]) -> list[Region]:
    """Add every declared region to the book with its parent resolved to an id."""
    seen: set[str] = set()
    for item in declared:
        if item.region.id in seen:
            problems.append(item.doc.problem(item.path, f"duplicate region id {item.region.id!r}", key=True))
        seen.add(item.region.id)
        book.add(dataclasses.replace(item.region, parent=None))
    regions = []
    for item in declared:
        region = item.region
        if region.parent is not None:
            resolved = book.resolve(region.parent)
            if resolved is None:
                problems.append(item.doc.problem((*item.path, "in"), f"unknown region {region.parent!r}",
                                                 did_you_mean(slug(region.parent), book.ids())))
                continue
            if region.id in book.ancestors(resolved):
                problems.append(item.doc.problem((*item.path, "in"), f"region {region.id!r} would be inside itself"))
                continue
            region = dataclasses.replace(region, parent=resolved)
            book.add(region)
        regions.append(region)
    return regions


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


def _unknown_superseded(rules: list[Rule]) -> list[Problem]:
    """`supersedes:` names rules that exist, and not the rule itself."""
    ids = {rule.id for rule in rules}
    return [Problem(rule.file, rule.line, None, f"rule {rule.id!r} supersedes {other!r}, which is "
                    + ("itself" if other == rule.id else "not a rule here"))
            for rule in rules for other in rule.policy.supersedes if other == rule.id or other not in ids]


def _rules_from_doc(doc: YamlDoc, templates: set[str] | None, book: RegionBook) -> tuple[list[Rule], list[Problem]]:
    if doc.data is None:
        return [], []
    if isinstance(doc.data, dict):
        items = [((), doc.data)]
    elif isinstance(doc.data, list):
        items = [((i,), item) for i, item in enumerate(doc.data)]
    else:
        return [], [doc.problem((), "a rule file holds one rule (a mapping) or a list of rules")]
    rules, problems = [], []
    for path, item in items:
        parser = _RuleParser(doc, path, templates, book)
        rule = parser.parse(item)
        problems.extend(parser.problems)
        if rule is not None and not parser.problems:
            rules.append(rule)
    return rules, problems


class _RuleParser:
    """Validates one rule mapping, collecting every problem rather than stopping at the first."""

    def __init__(self, doc: YamlDoc, path: tuple[Any, ...], templates: set[str] | None, book: RegionBook) -> None:
        self.doc = doc
        self.path = path
        self.templates = templates
        self.book = book
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
        throttle = None
        if "throttle" in data:
            try:
                throttle = parse_duration(data["throttle"])
            except ValueError as exc:
                self.fail((*p, "throttle"), str(exc))
        key = self._key(data)
        policy = self._policy(data.get("events"), (*p, "events")) if "events" in data else EventPolicy()
        # rules this one stands in for: one incident, told under this rule (docs/events.md)
        supersedes = self._string_list(data, "supersedes") if "supersedes" in data else []
        if supersedes:
            policy = dataclasses.replace(policy, supersedes=tuple(supersedes))
        when = self.condition(data["when"], (*p, "when")) if "when" in data else None
        scope = data.get("scope", "article")
        if scope not in SCOPES:
            self.fail((*p, "scope"), f"'scope' must be one of {', '.join(SCOPES)}, not {scope!r}",
                      did_you_mean(str(scope), SCOPES))
        if self.problems or rule_id is None or title is None or when is None:
            return None
        line = self.doc.where(p)[0]
        return Rule(rule_id, title, severity, when, description, tuple(tags), template, examples, throttle, key,
                    policy, str(self.doc.file), line, scope)

    def _policy(self, data: Any, p: tuple[Any, ...]) -> EventPolicy:
        """`events:` -- how this rule's matches become events (see docs/events.md)."""
        if not isinstance(data, dict):
            self.fail(p, "'events' must be a mapping", f"use any of {', '.join(EVENT_KEYS)}")
            return EventPolicy()
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in EVENT_KEYS:
                self.fail((*p, key), f"unknown key {key!r} in 'events'",
                          did_you_mean(key, EVENT_KEYS) or f"use any of {', '.join(EVENT_KEYS)}", key=True)
            elif key in ("window", "max_wait", "group_wait"):
                try:
                    values[key] = parse_duration(value)
                except ValueError as exc:
                    self.fail((*p, key), str(exc))
            elif key == "min_sources":
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20:
                    self.fail((*p, key), "'min_sources' must be a whole number from 1 to 20")
                else:
                    values[key] = value
            else:
                values[key] = self._escalate(value, (*p, key))
        return EventPolicy(**values)

    def _escalate(self, data: Any, p: tuple[Any, ...]) -> tuple[tuple[Severity, dict[str, int]], ...]:
        """`escalate: {critical: {killed: 10}}`: the severity an event rises to when a fact reaches a figure."""
        names = [s.label for s in Severity]
        if not isinstance(data, dict):
            self.fail(p, "'escalate' maps a severity to fact minimums", "e.g. escalate: {critical: {killed: 10}}")
            return ()
        steps = []
        for label, minimums in data.items():
            if not isinstance(label, str) or label.lower() not in names:
                self.fail((*p, label), f"unknown severity {label!r}", did_you_mean(str(label), names), key=True)
                continue
            if not isinstance(minimums, dict) or not minimums:
                self.fail((*p, label), "give the fact minimums, e.g. {killed: 10}")
                continue
            kept = {}
            for fact, floor in minimums.items():
                if fact not in FACT_NAMES:
                    self.fail((*p, label, fact), f"unknown fact {fact!r}",
                              did_you_mean(str(fact), FACT_NAMES) or f"use any of {', '.join(FACT_NAMES)}", key=True)
                elif isinstance(floor, bool) or not isinstance(floor, int) or floor < 0:
                    self.fail((*p, label, fact), f"the minimum for {fact!r} must be a whole number")
                else:
                    kept[fact] = floor
            steps.append((Severity.parse(label), kept))
        return tuple(steps)

    def _key(self, data: dict[str, Any]) -> tuple[str, ...]:
        if "key" not in data:
            return ("rule", "region")
        parts = self._string_list(data, "key")
        for i, part in enumerate(parts):
            if part not in KEY_PARTS:
                self.fail((*self.path, "key", i) if isinstance(data["key"], list) else (*self.path, "key"),
                          f"unknown key part {part!r}", did_you_mean(part, KEY_PARTS) or
                          f"use any of {', '.join(KEY_PARTS)}")
        return tuple(dict.fromkeys(["rule", *parts]))

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
        if "in" in value and not {"terms", "near", "regex"} & set(value):
            self.fail((*path, "in"), "'in' applies to 'terms', 'near' or 'regex' in the same mapping", key=True)
        if "within" in value and "near" not in value:
            self.fail((*path, "within"), "'within' applies to 'near' in the same mapping", key=True)
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
        where = self._field(parent, path)
        if where is None:
            return None
        if key == "terms":
            return self._terms(sub, where, path)
        if key == "near":
            return self._near(sub, parent, where, path)
        if key == "regex":
            return self._regex(sub, where, path)
        if key == "regions":
            return self._regions(sub, path)
        if key in FACT_NAMES:
            return self._fact(key, sub, path)
        if key == "troops_change":
            if sub not in ("increase", "decrease", "any"):
                self.fail(path, f"'troops_change' must be increase, decrease or any, not {sub!r}")
                return None
            return ChangeCondition(sub)
        if key == "kind":
            return self._kind(sub, path)
        if key in ("source", "language"):
            values = [sub] if isinstance(sub, str) else sub
            if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
                self.fail(path, f"'{key}' takes a name or a list of names")
                return None
            return FieldCondition(key, frozenset(v.lower() for v in values))
        return self._age(sub, path)

    def _field(self, parent: dict[str, Any], path: tuple[Any, ...]) -> str | None:
        where = parent.get("in", "any")
        if where not in FIELDS:
            self.fail((*path[:-1], "in"), f"'in' must be one of {', '.join(FIELDS)}, not {where!r}")
            return None
        return where

    def _near(self, sub: Any, parent: dict[str, Any], where: str, path: tuple[Any, ...]) -> Condition | None:
        if not isinstance(sub, list) or len(sub) < 2:
            self.fail(path, "'near' takes a list of two or more term groups, e.g. [[troops, soldiers], [border]]")
            return None
        groups = []
        for i, group in enumerate(sub):
            items = [group] if isinstance(group, str) else group
            if not isinstance(items, list) or not items:
                self.fail((*path, i), "each 'near' group is a term or a list of terms")
                return None
            terms = [self._term(raw, (*path, i, j) if isinstance(group, list) else (*path, i))
                     for j, raw in enumerate(items)]
            if any(t is None for t in terms):
                return None
            groups.append(tuple(t for t in terms if t is not None))
        within = parent.get("within", 10)
        if within == "sentence":
            span: int | None = None
        elif isinstance(within, int) and not isinstance(within, bool) and 0 < within <= 100:
            span = within
        else:
            self.fail((*path[:-1], "within"), f"'within' must be a number of words (1-100) or 'sentence', "
                                              f"not {within!r}")
            return None
        return NearCondition(tuple(groups), span, where)

    def _regex(self, sub: Any, where: str, path: tuple[Any, ...]) -> Condition | None:
        import re2

        if not isinstance(sub, str) or not sub:
            self.fail(path, "'regex' takes one pattern as a string")
            return None
        options = re2.Options()
        options.log_errors = False
        options.case_sensitive = False
        try:
            compiled = re2.compile(sub, options=options)
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            self.fail(path, f"bad regex {sub!r}: {reason}",
                      "patterns run on RE2 (linear time): no backreferences or lookarounds")
            return None
        return RegexCondition(sub, compiled, where)

    def _regions(self, sub: Any, path: tuple[Any, ...]) -> Condition | None:
        if sub == "any":
            return RegionsCondition(("any",), None)
        refs = [sub] if isinstance(sub, str) else sub
        if not isinstance(refs, list) or not refs or not all(isinstance(r, str) and r.strip() for r in refs):
            self.fail(path, "'regions' takes a region, a list of regions, or 'any'")
            return None
        ids = []
        for i, ref in enumerate(refs):
            resolved = self.book.resolve(ref)
            if resolved is None:
                self.fail((*path, i) if isinstance(sub, list) else path, f"unknown region {ref!r}",
                          did_you_mean(slug(ref), self.book.ids()) or
                          "use a country name or ISO code, or define the region in a regions file")
                continue
            ids.append(resolved)
        if len(ids) != len(refs):
            return None
        return RegionsCondition(tuple(refs), frozenset(ids))

    def _fact(self, name: str, sub: Any, path: tuple[Any, ...]) -> Condition | None:
        if isinstance(sub, int) and not isinstance(sub, bool):
            return FactCondition(name, at_least=sub)
        if not isinstance(sub, dict) or not sub:
            self.fail(path, f"'{name}' takes a number (at least) or {{at_least: N, at_most: M}}")
            return None
        bounds: dict[str, int] = {}
        for key, value in sub.items():
            if key not in ("at_least", "at_most"):
                self.fail((*path, key), f"unknown key {key!r}", did_you_mean(key, ("at_least", "at_most")), key=True)
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.fail((*path, key), f"'{key}' must be a whole number of at least 0")
            else:
                bounds[key] = value
        if len(bounds) != len(sub):
            return None
        return FactCondition(name, bounds.get("at_least"), bounds.get("at_most"))

    def _kind(self, sub: Any, path: tuple[Any, ...]) -> Condition | None:
        values = [sub] if isinstance(sub, str) else sub
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            self.fail(path, f"'kind' takes a kind or a list of kinds: {', '.join(KINDS)}")
            return None
        unknown = [v for v in values if v not in KINDS]
        if unknown:
            hint = did_you_mean(unknown[0], KINDS) or f"use one of {', '.join(KINDS)}"
            self.fail(path, f"unknown kind {unknown[0]!r}", hint)
            return None
        return KindCondition(frozenset(values))

    def _age(self, sub: Any, path: tuple[Any, ...]) -> Condition | None:
        value = sub.get("at_most") if isinstance(sub, dict) and set(sub) == {"at_most"} else sub
        if isinstance(value, dict):
            self.fail(path, "'age' takes a duration or {at_most: DURATION}")
            return None
        try:
            return AgeCondition(parse_duration(value))
        except ValueError as exc:
            self.fail(path, f"'age': {exc}")
            return None

    def _terms(self, sub: Any, where: str, path: tuple[Any, ...]) -> Condition | None:
        values = [sub] if isinstance(sub, str) else sub
        if not isinstance(values, list) or not values:
            self.fail(path, "'terms' takes a word, a phrase, or a list of them")
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
