"""What an article is: news of something that just happened, or a piece that only talks about it.

Rules that alert on incidents need news: an op-ed on the war, a trial over an old bombing, an
anniversary or a retrospective ("From the archive, 1994: ..."), an obituary or an explainer uses the same words
as the report of an attack. The kind
is read from the signs editors and writers leave, mostly in the headline and the first sentences
(a label such as "Opinion:" or "Profile:", "years since", "went on trial", "here is what we know") and from a few
closing lines that only one kind carries ("the views expressed ... are the author's own"). A
follow-up tells first of an attack it dates a week or more back ("last week's deadly attack"): its dead are that
attack's, so the shipped clash rule lets it update an open incident and never open one
(`events.update_only: {kind: follow-up}`). An article with none of those signs is news: the rule errs
toward alerting.

`kind` is a condition (`kind: news`, or a list) and is shown by `beacon match` and `/check`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Literal

from bot.engine.kind_local import headline_kind

Kind = Literal["news", "opinion", "analysis", "feature", "trial", "anniversary", "obituary", "explainer",
               "follow-up"]
KINDS: tuple[Kind, ...] = ("news", "opinion", "analysis", "feature", "trial", "anniversary", "obituary",
                           "explainer", "follow-up")

# How much of the body counts as the lead, where the signs of a kind are read.
LEAD_CHARS = 600

# Each kind: (signs in the headline, signs in the headline or lead, signs anywhere in the text).
_SIGNS: dict[Kind, tuple[str, str, str]] = {
    "opinion": (
        r"^(?:opinion|op-ed|comment|commentary|editorial|view|viewpoint|column)\s*[:|-]",
        r"",
        r"\b(?:views|opinions)\sexpressed\sin\sthis\s(?:commentary|article|column|piece|op-ed)"
        r"|\bis\sa\s(?:columnist|contributing\swriter|contributing\scolumnist)\b",
    ),
    "analysis": (
        r"^(?:analysis|news\sanalysis)\s*[:|-]",
        r"",
        r"",
    ),
    # a profile, portrait, interview or long read: a person's or a place's story, not a new incident
    "feature": (
        r"^(?:profile|feature|portrait|interview|long\sread|the\slong\sread|big\sread|in\sdepth|in\spictures"
        r"|photo\sessay|reporter'?s\snotebook)\s*[:|-]",
        r"",
        r"",
    ),
    "trial": (
        r"\b(?:trial|verdict|jury|jurors|testif\w*|acquit\w*|convict\w*|sentenced|sentencing|court\shears"
        r"|appeal\shearing|in\scourt|at\s(?:a\s)?hearing|tribunal"
        r"|(?:was|were|is|are|amounts?\sto|constitutes?)\s(?:an?\s)?(?:likely\s|possible\s|probable\s)?war\scrimes?"
        # charges brought over an attack: "Prosecutors charge 4 over synagogue attack", "Soldier charged with murder"
        r"|(?:prosecutors?|investigators?|police|authorities|courts?|judges?)\s(?:[a-z]+\s)?(?:charges?|charged|indicts?"
        r"|indicted)|charged\s(?:over|with|in))\b",
        r"\b(?:went\son\strial|on\strial\sfor|stood\strial|the\strial\sof|jurors|the\sjury|testified|took\sthe"
        r"\sstand|was\sconvicted|were\sconvicted|was\sacquitted|were\sacquitted|was\ssentenced|were\ssentenced"
        r"|pleaded\s(?:guilty|not\sguilty)|prosecutors\stold\sthe\scourt"
        # charges and rulings over deaths: "who is charged over the deaths of two hikers", "a judge ruled"
        r"|(?:is|was|were|are|been|being)\scharged\s(?:in|with|over)\s(?:the\s)?(?:deaths?|killings?|murders?"
        r"|manslaughter|shooting|bombing|attack|massacre)|indicted|arraigned|a\sjudge\sruled"
        r"|the\sjudge\sruled|faces?\s(?:murder\s)?charges"
        # hearings and tribunals over old killings, and findings that an old attack was a crime: "sat before the
        # victims' mothers at a hearing of the special peace tribunal", "... air strike was a likely war crime"
        r"|at\sa\s(?:[a-z'’-]+\s){0,3}hearing|(?:special|war\scrimes|military|peace|international)\s(?:criminal\s)?"
        r"tribunal"
        # a charge brought, and a court's death sentence carried out: "investigators charged four men with aiding the
        # gunmen", "carried out the death sentences of five men convicted over the attack"
        r"|(?:prosecutors|investigators)\s(?:have\s)?charged|(?:carried\sout|upheld|commuted)\s(?:the\s)?death\s"
        r"sentences?|death\ssentences?\s(?:of|on|against)|(?:men|man|woman|people)\sconvicted\s(?:over|of|for|in))\b",
        r"",
    ),
    "anniversary": (
        r"\b(?:anniversary|years\s(?:on|ago)|(?:a|one)\syear\s(?:on|ago)|remember\w*|commemorat\w*"
        r"|memorial|centenary|centennial"
        r"|decades\s(?:on|later)"
        # "a quarter-century on", "half a century later", "a decade on": a span of years since the event (told with
        # "after" or "since", see _SPAN_AFTER)
        r"|(?:a\s)?(?:quarter|half)[\s-](?:a\s)?century\s(?:on|later)|(?:a|one)\sdecade\s(?:on|later))\b"
        # "Srebrenica at 30: ...", "The alliance turns 75 -": an age of a place or an event in a headline
        r"|\b(?:at|turns)\s[1-9]\d{0,2}\s?[:–—-]",
        r"\b(?:anniversary|commemorat\w*|remembrance|centenary|centennial)\b",
        r"",
    ),
    "obituary": (
        r"\b(?:obituary|dies\saged|died\saged|dies\sat\s\d+|dead\sat\s\d+|passes\saway|passed\saway)\b",
        r"\b(?:died\s(?:on\s\w+\s)?at\sthe\sage\sof|is\ssurvived\sby|passed\saway|died\speacefully)\b",
        r"\b(?:is|was)\ssurvived\sby\b",
    ),
    "explainer": (
        r"^(?:explainer|explained|q\s?&\s?a|faq|timeline|chronology)\s*[:|-]|\b(?:what\swe\sknow|what\sto\sknow|what\syou\sneed\sto"
        r"\sknow|explained|here'?s\swhat|here'?s\swhy|a\stimeline|timeline\sof)\b",
        r"\b(?:here\sare\s(?:the\s)?(?:big\s|key\s)?questions|here'?s\swhat\swe\sknow|here'?s\swhat\syou\sneed"
        r"|what\swe\sknow\sso\sfar)\b",
        # a timeline: year after year, each with what happened ("2014: troops sent ... 2017: ...")
        r"(?:^|[.;]\s)(?:19|20)\d\d:\s.{0,400}?[.;]\s(?:19|20)\d\d:\s",
    ),
}
_COMPILED = {
    kind: tuple(re.compile(p) if p else None for p in patterns) for kind, patterns in _SIGNS.items()
}


# Words of a death or an attack, read to see what a lead tells first.
_FRESH_VIOLENCE = re.compile(r"\b(?:killed|killing|died|dead|bomb\w*|blast|explosion|attack\w*|gunmen|shot)\b")


def _told_first(lead: str, sign_at: int) -> bool:
    """Does the lead tell of deaths or an attack before its sign of an anniversary? "At least 36 people died
    in a car bomb attack on a rally held to commemorate ..." is news of the bombing; "Survivors commemorate
    the bombing that killed 36" is the anniversary, and so is "A year after militants killed scores ..., families
    gathered to mark the anniversary": deaths the lead itself dates a year or more back are not news."""
    for m in _FRESH_VIOLENCE.finditer(lead, 0, sign_at):
        if _YEARS_BACK.search(lead, max(0, m.start() - 60), m.start()) is None:
            return True
    return False


