"""Polling many sources: concurrency limits, health notices, sources that say they are gone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from bot import cli
from bot.config import PollingConfig
from bot.engine import compile_rules, load_rules_text
from bot.ingest import Ingestor
from bot.models import Article, Target, Validators
from bot.poller import Poller, host_of
from bot.sources.base import PollResult
from bot.sources.http import make_client
from bot.sources.rss import RssSource
from bot.store import Store
from tests.fakes.feed_server import FeedServer, Status
from tests.feeds import CLASH, rss

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
RULES = compile_rules(load_rules_text("id: any\ntitle: Any\nwhen: {terms: [killed]}\n"))


def make_poller(store: Store, clock: list[datetime], notices: list[str], **polling) -> Poller:
    ingestor = Ingestor(store, lambda: RULES, lambda _a: [Target("telegram", 1)], lambda: clock[0])
    return Poller(ingestor, PollingConfig(**polling), notices.append, lambda: clock[0])


class SlowSource:
    """Counts how many polls of its host run at once (the limiter is what is under test here)."""

    running: ClassVar[dict[str, int]] = {}
    peak: ClassVar[dict[str, int]] = {}

    def __init__(self, name: str, host: str) -> None:
        self.name, self.url, self.interval = name, f"https://{host}/feed", 60.0

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        host = host_of(self)
        self.running[host] = self.running.get(host, 0) + 1
        self.peak[host] = max(self.peak.get(host, 0), self.running[host])
        await asyncio.sleep(0.05)
        self.running[host] -= 1
        return PollResult((Article(self.name, f"item of {self.name}", guid=self.name),), Validators())


async def test_concurrency_is_bounded_overall_and_per_host(store: Store) -> None:
    sources = [SlowSource(f"a{i}", "a.example") for i in range(8)] + [SlowSource(f"b{i}", "b.example")
                                                                       for i in range(8)]
    poller = make_poller(store, [NOW], [], max_concurrency=3, per_host=2)
    reports = await poller.poll_all(sources)
    assert all(r.new == 1 for r in reports)
    assert SlowSource.peak["a.example"] == 2 and SlowSource.peak["b.example"] <= 2


async def test_failing_source_notifies_once_then_recovery(store: Store, feed_server: FeedServer) -> None:
    clock, notices = [NOW], []
    poller = make_poller(store, clock, notices, failures_before_alert=3)
    feed_server.fault("/feed", Status(500))
    async with make_client() as client:
        source = RssSource("wire", feed_server.url("/feed"), 60, client)
        for i in range(5):
            clock[0] = NOW + timedelta(minutes=i)
            report = await poller.poll(source, force=True)
            assert report.error == "HTTP 500"
        assert len(notices) == 1
        assert notices[0].startswith("Source wire is failing since 2023-09-24 06:00 UTC (3 polls in a row): HTTP 500")
        feed_server.serve("/feed", rss(CLASH))
        report = await poller.poll(source, force=True)
        assert report.alerts == 1 and report.recovered_after == 5
    assert notices[1] == "Source wire recovered after 5 failed polls."
    assert store.sources.state("wire").failures == 0


async def test_gone_source_is_disabled_until_enabled(store: Store, feed_server: FeedServer) -> None:
    notices: list[str] = []
    poller = make_poller(store, [NOW], notices)
    feed_server.fault("/feed", Status(410))
    async with make_client() as client:
        source = RssSource("wire", feed_server.url("/feed"), 60, client)
        assert (await poller.poll(source)).disabled
        assert "disabled: HTTP 410 gone" in notices[0]
        again = await poller.poll(source, force=True)
        assert again.skipped and again.disabled
        assert feed_server.hits("/feed") == 1   # no request to a source that said it is gone
        assert store.sources.enable("wire")
        feed_server.serve("/feed", rss(CLASH))
        assert (await poller.poll(source)).alerts == 1
    assert len(notices) == 1


def test_seen_set_is_pruned_by_age(store: Store) -> None:
    old, new = Article("wire", "old story", guid="o"), Article("wire", "new story", guid="n")
    store.commit_articles("wire", [old], [], lambda _a: [], NOW - timedelta(days=100))
    store.commit_articles("wire", [new], [], lambda _a: [], NOW)
    assert store.articles.prune_seen(NOW - timedelta(days=90)) == len(old.identity_keys)
    assert not store.articles.is_seen(old) and store.articles.is_seen(new)


def test_beacon_sources_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """In-process (bot.cli.main): the table is the point, not the process; tests/test_cli.py starts real ones."""
    repo = Path(__file__).resolve().parent.parent
    (tmp_path / "beacon.yaml").write_text(
        f"sources:\n  - {{name: wire, url: 'file://{repo}/examples/feeds/balkans-wire.xml', interval: 5m}}\n"
        f"  - {{name: broken, url: 'file://{tmp_path}/missing.xml', interval: 5m}}\ndata_dir: data\n"
        f"rules_dir: {repo}/rules\ntemplates_dir: {repo}/templates\n")
    run = ["-c", str(tmp_path / "beacon.yaml")]
    assert cli.main([*run, "run", "--once"]) == 0
    capsys.readouterr()
    assert cli.main([*run, "sources"]) == 0
    table = capsys.readouterr().out
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["source", "type", "health"]
    wire = next(line for line in lines if line.startswith("wire"))
    broken = next(line for line in lines if line.startswith("broken"))
    assert " ok " in wire and " 7 " in wire
    assert "failing (1 in a row)" in broken and "cannot read" in broken


async def test_sick_sources_do_not_hold_up_healthy_ones(store: Store, feed_server: FeedServer) -> None:
    """Hanging, dripping, huge, bombing, broken and missing feeds polled together with a healthy one."""
    from tests.fakes.feed_server import Drip, GzipBomb, Hang, Huge

    feed_server.serve("/good", rss(CLASH))
    faults = {"/hang": Hang(), "/drip": Drip(interval=0.2), "/huge": Huge(size=20_000_000, chunked=True),
              "/bomb": GzipBomb(decoded_size=50 * 2**20), "/500": Status(500), "/429": Status(429, retry_after=120)}
    for path, fault in faults.items():
        feed_server.fault(path, fault)
    feed_server.serve("/html", "<html><body>Welcome</body></html>", content_type="text/html")
    poller = make_poller(store, [NOW], [], max_concurrency=20, per_host=20)
    async with make_client() as client:
        sources = [RssSource(p.strip("/"), feed_server.url(p), 60, client, max_bytes=1_000_000, deadline=1.0)
                   for p in ["/good", *faults, "/html", "/missing"]]
        started = asyncio.get_running_loop().time()
        reports = {r.source: r for r in await poller.poll_all(sources)}
        elapsed = asyncio.get_running_loop().time() - started
    assert elapsed < 3.0   # one deadline, not the sum of them
    assert reports["good"].alerts == 1 and reports["good"].error is None
    expected = {"hang": "no complete answer within 1s", "drip": "no complete answer within 1s",
                "huge": "too large", "bomb": "too large", "500": "HTTP 500", "429": "HTTP 429",
                "html": "not a feed", "missing": "HTTP 404"}
    for name, reason in expected.items():
        assert reason in (reports[name].error or ""), (name, reports[name].error)
        assert reason in (store.sources.state(name).last_error or "")
    assert store.sources.state("429").next_poll >= NOW + timedelta(seconds=120)
