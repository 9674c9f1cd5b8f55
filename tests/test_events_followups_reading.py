"""Follow-ups that read as follow-ups join their incident; new incidents that look like them stay apart.

Each story is an analyst's: a wire from the capital gives a camp attack's higher toll while a raid elsewhere in
the country is also open; the military confirms a strike in the province where the village lies; two days
after a bombing, a piece asks how the bomber got in; the other side gives its own, lower count of its dead; a
follow-up names the camp and the town the incident named; a report of a clash that a build-up rule also
matches. And for each, the look-alike that must not merge. The matches are built as the engine gives them
(where it happened in `regions`, the places named in passing in `mentioned`); the texts are ours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.enums import AlertAction
from bot.events import decide_alerts, find_event, follow_up_reason, join_reason, open_event, salient_terms
from bot.events.followup_reading import dateline_only, headline_tells_casualties, looks_back, one_sides_toll
from bot.models import Article, Event, EventPolicy, Match, Severity
from tests.test_events import Book

NOW = datetime(2024, 3, 4, 6, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def clash(facts: dict, regions: tuple[str, ...], mentioned: tuple[str, ...] = (), rule: str = "fatal-clash",
          tags: tuple[str, ...] = ("conflict",)) -> Match:
    country = regions[-1] if regions else ""
    return Match(rule, rule.replace("-", " ").capitalize(), Severity.HIGH, tags, regions, facts,
                 key=f"rule={rule}|region={country}", policy=EventPolicy(), mentioned=mentioned)


def report(title: str, text: str, at: datetime, source: str = "meridian-wire") -> Article:
    return Article(source, title, text, url=f"https://{source}.example/{at:%d%H}", published=at, id=title[:20])


def opened(article: Article, m: Match) -> Event:
    return open_event(m, article, article.published or NOW, salient_terms(article, m.key.split("region=")[1]), None)


def decide(event: Event, m: Match, article: Article, others: tuple[Event, ...] = (),
           late: bool = False) -> tuple[Event | None, str]:
    """Where the report goes among the open incidents, and why it does or does not join `event`."""
    at = article.published or NOW
    terms = salient_terms(article, m.key.split("region=")[1])
    candidates = [event, *others]
    past = frozenset({event.id}) if late else frozenset()
    found = find_event(candidates, m, terms, None, article, at, past)
    return found, join_reason(event, candidates, m, terms, article, at, past)[0]


# -- a wire datelined in the capital, while another incident is open in the country ---------------------------

CAMP = report("Gunmen attack camp for displaced families in Borno, killing 23",
              "Gunmen on motorcycles raided the Gajiram camp for displaced families in Borno State before dawn, "
              "burning shelters and shooting residents as they fled, a camp official said. At least 23 were killed.",
              NOW)
CAMP_AT = clash({"killed": 23}, ("Gajiram", "Borno State", "Nigeria"))
RAID = report("Bandits kill 11 villagers in Zamfara raid",
              "Armed bandits stormed the village of Kaura and shot eleven farmers, residents said on Monday.",
              NOW + 2 * HOUR)
RAID_AT = clash({"killed": 11}, ("Kaura", "Zamfara State", "Nigeria"))
CAMP_TOLL = report("Toll from attack on Nigerian camp for displaced families rises to 37",
                   "ABUJA (Meridian Wire) - At least 37 people died after the night raid on displaced families in the "
                   "north-east, the national emergency agency said on Monday, adding that hundreds had fled to nearby "
                   "towns and that aid convoys were waiting for an army escort before they could reach the area.",
                   NOW + 8 * HOUR)


def test_a_wire_from_the_capital_with_a_rising_toll_joins_the_camp_attack_its_words_choose() -> None:
    camp, raid = opened(CAMP, CAMP_AT), opened(RAID, RAID_AT)
    found, why = decide(camp, clash({"killed": 37}, ("Abuja", "Nigeria")), CAMP_TOLL, (raid,))
    assert found == camp
    assert why == "joins: the same country (Nigeria), and the words choose it (0.22, others at most 0.00)"


def test_a_new_attack_told_only_by_its_country_does_not_join_the_only_open_incident_there() -> None:
    camp = opened(CAMP, CAMP_AT)
    market = report("Gunmen kill dozens at a market in north-east Nigeria",
                    "Attackers opened fire on traders at a cattle market on Monday, residents said, and set fire "
                    "to stalls.", NOW + 10 * HOUR)
    found, why = decide(camp, clash({"killed": 30}, ("Nigeria",)), market)
    assert found is None   # its headline tells dead of its own and no follow-up's cue: another incident there
    assert why == "another incident: the headline tells dead of its own, on another target (market, not camp)"


def test_the_words_do_not_choose_between_two_open_incidents_they_share_alike() -> None:
    camp = opened(CAMP, CAMP_AT)
    second_camp = opened(report("Gunmen attack camp for displaced families near Dikwa, killing 15",
                                "Gunmen raided a camp for displaced families near Dikwa, shooting residents.",
                                NOW + HOUR),
                         clash({"killed": 15}, ("Dikwa", "Borno State", "Nigeria")))
    found, why = decide(camp, clash({"killed": 37}, ("Abuja", "Nigeria")), CAMP_TOLL, (second_camp,))
    assert found is None and why.startswith("too few words shared (0.22")


def test_a_capital_named_only_in_the_dateline_is_not_where_it_happened() -> None:
    text = "ABUJA (Meridian Wire) - Gunmen raided a camp in the north-east."
    assert dateline_only(text, "Toll rises", ("Abuja", "Nigeria"), {}) == {"Abuja"}
    named_again = "ABUJA (Meridian Wire) - Gunmen attacked a police post on the edge of Abuja."
    assert dateline_only(named_again, "Police post attacked", ("Abuja", "Nigeria"), {}) == set()


# -- the province the village lies in ---------------------------------------------------------------------------

STRIKE = report("Drone strike on Kabkabiya market kills 40",
                "A drone struck the weekly market in Kabkabiya in North Darfur on Sunday, killing at least 40 "
                "traders and shoppers, local activists said. The paramilitary forces blamed the army.", NOW)
STRIKE_AT = clash({"killed": 40}, ("Kabkabiya", "North Darfur", "Sudan"))
DENIAL = report("Sudan's military denies role as toll rises to 62",
                "The military said on Monday none of its aircraft had flown over North Darfur that day, and called "
                "the accusations propaganda; volunteers digging graves said they had buried 62 people.",
                NOW + 9 * HOUR)


def test_a_report_placed_only_in_the_incidents_province_joins_when_its_words_lean_its_way() -> None:
    event = opened(STRIKE, STRIKE_AT)
    found, why = decide(event, clash({"killed": 62}, ("North Darfur", "Sudan")), DENIAL)
    assert found == event
    # its toll rose where the strike happened, the stronger reason (it would hold days late); the words lean its way too
    assert why == ("joins: a rising toll (62, was 40) where it happened, the only open incident of its kind there with "
                   "fewer dead")


def test_another_province_or_another_open_incident_in_the_province_keeps_it_apart() -> None:
    event = opened(STRIKE, STRIKE_AT)
    elsewhere = report(DENIAL.title, DENIAL.text.replace("North Darfur", "South Darfur"), NOW + 9 * HOUR)
    assert decide(event, clash({"killed": 62}, ("South Darfur", "Sudan")), elsewhere)[0] is None
    other = opened(report("Drone strike on Mellit market kills 25",
                          "A drone hit the market in Mellit in North Darfur on Sunday, killing 25 traders, "
                          "volunteers said.", NOW + HOUR), clash({"killed": 25}, ("Mellit", "North Darfur", "Sudan")))
    found, why = decide(event, clash({"killed": 62}, ("North Darfur", "Sudan")), DENIAL, (other,))
    assert found is None and why.startswith("too few words shared")   # the words lean to neither (0.21, 0.26)


# -- days late: a report that reads as a follow-up ---------------------------------------------------------------

ACADEMY = report("Suicide bomber kills 31 at Quetta police academy",
                 "A suicide bomber blew himself up at the gate of the police training centre in Quetta on Tuesday "
                 "as cadets lined up, killing 31, officials said.", NOW)
ACADEMY_AT = clash({"killed": 31}, ("Quetta", "Baluchistan", "Pakistan"))


def test_two_days_later_a_piece_asking_how_the_bomber_got_in_joins_the_bombing() -> None:
    event = opened(ACADEMY, ACADEMY_AT)
    how = report("Why did guards at one of Pakistan's biggest academies let a bomber through?",
                 "Officials ordered an inquiry on Thursday into how the attacker walked past three checkpoints "
                 "before Tuesday's bombing, which killed 33 cadets and instructors.", NOW + 50 * HOUR)
    found, why = decide(event, clash({"killed": 33}, ("Pakistan",)), how, late=True)
    assert found == event
    assert why == "joins: the same country (Pakistan), the only open incident of its kind there"


def test_days_late_a_new_attack_or_a_report_that_does_not_look_back_stays_apart() -> None:
    event = opened(ACADEMY, ACADEMY_AT)
    attack = report("Suicide attack kills 9 at police post in Pakistan",
                    "A bomber struck a police post on Thursday, two days after the academy bombing.", NOW + 50 * HOUR)
    found, why = decide(event, clash({"killed": 9}, ("Pakistan",)), attack, late=True)
    assert found is None   # its headline gives dead of its own
    checks = report("Pakistan police step up checks on highways",
                    "Police set up more checkpoints on the main highways of the country.", NOW + 50 * HOUR)
    found, why = decide(event, clash({}, ("Pakistan",)), checks, late=True)
    assert found is None and "does not read as its follow-up" in why


def test_what_reads_as_a_follow_up() -> None:
    assert looks_back("where Monday's bombing killed 100 people")
    assert looks_back("Survivors of last week's attack said the guards fled")
    assert looks_back("a week after an air strike killed 168 people")
    assert not looks_back("A bomber struck a police post on Thursday morning.")
    assert headline_tells_casualties("Attack kills 12 soldiers") and headline_tells_casualties("21 dead in siege")
    assert not headline_tells_casualties("Survivors of camp attack say guards fled")


# -- the other side's count of its own dead ------------------------------------------------------------------------

BORDER = report("Armenia says 105 of its soldiers killed in fighting with Azerbaijan",
                "Armenia's defence ministry said 105 of its soldiers had been killed since Azerbaijani forces "
                "shelled positions near Jermuk and Goris on Tuesday.", NOW)
BORDER_AT = clash({"killed": 105}, ("Armenia",), ("Azerbaijan",))


def test_the_other_sides_lower_count_of_its_own_dead_joins_and_leaves_the_toll_alone() -> None:
    event = opened(BORDER, BORDER_AT)
    other_side = report("Azerbaijan says 80 of its servicemen died in border fighting",
                        "Baku gave its first full count on Friday: 80 servicemen were killed in last week's "
                        "fighting, and two were still missing, the state commission for prisoners said.",
                        NOW + 70 * HOUR, "caspian-daily")
    at = clash({"killed": 80}, ("Azerbaijan",), ("Armenia",))
    found, why = decide(event, at, other_side, late=True)
    assert found == event
    assert why == "joins: the same actors (Armenia and Azerbaijan), the only open incident of its kind about both"
    book = Book()
    book.remember(event)
    [alert] = decide_alerts(other_side, [at], NOW + 70 * HOUR, book=book)
    assert alert.event is not None and alert.event.facts["killed"] == 105   # a side's share, not a correction
    # the reply says the incident now has the other side's account, never "death toll revised to 80"
    assert alert.update is not None and alert.update.changes == ("new region: Azerbaijan",)


def test_a_new_clash_with_one_sides_dead_is_another_incident() -> None:
    event = opened(BORDER, BORDER_AT)
    new_clash = report("Border clash kills 3 Armenian soldiers",
                       "Three Armenian soldiers were killed when Azerbaijani troops opened fire near Sotk.",
                       NOW + 20 * HOUR)
    found, why = decide(event, clash({"killed": 3}, ("Armenia",), ("Azerbaijan",)), new_clash)
    assert found is None and why == "another incident: a lower toll that corrects nothing"


def test_whose_dead_a_toll_counts() -> None:
    peoples = ("Tajik", "Kyrgyz", "Tajikistan")
    assert one_sides_toll("Tajikistan says 41 of its citizens died", "", 41, peoples)
    assert one_sides_toll("", "The ministry said 59 Kyrgyz citizens had been killed.", 59, peoples)
    assert not one_sides_toll("Fighting kills 59", "At least 59 people were killed, officials said.", 59, peoples)
    assert not one_sides_toll("", "Some 1,041 of its citizens live there; 41 died.", 41, peoples)


# -- the same named camp and town ------------------------------------------------------------------------------------

SHELLING = report("Shelling of displaced camp in Darfur kills 15",
                  "Shells fell on the Kalma camp outside Nyala on Sunday morning, killing 15 people queuing for "
                  "water, a camp coordinator said.", NOW)
SHELLING_AT = clash({"killed": 15}, ("South Darfur", "Sudan"))


def test_a_follow_up_naming_the_incidents_camp_and_town_joins_it() -> None:
    event = opened(SHELLING, SHELLING_AT)
    aid = report("Aid groups suspend food deliveries in South Darfur",
                 "Three charities said on Monday they had stopped convoys on the road from El Daein and Ed Daein "
                 "district depots until the shelling around Kalma near Nyala stops, leaving stores in Zalingei, "
                 "Geneina, Kutum, Tawila and Mellit without stock for weeks, with prices doubling at markets.",
                 NOW + 20 * HOUR)
    found, why = decide(event, clash({}, ("South Darfur", "Sudan")), aid)
    assert found == event
    assert why == "joins: the same named actors (kalma, nyala), named by no other open incident of its kind"


def test_names_another_open_incident_also_holds_decide_nothing() -> None:
    event = opened(SHELLING, SHELLING_AT)
    other = opened(report("Drone strike near Nyala airport kills 6",
                          "A drone hit a fuel depot near Nyala airport and the Kalma road, killing six.", NOW + HOUR),
                   clash({"killed": 6}, ("Nyala", "South Darfur", "Sudan")))
    aid = report("Aid groups suspend food deliveries in South Darfur",
                 "Three charities said on Monday they had stopped convoys on the road from El Daein and Ed Daein "
                 "district depots until the shelling around Kalma near Nyala stops, leaving stores in Zalingei, "
                 "Geneina, Kutum, Tawila and Mellit without stock for weeks, with prices doubling at markets.",
                 NOW + 20 * HOUR)
    _, why = decide(event, clash({}, ("South Darfur", "Sudan")), aid, (other,))
    assert not why.startswith("joins: the same named actors")


# -- a clash report that a build-up rule also matches -------------------------------------------------------------

POST = report("Soldiers killed in attack on Menaka army post as reinforcements deploy",
              "Fighters overran an army post near Menaka on Friday, killing 20 soldiers; the army said forces were "
              "being deployed to the area.", NOW)
POST_TOLL = report("Toll in Menaka army post attack rises to 27",
                   "Twenty-seven soldiers died in Friday's attack on the post near Menaka, the army said; more "
                   "units were deployed overnight.", NOW + 6 * HOUR, "sahel-monitor")


def both(facts: dict) -> list[Match]:
    return [clash(facts, ("Menaka region", "Mali")),
            clash({"troops_change": "increase"}, ("Menaka region", "Mali"), rule="troop-buildup", tags=("military",))]


def test_a_follow_up_of_a_clash_that_a_build_up_rule_also_matches_gives_no_second_build_up_message() -> None:
    book = Book()
    first = decide_alerts(POST, both({"killed": 20}), NOW, book=book, story_id="story-post")
    assert [a.action for a in first] == [AlertAction.SEND, AlertAction.SEND]   # two kinds: two messages
    later = decide_alerts(POST_TOLL, both({"killed": 27}), NOW + 6 * HOUR, book=book, story_id="story-toll")
    assert AlertAction.SEND not in [a.action for a in later]
    assert {a.event.id for a in later if a.event} == {a.event.id for a in first if a.event}


def test_a_build_up_told_with_another_clash_is_not_joined_to_the_first_pair() -> None:
    book = Book()
    decide_alerts(POST, both({"killed": 20}), NOW, book=book, story_id="story-post")
    elsewhere = report("Soldiers killed in ambush near Kidal as forces deploy",
                       "An army convoy was ambushed near Kidal, killing 9; forces were deployed to the town.",
                       NOW + 6 * HOUR)
    matches = [clash({"killed": 9}, ("Kidal region", "Mali")),
               clash({"troops_change": "increase"}, ("Kidal region", "Mali"), rule="troop-buildup",
                     tags=("military",))]
    later = decide_alerts(elsewhere, matches, NOW + 6 * HOUR, book=book, story_id="story-kidal")
    assert [a.action for a in later] == [AlertAction.SEND, AlertAction.SEND]


def test_two_incidents_quoting_the_same_aid_agency_are_not_one() -> None:
    clinic = report("Shelling of displaced camp in Darfur kills 15",
                    "Shells fell on the Kalma camp outside Nyala on Sunday morning, killing 15 people queuing for "
                    "water, the International Committee of the Red Cross said.", NOW)
    event = opened(clinic, SHELLING_AT)
    raid = report("Gunmen kill 18 traders in Darfur market raid",
                  "Armed men on camels rode into a livestock market before dusk and opened fire, witnesses said; the "
                  "International Committee of the Red Cross said its surgeons were operating on the wounded.",
                  NOW + 20 * HOUR)
    at = clash({"killed": 18}, ("South Darfur", "Sudan"))
    # the agency's name is shared, but a headline telling new dead is no follow-up's: no reason of the follow-up
    # rule holds (the shared words alone still count in the similarity, as for any report)
    assert follow_up_reason(event, [event], at, salient_terms(raid, "Sudan"), raid) is None


def test_the_dead_buried_in_another_town_are_still_the_incidents_but_a_new_attack_there_is_not() -> None:
    camp = opened(CAMP, CAMP_AT)
    burial = report("Mourners in Maiduguri bury 23 killed in camp raid",
                    "Families carried the coffins through the city on Tuesday, as imams led prayers and traders "
                    "shut their shops for the day.", NOW + 30 * HOUR)
    at = clash({"killed": 23}, ("Maiduguri", "Borno State", "Nigeria"))
    found, why = decide(camp, at, burial)
    assert found == camp and why == "joins: the same toll (23)"
    attack = report("Gunmen kill 23 in Maiduguri market attack", "Gunmen opened fire at a market in the city.",
                    NOW + 30 * HOUR)
    assert decide(camp, at, attack)[0] is None   # the same toll, but another town and no burial: another incident