# An attack dated a year or more back, just before its words: "a year after militants killed", "two years since the"
_YEARS_BACK = re.compile(
    r"\b(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+|several|many)\s(?:years?|decades?)\s(?:after|since)"
    r"\b[^.;:]{0,40}$")


# A headline's own toll, as the clash rule reads it too (rules/fatal-clash.yaml): a headline that opens with a
# figure of dead or killed, or kills a figure in the present tense, is news of the attack.
_TOLL_FIGURE = (r"(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty"
                r"|forty|fifty|dozens|scores|hundreds)\b")
_HEADLINE_TOLL = re.compile(
    r"^(?:at\s+least\s+|more\s+than\s+|over\s+|nearly\s+)?" + _TOLL_FIGURE + r"\s+(?:people\s+)?(?:dead|killed)\b"
    r"|\bkills\s+(?:at\s+least\s+)?" + _TOLL_FIGURE)


def _toll_first(headline: str) -> bool:
    """Does the headline give a toll of its own, in figures or words? "103 dead in bombing of memorial crowd",
    "Blast at memorial service kills five" and "Gunman kills three in court shooting" are news of the attack;
    "Memorial held for five killed in ambush" and "Victims of 2015 attack remembered" are the anniversary."""
    return _HEADLINE_TOLL.search(headline) is not None


