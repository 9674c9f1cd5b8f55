"""The shipped rules against our labeled articles: guards against regressions in accuracy.

`corpus.jsonl` was used to tune the rules (its `test` split only once, at the end);
`holdout.jsonl` was written separately, by an author who never saw the rules (held out until
the second tuning round of `troop-buildup`, which used it); `tune_troops.jsonl` holds varied
troop build-ups and hard look-alikes written for that round; `holdout2.jsonl` was written blind
and has never been tuned on: it is the honest estimate; `holdout3.jsonl`, written blind with
deliberately varied build-ups, was first run after the second tuning round and tuned on in the third
(so it no longer estimates anything). `holdout5.jsonl` (170 items, 52 of them full-length
articles of 800-1,600 words) was written blind for the real-text round and run once, after it:
fatal-clash P 0.958 R 0.986 (full-length P 0.950 R 1.000), troop-buildup P 0.765 R 0.722 (full-length
P 0.833 R 0.833). Thresholds sit a little under the measured figures (docs/performance.md).
"""

from __future__ import annotations

import pytest

from bot.evaluation import evaluate, read_labeled
from tests.conftest import DATA, shipped_ruleset


@pytest.mark.parametrize(("file", "split", "floor"), [
    ("corpus.jsonl", "tune", 0.95),
    ("corpus.jsonl", "test", 0.85),
    ("holdout.jsonl", None, 0.85),
    ("tune_troops.jsonl", None, 0.90),
    ("tune_places.jsonl", None, 0.95),   # build-ups named only by a contested place, and look-alikes
    ("holdout2.jsonl", None, 0.85),
    ("holdout3.jsonl", None, 0.90),   # troop-buildup recall 0.738 when first run, 0.988 after tuning on it
    ("holdout4.jsonl", None, 0.85),   # blind: troop-buildup P 0.986 R 0.900, fatal-clash P 0.951 R 0.975
])
def test_precision_and_recall(file: str, split: str | None, floor: float) -> None:
    scores = {s.rule: s for s in evaluate(shipped_ruleset(), read_labeled(DATA / file, split=split))}
    for rule in ("fatal-clash", "troop-buildup"):
        assert scores[rule].precision >= floor, (rule, scores[rule].misses)
        assert scores[rule].recall >= floor, (rule, scores[rule].misses)


@pytest.mark.parametrize(("rule", "min_long", "floor"), [
    ("fatal-clash", 0, 0.93),
    ("fatal-clash", 800, 0.90),      # full-length articles: war reports with background, op-eds, features, trials
    ("troop-buildup", 0, 0.70),
])
def test_blind_real_text_round(rule: str, min_long: int, floor: float) -> None:
    items = [x for x in read_labeled(DATA / "holdout5.jsonl") if len(x.article.text.split()) >= min_long]
    score = next(s for s in evaluate(shipped_ruleset(), items) if s.rule == rule)
    assert score.precision >= floor, score.misses
    assert score.recall >= floor, score.misses


def test_facts_on_positives() -> None:
    scores = {s.rule: s for s in evaluate(shipped_ruleset(), read_labeled(DATA / "holdout.jsonl"))}
    clash, buildup = scores["fatal-clash"], scores["troop-buildup"]
    assert clash.fact_right["killed"] / clash.fact_total["killed"] >= 0.9
    assert buildup.fact_right["troops"] / buildup.fact_total["troops"] >= 0.9
