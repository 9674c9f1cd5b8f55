"""The named word lists and patterns the casualty and troop readers look for."""

from __future__ import annotations

from bot.engine.facts.numbers import _MODS, _NUM, _NUMR, _SCALES, _TENS, _UNITS, _by_first_letter
from bot.engine.lazy_regex import lazy_compile

# --------------------------------------------------------------------------- vocabulary

# (The stems of the words that carry facts are in facts/cues.py.)
# A sentence ends at . ! ? before a capital, a digit or a quote (so "U.S. troops" is one sentence).
# Literal-led, so the scan runs at C speed; "!" and "?" are looked for only when present, each by its
# own literal-led pattern (one pattern led by the class [!?] or a newline stopped at every character).
_SENT_END = lazy_compile(r"\.[\"'”’)]{0,2}\s{1,3}(?=[A-Z0-9\"'“‘(])")
_EXCLAIM_END = lazy_compile(r"![\"'”’)]{0,2}\s{1,3}(?=[A-Z0-9\"'“‘(])")
_QUESTION_END = lazy_compile(r"\?[\"'”’)]{0,2}\s{1,3}(?=[A-Z0-9\"'“‘(])")
_NEXT_WORD = lazy_compile(r"\s{1,3}([a-z][a-z'’-]*)")

# Animals a raid kills beside its victims ("killed a farmer and 40 of his cattle"): no people killed.
_ANIMALS = frozenset(
    """cattle cow cows bull bulls ox oxen calf calves goat goats sheep camel camels livestock animal animals horse
    horses donkey donkeys mule mules dog dogs pig pigs chicken chickens poultry""".split()
)
# Nouns that, right after a figure, make it something other than people.
_THINGS = _ANIMALS | frozenset(
    """day days hour hours week weeks month months year years decade decades minute minutes km kms kilometres
    kilometers kilometre kilometer miles mile metres meters metre meter feet foot yards percent per cent % pm am
    a.m. p.m. o'clock tanks tank vehicles vehicle trucks truck lorries cars car buses bus missiles missile rockets
    rocket drones drone shells shell bombs bomb villages village towns town houses homes buildings building
    rounds times aircraft planes plane jets jet helicopters helicopter ships ship boats boat vessels dollars
    euros pounds rupees tonnes tons kg kilograms litres acres hectares provinces districts countries states
    cities locations sites positions posts points rifles guns weapons artillery launchers batteries brigades
    battalions divisions regiments units companies squadrons flights sorties attacks strikes raids incidents
    cases votes seats percentage bases camps year-old old""".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun"
    " jul aug sep sept oct nov dec".split()
)
# Words before a figure that make it a label, not a count ("Route 6", "Resolution 1701").
_LABELS = frozenset(
    """route highway road resolution article division brigade battalion regiment unit flight number no page
    chapter section district block sector zone ward gate level grade class type model su mig f t kh tu il
    camp base point hill height paragraph item kilometre kilometer km mile""".split()
)
_VAGUE_STARTS = ("dozens", "scores", "hundreds", "thousands", "tens", "several", "a few", "few", "half a", "a dozen")
_NUMBERISH = frozenset([*_UNITS, *_TENS, *_SCALES, "dozen", "dozens", "scores", "hundreds", "thousands", "another"])
_NUM_JOINERS = frozenset(("and", "to", "or", "between", "a", "of", "half", "tens", "several", "few", "-", "–",
                          "more", "than", "over", "nearly", "almost", "about"))
_PUNCT = ".,;:!?\"'()[]“”‘’"
_DIGIT = lazy_compile(r"\d")
_SUBSET_MARKERS = ("including", "among them", "among whom", "of whom", "of them", "mostly", "most of them")
_AUX = frozenset("were was are is been being have has had".split())
_SINGULAR_AUX = frozenset(("was", "has", "is"))
# A clause break or another action between a figure and the verb it is not the subject of.
_GAP_STOP = lazy_compile(
    r"[;:()\[\]]|,\s(?:and|but|while|as|when|after|before|which|where|although|though)\b|\b(?:"
    + _by_first_letter(
        "killing|wounding|injuring|killed|wounded|injured|said|says|told|according|after|before|when|while"
        "|but|because|although|though|whereas|if|then"
    )
    + r")\b"
)
# "a soldier and " / "an officer, " just before a counted group: one more person in the list.
# One more person after a counted group: "five rebels and a police sergeant were killed", also closing a
# breakdown set off by commas ("three people, two officers and a civilian, were killed").
_ONE_AFTER = lazy_compile(
    r"\s(?:and|as\swell\sas|plus)\s(?:an?|another|his|her|their|its|one)\s(?:[a-z'’-]+,?\s){1,8}$"
)
# Two people, each with no figure: "a rebel commander and his driver were killed".
_TWO_SINGLES = lazy_compile(
    r"(?<![a-z'’-])(?:an?|one|the)\s(?:[a-z'’-]+\s){1,3}and\s(?:an?|another|his|her|their|its|the)\s"
    r"(?:[a-z0-9'’-]+\s){1,3}(?:were|have\sbeen|had\sbeen|are)\s$"
)
# Asides inside a counted subject that name, not count: a bracketed name or acronym ("Three ADF [Allied Democratic
# Forces] fighters", "four members of KLO(Rebel)") and a group's member set off by commas ("Two farmers, including
# the head of the village council, were shot dead"). Read past them; a bracket with a figure in it is
# another account ("four policemen (six according to the rebels)") and is left to the aside reader.
_NAMING_ASIDE = lazy_compile(r"\([^()\d]{1,60}\)|\[[^\[\]\d]{1,60}\]|,\s(?:including|among\sthem)\s[^,;:\d]{1,80},")
_ONE_BEFORE = lazy_compile(
    r"(?:^|[\s,(])(?P<a>an?|another)\s(?:(?!(?:was|were|is|are|has|had|have|been|killed|died|dead|shot|wounded"
    # a source and its figure are no single victim: "a monitor said six militiamen and four soldiers"
    r"|injured|said|says|told|reported|claimed|announced|\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten)\s)"
    r"[\w'’.-]+\s){1,4}(?:and|,)\s$"
)
_LIST_WORD = r"\s(?!(?:were|was|are|is|have|has|had|been|killed|wounded|injured|died|dead|hurt)\b)[a-z'’.-]+"
_LIST_GAP = lazy_compile(rf"(?:{_LIST_WORD}){{0,4}},?\s(?:and|as\swell\sas|plus)\s|(?:{_LIST_WORD}){{0,4}},\s")
_FOLLOWING = lazy_compile(r"[\s-]{0,3}([a-z%$€£][a-z'’.%-]{0,30}?)[.,]?(?![a-z'’.%-])")

