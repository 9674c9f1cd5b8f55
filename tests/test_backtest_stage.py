"""The backtest's in-memory stand-in for the store's open events answers as `Store.open_events` does."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.backtest.stage import OPEN_EVENTS_LIMIT, MemoryEvents
from bot.models import Event, EventRule, Severity

START = datetime(2026, 10, 1, tzinfo=UTC)
CLASH = EventRule("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict", "casualties"))
KOSOVO = EventRule("kosovo-fatal-clash", "Fatal clash in Kosovo", Severity.CRITICAL, ("conflict", "balkans"))
BUILDUP = EventRule("troop-buildup", "Troop build-up", Severity.HIGH, ("military",))


def _event(n: int, hours: float, *rules: EventRule, status: str = "open") -> Event:
    at = START + timedelta(hours=hours)
    return Event(id=f"ev-{n}", rule_id=rules[0].id, rule_title=rules[0].title, key=f"rule={rules[0].id}",
                 status=status, severity=rules[0].severity, first_at=at, last_at=at, headline={}, rules=rules)


def test_events_are_found_by_rule_or_tag_newest_first_since_a_time() -> None:
    book = MemoryEvents()
    for n, (hours, rules) in enumerate([(1, (CLASH,)), (2, (BUILDUP,)), (3, (CLASH, KOSOVO)), (30, (CLASH,))]):
        book.remember(_event(n, hours, *rules))
    assert [e.id for e in book.candidates("fatal-clash", START)] == ["ev-3", "ev-2", "ev-0"]
    assert [e.id for e in book.candidates("kosovo-fatal-clash", START)] == ["ev-2"]
    assert [e.id for e in book.candidates("tag:conflict", START + timedelta(hours=2))] == ["ev-3", "ev-2"]
    assert [e.id for e in book.candidates("tag:military", START)] == ["ev-1"]
    assert book.candidates("tag:balkans", START + timedelta(hours=4)) == []
    assert book.candidates("nothing", START) == []


def test_a_later_report_moves_its_event_to_the_front_and_adds_its_rules() -> None:
    book = MemoryEvents()
    first, second = _event(1, 1, CLASH), _event(2, 2, CLASH)
    book.remember(first)
    book.remember(second)
    joined = dataclasses.replace(first, last_at=START + timedelta(hours=5), rules=(CLASH, KOSOVO))
    book.remember(joined)
    assert [e.id for e in book.candidates("fatal-clash", START)] == ["ev-1", "ev-2"]
    assert book.candidates("fatal-clash", START)[0] is joined
    assert [e.id for e in book.candidates("tag:balkans", START)] == ["ev-1"]
    assert [e.id for e in book.candidates("fatal-clash", START + timedelta(hours=3))] == ["ev-1"]


def test_at_most_the_newest_hundred_and_old_events_forgotten_unless_held() -> None:
    book = MemoryEvents()
    for n in range(OPEN_EVENTS_LIMIT + 20):
        book.remember(_event(n, n, CLASH, status="held" if n == 0 else "open"))
    found = book.candidates("fatal-clash", START)
    assert len(found) == OPEN_EVENTS_LIMIT
    assert found[0].id == f"ev-{OPEN_EVENTS_LIMIT + 19}" and found[-1].id == "ev-20"
    book.forget_before(START + timedelta(hours=50))
    assert book.get("ev-0") is not None and book.get("ev-1") is None and book.get("ev-50") is not None
    assert len(book.candidates("tag:casualties", START)) == OPEN_EVENTS_LIMIT + 20 - 50 + 1
