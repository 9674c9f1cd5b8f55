"""The rules language: parse YAML rules once, compile them into one matcher, match articles.

Plain synchronous Python over plain data: no network, no database, no clock.

The names below are imported when first asked for: importing a light module of the package (the regions,
the text folding) then no longer runs the compiler's import, whose facts' regular expressions cost about a
second of CPU in every process that never compiles a rule (`beacon events`, the renderer).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine.compile import RuleSet, compile_rules
    from bot.engine.load import Rule, RuleSource, load_rules, load_rules_text

__all__ = ["Rule", "RuleSet", "RuleSource", "compile_rules", "load_rules", "load_rules_text"]

_HOME = {"Rule": "bot.engine.load", "RuleSet": "bot.engine.compile", "RuleSource": "bot.engine.load",
         "compile_rules": "bot.engine.compile", "load_rules": "bot.engine.load", "load_rules_text": "bot.engine.load"}


def __getattr__(name: str) -> object:
    """`from bot.engine import RuleSet` and the like: the name from its module, imported now."""
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'bot.engine' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value   # asked for once: later lookups find it without this function
    return value
