"""Routing, the pure stages: who gets an incident, under which titles, muted or not, and why."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.models import EventRule, Severity, Target
from bot.routing import (
    Incident,
    Mute,
    Subscription,
    dedup,
    mute_for,
    not_yet_holding,
    plan,
    select,
    silencer,
    titles,
    with_oncall,
)

NOW = datetime(2023, 9, 24, 12, 0, tzinfo=UTC)
GENERAL = EventRule("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict", "casualties"))
KOSOVO = EventRule("kosovo-fatal-clash", "Fatal clash in Kosovo", Severity.CRITICAL, ("conflict", "balkans"),
                   ("fatal-clash",))
BANJSKA = Incident((GENERAL, KOSOVO), ("north-kosovo", "Kosovo"), Severity.CRITICAL, new=True)


def test_all_a_tag_and_a_rule_are_one_delivery_for_the_chat() -> None:
    subs = [Subscription(1, None, "all"), Subscription(1, None, "tag:conflict"),
            Subscription(1, None, "kosovo-fatal-clash"), Subscription(2, None, "fatal-clash")]
    taken, passed = select(BANJSKA, subs)
    planned = dedup(taken)
    assert [p.target for p in planned] == [Target("telegram", 1), Target("telegram", 2)]
    assert planned[0].rules == ("fatal-clash", "kosovo-fatal-clash") and len(planned[0].why) == 3
    assert planned[1].rules == ("fatal-clash",) and passed == []


def test_a_subscription_passed_over_says_why() -> None:
    subs = [Subscription(3, None, "troop-buildup"), Subscription(4, None, "all", ("serbia",)),
            Subscription(5, None, "all")]
    taken, passed = select(BANJSKA, subs, gone=frozenset({5}))
    assert taken == []
    reasons = [why for _, why in passed]
    assert "selects none of the incident's rules" in reasons[0]
    assert "narrowed to serbia" in reasons[1] and "north-kosovo, kosovo" in reasons[1]   # the incident's keys
    assert "the chat is gone" in reasons[2]


def test_titles_are_the_chats_own_rules_without_the_superseded() -> None:
    assert titles(BANJSKA, ["fatal-clash"]) == ["Fatal armed clash"]
    assert titles(BANJSKA, ["fatal-clash", "kosovo-fatal-clash"]) == ["Fatal clash in Kosovo"]
    unrelated = EventRule("kosovo-fatal-clash", "Fatal clash in Kosovo", Severity.CRITICAL, ("conflict",))
    both = Incident((GENERAL, unrelated), BANJSKA.regions, Severity.CRITICAL, new=True)
    assert titles(both, []) == ["Fatal clash in Kosovo", "Fatal armed clash"]   # most severe first


def test_a_mute_silences_an_incident_by_all_region_tag_or_every_rule_the_chat_gets_it_for() -> None:
    until = NOW + timedelta(hours=1)
    assert mute_for(1, BANJSKA, ["fatal-clash"], [Mute(1, "region:north-kosovo", until)], NOW) == "region:north-kosovo"
    assert mute_for(1, BANJSKA, ["fatal-clash"], [Mute(0, "tag:casualties", until)], NOW) == "tag:casualties"
    # muting the general rule does not silence the Kosovo rule the chat also subscribed to
    assert mute_for(1, BANJSKA, ["fatal-clash", "kosovo-fatal-clash"], [Mute(1, "fatal-clash", until)], NOW) is None
    assert mute_for(1, BANJSKA, ["fatal-clash"], [Mute(1, "fatal-clash", until)], NOW) == "fatal-clash"
    assert mute_for(1, BANJSKA, ["fatal-clash"], [Mute(1, "all", NOW - timedelta(seconds=1))], NOW) is None
    assert mute_for(2, BANJSKA, ["fatal-clash"], [Mute(1, "all", until)], NOW) is None   # another chat's mute


def test_an_incident_mute_silences_that_incident_and_no_other_of_its_rules() -> None:
    until = NOW + timedelta(hours=1)
    this = dataclasses.replace(BANJSKA, id="ev-banjska")
    another = dataclasses.replace(BANJSKA, id="ev-leposavic")
    mutes = [Mute(1, "incident:ev-banjska", until)]
    assert mute_for(1, this, ["fatal-clash", "kosovo-fatal-clash"], mutes, NOW) == "incident:ev-banjska"
    assert mute_for(1, another, ["fatal-clash", "kosovo-fatal-clash"], mutes, NOW) is None
    assert mute_for(1, BANJSKA, ["fatal-clash"], mutes, NOW) is None   # an alert without an incident id
    assert mute_for(1, this, ["fatal-clash"], [Mute(1, "incident:ev-banjska", NOW)], NOW) is None   # over


def test_the_silencer_decides_each_chat_by_the_rules_it_receives_the_incident_for() -> None:
    until = NOW + timedelta(hours=1)
    subs = [Subscription(1, None, "fatal-clash"), Subscription(2, None, "fatal-clash"),
            Subscription(2, None, "kosovo-fatal-clash")]
    muted = silencer(BANJSKA, subs, [Mute(1, "fatal-clash", until), Mute(2, "fatal-clash", until)], NOW)
    assert muted(1)           # chat 1 gets it only for the rule it muted
    assert not muted(2)       # chat 2 also gets it for the Kosovo rule, which it did not mute
    assert not muted(3)       # no subscription: every rule of the incident counts, and not all are muted
    assert silencer(BANJSKA, subs, [Mute(0, "region:kosovo", until)], NOW)(3)   # the operator's, for every chat


def test_on_call_chats_join_new_severe_incidents_once() -> None:
    planned = dedup(select(BANJSKA, [Subscription(9, None, "all"), Subscription(1, None, "all")])[0])
    routed = with_oncall(planned, BANJSKA, [9, 10], Severity.HIGH)
    assert [(p.target.chat_id, p.target.oncall) for p in routed] == [(1, False), (9, True), (10, True)]
    update = Incident(BANJSKA.rules, BANJSKA.regions, BANJSKA.severity, new=False)
    assert with_oncall(planned, update, [9, 10], Severity.HIGH) == planned


def test_the_plan_runs_every_stage() -> None:
    subs = [Subscription(1, None, "all"), Subscription(2, None, "tag:balkans")]
    result = plan(BANJSKA, subs, [Mute(2, "all", NOW + timedelta(hours=1))], NOW, oncall_chats=[7])
    assert [(p.target.chat_id, p.muted) for p in result.deliveries] == [(1, None), (2, "all"), (7, None)]
    assert result.targets[2].oncall


def test_an_on_call_chat_subscribed_is_one_delivery_marked_on_call() -> None:
    result = plan(BANJSKA, [Subscription(9, None, "all"), Subscription(9, None, "tag:conflict")], [], NOW,
                  oncall_chats=[9], oncall_min_severity=Severity.HIGH)
    [delivery] = result.deliveries
    assert delivery.target == Target("telegram", 9, None, oncall=True)
    assert delivery.why == ("subscribed to all", "subscribed to tag:conflict", "on-call: severity critical")


def test_a_raised_incident_is_sent_on_call_only_where_its_message_is_not_held_yet() -> None:
    oncall = [Target("telegram", 9, None, oncall=True), Target("telegram", 8, None, oncall=True),
              Target("telegram", 7, None, oncall=True)]
    holding = [Target("telegram", 9), Target("telegram", 7, 5)]     # chat 7 holds it in a forum topic only
    assert not_yet_holding(oncall, holding) == oncall[1:]
    assert not_yet_holding(oncall, []) == oncall


def test_a_forum_subscribed_in_a_topic_is_on_call_in_that_topic_not_in_general_too() -> None:
    subs = [Subscription(9, 5, "all"), Subscription(1, None, "all")]
    [other, forum] = plan(BANJSKA, subs, [], NOW, oncall_chats=[9], oncall_min_severity=Severity.HIGH).deliveries
    assert forum.target == Target("telegram", 9, 5, oncall=True) and not other.target.oncall
    assert forum.why == ("subscribed to all", "on-call: severity critical")
    # subscribed in General as well: General is the on-call one, the topic keeps its own copy as before
    both = plan(BANJSKA, [*subs, Subscription(9, None, "tag:conflict")], [], NOW, oncall_chats=[9],
                oncall_min_severity=Severity.HIGH).deliveries
    assert [(p.target.chat_id, p.target.thread_id, p.target.oncall) for p in both] == \
        [(9, 5, False), (1, None, False), (9, None, True)]