# Background: a figure in a clause like this is history, not the incident.
_BACKGROUND = lazy_compile(
    r"\b(?:"
    + _by_first_letter(
        r"since\s(?:(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|november"
        r"|december|the\s(?:start|beginning|outbreak|war|conflict|insurgency|uprising|invasion|fighting)|last|early"
        r"|late|then|records|independence)"
        # a period opened by an earlier turn of events: "since the November 2024 ceasefire", "since the fall
        # of the government" (not "since the attack": the incident's own dead may still rise)
        r"|since\sthe\s(?:[\w-]+\s){0,2}?(?:ceasefire|truce|armistice|coup|fall|collapse|takeover|overthrow"
        r"|ouster|revolution|withdrawal|agreement|accord|deal|election|elections)"
        # other incidents like it: "dozens have been killed in similar strikes"
        r"|in\s(?:similar|such|previous|earlier|past|prior)\s(?:[\w-]+\s)?(?:attacks|strikes|raids|bombings"
        r"|incidents|clashes|blasts|explosions|shootings|ambushes)"
        r"|this\syear|last\syear|in\srecent\s(?:years|months|decades)|years\s(?:ago|since)"
        # a count kept since then, the clause ending on it: "strikes which officials say have killed 300 people since."
        r"|since(?![\s,]*\w)"
        # a part of a past year: "more than 80 died in the first weeks of the crisis in early 2025"
        r"|in\s(?:early|late|mid|mid-)\s?(?:19|20)\d\d"
        # a period's toll: "more than 40 people have been killed in the city this month alone"
        r"|this\s(?:month|week)\salone|so\sfar\sthis\s(?:month|week)"
        r"|over\sthe\s(?:past|last)\s(?:\w+\s)?(?:years|months|decades|weeks)|in\s(?:19|20)\d\d"
        r"|during\s(?:the\s)?(?:\w+\s){0,2}(?:war|conflict|insurgency|crisis|crises)"
        r"|in\sthe\s(?:\w+\s){0,2}(?:war|conflict|insurgency|crisis|crises)|during\scrises"
        r"|at\sthe\s(?:height|peak)\sof|in\sthe\spast|film|novel|movie|game"
        # a TV series, not "a series of bomb blasts"
        r"|series(?!\sof\s(?:[\w-]+\s){0,2}(?:attacks|blasts|bombings|explosions|raids|strikes|clashes|shootings"
        r"|assaults|ambushes))"
    )
    + r")\b"
)
# Every _BACKGROUND match holds one of these words or a year: a cheap test before the regex.
_BACKGROUND_WORDS = frozenset(
    """since year years during war conflict insurgency crisis crises height peak past month months week weeks decades
    film novel movie series game similar such previous earlier prior""".split()
)
_YEAR = lazy_compile(r"(?:19|20)\d\d")
# The toll of a whole war, not of the incident: "the insurgency has claimed more than 2,000 lives".
_CUMULATIVE = lazy_compile(
    r"\b(?:war|wars|conflict|insurgency|uprising|rebellion|violence|fighting|campaign|crisis|revolt|unrest)"
    r"\s(?:has|have|had)\s(?:so\sfar\s|now\s|already\s|since\s)?(?:claimed|killed|left|cost)\b"
)
# The same with words between the war and its verb, read from the sentence's start up to the figure: what the war
# is between or against ("the war between the army and the Rapid Support Forces has killed", "the insurgency against
# the federal government has claimed"), an aside set off by commas ("the war, now in its third year, has killed") and
# an adverb ("has since killed"). Only a war, never "fighting" or "violence", which may be the incident itself
# ("fighting in the city has killed 12").
_CUMULATIVE_SUBJECT = lazy_compile(
    r"\b(?:war|wars|conflict|insurgency|uprising|rebellion|campaign|revolt|civil\swar)\b"
    r"(?:\s(?:between|against|in|on|of|over|with|for|since|by|across|among|along|from|waged|fought|led)\s[^.;:,]{1,120}?)?"
    r"(?:,\s[^.;:]{1,100}?,)?"
    r"\s(?:has|have|had)\s(?:(?:so\sfar|now|already|since|reportedly|also|in\stotal|altogether)\s){0,2}"
    r"(?:claimed|killed|left|cost)\s(?:the\slives\sof\s)?"
    r"(?:(?:at\sleast|more\sthan|over|nearly|about|some|around|almost|an\sestimated|up\sto|well\sover)\s)?$"
)
# A war word after one of these words, in the words its clause opens with, is inside another subject's phrase:
# "Shelling in the campaign against the rebels has killed 14", "A car bomb in al-Shabaab's campaign ... has killed 9"
# tell the toll of the shelling and the bomb. The war's own toll has the war as the subject ("The campaign against
# the rebels has killed 14,000", "In the north, the war has killed ...": a comma or a conjunction ends the phrase).
_WAR_INSIDE_A_PHRASE = lazy_compile(
    r"\b(?:in|of|during|amid|against|from|by|for|with|under|on|at|over|between|among|across|inside|near"
    r"|throughout|into|within)\s(?:(?!\b(?:and|but|while|as|which|that|who|when)\s)[^,;])*$")
