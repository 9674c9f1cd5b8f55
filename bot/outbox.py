"""The delivery worker: drains the outbox within rate limits, in order per chat, at least once.

It knows nothing of Telegram: a `Sender` turns each send into a `SendOutcome`, and the
worker decides from the outcome (retry when, give up, move the chat, resend as plain text).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from bot.enums import AlertAction, AlertKind, Channel, DeliveryResult, OutboxStatus
from bot.errors import StoreError
from bot.faults import fault_point
from bot.holds import Hold, hold_for
from bot.models import Alert, Delivery, Event, Message, Severity, Target
from bot.reachability import PROBE_INTERVAL, Reachability
from bot.render import Renderer, View
from bot.routing import Incident, incident_keys, selected_rules, titles
from bot.store import ChatSettings, Store
from bot.telegram.markup import visible_text

log = logging.getLogger(__name__)

MAX_BACKOFF = 300.0


class Outcome(Enum):
    SENT = "sent"
    RETRY_AFTER = "retry_after"      # flood control: wait exactly what Telegram says
    TRANSIENT = "transient"          # never reached Telegram, or 5xx: retry with backoff
    UNCERTAIN = "uncertain"          # timed out after sending: it may have arrived
    CHAT_GONE = "chat_gone"          # blocked, kicked, deactivated, chat not found
    MIGRATED = "migrated"            # group became a supergroup with a new id
    BAD_MARKUP = "bad_markup"        # Telegram could not parse our HTML
    REJECTED = "rejected"            # any other permanent refusal
    UNAUTHORIZED = "unauthorized"    # the token was revoked: keep everything queued


# No answer from the API: an outage unless the API answers others meanwhile (bot/reachability.py)
NO_ANSWER = frozenset({Outcome.TRANSIENT, Outcome.UNCERTAIN, Outcome.UNAUTHORIZED})


@dataclass(frozen=True)
class SendOutcome:
    kind: Outcome
    message_id: int | None = None
    retry_after: float | None = None
    new_chat_id: int | None = None
    error: str = ""


class Sender(Protocol):
    async def send(self, target: Target, message: Message, *, reply_to: int | None = None) -> SendOutcome: ...

    async def edit(self, target: Target, message_id: int, message: Message) -> SendOutcome: ...


# A sender may also have `probe() -> bool`: a cheap call (Telegram's getMe) telling whether its API
# answers at all, asked while every send fails. Without one, sends are simply tried again.
Probe = Callable[[], Awaitable[bool]]


@dataclass
class Pacing:
    """Telegram's published limits, with a margin: ~30 msg/s overall, 1/s per chat, 20/min per group."""

    global_per_second: float = 28.0   # fan-out measured within 10% of the ideal, with no 429s
    chat_interval: float = 1.05
    group_interval: float = 3.1


class SharedClaims(Protocol):
    """Several instances on one database (bot/instances.Cluster): who claims, and until when a claim stands."""

    id: str

    def claim_until(self) -> datetime: ...


class Pacer:
    """Decides when the next message to a chat may go; waits for the global rate (in this process:
    bot/instances.SharedPacer paces several)."""

    def __init__(self, pacing: Pacing, monotonic: Callable[[], float]) -> None:
        self.pacing = pacing
        self.monotonic = monotonic
        self.next_for_chat: dict[tuple[str, int], float] = {}
        self.next_global = 0.0

    def chat_ready_in(self, target: Target) -> float:
        return max(0.0, self.next_for_chat.get((target.channel, target.chat_id), 0.0) - self.monotonic())

    async def acquire(self, target: Target) -> None:
        if target.channel != Channel.TELEGRAM:
            return
        # Book the slot before sleeping: sleeping first and booking from "now" afterwards loses the
        # event loop's wake-up lateness (measured ~1 ms) on every message, ~3% of the rate.
        now = self.monotonic()
        key = (target.channel, target.chat_id)
        slot = max(now, self.next_global, self.next_for_chat.get(key, 0.0))
        self.next_global = slot + 1.0 / self.pacing.global_per_second
        interval = self.pacing.group_interval if target.chat_id < 0 else self.pacing.chat_interval
        self.next_for_chat[key] = slot + interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def hold_chat(self, target: Target, seconds: float) -> None:
        key = (target.channel, target.chat_id)
        self.next_for_chat[key] = max(self.next_for_chat.get(key, 0.0), self.monotonic() + seconds)


