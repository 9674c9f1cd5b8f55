"""The rules language: parse YAML rules once, compile them into one matcher, match articles.

Plain synchronous Python over plain data: no network, no database, no clock.
"""

from bot.engine.compile import RuleSet, compile_rules
from bot.engine.load import Rule, RuleSource, load_rules, load_rules_text

__all__ = ["Rule", "RuleSet", "RuleSource", "compile_rules", "load_rules", "load_rules_text"]
