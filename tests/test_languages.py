"""Languages in the engine: Serbian in both scripts folds to one form, and the detector tells
English, Serbian, Albanian, Russian and Ukrainian apart (docs/languages.md)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.engine import compile_rules, load_rules_text
from bot.engine.language import article_language, base_language, detect_language
from bot.engine.text import fold, script_variants
from bot.models import Article

DATA = Path(__file__).parent / "data"


def matched(yaml_text: str, title: str, text: str = "", language: str | None = None) -> list[str]:
    ruleset = compile_rules(load_rules_text(yaml_text))
    return [m.rule_id for m in ruleset.match(Article("test", title, text, language=language))]


TERMS = """
id: r
title: R
when: {terms: [%s]}
"""


def test_serbian_cyrillic_folds_to_serbian_latin_letter_for_letter() -> None:
    for cyrillic, latin in [("Погинуо полицајац", "Poginuo policajac"), ("Звечан", "Zvečan"),
                            ("Ђаковица", "Đakovica"), ("ЋУПРИЈА", "Ćuprija"), ("жена", "žena")]:
        assert len(fold(cyrillic)) == len(cyrillic)
        assert fold(cyrillic) == fold(latin)


def test_russian_and_ukrainian_keep_their_own_letters() -> None:
    # letters Serbian does not write stay Cyrillic, so Russian words fold consistently with themselves
    assert fold("Пятеро военных") == "pяtero voennыh"
    assert fold("ещё") == fold("еще")
    assert fold("військових") == "viisьkovih"
    assert fold("Київ") == "kiiv"


def test_a_latin_term_finds_serbian_cyrillic_text_and_back() -> None:
    assert matched(TERMS % "poginuo", "Погинуо полицајац у заседи") == ["r"]
    assert matched(TERMS % "погинуо", "Poginuo policajac u zasedi") == ["r"]
    assert matched(TERMS % "zased*", "Напад из заседе") == ["r"]


def test_lj_nj_dz_find_their_one_letter_cyrillic_spelling() -> None:
    # љ, њ, џ are one Cyrillic letter and two Latin ones
    assert matched(TERMS % "ranjen*", "Рањена два полицајца") == ["r"]
    assert matched(TERMS % "ljudi", "Евакуисано 200 људи") == ["r"]
    assert matched(TERMS % "рањен*", "Ranjena dva policajca") == ["r"]
    assert matched(TERMS % "људи", "Evakuisano 200 ljudi") == ["r"]
    assert script_variants("ranjen", ("ranjen",)) == ("ranjen", "raɲen")
    # the twin is no word of another language: "šalje" (sends) never finds the English "sale"
    assert matched(TERMS % "šalje", "Garage sale draws crowds") == []


def test_place_names_match_in_both_scripts() -> None:
    ruleset = compile_rules(load_rules_text("id: r\ntitle: R\nwhen:\n  regions: [kosovo]\n"))
    for title in ["Пуцњава у граду Звечан", "Incident in Zvecan", "Напад у Косово", "Protest u Kosovska Mitrovica",
                  "Протест у Косовска Митровица"]:
        [match] = ruleset.match(Article("t", title))
        assert match.regions[-1] == "Kosovo", title


def test_detector_on_short_titles() -> None:
    rows = [json.loads(line) for line in (DATA / "lang_detect_titles.jsonl").read_text("utf-8").splitlines()]
    wanted = [r for r in rows if r["lang"] in ("en", "sr", "sq", "ru", "uk")]
    right = sum(detect_language(r["title"]) == r["lang"] for r in wanted)
    assert right / len(wanted) >= 0.95


def test_declared_language_wins_over_detection() -> None:
    assert base_language("sr-Latn") == "sr"
    assert base_language("EN_us") == "en"
    assert base_language("") is None
    assert article_language("sq", "Poginuo policajac", "") == "sq"
    assert article_language(None, "Poginuo policajac u zasedi kod Banjske", "") == "sr"
    assert article_language(None, "Погинуо полицајац", "") == "sr"
    assert article_language(None, "Трое военных погибли при обстреле", "") == "ru"
    assert article_language(None, "Троє військових загинули внаслідок обстрілу", "") == "uk"
    assert article_language(None, "U vra një polic në veri të Kosovës", "") == "sq"
    assert article_language(None, "", "") is None


def test_declined_place_names_and_peoples_count() -> None:
    ruleset = compile_rules(load_rules_text("id: r\ntitle: R\nwhen:\n  regions: [kosovo]\n"))
    for title in ["Пуцњава у Северној Митровици", "Napad kod Banjske", "Sulm në Banjskë", "Напад у Бањској",
                  "Incident në Zveçanit", "Стрельба в Митровице"]:
        [match] = ruleset.match(Article("t", title))
        assert match.regions[-1] == "Kosovo", title
    [match] = ruleset.match(Article("t", "Napad u Banjskoj"))
    assert match.regions[-1] == "Kosovo"
    # a people's adjective is Kosovo too, but never the event's place when a place is named
    [match] = ruleset.match(Article("t", "Kosovski policajac ranjen u Srbiji"))
    assert "Kosovo" in match.regions + match.mentioned


def test_eval_breaks_scores_down_by_language(tmp_path: Path) -> None:
    from bot.evaluation import evaluate, format_report, read_labeled

    rows = [
        {"title": "Погинула тројица војника у нападу", "labels": {"r": True}, "facts": {"killed": 3}},
        {"title": "Three soldiers killed in attack", "labels": {"r": True}, "language": "en"},
        {"title": "Убијено троје цивила", "labels": {"r": False}},
    ]
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    ruleset = compile_rules(load_rules_text("id: r\ntitle: R\nwhen:\n  killed: {at_least: 1}\n  language: sr\n"))
    [score] = evaluate(ruleset, read_labeled(corpus))
    assert (score.tp, score.fp, score.fn) == (1, 1, 1)
    assert (score.by_language["sr"].tp, score.by_language["sr"].fp) == (1, 1)
    assert score.by_language["en"].fn == 1
    assert score.by_language["sr"].fact_right == {"killed": 1}
    report = format_report([score])
    assert "  r [en]" in report and "  r [sr]" in report


def test_templates_see_the_detected_language() -> None:
    from datetime import UTC, datetime

    from bot.models import Alert
    from bot.render import alert_context

    ruleset = compile_rules(load_rules_text("id: r\ntitle: R\nwhen:\n  killed: {at_least: 1}\n"))
    article = Article("sever", "Poginuo policajac u zasedi kod Banjske", "U pucnjavi je poginuo jedan policajac.")
    [match] = ruleset.match(article)
    context = alert_context(Alert(article, match, datetime(2023, 9, 24, tzinfo=UTC)))
    assert context["article"]["language"] == "sr"
    declared = Article("sever", article.title, article.text, language="hr")
    [match] = ruleset.match(declared)
    assert alert_context(Alert(declared, match, datetime(2023, 9, 24, tzinfo=UTC)))["article"]["language"] == "hr"


def test_declined_names_of_kosovo_towns() -> None:
    ruleset = compile_rules(load_rules_text("id: r\ntitle: R\nwhen:\n  regions: [kosovo]\n"))
    for title, place in [("Napad u Vučitrnu", "Vushtrri"), ("Sulm në Podujevës", "Podujeva"),
                         ("Incident në Drenasit", "Glogovac"), ("Pucnjava u Gračanici", "Kosovo")]:
        [match] = ruleset.match(Article("t", title))
        assert match.regions[0] == place, title
