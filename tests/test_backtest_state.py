"""`beacon backtest` and the state database: its history as input, its subscriptions as the chats, never written."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.backtest.audience import Audience
from bot.cli import main
from bot.config import REPO_ROOT, OnCallConfig
from bot.engine import compile_rules, load_rules
from bot.models import Alert, Article, Event, EventRule, Match, Severity
from bot.store import Store

RULES = REPO_ROOT / "rules"
REPORTS = [
    ("wire-a", "Four killed as gunmen attack checkpoint near Gao",
     "At least four people were killed when gunmen attacked an army checkpoint near Gao in Mali early on Tuesday."),
    ("wire-b", "Shelling of Kharkiv kills seven",
     "Seven civilians were killed when artillery shells hit homes in Kharkiv overnight, the governor said."),
    ("wire-c", "Sudan masses troops near border with Chad",
     "Satellite images show a large deployment of Sudanese forces, tanks and artillery along the border with Chad."),
    ("wire-d", "Police officer killed in ambush near Mitrovica",
     "Gunmen attacked a Kosovo police patrol near Mitrovica on Friday, killing one officer, police said."),
]


def _state(tmp_path: Path) -> Path:
    """A state database as `beacon run` leaves it: alerts for four articles, three chats subscribed."""
    path = tmp_path / "data" / "beacon.sqlite3"
    store = Store(path)
    ruleset = compile_rules(load_rules(RULES))
    start = datetime(2026, 10, 1, 6, tzinfo=UTC)
    try:
        for n, (source, title, text) in enumerate(REPORTS):
            at = start + timedelta(hours=5 * n)
            article = Article(source, title, text, url=f"https://{source}.example/{n}", published=at)
            matches = ruleset.match(article, at)
            assert matches, title
            store.commit_articles(source, [article], [Alert(article, m, at) for m in matches], lambda _a: [], at)
        store.chats.subscribe(100, "all", start)
        store.chats.subscribe(200, "fatal-clash", start, regions=["Mali"])
        store.chats.subscribe(300, "troop-buildup", start)
        store.chats.subscribe(400, "tag:balkans", start)
    finally:
        store.close()
    return path


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def _backtest(*args: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--log-level", "WARNING", "backtest", "--rules", str(RULES), "--format", "json", *args])
    return status, json.loads(out.getvalue())["backtest"] if out.getvalue() else {}, err.getvalue()


def test_history_is_replayed_with_the_subscribed_chats_and_the_file_is_untouched(tmp_path: Path) -> None:
    path = _state(tmp_path)
    before = _fingerprint(path.parent)
    status, result, err = _backtest("--history", "--state", str(path))
    assert status == 0, err
    assert _fingerprint(path.parent) == before   # not written, not migrated, no journal left beside it
    assert result["articles"] == len(REPORTS)
    assert "keeps only articles that alerted" in result["note"]
    # the ambush in Kosovo matches both fatal-clash rules: one incident, told under the Kosovo rule
    assert result["per_rule"]["fatal-clash"]["matches"] == 3
    assert result["per_rule"]["fatal-clash"]["alerts"] == 2
    assert result["per_rule"]["kosovo-fatal-clash"]["alerts"] == 1
    assert result["per_rule"]["troop-buildup"]["alerts"] == 1
    chats = {c["chat"]: c["alerts"] for c in result["chats"]}
    # chat 100 takes everything; 200 only fatal clashes in Mali; 300 build-ups; 400 the balkans tag (Kosovo)
    assert chats == {"chat 100": 4, "chat 200": 1, "chat 300": 1, "chat 400": 1}
    assert "subscriptions in" in result["audience"]


def test_a_database_in_use_is_read_with_what_its_write_ahead_log_holds(tmp_path: Path) -> None:
    path = _state(tmp_path)
    live = Store(path)   # as a running `beacon run` holds it: the last commit may be in the -wal file only
    try:
        at = datetime(2026, 10, 3, 6, tzinfo=UTC)
        article = Article("wire-e", "Clashes near Djibo leave nine soldiers dead",
                          "Nine soldiers were killed in clashes with armed fighters outside Djibo, the army said.",
                          published=at)
        matches = compile_rules(load_rules(RULES)).match(article, at)
        live.commit_articles("wire-e", [article], [Alert(article, m, at) for m in matches], lambda _a: [], at)
        assert path.with_name(path.name + "-wal").stat().st_size > 0
        status, result, err = _backtest("--history", "--state", str(path))
    finally:
        live.close()
    assert status == 0, err
    assert result["articles"] == len(REPORTS) + 1
    assert result["per_rule"]["fatal-clash"]["alerts"] == 3


def test_an_archive_with_the_state_given_uses_its_subscriptions(tmp_path: Path) -> None:
    path = _state(tmp_path)
    archive = tmp_path / "archive.jsonl"
    archive.write_text(json.dumps({"title": REPORTS[2][1], "text": REPORTS[2][2], "source": "wire-z",
                                   "published": "2026-11-02T10:00:00Z"}) + "\n", encoding="utf-8")
    status, result, err = _backtest("--articles", str(archive), "--state", str(path))
    assert status == 0, err
    assert {c["chat"]: c["alerts"] for c in result["chats"]} == {"chat 100": 1, "chat 300": 1}


def test_no_input_and_no_state_database_says_what_to_give(tmp_path: Path) -> None:
    status, _, err = _backtest("--state", str(tmp_path / "missing.sqlite3"))
    assert status == 1
    assert "nothing to replay: no state database at" in err and "--articles FILE.jsonl" in err


def test_an_update_that_now_reaches_another_subscribed_chat_is_its_first_message(tmp_path: Path) -> None:
    store = Store(tmp_path / "beacon.sqlite3")
    try:
        start = datetime(2026, 10, 1, tzinfo=UTC)
        store.chats.subscribe(100, "fatal-clash", start)
        store.chats.subscribe(500, "kosovo-fatal-clash", start)
        audience = Audience.subscribed(store, OnCallConfig(), "test")
    finally:
        store.close()
    clash = EventRule("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict",))
    kosovo = EventRule("kosovo-fatal-clash", "Fatal clash in Kosovo", Severity.CRITICAL, ("conflict", "balkans"))
    article = Article("wire-a", "Two officers killed in ambush", "Gunmen killed two officers.", published=start)
    match = Match("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict",), ("Kosovo",))
    event = Event("ev-1", "fatal-clash", "Fatal armed clash", "rule=fatal-clash", "open", Severity.HIGH, start, start,
                  {}, regions=("Kosovo",), rules=(clash,))
    first = audience.receivers(Alert(article, match, start, event=event))
    assert (first.first, first.again) == (("chat 100",), ())
    # a later report about Mitrovica brings the Kosovo rule: its subscriber hears of the incident now
    grown = dataclasses.replace(event, rules=(clash, kosovo))
    update = audience.receivers(Alert(article, match, start, event=grown, action="update"))
    assert (update.first, update.again) == (("chat 500",), ("chat 100",))
    edit = audience.receivers(Alert(article, match, start, event=grown, action="edit"))
    assert (edit.first, edit.again) == ((), ("chat 100", "chat 500"))
