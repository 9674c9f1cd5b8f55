"""The edges of trend evaluation: which decided alerts are incidents and where they happened, and what a
firing's alert says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.engine.conditions import AnyCondition
from bot.engine.load import Rule
from bot.engine.regions import RegionBook
from bot.enums import AlertKind, EventStatus
from bot.models import Alert, Article, Event, EventRule, Match, Severity
from bot.trends.alerts import TREND_SOURCE, RegionKinds, counted_incident, firing_alert
from bot.trends.model import Counted, TrendFiring, TrendKind

T0 = datetime(2026, 3, 2, 6, tzinfo=UTC)
SURGE = Rule("surge", "Clashes piling up", Severity.HIGH, when=AnyCondition(()), tags=("trend",),
             template="default.html.j2")


@pytest.fixture(scope="module")
def kinds() -> RegionKinds:
    return RegionKinds(RegionBook.with_countries())


@pytest.mark.parametrize(("regions", "key", "place"), [
    (["Atlanta", "Georgia", "United States"], "rule=x|region=United States", ("United States", "Georgia")),
    (["Tbilisi", "Georgia"], "rule=x|region=Georgia", ("Georgia", "Tbilisi")),
    (["Kandahar", "Afghanistan"], "rule=x|region=Afghanistan", ("Afghanistan", "Kandahar")),
    (["Kano", "Afghanistan"], "rule=x|region=Afghanistan", ("Afghanistan", None)),   # Kano is Nigeria's
    (["north-kosovo", "Kosovo"], "rule=x|source=wire", ("Kosovo", None)),
    ([], "rule=x", (None, None)),
])
def test_the_country_and_division_of_an_incident(kinds: RegionKinds, regions: list[str], key: str,
                                                place: tuple[str | None, str | None]) -> None:
    assert kinds.place(regions, key) == place


def clash_alert(**changes: object) -> Alert:
    article = Article("wire", "Gunmen kill four in Kano", "Four killed.", guid="k1", published=T0)
    match = Match("clash", "Clash", Severity.MEDIUM, tags=("conflict",), regions=("Kano", "Nigeria"),
                  key="rule=clash|region=Nigeria")
    return Alert(article, match, T0 + timedelta(minutes=5), **changes)  # type: ignore[arg-type]


def test_an_event_is_one_incident_with_all_its_rules(kinds: RegionKinds) -> None:
    event = Event("ev-1", "clash", "Clash", "rule=clash|region=Nigeria", EventStatus.OPEN, Severity.MEDIUM,
                  T0 + timedelta(minutes=5), T0 + timedelta(hours=2), {"title": "Gunmen kill four in Kano",
                                                                      "source": "wire"},
                  regions=("Kano", "Nigeria"), earliest_at=T0,
                  rules=(EventRule("clash", "Clash", Severity.MEDIUM, ("conflict",)),
                         EventRule("kano-clash", "Clash in Kano", Severity.HIGH, ("conflict",))))
    incident = counted_incident(clash_alert(event=event), kinds)
    assert incident is not None
    assert (incident.id, incident.at, incident.rule_ids, incident.tags, incident.country, incident.division) == (
        "ev-1", T0, ("clash", "kano-clash"), ("conflict",), "Nigeria", "Kano")


def test_without_an_event_each_alert_is_its_own_incident_and_repeats_are_none(kinds: RegionKinds) -> None:
    incident = counted_incident(clash_alert(), kinds)
    assert incident is not None and incident.at == T0 and incident.id.startswith("alert:clash:")
    assert counted_incident(clash_alert(suppressed="throttled: same key within 3600s"), kinds) is None
    assert counted_incident(clash_alert(kind=AlertKind.NOTICE), kinds) is None


def test_a_firing_is_an_alert_of_the_trend_rule_and_not_an_incident(kinds: RegionKinds) -> None:
    counted = tuple(Counted(f"ev-{n}", T0 + timedelta(hours=n), f"report {n}", "wire") for n in range(3))
    firing = TrendFiring("surge", TrendKind.COUNT, "Nigeria", T0 + timedelta(hours=2), 86400.0, counted)
    alert = firing_alert(firing, SURGE, T0 + timedelta(hours=3))
    assert (alert.rule_id, alert.match.severity, alert.match.tags, alert.match.regions) == (
        "surge", Severity.HIGH, ("trend",), ("Nigeria",))
    assert alert.article.source == TREND_SOURCE and alert.article.published == firing.at
    assert alert.article.title == "3 incidents in Nigeria within 1d"
    assert alert.article.text.splitlines() == [f"02 Mar {6 + n:02d}:00 · wire: report {n}" for n in range(3)]
    assert dict(alert.match.facts) == {"incidents": 3}
    assert alert.match.template == "default.html.j2" and alert.match.key == "rule=surge|region=Nigeria"
    assert counted_incident(alert, kinds) is None   # trends count incidents of rules that read articles


def test_what_each_kind_of_firing_says() -> None:
    first = Counted("ev-1", T0, "Troops mass on the border", "wire", "first")
    then = Counted("ev-2", T0 + timedelta(days=2, hours=3), "Four killed in border clash", "wire", "then")
    sequence = firing_alert(TrendFiring("s", TrendKind.SEQUENCE, "Mali", then.at, 7 * 86400.0, (first, then)),
                            SURGE, then.at)
    assert sequence.article.title == 'In Mali, 2d3h after "Troops mass on the border": Four killed in border clash'
    assert sequence.article.text.splitlines()[0] == "first: 02 Mar 06:00 · wire: Troops mass on the border"
    spike = firing_alert(TrendFiring("s", TrendKind.SPIKE, "Mali", T0, 86400.0, (first, then, then), 1.25),
                         SURGE, T0)
    assert spike.article.title == "3 incidents in Mali within 1d, against 1.2 usually"
    assert dict(spike.match.facts) == {"incidents": 3, "usual": 1.2}
    silent = firing_alert(TrendFiring("w", TrendKind.FLATLINE, "balkan-wire", T0 + timedelta(hours=12), 43200.0,
                                      silent_since=T0, source_silence=True), SURGE, T0 + timedelta(hours=12))
    assert silent.article.title == "No reports from balkan-wire for 12h"
    assert silent.article.text == "Last report: 02 Mar 06:00 UTC. Silent since then."
    assert silent.match.regions == () and silent.match.key == "rule=surge|source=balkan-wire"
    quiet = firing_alert(TrendFiring("q", TrendKind.FLATLINE, "Kosovo", T0, 259200.0, silent_since=T0), SURGE, T0)
    assert quiet.article.title == "No incidents in Kosovo for 3d" and quiet.match.regions == ("Kosovo",)
