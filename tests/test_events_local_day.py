"""A follow-up dates an incident by the day it happened where it happened, not by the UTC date of its first report
(issue 12, `dated_to_its_day` in bot/events/model.py).

Two stories near midnight, in our own words with made-up outlets: a market bombing at one in the morning on a Friday
in Mindanao (UTC+8) is first reported on Thursday evening, UTC; a police post attacked at nine on a Thursday evening
in Colombia (UTC-5) is first reported early on Friday, UTC. The next day's count names the local day ("Friday's
bombing", "Thursday's attack"), which the UTC date of the first report is not. Their look-alikes: a count naming
another day, a report of the same local day that names today, and a report whose only weekday is the day it was
published. What a feed's UTC date cannot say is the outlet's own clock: a weekday that may be the report's own day
(its UTC date) is never taken as the incident's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.events.model import dated_by_calendar, dated_to_its_day, local_days
from tests.test_events_followups_reading import HOUR, clash, opened, report

# Thursday 7 March 2024, 17:30 UTC: Friday 01:30 in Mindanao
MINDANAO_FIRST = datetime(2024, 3, 7, 17, 30, tzinfo=UTC)
BOMBING = report("Blast at night market in Cotabato kills five",
                 "A bomb went off at a night market in Cotabato City shortly after midnight, killing five people, "
                 "police said.", MINDANAO_FIRST, "isles-wire")
BOMBING_AT = clash({"killed": 5}, ("Cotabato", "Philippines"))
# Saturday 9 March, 03:00 UTC: Saturday 11:00 in Manila
NEXT_DAY_COUNT = report("Cotabato market bombing toll rises to eight",
                        "Three more people wounded in Friday's bombing at the night market have died, raising the "
                        "toll to eight, the city's health office said.", MINDANAO_FIRST + 33.5 * HOUR, "harbour-post")

# Friday 8 March 2024, 02:30 UTC: Thursday 21:30 in Colombia
COLOMBIA_FIRST = datetime(2024, 3, 8, 2, 30, tzinfo=UTC)
POST_ATTACK = report("Gunmen attack police post in Cauca, killing three officers",
                     "Gunmen opened fire on a rural police post in Cauca late in the evening, killing three officers, "
                     "the police said.", COLOMBIA_FIRST, "andes-desk")
POST_AT = clash({"killed": 3}, ("Cauca", "Colombia"))
# Saturday 9 March, 14:00 UTC
POLICE_COUNT = report("Cauca police post attack: fourth officer dies",
                      "A fourth officer wounded in Thursday's attack on the police post in Cauca died in hospital, the "
                      "police said.", COLOMBIA_FIRST + 35.5 * HOUR, "valley-news")


def test_the_local_days_of_an_incident_span_the_clocks_behind_and_ahead_of_utc() -> None:
    assert local_days(MINDANAO_FIRST) == {date(2024, 3, 7), date(2024, 3, 8)}   # Thursday in Bogotá, Friday in Manila
    assert local_days(COLOMBIA_FIRST) == {date(2024, 3, 7), date(2024, 3, 8)}
    # at noon UTC the first report is on the local day everywhere west of UTC+12, the next day beyond it
    assert local_days(datetime(2024, 3, 7, 12, 0, tzinfo=UTC)) == {date(2024, 3, 7), date(2024, 3, 8)}
    assert local_days(datetime(2024, 3, 7, 9, 0, tzinfo=UTC)) == {date(2024, 3, 6), date(2024, 3, 7)}


def test_a_count_naming_the_local_friday_of_a_bombing_first_reported_on_a_utc_thursday_is_dated_to_it() -> None:
    event = opened(BOMBING, BOMBING_AT)
    assert dated_to_its_day(event, NEXT_DAY_COUNT)   # UTC dates alone read Thursday and missed it


def test_a_count_naming_the_local_thursday_of_an_attack_first_reported_on_a_utc_friday_is_dated_to_it() -> None:
    event = opened(POST_ATTACK, POST_AT)
    assert dated_to_its_day(event, POLICE_COUNT)   # UTC dates alone read Friday and missed it


def test_another_day_the_same_local_day_and_the_reports_own_day_are_not_the_incidents_day() -> None:
    event = opened(POST_ATTACK, POST_AT)
    other_day = report(POLICE_COUNT.title, POLICE_COUNT.text.replace("Thursday's", "Tuesday's"),
                       POLICE_COUNT.published or COLOMBIA_FIRST)
    assert not dated_to_its_day(event, other_day)
    # an hour later, still Thursday night in Cauca: "Thursday" is today there, whatever happened
    same_night = report(POLICE_COUNT.title, POLICE_COUNT.text, COLOMBIA_FIRST + HOUR)
    assert not dated_to_its_day(event, same_night)
    # Saturday's report whose only weekday is Saturday, the day it is published: a statement's day
    own_day = report("Cauca police name officers killed at rural post",
                     "The police named the three officers on Saturday and said a fourth was in hospital.",
                     POLICE_COUNT.published or COLOMBIA_FIRST)
    assert not dated_to_its_day(event, own_day)
    mindanao = opened(BOMBING, BOMBING_AT)
    saturday = report(NEXT_DAY_COUNT.title, NEXT_DAY_COUNT.text.replace("Friday's", "Saturday's"),
                      MINDANAO_FIRST + 2 * 24 * HOUR)
    assert not dated_to_its_day(mindanao, saturday)   # Saturday is neither day the bombing may have happened on


def test_a_calendar_date_is_read_as_the_local_day_too() -> None:
    event = opened(BOMBING, BOMBING_AT)
    dated = report("Cotabato bombing: eight dead, police say",
                   "Eight people were killed in the bombing of the night market on 8 March, police said.",
                   MINDANAO_FIRST + 40 * HOUR)
    assert dated_by_calendar(event, dated)
    assert dated_to_its_day(event, dated)
    wrong_date = report(dated.title, dated.text.replace("8 March", "2 March"), MINDANAO_FIRST + 40 * HOUR)
    assert not dated_by_calendar(event, wrong_date)


def test_a_neighbouring_local_day_counts_only_as_the_day_of_the_deed() -> None:
    event = opened(POST_ATTACK, POST_AT)   # first reported Friday 02:30 UTC, Thursday evening in Cauca
    funeral = report("Cauca police bury officers killed at rural post",
                     "Funerals for the officers were held in Popayán on Thursday, the police said.",
                     POLICE_COUNT.published or COLOMBIA_FIRST)
    assert not dated_to_its_day(event, funeral)   # Thursday here is the funerals' day, not the attack's
    utc_day = report("Cauca police bury officers killed at rural post",
                     "The officers were remembered on Friday, the police said.",
                     POLICE_COUNT.published or COLOMBIA_FIRST)
    assert dated_to_its_day(event, utc_day)   # the UTC day of the first report, named in any way, as before
