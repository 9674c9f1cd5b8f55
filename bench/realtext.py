"""The development measure on real text: the shipped rules on `../shared/realtext-dev/`.

    .venv/bin/python bench/realtext.py                     # all three sets, Beacon and the keyword baseline
    .venv/bin/python bench/realtext.py --set agnews --show 5
    .venv/bin/python bench/realtext.py --json               # the figures as JSON, for the docs

The shared directory holds real text nobody on this project wrote (see its README). It is never
copied here: this script reads it where it lies, runs the rules the way `beacon match` does (the
repository's `rules/`, the embedded default config), and joins the labels, which live in
`bench/data/*-labels.jsonl` as ids and labels only. acled-dev carries its own `labels` field and is
scored by the conventions of its `score_dev.py`. Without the shared directory it says so and exits 0.
Standard library and the `bot` package only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO.parent / "shared" / "realtext-dev"
LABELS = Path(__file__).resolve().parent / "data"
FATAL_RULES = ("fatal-clash", "kosovo-fatal-clash")  # the Kosovo rule is the same detector, narrowed
TROOP_RULES = ("troop-buildup",)
SETS = {
    "acled": ("acled-dev.jsonl", None),
    "agnews": ("agnews-world-dev.jsonl", "agnews-labels.jsonl"),
    "longnews": ("longnews-dev.jsonl", "longnews-labels.jsonl"),
}
COUNTRIES: set[str] = set()  # filled by main() from the engine's country table
KINDS = ("news", "analysis", "opinion", "feature", "trial", "anniversary", "obituary", "explainer", "other")

# Other spellings a region list may use for a labelled country (folded). Labels use short English names.
ALIASES = {
    "democratic republic of congo": {"democratic republic of the congo", "dr congo"},
    "republic of congo": {"republic of the congo"},
    "ivory coast": {"cote d'ivoire"},
    "cote d'ivoire": {"ivory coast"},
    "myanmar": {"burma"},
    "palestine": {"state of palestine", "palestinian territories", "palestinian territory", "gaza strip"},
    "russia": {"russian federation"},
    "united states": {"united states of america", "usa"},
    "united kingdom": {"uk", "great britain"},
    "syria": {"syrian arab republic"},
    "iran": {"islamic republic of iran"},
}


@dataclass
class Item:
    """One record with its labels and what the rules (or the baseline) said about it."""

    id: str
    text: str
    labels: dict[str, Any]
    matches: list[dict[str, Any]] = field(default_factory=list)

    def fired(self, rules: Sequence[str]) -> bool:
        """Did one of the rules alert? An update-only match (a pull-back, a follow-up of an earlier attack)
        only joins an open incident and alone alerts nobody, so it does not count, as in `beacon rules eval`."""
        return any(m.get("rule") in rules and not m.get("update_only") for m in self.matches)


@dataclass
class Counts:
    """A confusion table; empty ratios are None so a report never divides by zero or invents a 1.0."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": _round(self.precision), "recall": _round(self.recall), "f1": _round(self.f1)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def fold(s: str) -> str:
    """Case and accents folded, so "Côte d'Ivoire" meets "cote d'ivoire"."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()


def country_in(country: str, regions: Iterable[str]) -> bool:
    folded = {fold(r) for r in regions}
    c = fold(country)
    return c in folded or bool(ALIASES.get(c, set()) & folded)


# ---- scoring (pure: the test runs these on a tiny set of its own) ----

def confusion(items: Iterable[Item], label: str, rules: Sequence[str]) -> Counts:
    """Counts of one rule family against one boolean label; null labels are left out."""
    c = Counts()
    for it in items:
        y = it.labels.get(label)
        if y is None:
            continue
        p = it.fired(rules)
        if p and y:
            c.tp += 1
        elif p:
            c.fp += 1
        elif y:
            c.fn += 1
        else:
            c.tn += 1
    return c


def killed_of(item: Item) -> int | None:
    """The fatal-clash match's `killed` fact, else any match's (as score_dev.py reads it)."""
    ordered = [m for m in item.matches if m.get("rule") in FATAL_RULES] + item.matches
    for m in ordered:
        k = (m.get("facts") or {}).get("killed")
        if isinstance(k, int):
            return k
    return None


def killed_figures(items: Sequence[Item]) -> dict[str, int]:
    """Toll accuracy: over all labelled positives (score_dev's figure) and over true positives only."""
    pos = [it for it in items if it.labels.get("fatal_clash") is True]
    tps = [it for it in pos if it.fired(FATAL_RULES)]
    figured = [it for it in pos if it.labels.get("killed") is not None]
    out = {"positives": len(pos), "positives_with_figure": len(figured), "tp": len(tps),
           "exact_of_positives": 0, "number_of_positives": 0, "tp_with_figure": 0, "tp_number": 0,
           "tp_exact": 0}
    for it in pos:
        got = killed_of(it)
        if got is not None:
            out["number_of_positives"] += 1
            if got == it.labels.get("killed"):
                out["exact_of_positives"] += 1
    for it in tps:
        got = killed_of(it)
        want = it.labels.get("killed")
        if want is not None:
            out["tp_with_figure"] += 1
        if got is not None:
            out["tp_number"] += 1
        if want is not None and got == want:
            out["tp_exact"] += 1
    return out


def first_country(item: Item, countries: set[str]) -> str | None:
    """The first region that names a country, in the fatal-clash match first, else in the first match.

    Regions list the event's most specific place first (town, division, country), so the country that
    comes first among the countries is the one Beacon took for the event's; later ones are mentions.
    """
    ordered = [m for m in item.matches if m.get("rule") in FATAL_RULES] + item.matches
    for m in ordered:
        for region in m.get("regions") or []:
            if fold(str(region)) in countries:
                return str(region)
    return None


def country_names() -> set[str]:
    """Folded country names and aliases from the engine's country table, read as plain lines."""
    names = {a for targets in ALIASES.values() for a in targets} | set(ALIASES)
    table = REPO / "bot" / "engine" / "data" / "countries.yaml"
    if not table.exists():
        return names
    for line in table.read_text(encoding="utf-8").splitlines():
        key, _, value = line.strip().partition(":")
        if key == "name" and value.strip():
            names.add(fold(value.strip().strip("\"'")))
        elif key == "aliases" and value.strip().startswith("["):
            inner = value.split("#")[0].strip().strip("[]")
            names.update(fold(x.strip().strip("\"'")) for x in inner.split(",") if x.strip())
    return names


def country_figures(items: Sequence[Item], countries: set[str] | None = None) -> dict[str, int]:
    """On records where any rule fired and the label names a country: country anywhere / first among countries.

    `countries` are the folded names that count as countries; the labels' own countries always do.
    """
    known = {fold(str(it.labels["country"])) for it in items if it.labels.get("country")} | (countries or set())
    out = {"fired": 0, "with_country": 0, "in_regions": 0, "first": 0, "no_region": 0}
    for it in items:
        if not it.matches:
            continue
        out["fired"] += 1
        country = it.labels.get("country")
        if not country:
            continue
        out["with_country"] += 1
        regions = [str(x) for m in it.matches for x in (m.get("regions") or [])]
        if not regions:
            out["no_region"] += 1
        if country_in(country, regions):
            out["in_regions"] += 1
        first = first_country(it, known)
        if first is not None and country_in(country, [first]):
            out["first"] += 1
    return out


def precision_by_kind(items: Sequence[Item], label: str, rules: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per article kind: how often the rule fired, how often rightly (null labels left out)."""
    out: dict[str, dict[str, Any]] = {}
    for it in items:
        if it.labels.get(label) is None or not it.fired(rules):
            continue
        kind = str(it.labels.get("kind") or "unknown")
        row = out.setdefault(kind, {"fired": 0, "right": 0})
        row["fired"] += 1
        if it.labels.get(label):
            row["right"] += 1
    for row in out.values():
        row["precision"] = round(row["right"] / row["fired"], 3)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]["fired"]))


def label_counts(items: Sequence[Item], label: str) -> dict[str, int]:
    out = {"true": 0, "false": 0, "null": 0}
    for it in items:
        y = it.labels.get(label)
        out["null" if y is None else "true" if y else "false"] += 1
    return out


# ---- the keyword filter an RSS-bot user would write ----

_DEATH = re.compile(r"\b(kill\w*|dead|died|dies|death|deaths)\b")
_VIOLENCE = re.compile(r"\b(attack\w*|clash\w*|bomb\w*|blast\w*|explo\w+|shoot\w*|shot|gunm[ae]n|gunfire|"
                       r"militants?|rebels?|insurgents?|fighting|ambush\w*|raid\w*|shell\w*|strikes?)\b")
_TROOPS = re.compile(r"\b(troops|soldiers|forces|army|units?)\b")
_BUILDUP = re.compile(r"\b(deploy\w*|sen[dt]s?|reinforce\w*|mass\w*|build-?up|mobili[sz]\w*|dispatch\w*)\b")


def baseline_matches(text: str) -> list[dict[str, Any]]:
    """Both words of a pair present anywhere in the text: kill/dead/died + a violence word, troops + deploy."""
    low = text.lower()
    out: list[dict[str, Any]] = []
    if _DEATH.search(low) and _VIOLENCE.search(low):
        out.append({"rule": "fatal-clash", "regions": [], "facts": {}, "explanation": []})
    if _TROOPS.search(low) and _BUILDUP.search(low):
        out.append({"rule": "troop-buildup", "regions": [], "facts": {}, "explanation": []})
    return out


# ---- loading and running ----

def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """JSON Lines; a bad line (or a line that is not an object) is reported as file:line: problem and stops the run."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from bot.sources.files import json_lines

    rows = []
    with path.open("rb") as fh:
        for entry in json_lines(fh):
            if entry.error:
                sys.exit(f"{path}:{entry.number}: {entry.error}")
            if not isinstance(entry.value, dict):
                sys.exit(f"{path}:{entry.number}: not a JSON object")
            rows.append(entry.value)
    return rows


def load_set(name: str, shared: Path, labels_dir: Path = LABELS) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(record, labels) pairs; the labels come from the record (acled) or from our file, joined by id."""
    data_file, label_file = SETS[name]
    records = read_jsonl(shared / data_file)
    if label_file is None:
        return [(r, r["labels"]) for r in records if isinstance(r.get("labels"), dict)]
    path = labels_dir / label_file
    if not path.exists():
        sys.exit(f"{path}: no labels for {name}")
    by_id = {str(r["id"]): r for r in records}
    pairs = []
    for row in read_jsonl(path):
        rec = by_id.get(str(row.get("id")))
        if rec is None:
            print(f"warning: {path}: id {row.get('id')!r} is not in {data_file}", file=sys.stderr)
            continue
        pairs.append((rec, row))
    return pairs


def beacon_matcher() -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """The shipped rules, loaded as `beacon match` loads them with the embedded default config."""
    sys.path.insert(0, str(REPO))
    from bot.config import load_config
    from bot.engine import compile_rules, load_rules
    from bot.render import template_names
    from bot.sources.files import jsonl_article

    config = load_config(None)
    ruleset = compile_rules(load_rules(config.rules_dir, known_templates=template_names(config.templates_dir)))
    now = datetime.now(UTC)

    def run(record: dict[str, Any]) -> list[dict[str, Any]]:
        article = jsonl_article("input", {k: v for k, v in record.items() if k != "labels"}, now)
        return [m.as_dict() for m in ruleset.match(article)]

    return run


def record_text(record: dict[str, Any]) -> str:
    return " ".join(x for x in (record.get("title") or "", record.get("text") or "") if x)


# ---- the report ----

def figures(items: Sequence[Item], *, troops: bool, kinds: bool) -> dict[str, Any]:
    """Every figure of one set for one scorer (Beacon or the baseline)."""
    out: dict[str, Any] = {
        "items": len(items),
        "fatal_clash": confusion(items, "fatal_clash", FATAL_RULES).as_dict(),
        "killed": killed_figures(items),
        "country": country_figures(items, COUNTRIES),
    }
    if troops:
        out["troop_buildup"] = confusion(items, "troop_buildup", TROOP_RULES).as_dict()
    if kinds:
        out["by_kind"] = {
            "fatal_clash": precision_by_kind(items, "fatal_clash", FATAL_RULES),
            "troop_buildup": precision_by_kind(items, "troop_buildup", TROOP_RULES),
        }
    return out


def _num(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _rate(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.0%}" if b else f"{a}/0"


def format_prf(name: str, c: dict[str, Any]) -> str:
    return (f"{name:<14} P {_num(c['precision'])}  R {_num(c['recall'])}  F1 {_num(c['f1'])}"
            f"   (tp {c['tp']}, fp {c['fp']}, fn {c['fn']}, tn {c['tn']})")


def format_set(name: str, beacon: dict[str, Any], base: dict[str, Any], counts: dict[str, dict[str, int]]) -> str:
    lines = [f"== {name}: {beacon['items']} labelled records"]
    for label, c in counts.items():
        lines.append(f"   labels {label}: true {c['true']}, false {c['false']}, null {c['null']}")
    lines.append(format_prf("fatal-clash", beacon["fatal_clash"]))
    lines.append(format_prf("  baseline", base["fatal_clash"]))
    k = beacon["killed"]
    lines.append(f"killed         exact {_rate(k['exact_of_positives'], k['positives'])} of labelled positives "
                 f"(gives a number {_rate(k['number_of_positives'], k['positives'])}); on true positives: "
                 f"exact {_rate(k['tp_exact'], k['tp'])}, gives a number {_rate(k['tp_number'], k['tp'])}, "
                 f"exact where the label has a figure {_rate(k['tp_exact'], k['tp_with_figure'])}")
    c = beacon["country"]
    lines.append(f"country        in regions {_rate(c['in_regions'], c['with_country'])}, first among countries "
                 f"{_rate(c['first'], c['with_country'])}, no region at all {_rate(c['no_region'], c['with_country'])}"
                 f"   (records where any rule fired and the label names a country)")
    if "troop_buildup" in beacon:
        lines.append(format_prf("troop-buildup", beacon["troop_buildup"]))
        lines.append(format_prf("  baseline", base["troop_buildup"]))
    if "by_kind" in beacon:
        for rule, rows in beacon["by_kind"].items():
            allc = beacon[rule]
            lines.append(f"{rule} precision by kind (all full-length articles: {_num(allc['precision'])}; "
                         f"baseline {_num(base[rule]['precision'])}):")
            for kind, row in rows.items():
                lines.append(f"   {kind:<12} {row['right']}/{row['fired']} = {row['precision']:.3f}")
    return "\n".join(lines)


def show_errors(items: Sequence[Item], n: int, records: dict[str, dict[str, Any]]) -> str:
    """N misses and N false positives per rule family, with the explanation; for the terminal only."""
    lines = []
    for label, rules in (("fatal_clash", FATAL_RULES), ("troop_buildup", TROOP_RULES)):
        fps = [it for it in items if it.labels.get(label) is False and it.fired(rules)]
        fns = [it for it in items if it.labels.get(label) is True and not it.fired(rules)]
        for kind, group in (("FP", fps), ("FN", fns)):
            for it in group[:n]:
                lab = {k: v for k, v in it.labels.items() if k in ("killed", "country", "kind", "why")}
                lines.append(f"-- {label} {kind} {it.id} {json.dumps(lab, ensure_ascii=False)}")
                for m in it.matches:
                    expl = "; ".join(f"{e.get('kind')} {e.get('value')}" for e in m.get("explanation") or [])
                    lines.append(f"   {m.get('rule')} regions={m.get('regions')} facts={m.get('facts')} [{expl}]")
                lines.append("   " + record_text(records[it.id])[:400])
    return "\n".join(lines)


def label_names(name: str) -> tuple[str, ...]:
    if name == "acled":
        return ("fatal_clash",)
    return ("fatal_clash", "troop_buildup")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the realtext-dev directory")
    ap.add_argument("--set", choices=(*SETS, "all"), default="all")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="list N misses and false positives per rule")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    if not args.dir.is_dir():
        print(f"{args.dir}: not present; nothing to measure (see bench/README.md)")
        return 0
    run = beacon_matcher()
    COUNTRIES.update(country_names())
    names = list(SETS) if args.set == "all" else [args.set]
    report: dict[str, Any] = {}
    for name in names:
        pairs = load_set(name, args.dir)
        records = {str(r["id"]): r for r, _ in pairs}
        ours = [Item(str(r["id"]), record_text(r), lab, run(r)) for r, lab in pairs]
        base = [Item(str(r["id"]), record_text(r), lab, baseline_matches(record_text(r))) for r, lab in pairs]
        troops = name != "acled"
        counts = {label: label_counts(ours, label) for label in label_names(name)}
        beacon_fig = figures(ours, troops=troops, kinds=name == "longnews")
        base_fig = figures(base, troops=troops, kinds=name == "longnews")
        report[name] = {"labels": counts, "beacon": beacon_fig, "baseline": base_fig}
        if not args.json:
            print(format_set(name, beacon_fig, base_fig, counts))
            if args.show:
                print(show_errors(ours, args.show, records))
            print()
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