# A span of years counted from an event: "ten years after the massacre", "a year since the uprising", "a decade after
# peace deal". The headline is the event's anniversary only when it tells no new attack beside it (_NEW_ATTACK).
_SPAN_AFTER = re.compile(
    r"\b(?:years|decades|(?:a|one)\s(?:year|decade)|(?:a\s)?(?:quarter|half)[\s-](?:a\s)?century)\s(?:after|since)\b")
# Where the event a span counts from ends: "Ten years after Garissa, students remember", "... after Banjska: a village".
_SPAN_PHRASE_END = re.compile(r"[,;:–—]|\s-\s")
# A new attack told in a headline, besides its toll: a present-tense attack verb after a subject ("Rebels kill four
# soldiers", "gunmen attack army post"), not a noun after an article ("the attack"); "attacks" or "raids" may be a
# plural noun ("Paris attacks: ten years after ..."), so only "kills" counts of the forms in -s.
_NEW_ATTACK = re.compile(
    r"(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bof\s)(?<!\bin\s)\b(?:kill|kills|attack|storm|ambush|shell|raid"
    r"|bomb)\b"
    r"|^(?:at\s+least\s+|more\s+than\s+|over\s+|nearly\s+)?" + _TOLL_FIGURE
    + r"\s+(?:[a-z'’-]+\s+){0,2}?(?:dead|killed)\b")


def _span_since_the_event(headline: str) -> bool:
    """Does the headline count years from an event it marks ("Thirty years after Srebrenica, mothers still search")?
    Not when it tells a new attack beside the span: "Rebels kill four soldiers a decade after peace deal" and "Four
    soldiers killed in Casamance, a decade after ceasefire" are news of an attack years after something else; an
    anniversary is one of the attack it tells."""
    span = _SPAN_AFTER.search(headline)
    if span is None:
        return False
    end = _SPAN_PHRASE_END.search(headline, span.end())
    outside = [headline[:span.start()].strip()]
    if end is not None:
        outside.append(headline[end.end():].strip())
    return not any(_toll_first(part) or _NEW_ATTACK.search(part) for part in outside)


