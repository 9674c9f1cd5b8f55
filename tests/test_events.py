"""Events, the pure core: clustering reports into incidents and deciding what each one changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.events import (
    JOIN_THRESHOLD,
    decide_alerts,
    find_event,
    merge_report,
    open_event,
    release_due,
    salient_terms,
    similarity,
)
from bot.models import Article, Event, EventPolicy, Match, Severity

NOW = datetime(2023, 9, 24, 6, 0, tzinfo=UTC)
KEY = "rule=clash|region=Kosovo"

AMBUSH = Article("balkan-wire", "Police officer killed in ambush near Banjska",
                 "A Kosovo police officer was killed early on Sunday when gunmen opened fire on a patrol near "
                 "the village of Banjska, police said. The attackers then retreated towards the Banjska monastery.")
SIEGE = Article("danube-herald", "Three gunmen die in Banjska shoot-out",
                "Three of the gunmen who had taken cover at the Banjska monastery were killed in a shoot-out "
                "with Kosovo police special units, bringing the death toll of the attack to four.")
ELSEWHERE = Article("valley-post", "Guard shot dead at checkpoint in Zubin Potok",
                    "A security guard was shot dead late on Sunday at a customs checkpoint near Zubin Potok. "
                    "Two men fled in a car towards the Gazivode lake and a search was under way.")


def match(facts: dict | None = None, regions: tuple[str, ...] = ("north-kosovo", "Kosovo"),
          severity: Severity = Severity.HIGH, policy: EventPolicy | None = None, rule: str = "clash") -> Match:
    return Match(rule, "Fatal clash", severity, regions=regions, facts=facts or {}, key=KEY,
                 policy=policy or EventPolicy())


class Book:
    """An in-memory EventBook, as the ingestor's batch overlay would be."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}

    def candidates(self, rule_id: str, since: datetime) -> list[Event]:
        return [e for e in self.events.values() if e.rule_id == rule_id and e.last_at >= since]

    def remember(self, event: Event) -> None:
        self.events[event.id] = event


def opened(article: Article = AMBUSH, facts: dict | None = None, **kw) -> Event:
    m = match(facts or {"killed": 1}, **kw)
    return open_event(m, article, NOW, salient_terms(article, "Kosovo"), None)


def test_reports_of_one_incident_join_and_another_incident_does_not() -> None:
    event = opened()
    siege = salient_terms(SIEGE, "Kosovo")
    assert "banjska" in siege.names and "kosovo" not in siege.names   # the key's country says nothing
    assert similarity(siege, event) >= JOIN_THRESHOLD
    assert similarity(salient_terms(ELSEWHERE, "Kosovo"), event) < JOIN_THRESHOLD
    assert find_event([event], match({"killed": 4}), siege, None) == event
    assert find_event([event], match({"killed": 1}), salient_terms(ELSEWHERE, "Kosovo"), None) is None


def test_same_syndicated_story_joins_whatever_its_wording() -> None:
    event = open_event(match(), AMBUSH, NOW, salient_terms(AMBUSH, "Kosovo"), "story-1")
    unrelated = salient_terms(Article("x", "Short item", "Nothing in common here at all."), "Kosovo")
    assert find_event([event], match(), unrelated, "story-1") == event


def test_regions_that_do_not_overlap_keep_events_apart() -> None:
    event = opened()
    unnamed = Article("danube-herald", "Three gunmen die in monastery shoot-out", SIEGE.text)
    assert find_event([event], match(regions=("Serbia",)), salient_terms(unnamed, "Kosovo"), None) is None
    # ...unless the headline names the incident's place: the gazetteer placed the report elsewhere
    assert find_event([event], match(regions=("Serbia",)), salient_terms(SIEGE, "Kosovo"), None) == event


def test_one_word_in_common_is_not_an_incident() -> None:
    a = Article("w", "First story", "one")
    event = open_event(match(), a, NOW, salient_terms(a), None)
    assert similarity(salient_terms(Article("w", "Second story", "two")), event) == 0.0


def test_a_higher_toll_is_a_material_update_and_a_lower_one_is_not() -> None:
    event = opened()
    merged, update, fresh = merge_report(event, match({"killed": 4}), SIEGE, NOW + timedelta(hours=5),
                                         salient_terms(SIEGE, "Kosovo"), None)
    assert fresh and update is not None and update.kind == "update"
    assert update.changes == ("death toll now 4, was 1",)
    assert merged.facts["killed"] == 4 and merged.sources == ("balkan-wire", "danube-herald")
    assert merged.reports == 2 and merged.updates == (update,)
    older = Article("third-wire", "Officer killed near Banjska", "One police officer was killed near Banjska.")
    again, nothing, _ = merge_report(merged, match({"killed": 1}), older, NOW + timedelta(hours=6),
                                     salient_terms(older, "Kosovo"), None)
    assert nothing is None and again.facts["killed"] == 4 and len(again.sources) == 3


