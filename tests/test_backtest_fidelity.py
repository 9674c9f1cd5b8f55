"""The backtest decides as `beacon run` does: the same archive, polled one article at a time by the real
`Ingestor` into a real SQLite store, gives the same decision for every (rule, article) as the replay."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

from bot.backtest.audience import Audience
from bot.backtest.inputs import from_jsonl
from bot.backtest.replay import replay
from bot.backtest.results import HELD, NEW, Replay
from bot.backtest.stage import STORY_WINDOW_SECONDS
from bot.config import REPO_ROOT
from bot.engine import RuleSet, compile_rules, load_rules
from bot.ingest import Ingestor
from bot.models import Target
from bot.sources.files import FileSource
from bot.sources.syndication import StoryIndex
from bot.store import Store

BENCH = REPO_ROOT / "bench" / "backtest.py"
STATUS = {NEW: "queued", "update": "update", "edit": "edit", HELD: "held", "suppressed": "suppressed"}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_backtest", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_backtest"] = module
    spec.loader.exec_module(module)
    return module


def _rules(tmp_path: Path) -> RuleSet:
    """The shipped rules, with fatal-clash waiting for a second source (up to two hours) before it speaks."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in (REPO_ROOT / "rules").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "fatal-clash.yaml":
            assert "\nevents: {update_only: {kind: follow-up}}\n" in text
            text = text.replace("\nevents: {update_only: {kind: follow-up}}\n",
                                "\nevents: {min_sources: 2, max_wait: 2h, update_only: {kind: follow-up}}\n")
        (folder / path.name).write_text(text, encoding="utf-8")
    return compile_rules(load_rules(folder))


def _replayed_statuses(result: Replay) -> Counter[tuple[str, str, str]]:
    """(rule, article, final status) as the store would record them: a released held alert becomes queued."""
    statuses = Counter((d.rule_id, d.article_key, STATUS[d.action]) for d in result.decisions if not d.released)
    for d in result.decisions:
        if d.released:
            statuses[(d.rule_id, d.article_key, "held")] -= 1
            statuses[(d.rule_id, d.article_key, "queued")] += 1
    return +statuses


async def test_replay_decides_every_article_as_the_daemon_does(tmp_path: Path) -> None:
    items = list(_bench().month(feeds=8, per_day=0, days=12))
    # an outlet repeating its own build-up report in other words half an hour later: nothing new, suppressed
    buildups = [item for item in items if "troops" in item["title"]]
    for item in buildups[:3]:
        later = datetime.fromisoformat(item["published"]) + timedelta(minutes=30)
        items.append({**item, "id": item["id"] + "-again", "url": item["url"] + "-again",
                      "title": item["title"] + ", officials say", "published": later.isoformat()})
    # a toll reported again three days on by another outlet: a follow-up, past the rule's one-day window
    tolls = [item for item in items if item["title"].startswith("Death toll from")]
    for n, item in enumerate(tolls[:3]):
        later = datetime.fromisoformat(item["published"]) + timedelta(days=3)
        figure = int(item["title"].rsplit(" ", 1)[1]) + 3
        items.append({**item, "id": f"late-{n}", "source": "feed-late", "url": f"https://late.example/{n}",
                      "title": item["title"].rsplit(" ", 1)[0] + f" {figure}",
                      "text": item["text"].replace(item["title"].rsplit(" ", 1)[1], str(figure), 1),
                      "published": later.isoformat()})
    items.sort(key=lambda item: item["published"])
    archive = tmp_path / "archive.jsonl"
    archive.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    ruleset = _rules(tmp_path)
    result = replay(from_jsonl(archive), ruleset, "rules", Audience.everyone())

    # the daemon: each article arrives in its own poll at its publication time
    clock = [datetime(2026, 10, 1, tzinfo=UTC)]
    store = Store(tmp_path / "data" / "beacon.sqlite3")
    ingestor = Ingestor(store, lambda: ruleset, lambda _alert: [Target("terminal")], lambda: clock[0],
                        stories=StoryIndex(window_seconds=STORY_WINDOW_SECONDS, num_perm=64))
    feed = tmp_path / "feed.jsonl"
    source = FileSource("feed", str(feed), 600)
    try:
        with feed.open("w", encoding="utf-8") as out:
            for item in items:
                clock[0] = datetime.fromisoformat(item["published"])
                ingestor.release_held()
                out.write(json.dumps(item) + "\n")
                out.flush()
                report = await ingestor.poll(source, force=True)
                assert report.error is None
        clock[0] += timedelta(days=1)
        ingestor.release_held()
        recorded = Counter()
        for row in store.alerts.recent(limit=100_000):
            alert = store.alerts.get(row.id)
            assert alert is not None
            recorded[(row.rule_id, alert.article.key, row.status)] += 1
    finally:
        ingestor.close()
        store.close()

    replayed = _replayed_statuses(result)
    assert replayed == recorded
    kinds = Counter(status for _, _, status in replayed.elements())
    # the comparison covers every kind of decision: new alerts, held ones sent later, updates, edits
    assert kinds["queued"] >= 10 and kinds["update"] > 0 and kinds["edit"] > 0 and kinds["suppressed"] >= 3
    assert result.per_rule()["fatal-clash"].held_then_sent > 0
    late = [d for d in result.decisions if d.source == "feed-late"]
    assert late and any(d.action in ("update", "edit") for d in late)   # joined an incident three days old
