"""Dry-run delivery: alerts printed to the terminal when no Telegram token is configured."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from bot.models import Message, Target
from bot.outbox import Outcome, SendOutcome
from bot.telegram.markup import visible_text

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


_REMEMBERED = 500  # messages whose lines are kept for showing an edit's changes; older edits print in full


class TerminalSender:
    """Prints each message as plain text, framed so several alerts stay readable.

    Its message ids are stored with the outbox rows like Telegram's, and replies and edits name them, so a
    run continues from the last id of the runs before (`last_message_id`) instead of starting at 1 again."""

    def __init__(self, stream: TextIO | None = None, last_message_id: int = 0) -> None:
        self.stream = stream
        self.count = last_message_id
        self._printed: dict[int, list[str]] = {}   # message id -> the lines it shows now, the latest few

    async def send(self, target: Target, message: Message, *, reply_to: int | None = None) -> SendOutcome:
        stream = self.stream or sys.stdout
        body = _plain(message)
        self.count += 1
        label = f"reply to alert {reply_to}" if reply_to else f"alert {self.count}"
        if message.event_id:
            label += f" · incident {message.event_id}"   # for `beacon events` and `beacon explain-delivery`
        stream.write(f"\n──── {label} " + "─" * 50 + "\n" + body.strip() + "\n")
        stream.flush()
        self._remember(self.count, _lines(body))
        return SendOutcome(Outcome.SENT, message_id=self.count)

    async def edit(self, target: Target, message_id: int, message: Message) -> SendOutcome:
        """A terminal cannot rewrite what it printed, so it prints the lines the edit changed.

        In Telegram an edit rewrites the alert in place without a sound (a new source, a newer
        headline); a dry run would otherwise hide those changes from the operator trying rules."""
        before = self._printed.get(message_id)
        after = _lines(_plain(message))
        self._remember(message_id, after)
        label = f"alert {message_id} edited in place"
        if message.event_id:
            label += f" · incident {message.event_id}"
        if before is None:
            # printed by an earlier run of the process: show what the message says now
            changes = after
            label += ", now reads"
        else:
            removed = [f"- {line}" for line in before if line not in after]
            added = [f"+ {line}" for line in after if line not in before]
            changes = removed + added
        if not changes:
            return SendOutcome(Outcome.SENT, message_id=message_id)
        stream = self.stream or sys.stdout
        stream.write(f"\n──── {label} " + "─" * 40 + "\n" + "\n".join(changes) + "\n")
        stream.flush()
        return SendOutcome(Outcome.SENT, message_id=message_id)

    def _remember(self, message_id: int, lines: list[str]) -> None:
        """Keep the lines of the latest messages only, so that a dry run left running does not grow."""
        self._printed.pop(message_id, None)
        self._printed[message_id] = lines
        while len(self._printed) > _REMEMBERED:
            del self._printed[next(iter(self._printed))]


def _plain(message: Message) -> str:
    """The message as a terminal shows it: tags dropped, each link's address after its text."""
    if message.parse_mode != "HTML":
        return message.text
    return visible_text(_LINK.sub(lambda m: f"{m.group(2)}: {m.group(1)}", message.text))


def _lines(body: str) -> list[str]:
    return [line for line in body.strip().splitlines() if line.strip()]
