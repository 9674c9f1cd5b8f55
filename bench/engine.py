"""Benchmark of the rules engine against a naive loop of per-rule regexes.

Run from the repository root:

    .venv/bin/python bench/engine.py            # 5,000 articles, 10 / 100 / 1,000 rules
    .venv/bin/python bench/engine.py --quick    # 500 articles, a smoke run
    .venv/bin/python bench/engine.py --profile  # also cProfile the 1,000-rule engine pass

Articles and rules are generated with fixed seeds, so every run sees the same input.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import machine

from bot.engine import RuleSet, compile_rules, load_rules_text
from bot.engine.regions import RegionBook
from bot.models import Article

SEED = 20240611
RULE_COUNTS = (10, 100, 1000)
RUNS = 3
TARGET_ARTICLES_PER_S = 5000
TARGET_SCALING = 2.0
TRIGGER_RATE = 0.10          # share of articles carrying a trigger for one rule
ARTICLE_CHARS = 3000

# -- word pools ---------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    """The whitespace-separated words of a block of text."""
    return text.split()


COMMON_WORDS = words_of("""
the of and to a in is that for it as was with on he be by at have are this from or had not but what all were
when we there can an which their said if do will each about how up out them then she many some so these would
other into has more her two like him see time could no make than first been its who now people my made over did
down only way find use may water long little very after words called just where most know get through back much
before go good new write our used me man too any day same right look think also around another came come work
three word must because does part even place well such here take why things help put years different away again
off went old number great tell men say small every found still between name should home big give air set own
under read last never us left end while might next sound below saw something thought both few those always
looked show large often together asked house government minister officials statement week region local reported
according sources president country city capital talks agreement security spokesman ministry told agency
meeting leaders support plan public report state national group official move late early since during against
without within however including several further despite amid among across following percent million economic
policy issue news press service team members party power former major political international foreign health
market river road bridge school hospital station hours morning evening night weekend month year decision court
""")

NEWS_TERMS = [*words_of("""
troops soldiers forces army military tanks artillery border frontier killed dead wounded injured clash clashes
shelling attack attacked gunmen militants rebels insurgents police patrol ambush airstrike drone missile rocket
explosion blast ceasefire truce offensive fighting battle convoy checkpoint hostages refugees evacuation protest
protesters riot curfew sanctions mobilisation deployment reinforcements casualties civilians village militia
brigade battalion grenade sniper barracks garrison siege
"""),
    "mobili*", "deploy*", "reinforc*", "clash*", "attack*", "airstrike*", "evacuat*", "shell*", "militia*",
    "escalat*", "infiltrat*", "bombard*", "front line", "opened fire", "border crossing", "armed clash",
    "death toll", "air strike", "build-up", "state of emergency", "exchange of fire", "drone strike",
    "security forces", "peacekeeping mission",
]

EXCLUDE_TERMS = [
    "snow", "traffic", "film", "movie", "novel", "football", "match", "fans", "anniversary", "commemorat*",
    "earthquake", "flood*", "crash", "election", "debate", "parliament", "concert", "festival", "video game",
    "exercise*", "drill", "simulation", "museum", "tournament",
]

PLACES = [
    "Kosovo", "Serbia", "Mali", "Ukraine", "Russia", "Syria", "Sudan", "Niger", "Armenia", "Azerbaijan",
    "Lebanon", "Israel", "Somalia", "Ethiopia", "Burkina Faso", "Banjska", "Belgrade", "Pristina", "Mitrovica",
    "Zvečan", "Novi Sad", "Bamako", "Gao", "Kidal", "Kyiv", "Kharkiv", "Donetsk", "Aleppo", "Idlib",
    "Khartoum", "El Fasher", "Niamey", "Yerevan", "Baku", "Beirut", "Mogadishu", "Addis Ababa", "Ouagadougou",
    "Serbian", "Kosovar", "Malian", "Ukrainian", "Russian", "Syrian",
]

# rule `regions:` -> names an article may use for it (the country, a city, a demonym)
REGION_NAMES = {
    "kosovo": ["Kosovo", "Pristina", "Mitrovica", "Kosovar"],
    "serbia": ["Serbia", "Belgrade", "Novi Sad", "Serbian"],
    "mali": ["Mali", "Bamako", "Gao", "Malian"],
    "ukraine": ["Ukraine", "Kyiv", "Kharkiv", "Ukrainian"],
    "russia": ["Russia", "Russian"],
    "syria": ["Syria", "Aleppo", "Idlib", "Syrian"],
    "sudan": ["Sudan", "Khartoum"],
    "niger": ["Niger", "Niamey"],
    "armenia": ["Armenia", "Yerevan"],
    "azerbaijan": ["Azerbaijan", "Baku"],
    "lebanon": ["Lebanon", "Beirut"],
    "somalia": ["Somalia", "Mogadishu"],
    "ethiopia": ["Ethiopia", "Addis Ababa"],
    "burkina faso": ["Burkina Faso", "Ouagadougou"],
}

NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]

# RE2 patterns that Python's `re` also reads, each with a text it matches
REGEXES = [
    (r"\b\d{1,3}(?:,\d{3})+ (?:troops|soldiers)\b", "12,400 soldiers"),
    (r"\bkill(?:ed|ing) (?:at least )?\d+\b", "killed at least 14"),
    (r"\b(?:ceasefire|truce) (?:collapsed|violated|broke down)\b", "truce collapsed"),
    (r"\bstate of (?:emergency|siege) (?:declared|extended)\b", "state of emergency declared"),
    (r"\b(?:drone|missile) strikes? (?:on|near|against)\b", "drone strikes near"),
]

SUFFIXES = ("ed", "ing", "ation", "s", "es")


# -- generated input ----------------------------------------------------------------------------

@dataclass
class Words:
    """The vocabulary articles are written in and the term pools rules draw from."""

    vocab: list[str]
    cum_weights: list[float]
    topic_terms: list[str]


def pseudo_words(rng: random.Random, count: int, avoid: set[str]) -> list[str]:
    """Unique, pronounceable made-up words."""
    onsets = words_of("b c d f g h j k l m n p r s t v z br dr gr kr pl st tr sh ch")
    vowels = words_of("a e i o u ai ea ou")
    codas = ["", "", "n", "r", "s", "l", "m", "nd", "st"]
    out: dict[str, None] = {}
    while len(out) < count:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                       for _ in range(rng.choice((2, 2, 3))))
        if len(word) >= 4 and word not in avoid:
            out[word] = None
    return list(out)


def make_words(rng: random.Random) -> Words:
    """Common words plus ~3,000 made-up ones (Zipf-weighted), and a disjoint pool of 1,500 topic terms."""
    avoid = {w.lower() for w in COMMON_WORDS + NEWS_TERMS + EXCLUDE_TERMS + PLACES}
    made = pseudo_words(rng, 4700, avoid)
    vocab = COMMON_WORDS + made[:3000]
    weights = [1.0 / (rank + 2.7) for rank in range(len(vocab))]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    reserved = made[3000:]
    prefixes = {w[:n] for w in vocab for n in range(1, len(w) + 1)}
    topic: list[str] = []
    for i, word in enumerate(reserved[:1500]):
        kind = i % 20
        if kind < 2 and len(word) >= 5 and word[:5] not in prefixes:   # a wildcard must not hit common words
            topic.append(word[:5] + "*")
        elif kind < 5:
            topic.append(f"{word} {reserved[1500 + i % 200]}")
        else:
            topic.append(word)
    return Words(vocab, cum, topic)


def render(term: str, rng: random.Random) -> str:
    """How a term may appear in text: `mobili*` -> `mobilisation`."""
    return term[:-1] + rng.choice(SUFFIXES) if term.endswith("*") else term


def make_rules(rng: random.Random, words: Words, count: int) -> list[dict[str, Any]]:
    """Rules of realistic shape: an `all` of 2-3 term groups, a `not`, sometimes regions, near, facts, regex."""
    rules = []
    for i in range(count):
        groups = [rng.sample(NEWS_TERMS, rng.randint(3, 8)), rng.sample(words.topic_terms, rng.randint(3, 8))]
        if rng.random() < 0.5:
            size = rng.randint(3, 8)
            groups.append(rng.sample(NEWS_TERMS, size // 2) + rng.sample(words.topic_terms, size - size // 2))
        rng.shuffle(groups)
        items: list[dict[str, Any]] = [{"terms": g} for g in groups]
        if rng.random() < 0.20:
            items.append({"regions": rng.sample(sorted(REGION_NAMES), rng.randint(1, 3))})
        if rng.random() < 0.10:
            items.append({"near": [rng.sample(NEWS_TERMS, rng.randint(2, 3)),
                                   rng.sample(words.topic_terms, rng.randint(2, 3))], "within": 8})
        if rng.random() < 0.10:
            items.append(rng.choice([{"killed": {"at_least": rng.choice((1, 3, 5))}},
                                     {"troops": {"at_least": rng.choice((1000, 5000))}}]))
        if rng.random() < 0.05:
            items.append({"regex": rng.choice(REGEXES)[0]})
        excluded = rng.sample(EXCLUDE_TERMS, rng.randint(3, 6)) + rng.sample(words.topic_terms, rng.randint(0, 2))
        rules.append({
            "id": f"bench-{i:04d}",
            "title": f"Benchmark rule {i}",
            "severity": rng.choice(("low", "medium", "high")),
            "when": {"all": items, "not": {"terms": excluded}},
        })
    return rules


def trigger(rule: dict[str, Any], rng: random.Random) -> str:
    """A sentence that satisfies the rule (unless the article happens to contain an excluded term)."""
    parts: list[str] = []
    for item in rule["when"]["all"]:
        if "terms" in item:
            parts.append(render(rng.choice(item["terms"]), rng))
        elif "near" in item:
            a, b = (render(rng.choice(g), rng) for g in item["near"])
            parts.append(f"{a} {rng.choice(('and', 'near the', 'of'))} {b}")
        elif "regions" in item:
            parts.append(rng.choice(REGION_NAMES[rng.choice(item["regions"])]))
        elif "killed" in item:
            n = item["killed"]["at_least"] + rng.randint(0, 6)
            parts.append(f"killing {NUMBER_WORDS[n - 1]} people")
        elif "troops" in item:
            parts.append(f"{item['troops']['at_least'] + rng.randint(0, 90) * 100:,} troops")
        elif "regex" in item:
            parts.append(next(sample for pattern, sample in REGEXES if pattern == item["regex"]))
    rng.shuffle(parts)
    return "Officials said " + ", then ".join(parts) + "."


class Writer:
    """Writes English-like sentences: Zipf-weighted vocabulary sprinkled with news words, places, numbers."""

    def __init__(self, rng: random.Random, words: Words) -> None:
        self.rng = rng
        self.words = words
        self.pool: list[str] = []

    def sentence(self, length: int) -> list[str]:
        """`length` words, not yet capitalised or punctuated."""
        rng = self.rng
        if len(self.pool) < length:
            self.pool = rng.choices(self.words.vocab, cum_weights=self.words.cum_weights, k=1000)
        out = []
        for _ in range(length):
            r = rng.random()
            if r < 0.045:
                out.append(render(rng.choice(NEWS_TERMS), rng))
            elif r < 0.06:
                out.append(rng.choice(PLACES))
            elif r < 0.063:
                out.append(render(rng.choice(EXCLUDE_TERMS), rng))
            elif r < 0.06325:
                out.append(render(rng.choice(self.words.topic_terms), rng))
            elif r < 0.07:
                out.append(str(rng.randint(2, 2024)))
            else:
                out.append(self.pool.pop())
        return out


def make_articles(rng: random.Random, words: Words, rules: Sequence[dict[str, Any]], count: int) -> list[Article]:
    """~3 KB English-like articles with news words, places and numbers; ~10% carry a rule's trigger."""
    writer = Writer(rng, words)
    articles = []
    for n in range(count):
        title_words = writer.sentence(rng.randint(6, 12))
        title = " ".join([title_words[0].capitalize(), *title_words[1:]])
        sentences = []
        size = 0
        goal = ARTICLE_CHARS + rng.randint(-300, 300)
        while size < goal:
            body = writer.sentence(rng.randint(8, 22))
            text = " ".join([body[0].capitalize(), *body[1:]]) + "."
            sentences.append(text)
            size += len(text) + 1
        if rng.random() < 0.25:
            fact = rng.choice([f"{rng.randint(1, 30) * 350:,} troops", f"killing {rng.choice(NUMBER_WORDS)}"])
            sentences.insert(rng.randrange(len(sentences)), f"Reports mention {fact} in the area.")
        if rng.random() < TRIGGER_RATE:
            tier = rng.choice(RULE_COUNTS)   # so the 10- and 100-rule sets get triggers too
            sentences.insert(rng.randrange(len(sentences)), trigger(rules[rng.randrange(tier)], rng))
        paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
        articles.append(Article(source="bench", title=title, text="\n\n".join(paragraphs), id=str(n)))
    return articles


