"""The `beacon` command: parse arguments, call the app or the engine, format the output."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from bot import __version__
from bot.config import PollingConfig, load_config
from bot.errors import BeaconError, LocatedError
from bot.logs import LOG_FORMATS, redactor, setup_logging

# Each command imports what it needs where it runs: the engine (the rules compiler with the facts' regular
# expressions), the renderer and the store cost a second of CPU to import, which `beacon check`, `beacon events`,
# `beacon db` and the rest would pay at every start without using (docs/performance.md, "Test suite time").
if TYPE_CHECKING:
    from bot.config import Config
    from bot.engine import RuleSet
    from bot.models import Article


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the subcommand is not reset by the subcommand's default
    common.add_argument("-c", "--config", metavar="FILE", default=argparse.SUPPRESS,
                        help="config file (default: ./beacon.yaml if present, else the embedded default)")
    common.add_argument("--log-level", default=argparse.SUPPRESS, choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="log detail on standard error (default: INFO)")
    parser = argparse.ArgumentParser(prog="beacon", description="Event-based news alerting bot.",
                                     parents=[common])
    parser.add_argument("--version", action="version", version=f"beacon {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", parents=[common], help="poll sources and deliver alerts (the daemon)")
    run.add_argument("--once", action="store_true", help="poll every source once, deliver, exit")
    run.add_argument("--log-format", choices=LOG_FORMATS, default=None,
                     help="text for people (default) or json: one object per line, for log collectors "
                          "(also env BEACON_LOG_FORMAT)")
    run.add_argument("--reset-state", action="store_true",
                     help="start with an empty state database on purpose: the current one (damaged, or not) is "
                          "moved aside to beacon.sqlite3.damaged-<time>, never deleted")

    sub.add_parser("check", parents=[common], help="validate config, rules and templates")

    sources = sub.add_parser("sources", parents=[common], help="health of every source: last success, errors, "
                                                                 "items seen, next poll")
    sources.add_argument("--enable", metavar="NAME", help="re-enable a source that was disabled (HTTP 410)")

    events = sub.add_parser("events", parents=[common], help="recent events: time, rule, regions, facts, "
                                                               "sources, status")
    events.add_argument("--since", default="24h", help="how far back, e.g. 6h, 7d (default 24h)")
    events.add_argument("--tz", default=None, help="show times in this IANA timezone (default UTC)")
    events.add_argument("--format", choices=("table", "json"), default="table",
                        help="table (default), or json: JSON Lines, one object per incident with its reports")
    explain = sub.add_parser("explain-delivery", parents=[common], help="why a chat did (not) get an incident: "
                                                                        "the routing stages and what delivery did")
    explain.add_argument("incident", help="the incident id (beacon events shows them)")
    explain.add_argument("chat", type=int, help="the chat id")

    from bot.backtest.arguments import add_arguments as backtest_arguments

    backtest_arguments(sub.add_parser("backtest", parents=[common], help="replay articles through the rules and "
                                      "events, sending nothing: what would have been sent (docs/backtest.md)"))

    regions = sub.add_parser("regions", parents=[common], help="what place names mean: country, division, town or "
                                                                 "your region, with what encloses them")
    regions.add_argument("names", nargs="+", metavar="NAME", help="a place name, e.g. Bosnia, Congo, 'the Gaza Strip'")
    regions.add_argument("--rules", metavar="DIR", help="rules directory (default: the config's rules_dir)")
    regions.add_argument("--format", choices=("text", "json"), default="text",
                         help="text (default), or json: one object per name with its kind, code and parent chain")

    match = sub.add_parser("match", parents=[common], help="run the rules on articles given as JSON Lines")
    match.add_argument("--rules", metavar="DIR", help="rules directory (default: the config's rules_dir)")
    match.add_argument("file", nargs="?", default="-", help="JSON Lines file, or - for standard input")

    outbox = sub.add_parser("outbox", parents=[common], help="alerts given up: list them, send them again")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    outbox_sub.add_parser("dead", parents=[common], help="alerts given up, newest first, with why")
    retry = outbox_sub.add_parser("retry", parents=[common], help="requeue alerts given up (a running Beacon "
                                                                   "sends them within seconds)")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=int, action="append", metavar="N", help="the outbox row (repeatable)")
    which.add_argument("--all-dead", action="store_true", help="every alert given up")

    rules = sub.add_parser("rules", parents=[common], help="work with rules")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    test = rules_sub.add_parser("test", parents=[common], help="run every rule's own examples")
    test.add_argument("--rules", metavar="DIR", help="rules directory (default: the config's rules_dir)")
    evaluate = rules_sub.add_parser("eval", parents=[common],
                                    help="precision and recall per rule against a labeled JSON Lines file")
    evaluate.add_argument("file", nargs="?",
                          help="JSON Lines with title/text, labels {rule: true|false} and optional facts")
    evaluate.add_argument("--feedback", action="store_true",
                          help="add the articles judged 'not relevant' in chats (beacon feedback) as negatives")
    evaluate.add_argument("--rules", metavar="DIR", help="rules directory (default: the config's rules_dir)")
    evaluate.add_argument("--split", help="only articles whose 'split' field has this value (e.g. test)")
    evaluate.add_argument("--misses", action="store_true", help="list every wrong answer")
    from bot.store.command import add_arguments as db_arguments

    db_arguments(sub.add_parser("db", parents=[common], help="the state database's schema: its version, and "
                                "migrating it"), common)
    from bot.feedback.command import add_arguments as feedback_arguments

    feedback_arguments(sub.add_parser("feedback", parents=[common], help="alerts judged 'not relevant' in chats: "
                                      "list them, explain one, export them for beacon rules eval"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.config = getattr(args, "config", None)
    log_format = getattr(args, "log_format", None) or os.environ.get("BEACON_LOG_FORMAT") or "text"
    if log_format not in LOG_FORMATS:
        print(f"error: BEACON_LOG_FORMAT={log_format!r}: use {' or '.join(LOG_FORMATS)}", file=sys.stderr)
        return 2
    setup_logging(getattr(args, "log_level", "INFO"), fmt=log_format)
    # with JSON logs, every line on stderr must be JSON: errors go through the log too
    error = logging.getLogger("beacon").error if log_format == "json" else lambda text: print(text, file=sys.stderr)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "check":
            return _check(args, sys.stdout)
        if args.command == "sources":
            return _sources(args, sys.stdout)
        if args.command == "backtest":
            from bot.backtest.command import run as backtest

            return backtest(args, sys.stdout)
        if args.command == "match":
            return _match(args, sys.stdout)
        if args.command == "feedback":
            from bot.feedback.command import run as feedback

            return feedback(args, load_config(args.config), sys.stdout)
        if args.command == "regions":
            from bot.engine.regions_lookup import run as regions

            rules_dir = Path(args.rules) if args.rules else load_config(args.config).rules_dir
            return regions(args.names, rules_dir, sys.stdout, sys.stderr, args.format)
        if args.command == "events":
            return _events(args, sys.stdout)
        if args.command == "explain-delivery":
            from bot.history import explain_command

            return explain_command(load_config(args.config), args.incident, args.chat, sys.stdout)
        if args.command == "outbox":
            return _outbox(args, sys.stdout)
        if args.command == "db":
            from bot.store.command import run as db

            return db(args, sys.stdout)
        if args.command == "rules" and args.rules_command == "test":
            return _rules_test(args, sys.stdout)
        if args.command == "rules" and args.rules_command == "eval":
            return _rules_eval(args, sys.stdout)
    except LocatedError as exc:
        for problem in exc.problems:
            error(str(problem))
        return 1
    except BeaconError as exc:
        error(f"error: {exc}")
        return 1
    return 2


def _run(args: argparse.Namespace) -> int:
    from bot.instance_lock import InstanceLock
    from bot.store import Store

    config = load_config(args.config)
    redactor().add(config.token)  # from the first record on, not only once Telegram is contacted
    redactor().add(config.store_location.password)   # a PostgreSQL URL's password, should a driver quote it
    # one `beacon run` per data dir (two would both deliver every alert), unless they share the work (bot/instances.py)
    with InstanceLock(config.data_dir, shared=config.shared) as lock:
        if args.reset_state:
            _reset_state(config.database)
        elif config.store_location.sqlite_path is not None:
            _refuse_a_damaged_state_file(config.database)   # at once, not after seconds of compiling rules
        if config.shared:   # instances sharing the data dir create and migrate the state one at a time
            Store(config.store_location).close()
        lock.started()
        # imported only now: a start refused above (another Beacon running, a damaged state file) answers without
        # first paying the daemon's import, the engine's included (about 1.5 s of CPU)
        from bot.app import Beacon

        beacon = Beacon(config)

        async def main_loop() -> int:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, beacon.stop)
            return await beacon.run(once=args.once)

        try:
            return asyncio.run(main_loop())
        except KeyboardInterrupt:
            return 0


def _refuse_a_damaged_state_file(database: Path) -> None:
    """The state database's file checks (missing after use, empty, not SQLite); the Store adds quick_check."""
    from bot.state_check import refuse_a_damaged_file

    refuse_a_damaged_file(database)


