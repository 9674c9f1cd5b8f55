"""Benchmark of `beacon backtest`: a generated month of 1,000 feeds, replayed on one core.

Run from the repository root:

    .venv/bin/python bench/backtest.py            # a month of 1,000 feeds (10 items a day each): minutes
    .venv/bin/python bench/backtest.py --quick    # a month of 50 feeds, under a minute
    .venv/bin/python bench/backtest.py --feeds 200 --per-day 10 --days 30 --keep /tmp/month.jsonl

The month is written as JSON Lines (the format `beacon match` and `beacon backtest --articles`
read) from a fixed seed: wire-style background news from every feed, and incidents (fatal clashes,
troop build-ups, an ambush in Kosovo) each reported by several feeds over a few hours, with tolls
that rise, syndicated copies of the first report, and now and then a correction. The baseline is
plain `beacon match` over the same file in the same process (rules compiled once, output thrown
away); the ratio says what replaying the events stage, the seen-check and the tallies add to it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import description, machine, news_item, peak_rss_mb

from bot.backtest.audience import Audience
from bot.backtest.inputs import from_jsonl
from bot.backtest.replay import replay
from bot.backtest.results import Replay
from bot.engine import compile_rules, load_rules

REPO = Path(__file__).resolve().parent.parent
SEED = 20261207
EPOCH = datetime(2026, 10, 1, tzinfo=UTC)
STANDALONE_TRIGGERS = 0.004   # background items that happen to fire a rule on their own
COPY_RATE = 0.3               # later reports of an incident that are verbatim copies of the first

# (place, country, demonym): places the gazetteer knows, in countries where the rules' incidents happen
PLACES = (("Gao", "Mali", "Malian"), ("Mopti", "Mali", "Malian"), ("Kidal", "Mali", "Malian"),
          ("Tillaberi", "Niger", "Nigerien"), ("Diffa", "Niger", "Nigerien"), ("Kharkiv", "Ukraine", "Ukrainian"),
          ("Zaporizhzhia", "Ukraine", "Ukrainian"), ("Mitrovica", "Kosovo", "Kosovo"),
          ("El Fasher", "Sudan", "Sudanese"), ("Kadugli", "Sudan", "Sudanese"), ("Maiduguri", "Nigeria", "Nigerian"),
          ("Beledweyne", "Somalia", "Somali"), ("Djibo", "Burkina Faso", "Burkinabe"), ("Marib", "Yemen", "Yemeni"))
BORDERS = (("Serbia", "Kosovo", "Serbian"), ("Sudan", "Chad", "Sudanese"), ("Azerbaijan", "Armenia", "Azerbaijani"),
           ("Russia", "Ukraine", "Russian"), ("India", "Pakistan", "Indian"), ("Ethiopia", "Eritrea", "Ethiopian"))
NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15", "18", "21", "27")
FATAL_FIRST = (
    ("{Num} killed as gunmen attack checkpoint near {place}",
     "At least {num} people were killed when gunmen attacked an army checkpoint near {place} in {country} "
     "early on {day}, local officials said."),
    ("Clashes near {place} leave {num} soldiers dead",
     "{Num} soldiers were killed in clashes with armed fighters outside {place}, {country}'s army said in a "
     "statement on {day}."),
    ("Shelling of {place} kills {num}",
     "{Num} civilians were killed when artillery shells hit homes in {place} overnight, the {demonym} "
     "authorities said on {day}."),
)
FATAL_LATER = (
    ("Death toll from {place} attack rises to {num}",
     "The number of people killed in the attack near {place} rose to {num} on {day}, a {demonym} official said, "
     "as the wounded were taken to hospital."),
    ("{place} toll climbs to {num} after overnight fighting",
     "Fighting around {place} has now killed {num} people, medical sources in {country} said on {day}."),
)
BUILDUP = (
    ("{country} masses troops near border with {other}",
     "Satellite images show a large deployment of {demonym} forces, tanks and artillery along the border with "
     "{other}, officials said on {day}."),
    ("More {demonym} troops moved toward {other} frontier",
     "{country} sent two more battalions toward its border with {other} on {day}, adding to forces massed "
     "there since last week, the defence ministry said."),
)
KOSOVO = (("Police officer killed in ambush near {place}",
           "Gunmen attacked a Kosovo police patrol near {place} on {day}, killing one officer, police said."),)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _fill(template: str, **values: str) -> str:
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _item(feed: int, serial: int, when: datetime, title: str, text: str) -> dict[str, Any]:
    site = f"wire{feed:04d}.example"
    return {"id": f"{site}-{serial}", "source": f"feed-{feed:04d}", "title": title, "text": text,
            "url": f"https://{site}/{when:%Y/%m/%d}/{serial}", "published": when.isoformat()}


def _incident(rng: random.Random, feeds: int, start: datetime, serial: Iterator[int],
              copy_rate: float) -> Iterator[dict[str, Any]]:
    """One incident told by 1-6 feeds over a few hours: a first report, copies of it, and later tolls."""
    kind = rng.random()
    day = DAYS[start.weekday()]
    reporters = rng.sample(range(feeds), k=min(feeds, rng.randint(1, 6)))
    if kind < 0.6 or kind >= 0.95:
        if kind >= 0.95:
            place, country, demonym = "Mitrovica", "Kosovo", "Kosovo"
            first = KOSOVO[0]
        else:
            place, country, demonym = rng.choice(PLACES)
            first = rng.choice(FATAL_FIRST)
        toll = rng.randint(2, 9)
        values = {"place": place, "country": country, "demonym": demonym, "day": day}
        title = _fill(first[0], num=str(toll), Num=str(toll), **values)
        lead = _fill(first[1], num=str(toll), Num=str(toll), **values)
        text = description(rng, lead)
        when = start
        for n, feed in enumerate(reporters):
            if n and rng.random() < copy_rate:   # a syndicated copy of the first report
                yield _item(feed, next(serial), when, title, text)
            elif n:
                toll += rng.randint(0, 4)
                later = rng.choice(FATAL_LATER)
                yield _item(feed, next(serial), when, _fill(later[0], num=str(toll), Num=str(toll), **values),
                            description(rng, _fill(later[1], num=str(toll), Num=str(toll), **values)))
            else:
                yield _item(feed, next(serial), when, title, text)
            when += timedelta(minutes=rng.randint(10, 150))
        return
    country, other, demonym = rng.choice(BORDERS)
    values = {"country": country, "other": other, "demonym": demonym, "day": day}
    when = start
    for feed in reporters:
        title_t, lead_t = rng.choice(BUILDUP)
        yield _item(feed, next(serial), when, _fill(title_t, **values), description(rng, _fill(lead_t, **values)))
        when += timedelta(minutes=rng.randint(30, 600))


def month(feeds: int = 1000, per_day: int = 10, days: int = 30, seed: int = SEED,
          start: datetime = EPOCH, copy_rate: float = COPY_RATE) -> Iterator[dict[str, Any]]:
    """The generated month as JSON-ready dicts, in no particular order (as an archive of many feeds is)."""
    rng = random.Random(seed)
    counter = iter(range(10**12))
    incidents_per_day = max(1, feeds // 25)
    for day in range(days):
        midnight = start + timedelta(days=day)
        for feed in range(feeds):
            for _ in range(per_day):
                when = midnight + timedelta(seconds=rng.randrange(86400))
                title, text = news_item(rng, STANDALONE_TRIGGERS)
                yield _item(feed, next(counter), when, title, text)
        for _ in range(incidents_per_day):
            yield from _incident(rng, feeds, midnight + timedelta(seconds=rng.randrange(86400)), counter,
                                 copy_rate)


def write_month(path: Path, feeds: int = 1000, per_day: int = 10, days: int = 30, seed: int = SEED,
                copy_rate: float = COPY_RATE) -> int:
    """Write the month as JSON Lines; returns the number of articles."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for item in month(feeds, per_day, days, seed, copy_rate=copy_rate):
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
            count += 1
    return count


