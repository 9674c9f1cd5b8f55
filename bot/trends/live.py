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
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, Protocol

from bot.engine import RuleSet
from bot.models import Alert
from bot.trends.evaluate import TrendEvaluator
from bot.trends.stage import TrendStage, trend_rules

log = logging.getLogger(__name__)


class TrendStateStore(Protocol):
    """Where the state lives between runs (bot/store/trends.py)."""

    def load(self) -> Mapping[str, Any] | None: ...

    def save(self, state: Mapping[str, Any], now: datetime) -> None: ...



class LiveTrends:
    """The trend stage of `beacon run`: decided with each poll, ticked by a job, saved with each commit."""

    def __init__(self, ruleset: RuleSet, states: TrendStateStore) -> None:
        self.states = states
        saved = states.load() if trend_rules(ruleset) else None   # without trend rules, nothing to read
        try:
            self.stage = TrendStage(ruleset, saved)
        except (ValueError, KeyError, TypeError) as exc:   # a state written by another version, or damaged
            log.warning("trend rules: the saved state could not be read (%s); their windows start afresh", exc)
            self.stage = TrendStage(ruleset)
        self.ruleset = ruleset
        self._saved: Mapping[str, Any] = self.stage.state()   # what a failed commit goes back to
        self._saved_revision = self.stage.evaluator.revision

    @property
    def active(self) -> bool:
        return self.stage.active

    def decide(self, ruleset: RuleSet, source: str, alerts: Iterable[Alert], articles: int,
               now: datetime) -> list[Alert]:
        """After a poll's decisions (not yet committed): the trend alerts its incidents complete."""
        self._follow(ruleset)
        if not self.active:
            return []
        return self.stage.after(source, alerts, now, articles=articles)

    def tick(self, ruleset: RuleSet, now: datetime) -> list[Alert]:
        """The clock job: flatlines whose silence reached their window (not yet committed)."""
        self._follow(ruleset)
        if not self.active:
            return []
        return self.stage.tick(now)

    @contextmanager
    def commit(self, transaction: Callable[[], AbstractContextManager[Any]], now: datetime) -> Iterator[None]:
        """Around a commit (a poll's, or the clock job's): the state, when it changed, is saved in the same
        transaction; if the commit fails, the evaluator goes back to the state of the last one."""
        revision = self.stage.evaluator.revision
        state = self.stage.state() if revision != self._saved_revision else None
        try:
            with transaction():
                yield
                if state is not None:
                    self.states.save(state, now)
        except BaseException:
            self.rollback()
            raise
        if state is not None:
            self._saved, self._saved_revision = state, revision

    def rollback(self) -> None:
        """Back to the state of the last commit: what was decided since is decided again when the poll's
        articles come back."""
        evaluator = self.stage.evaluator
        if evaluator.revision != self._saved_revision:
            self.stage.evaluator = TrendEvaluator.from_dict(evaluator.trends, self._saved)
            self._saved_revision = self.stage.evaluator.revision

    def _follow(self, ruleset: RuleSet) -> None:
        """A reload swapped the rules: unchanged trends keep their windows."""
        if ruleset is not self.ruleset:
            self.ruleset = ruleset
            self.stage.use(ruleset)
