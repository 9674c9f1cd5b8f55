"""Everything that speaks python-telegram-bot: command handlers and the message sender."""
