"""Judgements as values: the explanation, the suggested exception, the export and how eval counts them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bot.engine import compile_rules, load_rules_text
from bot.evaluation import evaluate, format_report, read_labeled
from bot.feedback import Judge, Judgement
from bot.feedback.explain import explain_judgement, suggest_exception
from bot.feedback.listing import feedback_html, feedback_table, labeled_line
from bot.models import Article, Evidence

CLASH_RULE = "id: fatal-clash\ntitle: Fatal armed clash\nwhen: {all: [{terms: [clash*]}, {terms: [killed]}]}\n"
FIXED_RULE = CLASH_RULE.replace("when: {all: [", "when: {all: [{not: {terms: [football]}}, ")
AT = datetime(2026, 11, 7, 21, 0, tzinfo=UTC)


def judged(number: int, title: str, text: str = "", *, active: bool = True) -> Judgement:
    evidence = (Evidence("term", "clash*", "title", title[:60]), Evidence("term", "killed", "title", title[:60]),
                Evidence("region", "serbia"))
    return Judgement(id=number, judge=Judge(4242, 2002, "@dana"), alert_id=100 + number, event_id=None,
                     rule_id="fatal-clash", rule_title="Fatal armed clash",
                     article=Article("wire", title, text, url=f"https://news.example/{number}"),
                     evidence=evidence, judged_at=AT, withdrawn_at=None if active else AT,
                     withdrawn_by=None if active else "@dana")


DERBY = judged(1, "Two supporters killed as fans clash after the football derby in Serbia")


def test_the_words_the_rule_fired_on_are_named_and_never_suggested() -> None:
    assert DERBY.fired_on == ("clash*", "killed")     # the region is not a word to put in a `not`
    suggested = suggest_exception(DERBY)
    assert suggested == ["supporters", "fans", "football"]   # title order; no 'killed', 'clash', 'after', 'serbia'


def test_words_other_judged_articles_share_come_first() -> None:
    others = [judged(2, "Fan killed in clash at the stadium before a football final"),
              judged(3, "Police and football ultras clash; one killed", "The derby was abandoned."),
              judged(4, "Supporters clash, one killed", active=False)]   # withdrawn: not counted
    assert suggest_exception(DERBY, others) == ["football", "derby", "supporters"]


def test_the_explanation_says_whether_the_rules_loaded_now_still_fire() -> None:
    text = explain_judgement(DERBY, compile_rules(load_rules_text(CLASH_RULE)))
    assert "judgement 1: not relevant (chat 4242, by @dana, 2026-11-07 21:00 UTC)" in text
    assert "  term 'killed' in the title: “Two supporters killed" in text
    assert "now: the rules loaded now still fire on it, on:" in text
    assert "  - not: {terms: [supporters, fans, football]}" in text
    fixed = explain_judgement(DERBY, compile_rules(load_rules_text(FIXED_RULE)))
    assert "now: the rules loaded now no longer fire on this article (the judgement is answered)" in fixed
    gone = explain_judgement(DERBY, compile_rules(load_rules_text(CLASH_RULE.replace("fatal-clash", "other"))))
    assert "now: rule fatal-clash is no longer loaded" in gone


def test_listings() -> None:
    html = feedback_html([DERBY])
    assert "<b>Judged not relevant here</b> (1)" in html and "fired on clash*, killed" in html
    assert "<code>/feedback 1</code>" in html
    assert "No alert here has been judged not relevant" in feedback_html([])
    table = feedback_table([DERBY, judged(5, "Another clash", active=False)]).splitlines()
    assert table[0].split()[:4] == ["id", "judged", "(UTC)", "chat"]
    assert "not relevant" in table[1] and "withdrawn by @dana" in table[2]


def test_an_exported_judgement_is_a_negative_that_eval_counts_as_a_false_positive(tmp_path: Path) -> None:
    corpus = tmp_path / "negatives.jsonl"
    corpus.write_text(json.dumps(labeled_line(DERBY)) + "\n", encoding="utf-8")
    [item] = read_labeled(corpus)
    assert item.judged and item.labels == {"fatal-clash": False} and item.article.title == DERBY.article.title
    [score] = evaluate(compile_rules(load_rules_text(CLASH_RULE)), [item])
    assert (score.tp, score.fp, score.fn, score.judged, score.judged_firing) == (0, 1, 0, 1, 1)
    assert "judged not relevant in chats: 1, still fired on: 1" in format_report([score])
    [fixed] = evaluate(compile_rules(load_rules_text(FIXED_RULE)), [item])
    assert (fixed.fp, fixed.tn, fixed.judged, fixed.judged_firing) == (0, 1, 1, 0)
