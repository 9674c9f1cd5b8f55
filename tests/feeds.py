"""Build small RSS and Atom documents for tests (our own sample text)."""

from __future__ import annotations

from html import escape


def rss(*items: dict[str, str], title: str = "Test wire") -> str:
    """An RSS 2.0 document; each item may have guid, title, link, description, pubDate."""
    body = []
    for item in items:
        fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items())
        body.append(f"<item>{fields}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://news.example/</link><description>test</description>{''.join(body)}</channel></rss>")


def atom(*entries: dict[str, str]) -> str:
    body = []
    for e in entries:
        body.append(f"<entry><id>{escape(e['id'])}</id><title>{escape(e['title'])}</title>"
                    f"<link href=\"{escape(e.get('link', ''))}\"/><updated>{e.get('updated', '2023-10-02T10:00:00Z')}"
                    f"</updated><summary type=\"html\">{escape(e.get('summary', ''))}</summary></entry>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Test</title><id>urn:test</id><updated>2023-10-02T10:00:00Z</updated>{''.join(body)}</feed>")


CLASH = {"guid": "clash-1", "title": "Police officer killed in Banjska ambush",
         "link": "https://news.example/banjska?utm_source=feed&id=7",
         "description": "<p>Around 30 gunmen attacked a patrol, killing one officer. Three attackers were "
                        "killed later in a shoot-out at a monastery.</p>",
         "pubDate": "Sun, 24 Sep 2023 06:00:00 GMT"}
BUILDUP = {"guid": "buildup-1", "title": "US warns of Serbian troop build-up on Kosovo border",
           "link": "https://news.example/buildup",
           "description": "Washington said it saw a large deployment of Serbian forces, tanks and artillery "
                          "near the border.",
           "pubDate": "Fri, 29 Sep 2023 18:00:00 GMT"}
QUIET = {"guid": "quiet-1", "title": "Belgrade opens new library", "link": "https://news.example/library",
         "description": "The city council opened a library in the old town."}
