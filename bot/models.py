"""The values that flow through the pipeline. Frozen, plain data, no I/O."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any

from bot.enums import AlertAction, AlertKind, Channel, EventStatus, UpdateKind


class Severity(IntEnum):
    """How urgent an alert is; the order is used for on-call thresholds."""

    INFO = 0      # context worth knowing, never urgent
    LOW = 1       # worth a look today
    MEDIUM = 2    # worth a look within hours
    HIGH = 3      # act now during working hours
    CRITICAL = 4  # wake someone up

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.upper()]


@dataclass(frozen=True)
class Article:
    """One news item after normalisation: plain text, canonical URL, UTC time."""

    source: str
    title: str
    text: str = ""
    url: str | None = None
    guid: str | None = None
    published: datetime | None = None
    language: str | None = None
    id: str | None = None  # caller-supplied id (e.g. `beacon match` input); not used for identity
    truncated: str | None = None  # what the length caps cut before matching, e.g. "title 1000 of 4900000 chars"
    # the date its feed gave when that lay in the future: `published` is then the arrival (time order stays true),
    # and this one is kept to be shown ("dated 03 Dec 09:00 by its feed")
    claimed_published: datetime | None = None

    @property
    def content_hash(self) -> str:
        """A digest of the words, so a re-published item with a new GUID is still recognised."""
        words = " ".join((self.title + " " + self.text).lower().split())
        return hashlib.sha256(words.encode("utf-8")).hexdigest()[:32]

    @cached_property
    def identity_keys(self) -> tuple[str, ...]:
        """Every key under which this article counts as seen: GUID, canonical URL, content.

        The GUID key includes the title, because feeds reuse GUIDs: two items sharing one, or a
        new story published under an old one, must not be swallowed as "seen".

        Cached: a poll asks for it several times per article (unseen, the commit, `key`), and the
        two SHA-256 digests were ~8% of a first cycle. cached_property writes the instance
        __dict__ directly, so it works on a frozen dataclass; the fields it derives from never change.
        """
        keys = []
        if self.guid:
            title = hashlib.sha256(" ".join(self.title.lower().split()).encode("utf-8")).hexdigest()[:12]
            keys.append(f"guid:{self.source}:{self.guid}:{title}")
        if self.url:
            keys.append(f"url:{self.url}")
        keys.append(f"hash:{self.content_hash}")
        return tuple(keys)

    @property
    def key(self) -> str:
        """The primary identity: GUID, else canonical URL, else content hash."""
        return self.identity_keys[0]


@dataclass(frozen=True)
class Validators:
    """Conditional-GET validators (ETag, Last-Modified) exactly as the server sent them."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class StoryMember:
    """An article's place in a story of syndicated copies, with its signature for rebuilding the index."""

    article_key: str
    story_id: str
    source: str
    signature: bytes
    seen_at: datetime | None = None    # when it was recorded; None for one not stored yet
    # the signature's LSH band keys, stored so that other instances find this article among copies' candidates
    bands: tuple[int, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """Why a condition held: what matched, in which field, with a short snippet."""

    kind: str          # "term", "regex", "region", "fact", ...
    value: str         # the term, pattern, region or fact that matched
    field: str = ""    # "title" or "text"
    snippet: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "value": self.value, "field": self.field, "snippet": self.snippet}


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class EventPolicy:
    """How a rule's matches become events: how long an incident stays open, when to speak first."""

    window: float = 86400.0          # seconds after its last report during which an event takes new ones
    min_sources: int = 1             # hold the first alert until this many sources report the incident
    max_wait: float = 3600.0         # ... but no longer than this (then it goes out, marked unconfirmed)
    group_wait: float = 0.0          # hold a new event's first message this long, so a burst becomes one
    escalate: tuple[tuple[Severity, Mapping[str, int]], ...] = ()  # (severity, fact minimums), any one reached
    # rule ids this rule stands in for: their matches join this rule's incidents, told under this rule's title
    supersedes: tuple[str, ...] = ()
    # facts, or the article's kind, that make a report an update only: it joins an open incident but never
    # opens one (`{troops_change: decrease}`: a pull-back is news of the build-up it ends, not a build-up;
    # `{kind: follow-up}`: a piece about last week's attack is news of that attack, not a new one)
    update_only: tuple[tuple[str, Any], ...] = ()

    @property
    def reads_kind(self) -> bool:
        """Does `update_only` name the article's kind (so a match must carry it)?"""
        return any(name == "kind" for name, _ in self.update_only)

    def only_updates(self, facts: Mapping[str, Any], kind: str | None = None) -> bool:
        """Does a report with these facts, of this kind, only update an open incident (see `update_only`)?"""
        for name, value in self.update_only:
            if name == "kind":
                if kind == value:
                    return True
            elif facts.get(name) == value:
                return True
        return False

    def severity_for(self, base: Severity, facts: Mapping[str, Any]) -> Severity:
        """The rule's severity, raised by the first `escalate` step whose fact minimum the facts reach."""
        best = base
        for severity, minimums in self.escalate:
            if any(isinstance(facts.get(name), int) and facts[name] >= floor for name, floor in minimums.items()):
                best = max(best, severity)
        return best


