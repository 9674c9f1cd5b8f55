"""Events across languages: one incident told in Serbian (both scripts), Albanian and English is one event,
and two incidents of one region and day in two languages stay two (the shipped rules, the pure core)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.engine import RuleSet, compile_rules, load_rules
from bot.enums import AlertAction
from bot.events import across_languages, decide_alerts, language_tag, name_key, salient_terms
from bot.models import Alert, Article, Event, Match, Severity

REPO = Path(__file__).resolve().parent.parent
FEEDS = REPO / "tests" / "data" / "lang" / "banjska-feeds.jsonl"
CROSSLANG = REPO / "tests" / "data" / "incidents" / "crosslang.jsonl"


def articles(path: Path, incident: str | None = None) -> list[Article]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        if incident is not None and row.get("incident") != incident:
            continue
        published = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
        out.append(Article(row["source"], row["title"], row["text"], url=row["url"], guid=row["url"],
                           published=published, language=row["language"]))
    return out


class Book:
    """An in-memory EventBook keyed as the store's is: by rule id and by `tag:<tag>`."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}

    def candidates(self, lookup: str, since: datetime) -> list[Event]:
        if lookup.startswith("tag:"):
            return [e for e in self.events.values() if lookup[4:] in e.tags and e.last_at >= since]
        return [e for e in self.events.values() if lookup in e.rule_ids and e.last_at >= since]

    def remember(self, event: Event) -> None:
        self.events[event.id] = event


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return compile_rules(load_rules(REPO / "rules"))


def replay(rules: RuleSet, reports: list[Article], lag: timedelta = timedelta(minutes=5)) -> tuple[Book, list[Alert]]:
    """Each report decided as it arrives, `lag` after it was published (or in the order given, an hour apart)."""
    book = Book()
    decided: list[Alert] = []
    arrival = max(r.published for r in reports if r.published) + lag
    for n, article in enumerate(reports):
        now = arrival + timedelta(hours=n)
        decided += decide_alerts(article, rules.match(article, now), now, book=book)
    return book, decided


def test_names_and_languages_compare_across_scripts_and_cases() -> None:
    assert {name_key(n) for n in ("Бањској", "Banjskoj", "Banjskë", "Banjska", "banjskes")} == {"banjs"}
    assert name_key("Звечан") == name_key("Zveçanit") == name_key("Zvečan") == "zveca"
    assert name_key("Zherovnicë") == name_key("Žerovnici") != name_key("Бољетину")
    cyrillic, latin, english = articles(FEEDS)[1], articles(FEEDS)[3], articles(FEEDS)[2]
    assert cyrillic.language == latin.language == "sr"
    tags = {language_tag(Match("fatal-clash", "Fatal armed clash", Severity.HIGH, language=a.language), a)
            for a in (cyrillic, latin, english)}
    assert tags == {"sr-Cyrl", "sr-Latn", "en-Latn"}


def test_the_banjska_story_in_four_feeds_and_three_languages_is_one_incident(rules: RuleSet) -> None:
    book, decided = replay(rules, articles(FEEDS))
    assert len(book.events) == 1
    event = next(iter(book.events.values()))
    assert event.facts["killed"] == 4
    assert "north-kosovo" in event.regions and "Kosovo" in event.regions
    assert set(event.languages) == {"sq-Latn", "sr-Cyrl", "en-Latn", "sr-Latn"}
    assert len(event.sources) == 4
    assert [a.action for a in decided].count(AlertAction.SEND) == 1
    assert sum(1 for a in decided if a.suppressed and "throttled" in a.suppressed) == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_the_banjska_story_in_any_order_is_one_incident_with_the_day_s_toll(rules: RuleSet, seed: int) -> None:
    reports = articles(FEEDS)
    random.Random(seed).shuffle(reports)
    book, decided = replay(rules, reports)
    assert len(book.events) == 1, [(a.article.title, a.event.id if a.event else None) for a in decided]
    event = next(iter(book.events.values()))
    assert event.facts["killed"] == 4
    assert not any(c.startswith("death toll revised") for u in event.updates for c in u.changes)


