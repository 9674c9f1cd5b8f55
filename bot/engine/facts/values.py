"""The facts an article states: what the reader returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FactSpan:
    """Where a fact's figure was read: the number and the words that bind it, as offsets."""

    name: str   # "killed", "wounded", "troops"
    value: int  # the figure read at this place (a group's count, or a toll)
    start: int
    end: int


@dataclass(frozen=True)
class Facts:
    """What an article says about casualties and troops; None when it says nothing."""

    killed: int | None = None
    wounded: int | None = None
    troops: int | None = None
    troops_change: str | None = None  # "increase" | "decrease"
    spans: tuple[FactSpan, ...] = ()

    def as_dict(self) -> dict[str, int | str]:
        """The facts found, flat: {"killed": 4, "troops": 8350, "troops_change": "decrease"}."""
        out: dict[str, int | str] = {}
        for name in ("killed", "wounded", "troops", "troops_change"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out
