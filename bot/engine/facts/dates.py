"""Dates written in a sentence, placed against the article's publication time.

News style names the day of an incident by its weekday while it is within a week of the report
("on Tuesday", "Saturday's attack") and by month and day, or by month alone, once it is older
("on January 19", "in a Jan. 15 drone strike", "killed in January"). A death whose clause carries
such a date, weeks before the article was published, is background: the dead of an earlier
incident that a feature, a profile or a follow-up recalls, not news of a new one.

Only dates the text writes as dates count: a month name after "in", "on", "early", "late" or "mid",
or next to a day number ("may" and "march" are also verbs). A month without a year is the latest such
month not after the publication ("in December", read in January, is last December); a month without a
day is taken at its last day, so "in April" read on 20 April is not in the past. When the publication
time is unknown, only a month named without a day counts ("killed in a raid in January"): a report of
fresh deaths names their day, while "on 4 May" may be the report's own day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from bot.engine.lazy_regex import lazy_compile

# How far before the publication a date must lie to be an earlier incident rather than this one:
# a week, the span in which news style names the weekday instead.
RECENT = timedelta(days=7)

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_MONTH = r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december" \
         r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?"
_YEAR = r"(?:,?\s(?P<year>(?:19|20)\d\d)\b)?"
# "on January 19", "a Jan. 15 strike", "in early March", "since May 2014", "on 3 March 2020"
_DATE = lazy_compile(
    r"\b(?:(?P<lead>in|on|early|late|mid)[\s-](?:(?:early|late|mid)[\s-])?)?"
    r"(?:(?P<day_first>\d{1,2})(?:st|nd|rd|th)?\s)?" + _MONTH
    + r"(?:\s(?P<day>\d{1,2})(?:st|nd|rd|th)?\b)?" + _YEAR
)
# An article or determiner before "early march", "late march": the noun, a march held early or late, not the month.
_A_MARCH = lazy_compile(r"\b(?:a|an|the|this|that|its|their|his|her|our|one|another|each)\s$")
_NOUN_MONTHS = frozenset(("march",))
# A date that a figure is compared with, not the date of the deaths: "one short of the figure in April",
# "the highest toll since March", "up from 12 in May".
_COMPARED = lazy_compile(
    r"\b(?:figure|toll|total|tally|record|level|number|peak|high|low|than|since|compared\s(?:to|with)|up\sfrom"
    r"|down\sfrom|from\s\d[\d,]*)\s(?:[\w'’-]+\s){0,2}$"
)
# Words that place a clause within the last days: a clause that has one is about now, whatever
# older date it also names ("killed on Tuesday in a camp set up in January").
_FRESH = lazy_compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|yesterday|overnight"
    r"|last\snight|this\s(?:morning|afternoon|evening|week))\b"
)


def date_before(low: str, lo: int, hi: int, published: datetime | None, margin: timedelta = RECENT) -> bool:
    """Does low[lo:hi] date what it tells to more than `margin` before `published` (or, with no
    publication time, to a month alone), with no word of the last days beside it?"""
    if _FRESH.search(low, lo, hi) is not None:
        return False
    for m in _DATE.finditer(low, lo, hi):
        if _COMPARED.search(low, max(lo, m.start() - 40), m.start()) is not None:
            continue
        if _A_MARCH.search(low, max(lo, m.start() - 12), m.start()) is not None and _is_the_noun(m):
            continue
        if published is None:
            if m.group("lead") is not None and m.group("day") is None and m.group("day_first") is None:
                return True
            continue
        when = _resolve(m, published.date())
        if when is not None and when < published.date() - margin:
            return True
    return False


def _is_the_noun(m: re.Match[str]) -> bool:
    """Is the matched "early march" or "late march", after an article, the noun ("police broke up an early
    march")? Without a day or a year to make it a date, a month that is also a noun reads as the noun."""
    return (m.group("month") in _NOUN_MONTHS and m.group("lead") in ("early", "late")
            and m.group("day") is None and m.group("day_first") is None and m.group("year") is None)


def _resolve(m: re.Match[str], today: date) -> date | None:
    """The latest day the date can mean, or None when the words are not a date ("may also", "the march")."""
    day_text = m.group("day") or m.group("day_first")
    if m.group("lead") is None and day_text is None:
        return None
    month = _MONTH_NUMBERS[m.group("month")]
    year_text = m.group("year")
    year = int(year_text) if year_text else today.year
    last_day = calendar.monthrange(year, month)[1]
    day = last_day
    if day_text is not None:
        day = int(day_text)
        if not 1 <= day <= last_day:
            return None
    if year_text is None and date(year, month, 1) > today:
        year -= 1  # "in December", read in January: last December
        last_day = calendar.monthrange(year, month)[1]
        if day_text is None or day > last_day:
            day = last_day
    return date(year, month, day)
