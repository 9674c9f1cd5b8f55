"""Keep SciPy out of the daemon unless something really calls it.

datasketch imports `scipy.integrate` when it is imported, for MinHashLSH's search of the best
band layout. Beacon always passes its own layout (`params=` in syndication.py), so that search
never runs, yet the import alone costs about 50 MB of resident memory (measured: datasketch
+82 MB, +33 MB with this stand-in), a third of the daemon's budget. `install()` puts a stand-in
for `scipy.integrate` in its place whose `quad` loads the real module on first call, so a
datasketch that does need it still gets the real thing.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_NAME = "scipy.integrate"


def _quad(*args: Any, **kwargs: Any) -> Any:
    """SciPy's quad, loaded now: the stand-in leaves and the real module takes its place."""
    if getattr(sys.modules.get(_NAME), "__beacon_stand_in__", False):
        del sys.modules[_NAME]
    real = importlib.import_module(_NAME)
    return real.quad(*args, **kwargs)


def install() -> None:
    """Put the stand-in in place, unless SciPy's module is already loaded."""
    if _NAME in sys.modules:
        return
    stand_in = types.ModuleType(_NAME, "Beacon's stand-in: loads scipy.integrate on first use")
    vars(stand_in).update(quad=_quad, __beacon_stand_in__=True)   # a module's namespace is its __dict__
    sys.modules[_NAME] = stand_in