def _reset_state(database: Path) -> None:
    """`--reset-state`: move the state database aside (kept, never deleted) so this run starts empty."""
    from bot.state_check import set_aside

    try:
        moved = set_aside(database, datetime.now(UTC))
    except OSError as exc:
        raise BeaconError(f"--reset-state: cannot move {database} aside: {exc.strerror or exc}") from exc
    if moved:
        logging.getLogger("beacon").warning("--reset-state: starting with an empty state database; the old one is "
                                            "kept as %s", ", ".join(str(p) for p in moved))
    else:
        logging.getLogger("beacon").warning("--reset-state: no state database at %s; starting empty", database)


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from bot.engine import load_rules
    from bot.render import Renderer, template_names

    config = load_config(args.config)
    problems: list[str] = []
    rules: list[Any] = []
    try:
        loaded = load_rules(config.rules_dir, known_templates=template_names(config.templates_dir))
        rules = [*loaded.rules, *loaded.trends]   # trend rules (bot/trends) are rules too
    except LocatedError as exc:
        problems.extend(str(p) for p in exc.problems)
    try:
        Renderer(config.templates_dir).check()
    except LocatedError as exc:
        problems.extend(str(p) for p in exc.problems)
    from bot.store.health import state_report

    state_problem, state_ok = state_report(config.store_location)
    if state_problem is not None:
        problems.append(state_problem)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    where = config.file or "embedded default config"
    out.write(f"ok: {where}: {len(config.sources)} sources, {len(rules)} rules, "
              f"{len(template_names(config.templates_dir))} templates\n")
    if state_ok is not None:
        out.write(state_ok + "\n")
    return 0


