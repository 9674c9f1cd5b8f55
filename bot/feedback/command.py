"""`beacon feedback`: every chat's "not relevant" judgements, one explained, or all exported as labeled
negatives; and the judgements as negatives for `beacon rules eval --feedback`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from bot.feedback import Judgement

if TYPE_CHECKING:
    from bot.config import Config
    from bot.evaluation import Labeled
    from bot.store import Store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rule", metavar="RULE", help="only judgements of this rule")
    parser.add_argument("--chat", type=int, metavar="CHAT", help="only judgements made in this chat")
    parser.add_argument("--withdrawn", action="store_true",
                        help="also list judgements withdrawn with 'Relevant after all'")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--format", choices=("table", "json"), default="table",
                        help="table (default), or json: JSON Lines, one object per judgement")
    output.add_argument("--export", action="store_true",
                        help="the judged articles as a labeled JSON Lines corpus (each a negative of its rule) "
                             "for: beacon rules eval FILE")
    output.add_argument("--explain", type=int, metavar="ID",
                        help="why judgement ID's rule fired: the words, whether the rules loaded now still fire, "
                             "a suggested exception (shown, never applied)")


def run(args: argparse.Namespace, config: Config, out: TextIO) -> int:
    # here, not at the top: bot/cli.py imports this module to build its parser, and the listing's renderer
    # imports the engine, a second of CPU that every `beacon` start would pay
    from bot.feedback.listing import feedback_table, json_lines, judgement_record, labeled_line
    from bot.store import Store

    store = Store(config.store_location)
    try:
        if args.explain is not None:
            return _explain(store, config, args.explain, out)
        judgements = store.feedback.judgements(chat_id=args.chat, rule_id=args.rule, withdrawn=args.withdrawn)
    finally:
        store.close()
    if args.export:
        out.write(json_lines([labeled_line(j) for j in _one_per_article(j for j in judgements if j.active)]))
    elif args.format == "json":
        out.write(json_lines([judgement_record(j) for j in judgements]))
    else:
        out.write(feedback_table(judgements))
    return 0


def _explain(store: Store, config: Config, judgement_id: int, out: TextIO) -> int:
    from bot.app import load_ruleset
    from bot.feedback.explain import explain_judgement

    judgement = store.feedback.get(judgement_id)
    if judgement is None:
        print(f"error: no judgement {judgement_id} (beacon feedback lists them)", file=sys.stderr)
        return 1
    others = store.feedback.judgements(rule_id=judgement.rule_id)
    out.write(explain_judgement(judgement, load_ruleset(config), others) + "\n")
    return 0


def _one_per_article(judgements: Iterable[Judgement]) -> list[Judgement]:
    """The newest judgement of each (rule, article): an article judged in three chats is one negative."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for j in judgements:
        key = (j.rule_id, j.article.url or j.article.title)
        if key not in seen:
            seen.add(key)
            kept.append(j)
    return kept


def judged_negatives(config: Config, rule_id: str | None = None) -> list[Labeled]:
    """Every active judgement as a labeled negative of its rule (`beacon rules eval --feedback`)."""
    from bot.evaluation import Labeled
    from bot.store import Store

    store = Store(config.store_location)
    try:
        judgements = store.feedback.judgements(rule_id=rule_id)
    finally:
        store.close()
    return [Labeled(f"feedback-{j.id}", j.article, {j.rule_id: False}, None, judged=True)
            for j in _one_per_article(judgements)]