def test_a_correction_lowers_the_toll_as_a_deescalation() -> None:
    event = opened(facts={"killed": 5})
    fix = Article("balkan-wire", "Police revise Banjska toll", "Police corrected the earlier report: four people "
                  "were killed near Banjska, not five.")
    _, update, _ = merge_report(event, match({"killed": 4}), fix, NOW, salient_terms(fix, "Kosovo"), None)
    assert update is not None and update.kind == "deescalation"
    assert update.changes == ("death toll revised to 4, was 5",)


def test_troops_cut_is_a_deescalation() -> None:
    build_up = Article("wire", "Serbian troops massed near Kosovo boundary", "Some 8,350 troops gathered.")
    event = open_event(match({"troops": 8350, "troops_change": "increase"}), build_up, NOW,
                       salient_terms(build_up, "Kosovo"), None)
    cut = Article("wire", "Serbia cuts forces near Kosovo boundary", "Troops were cut from 8,350 to 4,500.")
    merged, update, _ = merge_report(event, match({"troops": 4500, "troops_change": "decrease"}), cut, NOW,
                                     salient_terms(cut, "Kosovo"), None)
    assert update is not None and update.kind == "deescalation"
    assert update.changes == ("troops reduced to 4,500, was 8,350",)
    assert merged.facts["troops"] == 4500 and merged.facts["troops_change"] == "decrease"


def test_a_ceasefire_cue_is_a_deescalation_said_once() -> None:
    event = opened()
    calm = Article("wire", "Calm returns to Banjska", "Police said a ceasefire was holding around Banjska on Monday.")
    merged, update, _ = merge_report(event, match({"killed": 1}), calm, NOW, salient_terms(calm, "Kosovo"), None)
    assert update is not None and update.kind == "deescalation" and "ceasefire was holding" in update.changes[0]
    _, again, _ = merge_report(merged, match({"killed": 1}), calm, NOW, salient_terms(calm, "Kosovo"), None)
    assert again is None


def test_severity_rises_with_the_facts() -> None:
    policy = EventPolicy(escalate=((Severity.CRITICAL, {"killed": 10}),))
    event = opened(policy=policy)
    assert event.severity is Severity.HIGH
    _, update, _ = merge_report(event, match({"killed": 12}, policy=policy), SIEGE, NOW,
                                salient_terms(SIEGE, "Kosovo"), None)
    assert update is not None and "severity now critical, was high" in update.changes


def test_decisions_new_update_edit_and_nothing() -> None:
    book = Book()
    [first] = decide_alerts(AMBUSH, [match({"killed": 1})], NOW, book=book)
    assert first.action == "send" and first.event is not None and not first.suppressed
    [update] = decide_alerts(SIEGE, [match({"killed": 4})], NOW + timedelta(hours=1), book=book)
    assert update.action == "update" and update.event.id == first.event.id
    copy = Article("third-wire", SIEGE.title, SIEGE.text + " Police gave no names.")
    [edit] = decide_alerts(copy, [match({"killed": 4})], NOW + timedelta(hours=2), book=book)
    assert edit.action == "edit" and not edit.suppressed and edit.event.reports == 3
    repeat = Article("third-wire", SIEGE.title, SIEGE.text + " Police gave no names yet.")
    [nothing] = decide_alerts(repeat, [match({"killed": 4})], NOW + timedelta(hours=3), book=book)
    assert nothing.suppressed and "adds nothing" in nothing.suppressed
    [other] = decide_alerts(ELSEWHERE, [match({"killed": 1})], NOW + timedelta(hours=4), book=book)
    assert other.action == "send" and other.event.id != first.event.id


def test_an_event_closes_after_its_window() -> None:
    book = Book()
    policy = EventPolicy(window=3600)
    [first] = decide_alerts(AMBUSH, [match({"killed": 1}, policy=policy)], NOW, book=book)
    [later] = decide_alerts(SIEGE, [match({"killed": 4}, policy=policy)], NOW + timedelta(hours=2), book=book)
    assert later.action == "send" and later.event.id != first.event.id


def test_window_zero_turns_clustering_off_for_a_rule() -> None:
    book = Book()
    policy = EventPolicy(window=0)
    alerts = [decide_alerts(a, [match(policy=policy)], NOW, book=book)[0] for a in (AMBUSH, SIEGE)]
    assert [a.event for a in alerts] == [None, None] and book.events == {}


