"""Several `beacon run` on one database: who this instance is, what it holds, and who leads.

With `cluster.mode: shared` (the default on PostgreSQL) every instance polls, matches and sends,
and the database decides who does what, so nothing needs a coordinator of its own:

- a source is polled by the instance whose interval job fires first: it takes the source's lease
  (`SourceStore.acquire`), the others find it taken or polled less than 3/4 of an interval ago;
- an outbox row is claimed with a lease, and only as its chat's oldest waiting row, so each chat's
  order holds and no two instances send to one chat at once; a claim whose lease ran out (its
  holder died mid-send) is resent by any instance, marked "possible repeat";
- Telegram's limits are per bot, so sends are paced by shared send slots (`SharedPacer`);
- the timers (held releases, trend flatlines, escalation steps) run where the `timers` lease is;
- exactly one instance, the leader, long-polls Telegram for commands: on PostgreSQL the holder of
  an advisory lock on a connection of its own (the server drops it the moment that process dies),
  on SQLite the holder of the `telegram-commands` lease.

Every renewal runs every `lease / 3` seconds, so a dead leader is replaced within about
`cluster.lease` (15 s by default) plus one renewal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import zlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.config import Config
from bot.enums import Channel, LeaseName
from bot.errors import StoreError
from bot.models import Target
from bot.outbox import Pacer, Pacing
from bot.store import Store
from bot.store.leases import Lease

log = logging.getLogger(__name__)

INSTANCE_ENV = "BEACON_INSTANCE"
# The leader's connection is probed both ways, so a host that vanishes (power, network) loses the lock
# within ~25 s (the server drops the session) and a leader cut off notices within ~25 s (its check fails),
# instead of TCP's default two hours.
SERVER_KEEPALIVES = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3"
ADVISORY_KEY = zlib.crc32(b"beacon:" + LeaseName.COMMANDS.encode())   # one number per lock, the same in every Beacon


def instance_id(config: Config) -> str:
    """This instance's name: BEACON_INSTANCE, else `cluster.name`, else host:pid."""
    return os.environ.get(INSTANCE_ENV) or config.cluster.name or f"{socket.gethostname()}:{os.getpid()}"


class RepeatedFailure:
    """A failure met again at every renewal or poll while the database is away (a PostgreSQL restart): logged
    when it starts and when it ends, not each time in between (the store's own line says why, once)."""

    def __init__(self, what: str, level: int = logging.ERROR) -> None:
        self.what = what
        self.level = level
        self.failing = False

    def failed(self, exc: Exception) -> None:
        if self.failing:
            log.debug("%s: %s", self.what, exc)
            return
        self.failing = True
        log.log(self.level, "%s: %s; retrying (logged again when it works)", self.what, str(exc).strip())

    def worked(self) -> None:
        if self.failing:
            self.failing = False
            log.warning("%s: works again", self.what)


class Leadership(Protocol):
    """Who long-polls Telegram: `hold` takes or keeps the lead (True while this instance has it)."""

    def hold(self, now: datetime) -> bool: ...

    def resign(self) -> None: ...


class LeaseLeadership:
    """The leader is the holder of the `telegram-commands` lease (SQLite, or any backend)."""

    def __init__(self, store: Store, holder: str, lease: timedelta) -> None:
        self.store = store
        self.holder = holder
        self.lease = lease

    def hold(self, now: datetime) -> bool:
        return self.store.leases.acquire(LeaseName.COMMANDS, self.holder, self.lease, now)

    def resign(self) -> None:
        self.store.leases.release(LeaseName.COMMANDS, self.holder)


class AdvisoryLeadership:
    """PostgreSQL: the leader holds a session advisory lock on a connection of its own. The server frees
    the lock when that connection ends, so a killed leader is replaced as soon as another instance asks.
    The holder is also written to `leases` (for /status), never read from there."""

    def __init__(self, store: Store, url: str, holder: str, lease: timedelta) -> None:
        self.store = store
        self.url = url
        self.holder = holder
        self.lease = lease
        self._connection: Any = None
        self._since: datetime | None = None
        self._lock_failure = RepeatedFailure("leader lock", logging.WARNING)

    def hold(self, now: datetime) -> bool:
        import psycopg

        try:
            if self._connection is None or self._connection.closed:
                self._since = None
                if self.store.database.away:   # the store's probe says so: no connect (up to 5 s) on the event loop
                    return False
                self._connection = psycopg.connect(self.url, autocommit=True, connect_timeout=5,
                                                   application_name="beacon-leader", keepalives=1,
                                                   keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
                                                   options=SERVER_KEEPALIVES)
            if self._since is not None:
                self._connection.execute("SELECT 1")     # still ours while the connection lives
            else:
                row = self._connection.execute("SELECT pg_try_advisory_lock(%s)", (ADVISORY_KEY,)).fetchone()
                if not (row and row[0]):
                    return False
                self._since = now
        except psycopg.Error as exc:
            self._lock_failure.failed(exc)
            self._drop()
            return False
        self._lock_failure.worked()
        self.store.leases.record(self.holder, Lease(LeaseName.COMMANDS, self.holder, self._since, now + self.lease))
        return True

    def resign(self) -> None:
        self._drop()
        self.store.leases.release(LeaseName.COMMANDS, self.holder)

    def _drop(self) -> None:
        connection, self._connection, self._since = self._connection, None, None
        if connection is not None:
            try:
                connection.close()     # the server frees the lock with the session
            except Exception as exc:   # closing a broken connection may fail; it is gone either way
                log.debug("closing the leader connection: %s", exc)


