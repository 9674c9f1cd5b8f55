"""One small hierarchy of errors a user can cause, each able to say where and why."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class BeaconError(Exception):
    """Base of every error Beacon raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a user's file: `file:line:column: message (hint)`."""

    file: Path | str | None
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class LocatedError(BeaconError):
    """An error made of one or more problems, each with file and line."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(LocatedError):
    """The configuration file is missing, malformed or invalid."""


class RuleError(LocatedError):
    """A rule file is malformed or invalid; the message names file, line and column."""


class TemplateError(LocatedError):
    """A template is missing or does not render against sample data."""


class SourceError(BeaconError):
    """A source could not be fetched or did not contain a feed."""

    def __init__(self, source: str, message: str, *, retry_after: float | None = None,
                 permanent: bool = False) -> None:
        self.source = source
        self.reason = message
        self.retry_after = retry_after
        self.permanent = permanent
        super().__init__(f"{source}: {message}")


class DeliveryError(BeaconError):
    """A message could not be delivered to a chat."""