def _ruleset(args: argparse.Namespace) -> tuple[Config | None, RuleSet]:
    """The rules compiled, read from the compiled-rules cache when it holds them (bot/engine/cache.py): a
    compile costs several times a read. With `--rules DIR` no config is read, so the cache is used only
    where $BEACON_RULES_CACHE_DIR names its folder."""
    from bot.engine.cache import cache_dir, load_ruleset_cached, shared_cache_dir
    from bot.render import template_names

    if getattr(args, "rules", None):
        return None, load_ruleset_cached(Path(args.rules), None, shared_cache_dir())
    config = load_config(args.config)
    templates = template_names(config.templates_dir)
    return config, load_ruleset_cached(config.rules_dir, templates, cache_dir(config.data_dir))


def _read_articles(stream: BinaryIO, name: str) -> Iterator[tuple[int, Article | str]]:
    """Articles from JSON Lines; yields (line number, Article) or (line number, error text)."""
    from bot.sources.files import json_lines, jsonl_article

    now = datetime.now(UTC)
    for line in json_lines(stream):
        if line.error is not None:
            yield line.number, f"{name}:{line.number}: {line.error}"
            continue
        try:
            yield line.number, jsonl_article("input", line.value, now)
        except ValueError as exc:
            yield line.number, f"{name}:{line.number}: {exc}"


