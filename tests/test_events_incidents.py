"""Events across rules and in time order, the pure core: which matches are one incident, and what an
older report may (not) change."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.engine import compile_rules, load_rules
from bot.enums import AlertAction
from bot.events import (
    coalesce_updates,
    combine,
    decide_alerts,
    incident_groups,
    merge_report,
    open_event,
    report_time,
    salient_terms,
)
from bot.models import Alert, Article, Event, EventPolicy, EventUpdate, Match, Severity
from bot.routing import raised_as_new

RULES = Path(__file__).resolve().parent.parent / "rules"
NOW = datetime(2023, 10, 2, 18, 0, tzinfo=UTC)
WARNING = Article("wire", "US warns of large Serbian military build-up near Kosovo",
                  "Washington said it was watching an unprecedented deployment of Serbian forces, tanks and "
                  "artillery along the administrative line with Kosovo.",
                  published=datetime(2023, 9, 29, 17, tzinfo=UTC))
CUT = Article("monitor", "Serbia says troops near Kosovo cut back to regular 4,500",
              "The general staff said the Serbian forces, tanks and artillery deployed along the administrative "
              "line with Kosovo were brought down from 8,350 to 4,500 soldiers, the usual level.",
              published=datetime(2023, 10, 2, 16, 30, tzinfo=UTC))
AMBUSH = Article("balkan-wire", "Police officer killed in ambush near Banjska",
                 "A Kosovo police officer was killed early on Sunday when gunmen opened fire on a patrol near the "
                 "village of Banjska. The attackers retreated towards the Banjska monastery.")
SIEGE = Article("danube-herald", "Three gunmen die in Banjska shoot-out",
                "Three of the gunmen who had taken cover at the Banjska monastery were killed in a shoot-out with "
                "Kosovo police special units, bringing the death toll of the attack to four.")


def troops(facts: dict) -> Match:
    return Match("troop-buildup", "Troop build-up", Severity.HIGH, ("military",), ("Kosovo",), facts,
                 key="rule=troop-buildup|region=Kosovo", policy=EventPolicy(window=72 * 3600))


def clash(rule: str = "fatal-clash", severity: Severity = Severity.HIGH, facts: dict | None = None,
          tags: tuple[str, ...] = ("conflict", "casualties"), supersedes: tuple[str, ...] = ()) -> Match:
    return Match(rule, rule.replace("-", " ").title(), severity, tags, ("north-kosovo", "Kosovo"),
                 facts or {"killed": 1}, key=f"rule={rule}|region=Kosovo",
                 policy=EventPolicy(supersedes=supersedes))


class Book:
    """An in-memory EventBook: events found by any of their rules, or by a tag of one."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}

    def candidates(self, rule_id: str, since: datetime) -> list[Event]:
        if rule_id.startswith("tag:"):
            return [e for e in self.events.values() if rule_id[4:] in e.tags]
        return [e for e in self.events.values() if rule_id in e.rule_ids]

    def remember(self, event: Event) -> None:
        self.events[event.id] = event


def test_missing_and_future_publication_times_are_clamped_to_arrival() -> None:
    assert report_time(Article("a", "t"), NOW) == NOW
    assert report_time(Article("a", "t", published=NOW + timedelta(hours=3)), NOW) == NOW
    assert report_time(CUT, NOW) == CUT.published


def test_a_report_older_than_the_latest_is_context_never_a_reversal() -> None:
    """The cut (2 Oct) arrives first; the warning of a build-up (29 Sep) arrives after it: it adds a source,
    not "build-up resumed", and the headline stays the cut's."""
    event = open_event(troops({"troops": 4500, "troops_change": "decrease"}), CUT, NOW, salient_terms(CUT), None)
    merged, update, fresh = merge_report(event, troops({"troops_change": "increase", "troops": 9000}), WARNING,
                                         NOW + timedelta(minutes=5), salient_terms(WARNING), None)
    assert update is None and fresh
    assert merged.facts["troops_change"] == "decrease" and merged.facts["troops"] == 4500
    assert merged.headline["title"] == CUT.title and merged.latest_at == CUT.published
    assert merged.sources == ("monitor", "wire")


def test_an_older_report_adds_a_figure_the_event_lacks_silently() -> None:
    newer = Article("a", "Four dead after Banjska siege", "x", published=NOW - timedelta(hours=1))
    older = Article("b", "Officer killed, another wounded near Banjska", "y", published=NOW - timedelta(hours=9))
    event = open_event(clash(facts={"killed": 4}), newer, NOW, salient_terms(newer), None)
    merged, update, _ = merge_report(event, clash(facts={"killed": 1, "wounded": 1}), older, NOW,
                                     salient_terms(older), None)
    assert update is None
    assert dict(merged.facts) == {"killed": 4, "wounded": 1}