# -- the naive baseline -------------------------------------------------------------------------

@dataclass
class Doc:
    """One article as the baseline sees it, with facts extracted at most once."""

    text: str
    _facts: Any = None

    @property
    def facts(self) -> Any:
        if self._facts is None:
            from bot.engine.facts import extract_facts

            self._facts = extract_facts(self.text)
        return self._facts


Check = Callable[[Doc], bool]


def _alternation(terms: Sequence[str]) -> str:
    alts = []
    for term in terms:
        stem = term.rstrip("*")
        body = r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", stem))
        alts.append(body + (r"\w*" if term.endswith("*") else ""))
    return r"\b(?:" + "|".join(alts) + r")\b"


@dataclass
class NaiveRuleSet:
    """The usual approach: per rule, one `re` pattern per term group, searched for every article."""

    rules: list[tuple[str, Check]] = field(default_factory=list)

    @classmethod
    def build(cls, specs: Sequence[dict[str, Any]]) -> NaiveRuleSet:
        book = RegionBook.with_countries()
        return cls([(spec["id"], _naive(spec["when"], book)) for spec in specs])

    def match(self, text: str) -> list[str]:
        doc = Doc(text)
        return [rule_id for rule_id, check in self.rules if check(doc)]


def _all_of(checks: list[Check]) -> Check:
    return lambda doc: all(check(doc) for check in checks)