def _match(args: argparse.Namespace, out: TextIO) -> int:
    from bot.sources.normalise import TextCaps, cap_article

    config, ruleset = _ruleset(args)
    # the daemon's length caps, so `beacon match` reads what a poll would (docs/sources.md)
    polling = config.polling if config is not None else PollingConfig()
    caps = TextCaps(polling.max_title_chars, polling.max_text_chars)
    name = "<stdin>" if args.file == "-" else args.file
    # bytes, so a line that is not UTF-8 is named as a bad line (bot/sources/files.py) instead of ending the run
    stream = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    bad = 0
    try:
        for number, item in _read_articles(stream, name):
            if isinstance(item, str):
                print(item, file=sys.stderr)
                bad += 1
                continue
            item = cap_article(item, caps)
            matches = ruleset.match(item)
            record: dict[str, Any] = {"id": item.id if item.id is not None else number,
                                      "matches": [m.as_dict() for m in matches]}
            if item.truncated:
                record["truncated"] = item.truncated
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    return 1 if bad else 0


def _rules_test(args: argparse.Namespace, out: TextIO) -> int:
    from bot.models import Article

    _, ruleset = _ruleset(args)
    failures = 0
    total = 0
    for rule in ruleset.rules:
        for expected, texts in ((True, rule.examples.match), (False, rule.examples.no_match)):
            for text in texts:
                total += 1
                title, _, body = text.partition("\n")
                hit = any(m.rule_id == rule.id for m in ruleset.match(Article("example", title, body)))
                if hit != expected:
                    failures += 1
                    want = "match" if expected else "not match"
                    out.write(f"FAIL {rule.location}: {rule.id} should {want}: {text[:100]!r}\n")
    from bot.trends.examples_run import run_trend_examples

    trend_total, trend_failures = run_trend_examples(ruleset.source, out, ruleset)
    total, failures = total + trend_total, failures + trend_failures
    out.write(f"examples: {total - failures} passed, {failures} failed\n")
    return 1 if failures else 0


def _rules_eval(args: argparse.Namespace, out: TextIO) -> int:
    from bot.evaluation import evaluate, format_report, read_labeled

    if args.file is None and not args.feedback:
        print("error: rules eval: give a labeled FILE, --feedback, or both", file=sys.stderr)
        return 2
    _, ruleset = _ruleset(args)
    items = read_labeled(Path(args.file), split=args.split) if args.file is not None else []
    if args.feedback:
        from bot.feedback.command import judged_negatives

        items += judged_negatives(load_config(args.config))
    report = evaluate(ruleset, items)
    out.write(format_report(report, misses=args.misses))
    return 0


def _events(args: argparse.Namespace, out: TextIO) -> int:
    from bot.durations import parse_duration
    from bot.history import events_command

    try:
        since = parse_duration(args.since)
    except ValueError as exc:
        print(f"error: --since: {exc}", file=sys.stderr)
        return 2
    return events_command(load_config(args.config), since, args.tz, args.format, out)


def _sources(args: argparse.Namespace, out: TextIO) -> int:
    from bot.status import format_rows, source_rows
    from bot.store import Store

    config = load_config(args.config)
    store = Store(config.store_location)
    try:
        if args.enable:
            if args.enable not in {s.name for s in config.sources}:
                print(f"error: no source named {args.enable!r} in the config", file=sys.stderr)
                return 1
            enabled = store.sources.enable(args.enable)
            out.write(f"{args.enable}: {'enabled again' if enabled else 'was not disabled'}\n")
            return 0
        out.write(format_rows(source_rows(config, store, datetime.now(UTC))))
    finally:
        store.close()
    return 0


def _outbox(args: argparse.Namespace, out: TextIO) -> int:
    from bot.store import Store

    config = load_config(args.config)
    store = Store(config.store_location)
    try:
        if args.outbox_command == "dead":
            for dead in store.outbox.dead(limit=1000):
                out.write(f"{dead.id}\tchat {dead.target.chat_id}\t{dead.rule_title}: {dead.title}\t{dead.error}\n")
            return 0
        requeued = store.outbox.requeue_dead(None if args.all_dead else args.id)
    finally:
        store.close()
    missing = sorted(set(args.id or ()) - set(requeued))
    for row in missing:
        print(f"error: outbox row {row} is not a dead alert (see: beacon outbox dead)", file=sys.stderr)
    out.write(f"requeued {len(requeued)} alert{'' if len(requeued) == 1 else 's'}"
              + (f": {', '.join(map(str, requeued))}" if requeued else "") + "\n")
    return 1 if missing else 0