# A relative clause between the war and its verb makes the war the verb's subject: "in a war ... that has killed".
_RELATIVE_ON_THE_WAR = lazy_compile(r"\s(?:that|which)\s")
# The same told by a relative clause after the war is named: "fighting between factions of the cartel since
# September 2024, which has killed more than 1,200 people" (read from the sentence's start up to the figure).
_CUMULATIVE_WHICH = lazy_compile(
    r"\b(?:war|wars|conflict|insurgency|uprising|rebellion|violence|fighting|campaign|crisis|revolt|unrest|feud)\b"
    r"[^.;]{0,120}?,?\s(?:which|that)\s(?:has|have)\s(?:so\sfar\s|now\s|already\s)?(?:claimed|killed|left|cost)\s"
    r"(?:the\slives\sof\s)?(?:at\sleast\s|more\sthan\s|over\s|nearly\s|about\s|some\s|around\s)?$"
)
# The toll of recent attacks, not of one: "the marches follow recent violent attacks on foreigners that have claimed
# five lives", "recent attacks in the city have killed 30" (a present perfect over several incidents; read from the
# sentence's start up to the figure).
_RECENT_ATTACKS = lazy_compile(
    r"\brecent\s(?:[a-z'’-]+\s){0,2}(?:attacks|killings|bombings|raids|clashes|shootings|assaults|strikes)\b"
    r"[^.;]{0,100}?\s(?:(?:that|which)\s)?(?:have|had)\s(?:so\sfar\s|now\s|already\s)?(?:claimed|killed|left|cost)\s"
    r"(?:the\slives\sof\s)?(?:at\sleast\s|more\sthan\s|over\s|nearly\s|about\s|some\s|around\s)?$"
)
# "threatened to kill", "would kill", "plans to kill": a killing that has not happened.
_NOT_YET = frozenset("to would will could might may can shall should".split())
# A dated incident referred to by a relative clause: "a 1974 car bombing that killed", "the Aug. 21
# grenade attack on a rally in which 20 were killed". A weekday ("Saturday's attack, in which 900 were
# killed") is recent enough to be the news itself.
_REFERENCED_INCIDENT = lazy_compile(
    r"(?:\b(?:19|20)\d\d|\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s\d{1,2}\b)"
    r"\s(?:[\w'’-]+\s){0,5}?(?:attacks?|bombings?|blasts?|explosions?|raids?|massacres?|shootings?|assaults?"
    r"|ambush(?:es)?|strikes?)\s(?:[\w'’.,-]+\s){0,8}?(?:that|which|in\swhich|when)\s"
)
# An earlier incident in a follow-up: its dead are not today's ("after militants killed 147 last week",
# "last month's attack"). For casualties only: "from a peak of 8,350 last month" is still a troop figure.
_EARLIER_INCIDENT = lazy_compile(
    r"\b(?:last\s(?:week|month|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|earlier\sthis\s(?:month|year)"
    r"|(?:\w+\s)?(?:weeks|months)\sago|(?:years|decades)\s(?:after|since|ago|later))"
)
# A victim's capture told with its time, before the death it leads to: "kidnapped in the capital three weeks ago".
_CAPTURED_BEFORE = lazy_compile(
    r"\b(?:kidnapped|abducted|seized|captured|taken\shostage|held\shostage|held\scaptive)\b[^.;,]{0,50}$")
