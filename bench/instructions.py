"""Instructions one engine pass costs, counted by valgrind: a figure the machine's load cannot move.

CPU time on a shared 2-core machine varies by a third between identical runs (docs/performance.md),
more than most changes to the engine gain. The number of instructions executed does not: run under
callgrind with its counting switched on only around the pass, the same input gives the same count to
within a few hundredths of a per cent. Use it to compare two trees; the articles/s figure still comes from
bench/engine.py on a quiet machine.

    .venv/bin/python bench/instructions.py                      # this tree
    .venv/bin/python bench/instructions.py --tree /tmp/before   # and a baseline tree, ratio printed

Needs valgrind, gcc and valgrind's headers (Debian: valgrind). A run takes a few minutes of one core,
almost all of it compiling the rules under valgrind with the counting off.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = 1000
ARTICLES = 500

# The client requests are macros: a tiny library makes them callable through ctypes.
_SWITCH_C = """
#include <valgrind/callgrind.h>
void count_on(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; CALLGRIND_TOGGLE_COLLECT; }
void count_off(void) { CALLGRIND_TOGGLE_COLLECT; CALLGRIND_DUMP_STATS; CALLGRIND_STOP_INSTRUMENTATION; }
"""


def _pass_in_this_process(tree: Path, switch: Path, rules: int, articles: int) -> None:
    """Compile the generated rules, warm up, then count one pass over the generated articles."""
    import ctypes
    import random

    sys.path[:0] = [str(tree), str(tree / "bench")]
    import engine as generated  # bench/engine.py of that tree: the same generator as the speed benchmark
    import yaml

    from bot.engine import compile_rules, load_rules_text

    words = generated.make_words(random.Random(generated.SEED))
    # as bench/engine.py does: the articles are written against its largest rule set, the first `rules` compiled
    specs = generated.make_rules(random.Random(generated.SEED + 1), words, max(generated.RULE_COUNTS))
    batch = generated.make_articles(random.Random(generated.SEED + 2), words, specs, articles)
    chosen = yaml.safe_dump(specs[:rules], sort_keys=False, allow_unicode=True)
    ruleset = compile_rules(load_rules_text(chosen, "bench.yaml"))
    for article in batch:
        # lazily built tables, caches and patterns (bot/engine/lazy_regex.py), as in a running bot: a pattern
        # compiled in the counted pass would cost more than the article that first needs it
        ruleset.match(article)
    counter = ctypes.CDLL(str(switch))
    counter.count_on()
    for article in batch:
        ruleset.match(article)
    counter.count_off()


def _build_switch(folder: Path) -> Path:
    source = folder / "switch.c"
    source.write_text(_SWITCH_C)
    library = folder / "libswitch.so"
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    return library


def count(tree: Path, rules: int, articles: int) -> int:
    """Instructions of one pass of `articles` articles through `rules` rules, with the engine of `tree`."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        switch = _build_switch(folder)
        out = folder / "callgrind.out"
        env = dict(os.environ, PYTHONHASHSEED="0")   # the same set orders, so the same count
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
                   f"--callgrind-out-file={out}.%p", sys.executable, __file__, "--inner", str(tree), str(switch),
                   str(rules), str(articles)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tree)
        if done.returncode != 0:
            raise SystemExit(f"valgrind run failed ({done.returncode}):\n{done.stderr[-2000:]}")
        found = re.search(r"Collected\s*:\s*([\d,]+)", done.stderr)
        if found is None:
            raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
        return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, help="a baseline checkout to count as well (its bot/ and bench/)")
    parser.add_argument("--rules", type=int, default=RULES)
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--inner", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        tree, switch, rules, articles = args.inner
        _pass_in_this_process(Path(tree), Path(switch), int(rules), int(articles))
        return
    for tool in ("valgrind", "gcc"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian: apt install valgrind gcc)")
    trees = [("this tree", HERE.parent)]
    if args.tree is not None:
        trees.insert(0, ("baseline", args.tree.resolve()))
    counts = {}
    for label, tree in trees:
        counts[label] = count(tree, args.rules, args.articles)
        per_article = counts[label] / args.articles
        print(f"{label:10s} {tree}: {counts[label]:,} instructions, {per_article:,.0f} per article "
              f"({args.rules:,} rules, {args.articles:,} articles)")
    if args.tree is not None:
        print(f"ratio this tree / baseline: {counts['this tree'] / counts['baseline']:.4f}")


if __name__ == "__main__":
    main()
