"""The arithmetic of bench/scale.py and bench/polling_backends.py at tiny size: no server, no process
(the benches themselves start PostgreSQL and Beacons, and the suite never runs them)."""

from __future__ import annotations

import importlib.util
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from bot.enums import Channel
from bot.models import Article, Target, Validators
from bot.sources.rss import parse_feed
from bot.store import Store

BENCH = Path(__file__).resolve().parent.parent / "bench"
NOW = datetime(2024, 9, 17, 6, 0, tzinfo=UTC)


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))   # the benches import each other by module name, as when run as scripts
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


scale = _load("scale")
backends = _load("polling_backends")
sources = _load("sources")


def test_pooled_feeds_are_the_same_each_time_and_every_item_is_a_new_article() -> None:
    first = sources.make_pooled_feeds(6, 4, pool=3)      # 24 items from 3 stories
    assert first == sources.make_pooled_feeds(6, 4, pool=3)
    articles = [a for i, body in enumerate(first) for a in parse_feed(f"feed{i}", body, "application/rss+xml", NOW)]
    assert len(articles) == 24
    assert len({a.content_hash for a in articles}) == 24    # a shared story, but its own last sentence
    assert len({a.title for a in articles}) <= 3


def test_commits_are_counted_once_per_outermost_transaction(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.sqlite3")
    try:
        commits = backends.count_commits(store)
        article = Article("wire", "Two killed in an ambush", "Two killed at dawn.", guid="a-1")
        store.commit_articles("wire", [article], [], lambda _alert: [Target(Channel.TERMINAL)], NOW,
                              validators=Validators('"v1"'))      # source state written inside: one commit
        store.sources.record_success("wire", Validators('"v2"'), NOW)
        store.sources.state("wire")                              # a read commits nothing
        assert commits() == 2
        assert store.sources.state("wire").validators.etag == '"v2"'
    finally:
        store.close()


def test_process_cpu_reads_this_process() -> None:
    assert backends.process_cpu(os.getpid()) > 0
    assert backends.process_cpu(2**22 + 1) == 0.0                # beyond pid_max: no such process


def test_scale_figures_from_a_run() -> None:
    run = scale.ScaleRun(processes=2, feeds=1000, launched=100.0, first_lease=103.5, last_poll=163.5,
                         per_instance={"scale-2-0": 520, "scale-2-1": 480})
    assert run.cycle == 60.0 and run.startup == 3.5
    assert run.spread == "520 / 480 (max 1.04x even)"
    samples = [scale.Sample(float(t), 0, [float(t)], 0.0, 0.0, 0.0, 0.0) for t in (100, 103, 104, 163, 164)]
    assert scale.at_or_before(samples, 103.5).at == 103.0
    assert scale.at_or_after(samples, 163.5).at == 164.0
    assert scale.at_or_after(samples, 200.0).at == 164.0       # the last look when the cycle ended after it
