"""Rule files (YAML) -> typed `Rule` objects that remember where they were written.

Every problem is collected with `file:line:column` and a hint, so `beacon check` can list
them all at once; a file with any problem contributes no rules.

Reuse: named word lists and named conditions (engine/library.py) may be defined in any file
and used from any other; a rule may `extends:` another, inheriting its condition and keys and
narrowing it with `regions:` or a `when:` of its own. Both are resolved after every file is read.
"""

from __future__ import annotations

import dataclasses
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
    CountriesCondition,
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
from bot.engine.library import FILE_KEYS, ConditionParser, Library, build_term, list_ref
from bot.engine.region_names import unknown_region_hint
from bot.engine.regions import ID_FORM, Region, RegionBook, user_region
from bot.errors import Problem, RuleError
from bot.models import EventPolicy, Severity
from bot.trends.examples import ExampleParser, TrendExample
from bot.trends.model import Trend
from bot.trends.parse import TrendParser, named_rule_ids
from bot.yamldoc import YamlDoc, YamlLoadError, did_you_mean, load_yaml_file, load_yaml_text

RULE_KEYS = ("id", "title", "description", "severity", "tags", "when", "template", "examples", "throttle", "key",
             "events", "scope", "supersedes", "extends", "regions", "trend")
# a trend rule (bot/trends) fires on incidents over time, not on articles: these keys have no meaning there
NOT_FOR_TRENDS = ("when", "throttle", "key", "events", "scope", "supersedes", "extends", "regions")
# article: every condition may hold anywhere in the text; lead: in a long article, only in its title and lead
SCOPES = ("article", "lead")
EVENT_KEYS = ("window", "min_sources", "max_wait", "group_wait", "escalate", "update_only")
CONDITION_KEYS = ("all", "any", "not", "terms", "near", "regex", "regions", "countries", "killed", "wounded",
                  "troops", "troops_change", "source", "language", "age", "kind", "use")
MODIFIER_KEYS = ("in", "within")
KEY_PARTS = ("rule", "region", "source")
REGION_KEYS = ("names", "in")
FACT_NAMES = ("killed", "wounded", "troops")
# what a report's `update_only` may name: the figures, the direction of a troop change, the article's kind
UPDATE_FACTS = (*FACT_NAMES, "troops_change", "kind")


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
    parent: str | None = None  # the rule this one `extends:`
    trend: Trend | None = None  # a trend rule: fires on incidents over time (bot/trends), never on one article
    trend_examples: tuple[TrendExample, ...] = ()  # a trend rule's histories and their firings (beacon rules test)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class RuleSource:
    """What a rules directory defines: rules and operator regions."""

    rules: tuple[Rule, ...] = ()
    regions: tuple[Region, ...] = ()
    trends: tuple[Rule, ...] = ()   # trend rules: not matched against articles, evaluated over incidents


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
    library = Library()
    declared: list[_Declared] = []
    rule_docs: list[tuple[YamlDoc, Any]] = []
    for doc in docs:
        library.collect(doc)
        data = doc.data
        if isinstance(data, dict) and set(FILE_KEYS) & set(data):
            data = {key: value for key, value in data.items() if key not in FILE_KEYS}
            if not data:
                continue   # a file of lists and named conditions only
        if _is_regions_table(data):
            problems.extend(_regions_from_doc(doc, data, book, declared))
        else:
            rule_docs.append((doc, data))
    regions = _resolve_parents(declared, book, problems)
    templates = set(known_templates) if known_templates is not None else None
    library.check(_named_parser(templates, book, library))
    drafts: list[_Draft] = []
    attempted: set[str] = set()   # ids of every rule written, kept or not: a child of a broken rule says nothing
    for doc, data in rule_docs:
        found, errs = _rules_from_doc(doc, data, templates, book, library, attempted)
        drafts.extend(found)
        problems.extend(errs)
    rules, errs = _inherit(drafts, attempted)
    problems[:0] = library.problems
    problems.extend(errs)
    problems.extend(_duplicate_ids(rules))
    problems.extend(_unknown_counted(drafts, rules))
    if problems:
        raise RuleError(problems)
    return RuleSource(tuple(r for r in rules if r.trend is None), tuple(regions),
                      tuple(r for r in rules if r.trend is not None))


