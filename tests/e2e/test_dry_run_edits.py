"""A dry run (no Telegram token) shows what an edit in place changed, not only the threaded replies.

In Telegram an update rewrites the first message of an incident without a sound; an operator trying
rules on the terminal must see that too. The reports are the Banjska stream (tests/data/incidents/
banjska.jsonl, our own text): the ambush (one dead), then the shoot-out (toll 4, a second source).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime

from bot.app import Beacon
from bot.config import Config
from bot.enums import Channel
from bot.models import Message, Target
from bot.terminal import TerminalSender
from tests.conftest import DATA
from tests.fakes.feed_server import FeedServer
from tests.feeds import rss

REPORTS = [json.loads(line) for line in (DATA / "incidents" / "banjska.jsonl").read_text("utf-8").splitlines()]
FIRST_TWO = [r for r in REPORTS if r["step"] in (1, 2)]


def item(report: dict[str, str], n: int) -> dict[str, str]:
    return {"guid": f"{report['source']}-{n}", "title": report["title"], "description": report["text"],
            "link": f"https://{report['source']}.example/{n}",
            "pubDate": format_datetime(datetime.fromisoformat(report["published"]), usegmt=True)}


def five_minutes_after(at: datetime) -> Callable[[], datetime]:
    return lambda: at + timedelta(minutes=5)


async def test_the_terminal_prints_the_lines_an_edit_changed(write_config: Callable[..., Config],
                                                             feed_server: FeedServer) -> None:
    outlets = sorted({r["source"] for r in FIRST_TWO})
    for outlet in outlets:
        feed_server.serve("/" + outlet, rss())
    sources = "\n".join(f"  - {{name: {o}, url: \"{feed_server.url('/' + o)}\", interval: 60}}" for o in outlets)
    config = write_config(f"sources:\n{sources}\n")
    printed = []
    for step in (1, 2):   # one `beacon run --once` per step, at the report's time
        for n, report in enumerate(FIRST_TWO):
            if report["step"] == step:
                feed_server.serve("/" + report["source"], rss(item(report, n)))
        at = max(datetime.fromisoformat(r["published"]) for r in FIRST_TWO if r["step"] == step)
        out = io.StringIO()
        beacon = Beacon(config, now=five_minutes_after(at), out=out)
        assert await beacon.run(once=True) == 0
        printed.append(out.getvalue())
    first, second = printed
    # the second run numbered its messages after the first run's: no stored id names two messages
    reopened = Beacon(config, now=five_minutes_after(at), out=io.StringIO())
    ids = [row.message_id for row in reopened.store.outbox.rows(Channel.TERMINAL) if row.message_id is not None]
    reopened.store.close()
    assert len(ids) >= 2 and len(set(ids)) == len(ids), ids
    assert first.count("──── alert 1 ·") == 1 and "killed: 1" in first, first
    assert "reply to alert 1" in second and "death toll now 4, was 1" in second, second
    # this process did not print alert 1, so the edit shows the whole message as it now reads
    edit = second.split("──── alert 1 edited in place", 1)
    assert len(edit) == 2, second
    assert ", now reads" in edit[1].split("\n", 1)[0]
    body = edit[1].split("\n", 1)[1].split("\n──── ", 1)[0]
    assert "killed: 4" in body and "2 sources" in body, body


async def test_an_edit_in_one_run_prints_only_the_lines_it_changed() -> None:
    out = io.StringIO()
    terminal = TerminalSender(out)
    target = Target(Channel.TERMINAL)
    sent = await terminal.send(target, Message("<b>Clash</b>\nkilled: 1\n📰 1 source", event_id="ev-1"))
    assert sent.message_id == 1
    await terminal.edit(target, 1, Message("<b>Clash</b>\nkilled: 4\n📰 2 sources", event_id="ev-1"))
    edit = out.getvalue().split("──── alert 1 edited in place · incident ev-1", 1)[1]
    assert edit.splitlines()[1:] == ["- killed: 1", "- 📰 1 source", "+ killed: 4", "+ 📰 2 sources"]
    before = out.getvalue()
    await terminal.edit(target, 1, Message("<b>Clash</b>\nkilled: 4\n📰 2 sources", event_id="ev-1"))
    assert out.getvalue() == before   # an edit that changes nothing visible prints nothing


async def test_a_new_run_numbers_its_messages_after_the_last_run() -> None:
    out = io.StringIO()
    terminal = TerminalSender(out, last_message_id=7)
    target = Target(Channel.TERMINAL)
    sent = await terminal.send(target, Message("<b>Clash</b>\nkilled: 1", event_id="ev-9"))
    assert sent.message_id == 8 and "──── alert 8 · incident ev-9" in out.getvalue()
    # an edit of an earlier run's message: nothing of it was printed here, so it shows in full
    await terminal.edit(target, 1, Message("<b>Build-up</b>\ntroops: 300", event_id="ev-1"))
    edit = out.getvalue().split("──── alert 1 edited in place · incident ev-1, now reads", 1)[1]
    assert edit.splitlines()[1:] == ["Build-up", "troops: 300"]


async def test_a_long_dry_run_keeps_the_lines_of_its_latest_messages_only() -> None:
    out = io.StringIO()
    terminal = TerminalSender(out)
    target = Target(Channel.TERMINAL)
    for n in range(600):
        await terminal.send(target, Message(f"alert number {n}"))
    await terminal.edit(target, 1, Message("alert number 0, corrected"))
    assert "──── alert 1 edited in place, now reads" in out.getvalue()
    await terminal.edit(target, 600, Message("alert number 599, corrected"))
    assert out.getvalue().endswith("- alert number 599\n+ alert number 599, corrected\n")
