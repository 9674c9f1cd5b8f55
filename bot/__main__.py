"""`python -m bot` is the `beacon` command."""

from bot.cli import main

raise SystemExit(main())
