"""Entity bombs written on one line (or in UTF-16) cost what a plain feed costs, and read as they did.

feedparser drops entity declarations only where they start a line, so a one-line "billion
laughs" reached expat, which expanded it to its amplification limit: 1.7-3.7 s and about
67 MiB more peak memory per poll. Peak memory is measured in a fresh interpreter, where
ru_maxrss belongs to this parse alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from bot.sources.rss import parse_feed
from bot.sources.xmlentities import defuse_entities

NOW = datetime(2023, 10, 2, 12, tzinfo=UTC)
LAUGHS = ['<!ENTITY lol "lol">'] + [
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)]
ITEM = "<item><guid>b</guid><title>Border bulletin &lol9;</title><description>Quiet night.</description></item>"


def feed(declarations: list[str], *, newline: bool = False, encoding: str = "utf-8", item: str = ITEM) -> bytes:
    joiner = "\n" if newline else ""
    text = (f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE rss [{joiner}{joiner.join(declarations)}{joiner}]>'
            f'<rss version="2.0"><channel><title>Wire</title>{item}</channel></rss>')
    return text.encode(encoding)


_MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    from datetime import UTC, datetime
    from bot.sources.rss import parse_feed
    from tests.test_sources_entities import LAUGHS, feed
    now = datetime(2023, 10, 2, 12, tzinfo=UTC)
    parse_feed("w", feed(['<!ENTITY a "b">']), "application/rss+xml", now)   # warm: imports, parser set-up
    body = feed(LAUGHS, encoding=sys.argv[1])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    [article] = parse_feed("w", body, "application/rss+xml", now)
    print(json.dumps({"seconds": time.perf_counter() - started, "title": article.title,
                      "grew_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}))
""")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_one_line_entity_bomb_costs_no_memory(encoding: str) -> None:
    result = subprocess.run([sys.executable, "-c", _MEASURE, encoding], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    assert measured["grew_kib"] < 8 * 1024, measured     # was about 67 MiB
    assert measured["seconds"] < 1.0, measured           # was 1.7-3.7 s; now about 10 ms
    assert measured["title"] == "Border bulletin &lol9;"


def test_one_line_and_one_per_line_declarations_read_the_same() -> None:
    """feedparser already defused the one-per-line form; the one-line form now gives the same articles."""
    one_line = parse_feed("w", feed(LAUGHS), "application/rss+xml", NOW)
    per_line = parse_feed("w", feed(LAUGHS, newline=True), "application/rss+xml", NOW)
    assert one_line == per_line
    assert [a.title for a in one_line] == ["Border bulletin &lol9;"]


def test_external_entities_are_dropped_on_one_line_too() -> None:
    item = "<item><guid>x</guid><title>Host &xxe; here</title><description>d</description></item>"
    declarations = ['<!ENTITY xxe SYSTEM "file:///etc/hostname">', '<!ENTITY % remote SYSTEM "http://x.example/">',
                    "%remote;"]
    [article] = parse_feed("w", feed(declarations, item=item), "application/rss+xml", NOW)
    with open("/etc/hostname", encoding="utf-8") as file:
        hostname = file.read().strip()
    assert hostname not in article.title
    assert "&xxe;" in article.title


def test_defusing_keeps_plain_declarations_and_quoted_angle_brackets() -> None:
    body = feed(['<!ENTITY arrow "a > b">', '<!ENTITY copy "&#169;">', "<!-- a note -->",
                 '<!ENTITY boom "&arrow;&arrow;">', "<!ENTITY echo '&copy;'>"])
    defused = defuse_entities(body).decode()
    assert '<!ENTITY arrow "a > b">' in defused and '<!ENTITY copy "&#169;">' in defused
    assert "<!-- a note -->" in defused
    assert "boom" not in defused and "echo" not in defused
    assert defused.endswith('<rss version="2.0"><channel><title>Wire</title>' + ITEM + "</channel></rss>")


def test_feeds_without_declarations_pass_untouched() -> None:
    plain = feed(['<!ELEMENT rss ANY>'])
    assert defuse_entities(plain) is plain
    no_doctype = b'<?xml version="1.0"?><rss version="2.0"><channel><title>&lt;!ENTITY</title></channel></rss>'
    assert defuse_entities(no_doctype) is no_doctype
