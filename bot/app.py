"""Wires the edges (sources, store, Telegram) to the core (engine, events, render) in one loop."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import ClockWatch, shift_jobs
from bot.config import Config, parse_listen
from bot.engine import RuleSet
from bot.engine.cache import cache_dir, load_ruleset_cached
from bot.enums import Channel, TelegramState
from bot.errors import LocatedError, StoreError
from bot.escalation import enabled, next_step
from bot.health_server import HealthCheck, HealthServer
from bot.heartbeat import Heartbeat
from bot.ingest import Enricher, IngestLimits, Ingestor, PollReport
from bot.instances import Cluster, SharedPacer
from bot.jobs import stoppable
from bot.logs import redactor
from bot.metrics import Metrics
from bot.models import Alert, Article, Severity, Target
from bot.outbox import OutboxWorker, Pacing, Sender
from bot.poller import Poller
from bot.reload import Reloader
from bot.render import Renderer, template_names
from bot.routing import Plan, incident_of, plan
from bot.runtime import freeze_long_lived, keep_loop_responsive
from bot.sources.addresses import AddressPolicy
from bot.sources.base import Source
from bot.sources.http import make_client
from bot.sources.registry import build_source
from bot.sources.syndication import StoryIndex
from bot.status import sources_html, status_html
from bot.store import Store
from bot.telegram.selectors import current_key
from bot.terminal import TerminalSender
from bot.trends.live import LiveTrends

if TYPE_CHECKING:   # imported when connecting: python-telegram-bot takes ~0.4 s to import
    from bot.telegram.application import TelegramLink

log = logging.getLogger(__name__)

ONCE_DRAIN_SECONDS = 120.0
STOP_GRACE_SECONDS = 10.0
CLOCK_CHECK_SECONDS = 5.0     # how often the wall clock is compared with the monotonic one
RELEASE_CHECK_SECONDS = 15.0  # how often held events are checked against their max_wait
TREND_CHECK_SECONDS = 60.0    # how often trend rules' flatlines are checked for silence (bot/trends)
RELOAD_CHECK_SECONDS = 2.0
ESCALATION_CHECK_SECONDS = 15.0  # how often unacknowledged on-call alerts are checked (oncall.escalate_after)
# syndicated copies are grouped within this window; ~7 KB of memory per article in it
STORY_WINDOW_SECONDS = 2 * 86400.0
# Telegram unreachable at start: the first retry after this many seconds, each next one twice as late, at most
# a minute apart. The environment variable lowers it where waiting seconds proves nothing (the test suite).
TELEGRAM_RETRY_ENV = "BEACON_TELEGRAM_RETRY_SECONDS"
TELEGRAM_RETRY_SECONDS = 2.0
TELEGRAM_RETRY_MAX_SECONDS = 60.0


def telegram_retry_delay(attempt: int) -> float:
    """Seconds to wait after failed connection attempt number `attempt` (1, 2, ...): the first delay
    ($BEACON_TELEGRAM_RETRY_SECONDS when set to a positive number, else 2 s), doubled at each attempt."""
    first = TELEGRAM_RETRY_SECONDS
    with contextlib.suppress(ValueError):
        from_env = float(os.environ.get(TELEGRAM_RETRY_ENV, ""))
        if from_env > 0:
            first = from_env
    return min(TELEGRAM_RETRY_MAX_SECONDS, first * 2.0 ** (attempt - 1))


def utcnow() -> datetime:
    return datetime.now(UTC)


def load_ruleset(config: Config) -> RuleSet:
    """Load, validate and compile the rules, or read them back compiled from the data directory when
    neither they nor Beacon changed (engine/cache.py); raises RuleError listing every problem."""
    return load_ruleset_cached(config.rules_dir, template_names(config.templates_dir), cache_dir(config.data_dir))


@dataclass
class Beacon:
    """The running bot: build once from a Config, then `run()`."""

    config: Config
    out: TextIO | None = None
    now: Callable[[], datetime] = utcnow
    monotonic: Callable[[], float] = time.monotonic
    ruleset: RuleSet = field(init=False)

    def __post_init__(self) -> None:
        self.ruleset = load_ruleset(self.config)
        self.renderer = Renderer(self.config.templates_dir, self.config.delivery.max_parts_per_alert)
        self.renderer.check()
        self.store = Store(self.config.store_location)   # a SQLite file or a PostgreSQL database
        self.token = self.config.token
        self.telegram: TelegramLink | None = None   # while connected
        self.stop_event = asyncio.Event()
        self.exit_status = 0
        self.worker: OutboxWorker | None = None
        self.cluster: Cluster | None = None   # several instances share the database (bot/instances.py)
        self.stories = StoryIndex(window_seconds=STORY_WINDOW_SECONDS, num_perm=64)
        self.stories.load(self.store.articles.story_members(self.now() - timedelta(seconds=STORY_WINDOW_SECONDS)))
        self.reloader = Reloader((self.config.rules_dir, self.config.templates_dir), self.load_rules_and_templates)
        self.metrics = Metrics(self.store, self.now, [s.name for s in self.config.sources])
        self.health = HealthCheck(self.store, self.now, self.telegram_state, self.config.metrics.max_pending_age,
                                  self.config.metrics.telegram_grace, self.monotonic)
        self.health_server: HealthServer | None = None   # serving /metrics and /healthz while run() runs
        self.store.chats.set_config_mutes([(m.match, m.until) for m in self.config.events.mutes], self.now())
        # subscriptions and region mutes stored by an older version's region names, stored by key now
        rekeyed = self.store.chats.rekey_regions(lambda key: current_key(key, self.ruleset.book))
        if rekeyed:
            log.info("region keys of %d stored subscriptions and mutes brought up to date", rekeyed)
        if not self.dry_run:
            for chat_id in self.config.telegram.chats:  # before the first poll, so no alert misses them
                self.store.chats.subscribe(chat_id, "all", self.now())

    @property
    def dry_run(self) -> bool:
        return not self.token

    def telegram_state(self) -> TelegramState:
        """For /healthz: connected once the Bot API answered getMe."""
        if self.dry_run:
            return TelegramState.DRY_RUN
        if self.telegram is not None:
            return TelegramState.CONNECTED
        return TelegramState.UNREACHABLE

    def admin_targets(self) -> list[Target]:
        """Where notices for operators go: each admin's private chat (none in dry-run mode)."""
        if self.dry_run:
            return []
        return [Target(Channel.TELEGRAM, user_id) for user_id in self.config.telegram.admins]

    def load_rules_and_templates(self) -> tuple[RuleSet, Renderer]:
        """Load and check rules and templates afresh; raises if anything is invalid."""
        ruleset = load_ruleset(self.config)
        renderer = Renderer(self.config.templates_dir, self.config.delivery.max_parts_per_alert)
        renderer.check()
        return ruleset, renderer

    async def reload_now(self) -> str:
        """`/reload`: load rules and templates now; the answer says what happened."""
        try:
            ruleset, renderer = await asyncio.to_thread(self.load_rules_and_templates)
        except LocatedError as exc:
            return "Reload refused; the last good rules keep running:\n" + html.escape(str(exc))
        self.ruleset, self.renderer = ruleset, renderer
        freeze_long_lived()   # the new rules are long-lived too (bot/runtime.py)
        if self.worker is not None:
            self.worker.renderer = renderer
        return f"Reloaded: {len(ruleset)} rules."

    async def _check_reload(self) -> None:
        # loading and compiling can take a few hundred ms: keep it off the event loop
        outcome = await asyncio.to_thread(self.reloader.check)
        if outcome.loaded is not None:
            self.ruleset, self.renderer = outcome.loaded
            freeze_long_lived()   # the new rules are long-lived too (bot/runtime.py)
            if self.worker is not None:
                self.worker.renderer = self.renderer
            log.info("rules and templates reloaded: %d rules", len(self.ruleset))
        if outcome.changed and outcome.error:
            self.store.outbox.queue_notice("A rules or templates edit was rejected; the last good rules keep running.\n"
                                    + outcome.error, self.admin_targets(), self.now())
            if self.worker is not None:
                self.worker.notify()

    def _full_text_enricher(self, client: httpx.AsyncClient) -> Enricher | None:
        """Article pages fetched and read only for sources with `full_text: true`."""
        wanted = {s.name for s in self.config.sources if s.full_text}
        if not wanted:
            return None
        from bot.sources.fulltext import FullTextFetcher

        fetcher = FullTextFetcher(client, max_bytes=min(self.config.polling.max_bytes, 2 * 1024 * 1024),
                                  deadline=min(self.config.polling.timeout, 10.0))

        async def enrich(source: str, articles: Sequence[Article]) -> list[Article]:
            return await fetcher.enrich(source, articles) if source in wanted else list(articles)

        return enrich

    def notify_admins(self, text: str) -> None:
        """Queue a notice for the admins (in dry-run mode the log already says it)."""
        targets = self.admin_targets()
        if targets:
            try:
                self.store.outbox.queue_notice(text, targets, self.now())
            except StoreError as exc:   # the database refused (full, locked): the log must carry the notice
                log.error("admin notice not queued (%s): %s", exc, text)
                return
            if self.worker is not None:
                self.worker.notify()
        else:
            log.warning("admin notice: %s", text)

    def prune_seen(self) -> int:
        """Forget articles seen longer ago than `polling.seen_retention`: the seen-set stays bounded."""
        cutoff = self.now() - timedelta(seconds=self.config.polling.seen_retention)
        removed = self.store.articles.prune_seen(cutoff)
        now = self.now()
        self.store.articles.prune_stories(now - timedelta(seconds=STORY_WINDOW_SECONDS))
        self.stories.prune(now)
        if removed:
            log.info("forgot %d article keys seen before %s", removed, cutoff.date())
        history = now - timedelta(seconds=self.config.events.history_retention)
        forgotten = self.store.articles.prune_history(history)
        if forgotten:
            log.info("forgot %d alerts (and their deliveries) decided before %s", forgotten, history.date())
        return removed

    async def _prune_job(self) -> None:
        try:
            async with self.ingestor.batch:   # the story index is in use while a poll matches in its thread
                self.prune_seen()
        except StoreError as exc:   # the next run in 6 hours tries again
            log.error("pruning the seen-set skipped: %s", exc)

    def route(self, alert: Alert) -> list[Target]:
        """Who receives an alert: the terminal in dry-run mode, else the plan of `bot/routing.py`: one
        delivery per chat subscribed to one of its incident's rules, one of their tags or `all` (unless
        narrowed to other regions), and, for a new alert at or above `oncall.min_severity`, the on-call chats."""
        if self.dry_run:
            return [Target(Channel.TERMINAL)]
        return self.plan(alert).targets

    def plan(self, alert: Alert) -> Plan:
        """The routing plan of an alert from what the store holds now (`beacon explain-delivery` prints it)."""
        subscriptions, gone = self.store.chats.routable()
        oncall = self.config.oncall
        now = self.now()
        return plan(incident_of(alert), subscriptions, self.store.chats.active_mutes(now), now, gone=gone,
                    oncall_chats=oncall.chats if enabled(oncall) else (),
                    oncall_min_severity=Severity.parse(oncall.min_severity))

    def escalate_due(self) -> int:
        """Queue what is due for unacknowledged on-call alerts (bot/escalation.py); returns messages queued."""
        oncall = self.config.oncall
        if self.dry_run or not enabled(oncall):
            return 0
        now = self.now()
        queued = 0
        for state in self.store.escalations.states(waiting_since=now - timedelta(seconds=oncall.escalate_after)):
            step = next_step(state, oncall, now)
            if step is not None:
                queued += self.store.escalations.escalate(step, now)
                log.info("alert %s not acknowledged after %.0fs: escalation step %d", step.alert_id, step.waited,
                         step.step)
                if step.last:
                    log.warning("alert %s: the escalation chain is over and nobody acknowledged it", step.alert_id)
        if queued:
            self._wake_worker()
        return queued

    def _wake_worker(self) -> None:
        if self.worker is not None:
            self.worker.notify()

    async def _escalation_job(self) -> None:
        if not self._runs_timers():
            return
        try:
            self.escalate_due()
        except Exception:  # the next run tries again; the state is in the database
            log.exception("on-call escalation failed")

    async def run(self, *, once: bool = False) -> int:
        """Run until stopped (or one cycle with `once`); returns the exit status."""
        polling = self.config.polling
        client = make_client(AddressPolicy.from_config(polling.allow_private, polling.allow_hosts))
        sources: list[Source] = [build_source(s, client, self.config.polling) for s in self.config.sources]
        terminal = TerminalSender(self.out or sys.stdout, self.store.outbox.last_message_id(Channel.TERMINAL))
        senders: dict[str, Sender] = {Channel.TERMINAL: terminal}
        d = self.config.delivery
        pacing = Pacing(d.global_per_second, d.chat_interval, d.group_interval)
        cluster = self.cluster = Cluster(self.store, self.config, self.now) if self.config.shared else None
        worker = OutboxWorker(
            self.store, self.renderer, senders, now=self.now, monotonic=self.monotonic,
            shared=cluster, pacer=SharedPacer(pacing, self.store, self.now, self.monotonic) if cluster else None,
            pacing=pacing, max_attempts=d.max_attempts,
            on_delivered=self.metrics.record_delivery, max_per_hour=d.max_per_hour,
            never_held=self._oncall_chats(), notify_admins=self.notify_admins,
            on_reachability=self.metrics.record_reachability)
        self.worker = worker
        ingestor = Ingestor(self.store, lambda: self.ruleset, self.route, self.now, worker.notify,
                            enrich=self._full_text_enricher(client), stories=self.stories,
                            clustering=self.config.events.clustering,
                            limits=IngestLimits.from_polling(self.config.polling),
                            trends=LiveTrends(self.ruleset, self.store.trends), shared_stories=cluster is not None)
        self.ingestor = ingestor
        poller = Poller(ingestor, self.config.polling, self.notify_admins, self.now, self.metrics)
        connect: asyncio.Task[None] | None = None
        try:
            if not once and self.config.metrics.listen:  # --once is over before anyone could scrape it
                self.health_server = HealthServer(*parse_listen(self.config.metrics.listen), self.metrics, self.health)
                await self.health_server.start()
            if self.dry_run:
                log.warning("no Telegram token configured (set TELEGRAM_BOT_TOKEN): dry-run mode, "
                            "alerts are printed here instead of sent")
            elif once:
                await self._connect_telegram(senders, worker, polling=False, attempts=3)
            else:
                # Telegram being unreachable must not stop polling: alerts queue until it answers.
                # several instances: only the leader polls for commands (_lead)
                connect = asyncio.create_task(self._connect_telegram(senders, worker, polling=cluster is None),
                                              name="telegram-connect")
                connect.add_done_callback(self._on_connect_done)
            log.info("Beacon started: %d sources, %d rules%s", len(sources), len(self.ruleset),
                     " (dry run)" if self.dry_run else "")
            keep_loop_responsive()   # frozen heap, short GIL switch interval (bot/runtime.py)
            self.prune_seen()
            if once:
                return await self._run_once(poller, worker, sources)
            status = await self._run_forever(poller, worker, sources)
            return self.exit_status or status
        finally:
            if connect is not None and not connect.done():
                connect.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await connect
            if self.health_server is not None:
                await self.health_server.stop()
                self.health_server = None
            await self._stop_telegram()
            await client.aclose()
            ingestor.close()
            self.store.close()

    def _on_connect_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("%s", exc)
            self.exit_status = 1
            self.stop()

    async def _connect_telegram(self, senders: dict[str, Sender], worker: OutboxWorker, *, polling: bool,
                                attempts: int | None = None) -> None:
        """Connect (getMe, commands, polling) with backoff; a rejected token (TokenRejected) is fatal."""
        from bot.telegram.application import TelegramUnreachable

        attempt = 0
        while True:
            attempt += 1
            try:
                senders[Channel.TELEGRAM] = await self._start_telegram(polling=polling)
            except TelegramUnreachable as exc:
                if attempts is not None and attempt >= attempts:
                    log.error("Telegram unreachable (%s); alerts stay queued for the next run", exc)
                    return
                delay = telegram_retry_delay(attempt)
                log.warning("Telegram unreachable (%s); retrying in %.3gs, alerts stay queued", exc, delay)
                await asyncio.sleep(delay)
            else:
                worker.notify()
                return

    def _runs_timers(self) -> bool:
        """Several instances: the timers fire where the `timers` lease is, once (bot/instances.py)."""
        return self.cluster is None or self.cluster.runs_timers()

    async def _poll_shared(self, poller: Poller, source: Source) -> None:
        """Several instances: poll only when this one takes the source's lease (nobody else polls it now,
        nor began within 3/4 of its interval), asked once a polling slot is free (`Poller.poll_if_taken`)."""
        cluster = self.cluster
        assert cluster is not None
        taken = False

        def take() -> bool:
            nonlocal taken
            try:
                taken = cluster.take_source(source.name, source.interval)
            except StoreError as exc:
                log.error("source %s: lease not taken: %s", source.name, exc)
            return taken

        try:
            await poller.poll_if_taken(source, take)
        finally:
            if taken:
                try:
                    cluster.done_with_source(source.name)
                except StoreError as exc:   # the lease then runs out by itself
                    log.error("source %s: lease not released: %s", source.name, exc)

    async def _lead(self) -> None:
        """This instance became the leader: poll Telegram for commands (once connected: see _start_telegram)."""
        if self.telegram is None:
            return
        try:
            await self.telegram.start_polling(self.notify_admins)
        except Exception as exc:   # not polling: the next renewal tries again
            log.error("the leader could not start polling Telegram for commands: %s", exc)
            if self.cluster is not None:
                self.cluster.leader = False

    async def _follow(self) -> None:
        if self.telegram is not None:
            await self.telegram.stop_polling()

    async def _release_job(self) -> None:
        """Events held for more sources whose wait is over go out on what they have."""
        if not self._runs_timers():
            return
        try:
            self.ingestor.release_held()
        except Exception:  # the next run tries again
            log.exception("releasing held events failed")

    async def _trend_job(self) -> None:
        """Trend rules' flatlines: a source or region silent for its window is told once."""
        if not self._runs_timers():
            return
        try:
            self.ingestor.tick_trends()
        except Exception:  # the next run tries again; the state is in the database
            log.exception("checking trend rules failed")

    async def _run_once(self, poller: Poller, worker: OutboxWorker, sources: list[Source]) -> int:
        reports: list[PollReport] = await poller.poll_all(sources, force=True)
        self.ingestor.release_held()
        self.ingestor.tick_trends()
        self.escalate_due()
        empty = await worker.drain(ONCE_DRAIN_SECONDS)
        failed = [r for r in reports if r.error]
        log.info("polled %d sources (%d failed): %d new articles, %d alerts, %d messages delivered",
                 len(reports), len(failed), sum(r.new for r in reports), sum(r.alerts for r in reports),
                 worker.sent_count)
        if not empty:
            log.warning("some alerts are still queued (%s); they will be sent on the next run",
                        self.store.outbox.counts())
        return 0

    async def _run_forever(self, poller: Poller, worker: OutboxWorker, sources: list[Source]) -> int:
        scheduler = AsyncIOScheduler(timezone=UTC)

        def add(job: Callable[..., Awaitable[object]], name: str, **schedule: Any) -> None:
            # a job the shutdown cancels mid-way ends with an info line, not a traceback (bot/jobs.py)
            scheduler.add_job(stoppable(job, name, self.stop_event), name=name, **schedule)

        for source in sources:
            add(poller.poll if self.cluster is None else self._poll_shared, f"poll {source.name}",
                trigger=IntervalTrigger(seconds=source.interval, jitter=min(30.0, source.interval * 0.1)),
                args=[source] if self.cluster is None else [poller, source],
                id=f"poll:{source.name}", max_instances=1, coalesce=True,
                misfire_grace_time=max(1, int(source.interval)), next_run_time=datetime.now(UTC))
        add(self._check_reload, "hot reload", trigger=IntervalTrigger(seconds=RELOAD_CHECK_SECONDS), id="reload",
            max_instances=1, coalesce=True)
        add(self._prune_job, "prune seen-set", trigger=IntervalTrigger(hours=6), id="prune",
            max_instances=1, coalesce=True)
        add(self._release_job, "release held events", trigger=IntervalTrigger(seconds=RELEASE_CHECK_SECONDS),
            id="release", max_instances=1, coalesce=True)
        add(self._trend_job, "trend rules' flatlines", trigger=IntervalTrigger(seconds=TREND_CHECK_SECONDS),
            id="trends", max_instances=1, coalesce=True)
        if enabled(self.config.oncall):
            add(self._escalation_job, "on-call escalation", trigger=IntervalTrigger(seconds=ESCALATION_CHECK_SECONDS),
                id="escalate", max_instances=1, coalesce=True)
        hb = self.config.heartbeat
        heartbeat = Heartbeat(hb.url, hb.timeout, self.health.report) if hb.url else None
        if heartbeat is not None:
            redactor().add(hb.url)  # anyone holding the ping URL can fake our pings
            add(heartbeat.ping, "heartbeat", trigger=IntervalTrigger(seconds=hb.interval), id="heartbeat",
                max_instances=1, coalesce=True, next_run_time=datetime.now(UTC))
        scheduler.start()
        self.health.scheduler = scheduler
        worker_stop = asyncio.Event()
        worker_task = asyncio.create_task(worker.run(worker_stop), name="outbox-worker")
        clock_task = asyncio.create_task(self._watch_clock(scheduler, worker), name="clock-watch")
        cluster_task = None
        if self.cluster is not None:
            cluster_task = asyncio.create_task(self.cluster.run(self._lead, self._follow, self.stop_event),
                                               name="cluster")
        try:
            await self.stop_event.wait()
        finally:
            clock_task.cancel()
            if cluster_task is not None and self.cluster is not None:
                await cluster_task     # ends with stop_event
                self.cluster.leave()
            log.info("stopping: no new polls, finishing the send in flight")
            scheduler.shutdown(wait=False)
            worker_stop.set()
            try:
                await asyncio.wait_for(worker_task, STOP_GRACE_SECONDS)
            except TimeoutError:
                log.warning("delivery worker did not stop within %ss; pending rows stay queued", STOP_GRACE_SECONDS)
            if heartbeat is not None:
                await heartbeat.aclose()
        return 0

    async def _watch_clock(self, scheduler: AsyncIOScheduler, worker: OutboxWorker) -> None:
        """Shift the schedules when the wall clock jumps (see bot/clock.py)."""
        watch = ClockWatch(self.now, self.monotonic)
        while True:
            await asyncio.sleep(CLOCK_CHECK_SECONDS)
            jump = watch.check()
            if not jump:
                continue
            moved = shift_jobs(scheduler, jump)
            try:
                rows = self.store.shift_schedules(jump, self.now())
            except StoreError as exc:
                log.error("clock jump: schedules in the database not shifted: %s", exc)
                rows = 0
            log.warning("the wall clock jumped %+.0fs; shifted %d jobs and %d queued retries and backoffs so "
                        "nothing bursts or falls silent", jump, moved, rows)
            worker.notify()

    def _oncall_chats(self) -> frozenset[int]:
        """On-call chats and the chats of the escalation chain: what reaches them is never held."""
        oncall = self.config.oncall
        return frozenset([*oncall.chats, *(step.chat for step in oncall.chain)])

    def stop(self) -> None:
        self.stop_event.set()

    async def _start_telegram(self, *, polling: bool) -> Sender:
        """Connect through bot/telegram/application.py, the one place that builds python-telegram-bot's
        Application, with the chat handlers given what they may call."""
        from bot.telegram.application import connect
        from bot.telegram.commands import ChatServices

        token = self.token or ""
        redactor().add(token)
        link = await connect(token, self.config.telegram.api_base_url, ChatServices(
            self.store, lambda: self.ruleset, self.now,
            admins=frozenset(self.config.telegram.admins),
            allowed_chats=frozenset(self.config.telegram.allowed_chats),
            status=lambda: status_html(self.config, self.store, len(self.ruleset), self.now(), self.dry_run),
            sources=lambda: sources_html(self.config, self.store, self.now()),
            reload=self.reload_now, queued=self._wake_worker, oncall=lambda: self.config.oncall),
            polling=polling, notify_admins=self.notify_admins)
        self.telegram = link
        if self.cluster is not None and self.cluster.leader and polling is False:
            await self._lead()   # it became the leader while connecting
        return link.sender

    async def _stop_telegram(self) -> None:
        link, self.telegram = self.telegram, None
        if link is not None:
            await link.close()