def _severity(label: str | None) -> Severity:
    """A chat's `silent_below` setting; by default low and info alerts arrive without a sound."""
    try:
        return Severity.parse(label) if label else Severity.MEDIUM
    except KeyError:
        return Severity.MEDIUM


def digest_line(alert: Alert, event: Event | None) -> str:
    """One held alert in a digest (plain text: the digest is escaped as a whole)."""
    severity = event.severity if event else alert.match.severity
    facts = dict(event.facts if event else alert.match.facts)
    title = " / ".join(titles(Incident(event.rules, event.regions, event.severity, new=False), [])) \
        if event is not None and event.rules else alert.match.rule_title
    headline = str(event.headline.get("title") or alert.article.title) if event is not None else alert.article.title
    parts = [f"• {title} ({severity.label}): {headline}"]
    if facts:
        parts.append("  " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in facts.items()))
    sources = event.sources if event else (alert.article.source,)
    parts.append(f"  {len(sources)} source{'s' if len(sources) != 1 else ''}: {', '.join(sources)}"
                 + (f" · {alert.article.url}" if alert.article.url else ""))
    return "\n".join(parts)


def backoff(attempts: int) -> float:
    """Capped exponential backoff with full jitter, in seconds."""
    return random.uniform(0.5, 1.0) * min(MAX_BACKOFF, 2.0 ** max(0, attempts - 1))


