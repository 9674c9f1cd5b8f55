"""Durations as people write them in YAML and chat: `90`, `90s`, `5m`, `1h30m`, `2d`."""

from __future__ import annotations

import math
import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")


def parse_duration(value: object, *, maximum: float | None = None) -> float:
    """Seconds from a number or a duration string; raises ValueError with a readable reason.

    `maximum` caps it (a mute of 99999999999d would not fit in a date); a number too large for a float
    is refused whatever the cap.
    """
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 90, '90s', '5m' or '1h', got a boolean")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            seconds = float(text)
        elif text and _PART.sub("", text) == "" and _PART.search(text):
            seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(text))
        else:
            raise ValueError(f"{value!r} is not a duration (use seconds, or e.g. '90s', '5m', '1h', '2d')")
    else:
        raise ValueError(f"expected a duration such as 90, '90s' or '5m', got {type(value).__name__}")
    if math.isnan(seconds):
        raise ValueError("expected a duration such as 90, '90s' or '5m', got NaN")
    if seconds <= 0:
        raise ValueError("a duration must be greater than zero")
    if not math.isfinite(seconds):
        raise ValueError(f"{_shown(value)} is too long to be a duration")
    if maximum is not None and seconds > maximum:
        raise ValueError(f"{_shown(value)} is too long: at most {format_duration(maximum)}")
    return seconds


def _shown(value: object) -> str:
    """The value as the user wrote it, shortened: a 400-digit number need not be repeated in full."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def format_duration(seconds: float) -> str:
    """The shortest readable form: 90 -> '1m30s'."""
    seconds = round(seconds)
    if seconds == 0:
        return "0s"
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out += f"{seconds // size}{unit}"
            seconds %= size
    return out