# A follow-up tells first of an attack it dates a week or more before today: "shops stayed shut, a week after
# the raid on the college", "eleven days after the ambush", "a month after the bombing", "earlier this month's
# raid"; the attack is what the anchor dates, in the same phrase ("Ten days after election, gunmen kill 12" dates
# the election, not the attack). Its dead are that attack's;
# a report of a new attack tells the new one first (in its headline, or its first sentence). An attack of this
# week, or one whose funerals are held, is too recent to leave to an incident Beacon may never have seen: that
# stays news.
_LEAD_VIOLENCE = re.compile(
    r"\b(?:killed|killing|kills|died|dead|deadly|bomb\w*|blasts?|explosions?|attacks?|gunmen|shot|shooting"
    r"|massacres?|massacred|ambush\w*|raids?|clash\w*|fighting|violence|violent|assaults?|strikes?|shelling"
    r"|siege)\b")
_EARLIER_ANCHOR = re.compile(
    r"\b(?:(?:last\s(?:week|month)(?:'s|’s)?|earlier\sthis\smonth(?:'s|’s)?)\b[^.;:]{0,50}$"
    r"|(?:weeks|a\sweek|a\sfortnight|a\smonth|months"
    # a week or more counted in days: "eleven days after", "10 days since"
    r"|(?:seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|[7-9]|[1-9]\d)\sdays)\s(?:after|since)\b"
    # what follows "after" up to the attack: the attack must be what it dates ("a week after the raid", "after the
    # battle in the hills, in which 34 died"), not a new one after the comma that ends the phrase ("Ten days after
    # election, gunmen kill 12")
    r"(?:[^.;:,]|,\s(?=(?:in\swhich|which|where|when|that)\b)){0,50}$)")
# What a headline's news answers, told last: "Benin to send 3,000 more troops to its border after deadly attacks",
# "... following jihadist assault", "... in response to raids".
_ANSWERED = re.compile(r"\b(?:after|following|in\sresponse\sto|in\sthe\swake\sof)\b.*$")


def _follows_up(headline: str, body_lead: str) -> bool:
    """Is the first attack or death the lead tells of one it dates a week or more back (see _EARLIER_ANCHOR)? A
    headline whose only attack is the one its news answers ("sends two battalions to Djibo after jihadist assault")
    leaves the body to date it."""
    if _first_dated_back(headline + ". " + body_lead):  # the headline's last words date nothing in the body
        return True
    answered = _ANSWERED.sub("", headline)
    return answered != headline and _LEAD_VIOLENCE.search(answered) is None and _first_dated_back(body_lead)


def _first_dated_back(lead: str) -> bool:
    first = _LEAD_VIOLENCE.search(lead)
    if first is None:
        return False
    return _EARLIER_ANCHOR.search(lead, max(0, first.start() - 80), first.start()) is not None


# A retrospective: a headline led by a past year or an archive's label, "1992: troops sent into the city", "From the
# archive, 1974: ...", "On this day: ...", "This week in history: ...", "25 years ago: ...". It retells an old
# event in the words of the day, a toll included, so the label wins over a toll in the headline.
_RETROSPECTIVE = re.compile(
    r"^(?:from\s(?:the|our)\s(?:[a-z]+\s)?archives?\b|on\sthis\s(?:day|date)\b"
    r"|(?:this|that)\s(?:day|week|month)\sin\shistory\b|today\sin\shistory\b|(?:[a-z0-9-]+\s){1,2}years\sago\b"
    # a history label: "History: when the Warsaw Pact massed on the border", "Flashback: ..."
    r"|(?:history|flashback|retrospective|looking\sback)\s?[:–—|-])"
)
# A headline led by a year, "1992: troops sent into the city": a retrospective when the year is before the one the
# article was published in ("2026: troops sent to the border" in a 2026 report is a live entry of the year's news).
_YEAR_LED = re.compile(r"^(?:in\s)?(?P<year>(?:1[89]|20)\d\d)\s?[:–—|]")
# A lead that opens with a date long past: "In the summer of 1968, the Soviet Union massed troops ...", "In August
# 1945 the Red Army ...", "On 20 August 1968 ...": a history told in the words of the day.
_DATED_LEAD = re.compile(
    r"^(?:in|on|during|by|throughout)\s(?:the\s)?(?:(?:early|late|spring|summer|autumn|fall|winter|first|last|final"
    r"|closing|opening|middle|end|start|beginning|months?|weeks?|days?|night|morning)\s(?:days\s|weeks\s|months\s)?)?"
    r"(?:of\s)?(?:\d{1,2}\s)?(?:(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s)?(?:\d{1,2},?\s)?(?:of\s)?(?P<year>1[5-9]\d\d|20\d\d)\b")
