"""Subscriptions by rule, tag or `all`, narrowed to regions, and who receives an alert."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import Alert, Article, Match, Severity, Target
from bot.routing import Subscription
from bot.store import Store
from tests.routes import subscribers

pytestmark = pytest.mark.backends()   # each test of a store runs on SQLite and on PostgreSQL

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
TAGS = ("conflict", "casualties")


def targets(*pairs: tuple[int, int | None]) -> list[Target]:
    return [Target("telegram", chat, thread) for chat, thread in pairs]


def test_a_chat_subscribed_several_ways_is_one_target(store: Store) -> None:
    store.chats.subscribe(1, "fatal-clash", NOW)
    store.chats.subscribe(1, "tag:conflict", NOW)
    store.chats.subscribe(1, "all", NOW)
    store.chats.subscribe(1, "tag:conflict", NOW, thread_id=7)    # another topic of the same group: its own target
    assert subscribers(store, "fatal-clash", TAGS, ["north-kosovo", "Kosovo"]) == targets((1, None), (1, 7))


def test_tags_match_only_alerts_with_that_tag(store: Store) -> None:
    store.chats.subscribe(2, "tag:conflict", NOW)
    assert subscribers(store, "fatal-clash", TAGS) == targets((2, None))
    assert subscribers(store, "troop-buildup", ("military",)) == []


def test_regions_narrow_a_subscription(store: Store) -> None:
    store.chats.subscribe(1, "fatal-clash", NOW, regions=["Kosovo"])
    store.chats.subscribe(2, "tag:conflict", NOW, regions=["north-kosovo", "serbia"])
    store.chats.subscribe(3, "all", NOW)                           # anywhere
    store.chats.subscribe(4, "all", NOW, regions=["Zvečan"])       # a town, written with its accent
    assert subscribers(store, "fatal-clash", TAGS, ["north-kosovo", "Kosovo"]) == targets(
        (1, None), (2, None), (3, None))
    assert subscribers(store, "fatal-clash", TAGS, ["Ukraine"]) == targets((3, None))
    assert subscribers(store, "fatal-clash", TAGS, ["ZVECAN", "north-kosovo"]) == targets(
        (2, None), (3, None), (4, None))
    assert subscribers(store, "fatal-clash", TAGS, []) == targets((3, None))   # an alert about no place


def test_regions_are_stored_normalised_and_replaced(store: Store) -> None:
    assert store.chats.subscribe(1, "fatal-clash", NOW, regions=["Kosovo", "North Kosovo", "kosovo"])
    assert store.chats.subscriptions(1) == [Subscription(1, None, "fatal-clash", ("kosovo", "north-kosovo"))]
    assert not store.chats.subscribe(1, "fatal-clash", NOW, regions=["KOSOVO", "north-kosovo"])   # nothing changed
    assert store.chats.subscribe(1, "fatal-clash", NOW, regions=["serbia"])                       # narrowed otherwise
    assert store.chats.subscriptions(1)[0].regions == ("serbia",)
    assert not store.chats.subscribe(1, "fatal-clash", NOW)                  # regions not given: kept (start-up)
    assert store.chats.subscriptions(1)[0].regions == ("serbia",)
    assert store.chats.subscribe(1, "fatal-clash", NOW, regions=())                               # widened: anywhere
    assert store.chats.subscriptions(1)[0].regions == ()
    raw = store.database.rows("SELECT regions FROM subscriptions")[0][0]
    assert raw == ""


def test_unsubscribe_from_some_regions(store: Store) -> None:
    store.chats.subscribe(1, "fatal-clash", NOW, regions=["kosovo", "serbia"])
    assert not store.chats.unsubscribe(1, "fatal-clash", regions=["ukraine"])     # not one of its regions
    assert store.chats.unsubscribe(1, "fatal-clash", regions=["Serbia"])
    assert store.chats.subscriptions(1)[0].regions == ("kosovo",)
    assert store.chats.unsubscribe(1, "fatal-clash", regions=["kosovo"])          # the last one: gone, not widened
    assert store.chats.subscriptions(1) == []
    store.chats.subscribe(1, "all", NOW)
    assert not store.chats.unsubscribe(1, "all", regions=["kosovo"])              # everywhere cannot lose a region
    assert store.chats.subscriptions(1) == [Subscription(1, None, "all")]


def test_unsubscribe_all_removes_every_selector_of_that_topic_only(store: Store) -> None:
    store.chats.subscribe(-100, "fatal-clash", NOW, thread_id=3)
    store.chats.subscribe(-100, "tag:conflict", NOW, thread_id=3, regions=["kosovo"])
    store.chats.subscribe(-100, "all", NOW, thread_id=4)
    assert store.chats.unsubscribe(-100, "all", thread_id=3)
    assert store.chats.subscriptions(-100) == [Subscription(-100, 4, "all")]


def test_the_old_subscribers_name_still_works(store: Store) -> None:
    store.chats.subscribe(1, "fatal-clash", NOW)
    store.chats.subscribe(2, "all", NOW)
    store.chats.subscribe(3, "tag:conflict", NOW)
    assert subscribers(store, "fatal-clash") == targets((1, None), (2, None))


def test_gone_chats_receive_nothing(store: Store) -> None:
    store.chats.subscribe(1, "tag:conflict", NOW, regions=["kosovo"])
    store.chats.mark_gone(1, "Forbidden: bot was blocked by the user", NOW)
    assert subscribers(store, "fatal-clash", TAGS, ["Kosovo"]) == []


def test_routing_through_commit_uses_tags_and_regions(store: Store) -> None:
    store.chats.subscribe(1, "tag:casualties", NOW, regions=["kosovo"])
    store.chats.subscribe(2, "tag:casualties", NOW, regions=["ukraine"])
    match = Match("fatal-clash", "Fatal", Severity.HIGH, tags=TAGS, regions=("north-kosovo", "Kosovo"))
    alert = Alert(Article("wire", "Ambush in Banjska", guid="g1"), match, NOW)
    store.commit_articles("wire", [alert.article], [alert],
                          lambda a: subscribers(store, a.rule_id, a.match.tags, a.match.regions), NOW)
    assert [d.chat_id for d in store.outbox.rows("telegram")] == [1]


def test_region_keys_stored_by_name_are_brought_to_the_regions_keys(store: Store) -> None:
    """An older version stored a region by the slug of its name; start-up (`Beacon`) rewrites each stored key
    through the rules' regions, in subscriptions and in region mutes, on either store."""
    from bot.engine.regions import RegionBook
    from bot.telegram.selectors import current_key

    book = RegionBook.with_countries().with_cities(["RS"])
    store.chats.subscribe(1, "fatal-clash", NOW, regions=["borno-state", "kosovo"])   # a division's name; a country
    store.chats.subscribe(2, "all", NOW, regions=["us-ga", "atlantis"])           # already a key; unknown: kept
    store.chats.mute(3, "region:lower-juba", datetime(2023, 9, 24, 8, 0, tzinfo=UTC), "ana", NOW)
    store.chats.mute(3, "region:so-jh", datetime(2023, 9, 24, 7, 0, tzinfo=UTC), "ana", NOW)   # the same, sooner
    store.chats.mute(4, "region:vranje", datetime(2023, 9, 24, 7, 0, tzinfo=UTC), "ana", NOW)   # a town by its name
    assert store.chats.rekey_regions(lambda key: current_key(key, book)) == 3
    assert [s.regions for s in store.chats.subscriptions()] == [("ng-bo", "kosovo"), ("us-ga", "atlantis")]
    vranje = next(r for r in book.regions.values() if r.kind == "city" and r.name == "Vranje")
    mutes = {(m.chat_id, m.selector, m.until.hour) for m in store.chats.active_mutes(NOW)}
    assert mutes == {(3, "region:so-jh", 8), (4, "region:" + vranje.id, 7)}
    assert store.chats.rekey_regions(lambda key: current_key(key, book)) == 0     # once: every key is current
