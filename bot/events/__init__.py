"""Matches -> incidents -> alert decisions.

One incident is reported by many outlets over hours, and may be matched by several rules (a
general rule and its region-scoped variant). The matches of one report by related rules (the
same rule, one that `supersedes` the other, or a shared tag) are one incident; it either opens a
new Event or joins the open event of related rules that reports the same incident: overlapping
regions, the same key apart from its rule and region (a `source` part still separates), and text
about the same things (the same syndicated story, or enough shared names and words). Joining
produces one of:

- an **update** when the report adds something material (a higher toll, a new troop figure,
  a new region, a severity jump) or points down (troops cut, a ceasefire holding, a casualty
  report corrected): the first message is edited and a short threaded reply says what changed;
- an **edit** when it only adds a source: the first message's source count is edited;
- nothing to send when a source already counted repeats itself (still recorded).

Reports are folded in the order they were published, not the order they arrive: a report
published before the event's newest one is context (a source, a missing figure, a region), never
news: it reverses no direction, produces no "now X, was Y" and leaves the headline alone.

A new event is sent at once unless its rule waits for `min_sources` (held, then released
when enough sources agree or `max_wait` passes) or throttles its key. Every decision is an
`Alert` value, recorded in history whether or not anything is sent.

The modules, each with one job (callers import from `bot.events`; a bench that flips a switch such as
`CROSS_RULE`, `FOLLOW_UPS`, `CROSS_LANGUAGE` or `JOIN_THRESHOLD` sets it on the module that reads it):

- `deciding`: one alert decision per incident a report tells, and the updates of one poll told as one;
- `across_rules`: related rules, a report's matches grouped by incident, the open events it may join;
- `joining`: whether and why a report joins an open incident (`join_reason`, `find_event`);
- `follow_ups`: the follow-up reasons (the same place, actors or figures) and how long an incident takes them;
- `build_ups`: another army's build-up is another incident, the same army's is the same one;
- `languages`: one incident across languages and scripts;
- `figures`: tolls, troop figures, corrections and calming words;
- `places`: a report's and an incident's countries, provinces and towns;
- `terms`: a report's names and words, and how much of it an event holds (`similarity`);
- `folding`: a new event, and a report folded into one in time order;
- `model`: the values every step shares (keys, publication time, the book of open events);
- `followup_reading`, `army_reading`: pure readings of a report's text and headline.
"""

from __future__ import annotations

from bot.events.across_rules import combine, incident_groups, merge_rules, related, rule_of
from bot.events.deciding import Placing, coalesce_updates, decide_alerts
from bot.events.figures import one_sides_share, rises_from
from bot.events.folding import merge_report, open_event
from bot.events.follow_ups import follow_up_reason, follow_up_window, reads_as_late_follow_up
from bot.events.joining import JOIN_THRESHOLD, find_event, join_reason, join_score
from bot.events.languages import across_languages, language_tag, name_key, script_of
from bot.events.model import (
    EventBook,
    RecentLookup,
    Syndication,
    cluster_key,
    event_summary,
    key_region,
    new_event_id,
    release_due,
    report_places,
    report_time,
)
from bot.events.terms import Terms, salient_terms, similarity

__all__ = [
    "JOIN_THRESHOLD",
    "EventBook",
    "Placing",
    "RecentLookup",
    "Syndication",
    "Terms",
    "across_languages",
    "cluster_key",
    "coalesce_updates",
    "combine",
    "decide_alerts",
    "event_summary",
    "find_event",
    "follow_up_reason",
    "follow_up_window",
    "incident_groups",
    "join_reason",
    "join_score",
    "key_region",
    "language_tag",
    "merge_report",
    "merge_rules",
    "name_key",
    "new_event_id",
    "one_sides_share",
    "open_event",
    "reads_as_late_follow_up",
    "related",
    "release_due",
    "report_places",
    "report_time",
    "rises_from",
    "rule_of",
    "salient_terms",
    "script_of",
    "similarity",
]
