"""`events.update_only`: a report with these facts updates an open incident and never opens one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.engine import load_rules_text
from bot.errors import RuleError
from bot.events import decide_alerts
from bot.models import Article, EventPolicy, Match, Severity
from tests.conftest import shipped_ruleset
from tests.test_events import Book

NOW = datetime(2023, 9, 29, 9, 0, tzinfo=UTC)
KEY = "rule=troop-buildup|region=Kosovo"
PULL_BACK_ONLY = EventPolicy(window=72 * 3600, update_only=(("troops_change", "decrease"),))

BUILD_UP = Article("wire", "Serbian troops massed near Kosovo line",
                   "Washington said some 8,350 Serbian troops had gathered along the administrative line with "
                   "Kosovo, with tanks and artillery.")
CUT = Article("wire", "Serbia cuts troops near Kosovo line to 4,500",
              "Serbia said it had cut the troops it deployed along the administrative line with Kosovo from "
              "8,350 to 4,500.")


def troop_match(facts: dict[str, object]) -> Match:
    return Match("troop-buildup", "Troop build-up", Severity.HIGH, regions=("Kosovo",), facts=facts, key=KEY,
                 policy=PULL_BACK_ONLY)


def test_a_pull_back_alone_opens_no_incident_and_says_why() -> None:
    book = Book()
    [alert] = decide_alerts(CUT, [troop_match({"troops": 4500, "troops_change": "decrease"})], NOW, book=book)
    assert alert.event is None and alert.suppressed is not None and "update_only" in alert.suppressed
    assert book.events == {}


def test_a_pull_back_updates_the_build_up_it_ends() -> None:
    book = Book()
    [first] = decide_alerts(BUILD_UP, [troop_match({"troops": 8350, "troops_change": "increase"})], NOW, book=book)
    assert first.action == "send" and first.event is not None
    [cut] = decide_alerts(CUT, [troop_match({"troops": 4500, "troops_change": "decrease"})],
                          NOW + timedelta(days=2), book=book)
    assert cut.action == "update" and cut.event is not None and cut.event.id == first.event.id
    assert not cut.suppressed


def test_update_only_is_checked_when_rules_load() -> None:
    rule = "id: r\ntitle: R\nwhen: {terms: [troops]}\nevents: {update_only: {%s: decrease}}\n"
    [good] = load_rules_text(rule % "troops_change").rules
    assert good.policy.update_only == (("troops_change", "decrease"),)
    with pytest.raises(RuleError, match="unknown fact 'troop_change'"):
        load_rules_text(rule % "troop_change")
    kind = "id: r\ntitle: R\nwhen: {terms: [troops]}\nevents: {update_only: {kind: %s}}\n"
    assert load_rules_text(kind % "follow-up").rules[0].policy.update_only == (("kind", "follow-up"),)
    with pytest.raises(RuleError, match="unknown kind 'folow-up'"):
        load_rules_text(kind % "folow-up")


CLASH = Article("wire", "Gunmen kill nine rangers in ambush near Rutshuru",
                "Gunmen ambushed a ranger patrol near Rutshuru in eastern Congo on Sunday, killing nine, officials "
                "said.")
WEEKS_LATER = Article("wire", "Virunga park hires new guards",
                      "Weeks after the ambush near Rutshuru that killed nine rangers, the park has hired 200 new "
                      "guards, the wildlife service said on Thursday.")


def shipped_clash_matches(article: Article) -> list[Match]:
    return [m for m in shipped_ruleset().match(article, NOW) if m.rule_id == "fatal-clash"]


def test_a_follow_up_of_an_attack_weeks_back_joins_its_incident_and_alone_alerts_nobody() -> None:
    """The shipped fatal-clash rule reads a piece that tells first of an attack weeks back as a follow-up:
    it updates that attack's open incident, and alone opens none (`events.update_only: {kind: follow-up}`)."""
    [later] = shipped_clash_matches(WEEKS_LATER)
    assert later.kind == "follow-up" and later.only_updates and later.as_dict()["update_only"] is True
    [alone] = decide_alerts(WEEKS_LATER, [later], NOW, book=Book())
    assert alone.event is None and alone.suppressed is not None and "update_only" in alone.suppressed

    book = Book()
    [clash] = shipped_clash_matches(CLASH)
    assert clash.kind == "news" and not clash.only_updates
    [first] = decide_alerts(CLASH, [clash], NOW, book=book)
    assert first.action == "send" and first.event is not None
    [update] = decide_alerts(WEEKS_LATER, [later], NOW + timedelta(days=3), book=book)
    assert update.event is not None and update.event.id == first.event.id and not update.suppressed


def test_rules_eval_counts_a_pull_back_as_no_alert_and_says_so(tmp_path: Path) -> None:
    """`beacon rules eval` keeps update-only matches (a pull-back: alone it alerts nobody) apart from its counts."""
    from bot.engine import compile_rules
    from bot.evaluation import evaluate, format_report, read_labeled

    rules = compile_rules(load_rules_text(
        "id: troop-buildup\ntitle: Build-up\nwhen: {terms: [troops]}\n"
        "events: {update_only: {troops_change: decrease}}\n"))
    corpus = tmp_path / "labeled.jsonl"
    lines = []
    for number, (article, positive) in enumerate([(BUILD_UP, True), (CUT, False)], 1):
        lines.append(json.dumps({"id": f"t{number}", "title": article.title, "text": article.text,
                                 "labels": {"troop-buildup": positive}}))
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [score] = evaluate(rules, read_labeled(corpus))
    # the pull-back is kept apart: neither a false alarm nor a true negative
    assert (score.tp, score.fp, score.fn, score.tn) == (1, 0, 0, 0)
    assert (score.update_only, score.update_only_positive) == (1, 0)
    assert "update-only matches" in format_report([score])
    # `beacon match` says which matches only update
    [cut_match] = rules.match(CUT)
    assert cut_match.as_dict()["update_only"] is True
    [build_up_match] = rules.match(BUILD_UP)
    assert build_up_match.as_dict()["update_only"] is False
