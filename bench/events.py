"""Event clustering on labeled incidents: how well reports of one incident become one event, and what it saves.

Run from the repository root:

    .venv/bin/python bench/events.py              # the labeled set, clustering on and off: a few seconds
    .venv/bin/python bench/events.py --sweep      # also bot.events.joining.JOIN_THRESHOLD from 0.20 to 0.50
    .venv/bin/python bench/events.py --explain    # also why each report split off, and every decision with scores
    .venv/bin/python bench/events.py --data tests/data/incidents/second-stream.jsonl   # the second stream
    .venv/bin/python bench/events.py --threshold 0.25 --rules /tmp/my-rules   # what-ifs

Input: JSON Lines, one report a line: {"incident", "source", "published", "title", "text"} (and,
optionally, "id" and "language", the language the feed declares; tests/data/incidents/clusters.jsonl
also carries the rule a report was written for and notes). Reports with the same `incident` are one
real incident. tests/data/incidents/crosslang.jsonl is the Banjska story in four feeds and three
languages, and two incidents in two villages of one municipality on one day, each in two languages.
tests/data/incidents/second-stream.jsonl is a second stream in our own words, other places and outlets
(follow-ups up to a week late, a corrected toll, a second attack in the same province), written to check
the follow-up rule on text it was not tuned on; measured once, it has been development data since the third
round of issue 12 (docs/performance.md). A held-out stream is run once by whoever holds it, never read here.

The reports are replayed in time order through Beacon's real ingest path: a `Store` on a temporary
SQLite file, the shipped rules (rules/), the syndication `StoryIndex` built as bot/app.py builds it,
and `Ingestor.poll` on one list-backed source per outlet (each poll returns everything the outlet
has published so far, as a feed does; the seen-set keeps what is new), the clock set to each
report's time plus `--lag` minutes. One chat is subscribed to each rule and routed to as
`Beacon.route` does (`Store.subscribers_for`); after every poll the due outbox rows are marked sent
(a worker that keeps up: reports here are minutes to hours apart), so edit coalescing behaves as it
would live.

Measured from the store (the `events` table and `alerts.event_id`), per rule, over the reports that
rule matched:

- pairwise precision: pairs of reports put in one event that are one incident / all pairs put together;
- pairwise recall: same-incident pairs put together / all same-incident pairs;
- events opened vs true incidents, events holding more than one incident (merges), incidents
  spread over more than one event (splits);
- what the rule's chat receives, clustering on vs off (`Ingestor(clustering=False)`): new alert
  messages, threaded update replies (each also edits the first message), edits (source count only),
  and decisions recorded but not sent (throttled, syndicated copies, "adds nothing").

Every run lists the labeled incidents that gave the chat subscribed to `all` more than one new alert, with
the report and rules behind each (a split, or a rule of another kind matching one of its reports); --explain
also counts the joins by the reason `bot.events.joining.join_reason` gives.

Every run also replays the reports without the follow-up rule (`bot.events.joining.FOLLOW_UPS = False`:
words alone, as before it), with one event per rule, and with no join across languages, and prints what a chat
subscribed to `all` receives in each: new alerts, updates, and new alerts per incident.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import machine

from bot.app import STORY_WINDOW_SECONDS
from bot.engine import RuleSet, compile_rules, load_rules
from bot.events import across_rules, deciding, joining
from bot.events.places import places_meet
from bot.events.terms import similarity
from bot.ingest import Ingestor
from bot.models import Alert, Article, Target, Validators
from bot.routing import incident_of, plan
from bot.sources.base import PollResult
from bot.sources.files import json_lines
from bot.sources.syndication import StoryIndex
from bot.store import Store

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO / "tests" / "data" / "incidents" / "clusters.jsonl"
FOLLOW_UPS = REPO / "tests" / "data" / "incidents" / "followups.jsonl"
SHIPPED = joining.JOIN_THRESHOLD
SWEEP = (0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50)


# -- the labeled reports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    id: str
    incident: str
    article: Article


def load_reports(path: Path) -> list[Report]:
    """The labeled reports of one JSON Lines file, oldest first; a line that is not a report stops the run
    with its file and line number."""
    rows = []
    with path.open("rb") as lines:
        for entry in json_lines(lines):
            where = f"{path}:{entry.number}"
            if entry.error:
                raise SystemExit(f"{where}: {entry.error}")
            row = entry.value
            if not isinstance(row, dict):
                raise SystemExit(f"{where}: not a JSON object")
            missing = [key for key in ("incident", "source", "published", "title") if not row.get(key)]
            if missing:
                raise SystemExit(f"{where}: the report has no {', '.join(missing)} "
                                 "(pairwise scores need an incident label, and the replay a source and a time)")
            try:
                row["published"] = datetime.fromisoformat(str(row["published"]).replace("Z", "+00:00"))
            except ValueError:
                raise SystemExit(f"{where}: published is no ISO 8601 time: {row['published']!r}") from None
            if row["published"].tzinfo is None:
                raise SystemExit(f"{where}: published has no time zone: {row['published'].isoformat()}")
            rows.append(row)
    reports = []
    counts: Counter[str] = Counter()
    for row in sorted(rows, key=lambda r: r["published"]):
        incident = str(row["incident"])
        counts[incident] += 1
        ident = str(row.get("id") or f"{incident}.{counts[incident]}")
        published = row["published"]
        article = Article(row["source"], row["title"], row.get("text", ""), url=f"https://{row['source']}.example/{ident}",
                          guid=ident, published=published, id=ident,
                          language=row.get("language"))
        reports.append(Report(ident, incident, article))
    return reports


class ListSource:
    """One outlet: each poll returns every report it has published by then (newest first), as a feed does."""

    def __init__(self, name: str, reports: Sequence[Report]) -> None:
        self.name = name
        self.interval = 600.0
        self.reports = sorted(reports, key=lambda r: r.article.published or datetime.min)

    async def poll(self, validators: Validators, now: datetime) -> PollResult:
        items = [r.article for r in self.reports if r.article.published and r.article.published <= now]
        return PollResult(tuple(reversed(items)), Validators(f'"{len(items)}"'))


# -- one replay ---------------------------------------------------------------------------------------


@dataclass
class Decision:
    """What clustering saw for one report and rule (recorded with --explain)."""

    report: str
    rule: str
    scores: list[tuple[str, float]]        # (candidate event id, similarity)
    story: bool                            # joined through the syndication index
    reasons: dict[str, str] = field(default_factory=dict)   # candidate event id -> why it joins or not


@dataclass
class Replay:
    clustering: bool
    threshold: float
    alerts: list[dict[str, Any]] = field(default_factory=list)       # one per (report, rule) decision
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # event id -> its row
    outbox: list[dict[str, Any]] = field(default_factory=list)       # rows sent to the rules' chats
    decisions: list[Decision] = field(default_factory=list)
    seconds: float = 0.0


@contextlib.contextmanager
def threshold(value: float) -> Iterator[None]:
    """Set bot.events.joining.JOIN_THRESHOLD (join_reason reads the module constant on every call)."""
    old = joining.JOIN_THRESHOLD
    joining.JOIN_THRESHOLD = value
    try:
        yield
    finally:
        joining.JOIN_THRESHOLD = old


@contextlib.contextmanager
def recording(log: list[Decision], current: list[str]) -> Iterator[None]:
    """Record every candidate's similarity and join reason as deciding weighs them (an observer of
    bot.events.deciding: the decision itself is untouched)."""
    def record(weighing: deciding.Weighing) -> None:
        scores = []
        reasons = {}
        story = False
        for event in weighing.candidates:
            if weighing.story_id is not None and weighing.story_id in event.stories:
                story = True
            overlap = places_meet(event, weighing.match)
            scores.append((event.id, similarity(weighing.terms, event) if overlap else -1.0))
            reasons[event.id] = joining.join_reason(event, weighing.candidates, weighing.match, weighing.terms,
                                                    weighing.article, weighing.now, weighing.late)[0]
        log.append(Decision(current[0], weighing.match.rule_id, scores, story, reasons))

    with deciding.observing(record):
        yield


ALL_CHAT = 999   # a chat subscribed to `all`: what an analyst following every shipped rule receives


def rule_chats(ruleset: RuleSet) -> dict[str, int]:
    return {rule.id: 1000 + n for n, rule in enumerate(sorted(ruleset.source.rules, key=lambda r: r.id))}


@contextlib.contextmanager
def cross_rule(value: bool) -> Iterator[None]:
    old = across_rules.CROSS_RULE
    across_rules.CROSS_RULE = value
    try:
        yield
    finally:
        across_rules.CROSS_RULE = old


@contextlib.contextmanager
def follow_ups(value: bool) -> Iterator[None]:
    old = joining.FOLLOW_UPS
    joining.FOLLOW_UPS = value
    try:
        yield
    finally:
        joining.FOLLOW_UPS = old


@contextlib.contextmanager
def cross_language(value: bool) -> Iterator[None]:
    old = joining.CROSS_LANGUAGE
    joining.CROSS_LANGUAGE = value
    try:
        yield
    finally:
        joining.CROSS_LANGUAGE = old


async def replay(reports: Sequence[Report], ruleset: RuleSet, *, clustering: bool, lag: float,
                 explain: bool = False) -> Replay:
    result = Replay(clustering, joining.JOIN_THRESHOLD)
    by_outlet: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_outlet[report.article.source].append(report)
    sources = {name: ListSource(name, rs) for name, rs in by_outlet.items()}
    chats = rule_chats(ruleset)
    key_to_report = {r.article.key: r.id for r in reports}
    current = [""]
    with tempfile.TemporaryDirectory(prefix="beacon-events-") as tmp:
        store = Store(Path(tmp) / "state.db")
        clock = [reports[0].article.published or datetime.min]
        for rule_id, chat in chats.items():
            store.chats.subscribe(chat, rule_id, clock[0])
        store.chats.subscribe(ALL_CHAT, "all", clock[0])

        def route(alert: Alert) -> list[Target]:   # as Beacon.route does (bot/routing.py), without on-call
            subscriptions, gone = store.chats.routable()
            return plan(incident_of(alert), subscriptions, [], clock[0], gone=gone).targets

        stories = StoryIndex(window_seconds=STORY_WINDOW_SECONDS, num_perm=64)   # as bot/app.py builds it
        ingestor = Ingestor(store, lambda: ruleset, route, lambda: clock[0], stories=stories, clustering=clustering)
        message_id = itertools.count(1)
        started = time.perf_counter()
        with recording(result.decisions, current) if explain else contextlib.nullcontext():
            for report in reports:
                clock[0] = (report.article.published or clock[0]) + timedelta(minutes=lag)
                current[0] = report.id
                await ingestor.poll(sources[report.article.source], force=True)
                deliver(store, clock[0], message_id)
        result.seconds = time.perf_counter() - started
        db = store.db
        for row in db.execute("SELECT id, rule_id, article_key, status, reason, event_id, payload FROM alerts "
                              "ORDER BY id"):
            payload = json.loads(row["payload"])
            result.alerts.append({"alert_id": row["id"], "rule": row["rule_id"],
                                  "report": key_to_report.get(row["article_key"], row["article_key"]),
                                  "status": row["status"], "reason": row["reason"], "event": row["event_id"],
                                  "action": payload.get("action", "send")})
        for row in db.execute("SELECT id, rule_id, state FROM events"):
            result.events[row["id"]] = {"rule": row["rule_id"], **json.loads(row["state"])}
        for row in db.execute("SELECT o.chat_id, o.action, o.status, a.rule_id, a.event_id, a.article_key "
                              "FROM outbox o JOIN alerts a ON a.id = o.alert_id"):
            result.outbox.append({**dict(row), "report": key_to_report.get(row["article_key"], row["article_key"])})
        store.close()
    return result


def deliver(store: Store, now: datetime, ids: Iterator[int]) -> None:
    """A worker that keeps up: every due row is claimed and marked sent (nothing goes over the network)."""
    while True:
        due = store.outbox.due(now, limit=1000)
        if not due:
            return
        for delivery in due:
            if store.outbox.claim(delivery.id):
                store.outbox.mark_sent(delivery.id, now, next(ids))


# -- scoring ------------------------------------------------------------------------------------------


@dataclass
class Score:
    rule: str
    reports: int = 0
    incidents: int = 0
    events: int = 0
    no_event: int = 0          # matched, but in no event (a new event throttled, a syndicated repeat)
    merged: int = 0            # events holding reports of more than one incident
    split: int = 0             # incidents whose reports ended in more than one event
    pairs_true: int = 0
    pairs_put: int = 0
    pairs_right: int = 0
    new: int = 0
    updates: int = 0
    edits: int = 0
    quiet: int = 0             # decisions recorded, nothing sent
    reasons: Counter[str] = field(default_factory=Counter)
    false_pairs: list[tuple[str, str]] = field(default_factory=list)
    missed_pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.pairs_right / self.pairs_put if self.pairs_put else 1.0

    @property
    def recall(self) -> float:
        return self.pairs_right / self.pairs_true if self.pairs_true else 1.0

    def add(self, other: Score) -> None:
        for name in ("reports", "incidents", "events", "no_event", "merged", "split", "pairs_true", "pairs_put",
                     "pairs_right", "new", "updates", "edits", "quiet"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.reasons += other.reasons


def score(result: Replay, reports: Sequence[Report], chats: dict[str, int]) -> dict[str, Score]:
    incident = {r.id: r.incident for r in reports}
    scores: dict[str, Score] = {}
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alert in result.alerts:
        by_rule[alert["rule"]].append(alert)
    for rule, alerts in sorted(by_rule.items()):
        s = scores[rule] = Score(rule)
        cluster: dict[str, str] = {}    # report -> its event (or itself when in none)
        for alert in alerts:
            cluster.setdefault(alert["report"], alert["event"] or "solo:" + alert["report"])
        s.reports = len(cluster)
        s.incidents = len({incident[r] for r in cluster})
        s.events = len({c for c in cluster.values() if not c.startswith("solo:")})
        s.no_event = sum(1 for c in cluster.values() if c.startswith("solo:")) if result.clustering else 0
        members: dict[str, set[str]] = defaultdict(set)
        places: dict[str, set[str]] = defaultdict(set)
        for report, c in cluster.items():
            members[c].add(incident[report])
            places[incident[report]].add(c)
        s.merged = sum(1 for c, incs in members.items() if len(incs) > 1)
        s.split = sum(1 for inc, cs in places.items() if len(cs) > 1)
        for a, b in itertools.combinations(sorted(cluster), 2):
            same_incident = incident[a] == incident[b]
            together = cluster[a] == cluster[b]
            s.pairs_true += same_incident
            s.pairs_put += together
            s.pairs_right += same_incident and together
            if together and not same_incident:
                s.false_pairs.append((a, b))
            elif same_incident and not together:
                s.missed_pairs.append((a, b))
        sent = Counter(row["action"] for row in result.outbox
                       if row["chat_id"] == chats.get(rule) and row["status"] == "sent")
        s.new, s.updates, s.edits = sent["send"], sent["update"], sent["edit"]
        s.quiet = sum(1 for a in alerts if a["status"] in ("suppressed", "held"))
        s.reasons = Counter(_reason(a["reason"]) for a in alerts if a["status"] == "suppressed")
    return scores


def _reason(reason: str | None) -> str:
    text = reason or ""
    for short in ("throttled", "syndicated copy", "adds nothing"):
        if text.startswith(short):
            return short
    return text[:30]


def incidents_score(result: Replay, reports: Sequence[Report]) -> Score:
    """Pairwise precision and recall over every report any rule matched, by the events (incidents) they are in:
    two reports are put together when they share an event, whatever rules matched them."""
    incident = {r.id: r.incident for r in reports}
    s = Score("incidents")
    places: dict[str, set[str]] = defaultdict(set)
    for alert in result.alerts:
        if alert["report"] in incident:
            places[alert["report"]].add(alert["event"] or "solo:" + alert["report"] + alert["rule"])
    s.reports = len(places)
    s.incidents = len({incident[r] for r in places})
    s.events = len({e for es in places.values() for e in es if not e.startswith("solo:")})
    for a, b in itertools.combinations(sorted(places), 2):
        same_incident = incident[a] == incident[b]
        together = bool(places[a] & places[b])
        s.pairs_true += same_incident
        s.pairs_put += together
        s.pairs_right += same_incident and together
    members: dict[str, set[str]] = defaultdict(set)
    for report, events in places.items():
        for event in events:
            members[event].add(incident[report])
    s.merged = sum(1 for incs in members.values() if len(incs) > 1)
    spread: dict[str, set[str]] = defaultdict(set)
    for report, events in places.items():
        spread[incident[report]].update(events)
    s.split = sum(1 for events in spread.values() if len(events) > 1)
    sent = Counter(row["action"] for row in result.outbox if row["chat_id"] == ALL_CHAT and row["status"] == "sent")
    s.new, s.updates, s.edits = sent["send"], sent["update"], sent["edit"]
    return s


def total(scores: dict[str, Score]) -> Score:
    all_rules = Score("all rules")
    for s in scores.values():
        all_rules.add(s)
    return all_rules


# -- output -------------------------------------------------------------------------------------------


def ratio(on: float, off: float) -> str:
    return f"{on / off:.2f}" if off else "-"


def print_main(on: dict[str, Score], off: dict[str, Score]) -> None:
    header = (f"{'rule':<20} {'reports':>7} {'incid.':>6} {'events':>6} {'merged':>6} {'split':>5} "
              f"{'P':>5} {'R':>5}  {'on: new':>7} {'upd':>4} {'edit':>4} {'quiet':>5}  "
              f"{'off: new':>8} {'quiet':>5}  {'new on/off':>10} {'notif. on/off':>13}")
    print(header)
    print("-" * len(header))
    rows = [*sorted(on), "all rules"]
    for rule in rows:
        a = total(on) if rule == "all rules" else on[rule]
        b = total(off) if rule == "all rules" else off.get(rule, Score(rule))
        print(f"{rule:<20} {a.reports:>7} {a.incidents:>6} {a.events:>6} {a.merged:>6} {a.split:>5} "
              f"{a.precision:>5.2f} {a.recall:>5.2f}  {a.new:>7} {a.updates:>4} {a.edits:>4} {a.quiet:>5}  "
              f"{b.new:>8} {b.quiet:>5}  {ratio(a.new, b.new):>10} {ratio(a.new + a.updates, b.new):>13}")
    print()
    print("P, R: pairwise precision and recall of clustering (pairs of reports one rule matched).")
    print("on: new = new alert messages, upd = threaded update replies (each also edits the first message),")
    print("edit = edits that only add a source, quiet = decisions recorded but not sent (throttled, syndicated")
    print("copies, 'adds nothing'). off = Ingestor(clustering=False). notif. = new + upd (messages that notify).")
    t_on, t_off = total(on), total(off)
    calls_on = t_on.new + 2 * t_on.updates + t_on.edits
    print(f"\nall rules: {t_on.new} new alerts instead of {t_off.new} ({ratio(t_on.new, t_off.new)}x); "
          f"{t_on.new + t_on.updates} notifying messages instead of {t_off.new} "
          f"({ratio(t_on.new + t_on.updates, t_off.new)}x); Bot API calls {calls_on} vs {t_off.new} "
          f"(an update is a reply plus an edit); {t_on.events} events for {t_on.incidents} incidents.")
    print("pairs (right / put together / truly one incident): " + "; ".join(
        f"{rule} {s.pairs_right}/{s.pairs_put}/{s.pairs_true}" for rule, s in sorted(on.items())))
    print(f"not sent, clustering on: {dict(t_on.reasons) or 'none'}; off: {dict(t_off.reasons) or 'none'}")


def print_all_chat(on: Score, per_rule: Score, off: Score, words_only: Score, no_follow_ups: Score) -> None:
    """Incidents across rules: clustering scored over all reports, and what one chat subscribed to `all` receives."""
    print("\nIncidents across rules (two reports are together when they share an event, whatever rules matched):")
    header = f"{'':<34} {'events':>6} {'merged':>6} {'split':>5} {'P':>5} {'R':>5}  {'all-chat: new':>13} {'upd':>4} " \
             f"{'edit':>4} {'notif.':>6}"
    print(header)
    print("-" * len(header))
    for label, s in (("incidents across rules (shipped)", on), ("no follow-up rule (before)", no_follow_ups),
                     ("one event per rule (before)", per_rule),
                     ("no join across languages (before)", words_only), ("clustering off", off)):
        print(f"{label:<34} {s.events:>6} {s.merged:>6} {s.split:>5} {s.precision:>5.2f} {s.recall:>5.2f}  "
              f"{s.new:>13} {s.updates:>4} {s.edits:>4} {s.new + s.updates:>6}")
    print(f"a chat subscribed to all receives {on.new + on.updates} notifying messages for {on.incidents} incidents "
          f"({on.reports} labeled reports matched), {per_rule.new + per_rule.updates} with one event per rule, "
          f"{off.new + off.updates} without clustering, {words_only.new + words_only.updates} with no join across "
          f"languages (words only), {no_follow_ups.new + no_follow_ups.updates} with no follow-up rule (before: "
          f"{no_follow_ups.new} new alerts, precision {no_follow_ups.precision:.2f}, "
          f"recall {no_follow_ups.recall:.2f}).")
    per_incident = on.new / on.incidents if on.incidents else 0.0
    before = no_follow_ups.new / no_follow_ups.incidents if no_follow_ups.incidents else 0.0
    print(f"new alerts per incident: {per_incident:.2f} ({on.new} for {on.incidents}; before the follow-up rule "
          f"{before:.2f}); a report matched by rules of two kinds (a clash report a build-up rule also matches) "
          "is two incidents.")


def print_failures(on: dict[str, Score], reports: Sequence[Report], result: Replay) -> None:
    by_id = {r.id: r for r in reports}
    members: dict[str, list[str]] = defaultdict(list)
    did: dict[tuple[str, str], str] = {}
    for alert in result.alerts:
        if alert["event"]:
            members[alert["event"]].append(alert["report"])
        did[(alert["report"], alert["event"] or "")] = (
            f"suppressed ({_reason(alert['reason'])})" if alert["status"] == "suppressed" else alert["status"])
    print("\nEvents holding more than one incident (report, incident, what it did, outlet, title):")
    shown = 0
    for event_id, ids in members.items():
        incidents = {by_id[i].incident for i in ids if i in by_id}
        if len(incidents) > 1:
            shown += 1
            event = result.events[event_id]
            print(f"  {event['rule']} {event_id} (facts {dict(event['facts'])}):")
            for i in ids:
                print(f"    {i:<7} {by_id[i].incident:<5} {did[(i, event_id)]:<28} {by_id[i].article.source:<17} "
                      f"{by_id[i].article.title[:70]}")
    if not shown:
        print("  none")
    print("\nIncidents split over several events (report id -> event):")
    shown = 0
    for rule in sorted(on):
        groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for alert in result.alerts:
            if alert["rule"] == rule and alert["report"] in by_id:
                groups[by_id[alert["report"]].incident][alert["event"] or "(none: " + alert["status"] + ")"].append(
                    alert["report"])
        for inc, places in sorted(groups.items()):
            if len(places) > 1:
                shown += 1
                parts = "; ".join(f"{', '.join(ids)} -> {ev}" for ev, ids in places.items())
                print(f"  {rule} {inc}: {parts}")
    if not shown:
        print("  none")


def print_extra_alerts(result: Replay, reports: Sequence[Report]) -> None:
    """Each labeled incident that gave the chat subscribed to `all` more than one new alert, and what each alert
    was: a split (another event of the same rules) or an incident of another kind (a rule of another kind matched
    one of its reports: a false positive of that rule when the report tells no such thing)."""
    by_id = {r.id: r for r in reports}
    firsts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in result.outbox:
        if row["chat_id"] == ALL_CHAT and row["status"] == "sent" and row["action"] == "send" \
                and row["report"] in by_id:
            firsts[by_id[row["report"]].incident].append(row)
    print("\nIncidents giving the all-chat more than one new alert (the report that opened each, its rules, outlet, "
          "title):")
    shown = 0
    for incident, rows in sorted(firsts.items()):
        if len(rows) < 2:
            continue
        shown += 1
        kinds = [", ".join(sorted(r["id"] for r in result.events.get(row["event_id"], {}).get("rules", [])))
                 or row["rule_id"] for row in rows]
        print(f"  {incident}: {len(rows)} new alerts")
        for row, kind in zip(rows, kinds, strict=True):
            report = by_id[row["report"]]
            print(f"    {report.id:<7} {kind:<30} {report.article.source:<17} {report.article.title[:70]}")
    if not shown:
        print("  none")


def print_join_reasons(result: Replay) -> None:
    """How many reports joined an open event by each reason `bot.events.joining.join_reason` gives."""
    event_of = {(a["report"], a["rule"]): a["event"] for a in result.alerts}
    tally: Counter[str] = Counter()
    for d in result.decisions:
        joined = event_of.get((d.report, d.rule))
        reason = d.reasons.get(joined or "")
        if d.story and reason is not None:
            reason = "joins: the same syndicated story"
        elif reason is not None and not reason.startswith("joins"):
            reason = "joins: told with an incident of another kind it joins (bot.events.deciding._with_companion)"
        if reason is not None:
            tally[re.sub(r"\s*\(.*", "", reason)] += 1
    print("\nJoins by reason (report and rule decisions that joined an open event):")
    for reason, count in tally.most_common():
        print(f"  {count:>4}  {reason}")


def print_explain(result: Replay, reports: Sequence[Report]) -> None:
    by_id = {r.id: r for r in reports}
    event_of = {(a["report"], a["rule"]): a["event"] for a in result.alerts}
    incidents_of: dict[str, list[str]] = defaultdict(list)
    print("\nEvery clustering decision (candidates: event[its incidents so far]=similarity, -1 = regions apart):")
    for d in result.decisions:
        joined = event_of.get((d.report, d.rule))
        cands = ", ".join(f"{e[-4:]}[{'/'.join(sorted(set(incidents_of[e])))}]={s:.2f}" for e, s in d.scores)
        how = "story" if d.story else ("joined" if joined in incidents_of else "new")
        print(f"  {d.report:<7} {d.rule:<19} {how:<6} -> {str(joined)[-4:]:<4}  {cands}")
        if joined:
            incidents_of[joined].append(by_id[d.report].incident if d.report in by_id else "?")


def print_why_split(result: Replay, reports: Sequence[Report]) -> None:
    """Each report that did not join an open event holding its incident, with the reason
    `bot.events.joining.join_reason` gives (window, places apart, another toll, too few words...), and each report
    that joined another incident's."""
    by_id = {r.id: r for r in reports}
    event_of = {(a["report"], a["rule"]): a["event"] for a in result.alerts}
    incidents_of: dict[str, set[str]] = defaultdict(set)
    print("\nWhy reports split off (report -> the event it went to; an open event of its incident it did not join, "
          "and why):")
    shown = 0
    for d in result.decisions:
        joined = event_of.get((d.report, d.rule))
        mine = by_id[d.report].incident if d.report in by_id else "?"
        missed = [e for e, _ in d.scores if mine in incidents_of[e] and e != joined]
        wrong = joined is not None and incidents_of[joined] and mine not in incidents_of[joined]
        if missed or wrong:
            shown += 1
            title = by_id[d.report].article.title[:60] if d.report in by_id else ""
            print(f"  {d.report:<7} {d.rule:<18} -> {str(joined)[-4:]}  {title}")
            for e in missed:
                print(f"      not {e[-4:]} [{'/'.join(sorted(incidents_of[e]))}]: {d.reasons.get(e, '?')}")
            if wrong and joined is not None:
                print(f"      joined {joined[-4:]} [{'/'.join(sorted(incidents_of[joined]))}] of another incident: "
                      f"{d.reasons.get(joined, '?')}")
        if joined:
            incidents_of[joined].add(mine)
    if not shown:
        print("  none")


