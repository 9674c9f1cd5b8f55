"""A source with `full_text: true`: the rules see the article page, not just the feed's summary."""

from __future__ import annotations

import io

from bot.app import Beacon
from tests.conftest import DATA
from tests.feeds import rss

PAGE = """<html><head><title>Clash at the crossing</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<div class="cookie">We use cookies to improve this site. Accept all cookies?</div>
<article><h1>Clash at the crossing</h1>
<p>Border guards and an armed group exchanged fire overnight near the northern crossing, officials said on
Tuesday, in the most serious incident in the area this year.</p>
<p>The ambush began shortly after midnight, when gunmen opened fire on a patrol, killing three soldiers and
wounding two others, according to a statement from the defence ministry.</p>
<p>Reinforcements arrived before dawn and the crossing was closed to traffic until further notice.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>"""


async def test_full_text_feeds_the_rules(write_config, feed_server) -> None:
    item = {"guid": "x1", "title": "Incident at the northern crossing", "link": feed_server.url("/story"),
            "description": "Officials report an overnight incident at the crossing."}
    feed_server.serve("/feed", rss(item))
    feed_server.serve("/story", PAGE, content_type="text/html; charset=utf-8")
    body = f"""
        rules_dir: {DATA / 'rules'}
        sources:
          - {{name: wire, url: "{feed_server.url('/feed')}", interval: 60, full_text: true}}
    """
    out = io.StringIO()
    assert await Beacon(write_config(body), out=out).run(once=True) == 0
    printed = out.getvalue()
    assert "Fatal armed clash" in printed and "killing three soldiers" in printed
    assert "cookies" not in printed
    # the next poll sees the same feed item: nothing new, and the page is not fetched again
    out2 = io.StringIO()
    assert await Beacon(write_config(body), out=out2).run(once=True) == 0
    assert "alert" not in out2.getvalue()
    assert feed_server.hits("/story") == 1


async def test_without_full_text_the_summary_is_all_there_is(write_config, feed_server) -> None:
    item = {"guid": "x1", "title": "Incident at the northern crossing", "link": feed_server.url("/story"),
            "description": "Officials report an overnight incident at the crossing."}
    feed_server.serve("/feed", rss(item))
    feed_server.serve("/story", PAGE, content_type="text/html")
    out = io.StringIO()
    config = write_config(f"""
        rules_dir: {DATA / 'rules'}
        sources: [{{name: wire, url: "{feed_server.url('/feed')}", interval: 60}}]
    """)
    assert await Beacon(config, out=out).run(once=True) == 0
    assert "alert" not in out.getvalue()
    assert feed_server.hits("/story") == 0