# A clause dated days before the report's incident, read from the clause's start to its figure: "three
# days after 51 died in an ambush", "a week after an attack on a market killed 20". Hours are too close
# to tell a new incident from the same one told again.
_DAYS_AFTER = lazy_compile(
    r"\b(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\sfew|\d+)\s(?:days?|weeks?|months?)"
    r"|days|weeks|months)\s(?:after|since)\b"
)
# Another incident told in the same report: its dead are not this incident's ("In another attack, the
# militants ambushed a convoy ...", "In a separate incident", "Separately,", "Elsewhere,"). Read at the
# start of the figure's sentence.
# ... or an earlier one told for comparison: "In a similar attack on the same post in 2019, 30 soldiers were wounded"
_SEPARATE_INCIDENT = lazy_compile(
    r"(?:in\s(?:another|a\sseparate|a\ssecond|an\searlier|a\slater|a\ssimilar|a\sprevious|a\sprior)\s"
    r"(?:[a-z-]+\s)?(?:attack|incident|clash|ambush|raid"
    r"|operation|strike|event|assault)\b|separately,|elsewhere,)"
)
# A part of a group just counted: "killing 20 people, 18 of them women", "nine soldiers, three of whom".
_SUBSET = lazy_compile(r"\s(?:of\sthem|of\swhom|among\sthem)\b")
# A figure a later count replaced: "an initial report said eleven had died, but the figure was later revised".
_SUPERSEDED = lazy_compile(
    r"\b(?:(?:initial|early|earlier|first|preliminary)\s(?:reports?|tolls?|figures?|counts?|accounts?)"
    r"|initially\s(?:reported|said|put|given|gave|announced|estimated|counted)"
    r"|had\s(?:earlier\s)?(?:said|reported|put))\b"
)
# A group added to the dead already told: "two civilians were also killed", "two others died".
_ALSO = lazy_compile(r"\b(?:also|others|other\s(?:people|civilians|soldiers|officers|fighters|militants))\b")
# Another account of dead already counted: "Taliban claimed 4 soldiers were killed", "Other sources
# reported 16", "According to Taliban sources, ...". Read at the start of the figure's sentence, and
# only once a figure has been counted: a report's only figure counts whoever gives it.
_OTHER_ACCOUNT = lazy_compile(
    r"(?:(?:(?:but|and|yet|however,?)\s)?(?:[\w'’-]+\s){1,3}(?:claimed|claims|said|says|reported|reports)\s(?:that\s)?(?:\d|at\sleast|more"
    r"|up\sto|as\smany)|other\s(?:sources|reports|accounts)|according\sto\s(?:[\w'’-]+\s){0,3}(?:sources"
    r"|claims))"
)
# A side's claim told after the figure is known: "a website run by the insurgents claimed that its men had
# killed at least 30" is another account, not more dead (the claim of responsibility is not).
_CLAIMED_FIGURE = lazy_compile(
    r"\bclaim(?:ed|s|ing)?\s(?!responsibility)(?:that\s)?(?:[\w'’-]+\s){0,8}?(?:had\s|has\s|have\s)?"
    r"(?:killed|kill|killing|shot\sdown)\s(?:at\sleast\s|more\sthan\s|up\sto\s|as\smany\sas\s|some\s|over\s)?$"
)
# A clause dated to a past month: background for casualties and the direction; for troops, a fallback figure
# when the story is a pullback and gives no current one (the size of the deployment being ended).
_DATED = lazy_compile(
    r"\bin\s(?:(?:early|late|mid)[\s-])?(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december|spring|summer|autumn|fall|winter)(?:\sof)?\s(?:19|20)\d\d\b"
)
# Existing strength or a goal, not the deployment in question: words just before the figure
# ("currently has around 3,800 personnel", "reinforce the 600", "grow to 200,000 soldiers") or
# just after it ("600 already in the country").
_EXISTING_BEFORE = lazy_compile(
    r"\b(?:currently|presently|at\spresent|existing|permanent(?:ly)?|normally|usually|routinely|peacetime"
    r"|in\saddition\sto|on\stop\sof|(?:grow|expand|increase|raise)\sto|target\sof|goal\sof)\s(?:[a-z'’.-]+\s){0,3}$"
    r"|\b(?:join|reinforc|bolster|strengthen|support)\w*\s(?:the|its|their)\s(?:[a-z'’.-]+\s){0,2}$"
)
_EXISTING_AFTER = lazy_compile(
    r"\s(?:[a-z'’.-]+\s){0,3}?(?:already|currently)\s(?:there|in|stationed|based|present|on)\b"
)

# --------------------------------------------------------------------------- casualty cues

_KILL_VERBS = frozenset(("kill", "kills", "killed", "killing", "massacre", "massacres", "massacred", "massacring"))
_SHOOT = frozenset(("shot", "shoot", "shoots", "shooting"))
# A named victim with the age set off by commas, right before "killed": "Arben Krasniqi, 36, killed on Wednesday".
_NAMED_AND_AGED = lazy_compile(r"[A-Z][a-z'’-]+,\s\d{1,2},\s(?:was\s|who\swas\s)?$")
# One victim between the verb and "dead": "shooting the village head dead", "shot a district magistrate dead"
# (a figure there is read as a count elsewhere: "shot two policemen dead").
_SHOT_ONE_DEAD = lazy_compile(
    r"\b(?:shot|shoot|shoots|shooting)\s(?P<one>the|a|an|his|her|their|its)\s(?:[a-z'’-]+,?\s){1,4}$")
_TO_DEATH = frozenset(
    """stabbed beaten hacked burned burnt crushed bludgeoned trampled lynched tortured chopped shot clubbed hanged
    strangled""".split()
)
# Verbs that say a person was killed, read like "killed": "was beheaded", "assassinated a policeman".
_KILLING_VERBS = frozenset(
    """beheaded beheads beheading assassinated assassinates assassinating murdered murders murdering decapitated
    lynched slain martyred""".split()
)
# Verbs that say a wounded person died later, read like "died": "succumbed to his injuries".
_LATER_DEATH = frozenset(("succumbed", "succumbs", "succumb"))
# Quantities with no figure, read at the count ACLED codes for an unspecified number of dead (3):
# "several soldiers were killed", "an unknown number of militants were killed". Not a part of dead already
# told: "many of the victims were killed instantly", "several of the dead were killed near the market".
UNSPECIFIED_DEAD = 3
_VAGUE_VICTIMS = lazy_compile(
    r"(?:several|(?:an?\s)?(?:unknown|unspecified|undisclosed|undetermined|unconfirmed)\snumber\sof|a\snumber\sof"
    r"|many|some)\s(?!of\s(?:the|those|them|these|whom)\s)(?!(?:of\s)?(?:the\s)?(?:victims|dead)\b)(?:[a-z'’-]+\s){0,4}$"
)
# A speaker who gave no figure: "... but gave no figure", "did not say how many", "without giving a number".
_NO_FIGURE = lazy_compile(
    r"\b(?:gave|give|gives|giving|provided|offered)\sno\s(?:figures?|numbers?|toll|count|details)\b"
    r"|\b(?:did|does|do)\snot\s(?:give|say|provide|specify|offer)\s(?:a\s|any\s)?(?:figures?|numbers?|toll|count|how\smany)\b"
    r"|\bwithout\s(?:giving|providing|specifying)\s(?:a\s|any\s)?(?:figures?|numbers?|toll|count)\b"
    r"|\bno\s(?:figure|number|toll)\swas\s(?:given|provided|released)\b"
)
# Pronouns and determiners that make one victim: "killing him", "killed his brother", "the commander was shot".
_ONE_VICTIM_WORDS = frozenset(("him", "her"))
# The heads of a headline's bare singular victim ("Gunmen kill village chief"): people, one each.
_ONE_PERSON_NOUNS = frozenset(
    """chief elder head leader commander officer policeman policewoman soldier guard man woman boy girl child
    teenager student teacher farmer herder shepherd trader monk nun novice journalist reporter priest imam pastor
    cleric judge mayor governor lawmaker activist doctor nurse driver worker ranger sergeant captain colonel general
    lieutenant major official politician candidate councillor councilor father mother grandfather grandmother
    son daughter husband wife""".split())