# How many years back a dated lead must go to be history rather than background to today's news.
HISTORY_YEARS = 10


def _publication_year(published: datetime | None) -> int:
    """The year the article was published in; an undated article is read as published now."""
    return (published or datetime.now(UTC)).year


def _retrospective(headline: str, body: str, year: int) -> bool:
    """A history or an archive piece: an archive's or a history's label, a headline led by an earlier year, or a
    lead that opens with a date HISTORY_YEARS or more back."""
    if _RETROSPECTIVE.search(headline):
        return True
    led = _YEAR_LED.search(headline)
    if led is not None and int(led.group("year")) < year:
        return True
    dated = _DATED_LEAD.search(body)
    return dated is not None and int(dated.group("year")) <= year - HISTORY_YEARS


# An outlet's tag or a dateline before the first word: "(CNN)", "BAGHDAD (Reuters) -", "KABUL -".
_DATELINE = re.compile(r"^(?:\([a-z]{2,12}\)\s*|[a-z][a-z ,.'’-]{1,40}\s(?:\([a-z .]{2,30}\)\s*)?[-–—]\s+)")
# An attack named as the subject: "the attack", "this week's attack on the college", "thursday's massacre".
_ATTACK_SUBJECT = (r"(?:the|this|that|(?:this|last)\s(?:week|month)(?:'s|’s)|[a-z]+day(?:'s|’s))\s(?:[a-z-]+\s){0,2}?"
                   r"(?:attacks?|massacres?|assaults?|bombings?|killings?|siege|shootings?|raids?|ambush)")
# The writer's own judgement of an attack, unattributed: "The attack is another step in the escalation ... and a
# clear indicator that security is deteriorating", "is one more sign of the group's weakness".
_JUDGED = re.compile(
    _ATTACK_SUBJECT + r"\b[^.;]{0,90}?\s(?:is|was|marks|marked|represents|represented|signals|signalled|signaled)\s"
    r"(?:(?:another|one\smore|a\sfurther|yet\sanother)\s(?:[a-z-]+\s)?(?:step|sign|indication|example|escalation|chapter"
    r"|reminder|symptom|illustration)|an?\s(?:clear|stark|grim|worrying|troubling|sobering|chilling|telling)\s"
    r"(?:sign|indicator|indication|reminder|symptom|illustration|example))\b")
# Words that tell a report's source or a speaker: a judgement told with one is the speaker's, reported as news.
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|according|told|warned|stated|claimed|believes?|called|wrote|tweeted)\b")
# A time that dates a reported incident: a weekday, "overnight", "yesterday", "on 3 May".
_DATED_TODAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|overnight|yesterday|today|tonight|this\smorning"
    r"|on\s\d{1,2}\s[a-z]+|on\s(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s\d)\b")


# A toll a sentence reports: "killed at least 12 villagers", "kills nine", "left 30 dead", "four soldiers were killed",
# "nine people died".
_AT_LEAST = r"(?:at\sleast\s|more\sthan\s|over\s|nearly\s|some\s|about\s|up\sto\s)?"
_SENTENCE_TOLL = re.compile(
    r"\b(?:killed|kills?)\s" + _AT_LEAST + _TOLL_FIGURE
    + r"|\bleft\s" + _AT_LEAST + _TOLL_FIGURE + r"\s(?:[a-z-]+\s)?dead\b"
    + r"|" + _TOLL_FIGURE
    + r"\s(?:[a-z'’-]+\s){0,2}?(?:(?:were|was|have\sbeen|had\sbeen)\s(?:killed|shot\sdead)|died|dead)\b")
