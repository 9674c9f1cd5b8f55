"""Every set of states Beacon stores or passes between modules, one StrEnum each.

A member is its value: it equals, hashes, formats and JSON-encodes as that plain string, and
SQLite stores it as TEXT. So the state database and every JSON output are byte-for-byte what
they were when these were string literals, and a row read back as a plain string compares
equal to its member. Compare with `==` (never `is`): values read from the database or from
an older payload are plain strings until converted.

The values are stored: never rename one (tests/test_enums.py pins each set). A new state
needs a new member here and, where SQL text names it, the query that handles it.
"""

from __future__ import annotations

from enum import StrEnum


class OutboxStatus(StrEnum):
    """`outbox.status`: where one (alert, chat) delivery stands."""

    PENDING = "pending"      # waiting for its turn, or for a retry
    SENDING = "sending"      # claimed before the send; found at start-up, it was interrupted mid-send
    SENT = "sent"            # Telegram accepted it (or the terminal printed it)
    DEAD = "dead"            # given up: a failure of its own, or the chat is gone
    MUTED = "muted"          # a mute covered it when it was queued: recorded, never sent
    HELD = "held"            # kept back (quiet hours, a digest, the hourly ceiling) until it joins a digest
    DIGESTED = "digested"    # told in a digest message instead
    SKIPPED = "skipped"      # nothing left to send (the event's message already shows it, acknowledged first)


class AlertStatus(StrEnum):
    """`alerts.status`: what was decided about one alert (the `decision` of an event's reports)."""

    QUEUED = "queued"            # a new message
    UPDATE = "update"            # an event's message edited and a threaded reply sent
    EDIT = "edit"                # an event's message edited only
    HELD = "held"                # waiting for more sources before anything is sent
    SUPPRESSED = "suppressed"    # recorded, not sent (throttled, a story already told, ...)


class AlertKind(StrEnum):
    """`Alert.kind`: who speaks and why; stored in the alert's payload as "kind"."""

    ALERT = "alert"              # a rule matched a report
    NOTICE = "notice"            # Beacon to its admins (a failing source, an alert given up)
    DIGEST = "digest"            # held alerts told together
    ESCALATION = "escalation"    # on-call: a re-notification, a mention, an acknowledgement (bot/escalation.py)


class AlertAction(StrEnum):
    """`Alert.action` and `outbox.action`: what the delivery does in the chat."""

    SEND = "send"        # a new message
    UPDATE = "update"    # edit the event's message and reply under it with what changed
    EDIT = "edit"        # edit the event's message only (one more source, nothing material)


class EventStatus(StrEnum):
    """`events.status`."""

    OPEN = "open"        # told (or being told), taking new reports within its window
    HELD = "held"        # waiting until enough sources report it (`min_sources`) or its wait ends


class UpdateKind(StrEnum):
    """`EventUpdate.kind`: the direction of a material change to an event."""

    UPDATE = "update"                # worse or new: a higher toll, a new region
    DEESCALATION = "deescalation"    # only figures going down


class Channel(StrEnum):
    """`Target.channel` and `outbox.channel`: where a delivery goes."""

    TELEGRAM = "telegram"
    TERMINAL = "terminal"    # dry-run mode: printed, never sent


class ChatStatus(StrEnum):
    """`chats.status`."""

    ACTIVE = "active"
    GONE = "gone"        # blocked, kicked, deleted or migrated: subscriptions paused, queued rows parked


class NotifyKind(StrEnum):
    """`Notify.kind`: one message an on-call escalation step sends (stored in the message's facts as "notify")."""

    RENOTIFY = "renotify"            # a reply under the alert in an on-call chat
    ALERT = "alert"                  # the alert itself, to a chat of the chain that lacks it
    MENTION = "mention"              # a message mentioning people in a chat of the chain
    ACKNOWLEDGED = "acknowledged"    # the chain is over: who acknowledged, told to the other on-call chats


class DigestEvery(StrEnum):
    """`chat_settings.digest` (`/digest`): how often low-severity alerts are gathered into one message."""

    HOURLY = "hourly"
    DAILY = "daily"


class SourceHealth(StrEnum):
    """A source's health in `beacon sources` and `/status` (its row adds the count when failing)."""

    OK = "ok"
    FAILING = "failing"
    DISABLED = "disabled"            # the source said it is gone; `beacon sources enable` restores it
    NOT_POLLED = "not polled yet"


class HealthStatus(StrEnum):
    """`/healthz`'s "status"."""

    OK = "ok"
    DEGRADED = "degraded"    # with the problems listed; the heartbeat stops pinging


class SchedulerState(StrEnum):
    """`/healthz`'s "scheduler": APScheduler's state as health sees it."""

    STARTING = "starting"
    RUNNING = "running"
    STOPPED = "stopped"


class TelegramState(StrEnum):
    """`/healthz`'s "telegram"."""

    CONNECTED = "connected"      # the Bot API answered getMe
    DRY_RUN = "dry_run"          # no token: alerts are printed
    UNREACHABLE = "unreachable"


class PollResult(StrEnum):
    """The `result` label of `beacon_polls`."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"
    SKIPPED = "skipped"


class BacktestAction(StrEnum):
    """What a backtest decided for one article about one incident: the "action" of `beacon backtest` JSON."""

    NEW = "alert"                # a new message: an event's first alert, or a match without clustering
    UPDATE = "update"            # an event's message edited and a threaded reply sent
    EDIT = "edit"                # an event's message edited (one more source)
    HELD = "held"                # waiting for more sources (then sent as NEW, or promoted by a later report)
    SUPPRESSED = "suppressed"


class RuleChangeStatus(StrEnum):
    """A rule in `beacon backtest --compare`: the "status" of its row in the JSON output."""

    CHANGED = "changed"      # in both rule folders (its alerts may still be the same)
    NEW = "new"              # only in the other rules
    GONE = "gone"            # only in the current rules


class DeliveryResult(StrEnum):
    """The `result` label of `beacon_deliveries`: what one delivery attempt came to."""

    SENT = "sent"
    RETRY = "retry"
    DEAD = "dead"


class LeaseName(StrEnum):
    """`leases.name`: work that one instance at a time does when several Beacons share a database."""

    COMMANDS = "telegram-commands"   # the one getUpdates poller (the leader)
    TIMERS = "timers"                # held releases, trend flatlines and escalation steps, fired once


class ClusterMode(StrEnum):
    """How many `beacon run` may share the database (`cluster.mode`, docs/operations.md)."""

    SINGLE = "single"    # one process; a second one on the data dir is refused (SQLite's default)
    SHARED = "shared"    # any number: leases, one leader, shared pacing (PostgreSQL's default)
