"""User story: an alert fired on a football riot; someone in the chat presses "Not relevant".

Real poller, store and python-telegram-bot against the fake Bot API and the feed server. The
judgement is then seen where the operator looks: `/feedback` in the chat, `beacon feedback`
(table, JSON, the explanation naming the words the rule fired on), and `beacon rules eval`
counting the article as a false positive of the rule, from an export and from the store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import Beacon
from bot.cli import main
from tests.e2e.telegram_setup import say, start, stop, tagged_rules, telegram_config
from tests.fakes.bot_api import FakeBotAPI, SentMessage

CHAT, STRANGER = 4242, 5151
DERBY = {"guid": "derby-1", "title": "Two supporters killed as fans clash after the football derby",
         "link": "https://news.example/derby",
         "description": "Rival supporters fought outside the stadium after the cup derby; two were killed.",
         "pubDate": "Sat, 07 Nov 2026 20:00:00 GMT"}


async def press(bot_api: FakeBotAPI, chat_id: int, message_id: int, data: str, username: str = "dana") -> str:
    """Press a button and return Telegram's toast (the answerCallbackQuery text)."""
    count = len(bot_api.answered_callbacks)
    bot_api.push_callback_query(chat_id, message_id, data, user_id=2002, username=username)
    await bot_api.wait_for(lambda: len(bot_api.answered_callbacks) > count, timeout=10)
    return str(bot_api.answered_callbacks[count].get("text", ""))


def buttons(bot_api: FakeBotAPI, message: SentMessage) -> dict[str, str]:
    """The message's buttons as they are now (after edits): text -> callback data or URL."""
    shown = bot_api.message(message.chat_id, message.message_id) or {}
    rows = (shown.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b.get("callback_data") or b.get("url", "") for row in rows for b in row}


async def shows(bot_api: FakeBotAPI, message: SentMessage, text: str) -> None:
    """Wait until the message carries a button with this text (the keyboard is edited after the toast)."""
    await bot_api.wait_for(lambda: text in buttons(bot_api, message), timeout=10)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["--log-level", "WARNING", *args])
    return status, capsys.readouterr().out


