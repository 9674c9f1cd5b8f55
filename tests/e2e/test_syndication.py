"""The same wire story from several sources alerts once; the copies join its event as further sources."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from bot.app import Beacon
from tests.conftest import DATA
from tests.feeds import rss

WIRE = ("Gunmen ambushed a border police patrol before dawn on Sunday near the village of Dobro Polje, killing "
        "two officers and wounding a third, the interior ministry said. The attackers, believed to number about "
        "twenty, fled toward the forest after an exchange of fire that lasted nearly an hour. Special units "
        "sealed off the roads leading to the crossing and helicopters searched the hills through the morning. "
        "The minister called the ambush a planned attack and said reinforcements were on their way.")
REPRINT = ("SARAJEVO (Herald) - " + WIRE.replace("killing two officers", "killing two police officers")
           .replace("the interior ministry said", "the ministry said in a statement"))


def feeds(feed_server, second_title: str = "Two police officers killed in border ambush") -> None:
    feed_server.serve("/wire", rss({"guid": "w1", "title": "Border patrol ambushed, two officers killed",
                                    "link": "https://wire.example/1", "description": WIRE}))
    feed_server.serve("/herald", rss({"guid": "h1", "title": second_title, "link": "https://herald.example/9",
                                      "description": REPRINT}))


def config(write_config, feed_server):
    return write_config(f"""
        rules_dir: {DATA / 'rules'}
        sources:
          - {{name: wire, url: "{feed_server.url('/wire')}", interval: 60}}
          - {{name: herald, url: "{feed_server.url('/herald')}", interval: 60}}
    """)


async def test_a_reprint_from_another_source_does_not_alert_again(write_config, feed_server) -> None:
    feeds(feed_server)
    out = io.StringIO()
    beacon = Beacon(config(write_config, feed_server), out=out)
    assert await beacon.run(once=True) == 0
    assert out.getvalue().count("Fatal armed clash") == 1
    reopened = Beacon(config(write_config, feed_server))
    statuses = sorted(a.status for a in reopened.store.alerts.recent())
    assert statuses == ["edit", "queued"]   # the copy only adds a source to the event's message
    [event] = reopened.store.events.recent(reopened.now() - timedelta(days=1))
    assert sorted(event.sources) == ["herald", "wire"] and event.reports == 2


async def test_the_index_survives_a_restart(write_config, feed_server) -> None:
    feed_server.serve("/wire", rss({"guid": "w1", "title": "Border patrol ambushed, two officers killed",
                                    "link": "https://wire.example/1", "description": WIRE}))
    feed_server.serve("/herald", rss())
    first = io.StringIO()
    assert await Beacon(config(write_config, feed_server), out=first).run(once=True) == 0
    assert "Fatal armed clash" in first.getvalue()
    feeds(feed_server)   # the reprint appears only after a restart
    second = io.StringIO()
    assert await Beacon(config(write_config, feed_server), out=second).run(once=True) == 0
    # no new alert: the first run's message is only edited to add the second source
    assert re.search(r"──── alert \d+ ·", second.getvalue()) is None, second.getvalue()
    assert "──── alert 1 edited in place" in second.getvalue() and "2 sources" in second.getvalue()
