"""Trend rules in `beacon run`: the trend stage for the daemon's life, its state saved with every commit.

Why the state is saved rather than rebuilt on start from the stored incidents: a rebuild would know
the incidents, but not which windows already fired (it would alert again after every restart, or
need the trend alerts read back and matched to windows), nor when each source last brought an
article (a flatline's silence), and a spike looks back several windows, often further than the
events kept for follow-ups. The state is small (the incidents within each rule's look-back), so it
is saved as one JSON document in the same transaction as the poll's seen-marks and alerts: a crash
leaves both or neither, and a trend alert is never sent twice nor lost. A poll that brought nothing
a trend keeps (no incident of a counted rule, no article from a watched source) writes nothing.

A poll whose commit fails is read again on the next poll, so the evaluator goes back to the state of
the last commit (`rollback`): the poll's incidents are counted when they are committed.

Several instances on one database share the one saved state. Each decides on its own copy first,
without waiting for anyone; a commit that changes the state then holds the saved row (`TrendStore.hold`,
a row lock until the commit) and, when another instance saved since this one last read or wrote it,
reads it again and decides the step again on it (`TrendCommit.settle`). So the incidents every
instance saw are counted together, and a trend two instances complete at once fires once: the second
to commit sees the window the first one's alert consumed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, Protocol

from bot.engine import RuleSet
from bot.models import Alert
from bot.store.trends import SavedTrendState
from bot.trends.evaluate import TrendEvaluator
from bot.trends.stage import TrendStage, trend_rules

log = logging.getLogger(__name__)


class TrendStateStore(Protocol):
    """Where the state lives between runs and instances (bot/store/trends.py)."""

    def saved(self) -> SavedTrendState: ...

    def hold(self, now: datetime) -> int: ...

    def save(self, state: Mapping[str, Any], now: datetime) -> int: ...


class StaleTrendState(RuntimeError):
    """A commit that changed the trend state without settling its alerts, while another instance saved."""


class TrendCommit:
    """One commit's view of the trend state: `settle` inside the transaction, before the alerts are queued."""

    def __init__(self, trends: LiveTrends, now: datetime) -> None:
        self._trends = trends
        self._now = now
        self.settled = False

    def settle(self, alerts: Sequence[Alert]) -> list[Alert]:
        """The alerts to queue, with the trend alerts among them as the shared state decides them.

        When this step changed the state, the saved row is held until the commit; if another instance
        saved since, its state is read and the step (the poll's incidents, or the clock's tick) decided
        again on it, and its trend alerts replace the ones decided on the older copy."""
        self.settled = True
        return self._trends.settle(alerts, self._now)


class LiveTrends:
    """The trend stage of `beacon run`: decided with each poll, ticked by a job, saved with each commit."""

    def __init__(self, ruleset: RuleSet, states: TrendStateStore) -> None:
        self.states = states
        saved = states.saved() if trend_rules(ruleset) else SavedTrendState(0, None)   # no trend rules: no read
        self.stage = TrendStage(ruleset)
        self.ruleset = ruleset
        self._generation = saved.generation
        self._read(saved.state)
        self._saved: Mapping[str, Any] = self.stage.state()   # what a failed commit goes back to
        self._saved_revision = self.stage.evaluator.revision
        # the last step decided and not committed yet: its trend alerts, and how to decide it again
        self._decided: list[Alert] = []
        self._redo: Callable[[], list[Alert]] | None = None

    @property
    def active(self) -> bool:
        return self.stage.active

    def decide(self, ruleset: RuleSet, source: str, alerts: Iterable[Alert], articles: int,
               now: datetime) -> list[Alert]:
        """After a poll's decisions (not yet committed): the trend alerts its incidents complete."""
        self._follow(ruleset)
        if not self.active:
            return self._step([], None)
        incidents = list(alerts)
        return self._step(self.stage.after(source, incidents, now, articles=articles),
                          lambda: self.stage.after(source, incidents, now, articles=articles))

    def tick(self, ruleset: RuleSet, now: datetime) -> list[Alert]:
        """The clock job: flatlines whose silence reached their window (not yet committed)."""
        self._follow(ruleset)
        if not self.active:
            return self._step([], None)
        return self._step(self.stage.tick(now), lambda: self.stage.tick(now))

    @contextmanager
    def commit(self, transaction: Callable[[], AbstractContextManager[Any]], now: datetime) -> Iterator[TrendCommit]:
        """Around a commit (a poll's, or the clock job's): the caller settles its alerts first (`TrendCommit`),
        then the state, when it changed, is saved in the same transaction; if the commit fails, the evaluator
        goes back to the state of the last one."""
        handle = TrendCommit(self, now)
        saved: tuple[Mapping[str, Any], int, int] | None = None
        try:
            with transaction():
                yield handle
                decided = self._decided
                if not handle.settled and self.settle(decided, now) != decided:
                    raise StaleTrendState("another instance saved the trend state: settle the alerts before "
                                          "queueing them (TrendCommit.settle)")
                revision = self.stage.evaluator.revision
                if revision != self._saved_revision:
                    state = self.stage.state()
                    saved = (state, revision, self.states.save(state, now))
        except BaseException:
            self.rollback()
            raise
        finally:
            self._decided, self._redo = [], None
        if saved is not None:
            self._saved, self._saved_revision, self._generation = saved

    def settle(self, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
        """See `TrendCommit.settle` (inside the commit's transaction)."""
        if self.stage.evaluator.revision == self._saved_revision:
            return list(alerts)   # nothing to save: nothing to hold
        generation = self.states.hold(now)
        if generation == self._generation:
            return list(alerts)   # decided on the state as saved
        log.debug("trend rules: another instance saved their state (generation %d, this one had %d): "
                  "deciding again on it", generation, self._generation)
        saved = self.states.saved()
        self._generation = saved.generation
        self._read(saved.state)
        self._saved, self._saved_revision = self.stage.state(), self.stage.evaluator.revision
        again = self._redo() if self._redo is not None else []
        older = {id(alert) for alert in self._decided}
        self._decided = again
        return [alert for alert in alerts if id(alert) not in older] + again

    def rollback(self) -> None:
        """Back to the state of the last commit: what was decided since is decided again when the poll's
        articles come back."""
        evaluator = self.stage.evaluator
        if evaluator.revision != self._saved_revision:
            self.stage.evaluator = TrendEvaluator.from_dict(evaluator.trends, self._saved)
            self._saved_revision = self.stage.evaluator.revision

    def _step(self, decided: list[Alert], redo: Callable[[], list[Alert]] | None) -> list[Alert]:
        self._decided, self._redo = decided, redo
        return decided

    def _read(self, state: Mapping[str, Any] | None) -> None:
        """The evaluator as saved (None: afresh), for the current rules."""
        trends = self.stage.evaluator.trends
        if state is None:
            self.stage.evaluator = TrendEvaluator(trends)
            return
        try:
            self.stage.evaluator = TrendEvaluator.from_dict(trends, state)
        except (ValueError, KeyError, TypeError) as exc:   # a state written by another version, or damaged
            log.warning("trend rules: the saved state could not be read (%s); their windows start afresh", exc)
            self.stage.evaluator = TrendEvaluator(trends)

    def _follow(self, ruleset: RuleSet) -> None:
        """A reload swapped the rules: unchanged trends keep their windows."""
        if ruleset is not self.ruleset:
            self.ruleset = ruleset
            self.stage.use(ruleset)
