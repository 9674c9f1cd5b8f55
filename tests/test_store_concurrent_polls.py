"""Two instances that polled the same article at once (a poll that outlived its source's lease): one alert.

Each instance reads the article as unseen before either commits; the second commit finds its seen-mark
already written (on PostgreSQL it waits for the first commit to know) and queues nothing for it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.database_location import DatabaseLocation
from bot.enums import Channel
from bot.models import Alert, Article, Match, Severity, Target
from bot.store import Store
from bot.store.postgres import PostgresDatabase

pytestmark = pytest.mark.backends()

NOW = datetime(2024, 3, 2, 9, 30, tzinfo=UTC)


def another_instance(store: Store) -> Store:
    """A second Store on the same database, as another `beacon run` holds one."""
    database = store.database
    if isinstance(database, PostgresDatabase):
        return Store(DatabaseLocation(postgres_url=database.url))
    return Store(database.path)


def reported(guid: str) -> tuple[Article, Alert]:
    article = Article("wire", f"Border post shelled ({guid})", "Three guards were killed overnight.", guid=guid)
    return article, Alert(article, Match("fatal-clash", "Fatal clash", Severity.HIGH, facts={"killed": 3}), NOW)


def to_chat(_alert: Alert) -> list[Target]:
    return [Target(Channel.TELEGRAM, 41)]


def test_an_article_two_instances_polled_at_once_is_alerted_once(store: Store) -> None:
    other = another_instance(store)
    try:
        shared, shared_alert = reported("g-shared")
        only_late, only_late_alert = reported("g-late")
        assert store.articles.unseen([shared]) == [shared]          # both polls read it as new...
        assert other.articles.unseen([shared]) == [shared]
        [first] = store.commit_articles("wire", [shared], [shared_alert], to_chat, NOW)
        late = other.commit_articles("wire", [shared, only_late], [shared_alert, only_late_alert], to_chat, NOW)
    finally:
        other.close()
    assert first is not None
    assert late[0] is None and late[1] is not None                  # ...the later commit queues only its own
    queued = [store.alerts.get(row.alert_id) for row in store.outbox.rows(Channel.TELEGRAM)]
    assert sorted(alert.article.title for alert in queued if alert is not None) == [
        "Border post shelled (g-late)", "Border post shelled (g-shared)"]