@dataclass(frozen=True)
class Match:
    """A rule that held for an article, with its explanation and facts as data."""

    rule_id: str
    rule_title: str
    severity: Severity
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    template: str | None = None
    key: str = ""                  # what makes two matches of this rule "the same" (rule + region by default)
    throttle: float | None = None  # seconds during which a repeat of the same key is suppressed
    policy: EventPolicy = field(default_factory=EventPolicy)
    # places named that are not where the event happened (`regions` holds that place first)
    mentioned: tuple[str, ...] = ()
    language: str | None = None    # the article's: declared by its feed, else detected (engine/language.py)
    kind: str | None = None        # the article's kind (engine/kind.py), read when the rule's update_only names it
    # the keys of `regions` (engine/regions.place_key: `georgia` the country, `us-ga` the US state), which
    # subscriptions and mutes narrow by: names may be shared, keys are not
    region_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "facts", _frozen(self.facts))

    @property
    def only_updates(self) -> bool:
        """Does this match only update an open incident of its rule (the rule's `events.update_only`)?"""
        return self.policy.only_updates(self.facts, self.kind)

    def as_dict(self) -> dict[str, Any]:
        """The `beacon match` JSON contract for one match."""
        return {
            "rule": self.rule_id,
            "severity": self.severity.label,
            "regions": list(self.regions),
            "mentioned": list(self.mentioned),
            "language": self.language,
            "facts": dict(self.facts),
            # a pull-back and the like: it joins an open incident of its rule, and alone alerts nobody
            "update_only": self.only_updates,
            "explanation": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class EventUpdate:
    """A material change to an event, as shown in its threaded reply and its history."""

    at: datetime
    kind: UpdateKind
    changes: tuple[str, ...]  # "death toll now 4, was 1", "new region: Serbia", ...
    source: str = ""
    title: str = ""
    published: datetime | None = None   # when the report was published (`at` is when it arrived)
    severity_before: Severity | None = None   # the incident's severity before, when this update raised it


@dataclass(frozen=True)
class EventRule:
    """One rule an incident was matched by: its title is shown to the chats subscribed to it."""

    id: str
    title: str
    severity: Severity
    tags: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """One incident: the matches that report it, of one rule or of several related rules
    (`rules`; `rule_id` is the leading one), with what is known so far.

    Facts are merged across reports (the highest toll, the latest troop figure), sources are
    counted once each, and material changes are kept in `updates`. Reports are folded by
    publication time: `latest_at` is the newest one's, and an older report is context only.
    """

    id: str
    rule_id: str
    rule_title: str
    key: str
    status: EventStatus              # open, or held until enough sources agree (min_sources)
    severity: Severity
    first_at: datetime
    last_at: datetime
    headline: Mapping[str, Any]      # the report the message leads with: title, url, source, published
    facts: Mapping[str, Any] = field(default_factory=dict)
    regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    reports: int = 1
    names: tuple[str, ...] = ()      # proper names seen in its reports (places, people, units)
    words: tuple[str, ...] = ()      # other salient words of its reports
    stories: tuple[str, ...] = ()    # syndicated story ids among its reports
    source_killed: Mapping[str, int] = field(default_factory=dict)  # the highest toll each outlet gave
    updates: tuple[EventUpdate, ...] = ()
    alert_id: int | None = None      # the alert whose message is edited as the event changes
    hold_until: datetime | None = None
    rules: tuple[EventRule, ...] = ()  # every rule that matched its reports (empty: `rule_id` alone)
    latest_at: datetime | None = None  # publication time of its newest report (clamped to arrival)
    places: tuple[str, ...] = ()       # every place its reports named, where they happened or in passing
    languages: tuple[str, ...] = ()    # its reports' languages with their script ("sr-Cyrl", "en-Latn")
    earliest_at: datetime | None = None  # publication time of its oldest report (clamped to arrival)
    region_keys: tuple[str, ...] = ()  # the keys of its reports' regions (Match.region_keys): what routing narrows by

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules) if self.rules else (self.rule_id,)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for r in self.rules for t in r.tags))

    def __post_init__(self) -> None:
        object.__setattr__(self, "facts", _frozen(self.facts))
        object.__setattr__(self, "headline", _frozen(self.headline))
        object.__setattr__(self, "source_killed", _frozen(self.source_killed))


@dataclass(frozen=True)
class Alert:
    """A decision to tell people about a match; stored before anything is sent."""

    article: Article
    match: Match
    created_at: datetime
    id: int | None = None
    suppressed: str | None = None  # why it was recorded but not sent (e.g. throttled), else None
    kind: AlertKind = AlertKind.ALERT
    event: Event | None = None     # the incident this alert belongs to (None with clustering off)
    action: AlertAction = AlertAction.SEND   # a new message, or for an event's later reports an update or edit
    update: EventUpdate | None = None
    held: bool = False             # recorded, waiting for more sources before anything is sent

    @property
    def rule_id(self) -> str:
        return self.match.rule_id


@dataclass(frozen=True)
class Target:
    """Where a delivery goes: a Telegram chat (and forum topic), or the terminal in dry-run mode."""

    channel: Channel
    chat_id: int = 0
    thread_id: int | None = None
    oncall: bool = False  # an on-call chat: the alert escalates (bot/escalation.py) until acknowledged


@dataclass(frozen=True)
class Message:
    """A rendered, Telegram-ready message part."""

    text: str
    parse_mode: str | None = "HTML"
    disable_notification: bool = False
    link: str | None = None
    alert_id: int | None = None     # for the Acknowledge button
    rule_id: str | None = None      # for the Mute button
    buttons: bool = False           # only the last part of an alert carries them
    acknowledged: bool = False      # then the Acknowledge button is gone
    judged: bool = False            # judged not relevant in this chat: "Relevant after all" instead
    event_id: str | None = None     # the incident it tells (printed in dry-run mode)


@dataclass(frozen=True)
class Delivery:
    """One (alert, target) row of the outbox, as the delivery worker sees it."""

    id: int
    alert: Alert
    target: Target
    attempts: int = 0
    possible_repeat: bool = False  # an earlier send timed out after Telegram may have accepted it
    parts_sent: int = 0            # parts of a split message already accepted
    action: AlertAction = AlertAction.SEND
    event_id: str | None = None