def test_the_toll_is_the_same_whichever_report_arrives_first() -> None:
    """An audit's case: "three officers killed" (20:50) read after "officer killed" (21:00) left the toll at 1,
    and at 3 in the other order. A toll falls only by a correction, so the higher count stands either way; the
    older report edits the message (no "now 3, was 1" reply, and the newer headline stays)."""
    one = Article("wire-a", "Gunman kills police officer near Zvečan", "x", published=NOW - timedelta(minutes=50))
    three = Article("wire-b", "Three police officers killed near Zvečan", "y", published=NOW - timedelta(minutes=60))
    for first, second, first_killed, second_killed in ((one, three, 1, 3), (three, one, 3, 1)):
        book = Book()
        [opened_alert] = decide_alerts(first, [clash(facts={"killed": first_killed})], NOW, book=book)
        [later] = decide_alerts(second, [clash(facts={"killed": second_killed})], NOW + timedelta(minutes=5),
                                book=book)
        assert later.event is not None and opened_alert.event is not None
        assert later.event.id == opened_alert.event.id
        assert later.event.facts["killed"] == 3
        assert later.action in ("edit", "update") and not later.suppressed
    # the older report only edits: no reply telling an older count as news
    book = Book()
    decide_alerts(one, [clash(facts={"killed": 1})], NOW, book=book)
    [edit] = decide_alerts(three, [clash(facts={"killed": 3})], NOW + timedelta(minutes=5), book=book)
    assert edit.action == "edit" and edit.update is None and edit.event is not None
    assert edit.event.headline["title"] == one.title


def test_an_older_report_never_undoes_a_correction() -> None:
    first = Article("wire-a", "Five killed near Banjska", "x", published=NOW - timedelta(hours=3))
    fix = Article("wire-a", "Police revise Banjska toll", "Police corrected the earlier report: four people were "
                  "killed near Banjska, not five.", published=NOW - timedelta(hours=1))
    stale = Article("wire-c", "Five dead near Banjska", "z", published=NOW - timedelta(hours=2))
    event = open_event(clash(facts={"killed": 5}), first, NOW, salient_terms(first), None)
    revised, update, _ = merge_report(event, clash(facts={"killed": 4}), fix, NOW, salient_terms(fix), None)
    assert update is not None and update.changes == ("death toll revised to 4, was 5",)
    late, nothing, _ = merge_report(revised, clash(facts={"killed": 5}), stale, NOW, salient_terms(stale), None)
    assert nothing is None and late.facts["killed"] == 4


def test_the_same_story_in_order_is_a_build_up_then_a_cut_under_the_newest_headline() -> None:
    event = open_event(troops({"troops_change": "increase"}), WARNING, NOW, salient_terms(WARNING), None)
    merged, update, _ = merge_report(event, troops({"troops": 4500, "troops_change": "decrease"}), CUT,
                                     NOW + timedelta(minutes=5), salient_terms(CUT), None)
    assert update is not None and update.kind == "deescalation"
    assert update.published == CUT.published
    assert merged.headline["title"] == CUT.title and merged.headline["first"]["title"] == WARNING.title
    assert merged.facts["troops"] == 4500 and merged.facts["troops_change"] == "decrease"


def test_a_cut_is_the_new_level_and_reads_as_reduced_from_the_figure_before() -> None:
    """"Brought down from 8,350 to 4,500" is 4,500 soldiers now, going down; after a report of 8,350 the
    update says so."""
    cut = compile_rules(load_rules(RULES)).match(CUT, NOW)
    assert [(m.rule_id, m.facts.get("troops"), m.facts.get("troops_change")) for m in cut] == [
        ("troop-buildup", 4500, "decrease")]
    warned = dataclasses.replace(WARNING, text=WARNING.text + " About 8,350 soldiers were sent to the line.")
    event = open_event(troops({"troops": 8350, "troops_change": "increase"}), warned, NOW, salient_terms(warned), None)
    merged, update, _ = merge_report(event, troops(dict(cut[0].facts)), CUT, NOW + timedelta(minutes=5),
                                     salient_terms(CUT), None)
    assert update is not None and update.kind == "deescalation"
    assert "troops reduced to 4,500, was 8,350" in update.changes
    assert merged.facts["troops"] == 4500


def test_related_rules_are_one_incident_and_other_kinds_are_not() -> None:
    general, regional = clash(), clash("kosovo-fatal-clash", Severity.CRITICAL, tags=("conflict", "balkans"))
    build_up = troops({"troops_change": "increase"})
    groups = incident_groups([general, build_up, regional])
    assert [[m.rule_id for m in g] for g in groups] == [["troop-buildup"], ["fatal-clash", "kosovo-fatal-clash"]]
    lead = combine(groups[1])
    assert lead.rule_id == "kosovo-fatal-clash" and lead.severity is Severity.CRITICAL
    assert lead.tags == ("conflict", "balkans", "casualties")


