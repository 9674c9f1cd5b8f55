"""A wall-clock jump shifts the schedules: no hour of silence after a jump back, no burst after one forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import ClockWatch, shift_jobs
from bot.models import Alert, Article, Match, Severity, Target, Validators
from bot.store import Store

T = datetime(2024, 3, 31, 1, 0, tzinfo=UTC)


def test_clock_watch_reports_jumps_not_scheduling_noise() -> None:
    wall, mono = [T], [100.0]
    watch = ClockWatch(lambda: wall[0], lambda: mono[0])
    wall[0], mono[0] = T + timedelta(seconds=10.5), 110.0
    assert watch.check() == 0.0                     # half a second of noise
    wall[0], mono[0] = wall[0] - timedelta(hours=1) + timedelta(seconds=5), 115.0
    assert watch.check() == -3600.0                 # set back an hour
    wall[0], mono[0] = wall[0] + timedelta(hours=2, seconds=5), 120.0
    assert watch.check() == 7200.0


async def test_jobs_keep_their_delay_after_a_jump_back() -> None:
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(lambda: None, IntervalTrigger(seconds=300), id="poll",
                      next_run_time=datetime.now(UTC) + timedelta(seconds=60))
    scheduler.start(paused=True)
    try:
        before = scheduler.get_job("poll").next_run_time
        assert shift_jobs(scheduler, -3600) == 1
        assert scheduler.get_job("poll").next_run_time == before - timedelta(hours=1)
    finally:
        scheduler.shutdown(wait=False)


def test_retries_and_backoffs_shift_but_holds_do_not(store: Store) -> None:
    article = Article("wire", "Story", guid="g")
    alerts = [Alert(article, Match("r", "Rule", Severity.HIGH), T)]
    store.commit_articles("wire", [article], alerts, lambda _a: [Target("telegram", 1), Target("telegram", 2)], T)
    first, second = store.outbox.rows()
    store.outbox.claim(first.id)
    store.outbox.mark_retry(first.id, "transient", T + timedelta(minutes=5))
    store.outbox.mark_held(second.id, T + timedelta(hours=6), "quiet hours (23:00-07:00)")
    store.sources.record_success("wire", Validators(), T)
    store.sources.set_next_poll("wire", T + timedelta(minutes=10))
    now = T - timedelta(hours=1)                    # the clock was set back an hour
    assert store.shift_schedules(-3600, now) == 2
    retry, held = store.outbox.rows()
    assert retry.next_attempt == T + timedelta(minutes=5) - timedelta(hours=1)
    assert held.next_attempt == T + timedelta(hours=6)
    assert store.sources.state("wire").next_poll == T + timedelta(minutes=10) - timedelta(hours=1)