class Cluster:
    """This instance's share of the work on a shared database."""

    def __init__(self, store: Store, config: Config, now: Callable[[], datetime],
                 leadership: Leadership | None = None) -> None:
        self.store = store
        self.now = now
        self.id = instance_id(config)
        self.lease = timedelta(seconds=config.cluster.lease)
        self.started_at = now()
        self.leader = False
        url = config.store_location.postgres_url
        if leadership is None:
            leadership = AdvisoryLeadership(store, url, self.id, self.lease) if url else \
                LeaseLeadership(store, self.id, self.lease)
        self.leadership = leadership
        self._renewal = RepeatedFailure("cluster: renewal")
        self._sources = RepeatedFailure("cluster: source leases (no source is polled here meanwhile)")
        self._timers = RepeatedFailure("cluster: timers lease")

    @property
    def renew_every(self) -> float:
        return self.lease.total_seconds() / 3

    # -- sources ----------------------------------------------------------------------------------

    def take_source(self, name: str, interval: float) -> bool:
        """Poll this source now? Not while another instance polls it, nor if one began within 3/4 of its interval
        (every instance's job fires once an interval, with up to 10% jitter: the first one to fire polls)."""
        try:
            taken = self.store.sources.acquire(name, self.id, self.lease, self.now(), min_gap=interval * 0.75)
        except StoreError as exc:
            self._sources.failed(exc)
            return False
        self._sources.worked()
        return taken

    def done_with_source(self, name: str) -> None:
        try:
            self.store.sources.release(name, self.id)
        except StoreError as exc:   # the lease then runs out by itself
            self._sources.failed(exc)

    # -- outbox -----------------------------------------------------------------------------------

    def claim_until(self) -> datetime:
        """How long a claimed send stands without renewal."""
        return self.now() + self.lease

    def runs_timers(self) -> bool:
        """Fire the timers (held releases, trends, escalations) here? One instance at a time does."""
        try:
            held = self.store.leases.acquire(LeaseName.TIMERS, self.id, self.lease * 2, self.now())
        except StoreError as exc:
            self._timers.failed(exc)
            return False
        self._timers.worked()
        return held

    # -- leader -----------------------------------------------------------------------------------

    def renew(self) -> bool:
        """Say this instance is alive and take or keep the lead; returns whether it leads."""
        now = self.now()
        self.store.leases.seen(self.id, self.started_at, now)
        return self.leadership.hold(now)

    async def run(self, lead: Callable[[], Awaitable[None]], follow: Callable[[], Awaitable[None]],
                  stop: asyncio.Event) -> None:
        """Renew until `stop`; `lead()` when this instance becomes the leader, `follow()` when it stops being one."""
        while not stop.is_set():
            try:
                leading = self.renew()
            except StoreError as exc:
                self._renewal.failed(exc)
                leading = False
            else:
                self._renewal.worked()
            if leading and not self.leader:
                self.leader = True
                log.warning("instance %s leads: it polls Telegram for commands", self.id)
                await lead()
            elif self.leader and not leading:
                self.leader = False
                log.warning("instance %s no longer leads: another instance polls Telegram for commands", self.id)
                await follow()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.renew_every)
        if self.leader:
            await follow()   # stop polling before `leave` hands the lead on: never two pollers at once

    def leave(self) -> None:
        """A clean stop: give up the lead and the timers at once, and leave the list."""
        try:
            if self.leader:
                self.leadership.resign()
            self.store.leases.release(LeaseName.TIMERS, self.id)
            self.store.leases.gone(self.id)
        except StoreError as exc:
            log.warning("cluster: leaving: %s (the leases expire by themselves)", exc)


LATE_REBOOKS = 3     # a send woken this many times too late goes anyway (a loaded machine must still send)


class SharedPacer(Pacer):
    """`bot.outbox.Pacer` for several instances: each message books a slot in the database's send slots
    (bot/store/send_slots.py), so the bot's ~30 msg/s and each chat's pace hold across every process."""

    def __init__(self, pacing: Pacing, store: Store, now: Callable[[], datetime],
                 monotonic: Callable[[], float]) -> None:
        super().__init__(pacing, monotonic)
        self.store = store
        self.now = now

    @staticmethod
    def _key(target: Target) -> str:
        return f"{target.channel}:{target.chat_id}"

    async def acquire(self, target: Target) -> None:
        if target.channel != Channel.TELEGRAM:
            return
        interval = self.pacing.group_interval if target.chat_id < 0 else self.pacing.chat_interval
        gap = 1.0 / self.pacing.global_per_second
        for _ in range(LATE_REBOOKS + 1):
            slot = self.store.send_slots.book(self._key(target), self.now(), gap, interval)
            wait = (slot - self.now()).total_seconds()
            # remembered here too, so the worker does not claim this chat's next row before its turn
            # (`chat_ready_in`; another instance's bookings are found when booking)
            self.next_for_chat[(target.channel, target.chat_id)] = self.monotonic() + max(0.0, wait) + interval
            if wait > 0:
                await asyncio.sleep(wait)
            # woken late (this process's loop was busy): sending now would bunch with the slots other processes
            # booked after ours and break the bot's per-second limit, so take a new slot instead
            if (self.now() - slot).total_seconds() <= gap * 2:
                return

    def hold_chat(self, target: Target, seconds: float) -> None:
        super().hold_chat(target, seconds)
        self.store.send_slots.hold(self._key(target), self.now() + timedelta(seconds=seconds))