def _any_of(checks: list[Check]) -> Check:
    return lambda doc: any(check(doc) for check in checks)


def _none_of(check: Check) -> Check:
    return lambda doc: not check(doc)


def _found(search: Callable[[str], re.Match[str] | None]) -> Check:
    return lambda doc: search(doc.text) is not None


def _at_least(fact: str, least: int) -> Check:
    return lambda doc: (getattr(doc.facts, fact) or 0) >= least


def _naive(cond: dict[str, Any], book: RegionBook) -> Check:
    """Compile one condition mapping (as written in YAML) to a function of the article."""
    checks: list[Check] = []
    for key, sub in cond.items():
        if key == "all":
            kids = [_naive(c, book) for c in sub]
            checks.append(_all_of(kids))
        elif key == "any":
            kids = [_naive(c, book) for c in sub]
            checks.append(_any_of(kids))
        elif key == "not":
            inner = _naive(sub, book)
            checks.append(_none_of(inner))
        elif key == "terms":
            search = re.compile(_alternation(sub), re.IGNORECASE).search
            checks.append(_found(search))
        elif key == "near":
            a, b = (_alternation(g) for g in sub)
            gap = rf"(?:\W+\w+){{0,{cond.get('within', 10) - 1}}}\W+"
            search = re.compile(f"{a}{gap}{b}|{b}{gap}{a}", re.IGNORECASE).search
            checks.append(_found(search))
        elif key == "regex":
            search = re.compile(sub, re.IGNORECASE).search
            checks.append(_found(search))
        elif key == "regions":
            names = [n for ref in sub for n in book.regions[book.resolve(ref) or ""].names]
            search = re.compile(_alternation(names), re.IGNORECASE).search
            checks.append(_found(search))
        elif key in ("killed", "wounded", "troops"):
            least = sub["at_least"]
            checks.append(_at_least(key, least))
        elif key != "within":
            raise ValueError(f"the baseline does not know {key!r}")
    if len(checks) == 1:
        return checks[0]
    return _all_of(checks)