class OutboxWorker:
    """Sends due outbox rows through the senders, one per channel (`Channel`: Telegram, the terminal)."""

    def __init__(self, store: Store, renderer: Renderer, senders: dict[str, Sender], *,
                 now: Callable[[], datetime], monotonic: Callable[[], float],
                 pacing: Pacing | None = None, max_attempts: int = 50, max_in_flight: int = 16,
                 on_delivered: Callable[[Delivery, DeliveryResult], None] | None = None,
                 max_per_hour: int | None = None, never_held: frozenset[int] = frozenset(),
                 notify_admins: Callable[[str], None] | None = None, probe_interval: float = PROBE_INTERVAL,
                 on_reachability: Callable[[str, bool], None] | None = None,
                 shared: SharedClaims | None = None, pacer: Pacer | None = None) -> None:
        self.shared = shared              # several instances: claims carry a lease, expired ones are resent
        self.notify_admins = notify_admins          # an alert given up for a reason of its own is reported
        self.on_reachability = on_reachability      # (channel, answers?): metrics
        self.never_held = never_held      # on-call chats: quiet hours, digests and the ceiling do not apply
        self.max_per_hour = max_per_hour  # default ceiling of new alerts per chat and hour (a chat may set its own)
        self.on_delivered = on_delivered  # (row, what the attempt came to): metrics
        self.store = store
        self.renderer = renderer
        self.senders = senders
        self.now = now
        self.pacer = pacer or Pacer(pacing or Pacing(), monotonic)
        self.max_attempts = max_attempts
        self.max_in_flight = max_in_flight
        self.wakeup = asyncio.Event()
        self.sent_count = 0
        self.unrecorded = False   # a row may be left `sending` (crash, or the database refused): requeue it
        self.reach = Reachability(monotonic, probe_interval)

    def notify(self) -> None:
        """New rows were committed: look at the outbox now rather than at the next tick."""
        self.wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; finishes the send in flight, never abandons a claimed row."""
        self.unrecorded = True   # rows a crash left `sending`
        while not stop.is_set():
            # cleared before the pass, not after: a notify() that arrives during the pass (new rows, a channel
            # answering again) must end the wait below at once, not be lost until the next tick
            self.wakeup.clear()
            try:
                recovered = self._recover()   # logs its own refusal
                delivered = await self.deliver_due() if recovered else 0
                if delivered:
                    continue
                timeout = 1.0 if self.unrecorded or not recovered else self._idle_wait()
            except StoreError as exc:   # the database away (a PostgreSQL restart): the rows wait in it
                log.error("outbox: %s; delivery paused, retrying", exc)
                timeout = 1.0
            stop_task = asyncio.ensure_future(stop.wait())
            wake_task = asyncio.ensure_future(self.wakeup.wait())
            try:
                await asyncio.wait({stop_task, wake_task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stop_task.cancel()
                wake_task.cancel()

    def _idle_wait(self) -> float:
        # rows of a channel that is down wait for its probe, not for their own time
        next_due = self.store.outbox.next_due_time(exclude_channels=self.reach.down_channels())
        due = min((t for t in (next_due, self.store.outbox.next_hold_release()) if t is not None), default=None)
        wait = 5.0
        if due is not None:
            wait = min(5.0, max(0.05, (due - self.now()).total_seconds()))
        probe = self.reach.next_probe_in()
        if probe is not None:
            wait = min(wait, max(0.05, probe))
        return wait

    async def drain(self, deadline: float) -> bool:
        """Deliver until nothing is pending or `deadline` seconds pass; True if the outbox is empty."""
        self.unrecorded = True
        loop = asyncio.get_running_loop()
        end = loop.time() + deadline
        while loop.time() < end:
            if self._recover():
                await self.deliver_due()
            counts = self.store.outbox.counts()
            if not counts.get(OutboxStatus.PENDING) and not counts.get(OutboxStatus.SENDING):
                return True
            await asyncio.sleep(min(1.0 if self.unrecorded else self._idle_wait(), max(0.0, end - loop.time())))
        return False

    def _recover(self) -> bool:
        """Requeue rows left `sending` (by a crash, or a send whose outcome the database refused to record),
        marked as possible repeats. Only between passes, when nothing is in flight. False while the database
        refuses."""
        if not self.unrecorded and self.shared is None:
            return True
        try:
            # several instances: every pass, and only claims whose lease ran out (their holder died)
            requeued = self.store.outbox.recover_interrupted(None if self.shared is None else self.now())
        except StoreError as exc:
            log.error("outbox: %s; delivery paused, retrying", exc)
            return False
        self.unrecorded = False
        if requeued:
            log.warning("outbox: %d message%s found mid-send (interrupted by a stop, a crash or a refused write) "
                        "requeued, marked as possible repeats", requeued, "" if requeued == 1 else "s")
        return True

    def _refused(self, delivery: Delivery, exc: StoreError) -> None:
        """The database refused a write (full, locked): the row stays queued or `sending`, requeued after the pass."""
        log.error("delivery %s to chat %s not recorded: %s; it will be retried", delivery.id,
                  delivery.target.chat_id, exc)
        self.unrecorded = True

    async def deliver_due(self) -> int:
        """One pass over the due rows (the head of each chat's queue); returns how many went out.

        Different chats are sent to concurrently (a real round trip is ~100 ms, so one at a time
        would top out near 10 msg/s); each chat has at most one row here, so its order holds.
        """
        self.release_digests()
        await self._probe()
        down = self.reach.down_channels()
        due = [d for d in self.store.outbox.due(self.now(), limit=200)
               if d.target.channel in self.senders and d.target.channel not in down
               and self.pacer.chat_ready_in(d.target) <= 0]
        if not due:
            return 0
        slots = asyncio.Semaphore(self.max_in_flight)

        async def one(delivery: Delivery) -> bool:
            async with slots:
                if self.unrecorded:   # the database refused a write in this pass: each try would wait busy_timeout
                    return False
                if self.reach.is_down(delivery.target.channel):   # found down in this pass: wait for its probe
                    return False
                try:
                    return await self.deliver(delivery)
                except StoreError as exc:
                    self._refused(delivery, exc)
                    return False
                except Exception as exc:  # one bad row must not stop the others
                    log.exception("delivery %s failed unexpectedly; it will be retried", delivery.id)
                    error = f"internal error: {type(exc).__name__}"
                    try:
                        if delivery.attempts + 1 >= self.max_attempts:
                            self._give_up(delivery, delivery.target, error)
                        else:
                            self.store.outbox.mark_retry(delivery.id, error,
                                                         self.now() + timedelta(seconds=backoff(delivery.attempts + 1)))
                    except StoreError as store_exc:
                        self._refused(delivery, store_exc)
                    return False

        results = await asyncio.gather(*(one(d) for d in due))
        return sum(results)

    async def _probe(self) -> None:
        """Ask each channel that stopped answering whether it answers now (every few seconds, not every pass)."""
        for channel in self.reach.probes_due():
            probe: Probe | None = getattr(self.senders.get(channel), "probe", None)
            started = self.pacer.monotonic()
            answers = True
            if probe is not None:
                answers = await probe()
            if answers:
                self._answered(channel)
            else:
                self.reach.probe_failed(channel, started)
                log.debug("%s still unreachable after %.0fs", channel, self.reach.down_for(channel))

    def _answered(self, channel: str) -> None:
        """The API answered: if that ends an outage, everything that waited is due now, oldest first per chat."""
        down_for = self.reach.answered(channel)
        if down_for is None:
            return
        log.warning("%s answers again after %.0fs unreachable; sending the %d queued messages", channel, down_for,
                    self.store.outbox.counts().get(OutboxStatus.PENDING, 0))
        if self.on_reachability is not None:
            self.on_reachability(channel, True)
        self.wakeup.set()

    async def _send(self, target: Target, message: Message, reply_to: int | None = None) -> SendOutcome:
        outcome = await self.senders[target.channel].send(target, message, reply_to=reply_to)
        if outcome.kind not in NO_ANSWER:
            self._answered(target.channel)
        return outcome

    async def _edit(self, target: Target, message_id: int, message: Message) -> SendOutcome:
        outcome = await self.senders[target.channel].edit(target, message_id, message)
        if outcome.kind not in NO_ANSWER:
            self._answered(target.channel)
        return outcome

    async def deliver(self, delivery: Delivery) -> bool:
        """Claim, then send (or update an event's message), record the outcome. True if fully delivered."""
        if self.shared is None:
            claimed = self.store.outbox.claim(delivery.id)
        else:
            claimed = self.store.outbox.claim(delivery.id, self.shared.id, self.shared.claim_until())
        if not claimed:
            return False
        self.reach.sending(delivery.id)
        fault_point("after_claim")
        target = delivery.target
        settings = self.store.chats.settings(target.chat_id) if target.channel == Channel.TELEGRAM else None
        event = self.store.events.get(delivery.event_id) if delivery.event_id else None
        if (delivery.action == AlertAction.SEND and delivery.alert.kind == AlertKind.ALERT and settings is not None
                and target.chat_id not in self.never_held):
            hold = self._hold(delivery, settings, event)
            if hold is not None:
                self.store.outbox.mark_held(delivery.id, hold.until, hold.reason)
                self.reach.done(delivery.id)
                log.info("alert %s to chat %s held until %s: %s", delivery.alert.id, target.chat_id,
                         hold.until.isoformat(timespec="minutes"), hold.reason)
                return False
        view = View(event=event, timezone=settings.timezone if settings else None,
                    silent_below=_severity(settings.silent_below if settings else None),
                    titles=self._titles(target, event))
        if delivery.action == AlertAction.SEND:
            if event is not None and event.alert_id:
                acknowledged = self.store.escalations.acknowledgement(event.alert_id, target.chat_id)
                view = dataclasses.replace(view, acknowledged=acknowledged,
                                           judged=self.store.feedback.judged(event.alert_id, target.chat_id))
            parts = self.renderer.render(delivery.alert, possible_repeat=delivery.possible_repeat, view=view)
            # on-call (bot/escalation.py): an escalation message replies under the alert it escalates
            reply_to = None
            if delivery.alert.kind == AlertKind.ESCALATION:
                reply_to = self.store.escalations.escalated_message_id(delivery.id)
            return await self._send_parts(delivery, parts, reply_to=reply_to)
        return await self._update_event(delivery, event, view)

    async def _update_event(self, delivery: Delivery, event: Event | None, view: View) -> bool:
        """An event's later report: edit its first message to show the event now, then (for a
        material change) reply under it with what changed. Skipped where the first message
        already showed it (sent after this report came in: `group_wait`, a retry)."""
        target = delivery.target
        original = None
        if event is not None:
            original = self.store.events.original_delivery(event.id, target.channel, target.chat_id,
                                                           target.thread_id, before=delivery.id)
        first = self.store.alerts.get(event.alert_id) if event is not None and event.alert_id else None
        never_reached = original is None or original.status == OutboxStatus.DEAD
        if event is None or first is None or original is None or original.status == OutboxStatus.MUTED \
                or never_reached:
            if event is not None and never_reached:
                # its first message never reached this chat (given up, or the incident only now reaches the
                # chat: a later report, an update or a plain edit, moved it into the chat's region or added a
                # rule it follows): send the event as it stands, in full, as a new alert there
                parts = self.renderer.render(first or delivery.alert, view=view)
                return await self._send_parts(delivery, parts)
            return self._skip(delivery, "the event's first message is not in this chat")
        if original.status in (OutboxStatus.HELD, OutboxStatus.DIGESTED):
            return self._skip(delivery, "the event's first alert is held for a digest, which shows it as it is then")
        if original.sent_at is not None and original.sent_at >= delivery.alert.created_at:
            return self._skip(delivery, "the event's first message was sent after this report and shows it")
        message_id = original.message_id
        if original.status != OutboxStatus.SENT or message_id is None:
            self.store.outbox.mark_retry(delivery.id, "the event's first message is not sent yet",
                                         self.now() + timedelta(seconds=5), count_attempt=False)
            self.reach.done(delivery.id)
            return False
        acknowledged = self.store.escalations.acknowledgement(first.id or 0, target.chat_id)
        # the edit redraws the buttons: Acknowledge gone once acknowledged, Not relevant as this chat left it
        view = dataclasses.replace(view, acknowledged=acknowledged,
                                   judged=self.store.feedback.judged(first.id or 0, target.chat_id))
        if delivery.parts_sent == 0:
            parts = self.renderer.render(first, view=view)
            await self.pacer.acquire(target)
            outcome = await self._edit(target, message_id, parts[0] if len(parts) == 1 else
                                       dataclasses.replace(parts[0], buttons=False))
            if outcome.kind is Outcome.REJECTED:  # too old to edit, or deleted: the reply still tells them
                log.warning("could not edit event %s's message in chat %s: %s", event.id, target.chat_id, outcome.error)
            elif outcome.kind is not Outcome.SENT:
                self._record_failure(delivery, target, outcome, 0)
                return False
            if delivery.action == AlertAction.UPDATE:
                self.store.outbox.mark_progress(delivery.id, 1, None)
        if delivery.action == AlertAction.UPDATE:
            reply = self.renderer.render_update(delivery.alert, view)
            await self.pacer.acquire(target)
            outcome = await self._send(target, reply, reply_to=message_id)
            if outcome.kind is not Outcome.SENT:
                self._record_failure(delivery, target, outcome, 1)
                return False
            fault_point("after_send")
            self.store.outbox.mark_sent(delivery.id, self.now(), outcome.message_id)
        else:
            self.store.outbox.mark_sent(delivery.id, self.now(), message_id)
        self.reach.done(delivery.id)
        self.sent_count += 1
        if self.on_delivered is not None:
            self.on_delivered(delivery, DeliveryResult.SENT)
        return True

    def release_digests(self) -> int:
        """Alerts whose hold is over (quiet hours ended, digest time, ceiling freed) go out as one digest
        per chat, each line showing its event as it stands now."""
        due = self.store.outbox.held_due(self.now())
        for target, rows in due.items():
            lines = []
            reasons = sorted({row.reason for row in rows})
            severity = Severity.INFO
            for row in rows:
                event = self.store.events.get(row.event_id) if row.event_id else None
                lines.append(digest_line(row.alert, event))
                severity = max(severity, event.severity if event else row.alert.match.severity)
            count = len(rows)
            title = f"Digest: {count} alert{'s' if count != 1 else ''} held ({'; '.join(reasons)})"
            if self.store.outbox.queue_digest(target, title, "\n\n".join(lines), severity, [r.id for r in rows],
                                              self.now()) is None:
                continue   # another instance sent this digest
            log.info("chat %s: %d held alerts released as one digest", target.chat_id, count)
        return len(due)

    def _titles(self, target: Target, event: Event | None) -> tuple[str, ...]:
        """The titles of the incident's rules this chat subscribed to (all of them where it subscribed to none:
        the terminal, an on-call chat), the superseded left out (bot/routing.py)."""
        if event is None or not event.rules:
            return ()
        incident = Incident(event.rules, incident_keys(event.region_keys, event.regions), event.severity, new=False)
        rules: list[str] = []
        if target.channel == Channel.TELEGRAM:
            rules = [r for sub in self.store.chats.subscriptions(target.chat_id) if sub.thread_id == target.thread_id
                     for r in selected_rules(sub, incident)]
        return tuple(titles(incident, rules))

    def _skip(self, delivery: Delivery, why: str) -> bool:
        self.store.outbox.mark_skipped(delivery.id, self.now(), why)
        self.reach.done(delivery.id)
        return True

    def _hold(self, delivery: Delivery, settings: ChatSettings, event: Event | None) -> Hold | None:
        now = self.now()
        ceiling = settings.max_per_hour or self.max_per_hour
        target = delivery.target
        sent = self.store.outbox.sent_since(target.channel, target.chat_id, now - timedelta(hours=1)) if ceiling else []
        severity = event.severity if event else delivery.alert.match.severity
        try:
            return hold_for(severity, now, quiet=settings.quiet, timezone=settings.timezone, digest=settings.digest,
                            max_per_hour=ceiling, sent_last_hour=sent)
        except ValueError as exc:  # a setting stored before validation tightened: send rather than lose it
            log.warning("chat %s: ignoring a bad delivery setting: %s", delivery.target.chat_id, exc)
            return None

    async def _send_parts(self, delivery: Delivery, parts: list[Message], reply_to: int | None = None) -> bool:
        """Send every part not yet accepted, in order; record progress, then the outcome."""
        first_id: int | None = None
        target = delivery.target
        for index in range(delivery.parts_sent, len(parts)):
            await self.pacer.acquire(target)
            if self.shared is not None and index > delivery.parts_sent:   # a long message keeps its claim
                self.store.outbox.renew_claim(delivery.id, self.shared.id, self.shared.claim_until())
            outcome = await self._send(target, parts[index], reply_to=reply_to)
            if outcome.kind is Outcome.BAD_MARKUP:
                log.warning("chat %s refused our HTML (%s); resending as plain text", target.chat_id, outcome.error)
                plain = dataclasses.replace(parts[index], text=visible_text(parts[index].text), parse_mode=None)
                await self.pacer.acquire(target)
                outcome = await self._send(target, plain)
            if outcome.kind is Outcome.MIGRATED and outcome.new_chat_id is not None:
                log.warning("chat %s migrated to %s; moving its subscriptions and queue",
                            target.chat_id, outcome.new_chat_id)
                self.store.chats.move(target.chat_id, outcome.new_chat_id, self.now())
                target = Target(target.channel, outcome.new_chat_id, target.thread_id)
                await self.pacer.acquire(target)
                outcome = await self._send(target, parts[index])
            if outcome.kind is not Outcome.SENT:
                self._record_failure(delivery, target, outcome, index)
                return False
            fault_point("after_send")
            first_id = first_id or outcome.message_id
            if len(parts) > 1:
                self.store.outbox.mark_progress(delivery.id, index + 1, first_id)
        self.store.outbox.mark_sent(delivery.id, self.now(), first_id)
        self.reach.done(delivery.id)
        self.sent_count += 1
        if self.on_delivered is not None:
            self.on_delivered(delivery, DeliveryResult.SENT)
        return True

    def _record_failure(self, delivery: Delivery, target: Target, outcome: SendOutcome, part: int) -> None:
        error = f"{outcome.kind.value}: {outcome.error}".strip(": ")
        now = self.now()
        chat = target.chat_id
        was_down = self.reach.is_down(target.channel)
        if outcome.kind is Outcome.RETRY_AFTER:
            wait = outcome.retry_after or 1.0
            self.pacer.hold_chat(target, wait)
            self.store.outbox.mark_retry(delivery.id, error, now + timedelta(seconds=wait), count_attempt=False)
            log.info("flood control for chat %s: waiting %.0fs as told", chat, wait)
            if self.on_delivered is not None:
                self.on_delivered(delivery, DeliveryResult.RETRY)
        elif outcome.kind in (Outcome.CHAT_GONE, Outcome.MIGRATED):
            parked = self.store.chats.mark_gone(chat, outcome.error or outcome.kind.value, now)
            self.reach.done(delivery.id)
            log.error("chat %s can no longer receive alerts (%s); paused its subscriptions, %d queued rows parked",
                      chat, outcome.error, parked)
            if self.on_delivered is not None:
                self.on_delivered(delivery, DeliveryResult.DEAD)
        elif outcome.kind is Outcome.REJECTED:
            self._give_up(delivery, target, error)
        elif outcome.kind in NO_ANSWER and not self.reach.unreachable(target.channel, delivery.id):
            self._wait_for_channel(delivery, target, outcome, error, part, began=not was_down)
        elif delivery.attempts + 1 >= self.max_attempts:
            self._give_up(delivery, target, error)
        else:
            uncertain = outcome.kind is Outcome.UNCERTAIN and part >= delivery.parts_sent
            delay = backoff(delivery.attempts + 1)
            self.store.outbox.mark_retry(delivery.id, error, now + timedelta(seconds=delay), possible_repeat=uncertain)
            log.warning("alert %s to chat %s not delivered (%s); retry in %.1fs",
                        delivery.alert.id, chat, error, delay)
            if self.on_delivered is not None:
                self.on_delivered(delivery, DeliveryResult.RETRY)

    def _wait_for_channel(self, delivery: Delivery, target: Target, outcome: SendOutcome, error: str,
                          part: int, *, began: bool) -> None:
        """The API is unreachable as a whole: the row keeps its attempts and is due the moment the channel
        answers again (the worker sends nothing to the channel meanwhile but its probe)."""
        uncertain = outcome.kind is Outcome.UNCERTAIN and part >= delivery.parts_sent
        self.store.outbox.mark_retry(delivery.id, error, self.now(), possible_repeat=uncertain, count_attempt=False)
        if began:
            log.warning("%s unreachable (%s): queued alerts wait and no attempt counts against them; asking "
                        "every %.0fs whether it answers", target.channel, error, self.reach.probe_interval)
            if self.on_reachability is not None:
                self.on_reachability(target.channel, False)
        if self.on_delivered is not None:
            self.on_delivered(delivery, DeliveryResult.RETRY)

    def _give_up(self, delivery: Delivery, target: Target, error: str) -> None:
        """A failure of this alert's own (a 400 for this message, too many failures while the API answered
        others): mark it dead, and tell the admins, who can requeue it with `beacon outbox retry`."""
        self.store.outbox.mark_dead(delivery.id, error)
        self.reach.done(delivery.id)
        log.error("alert %s (outbox row %s) to chat %s given up: %s; requeue with: beacon outbox retry --id %s",
                  delivery.alert.id, delivery.id, target.chat_id, error, delivery.id)
        if self.on_delivered is not None:
            self.on_delivered(delivery, DeliveryResult.DEAD)
        # a notice about a notice could loop
        if self.notify_admins is not None and delivery.alert.kind != AlertKind.NOTICE:
            self.notify_admins(given_up_notice(delivery, target, error))


def given_up_notice(delivery: Delivery, target: Target, error: str) -> str:
    """What the admins read when an alert is given up: which, where, why, and how to send it again."""
    where = f"chat {target.chat_id}" + (f" (topic {target.thread_id})" if target.thread_id else "")
    return (f"An alert could not be delivered and was given up: {delivery.alert.match.rule_title}: "
            f"{delivery.alert.article.title}\nTo: {where}\nWhy: {error}\n"
            f"Send it again with: beacon outbox retry --id {delivery.id}")