def _unknown_counted(drafts: list[_Draft], rules: list[Rule]) -> list[Problem]:
    """A trend counts incidents of rules that exist and match articles (not of other trend rules)."""
    article_rules = sorted(r.id for r in rules if r.trend is None)
    trend_rules = {r.id for r in rules if r.trend is not None}
    problems = []
    for draft in drafts:
        trend = draft.values.get("trend")
        if trend is None:
            continue
        for key, rule_id in named_rule_ids(trend):
            where = draft.doc.problem((*draft.path, "trend", trend.kind.value, key), "")
            if rule_id in trend_rules:
                problems.append(dataclasses.replace(where, message=f"trend rule {draft.id!r} counts {rule_id!r}, "
                                                    "a trend rule itself", hint="name rules that match articles"))
            elif rule_id not in article_rules:
                problems.append(dataclasses.replace(where, message=f"trend rule {draft.id!r} counts unknown rule "
                                                    f"{rule_id!r}", hint=did_you_mean(rule_id, article_rules)))
    return problems


def _named_parser(templates: set[str] | None, book: RegionBook, library: Library) -> ConditionParser:
    """How the library parses a named condition: as a rule's condition, where it is written."""
    def parse(doc: YamlDoc, path: tuple[Any, ...], value: Any) -> tuple[Condition | None, list[Problem]]:
        parser = _RuleParser(doc, path, templates, book, library)
        condition = parser.condition(value, path)
        return (None if parser.broken else condition), parser.problems
    return parse


def _is_regions_table(data: Any) -> bool:
    """A regions file: `regions:` and no key of a rule (a rule may narrow itself with `regions:`)."""
    return isinstance(data, dict) and "regions" in data and not set(data) & (set(RULE_KEYS) - {"regions"})


@dataclass(frozen=True)
class _Declared:
    """A region as written, before its parent is resolved (parents may live in later files)."""

    region: Region
    doc: YamlDoc
    path: tuple[Any, ...]


def _regions_from_doc(doc: YamlDoc, data: dict[str, Any], book: RegionBook,
                      declared: list[_Declared]) -> list[Problem]:
    problems = []
    for key in data:
        if key != "regions":
            problems.append(doc.problem((key,), f"unknown key {key!r} in a regions file",
                                        "a regions file holds 'regions:', 'lists:' and 'conditions:'", key=True))
    specs = data.get("regions")
    if not isinstance(specs, dict) or not specs:
        return [*problems, doc.problem(("regions",), "'regions' must map region ids to {names, in}")]
    for region_id, spec in specs.items():
        path = ("regions", region_id)
        before = len(problems)
        existing = book.resolve(str(region_id))
        if not ID_FORM.match(str(region_id)):
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
                                                 unknown_region_hint(region.parent, book)))
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


def _rules_from_doc(doc: YamlDoc, data: Any, templates: set[str] | None, book: RegionBook, library: Library,
                    attempted: set[str]) -> tuple[list[_Draft], list[Problem]]:
    if data is None:
        return [], []
    if isinstance(data, dict):
        items: list[tuple[tuple[int, ...], Any]] = [((), data)]
    elif isinstance(data, list):
        items = [((i,), item) for i, item in enumerate(data)]
    else:
        return [], [doc.problem((), "a rule file holds one rule (a mapping) or a list of rules")]
    drafts, problems = [], []
    for path, item in items:
        parser = _RuleParser(doc, path, templates, book, library)
        draft = parser.parse(item)
        problems.extend(parser.problems)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            attempted.add(item["id"].strip())
        if draft is not None and not parser.problems and not parser.broken:
            drafts.append(draft)
    return drafts, problems


@dataclass
class _Draft:
    """A rule as its file writes it, before the rule it extends (which may live in a later file) is known."""

    values: dict[str, Any]           # the Rule fields the file gives
    narrow: tuple[Condition, ...]    # a top-level `regions:`, and an extending rule's own `when:`
    extends: str | None
    doc: YamlDoc
    path: tuple[Any, ...]

    @property
    def id(self) -> str:
        return str(self.values["id"])


