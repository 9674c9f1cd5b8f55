"""Everything that speaks python-telegram-bot: command handlers and the message sender."""

import os

# Opt in to python-telegram-bot's future behaviour (time periods as timedelta) so every
# 429 does not print a deprecation warning; our code reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "1")
