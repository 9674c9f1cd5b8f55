"""`beacon backtest`: pick the input and the rules from the arguments, replay, print, write the report."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from bot.backtest.audience import Audience
from bot.backtest.compare import Comparison, compare
from bot.backtest.inputs import Archive, from_dir, from_history, from_jsonl
from bot.backtest.progress import Progress
from bot.backtest.replay import ReplaySettings, replay
from bot.backtest.report import write_report
from bot.backtest.state import state_snapshot
from bot.backtest.text import format_comparison, format_replay, printable
from bot.config import Config, load_config
from bot.engine import RuleSet, compile_rules, load_rules
from bot.errors import BeaconError
from bot.render import template_names
from bot.sources.files import JSONL_SUFFIXES, local_path
from bot.sources.normalise import TextCaps
from bot.store import Store


def run(args: argparse.Namespace, out: TextIO, err: TextIO | None = None) -> int:
    """The command; returns the exit status (1 when input lines or files had to be skipped)."""
    err = err or sys.stderr
    config = load_config(args.config)
    ruleset, rules_label = _rules(args, config)
    other = compile_rules(load_rules(Path(args.compare))) if args.compare else None
    settings = ReplaySettings(TextCaps(config.polling.max_title_chars, config.polling.max_text_chars),
                              config.events.clustering, config.events.history_retention)
    with ExitStack() as stack:
        state_path = Path(args.state) if args.state else config.database
        wants_history = args.history or not (args.articles or args.dir or args.source)
        store: Store | None = None
        if wants_history or args.state:
            if wants_history and not state_path.is_file():
                raise BeaconError(f"nothing to replay: no state database at {state_path}; give --articles "
                                  "FILE.jsonl, --dir FOLDER or --source NAME")
            store = stack.enter_context(state_snapshot(state_path))
        archive = _archive(args, config, store)
        audience = _audience(store, config, str(state_path))
        show = args.progress or err.isatty()
        result = replay(archive, ruleset, rules_label, audience(), settings,
                        Progress(len(archive), err) if show else None)
        comparison: Comparison | None = None
        if other is not None:
            later = replay(archive, other, args.compare, audience(), settings,
                           Progress(len(archive), err, "compare") if show else None)
            comparison = compare(result, later)
    if args.format == "json":
        document = {"backtest": result.as_dict(), "compare": comparison.as_dict() if comparison else None}
        out.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    else:
        out.write(format_replay(result))
        if comparison is not None:
            out.write(format_comparison(comparison))
    for problem in result.problems:
        err.write(f"{printable(problem)}\n")
    if args.report:
        write_report(Path(args.report), result, comparison)
        if args.format == "text":
            out.write(f"\nreport: {args.report}\n")
    return 1 if result.problems else 0


def _audience(store: Store | None, config: Config, where: str) -> Callable[[], Audience]:
    """A fresh audience per replay (each remembers who got which event): the state's subscriptions if read."""
    if store is None:
        return Audience.everyone
    return lambda: Audience.subscribed(store, config.oncall, where)


def _rules(args: argparse.Namespace, config: Config) -> tuple[RuleSet, str]:
    if args.rules:
        return compile_rules(load_rules(Path(args.rules))), args.rules
    known = template_names(config.templates_dir)
    return compile_rules(load_rules(config.rules_dir, known_templates=known)), str(config.rules_dir)


def _archive(args: argparse.Namespace, config: Config, store: Store | None) -> Archive:
    if args.articles:
        return from_jsonl(Path(args.articles))
    if args.dir:
        folder = Path(args.dir)
        return from_dir(folder, args.pattern, source=folder.resolve().name)
    if args.source:
        return _config_source(args.source, config)
    if store is None:
        raise BeaconError("nothing to replay: give --articles FILE.jsonl, --dir FOLDER or --source NAME")
    archive = from_history(store)
    archive.label = f"the history in {args.state or config.database}"
    return archive


def _config_source(name: str, config: Config) -> Archive:
    """A file or dir source of the config, read as `beacon run` reads it (its name as the articles' source)."""
    found = next((s for s in config.sources if s.name == name), None)
    if found is None:
        raise BeaconError(f"--source: no source named {name!r} in the config")
    if found.type not in ("file", "dir") or not found.url:
        raise BeaconError(f"--source: {name} is a {found.type} source; only file and dir sources can be replayed "
                          "(archive other sources as JSON Lines and use --articles)")
    path = local_path(found.url)
    if found.type == "dir":
        return from_dir(path, found.pattern, source=name)
    if path.suffix.lower() in JSONL_SUFFIXES:
        archive = Archive(str(path))
        archive.add_jsonl(path, name)
        return archive
    archive = Archive(str(path))
    archive.add_feed_file(path, name)
    return archive