async def test_not_relevant_is_recorded_listed_explained_and_counted(write_config, feed_server, bot_api, tmp_path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from tests.feeds import rss

    feed_server.serve("/feed", rss(DERBY))
    config = telegram_config(write_config, feed_server, bot_api, tagged_rules(tmp_path))
    beacon = Beacon(config)
    beacon.store.chats.subscribe(CHAT, "all", beacon.now())
    task = await start(beacon, bot_api)
    try:
        [alert] = await bot_api.wait_for_sent(1, timeout=10)
        assert "fans clash" in alert.plain_text
        shown = buttons(bot_api, alert)
        assert list(shown)[:3] == ["✅ Acknowledge", "🔕 Mute incident 1h", "👎 Not relevant"]
        not_relevant = shown["👎 Not relevant"]
        alert_id = int(not_relevant.removeprefix("nr:"))

        # a chat that was never sent the alert cannot judge it
        assert "cannot judge it here" in await press(bot_api, STRANGER, 1, not_relevant)
        assert beacon.store.feedback.judgements() == []

        # the press is recorded: who judged which article against which rule, and when
        toast = await press(bot_api, CHAT, alert.message_id, not_relevant)
        assert toast.startswith("Noted: not relevant for fatal-clash")
        [judgement] = beacon.store.feedback.judgements()
        assert (judgement.judge.chat_id, judgement.judge.user_id, judgement.judge.name) == (CHAT, 2002, "@dana")
        assert (judgement.alert_id, judgement.rule_id, judgement.rule_title) == (alert_id, "fatal-clash",
                                                                                 "Fatal armed clash")
        assert judgement.article.title == DERBY["title"] and judgement.article.url == DERBY["link"]
        assert "killed" in judgement.fired_on and judgement.active
        await shows(bot_api, alert, "↩️ Relevant after all")
        assert "👎 Not relevant" not in buttons(bot_api, alert)

        # undone, and judged again
        assert await press(bot_api, CHAT, alert.message_id, f"rel:{alert_id}") == "Noted: relevant after all."
        assert beacon.store.feedback.judgements() == []
        [withdrawn] = beacon.store.feedback.judgements(withdrawn=True)
        assert withdrawn.withdrawn_by == "@dana"
        await shows(bot_api, alert, "👎 Not relevant")
        assert (await press(bot_api, CHAT, alert.message_id, not_relevant)).startswith("Noted: not relevant")
        [judgement] = beacon.store.feedback.judgements()

        # /feedback lists this chat's judgements; /feedback <id> says why the rule fired
        listing = await say(bot_api, CHAT, "/feedback")
        assert "Judged not relevant here (1)" in listing and "fatal-clash" in listing and "@dana" in listing
        assert DERBY["title"] in listing
        why = await say(bot_api, CHAT, f"/feedback {judgement.id}")
        assert "the rule fired on:" in why and "'killed'" in why
        assert "not: {terms: [" in why and "football" in why
        assert "Usage: /feedback" in await say(bot_api, STRANGER, f"/feedback {judgement.id}")   # not theirs
    finally:
        await stop(beacon, task)

    config_file = str(config.file)
    status, table = cli(capsys, "-c", config_file, "feedback")
    assert status == 0
    assert "fatal-clash" in table and "@dana" in table and str(CHAT) in table and "football derby" in table

    status, out = cli(capsys, "-c", config_file, "feedback", "--rule", "troop-buildup")
    assert (status, out) == (0, "no judgements\n")

    status, out = cli(capsys, "-c", config_file, "feedback", "--format", "json")
    [record] = [json.loads(line) for line in out.splitlines()]
    assert (record["chat"], record["user"], record["rule"], record["alert_id"]) == (CHAT, "@dana", "fatal-clash",
                                                                                   alert_id)
    assert record["article"]["url"] == DERBY["link"] and record["withdrawn_at"] is None
    assert record["article"]["key"].startswith("guid:") and record["judged_at"].startswith("20")

    status, out = cli(capsys, "-c", config_file, "feedback", "--explain", str(judgement.id))
    assert status == 0
    assert "now: the rules loaded now still fire on it" in out
    assert "suggested exception (shown only, never applied)" in out
    capsys.readouterr()
    assert main(["--log-level", "WARNING", "-c", config_file, "feedback", "--explain", "999"]) == 1
    assert capsys.readouterr().err == "error: no judgement 999 (beacon feedback lists them)\n"

    # the judgement as a labeled negative: exported to a file, or read from the store
    status, out = cli(capsys, "-c", config_file, "feedback", "--export")
    negatives = tmp_path / "negatives.jsonl"
    negatives.write_text(out, encoding="utf-8")
    [line] = [json.loads(x) for x in out.splitlines()]
    assert line["labels"] == {"fatal-clash": False} and line["title"] == DERBY["title"]

    status, report = cli(capsys, "-c", config_file, "rules", "eval", str(negatives), "--misses")
    assert status == 0
    row = next(r for r in report.splitlines() if r.startswith("fatal-clash"))
    assert row.split()[1:4] == ["0", "1", "0"]   # tp fp fn: the judged article is a false positive
    assert "judged not relevant in chats: 1, still fired on: 1" in report
    assert f"judged not relevant, still fires feedback-{judgement.id}" in report

    status, from_store = cli(capsys, "-c", config_file, "rules", "eval", "--feedback")
    assert status == 0 and from_store == report.replace(f"    judged not relevant, still fires feedback-"
                                                        f"{judgement.id}: {DERBY['title'][:80]}\n", "")


def test_rules_eval_needs_a_file_or_feedback(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status = main(["--log-level", "WARNING", "rules", "eval", "--rules", str(tagged_rules(tmp_path))])
    assert status == 2
    assert "give a labeled FILE, --feedback, or both" in capsys.readouterr().err
