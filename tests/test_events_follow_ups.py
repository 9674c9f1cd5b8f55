"""Follow-ups join their incident when words fall short: the same toll, the incident's place in the headline,
the same two countries or the same country alone; a new attack, another town or a lower toll stays apart.

The matches are built as the engine gives them (the event's place and what encloses it in `regions`, the
other places named in `mentioned`); the texts are ours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.events import find_event, join_reason, open_event, salient_terms
from bot.models import Article, Event, EventPolicy, Match, Severity

NOW = datetime(2022, 9, 13, 6, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def clash(facts: dict, regions: tuple[str, ...], mentioned: tuple[str, ...] = ()) -> Match:
    country = regions[-1] if regions else ""   # the engine's chain ends with the country
    return Match("fatal-clash", "Fatal armed clash", Severity.HIGH, ("conflict",), regions, facts,
                 key=f"rule=fatal-clash|region={country}", policy=EventPolicy(), mentioned=mentioned)


def opened(article: Article, m: Match, at: datetime = NOW) -> Event:
    return open_event(m, article, at, salient_terms(article, m.key.split("region=")[1]), None)


def report(title: str, text: str, at: datetime, source: str = "meridian-wire") -> Article:
    return Article(source, title, text, published=at)


def joins(event: Event, m: Match, article: Article, others: tuple[Event, ...] = (),
          late: frozenset[str] = frozenset()) -> bool:
    at = article.published or NOW
    terms = salient_terms(article, m.key.split("region=")[1])
    return find_event([event, *others], m, terms, None, article, at, late) == event


RAID = report("Gunmen kill 53 soldiers in attack on army post in northern Mali",
              "Fighters stormed the army camp at Indelimane in the Menaka region on Friday, killing 53 soldiers, "
              "the government said. Reinforcements were flown in from Gao.", NOW)
RAID_AT = clash({"killed": 53}, ("Menaka region", "Mali"), ("Niger",))


def test_the_same_toll_joins_a_report_that_shares_few_words() -> None:
    event = opened(RAID, RAID_AT)
    claim = report("Islamic State says its fighters carried out the raid, posting photos of seized rifles",
                   "The group's outlet published pictures of burnt vehicles. Bamako's count of dead soldiers "
                   "stands at 53.", NOW + 20 * HOUR, "lagos-ledger")
    m = clash({"killed": 53}, ("Mali",), ("Burkina Faso",))
    assert joins(event, m, claim)
    assert join_reason(event, [event], m, salient_terms(claim, "Mali"), claim, NOW + 20 * HOUR)[0] == \
        "joins: the same toll (53)"
    # a toll the incident never had, and nothing else in common: not a follow-up of it
    other = clash({"killed": 7}, ("Kidal region", "Mali"))
    assert not joins(event, other, report("Seven die as convoy hits mine on Kidal road",
                                          "Seven passengers died when their bus struck a mine.", NOW + 20 * HOUR))


def test_a_headline_naming_the_incidents_place_joins_from_a_dateline_elsewhere() -> None:
    market = report("Air strikes on Idlib market town kill at least 23",
                    "Strikes hit a vegetable market in the town of Maarat al-Numan on Monday, rescuers said.", NOW)
    event = opened(market, clash({"killed": 23}, ("Idlib", "Syria"), ("Russia",)))
    toll = report("Toll from Maarat al-Numan market strikes rises to 31",
                  "BEIRUT (Meridian Wire) - A war monitor gave a higher count on Monday evening.", NOW + 6 * HOUR)
    assert joins(event, clash({"killed": 31}, ("Beirut", "Lebanon"), ("Syria",)), toll)


def test_the_same_two_countries_join_only_when_no_other_incident_is_about_both() -> None:
    yerevan = report("Armenia says 49 soldiers killed as Azerbaijan shells border towns",
                     "Armenia said its positions near Jermuk and Goris came under fire overnight.", NOW)
    event = opened(yerevan, clash({"killed": 49}, ("Armenia",), ("Azerbaijan",)))
    baku = report("Baku says 50 servicemen died repelling provocations",
                  "The defence ministry said saboteurs had mined supply roads near Kalbajar.", NOW + 4 * HOUR)
    account = clash({"killed": 50}, ("Baku", "Azerbaijan"), ("Armenia",))
    assert joins(event, account, baku)
    # two open incidents about both countries: the pair decides nothing (a war has many incidents at once)
    other = opened(report("Azerbaijani soldier killed by sniper fire near Lachin", "One soldier died.", NOW),
                   clash({"killed": 1}, ("Azerbaijan",), ("Armenia",)))
    assert find_event([event, other], account, salient_terms(baku, "Azerbaijan"), None, baku, baku.published) is None


def test_a_new_attack_another_town_or_a_lower_toll_opens_a_new_incident() -> None:
    event = opened(RAID, RAID_AT)
    later = NOW + 14 * HOUR
    another = report("Another attack on Mali army post kills 53", "Fighters struck again at dawn.", later)
    assert not joins(event, clash({"killed": 53}, ("Mali",)), another)
    elsewhere = report("Militants storm Douentza checkpoint, 53 dead", "The checkpoint was overrun.", later)
    assert not joins(event, clash({"killed": 53}, ("Douentza", "Mali")), elsewhere)   # a town it never named
    lower = report("Mali says four soldiers killed in attack on army post",
                   "Four soldiers died when a post came under fire.", later)
    assert not joins(event, clash({"killed": 4}, ("Mali",)), lower)


def test_a_rising_toll_headline_is_a_follow_up_though_its_toll_is_lower_than_a_sum_of_both_sides() -> None:
    ceasefire = report("Ceasefire holds after fighting killed 105 Armenian and 71 Azerbaijani troops",
                       "Both sides said the truce agreed on Wednesday evening was holding.", NOW)
    event = opened(ceasefire, clash({"killed": 176}, ("Armenia",), ("Azerbaijan",)))
    raised = report("Armenia raises toll of border fighting with Azerbaijan to 135",
                    "The defence ministry named more of the dead on Friday.", NOW + 40 * HOUR)
    assert joins(event, clash({"killed": 135}, ("Armenia",), ("Azerbaijan",)), raised)
    said = report("Armenia says 135 soldiers died in fighting with Azerbaijan",
                  "The defence ministry gave the figure on Friday.", NOW + 40 * HOUR)
    assert not joins(event, clash({"killed": 135}, ("Armenia",), ("Azerbaijan",)), said)


def test_days_late_the_same_toll_or_a_headline_naming_the_incident_will_do_and_a_vague_piece_will_not() -> None:
    # (a report that reads as a follow-up, looking back with no dead of its own in the headline, may also join:
    # tests/test_events_followups_reading.py)
    event = opened(RAID, RAID_AT)
    late = frozenset({event.id})
    funerals = report("Mali buries 53 soldiers killed in army post attack",
                      "Families gathered in the capital for the funerals on Tuesday.", NOW + 4 * 24 * HOUR)
    assert joins(event, clash({"killed": 53}, ("Bamako", "Mali")), funerals, late=late)
    vague = report("Mali's army under pressure after a year of losses", "Analysts said the army was stretched.",
                   NOW + 4 * 24 * HOUR)
    assert not joins(event, clash({"killed": 12}, ("Mali",)), vague, late=late)
