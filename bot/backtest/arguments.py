"""The `backtest` subcommand's options, apart from the command so that building the parser imports nothing heavy."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `backtest` subcommand's options (bot/cli.py adds the subcommand and calls this)."""
    given = parser.add_mutually_exclusive_group()
    given.add_argument("--articles", metavar="FILE.jsonl", help="a JSON Lines archive (the format beacon match reads)")
    given.add_argument("--dir", metavar="FOLDER", help="a folder as a dir source reads it (JSON Lines or RSS/Atom)")
    given.add_argument("--source", metavar="NAME", help="a file or dir source of the config")
    given.add_argument("--history", action="store_true",
                       help="the articles in the state database's history (the default without another input)")
    parser.add_argument("--pattern", default="*", help="with --dir: which files (default: all)")
    parser.add_argument("--rules", metavar="DIR", help="rules directory (default: the config's rules_dir)")
    parser.add_argument("--compare", metavar="OTHER_RULES_DIR",
                        help="also replay these rules: which articles newly alert or stop alerting, per rule")
    parser.add_argument("--state", metavar="FILE",
                        help="state database for --history and the chats' subscriptions (default: the config's); "
                             "only read, from a copy")
    parser.add_argument("--report", metavar="FILE.html", help="write a self-contained HTML report with plots")
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output (default: text)")
    parser.add_argument("--progress", action="store_true", help="show progress on standard error even when it "
                                                                 "is not a terminal")