# What a rule has when its file (and the rule it extends) says nothing: examples are never inherited,
# since a narrower rule misses its parent's `match` examples by design.
_DEFAULTS: dict[str, Any] = {"description": "", "severity": Severity.MEDIUM, "tags": (), "template": None,
                             "throttle": None, "key": ("rule", "region"), "policy": EventPolicy(), "scope": "article"}


def _inherit(drafts: list[_Draft], attempted: set[str]) -> tuple[list[Rule], list[Problem]]:
    """Every draft as a Rule, in file order, each `extends:` resolved (chains allowed, cycles refused)."""
    by_id: dict[str, _Draft] = {}
    for draft in drafts:
        by_id.setdefault(draft.id, draft)
    built: dict[int, Rule | None] = {}
    problems: list[Problem] = []

    def build(draft: _Draft, chain: tuple[str, ...]) -> Rule | None:
        if id(draft) in built:
            return built[id(draft)]
        parent = None
        if draft.extends is not None:
            where = (*draft.path, "extends")
            target = by_id.get(draft.extends)
            if draft.extends == draft.id:
                problems.append(draft.doc.problem(where, f"rule {draft.id!r} extends itself"))
                target = None
            elif draft.extends in chain:
                loop = " -> ".join((*chain[chain.index(draft.extends):], draft.id, draft.extends))
                problems.append(draft.doc.problem(where, f"rules extend each other in a loop: {loop}"))
                target = None
            elif target is None and draft.extends not in attempted:
                problems.append(draft.doc.problem(where, f"rule {draft.id!r} extends unknown rule {draft.extends!r}",
                                                  did_you_mean(draft.extends, sorted(attempted))))
            elif target is not None and target.values.get("trend") is not None:
                problems.append(draft.doc.problem(where, f"rule {draft.id!r} extends trend rule {draft.extends!r}",
                                                  "a trend rule has no condition to build on: write a trend of "
                                                  "your own"))
                target = None
            parent = build(target, (*chain, draft.id)) if target is not None else None
            if parent is None:
                built[id(draft)] = None
                return None
        rule = _finish(draft, parent)
        built[id(draft)] = rule
        return rule

    rules = [rule for draft in drafts if (rule := build(draft, ())) is not None]
    return rules, problems


def _finish(draft: _Draft, parent: Rule | None) -> Rule:
    values = draft.values
    fields = dict(_DEFAULTS) if parent is None else {name: getattr(parent, name) for name in _DEFAULTS}
    fields.update({name: value for name, value in values.items() if name in _DEFAULTS})
    if "supersedes" in values:
        fields["policy"] = dataclasses.replace(fields["policy"], supersedes=tuple(values["supersedes"]))
    when: Condition = values["when"] if parent is None else parent.when
    if draft.narrow:
        own = when.items if isinstance(when, AllCondition) else (when,)
        when = AllCondition((*draft.narrow, *own))
    title = values.get("title") or (parent.title if parent is not None else "")
    line = draft.doc.where(draft.path)[0]
    return Rule(draft.id, title, when=when, examples=values.get("examples", Examples()), file=str(draft.doc.file),
                line=line, parent=draft.extends, trend=values.get("trend"),
                trend_examples=values.get("trend_examples", ()), **fields)


