"""Regular expressions compiled when first used, not when their module is imported.

The facts readers hold a few hundred patterns, many built around the long alternation of number
words; compiling them all at import cost about a second of every `beacon` start, also of commands
that never read an article's facts. A pattern made here compiles on its first search; after that its
methods are the compiled pattern's own, held in slots, so a call costs what a call on the compiled
pattern costs.
"""

from __future__ import annotations

import re
from typing import Any, cast

# What the readers ask of a pattern; each is copied from the compiled pattern at the first use.
_COMPILED_ATTRIBUTES = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
                        "flags", "groups", "groupindex")


class _LazyPattern:
    """A pattern's source until something is asked of it, then the compiled pattern's methods."""

    __slots__ = ("pattern", "_flags", *_COMPILED_ATTRIBUTES)

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        """Called only for an attribute not set yet: compile, then fill every slot."""
        if name not in _COMPILED_ATTRIBUTES:
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        for attribute in _COMPILED_ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r}, {self._flags})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done at the first search (the same object for every caller)."""
    return cast(re.Pattern[str], _LazyPattern(pattern, flags))