def print_sweep(points: list[tuple[float, dict[str, Score]]]) -> None:
    rules = sorted({rule for _, scores in points for rule in scores})
    names = [*rules, "all rules"]
    header = f"{'threshold':>9}  " + "  ".join(f"{n[:18]:>18}" for n in names) + \
        f"  {'merged':>6} {'split':>5} {'new':>4} {'upd':>4}"
    print(header)
    print(f"{'':>9}  " + "  ".join(f"{'P':>6} {'R':>5} {'ev':>4}" for _ in names))
    print("-" * len(header))
    for value, scores in points:
        cells = []
        for name in names:
            s = total(scores) if name == "all rules" else scores.get(name, Score(name))
            cells.append(f"{s.precision:>6.2f} {s.recall:>5.2f} {s.events:>4}")
        t = total(scores)
        mark = " <- shipped" if value == SHIPPED else ""
        print(f"{value:>9.2f}  " + "  ".join(f"{c:>18}" for c in cells) +
              f"  {t.merged:>6} {t.split:>5} {t.new:>4} {t.updates:>4}{mark}")
    print("ev = events opened; merged = events holding more than one incident; split = incidents spread over")
    print("several events; new, upd = new alerts and threaded updates the rules' chats received (all rules).")


async def main_async(args: argparse.Namespace) -> int:
    files = [Path(p) for p in (args.data or [DEFAULT_DATA])] + ([FOLLOW_UPS] if args.follow_ups else [])
    reports = sorted((r for path in files for r in load_reports(path)),
                     key=lambda r: r.article.published or datetime.min)
    ruleset = compile_rules(load_rules(Path(args.rules)))
    if args.threshold is not None:
        joining.JOIN_THRESHOLD = args.threshold
    chats = rule_chats(ruleset)
    print(f"Event clustering: {len(reports)} reports of {len({r.incident for r in reports})} incidents from "
          f"{len({r.article.source for r in reports})} outlets ({', '.join(p.name for p in files)}); "
          f"rules {args.rules}; "
          f"JOIN_THRESHOLD {joining.JOIN_THRESHOLD}; poll {args.lag:g} min after each report")
    print(machine())
    on = await replay(reports, ruleset, clustering=True, lag=args.lag, explain=args.explain)
    off = await replay(reports, ruleset, clustering=False, lag=args.lag)
    unmatched = sorted({r.id for r in reports} - {a["report"] for a in on.alerts})
    print(f"replay: {on.seconds:.2f} s with clustering, {off.seconds:.2f} s without; "
          f"reports no rule matched: {', '.join(unmatched) or 'none'}\n")
    s_on, s_off = score(on, reports, chats), score(off, reports, chats)
    print_main(s_on, s_off)
    with cross_rule(False):
        per_rule = await replay(reports, ruleset, clustering=True, lag=args.lag)
    with cross_language(False):
        words_only = await replay(reports, ruleset, clustering=True, lag=args.lag)
    with follow_ups(False):
        no_follow_ups = await replay(reports, ruleset, clustering=True, lag=args.lag)
    print_all_chat(incidents_score(on, reports), incidents_score(per_rule, reports), incidents_score(off, reports),
                   incidents_score(words_only, reports), incidents_score(no_follow_ups, reports))
    print_failures(s_on, reports, on)
    print_extra_alerts(on, reports)
    if args.explain:
        print_join_reasons(on)
        print_why_split(on, reports)
        print_explain(on, reports)
    if args.sweep:
        print(f"\nJOIN_THRESHOLD sweep (bot.events.joining.JOIN_THRESHOLD patched; shipped value {SHIPPED}):")
        points = []
        for value in SWEEP:
            with threshold(value):
                points.append((value, score(await replay(reports, ruleset, clustering=True, lag=args.lag),
                                            reports, chats)))
        print_sweep(points)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", action="append", help="labeled reports, JSON Lines; may be given more than once "
                        f"(default: {DEFAULT_DATA.relative_to(REPO)})")
    parser.add_argument("--follow-ups", action="store_true", help=f"add {FOLLOW_UPS.relative_to(REPO)}: late "
                        "follow-ups (2 to 7 days) and two new incidents in places already reported")
    parser.add_argument("--sweep", action="store_true", help="also sweep JOIN_THRESHOLD over 0.20-0.50")
    parser.add_argument("--explain", action="store_true", help="print every clustering decision with its scores")
    parser.add_argument("--rules", default=str(REPO / "rules"), help="rules directory (default: the shipped rules)")
    parser.add_argument("--threshold", type=float, help="run the main replay with this JOIN_THRESHOLD")
    parser.add_argument("--lag", type=float, default=2.0, help="minutes between a report's time and its poll")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