def test_two_villages_of_one_municipality_on_one_day_in_two_languages_stay_two_incidents(rules: RuleSet) -> None:
    zerovnica = articles(CROSSLANG, "x02")   # Serbian Latin, then Albanian: one man killed in Žerovnica
    boljetin = articles(CROSSLANG, "x03")    # Serbian Cyrillic, then English: two killed in Boljetin
    book, _ = replay(rules, [zerovnica[0], boljetin[0], zerovnica[1], boljetin[1]])
    assert len(book.events) == 2
    by_toll = {e.facts["killed"]: e for e in book.events.values()}
    assert set(by_toll) == {1, 2}
    assert set(by_toll[1].languages) == {"sr-Latn", "sq-Latn"}
    assert set(by_toll[2].languages) == {"sr-Cyrl", "en-Latn"}


def test_the_join_asks_for_place_name_time_and_toll(rules: RuleSet) -> None:
    ambush_sq, ambush_sr = articles(FEEDS)[0], articles(FEEDS)[1]
    book, _ = replay(rules, [ambush_sq])
    event = next(iter(book.events.values()))
    now = (ambush_sr.published or event.first_at) + timedelta(minutes=5)
    match = next(m for m in rules.match(ambush_sr, now) if m.rule_id == event.rule_id)
    terms = salient_terms(ambush_sr, "Kosovo")
    assert across_languages(event, match, ambush_sr, terms, now)
    # a day later it is another incident, however alike
    late = Article(ambush_sr.source, ambush_sr.title, ambush_sr.text, published=now + timedelta(hours=20),
                   language="sr")
    assert not across_languages(event, match, late, terms, now + timedelta(hours=20))
    # English to English, the words decide, not this rule
    wire, siege = articles(FEEDS)[2], articles(FEEDS)[7]
    english, _ = replay(rules, [wire])
    only_english = next(iter(english.events.values()))
    siege_now = (siege.published or now) + timedelta(minutes=5)
    siege_match = next(m for m in rules.match(siege, siege_now) if m.rule_id == only_english.rule_id)
    assert not across_languages(only_english, siege_match, siege, salient_terms(siege, "Kosovo"), siege_now)
    # ...and Serbian to that English incident, the place, the name, the time and the toll do
    assert across_languages(only_english, match, ambush_sr, terms, now)
    # a headline naming another village is another incident, though the municipality is shared
    other = articles(CROSSLANG, "x02")[0]
    other_now = event.first_at + timedelta(hours=2)
    other = Article(other.source, other.title, other.text, published=other_now - timedelta(minutes=5),
                    language="sr")
    other_match = next(m for m in rules.match(other, other_now) if m.rule_id == event.rule_id)
    assert not across_languages(event, other_match, other, salient_terms(other, "Kosovo"), other_now)


def test_the_alert_says_the_language_of_the_report_it_shows_and_keeps_its_words(rules: RuleSet) -> None:
    from bot.render import Renderer, View
    from bot.telegram.markup import visible_text

    renderer = Renderer(REPO / "templates")
    renderer.check()
    cyrillic_first = [articles(FEEDS)[1], articles(FEEDS)[2]]   # Ибарски лист, then the English wire
    book, decided = replay(rules, cyrillic_first)
    event = next(iter(book.events.values()))
    first = next(a for a in decided if a.action == AlertAction.SEND)
    text = visible_text(renderer.render(first, view=View(event=event))[0].text)
    assert "Бањске\n🗣 Serbian (Cyrillic)\n" in text   # a line of its own under the headline
    assert "Погинуо косовски полицајац у пуцњави код Бањске" in text and "погинуо је" in text
    # an English report shown: no language line
    english, english_decided = replay(rules, [articles(FEEDS)[7]])
    wire = next(iter(english.events.values()))
    alert = next(a for a in english_decided if a.action == AlertAction.SEND)
    assert "🗣" not in visible_text(renderer.render(alert, view=View(event=wire))[0].text)
    # without an event (clustering off) the declared or detected language still shows
    latin = articles(FEEDS)[3]
    match = next(m for m in rules.match(latin) if m.rule_id == "kosovo-fatal-clash")
    plain = renderer.render(Alert(latin, match, latin.published or datetime.now()))[0].text
    assert "🗣 Serbian" in visible_text(plain) and "jedan policajac ubijen" in visible_text(plain)
