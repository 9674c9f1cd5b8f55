"""The incremental trend evaluator: incidents one at a time, the clock, firings once per window, and a
state that survives a round trip through JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.trends.evaluate import TrendEvaluator
from bot.trends.model import (
    ALL_SOURCES,
    CountTrend,
    FlatlineTrend,
    Incident,
    RegionLevel,
    RuleSelector,
    SequenceTrend,
    SpikeTrend,
    Trend,
    TrendKind,
)

T0 = datetime(2026, 3, 2, tzinfo=UTC)
HOUR = 3600.0
DAY = 86400.0
CLASH = RuleSelector(frozenset({"clash"}))
BUILDUP = RuleSelector(frozenset({"buildup"}))


def incident(number: int, hours: float, rule: str = "clash", country: str = "Kosovo",
             division: str | None = None) -> Incident:
    return Incident(f"ev-{number}", T0 + timedelta(hours=hours), (rule,), (), country, division,
                    f"report {number}", "wire")


def fired(evaluator: TrendEvaluator, *incidents: Incident) -> list[tuple[str, str, float, list[str]]]:
    """(rule, region, hours after T0, incident ids) of every firing, incidents fed in the order given."""
    out = []
    for item in incidents:
        for firing in evaluator.observe_incident(item):
            hours = (firing.at - T0).total_seconds() / HOUR
            out.append((firing.rule_id, firing.region, hours, [c.id for c in firing.counted]))
    return out


def count(at_least: int = 3, window: float = DAY, **more: object) -> dict[str, Trend]:
    return {"surge": CountTrend(CLASH, at_least, window, **more)}  # type: ignore[arg-type]


def test_a_count_fires_once_when_the_third_incident_lands_within_the_window() -> None:
    evaluator = TrendEvaluator(count())
    found = fired(evaluator, incident(1, 0), incident(2, 5), incident(3, 20), incident(4, 21), incident(5, 22))
    assert found == [("surge", "Kosovo", 20.0, ["ev-1", "ev-2", "ev-3"])]


def test_a_count_stays_quiet_for_a_window_then_counts_only_new_incidents() -> None:
    evaluator = TrendEvaluator(count())
    found = fired(evaluator, incident(1, 0), incident(2, 1), incident(3, 2),     # fires at 2h
                  incident(4, 3), incident(5, 4), incident(6, 5),                # within the quiet day
                  incident(7, 27))                                               # 4h, 5h and 27h: a new three
    assert found == [("surge", "Kosovo", 2.0, ["ev-1", "ev-2", "ev-3"]),
                     ("surge", "Kosovo", 27.0, ["ev-5", "ev-6", "ev-7"])]


def test_incidents_in_different_regions_or_outside_the_window_do_not_add_up() -> None:
    evaluator = TrendEvaluator(count())
    assert fired(evaluator, incident(1, 0, country="Kosovo"), incident(2, 1, country="Serbia"),
                 incident(3, 2, country="Bosnia and Herzegovina"), incident(4, 3, country="Serbia")) == []
    spread = TrendEvaluator(count())
    assert fired(spread, incident(1, 0), incident(2, 23), incident(3, 24), incident(4, 48)) == []


def test_other_rules_and_incidents_seen_again_are_not_counted_twice() -> None:
    evaluator = TrendEvaluator(count())
    assert fired(evaluator, incident(1, 0), incident(1, 0), incident(2, 1, rule="buildup"), incident(3, 2)) == []
    assert fired(evaluator, incident(4, 3)) == [("surge", "Kosovo", 3.0, ["ev-1", "ev-3", "ev-4"])]


def test_a_late_report_still_counts_where_it_happened() -> None:
    evaluator = TrendEvaluator(count())
    # the 10h incident arrives last (a backfill): the window ending at 12h now holds three
    assert fired(evaluator, incident(1, 0), incident(3, 12), incident(2, 10)) == [
        ("surge", "Kosovo", 12.0, ["ev-1", "ev-2", "ev-3"])]


def test_by_division_and_narrowed_to_regions() -> None:
    evaluator = TrendEvaluator(count(2, by=RegionLevel.DIVISION))
    assert fired(evaluator, incident(1, 0, country="Nigeria", division="Borno"),
                 incident(2, 1, country="Nigeria", division="Yobe"),
                 incident(3, 2, country="Nigeria", division=None)) == []
    assert fired(evaluator, incident(4, 3, country="Nigeria", division="Borno")) == [
        ("surge", "Borno", 3.0, ["ev-1", "ev-4"])]
    narrowed = TrendEvaluator(count(2, regions=frozenset({"Kosovo"})))
    assert fired(narrowed, incident(1, 0, country="Serbia"), incident(2, 1, country="Serbia")) == []
    assert [f[1] for f in fired(narrowed, incident(3, 0), incident(4, 1))] == ["Kosovo"]


def test_a_sequence_needs_the_first_rule_then_the_second_in_one_region_within_the_window() -> None:
    trends: dict[str, Trend] = {"then": SequenceTrend(BUILDUP, CLASH, 7 * DAY)}
    in_order = TrendEvaluator(trends)
    assert fired(in_order, incident(1, 0, "buildup"), incident(2, 5 * 24), incident(3, 6 * 24)) == [
        ("then", "Kosovo", 120.0, ["ev-1", "ev-2"])]
    wrong_order = TrendEvaluator(trends)
    assert fired(wrong_order, incident(1, 0), incident(2, 24, "buildup")) == []
    elsewhere = TrendEvaluator(trends)
    assert fired(elsewhere, incident(1, 0, "buildup", country="Serbia"), incident(2, 24)) == []
    too_late = TrendEvaluator(trends)
    assert fired(too_late, incident(1, 0, "buildup"), incident(2, 8 * 24)) == []
    # the build-up's report arrives after the clash's, but happened before: still a sequence
    late_news = TrendEvaluator(trends)
    assert fired(late_news, incident(2, 30), incident(1, 2, "buildup")) == [
        ("then", "Kosovo", 30.0, ["ev-1", "ev-2"])]


def test_one_incident_matched_by_both_rules_is_not_a_sequence_by_itself() -> None:
    evaluator = TrendEvaluator({"then": SequenceTrend(BUILDUP, CLASH, 7 * DAY)})
    both = Incident("ev-1", T0, ("buildup", "clash"), (), "Kosovo", None, "both", "wire")
    assert fired(evaluator, both) == []
    assert fired(evaluator, incident(2, 1)) == [("then", "Kosovo", 1.0, ["ev-1", "ev-2"])]


def test_a_spike_compares_the_window_with_the_regions_usual_rate() -> None:
    trends: dict[str, Trend] = {"rising": SpikeTrend(BUILDUP, DAY, factor=2.0, against=4, at_least=3)}
    evaluator = TrendEvaluator(trends)
    history = [incident(n, day * 24 + 1, "buildup") for n, day in enumerate(range(5))]   # one a day
    history += [incident(10, 5 * 24 + 1, "buildup"), incident(11, 5 * 24 + 2, "buildup")]  # two on day 6
    assert fired(evaluator, *history) == []   # two is no more than double one, and below the minimum
    spike = fired(evaluator, incident(12, 5 * 24 + 3, "buildup"))
    assert spike == [("rising", "Kosovo", 123.0, ["ev-10", "ev-11", "ev-12"])]
    assert evaluator.to_dict()["rules"]["rising"]["regions"]["Kosovo"]["quiet_until"] is not None


def test_a_spike_needs_history_and_its_minimum() -> None:
    trends: dict[str, Trend] = {"rising": SpikeTrend(BUILDUP, DAY, factor=2.0, against=4, at_least=3)}
    fresh = TrendEvaluator(trends)
    # three in the first day watched: no history yet to compare with
    assert fired(fresh, *(incident(n, n, "buildup") for n in range(3))) == []
    steady = TrendEvaluator(trends)
    busy = [incident(100 * day + n, day * 24 + n, "buildup") for day in range(5) for n in range(3)]
    assert fired(steady, *busy) == []   # three a day, every day: usual, not a spike


def test_a_source_flatline_fires_once_per_silence_and_recovery_rearms_it() -> None:
    evaluator = TrendEvaluator({"silent": FlatlineTrend(12 * HOUR, sources=("wire",))})
    evaluator.observe_article("wire", T0)
    assert evaluator.tick(T0 + timedelta(hours=11)) == []
    [firing] = evaluator.tick(T0 + timedelta(hours=13))
    assert (firing.kind, firing.region, firing.at, firing.silent_since) == (
        TrendKind.FLATLINE, "wire", T0 + timedelta(hours=12), T0)
    assert evaluator.tick(T0 + timedelta(hours=30)) == []            # still the same silence
    evaluator.observe_article("wire", T0 + timedelta(hours=31))       # back
    assert evaluator.tick(T0 + timedelta(hours=42)) == []
    assert [f.at for f in evaluator.tick(T0 + timedelta(hours=44))] == [T0 + timedelta(hours=43)]


def test_a_source_never_heard_from_is_silent_from_when_watching_began() -> None:
    evaluator = TrendEvaluator({"silent": FlatlineTrend(HOUR, sources=("wire", "herald"))})
    evaluator.observe_article("herald", T0)
    evaluator.observe_article("herald", T0 + timedelta(minutes=90))
    assert [(f.region, f.at) for f in evaluator.tick(T0 + timedelta(minutes=100))] == [
        ("wire", T0 + timedelta(hours=1))]
    every = TrendEvaluator({"silent": FlatlineTrend(HOUR, sources=(ALL_SOURCES,))})
    every.observe_article("herald", T0)
    every.observe_article("wire", T0 + timedelta(minutes=50))
    assert [f.region for f in every.tick(T0 + timedelta(minutes=70))] == ["herald"]


def test_a_region_flatline_listens_for_incidents_of_its_rules() -> None:
    evaluator = TrendEvaluator({"quiet": FlatlineTrend(DAY, of=CLASH, regions=frozenset({"Kosovo"}))})
    evaluator.observe_incident(incident(1, 0))
    evaluator.observe_incident(incident(2, 20, "buildup"))   # not a clash: no sign of life
    [firing] = evaluator.tick(T0 + timedelta(hours=25))
    assert (firing.region, firing.at, firing.source_silence) == ("Kosovo", T0 + timedelta(hours=24), False)


def test_the_state_survives_a_round_trip_through_json() -> None:
    trends: dict[str, Trend] = {**count(), "then": SequenceTrend(BUILDUP, CLASH, 7 * DAY),
                                "silent": FlatlineTrend(12 * HOUR, sources=("wire",))}
    before = TrendEvaluator(trends)
    fired(before, incident(1, 0, "buildup"), incident(2, 1), incident(3, 2))
    before.observe_article("wire", T0)
    after = TrendEvaluator.from_dict(trends, json.loads(json.dumps(before.to_dict())))
    assert after.to_dict() == before.to_dict()
    # the sequence already fired: a further clash does not fire it again; the third clash fires the count
    assert fired(after, incident(4, 3)) == [("surge", "Kosovo", 3.0, ["ev-2", "ev-3", "ev-4"])]
    assert [f.region for f in after.tick(T0 + timedelta(hours=13))] == ["wire"]


def test_a_changed_trend_starts_afresh_and_an_unchanged_one_keeps_its_windows() -> None:
    evaluator = TrendEvaluator(count())
    fired(evaluator, incident(1, 0), incident(2, 1))
    evaluator.use({**count(), "other": CountTrend(BUILDUP, 2, DAY)})
    assert fired(evaluator, incident(3, 2)) == [("surge", "Kosovo", 2.0, ["ev-1", "ev-2", "ev-3"])]
    saved = evaluator.to_dict()
    changed = TrendEvaluator.from_dict(count(at_least=4), saved)
    assert changed.to_dict()["rules"]["surge"]["regions"] == {}