_SINGLE_DETERMINERS = frozenset(("the", "his", "her", "their", "its", "a", "an"))
# A figure in brackets with a source is another account, not another group: "3 policemen (5 according to X)".
_ASIDE_SOURCE = lazy_compile(r"\b(?:according|reported|reports|said|says|claimed|claims|sources?|put)\b")
# What follows a counted group that starts a new clause: "killed 3 guards and 5 others were hurt".
_NEW_CLAUSE = lazy_compile(r"\s(?:were|was|are|is|have|has|had)\b")

_WOUND_VERBS = frozenset(("wounded", "wounding", "injured", "injuring", "injures", "wounds", "wound"))
_DEATH_STATES = frozenset(("found", "confirmed", "declared", "pronounced", "reported", "feared", "presumed"))

_ITEM = lazy_compile(
    rf"(?P<mods>{_MODS})(?:(?P<num>{_NUMR})|(?P<another>another)\b|(?P<a>an?)(?=\s(?!(?:number|unknown|unspecified|undisclosed|undetermined|unconfirmed|lot|few|handful|couple"
    r"|total|series|group|large|small|significant|majority|further|half|quarter|fraction|portion|share|wave|dozen"
    r"|score|hundred|thousand|million)\b)(?!(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\sof\b)))"
)
_ITEM_BODY = lazy_compile(
    # an age is a word of the description: "a 62-year-old woman", "her 40-year-old son"
    r"(?:\s\d{1,3}-(?:year|month)s?-old|\s(?!(?:and|or|as|including|among|in|on|at|near|when|after|during|while|with|by|from|before|who|which"
    r"|that|wounding|injuring|killing|leaving|left|said|says|according|to|across|inside|outside|since|over|for|but"
    r"|dead|killed|wounded|injured|hurt|lives|were|was|are|is|had|have|has)\b)[a-z][a-z'’.-]*){0,6}"
)
_NOT_PEOPLE = frozenset(
    """deal agreement bill plan proposal project idea law motion contract story rumour rumor hope chance talks
    momentum measure reform treaty accord merger bid scheme programme program initiative process""".split()
)
_REPORTING = lazy_compile(r"\s(?:said|says|say|told|reported|reports|added|confirmed|claimed|stated|announced)\b")
_ITEM_SEP = lazy_compile(r",?\s(?:and|as\swell\sas|plus|in\saddition\sto|along\swith)\s|,\s")
_LEFT_VERB = lazy_compile(r"\b(?:left|leaving|leaves|leave)\s")
_TREATED = lazy_compile(r"\btreated\s")
_CLAIM = lazy_compile(r"\bclaim(?:s|ed|ing)?\s")
_TAIL_TREATED = lazy_compile(r"\sfor\s(?:[a-z'’-]+\s){0,5}")
# carried to hospital with wounds: "were taken to hospital with wounds", "admitted to the district clinic with injuries"
_TO_HOSPITAL_WITH = lazy_compile(
    r"\b(?:taken|brought|rushed|admitted|evacuated|flown|carried|airlifted)\s(?:to\s)?(?:a\s|the\s)?(?:[a-z'’-]+\s){0,3}?"
    r"(?:hospitals?|clinics?|medical\scentres?|medical\scenters?|health\scentres?|health\scenters?)\swith\s"
    r"(?:[a-z'’-]+\s){0,2}$"
)
_NUMBER_OF = lazy_compile(r"\bnumber\sof\s(?:(?P<who>[a-z]+)\s)?$")
_TOLL_VALUE = lazy_compile(
    r"\b(?:to|at|of|reach(?:ed|es)?|hit|hits|pass(?:ed|es)?|exceed(?:ed|s)?|surpass(?:ed|es)?|top(?:ped|s)?"
    rf"|near(?:ed|s)?|cross(?:ed|es)?|now|is|was|stands|stood)\s{_MODS}(?P<num>{_NUMR})"
)
# Words between a toll and its figure that make it no count of this incident: a war's or a period's toll
# ("the city's toll this month reaches 37"), or a toll that only may come ("could rise to as many as 20").
_TOLL_SKIP = lazy_compile(
    r"\b(?:since|war|conflict|insurgency|years|decade|decades|campaign|this\s(?:month|year|week)"
    r"|could|may|might|expected|feared|likely)\b")
_TOTAL_HINTS = ("total", "in all", "altogether", "ing the")
_TOTAL_NEAR = lazy_compile(
    r"\b(?:"
    + _by_first_letter(r"in\stotal|in\sall|altogether|a\stotal\sof|total\sof|bringing|raising|taking|pushing")
    + r")\b"
)