# -- the benchmark ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float   # this process's CPU seconds: one thread, so one core's work, whatever else the machine runs


def _timed(work: Callable[[], object]) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def _match_baseline(path: Path, rules: Path) -> None:
    """Plain `beacon match --rules RULES FILE` in this process, its output discarded."""
    from bot.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["--log-level", "WARNING", "match", "--rules", str(rules), str(path)])
    if status != 0:
        raise SystemExit(f"beacon match exited {status}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a month of 50 feeds")
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--per-day", type=int, default=10, help="background items per feed and day")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--rules", type=Path, default=REPO / "rules")
    parser.add_argument("--runs", type=int, default=2, help="passes of each, alternating; the best is reported")
    parser.add_argument("--keep", type=Path, help="write the month here and keep it (default: a temporary file)")
    args = parser.parse_args(argv)
    feeds = 50 if args.quick else args.feeds
    print(machine())
    with tempfile.TemporaryDirectory(prefix="beacon-bench-backtest-") as folder:
        path = args.keep or Path(folder) / "month.jsonl"
        started = time.perf_counter()
        count = write_month(path, feeds, args.per_day, args.days)
        print(f"generated {count:,} articles ({feeds:,} feeds x {args.per_day} a day x {args.days} days, plus "
              f"incidents), {path.stat().st_size / 1e6:,.1f} MB, in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        ruleset = compile_rules(load_rules(args.rules))
        print(f"rules: {len(ruleset.rules)} from {args.rules}, compiled in {time.perf_counter() - started:.1f} s")

        # best of `--runs` alternating passes: the machine is shared, so one pass can be unlucky
        backtest_runs: list[Timing] = []
        baseline_runs: list[Timing] = []
        results: list[Replay] = []
        for _ in range(args.runs):
            baseline_runs.append(_timed(lambda: _match_baseline(path, args.rules)))
            backtest_runs.append(_timed(lambda: results.append(
                replay(from_jsonl(path), ruleset, str(args.rules), Audience.everyone()))))
        index = _timed(lambda: from_jsonl(path))
        result = results[-1]
        backtest = min(backtest_runs, key=lambda t: t.cpu)
        baseline = min(baseline_runs, key=lambda t: t.cpu)

        totals = result.as_dict(decisions=False)["totals"]
        print(f"\nbacktest: {result.articles:,} articles replayed ({result.duplicates:,} repeats skipped), "
              f"{totals['alerts']:,} alerts in {totals['incidents']:,} incidents, {totals['updates']:,} updates, "
              f"{totals['edits']:,} edits, {totals['suppressed']:,} suppressed")
        print(f"\n{'pass (best of ' + str(args.runs) + ')':<34}{'CPU s':>8}{'wall s':>8}{'articles/s (CPU)':>18}")
        for label, timing in (("beacon backtest (index + replay)", backtest), ("beacon match (baseline)", baseline),
                              ("  of which: indexing the file", index)):
            print(f"{label:<34}{timing.cpu:>8.1f}{timing.wall:>8.1f}{count / timing.cpu:>18,.0f}")
        print(f"\nratio backtest / match, CPU time: {backtest.cpu / baseline.cpu:.2f}x "
              f"(wall: {backtest.wall / baseline.wall:.2f}x); peak RSS {peak_rss_mb():,.0f} MB")
        month_articles = 1000 * 10 * 30
        print(f"a month of 1,000 feeds at 10 items a day ({month_articles:,} articles) at this rate: "
              f"{month_articles / (count / backtest.cpu) / 60:.1f} min of one core")

if __name__ == "__main__":
    main()
