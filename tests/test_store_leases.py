"""Leases, claims and shared send slots: what lets several Beacons share one database, on both backends."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.enums import LeaseName, OutboxStatus
from bot.instances import AdvisoryLeadership, LeaseLeadership, SharedPacer
from bot.models import Alert, Article, Match, Severity, Target
from bot.outbox import Pacing
from bot.store import Store

pytestmark = pytest.mark.backends()

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(seconds=15)
A, B = "host-a:101", "host-b:202"


def _queue(store: Store, guid: str, chats: list[int]) -> None:
    article = Article("wire", f"Clash report {guid}", "Two killed near the border.", guid=guid)
    alert = Alert(article, Match("fatal-clash", "Fatal clash", Severity.HIGH), NOW)
    store.commit_articles("wire", [article], [alert], lambda _: [Target("telegram", c) for c in chats], NOW)


def test_a_lease_has_one_holder_until_it_expires(store: Store) -> None:
    assert store.leases.acquire(LeaseName.COMMANDS, A, LEASE, NOW)
    assert not store.leases.acquire(LeaseName.COMMANDS, B, LEASE, NOW + timedelta(seconds=5))
    assert store.leases.acquire(LeaseName.COMMANDS, A, LEASE, NOW + timedelta(seconds=10))      # renewed
    assert not store.leases.acquire(LeaseName.COMMANDS, B, LEASE, NOW + timedelta(seconds=20))  # still A's
    held = store.leases.holder(LeaseName.COMMANDS, NOW + timedelta(seconds=20))
    assert held is not None and held.holder == A and held.since == NOW
    # A stops renewing (killed): B takes over once the lease is past
    assert store.leases.acquire(LeaseName.COMMANDS, B, LEASE, NOW + timedelta(seconds=26))
    held = store.leases.holder(LeaseName.COMMANDS, NOW + timedelta(seconds=26))
    assert held is not None and held.holder == B and held.since == NOW + timedelta(seconds=26)
    assert store.leases.holder(LeaseName.TIMERS, NOW) is None


def test_a_released_lease_is_free_at_once(store: Store) -> None:
    assert store.leases.acquire(LeaseName.TIMERS, A, LEASE, NOW)
    assert not store.leases.release(LeaseName.TIMERS, B)
    assert store.leases.release(LeaseName.TIMERS, A)
    assert store.leases.acquire(LeaseName.TIMERS, B, LEASE, NOW + timedelta(seconds=1))


def test_instances_are_listed_while_they_report(store: Store) -> None:
    store.leases.seen(A, NOW, NOW)
    store.leases.seen(B, NOW + timedelta(seconds=1), NOW + timedelta(seconds=1))
    store.leases.seen(A, NOW, NOW + timedelta(seconds=30))
    assert [i.id for i in store.leases.instances(NOW + timedelta(seconds=20))] == [A]
    assert [i.id for i in store.leases.instances(NOW)] == [A, B]
    store.leases.gone(A)
    assert [i.id for i in store.leases.instances(NOW)] == [B]


def test_a_source_is_polled_by_one_instance_per_interval(store: Store) -> None:
    assert store.sources.acquire("wire", A, LEASE, NOW, min_gap=50)
    assert not store.sources.acquire("wire", B, LEASE, NOW + timedelta(seconds=1), min_gap=50)   # A polls it
    store.sources.release("wire", A)
    assert not store.sources.acquire("wire", B, LEASE, NOW + timedelta(seconds=2), min_gap=50)   # polled just now
    assert store.sources.acquire("wire", B, LEASE, NOW + timedelta(seconds=60), min_gap=50)
    poller = store.sources.pollers()["wire"]
    assert poller.instance_id == B and poller.lease_until == NOW + timedelta(seconds=75)
    # B dies mid-poll: its lease runs out and A may poll again
    assert not store.sources.acquire("wire", A, LEASE, NOW + timedelta(seconds=70), min_gap=5)
    assert store.sources.acquire("wire", A, LEASE, NOW + timedelta(seconds=76), min_gap=5)


def test_a_claim_takes_only_the_head_of_a_chat_and_expires(store: Store) -> None:
    _queue(store, "g1", [7, 8])
    _queue(store, "g2", [7])
    rows = store.outbox.rows()
    first7, first8, second7 = rows[0].id, rows[1].id, rows[2].id
    until = NOW + LEASE
    assert not store.outbox.claim(second7, A, until)      # chat 7's older row waits: order holds
    assert store.outbox.claim(first7, A, until)
    assert not store.outbox.claim(first7, B, until)       # one claim only
    assert not store.outbox.claim(second7, B, until)      # the head is being sent: nobody sends to 7 at once
    assert store.outbox.claim(first8, B, until)
    # nothing expired yet: B's recovery leaves A's rows alone
    assert store.outbox.recover_interrupted(expired_at=NOW + timedelta(seconds=5)) == 0
    assert store.outbox.renew_claim(first7, A, NOW + timedelta(seconds=40))
    assert not store.outbox.renew_claim(first8, A, NOW + timedelta(seconds=40))   # not A's
    # B died holding chat 8's row: once its lease is over, it is resent, marked as a possible repeat
    assert store.outbox.recover_interrupted(expired_at=NOW + timedelta(seconds=20)) == 1
    by_id = {r.id: r for r in store.outbox.rows()}
    assert by_id[first8].status == OutboxStatus.PENDING and by_id[first8].possible_repeat
    assert by_id[first7].status == OutboxStatus.SENDING
    store.outbox.mark_sent(first7, NOW)
    assert store.outbox.claim(second7, B, until)          # now it is chat 7's head


def test_send_slots_pace_every_instance_together(store: Store) -> None:
    gap, chat_gap = 1 / 25, 1.0
    times = [store.send_slots.book(f"telegram:{chat}", NOW, gap, chat_gap) for chat in range(10)]
    assert times == [NOW + timedelta(seconds=i * gap) for i in range(10)]
    again = store.send_slots.book("telegram:0", NOW, gap, chat_gap)    # the same chat waits its second
    assert again == NOW + timedelta(seconds=chat_gap)
    store.send_slots.hold("telegram:3", NOW + timedelta(seconds=30))   # flood control, as Telegram said
    assert store.send_slots.book("telegram:3", NOW, gap, chat_gap) == NOW + timedelta(seconds=30)
    store.send_slots.hold("telegram:3", NOW)                           # a shorter hold never moves it back
    assert store.send_slots.book("telegram:3", NOW, gap, chat_gap) == NOW + timedelta(seconds=31)


def test_one_leader_at_a_time_and_a_successor_when_it_goes(store: Store, store_backend: str,
                                                           request: pytest.FixtureRequest) -> None:
    """PostgreSQL: an advisory lock on a connection of the leader's own, freed when that connection ends;
    SQLite: the commands lease, free once it runs out (bot/instances.py)."""
    if store_backend == "postgresql":
        url = request.getfixturevalue("pg_store_url")
        first, second = AdvisoryLeadership(store, url, A, LEASE), AdvisoryLeadership(store, url, B, LEASE)
        gone = NOW + timedelta(seconds=1)       # the lock is free as soon as the leader's connection ends
    else:
        first, second = LeaseLeadership(store, A, LEASE), LeaseLeadership(store, B, LEASE)
        gone = NOW + timedelta(seconds=5) + LEASE + timedelta(seconds=1)   # after its last renewal ran out
    try:
        assert first.hold(NOW)
        assert not second.hold(NOW)
        assert first.hold(NOW + timedelta(seconds=5))         # kept
        held = store.leases.holder(LeaseName.COMMANDS, NOW + timedelta(seconds=5))
        assert held is not None and held.holder == A         # shown in /status on both backends
        if isinstance(first, AdvisoryLeadership):
            first._drop()                                     # as if its process died: the connection ends
        # the server frees the lock when it has ended the session, a moment after the client closed it: a
        # successor asks again at its next tick, as this loop does
        deadline = time.monotonic() + 5
        while not second.hold(gone) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert second.hold(gone)
        assert not first.hold(gone)                           # the old leader does not come back beside it
    finally:
        second.resign()
        first.resign()


def _wall_clock() -> datetime:
    """The real clock: the pacers sleep until their slots."""
    return datetime.now(UTC)


async def test_two_instances_pacers_share_the_bots_rate(store: Store) -> None:
    """Two instances' pacers (one store here, as one database) book from the same slots: together they keep
    the global rate and each chat's interval, and a chat one of them just booked is not ready for it again."""
    pacing = Pacing(global_per_second=20.0, chat_interval=0.3, group_interval=0.3)
    first, second = (SharedPacer(pacing, store, _wall_clock, time.monotonic) for _ in range(2))
    released: list[float] = []

    async def send(pacer: SharedPacer, chat: int) -> None:
        await pacer.acquire(Target("telegram", chat))
        released.append(time.monotonic())

    await asyncio.gather(*(send(first if i % 2 else second, 100 + i) for i in range(8)))
    gaps = [b - a for a, b in zip(sorted(released), sorted(released)[1:], strict=False)]
    assert len(released) == 8 and min(gaps) > 0.03                  # ~1/20 s apart, whichever instance sent
    assert sorted(released)[-1] - sorted(released)[0] >= 7 / 20 - 0.02
    assert first.chat_ready_in(Target("telegram", 107)) > 0.2       # its last send: the chat's next row waits
    started = time.monotonic()
    await send(second, 107)                                          # the other instance finds the chat's slot
    assert time.monotonic() - started >= 0.2
