"""Dry-run delivery: alerts printed to the terminal when no Telegram token is configured."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from bot.models import Message, Target
from bot.outbox import Outcome, SendOutcome
from bot.telegram.markup import visible_text

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


class TerminalSender:
    """Prints each message as plain text, framed so several alerts stay readable."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.count = 0

    async def send(self, target: Target, message: Message, *, reply_to: int | None = None) -> SendOutcome:
        stream = self.stream or sys.stdout
        body = message.text
        if message.parse_mode == "HTML":
            # a terminal cannot click: show each link's address after its text
            body = visible_text(_LINK.sub(lambda m: f"{m.group(2)}: {m.group(1)}", body))
        self.count += 1
        label = f"reply to alert {reply_to}" if reply_to else f"alert {self.count}"
        if message.event_id:
            label += f" · incident {message.event_id}"   # for `beacon events` and `beacon explain-delivery`
        stream.write(f"\n──── {label} " + "─" * 50 + "\n" + body.strip() + "\n")
        stream.flush()
        return SendOutcome(Outcome.SENT, message_id=self.count)

    async def edit(self, target: Target, message_id: int, message: Message) -> SendOutcome:
        """A terminal cannot rewrite what it printed: the update replies say what changed."""
        return SendOutcome(Outcome.SENT, message_id=message_id)
