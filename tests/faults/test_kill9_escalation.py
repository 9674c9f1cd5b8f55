"""Kill -9 right after the poll that raised an incident to the on-call line: the raise, the incident's message to
the on-call chats and its escalation were one commit, so the next run sends them all (a real `beacon run` on a
SQLite file, the fake Bot API and feed server)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from bot.enums import AlertAction, OutboxStatus
from bot.store import Store
from tests.conftest import RULES_DIR, TEMPLATES_DIR
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.faults.harness import beacon_env, run_beacon
from tests.feeds import rss
from tests.test_events_escalation import AMBUSH, RULE, TOLL

pytestmark = pytest.mark.faults

SUBSCRIBER, ONCALL = 4343, -1004343


def write_config(tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI) -> Path:
    """One feed, one chat subscribed to every rule, one on-call chat for critical incidents."""
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "rules.yaml").write_text(RULE, encoding="utf-8")
    shutil.copy(RULES_DIR / "regions.yaml", rules_dir / "regions.yaml")
    path = tmp_path / "beacon.yaml"
    path.write_text(textwrap.dedent(f"""
        rules_dir: {rules_dir}
        templates_dir: {TEMPLATES_DIR}
        data_dir: {tmp_path / "data"}
        sources:
          - {{name: wire, type: rss, url: "{feed_server.url("/feed")}", interval: 1s}}
        telegram:
          base_url: {bot_api.base_url}
          chats: [{SUBSCRIBER}]
        delivery: {{chat_interval: 0.01, group_interval: 0.01}}
        oncall:
          min_severity: critical
          chats: [{ONCALL}]
          escalate_after: 10m
        polling: {{allow_private: true}}
    """), encoding="utf-8")
    return path


async def test_killed_after_the_raising_poll_commits_the_escalation_survives(
        tmp_path: Path, feed_server: FeedServer, bot_api: FakeBotAPI) -> None:
    feed_server.serve("/feed", rss(AMBUSH))
    config = write_config(tmp_path, feed_server, bot_api)
    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    [first] = bot_api.sent
    assert first.chat_id == SUBSCRIBER and "HIGH" in first.plain_text   # high: below the on-call line

    # the toll passes the rule's `escalate`: critical; the process dies as soon as that poll has committed
    feed_server.serve("/feed", rss(TOLL, AMBUSH))
    status, log = await run_beacon(config, beacon_env(bot_api, fault="after_outbox_commit"), "--once")
    assert status == 137, log
    assert "killed at fault point after_outbox_commit" in log
    assert len(bot_api.sent) == 1
    store = Store(tmp_path / "data" / "beacon.sqlite3")
    try:
        [escalation] = store.escalations.states()
        assert escalation.chats == (ONCALL,) and escalation.step == 0 and escalation.done_at is None
        waiting = [(r.chat_id, r.action, r.alert_id) for r in store.outbox.rows()
                   if r.status == OutboxStatus.PENDING]
        assert (SUBSCRIBER, AlertAction.UPDATE) in [(chat, action) for chat, action, _ in waiting]
        assert (ONCALL, AlertAction.SEND, escalation.alert_id) in waiting   # the incident's own message
    finally:
        store.close()

    # the next run sends what the dead one committed: the reply in the subscriber's chat, the whole incident
    # in the on-call chat, with the Acknowledge button of the escalation that is running
    status, log = await run_beacon(config, beacon_env(bot_api), "--once")
    assert status == 0, log
    [reply] = [m for m in bot_api.sent[1:] if m.chat_id == SUBSCRIBER]
    assert reply.reply_to_message_id == first.message_id and "death toll now 12, was 1" in reply.plain_text
    [oncall] = [m for m in bot_api.sent if m.chat_id == ONCALL]
    assert "CRITICAL" in oncall.plain_text and "killed: 12" in oncall.plain_text
    assert f"ack:{escalation.alert_id}" in str(oncall.reply_markup)
