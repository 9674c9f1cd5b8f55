"""datasketch loads without SciPy's integrator, which still loads when something calls it."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60,
                          check=True)
    return done.stdout.strip()


def test_syndication_imports_datasketch_without_scipy_integrate() -> None:
    out = run("""
        import sys
        import bot.sources.syndication
        module = sys.modules["scipy.integrate"]
        print(getattr(module, "__beacon_stand_in__", False))
    """)
    assert out == "True"


def test_the_stand_in_loads_the_real_quad_when_called() -> None:
    out = run("""
        import sys
        import bot.sources.syndication
        from scipy.integrate import quad
        value, _ = quad(lambda x: x, 0, 2)
        print(round(value, 6), getattr(sys.modules["scipy.integrate"], "__beacon_stand_in__", False))
    """)
    assert out == "2.0 False"