def test_min_sources_holds_the_first_alert_until_enough_sources_agree() -> None:
    book = Book()
    policy = EventPolicy(min_sources=2, max_wait=1800)
    [held] = decide_alerts(AMBUSH, [match({"killed": 1}, policy=policy)], NOW, book=book)
    assert held.held and held.event.status == "held"
    assert held.event.hold_until == NOW + timedelta(seconds=1800)
    assert not release_due(held.event, NOW + timedelta(minutes=29))
    assert release_due(held.event, NOW + timedelta(minutes=30))
    [confirmed] = decide_alerts(SIEGE, [match({"killed": 4}, policy=policy)], NOW + timedelta(minutes=10), book=book)
    assert confirmed.action == "send" and not confirmed.held
    assert confirmed.event.status == "open" and confirmed.event.facts["killed"] == 4
    assert confirmed.event.sources == ("balkan-wire", "danube-herald")


def test_throttle_still_applies_to_new_events() -> None:
    book = Book()
    throttled = Match("clash", "Fatal clash", Severity.HIGH, regions=("Kosovo",), key=KEY, throttle=3600)
    [alert] = decide_alerts(ELSEWHERE, [throttled], NOW, lambda *_: True, book=book)
    assert alert.suppressed and alert.suppressed.startswith("throttled")


def test_a_cut_reported_against_a_build_up_without_figures_is_a_deescalation() -> None:
    warning = Article("wire", "US warns of Serbian build-up near Kosovo", "Tanks and artillery moved up, "
                      "Washington said, and urged Belgrade to pull them back from the line with Kosovo.")
    event = open_event(match({"troops_change": "increase"}, regions=("Serbia", "Kosovo")), warning, NOW,
                       salient_terms(warning, "Serbia"), None)
    cut = Article("monitor", "Serbia says troops near Kosovo cut back", "Belgrade said soldiers along the line "
                  "with Kosovo were brought down from 8,350 to 4,500.")
    merged, update, _ = merge_report(event, match({"troops": 8350, "troops_change": "decrease"},
                                                  regions=("Serbia", "Kosovo", "kosovo-serbia-line")),
                                     cut, NOW, salient_terms(cut, "Serbia"), None)
    assert update is not None and update.kind == "deescalation"
    assert update.changes[0] == "build-up reported scaled back"
    assert merged.facts["troops_change"] == "decrease" and merged.facts["troops"] == 8350


def test_an_outlet_giving_a_lower_toll_than_before_reports_another_incident() -> None:
    book = Book()
    strike = Article("east-wire", "Missile strike on Kramatorsk pizzeria kills 13",
                     "A missile hit a crowded pizzeria in Kramatorsk, killing 13 people, governor Pavlo "
                     "Kyrylenko said.")
    [first] = decide_alerts(strike, [match({"killed": 13}, regions=("Ukraine",))], NOW, book=book)
    later = Article("east-wire", "Shelling of Kramatorsk kills one",
                    "One man was killed when shells hit a market in Kramatorsk on Thursday, two days after the "
                    "missile strike on a pizzeria, governor Pavlo Kyrylenko said.")
    [second] = decide_alerts(later, [match({"killed": 1}, regions=("Ukraine",))], NOW + timedelta(hours=20),
                             book=book)
    assert second.action == "send" and second.event.id != first.event.id      # alerted, not swallowed
    fix = Article("east-wire", "Kramatorsk toll revised", "Officials corrected the toll of the strike on the "
                  "Kramatorsk pizzeria to 12, governor Pavlo Kyrylenko said.")
    [corrected] = decide_alerts(fix, [match({"killed": 12}, regions=("Ukraine",))], NOW + timedelta(hours=21),
                                book=book)
    assert corrected.event.id == first.event.id and corrected.update.kind == "deescalation"


def test_a_region_named_in_passing_is_not_news() -> None:
    event = opened()
    aside = Article("third-wire", "Banjska gunmen had trained abroad",
                    "The gunmen killed near Banjska had trained in Serbia, police in Banjska said.")
    merged, update, _ = merge_report(event, match({"killed": 1}, regions=("north-kosovo", "Kosovo", "Serbia")),
                                     aside, NOW, salient_terms(aside, "Kosovo"), None)
    assert update is None and "Serbia" in merged.regions          # kept in the event, no threaded reply
    headline = Article("fourth-wire", "Serbia denies link to Banjska gunmen", "Belgrade denied any link to the "
                       "gunmen killed near Banjska.")
    _, update, _ = merge_report(event, match({"killed": 1}, regions=("north-kosovo", "Kosovo", "Serbia")),
                                headline, NOW, salient_terms(headline, "Kosovo"), None)
    assert update is not None and update.changes == ("new region: Serbia",)