# -- measuring ----------------------------------------------------------------------------------

def rss_mb() -> float:
    """Resident set size of this process, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def best_time(fn: Callable[[], int], runs: int = RUNS) -> tuple[float, int]:
    """Fastest of `runs` calls (CPU seconds of this process: on a shared machine, time spent waiting
    for a core is not the engine's), and what the call returned."""
    best, result = float("inf"), 0
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def engine_pass(ruleset: RuleSet, articles: Sequence[Article]) -> list[int]:
    """Matches per article."""
    return [len(ruleset.match(a)) for a in articles]


def split_costs(ruleset: RuleSet, articles: Sequence[Article]) -> tuple[float, float, float] | None:
    """What every article pays (fold and the pass of the rules' own words, seconds per article, best
    of runs), candidate rules per article, and the share of articles that go on to the place names'
    pass (some candidate has a hit in every clause of its words); None if the internals moved."""
    try:
        from bot.engine.text import fold

        by_atom, always, term_clauses = ruleset.by_atom, ruleset.always, ruleset.term_clauses
        terms, place_indexed = ruleset.terms_automaton, ruleset.place_indexed
    except (ImportError, AttributeError):
        return None

    def atoms_hit(article: Article) -> set[int]:
        """As the matcher does for every article: which atoms of the rules' own words hit (their spans are
        written only once some rule's words all hit)."""
        if terms is None:
            return set()
        return terms.atoms_found(terms.matches(" " + fold(article.title + "\n" + article.text) + " "))

    def words_pass() -> int:
        for article in articles:
            atoms_hit(article)
        return 0

    scan_s, _ = best_time(words_pass)
    candidates = woken = 0
    for article in articles:
        hit = atoms_hit(article)
        found = set(always)
        for atom in hit:
            found.update(by_atom.get(atom, ()))
        candidates += len(found)
        woken += place_indexed or any(all(not c.isdisjoint(hit) for c in term_clauses[i]) for i in found)
    return scan_s / len(articles), candidates / len(articles), woken / len(articles)


@dataclass
class Row:
    """One line of the results table."""

    rules: int
    load_ms: float
    compile_ms: float
    engine_s: float          # per article
    baseline_s: float        # per article
    baseline_articles: int
    matches: int
    hit_share: float
    rss: float
    agree: tuple[int, int]   # (engine, baseline) matches on the baseline's articles
    split: tuple[float, float, float] | None   # words pass s/article, candidate rules/article, share to places
    articles: int = 0        # articles timed


def measure(count: int, specs: Sequence[dict[str, Any]], articles: Sequence[Article], baseline_n: int) -> Row:
    """Compile `count` rules and time both engines over the articles."""
    chosen = list(specs[:count])
    text = yaml.safe_dump(chosen, sort_keys=False, allow_unicode=True)
    gc.collect()
    start = time.perf_counter()
    source = load_rules_text(text, f"bench-{count}.yaml")
    loaded = time.perf_counter()
    ruleset = compile_rules(source)
    compiled = time.perf_counter()
    rss = rss_mb()
    print(f"  {count} rules: compiled in {(compiled - loaded) * 1000:.0f} ms; timing the engine...", file=sys.stderr)
    per_article: list[int] = []

    def run_engine() -> int:
        nonlocal per_article
        per_article = engine_pass(ruleset, articles)
        return sum(per_article)

    engine_s, matches = best_time(run_engine)
    split = split_costs(ruleset, articles)
    print(f"  {count} rules: timing the baseline on {baseline_n} articles...", file=sys.stderr)
    naive = NaiveRuleSet.build(chosen)
    subset = articles[:baseline_n]
    texts = [a.title + "\n" + a.text for a in subset]
    baseline_s, base_matches = best_time(lambda: sum(len(naive.match(t)) for t in texts))
    return Row(count, (loaded - start) * 1000, (compiled - loaded) * 1000, engine_s / len(articles),
               baseline_s / len(subset), len(subset), matches, sum(1 for m in per_article if m) / len(articles),
               rss, (sum(per_article[:baseline_n]), base_matches), split, len(articles))


def report(rows: Sequence[Row], n_articles: int, base_rss: float) -> None:
    """Print the tables, the scaling ratio, the targets and the machine."""
    print()
    print(f"{n_articles:,} articles (mean {ARTICLE_CHARS / 1000:.0f} KB), single thread, CPU time, best of {RUNS} runs")
    print(f"{'rules':>5}  {'load_ms':>8}  {'compile_ms':>10}  {'engine_art/s':>12}  {'baseline_art/s':>14}  "
          f"{'speedup':>7}  {'matches':>7}  {'hit%':>5}  {'rss_mb':>6}")
    for r in rows:
        star = "*" if r.baseline_articles < n_articles else " "
        print(f"{r.rules:>5}  {r.load_ms:>8.0f}  {r.compile_ms:>10.0f}  {1 / r.engine_s:>12,.0f}  "
              f"{1 / r.baseline_s:>13,.0f}{star}  {r.baseline_s / r.engine_s:>6.1f}x  {r.matches:>7,}  "
              f"{r.hit_share * 100:>5.1f}  {r.rss:>6.0f}")
    print(f"rss_mb is the whole process after compiling; before any compile it was {base_rss:.0f} MB.")
    for r in rows:
        if r.baseline_articles < n_articles:
            print(f"* baseline for {r.rules} rules timed on the first {r.baseline_articles:,} articles only.")
    print("matches on the baseline's articles (engine / baseline): "
          + ", ".join(f"{r.rules} rules {r.agree[0]}/{r.agree[1]}" for r in rows))
    if all(r.split for r in rows):
        print("\nwhere the engine's time goes, per article: words = fold and the pass of the rules' own words,")
        print("which every article pays; rest = the place names' pass, places, rule logic, facts and Match")
        print("objects, for the articles some rule's words woke (places%: share of articles)")
        print(f"{'rules':>5}  {'total_us':>8}  {'words_us':>8}  {'rest_us':>7}  "
              f"{'candidate_rules':>15}  {'places%':>7}")
        for r in rows:
            scan_s, candidates, woken = r.split or (0.0, 0.0, 0.0)
            print(f"{r.rules:>5}  {r.engine_s * 1e6:>8.0f}  {scan_s * 1e6:>8.0f}  "
                  f"{max(0.0, r.engine_s - scan_s) * 1e6:>7.0f}  {candidates:>15.1f}  {woken * 100:>7.1f}")
        print()
    first, last = rows[0], rows[-1]
    scaling = last.engine_s / first.engine_s
    print(f"scaling, time per article {last.rules:,} rules / {first.rules} rules: engine {scaling:.2f}x, "
          f"baseline {last.baseline_s / first.baseline_s:.1f}x")
    if first.split and last.split:
        # what the ratio is made of: the pass every article pays, and how many articles go on to the rest
        # (the share of articles a rule matches grows with the rules: each set has its own triggers)
        print(f"  of which the pass every article pays {last.split[0] / first.split[0]:.2f}x; articles woken "
              f"{first.split[2] * 100:.1f}% -> {last.split[2] * 100:.1f}%, matched {first.hit_share * 100:.1f}% -> "
              f"{last.hit_share * 100:.1f}%, matches per matched article {_per_matched(first):.2f} -> "
              f"{_per_matched(last):.2f}")
    rate = 1 / last.engine_s
    print(f"target >= {TARGET_ARTICLES_PER_S:,} articles/s at {last.rules:,} rules: {rate:,.0f} -> "
          f"{'MET' if rate >= TARGET_ARTICLES_PER_S else 'MISSED'}")
    print(f"target {last.rules:,} rules <= {TARGET_SCALING:.0f}x the per-article time of {first.rules} rules: "
          f"{scaling:.2f}x -> {'MET' if scaling <= TARGET_SCALING else 'MISSED'}")
    print(f"machine: {machine()}")


def _per_matched(row: Row) -> float:
    """Matches per article with at least one."""
    matched = row.hit_share * row.articles
    return row.matches / matched if matched else 0.0


def profile(specs: Sequence[dict[str, Any]], articles: Sequence[Article], top: int = 15) -> None:
    """cProfile one engine pass with the largest rule set; print the top functions by cumulative time."""
    count = RULE_COUNTS[-1]
    ruleset = compile_rules(load_rules_text(yaml.safe_dump(list(specs[:count]), sort_keys=False)))
    profiler = cProfile.Profile()
    profiler.enable()
    engine_pass(ruleset, articles)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    print(f"\nprofile of the {count:,}-rule engine pass over {len(articles):,} articles (top {top}, cumulative):")
    print(out.getvalue().split("\n", 4)[-1].strip("\n"))


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the input, measure every rule count, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="500 articles, a smoke run")
    parser.add_argument("--profile", action="store_true", help="also cProfile the 1,000-rule engine pass")
    args = parser.parse_args(argv)
    n_articles = 500 if args.quick else 5000
    # the baseline is slow with many rules: time it on fewer articles there
    baseline_n = {10: n_articles, 100: n_articles // 5, 1000: n_articles // 25}

    started = time.perf_counter()
    rng = random.Random(SEED)
    words = make_words(rng)
    specs = make_rules(random.Random(SEED + 1), words, max(RULE_COUNTS))
    articles = make_articles(random.Random(SEED + 2), words, specs, n_articles)
    size = sum(len(a.title) + len(a.text) for a in articles) / len(articles)
    print(f"generated {len(articles):,} articles (mean {size:,.0f} chars) and {len(specs):,} rules "
          f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    base_rss = rss_mb()
    rows = [measure(count, specs, articles, baseline_n[count]) for count in RULE_COUNTS]
    report(rows, n_articles, base_rss)
    if args.profile:
        profile(specs, articles)
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