class _RuleParser:
    """Validates one rule mapping, collecting every problem rather than stopping at the first."""

    def __init__(self, doc: YamlDoc, path: tuple[Any, ...], templates: set[str] | None, book: RegionBook,
                 library: Library | None = None) -> None:
        self.doc = doc
        self.path = path
        self.templates = templates
        self.book = book
        self.library = library if library is not None else Library()
        self.problems: list[Problem] = []
        self.broken = False   # a list or named condition used here has problems of its own (reported there)

    def fail(self, path: tuple[Any, ...], message: str, hint: str | None = None, *, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, message, hint, key=key))

    def parse(self, data: Any) -> _Draft | None:
        """The rule's own keys, checked; what it inherits is filled in later (`_finish`)."""
        p = self.path
        if not isinstance(data, dict):
            self.fail(p, "a rule must be a mapping with at least id, title and when")
            return None
        suggested: set[str] = set()
        for key in data:
            if key not in RULE_KEYS:
                hint = did_you_mean(key, RULE_KEYS)
                if key in FILE_KEYS:
                    hint = f"'{key}:' belongs at the top level of a file, beside one rule's keys or alone"
                suggested.update(k for k in RULE_KEYS if hint and repr(k) in hint)
                self.fail((*p, key), f"unknown key {key!r}", hint, key=True)
        extends = self._string(data, "extends")
        required: tuple[str, ...] = ("id", "title", "when")
        if "extends" in data:   # an extending rule has its parent's title and condition unless it gives its own
            required = ("id",)
        elif "trend" in data:
            required = ("id", "title")
        if "trend" in data:
            for key in NOT_FOR_TRENDS:
                if key in data:
                    self.fail((*p, key), f"{key!r} does not apply to a trend rule",
                              "a trend rule counts incidents of other rules: see 'Rules over time' in docs/rules.md",
                              key=True)
        for key in required:
            if key not in data and key not in suggested:  # a misspelt key was already reported
                self.fail(p, f"missing required key {key!r}")
        values: dict[str, Any] = {}
        rule_id = self._string(data, "id")
        if rule_id is not None and not ID_FORM.match(rule_id):
            self.fail((*p, "id"), f"rule id {rule_id!r} must be lower-case letters, digits, '-' or '_'")
        values["id"] = rule_id
        for name in ("title", "description", "template"):
            if name in data:
                values[name] = self._string(data, name)
        if "severity" in data:
            raw = data["severity"]
            names = [s.label for s in Severity]
            if not isinstance(raw, str) or raw.lower() not in names:
                self.fail((*p, "severity"), f"unknown severity {raw!r}",
                          did_you_mean(str(raw).lower(), names) or f"use one of {', '.join(names)}")
            else:
                values["severity"] = Severity.parse(raw)
        if "tags" in data:
            values["tags"] = tuple(self._string_list(data, "tags"))
        template = values.get("template")
        if template is not None and self.templates is not None and template not in self.templates:
            self.fail((*p, "template"), f"template {template!r} not found in templates_dir",
                      did_you_mean(template, self.templates))
        if "examples" in data and "trend" in data:   # histories and their firings, not texts
            histories = ExampleParser(self.doc, self.book)
            values["trend_examples"] = histories.parse(data["examples"], (*p, "examples"))
            self.problems.extend(histories.problems)
        elif "examples" in data:
            values["examples"] = self._examples(data["examples"], (*p, "examples"))
        if "throttle" in data:
            try:
                values["throttle"] = parse_duration(data["throttle"])
            except ValueError as exc:
                self.fail((*p, "throttle"), str(exc))
        if "key" in data:
            values["key"] = self._key(data)
        if "events" in data:
            values["policy"] = self._policy(data["events"], (*p, "events"))
        # rules this one stands in for: one incident, told under this rule (docs/events.md)
        if "supersedes" in data:
            values["supersedes"] = tuple(self._string_list(data, "supersedes"))
        narrow: list[Condition | None] = []
        if "regions" in data:
            # a rule narrowed to regions is narrowed as a subscription is: to where the event happened
            narrowed = self._regions(data["regions"], (*p, "regions"))
            if isinstance(narrowed, RegionsCondition):
                narrowed = dataclasses.replace(narrowed, event_only=True)
            narrow.append(narrowed)
        if "when" in data:
            when = self.condition(data["when"], (*p, "when"))
            if extends is None:
                values["when"] = when
            else:
                narrow.append(when)
        if "trend" in data:
            trends = TrendParser(self.doc, self.book)
            values["trend"] = trends.parse(data["trend"], (*p, "trend"))
            values["when"] = AnyCondition(())   # never holds: a trend rule is not matched against articles
            self.problems.extend(trends.problems)
        if "scope" in data:
            scope = data["scope"]
            if scope not in SCOPES:
                self.fail((*p, "scope"), f"'scope' must be one of {', '.join(SCOPES)}, not {scope!r}",
                          did_you_mean(str(scope), SCOPES))
            values["scope"] = scope
        if self.problems or self.broken or rule_id is None or None in narrow or None in values.values():
            return None
        return _Draft(values, tuple(c for c in narrow if c is not None), extends, self.doc, p)

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
            elif key == "update_only":
                values[key] = self._update_only(value, (*p, key))
            else:
                values[key] = self._escalate(value, (*p, key))
        return EventPolicy(**values)

    def _update_only(self, data: Any, p: tuple[Any, ...]) -> tuple[tuple[str, Any], ...]:
        """`update_only: {troops_change: decrease}`: facts that make a report an update of an open incident only."""
        if not isinstance(data, dict) or not data:
            self.fail(p, "'update_only' maps a fact to a value", "e.g. update_only: {troops_change: decrease}")
            return ()
        kept = []
        for fact, value in data.items():
            if fact not in UPDATE_FACTS:
                self.fail((*p, fact), f"unknown fact {fact!r}",
                          did_you_mean(str(fact), UPDATE_FACTS) or f"use any of {', '.join(UPDATE_FACTS)}", key=True)
            elif isinstance(value, bool) or not isinstance(value, (str, int)):
                self.fail((*p, fact), f"the value of {fact!r} must be a word or a whole number")
            elif fact == "kind" and value not in KINDS:
                self.fail((*p, fact), f"unknown kind {value!r}",
                          did_you_mean(str(value), KINDS) or f"use one of {', '.join(KINDS)}")
            else:
                kept.append((str(fact), value))
        return tuple(kept)

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
        if "in" in value and not {"terms", "near", "regex", "countries"} & set(value):
            self.fail((*path, "in"), "'in' applies to 'terms', 'near', 'regex' or 'countries' in the same mapping",
                      key=True)
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
        if key == "use":
            return self._use(sub, path)
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
        if key == "countries":
            if not isinstance(sub, int) or isinstance(sub, bool) or not 1 <= sub <= 10:
                self.fail(path, f"'countries' takes how many countries must be named (1-10), not {sub!r}")
                return None
            return CountriesCondition(sub, where)
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
        return str(where)

    def _use(self, sub: Any, path: tuple[Any, ...]) -> Condition | None:
        """`use: armed-violence`: a named condition from any file's `conditions:`."""
        if not isinstance(sub, str) or not sub.strip():
            self.fail(path, "'use' takes the name of a condition defined under 'conditions:'")
            return None
        name = sub.strip()
        if name not in self.library.conditions:
            self.fail(path, *self.library.unknown_condition(name))
            return None
        loop = self.library.cycle(name)
        if loop is not None:
            self.fail(path, f"condition {name!r} uses itself: {loop}")
            return None
        found = self.library.condition(name, _named_parser(self.templates, self.book, self.library))
        if found is None:
            self.broken = True
        return found

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
            terms = self._term_list(items, (*path, i), isinstance(group, list))
            if terms is None:
                return None
            groups.append(terms)
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
                          unknown_region_hint(ref, self.book))
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
        terms = self._term_list(values, path, isinstance(sub, list))
        return TermsCondition(terms, where) if terms is not None else None

    def _term_list(self, items: list[Any], path: tuple[Any, ...], indexed: bool) -> tuple[Term, ...] | None:
        """Words and `$lists` (expanded in place), each word once; None after any problem."""
        terms: dict[str, Term] = {}
        ok = True
        for i, raw in enumerate(items):
            where = (*path, i) if indexed else path
            name = list_ref(raw)
            if name is None:
                term = self._term(raw, where)
                if term is None:
                    ok = False
                else:
                    terms.setdefault(term.written, term)
                continue
            if name not in self.library.lists:
                self.fail(where, *self.library.unknown_list(name))
                ok = False
                continue
            found = self.library.terms(name)
            if found is None:
                self.broken = True
                ok = False
                continue
            for term in found:
                terms.setdefault(term.written, term)
        return tuple(terms.values()) if ok else None

    def _term(self, raw: Any, path: tuple[Any, ...]) -> Term | None:
        term, message, hint = build_term(raw)
        if message is not None:
            self.fail(path, message, hint)
        return term