# Words that end a victim's description after "the", "his"...: "killed the commander in a raid".
_STOP_AFTER_VICTIM = frozenset(
    """in on at near when after during while with by from before who which that and or as for to of
    outside inside behind beside across along was were is are had has have""".split()
)
_VAGUE_OBJECTS = ("several ", "a number of ", "an unknown number", "an unspecified number", "unknown number",
                  "unspecified number", "some ", "many ")
_NEGATIONS = frozenset(("no", "nobody", "none", "not", "never", "neither", "nor", "noone"))
# Capitalised words after a verb that are not a victim's name.
_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december on in at near after""".split()
)

# --------------------------------------------------------------------------- troop cues

_TROOP_NOUNS = frozenset(
    """troops soldiers servicemen servicemembers personnel reservists forces marines sailors paratroopers commandos
    fighters peacekeepers guardsmen guards mercenaries militiamen reinforcements""".split()
) | {"service members"}
# Nouns a figure may follow: "a force of 5,000", "troop numbers to 10,000".
_AFTER_NOUNS = _TROOP_NOUNS | {"troop", "force", "contingent", "deployment", "garrison", "army"}
# Nouns that "members of the ..." and "-strong" bind to.
_NOT_IN_GAP = frozenset(("of", "or", "from", "to", "in", "on", "at", "by", "with", "for"))
_DEPLOY_VERBS = frozenset(
    """mobilised mobilized mobilising mobilizing mobilise mobilize deploy deploys deployed deploying redeploy
    redeployed redeploying""".split()
)
_MEMBER_NOUNS = frozenset(("army", "forces", "force", "guard", "military", "marines", "navy", "militia", "corps"))
_STRONG_NOUNS = frozenset(
    ("force", "forces", "contingent", "army", "brigade", "battalion", "division", "militia", "guard", "deployment",
     "troops", "military", "unit", "troop")
)
# Words that make a sentence about forces (for the direction of a change).
_CTX_WORDS = _TROOP_NOUNS | frozenset(
    """troop soldier army armies military militia brigade brigades battalion battalions division divisions tank
    tanks armour armoured armor armored warship warships contingent contingents force guard""".split()
)
_CTX_PREFIXES = ("reinforc", "peacekeep", "paratroop")
# Verbs that make a sentence about forces unless it is about civilian staff ("deployed extra staff").
_TROOP_VERB_PREFIXES = ("deploy", "redeploy", "mobilis", "mobiliz", "withdr")
_CIVILIAN_STAFF = lazy_compile(
    r"\b(?:staff|police|policemen|workers|inspectors|customs|medics|doctors|nurses|volunteers"
    r"|firefighters|rescuers|engineers|technicians|teams?)\b"
)
_MEMBERS_BEFORE = lazy_compile(r"\bmembers\sof\sthe\s(?:[a-z'’.-]+\s){0,5}$")
_STRONG_BEFORE = lazy_compile(r"[\s-](?:strong|member|man)\s(?:[a-z'’-]+\s){0,2}$")
_AFTER_NOUN = lazy_compile(
    rf"(?:\s[a-z'’.-]+){{0,6}}?\s(?:to|at|of|numbering|totall?ing|number(?:ing)?)\s{_MODS}(?P<num>{_NUMR})"
)
_AFTER_FIGURE_OK = frozenset(
    """troops soldiers servicemen personnel reservists forces marines sailors guards paratroopers men in on at near
    along by from to and or this next last over within under as across into for before after""".split()
)
_REINFORCED_BY = lazy_compile(rf"\s(?:by|with)\s{_MODS}(?P<num>{_NUMR})")
_FROM_TO = lazy_compile(rf"from\s{_MODS}(?P<a>{_NUM})\sto\s{_MODS}(?P<b>{_NUM})")
# "bringing the potential total to 10,000" in a sentence about troops.
_TOTAL_TO = lazy_compile(
    r"\b(?:bringing|taking|raising|pushing)\s(?:the|its|their)\s(?:[a-z'’-]+\s){0,2}?(?:total|number|strength|size)\s"
    rf"(?:[a-z'’.-]+\s){{0,4}}?to\s{_MODS}(?P<num>{_NUMR})"
)
# "with a total of about 10,000 expected by December": a planned total for the deployment.
_TOTAL_OF = lazy_compile(rf"\b(?:a|the|an?\s(?:overall|eventual|planned|expected))\stotal\sof\s{_MODS}(?P<num>{_NUMR})")
# "cut ... to about 4,500, from a peak of 8,350": the peak is the build-up in question, and it fell.
_FROM_PEAK = lazy_compile(rf"\bfrom\sa\s(?:peak|high|maximum|height)\sof\s{_MODS}(?P<num>{_NUMR})")
_TOTAL_OF_NEXT = frozenset(("expected", "planned", "due", "envisaged", "projected", "foreseen", "eventually", ""))
_TROOP_CASUALTY_AFTER = lazy_compile(
    r"\s(?:were|was|are|have\sbeen|had\sbeen|has\sbeen)\s(?:[a-z]+\s)?(?:killed|wounded|injured|hurt|dead"
    r"|captured|abducted|kidnapped|missing|arrested|detained|taken|executed|shot|slain)\b"
    r"|\s(?:died|killed|dead|hurt|injured|wounded)\b"
)
_TROOP_CASUALTY_BEFORE = lazy_compile(
    r"\b(?:killing|killed|kill|kills|wounding|wounded|injuring|injured|capturing|captured|abducted|kidnapped"
    r"|deaths\sof|bodies\sof|lives\sof|freed|released)\s(?:[a-z]+\s){0,2}$"
)

# --------------------------------------------------------------------------- direction cues

_INC = (
    r"deploy\w*|redeploy\w*|reinforc\w*|mass(?:es|ed|ing)|mass\s(?:troops|forces|soldiers)|amass\w*"
    r"|build[\s-]?ups?|buildups?|build(?:s|ing)?\sup|mobili[sz]\w*|(?:on|high|heightened)\salert"
    r"|call(?:s|ed|ing)?\sup|sen[dt]s?|sending|dispatch\w*|mov(?:e|es|ed|ing)|rush\w*|airlift\w*"
    r"|station(?:s|ed|ing)|boost\w*|bolster\w*|beef\w*\sup|step(?:s|ped|ping)?\sup|strengthen\w*|increas\w*"
    r"|expand\w*|concentrat\w*|gather\w*|surg(?:e|es|ed|ing)|arriv\w*|encircl\w*|advanc\w*|pour\w*\sin"
    r"|shift\w*|offer\w*|pledg\w*|contribut\w*|additional|extra|fresh|more\s(?:troops|soldiers|forces)"
    r"|bring(?:s|ing)?|brought|flown\sin|flew\sin|land(?:s|ed)|enter\w*|cross(?:ed|es)|doubl\w*|tripl\w*"
    r"|rais(?:e|es|ed|ing)|assembl\w*|position(?:ed|ing)|t(?:ake|akes|ook|aking|aken)\sup\spositions"
    r"|ramp(?:s|ed|ing)?\sup|augment\w*|grow(?:s|ing|n)?|grew"
    r"|reach(?:ed|es|ing)|push(?:es|ed|ing)?\sinto|transport(?:s|ed|ing)|ferr(?:y|ies|ied|ying)|pour(?:s|ed|ing)"
    r"|head(?:s|ed|ing)?\s(?:for|to|toward|towards)|converg(?:e|es|ed|ing)"
    # ships that sail for a sea or are bound for it: "sailed for the eastern Mediterranean", "a group bound for"
    r"|sail(?:s|ed|ing)?\s(?:for|to|toward|towards|into)|bound\sfor"
)
_DEC = (
    r"withdr(?:aw|aws|awing|awn|ew|awal|awals)|pull(?:s|ed|ing)?\s(?:[a-z0-9]+\s){0,3}?(?:back|out|away|from)"
    r"|pull[\s-]?(?:back|out)s?|cut(?:s|ting)?(?!\soff)|reduc\w*|scal(?:e|es|ed|ing)\s(?:back|down)|halv\w*"
    r"|trim\w*|slash\w*|shrink\w*|draw(?:s|ing|n)?[\s-]?down|drew\sdown|wind(?:s|ing)?\sdown|wound\sdown"
    r"|st(?:and|ood|ands|anding)\sdown|demobili[sz]\w*"
    r"|return\w*\s(?:home|(?:[a-z'’-]+\s){0,12}?to\s(?:their\s|its\s|the\s)?(?:[a-z]+\s)?(?:bases?|barracks"
    r"|garrisons?|home|positions))|back\sto\s(?:their\s|its\s)?(?:[a-z]+\s)?(?:bases?|barracks|garrisons?)"
    r"|sen[dt]\s(?:[a-z0-9,]+\s){0,3}?(?:back|home)|sends\s(?:[a-z0-9,]+\s){0,3}?(?:back|home)"
    r"|sending\s(?:[a-z0-9,]+\s){0,3}?(?:back|home)"
    r"|mov(?:e|es|ed|ing)\s(?:[a-z]+\s){0,2}?back|brought\s(?:[a-z0-9,]+\s){0,3}?(?:back|home)"
    r"|bring(?:s|ing)?\s(?:[a-z0-9,]+\s){0,3}?(?:back|home)|order(?:s|ed|ing)?\s(?:[a-z]+\s){0,2}?back"
    r"|sail(?:s|ed|ing)?\s(?:[a-z]+\s){0,2}?back|leav(?:e|es|ing)(?!\s(?:for|of|behind)\b)"
    # forces that left a place, departed or vacated it: "soldiers left the country", "left Niamey on Friday",
    # "first group departs", "troops vacate hilltop posts" (not "left three dead", "left behind", "left for", nor
    # a column that "left the town on Monday heading for the front")
    r"|left\s(?:the\s(?:country|base|bases|camp|city|town|region|area|island|territory|garrison|barracks)"
    r"|(?!behind\b|over\b|alone\b|dead\b)[a-z'’-]+\s(?:on|in|at|after|before|by|late|early|overnight|last|this))\b"
    r"(?![^.;]{0,40}\b(?:head(?:s|ed|ing)?|bound|mov(?:e|es|ed|ing)|push(?:es|ed|ing)?|roll(?:s|ed|ing)?)\s"
    r"(?:(?:north|south|east|west)\w*\s)?(?:for|to|toward|towards|into)\b)"
    r"|depart(?:s|ed|ing|ure)?|vacat(?:e|es|ed|ing)"
    r"|lower(?:s|ed|ing)?\s(?:[a-z]+\s){0,4}?(?:readiness|alert)"
    r"|head(?:s|ed|ing)?\s(?:back|home)|retreat\w*|downsiz\w*|thin\w*\sout"
    # a mission or deployment ended: "ending its mission", "ending a decade-long counter-terrorism deployment"
    r"|end(?:s|ed|ing)?\s(?:its|their|the|a|an)\s(?:[a-z'’-]+\s){0,3}?(?:mission|deployment|presence)"
    r"|revert\w*\sto\snormal"
    r"|disband\w*|fewer|decreas\w*|relocat\w*\saway"
    # a base handed over as the forces go ("handing over the Kossei base", "hands Ain al-Asad air base to"), and a
    # presence ended however long it lasted ("ending more than six decades of French military presence")
    r"|hand(?:s|ed|ing)?\s(?:over\s)?(?:[a-z'’-]+\s){0,4}?(?:bases?|posts?|camps?|garrisons?|barracks)\b"
    r"|end(?:s|ed|ing)?\s(?:[a-z'’-]+\s){0,8}?(?:military|naval|troop|armed)\s(?:presence|mission|deployment)"
)
_CHANGE = lazy_compile(rf"\b(?:{_by_first_letter(_DEC + '|' + _INC)})\b")
_DECREASE = lazy_compile(_DEC)
_NEGATED = lazy_compile(
    r"\b(?:"
    + _by_first_letter(
        r"urg\w*|call\w*\s(?:on|for)|demand\w*|ask\w*|press\w*|refus\w*|no|not|never|neither|nor|without"
        r"|rul\w*\sout|reject\w*|den(?:y|ies|ied|ying)|fail\w*|yet\sto|instead\sof|rather\sthan|unlikely"
        r"|appeal\w*|push\w*\sfor|insist\w*|threat\w*"
    )
    + r")\b|n't\b"
)
_PLUPERFECT = lazy_compile(r"\bhad\s(?:been\s)?(?:[a-z]+\s)?$")
# "said he had moved": reported speech, not an earlier step.
_REPORTED_HAD = lazy_compile(
    r"\b(?:said|says|told\s\w+|announced|reported|added|confirmed|stated|claimed)\s(?:that\s)?(?:[a-z'’]+\s){0,3}?"
    r"had\s(?:been\s)?(?:[a-z]+\s)?$"
)
# Who or what moves: a change counts only when forces are its subject or object ("the army withdrew",
# "sent 3,000 soldiers"), not gunmen, attackers or police ("the attackers then withdrew").
_FORCE_WORDS = _TROOP_NOUNS | frozenset(
    """troop soldier army armies military militia militias brigade brigades battalion battalions division divisions
    regiment regiments unit units reserves tank tanks armour armor warship warships ship ships vessels navy naval
    fleet carrier carriers destroyers submarines frigates aircraft jets warplanes helicopters contingent contingents
    force garrison garrisons deployment deployments presence artillery howitzers equipment rebels sailor marine
    reservist peacekeeper paratrooper commando fighter airmen corps paramilitary paramilitaries wings boats craft
    missiles launchers batteries battery infantry armoured armored mercenaries guardsmen""".split()
)
_NOT_FORCE_WORDS = frozenset(
    """gunmen gunman attackers attacker assailants assailant police policemen patrol patrols protesters
    demonstrators rioters crowd crowds residents civilians villagers migrants refugees bandits robbers militants
    jihadists insurgents terrorists gang gangs cartel staff workers toll tolls prices price""".split()
)
_ACTOR_WORDS = _FORCE_WORDS | _NOT_FORCE_WORDS
_PUNCT_TO_SPACE = str.maketrans(dict.fromkeys(_PUNCT, " "))
_SELF_MILITARY = ("reinforc", "deploy", "redeploy", "mobili", "demobili", "troop", "build", "take up", "took up",
                  "taking up", "more troops", "mass troops", "mass forces", "mass soldiers")
_OBJECT_STOP = frozenset(
    """to into toward towards from on at in near along across after before while when as because since until
    over by through within""".split()
)
# A force noun the change only describes: "the soldiers it massed", "troops who had been sent",
# "the number of soldiers deployed".
# Read as: a noun, then one of these, then the change; the noun is checked against _FORCE_WORDS.
_DESCRIBED = lazy_compile(
    r"\s([a-z]+)\s(?:(?:that|who|which)\s(?:[a-z]+\s){0,2}?|(?:it|they|he|she|we)\s(?:had\s|has\s|have\s)?"
    r"(?:also\s)?(?:been\s)?)$"
)
_DESCRIBED_OF = lazy_compile(r"\bof\s(?:the\s|its\s|their\s)?(?:[a-z'’-]+\s)?([a-z]+)\s$")
# A change in a clause that is not the main one: "while withdrawing some units" weighs less;
# "before reinforcements arrived" is the response to an incident, not a change in strength.
# the conjunction of a clause that only sets the scene for the main one: "moved north toward Kidal, after UN
# peacekeepers handed over their base" (the handover is the background of the move)
_SUBORDINATE = lazy_compile(r"\b(?:while|whereas|although|though|even\sas|after)\s(?:[a-z'’-]+\s){0,3}$")
_RESPONSE = lazy_compile(r"\b(?:before|until|by\sthe\stime)\s(?:[a-z'’-]+\s){0,3}$")
# A title about a commemoration or a work of fiction: the deaths and troops in it are not news.
_NOT_CURRENT = lazy_compile(
    r"\b(?:anniversary|commemorat\w*|remembrance|years\s(?:since|on|after)|film|movie|novel|thriller|documentary"
    r"|board\sgame|video\sgame|premiere|exhibition)\b"
)
# A like-for-like rotation moves troops without changing their number.
_ROTATION = lazy_compile(r"\b(?:rotat\w*|hand(?:s|ed|ing)?\sover|handover|swap\w*)\b")
_UNCHANGED = lazy_compile(
    r"\b(?:unchanged|same\ssize|like[\s-]for[\s-]like|not\schange|no\schange|remain\sthe\ssame)\b")