def test_supersedes_groups_rules_without_a_shared_tag_and_leads_with_the_superseding_one() -> None:
    general = clash(tags=("violence",))
    regional = clash("kosovo-fatal-clash", Severity.MEDIUM, tags=("balkans",), supersedes=("fatal-clash",))
    [group] = incident_groups([general, regional])
    assert combine(group).rule_id == "kosovo-fatal-clash"   # superseding wins over severity
    assert combine(group).severity is Severity.HIGH


def test_one_report_matched_by_two_rules_is_one_alert_and_a_later_report_of_one_rule_joins_it() -> None:
    book = Book()
    regional = clash("kosovo-fatal-clash", Severity.CRITICAL, tags=("conflict", "balkans"))
    [first] = decide_alerts(AMBUSH, [clash(), regional], NOW, book=book)
    assert first.action == "send" and set(first.event.rule_ids) == {"fatal-clash", "kosovo-fatal-clash"}
    assert first.event.severity is Severity.CRITICAL
    [later] = decide_alerts(SIEGE, [clash(facts={"killed": 4})], NOW + timedelta(hours=2), book=book)
    assert later.action == "update" and later.event.id == first.event.id
    assert later.update.changes == ("death toll now 4, was 1",)


def test_two_kinds_of_incident_in_one_report_are_two_alerts() -> None:
    alerts = decide_alerts(CUT, [troops({"troops_change": "decrease"}), clash()], NOW, book=Book())
    assert [a.action for a in alerts] == ["send", "send"]
    assert alerts[0].event.id != alerts[1].event.id


def test_updates_of_one_event_in_one_poll_become_one_reply() -> None:
    event = open_event(clash(), AMBUSH, NOW, salient_terms(AMBUSH), None)
    updates = [EventUpdate(NOW, "update", ("death toll now 2, was 1",)),
               EventUpdate(NOW, "update", ("death toll now 4, was 2", "wounded now 3, was 1"))]
    alerts = [Alert(AMBUSH, clash(), NOW, event=event, action="update", update=u) for u in updates]
    first, last = coalesce_updates(alerts)
    assert first.suppressed and "folded into" in first.suppressed
    assert last.update.changes == ("death toll now 4, was 1", "wounded now 3, was 1")


def _clash_at(regions: tuple[str, ...], mentioned: tuple[str, ...] = (), facts: dict | None = None) -> Match:
    return Match("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict",), regions, facts or {"killed": 1},
                 key="rule=fatal-clash|region=X", mentioned=mentioned)


MARKET = Article("levant-daily", "Air strikes on Idlib market town kill at least 23",
                 "Air strikes hit a crowded vegetable market in Maarat al-Numan in Idlib province on Monday, "
                 "killing at least 23 people, rescuers said.")
FUNERAL = Article("levant-daily", "Maarat al-Numan buries market strike victims",
                  "Residents of Maarat al-Numan buried the people killed when air strikes hit the town's vegetable "
                  "market on Monday, rescuers said.")
AGAIN = Article("levant-daily", "New air strikes hit Maarat al-Numan, five killed",
                "Air strikes hit Maarat al-Numan again on Saturday, killing five people near the vegetable market "
                "that was bombed on Monday, rescuers said.")


def test_a_wire_datelined_elsewhere_joins_by_the_places_it_names_in_passing() -> None:
    book = Book()
    [first] = decide_alerts(MARKET, [_clash_at(("Idlib", "Syria"), facts={"killed": 23})], NOW, book=book)
    beirut = Article("global-wire", "Toll from Maarat al-Numan market strikes rises to 31",
                     "BEIRUT (Global Wire) - The toll from Monday's air strikes on the vegetable market in Maarat "
                     "al-Numan, in Syria's Idlib province, rose to 31, rescuers said.")
    [later] = decide_alerts(beirut, [_clash_at(("Beirut", "Lebanon"), ("Syria", "Idlib"), {"killed": 31})],
                            NOW + timedelta(hours=6), book=book)
    assert later.action == "update" and later.event.id == first.event.id


