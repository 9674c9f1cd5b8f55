"""Only bot/telegram/ imports python-telegram-bot: the rest of Beacon runs (and is tested) without it."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

PACKAGE = Path(bot.__file__).parent


def telegram_imports(path: Path) -> list[str]:
    """`file:line: import` for every import of python-telegram-bot in a module, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name}" for name in names
                  if name == "telegram" or name.startswith("telegram.")]
    return found


def test_no_module_outside_bot_telegram_imports_telegram() -> None:
    outside = [p for p in sorted(PACKAGE.rglob("*.py")) if (PACKAGE / "telegram") not in p.parents]
    assert len(outside) > 50
    assert [line for path in outside for line in telegram_imports(path)] == []


def test_the_check_sees_an_import() -> None:
    inside = telegram_imports(PACKAGE / "telegram" / "application.py")
    assert any(line.endswith(": telegram.ext") for line in inside)