# What makes a toll another clause's, not the sentence's own report: a relative or time clause before it ("in an
# attack that left scores dead", "a week after gunmen killed 12") or a war's toll ("the insurgency has killed 2,000").
_NOT_THE_REPORT = re.compile(
    r"\b(?:that|which|who|whom|whose|where|when|after|since|before|until|war|wars|conflict|insurgency|uprising"
    r"|rebellion|campaign|violence|crisis)\b")
# A toll kept over a period, told after its figure: "... since 2009", "this year", "so far".
_PERIOD_TOLL = re.compile(r"\b(?:since|this\syear|so\sfar|in\s(?:19|20)\d\d|over\sthe\s(?:past|last))\b")


def _reports_a_toll(headline: str, first_sentence: str) -> bool:
    """Does the headline give a toll of its own, or the first sentence report one in its main clause ("Gunmen killed
    at least 12 villagers in north-western Nigeria, police said")? Such a report is news of the attack, whatever the
    writer's verdict later in the lead."""
    if _toll_first(headline):
        return True
    toll = _SENTENCE_TOLL.search(first_sentence)
    if toll is None:
        return False
    if _NOT_THE_REPORT.search(first_sentence, 0, toll.start()) is not None:
        return False
    return _PERIOD_TOLL.search(first_sentence, toll.end()) is None


def _judges_an_attack(headline: str, body_lead: str) -> bool:
    """Does the lead judge an attack rather than report it? An analysis follows its first sentence with the writer's
    own verdict ("The attack is another step in the escalation ... and a clear sign that ...") in a lead that dates
    no incident to a day and reports no toll of its own (see _reports_a_toll): news tells when it happened and how
    many died, and leaves verdicts to the people it quotes. (A lead that only opens on this week's attack, "This
    week's attack on the college is the group's fifth", stays news: the attack is too recent to leave to a report
    Beacon may never have seen.)"""
    lead = _DATELINE.sub("", body_lead, count=1)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", lead) if s.strip()][:3]
    if any(_DATED_TODAY.search(s) for s in sentences[:2]):
        return False
    if not any(_JUDGED.search(s) and _ATTRIBUTION.search(s) is None for s in sentences):
        return False
    return not _reports_a_toll(headline, sentences[0])  # read only for the few leads with a verdict


def article_kind(title: str, text: str, published: datetime | None = None) -> Kind:
    """The kind of an article from its headline, lead and a few whole-text signs; news by default. `published`
    tells a year-led headline of this year's news from a retrospective (undated: read as published now)."""
    headline = " ".join(title.lower().split())
    body = text.lower()
    if _retrospective(headline, body.lstrip(), _publication_year(published)):
        return "anniversary"  # a retrospective: an old event retold, whatever the headline's toll
    body_lead = " ".join(text[:LEAD_CHARS].lower().split())
    lead = headline + " " + body_lead
    for kind, (in_title, in_lead, anywhere) in _COMPILED.items():
        if kind in ("anniversary", "trial") and _toll_first(headline):
            continue  # an attack on a memorial crowd or in a courthouse, told with its toll in the headline
        if kind == "anniversary" and _span_since_the_event(headline):
            return kind
        if in_title is not None and headline and in_title.search(headline):
            return kind
        sign = in_lead.search(lead) if in_lead is not None else None
        if sign is not None and (kind != "anniversary" or not _told_first(lead, sign.start())):
            return kind
        if anywhere is not None and anywhere.search(body):
            return kind
    local = headline_kind(headline)  # the same labels in Serbian, Albanian, Russian and Ukrainian
    if local is not None:
        return local
    if _judges_an_attack(headline, body_lead):
        return "analysis"
    if _follows_up(headline, body_lead):
        return "follow-up"
    return "news"