def test_a_follow_up_days_later_joins_when_its_headline_names_the_incident() -> None:
    book = Book()
    [first] = decide_alerts(MARKET, [_clash_at(("Idlib", "Syria"), facts={"killed": 23})], NOW, book=book)
    [funeral] = decide_alerts(FUNERAL, [_clash_at(("Idlib", "Syria"), facts={"killed": 23})],
                              NOW + timedelta(days=4), book=book)
    assert funeral.event.id == first.event.id
    # a new attack there days later is a new incident, however alike the words
    [again] = decide_alerts(AGAIN, [_clash_at(("Idlib", "Syria"), facts={"killed": 5})],
                            NOW + timedelta(days=5), book=book)
    assert again.action == "send" and again.event.id != first.event.id
    # and past the follow-up window, even a funeral opens a new incident
    [late] = decide_alerts(FUNERAL, [_clash_at(("Idlib", "Syria"), facts={"killed": 23})],
                           NOW + timedelta(days=13), book=book)
    assert late.event.id not in (first.event.id, again.event.id)


def test_a_rule_that_narrowed_its_window_keeps_it() -> None:
    narrow = Match("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict",), ("Idlib", "Syria"),
                   {"killed": 23}, key="rule=fatal-clash|region=X", policy=EventPolicy(window=6 * 3600))
    book = Book()
    [first] = decide_alerts(MARKET, [narrow], NOW, book=book)
    [funeral] = decide_alerts(FUNERAL, [narrow], NOW + timedelta(hours=12), book=book)
    assert funeral.event.id != first.event.id


def test_a_correction_lowers_the_toll_of_the_incident_it_corrects() -> None:
    book = Book()
    first_report = Article("a", "Shelling of Kherson kills two", "Russian shelling of Kherson killed two people.")
    [first] = decide_alerts(first_report, [_clash_at(("Kherson", "Ukraine"), facts={"killed": 2})], NOW, book=book)
    fix = Article("a", "Kherson shelling killed one, officials say, correcting an earlier figure",
                  "Officials in Kherson said one person was killed in Thursday's shelling of Kherson, correcting "
                  "an earlier figure of two.")
    [corrected] = decide_alerts(fix, [_clash_at(("Kherson", "Ukraine"), facts={"killed": 1})],
                                NOW + timedelta(days=2), book=book)
    assert corrected.event.id == first.event.id and corrected.update.kind == "deescalation"
    assert corrected.event.facts["killed"] == 1


def test_supersedes_is_read_from_a_rule_file_and_an_unknown_rule_is_refused(tmp_path) -> None:
    from bot.engine.load import load_rules
    from bot.errors import RuleError

    (tmp_path / "general.yaml").write_text("id: clash\ntitle: Clash\nwhen: {terms: [clash]}\n", encoding="utf-8")
    (tmp_path / "regional.yaml").write_text("id: kosovo-clash\ntitle: Clash in Kosovo\nsupersedes: [clash]\n"
                                            "when: {terms: [clash]}\n", encoding="utf-8")
    rules = {r.id: r for r in load_rules(tmp_path).rules}
    assert rules["kosovo-clash"].policy.supersedes == ("clash",) and rules["clash"].policy.supersedes == ()
    (tmp_path / "typo.yaml").write_text("id: other\ntitle: Other\nsupersedes: [clsh]\nwhen: {terms: [x]}\n",
                                        encoding="utf-8")
    with pytest.raises(RuleError) as refused:
        load_rules(tmp_path)
    assert f"{tmp_path / 'typo.yaml'}:1: rule 'other' supersedes 'clsh', which is not a rule here" in str(refused.value)


def test_an_update_that_raises_the_severity_says_from_what_and_routes_as_a_new_incident_once() -> None:
    """What on-call needs of a follow-up that makes an incident critical (tests/test_events_escalation.py tells
    it as a chat sees it): the severity it had before, and the alert as the incident's first message."""
    policy = EventPolicy(escalate=((Severity.CRITICAL, {"killed": 10}),))
    first = dataclasses.replace(clash(facts={"killed": 1}), policy=policy)
    event = open_event(first, AMBUSH, NOW, salient_terms(AMBUSH), None)
    raised = dataclasses.replace(clash(facts={"killed": 12}), policy=policy)
    merged, update, _ = merge_report(event, raised, SIEGE, NOW + timedelta(hours=1), salient_terms(SIEGE), None)
    assert update is not None and update.severity_before is Severity.HIGH and merged.severity is Severity.CRITICAL
    alert = Alert(SIEGE, raised, NOW, event=merged, action=AlertAction.UPDATE, update=update)
    as_new = raised_as_new(alert)
    assert as_new is not None and as_new.action is AlertAction.SEND and as_new.update is None
    again = merge_report(merged, dataclasses.replace(raised, facts={"killed": 14}), SIEGE, NOW + timedelta(hours=2),
                         salient_terms(SIEGE), None)[1]
    assert again is not None and again.severity_before is None   # already critical: nothing crosses again
    assert raised_as_new(Alert(SIEGE, raised, NOW, event=merged, action=AlertAction.UPDATE, update=again)) is None
