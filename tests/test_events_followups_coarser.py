"""Follow-ups that name a larger place than the first report, or give another account of the same dead, join it.

The fifth stream's clashes split where a village the gazetteer lacks was named first and its district or state later,
where a group claimed a far larger toll, where a toll rose past 100 and where a siege's end came a day late. Each story
below is told in our own words with other places, next to the look-alike that must stay apart. The matches are built
as the engine gives them (where it happened in `regions`, a town before its province and country)."""

from __future__ import annotations

from bot.enums import AlertAction
from bot.events import decide_alerts, merge_report, salient_terms
from bot.events.followup_reading import dates_named, tells_end, tells_response, tells_rising_toll
from bot.events.places import inside_places_of
from bot.models import Article, Event, Match
from tests.test_events import Book
from tests.test_events_followups_reading import HOUR, NOW, clash, decide, opened, report

DAY = 24 * HOUR


def joined(event: Event, m: Match, article: Article) -> Event:
    """The incident after one more of its reports."""
    at = article.published or NOW
    return merge_report(event, m, article, at, salient_terms(article, m.key.split("region=")[1]), None)[0]


# -- a province the first report's town lies in, named days later ------------------------------------------------

MARKET = report("Gunmen kill 14 at cattle market in Gorom-Gorom",
                "Armed men on motorbikes opened fire at the weekly cattle market in Gorom-Gorom on Friday, killing 14 "
                "traders and herders, a local official said.", NOW, "savanna-courier")
MARKET_AT = clash({"killed": 14}, ("Gorom-Gorom", "Sahel", "Burkina Faso"))


def test_a_rising_toll_in_the_province_the_town_lies_in_joins_days_late() -> None:
    event = opened(MARKET, MARKET_AT)
    province = report("Toll in Oudalan province market attack climbs to 41",
                      "Forty-one people are now known to have died in the market attack in Oudalan province, security "
                      "sources said, as relatives recovered more bodies from the bush.", NOW + 2 * DAY)
    found, why = decide(event, clash({"killed": 41}, ("Oudalan", "Sahel", "Burkina Faso")), province, late=True)
    assert found == event
    assert why.startswith("joins: a rising toll")


def test_a_rising_toll_in_a_province_of_another_region_stays_apart() -> None:
    event = opened(MARKET, MARKET_AT)
    elsewhere = report("Toll in Bam province attack climbs to 41",
                       "Forty-one people are now known to have died in the attack in Bam province, security sources "
                       "said.", NOW + 2 * DAY)
    found, _ = decide(event, clash({"killed": 41}, ("Bam", "Centre-Nord", "Burkina Faso")), elsewhere, late=True)
    assert found is None


def test_which_places_lie_where_the_incident_is() -> None:
    held = {"Gorom-Gorom", "Sahel", "Burkina Faso"}
    assert inside_places_of(["Oudalan", "Sahel", "Burkina Faso"], held)        # a province of its region
    assert not inside_places_of(["Bam", "Centre-Nord", "Burkina Faso"], held)  # a province of another region
    assert not inside_places_of(["Dori", "Sahel", "Burkina Faso"], held)        # another town of its region
    assert inside_places_of(["Dori", "Sahel", "Burkina Faso"], {"Burkina Faso"})  # placed by its country alone
    assert not inside_places_of(["Dori", "Sahel", "Burkina Faso"], {"Niger"})


# -- an incident the gazetteer could place only by its country -----------------------------------------------------

STRIKE = report("Jets bomb wedding party in village in Myanmar",
                "Military jets bombed a wedding party in Lethit village on Saturday afternoon, killing at least 30 "
                "guests, residents said.", NOW, "irrawaddy-post")
STRIKE_AT = clash({"killed": 30}, ("Myanmar",))
RISEN = report("Toll from Kani township wedding strike rises to 64",
               "Sixty-four people, among them 12 children, are now known to have died in Saturday's strike, a local "
               "resistance official said.", NOW + 20 * HOUR, "delta-wire")
RISEN_AT = clash({"killed": 64}, ("Kani", "Sagaing Region", "Myanmar"))


def test_a_rising_toll_naming_a_town_joins_the_incident_placed_only_by_its_country() -> None:
    event = opened(STRIKE, STRIKE_AT)
    found, why = decide(event, RISEN_AT, RISEN)
    assert found == event
    assert why.startswith("joins: a rising toll")


def test_with_a_rival_with_fewer_dead_or_an_incident_placed_in_another_town_the_rising_toll_stays_apart() -> None:
    event = opened(STRIKE, STRIKE_AT)
    rival = opened(report("Shelling kills nine in Myanmar border village",
                          "Nine villagers were killed when artillery shells hit their homes on Saturday.",
                          NOW + HOUR, "border-news"), clash({"killed": 9}, ("Myanmar",)))
    found, _ = decide(event, RISEN_AT, RISEN, others=(rival,))
    assert found is None   # two incidents with fewer dead, nothing to choose between them
    placed = opened(report("Jets bomb wedding party in Pale town",
                           "Military jets bombed a wedding party in Pale on Saturday, killing at least 30 guests.",
                           NOW, "irrawaddy-post"), clash({"killed": 30}, ("Pale", "Sagaing Region", "Myanmar")))
    found, _ = decide(placed, RISEN_AT, RISEN)
    assert found is None   # the incident names its town, and the rising toll another one


# -- neither report placed: the headline's names decide ---------------------------------------------------------

CHAPEL = report("Grenade thrown into chapel in Tubaran kills two",
                "A grenade was thrown into a chapel in Tubaran during an evening service, killing two worshippers and "
                "wounding 20, police said.", NOW, "island-times")
CHAPEL_AT = clash({"killed": 2, "wounded": 20}, ())


def test_a_rising_toll_naming_the_incidents_name_joins_when_neither_is_placed() -> None:
    event = opened(CHAPEL, CHAPEL_AT)
    risen = report("Tubaran toll rises to three as woman dies in hospital",
                   "A woman of 61 died overnight at the provincial hospital, bringing the number of dead to three, "
                   "her family said.", NOW + 9 * HOUR)
    found, why = decide(event, clash({"killed": 3}, ()), risen)
    assert found == event and why.startswith("joins: a rising toll")


def test_a_rising_toll_naming_another_name_stays_apart_when_neither_is_placed() -> None:
    event = opened(CHAPEL, CHAPEL_AT)
    other = report("Balabagan toll rises to three as woman dies in hospital",
                   "A woman of 61 died overnight at the provincial hospital, bringing the number of dead to three, "
                   "her family said.", NOW + 9 * HOUR)
    found, _ = decide(event, clash({"killed": 3}, ()), other)
    assert found is None


# -- the same toll, within hours, for an incident the gazetteer could not place ----------------------------------

RAID = report("Rebels kill 27 in night raid on Kasanga",
              "Rebel fighters killed 27 people in Kasanga during the night, a civil society leader said on Wednesday.",
              NOW, "lake-post")
RAID_AT = clash({"killed": 27}, ())
SECOND = report("Night raid leaves 27 dead in Ituri village",
                "At least 27 civilians died when rebels attacked a village in Djugu territory, local officials said.",
                NOW + 3 * HOUR, "great-lakes-daily")
SECOND_AT = clash({"killed": 27}, ("Ituri", "Democratic Republic of the Congo"))


def test_a_second_outlet_giving_the_same_toll_within_hours_joins_the_incident_no_place_could_be_found_for() -> None:
    event = opened(RAID, RAID_AT)
    found, why = decide(event, SECOND_AT, SECOND)
    assert found == event
    assert why.startswith("joins: the same toll (27) within hours")


def test_half_a_day_later_or_with_another_incident_counting_as_many_the_same_toll_stays_apart() -> None:
    event = opened(RAID, RAID_AT)
    late = report(SECOND.title, SECOND.text, NOW + 14 * HOUR, "great-lakes-daily")
    assert decide(event, SECOND_AT, late)[0] is None
    rival = opened(report("Militia attack kills 27 at Ituri gold mine",
                          "Militiamen killed 27 miners at a gold mine in Ituri on Tuesday night, officials said.",
                          NOW + HOUR, "mining-news"),
                   clash({"killed": 27}, ("Ituri", "Democratic Republic of the Congo")))
    found, why = decide(event, SECOND_AT, SECOND, others=(rival,))
    assert found is not event and not why.startswith("joins")


# -- a second outlet's count in the incident's town, hours later, in words of its own ------------------------------

RAIDED = report("More than 50 feared dead after attack on farming village near Gwoza",
                "Aid workers in Gwoza said more than 50 people were feared dead after gunmen attacked a nearby farming "
                "village in the evening.", NOW, "aid-monitor")
RAIDED_AT = clash({"killed": 50}, ("Gwoza", "Borno State", "Nigeria"))


def test_a_second_outlets_count_in_the_same_town_within_hours_joins_though_few_words_are_shared() -> None:
    event = opened(RAIDED, RAIDED_AT)
    state = report("Government says 38 died, among them three vigilantes",
                   "Officials said 38 bodies had been buried by Wednesday evening and blamed Boko Haram's JAS faction; "
                   "the dead lived in Gwoza. Relatives asked for soldiers to guard the roads before the harvest.",
                   NOW + 8 * HOUR, "plains-post")
    found, why = decide(event, clash({"killed": 38}, ("Gwoza", "Borno State", "Nigeria")), state)
    assert found == event
    assert why.startswith("joins: a second outlet's count") and "in its town (Gwoza)" in why


def test_a_second_count_in_another_town_stays_apart() -> None:
    event = opened(RAIDED, RAIDED_AT)
    other = report("Government says 38 died, among them three vigilantes",
                   "Officials said 38 bodies had been buried by Wednesday evening and blamed Boko Haram's JAS faction; "
                   "the dead lived in Konduga. Relatives asked for soldiers to guard the roads before the harvest.",
                   NOW + 8 * HOUR, "plains-post")
    found, _ = decide(event, clash({"killed": 38}, ("Konduga", "Borno State", "Nigeria")), other)
    assert found is None


# -- a group's claim of far more dead, then the toll rising past the first count -----------------------------------

CAMP = report("Jihadists overrun army camp at Solenzo", "Hundreds of fighters attacked the army camp at Solenzo at "
              "dawn, and at least 15 soldiers were killed, local sources said.", NOW, "savanna-courier")
CAMP_AT = clash({"killed": 15}, ("Solenzo", "Mouhoun", "Burkina Faso"))
CLAIM = report("Group claims it killed 180 soldiers in Solenzo camp raid",
               "The group said its fighters killed 180 soldiers and took weapons and vehicles at Solenzo.",
               NOW + 10 * HOUR, "desk-wire")


def test_a_toll_rising_past_the_first_count_joins_though_a_groups_claim_gave_more() -> None:
    event = joined(opened(CAMP, CAMP_AT), clash({"killed": 180}, ("Solenzo", "Mouhoun", "Burkina Faso")), CLAIM)
    risen = report("Toll in Banwa province army camp attack passes 60",
                   "More than 60 people, most of them soldiers, died in the attack, security sources said; the "
                   "government has given no figure.", NOW + 2 * DAY, "capital-wire")
    found, why = decide(event, clash({"killed": 60}, ("Banwa", "Mouhoun", "Burkina Faso")), risen, late=True)
    assert found == event   # 60 is more than the first count: no lower toll of another incident
    assert why.startswith("joins: a rising toll")


def test_a_lower_toll_no_outlet_gave_without_a_rising_headline_still_stays_apart() -> None:
    event = joined(opened(CAMP, CAMP_AT), clash({"killed": 180}, ("Solenzo", "Mouhoun", "Burkina Faso")), CLAIM)
    again = report("Gunmen kill 40 in attack on Banwa village",
                   "Gunmen killed 40 villagers in Banwa province on Sunday, officials said.", NOW + 2 * DAY)
    found, _ = decide(event, clash({"killed": 40}, ("Banwa", "Mouhoun", "Burkina Faso")), again, late=True)
    assert found is None


def test_what_reads_as_a_rising_toll() -> None:
    assert tells_rising_toll("Highland division: army blames militia for village raid, toll now 31")
    assert tells_rising_toll("Toll in Banwa province attack passes 60")
    assert not tells_rising_toll("Gunmen kill 40 in attack on Banwa village")


# -- a siege's end, a day after the last report ---------------------------------------------------------------

HOSTAGES = report("Gunmen holding 120 bus passengers say they killed 12 guards",
                  "The armed group said its fighters were holding 120 passengers of a convoy of buses and had killed "
                  "12 guards, and demanded the release of its jailed commanders.", NOW, "frontier-courier")
HOSTAGES_AT = clash({"killed": 12}, ("Pakistan",))


def test_the_end_of_a_siege_a_day_late_joins_the_only_open_incident_in_the_country() -> None:
    event = opened(HOSTAGES, HOSTAGES_AT)
    ended = report("Army ends hostage standoff, says 19 gunmen killed",
                   "Commandos moved in on Thursday evening; seven captives died in the crossfire, a spokesman said.",
                   NOW + 30 * HOUR)
    found, why = decide(event, clash({"killed": 26}, ("Pakistan",)), ended, late=True)
    assert found == event
    assert why == "joins: the same country (Pakistan), the only open incident of its kind there"


def test_a_new_attack_a_day_late_in_the_country_stays_apart() -> None:
    event = opened(HOSTAGES, HOSTAGES_AT)
    attack = report("Gunmen kill 26 in attack on border post",
                    "Gunmen killed 26 soldiers in an attack on a border post before dawn, a spokesman said.",
                    NOW + 30 * HOUR)
    assert decide(event, clash({"killed": 26}, ("Pakistan",)), attack, late=True)[0] is None


def test_what_tells_a_siege_ended() -> None:
    assert tells_end("Army ends hostage standoff, says 19 gunmen killed")
    assert tells_end("Hotel siege over after 20 hours")
    assert not tells_end("Gunmen kill 26 in attack on border post")
    assert not tells_end("Week ends with talks on border")


# -- a count dated to the incident's day by its calendar date ---------------------------------------------------

SHELLED = report("Shelling of Bakhmut market kills 24", "Artillery hit the central market on 4 March at midday, "
                 "killing 24 people, the regional governor said.", NOW, "steppe-news")
SHELLED_AT = clash({"killed": 24}, ("Ukraine",))


def test_a_lower_count_a_day_later_dated_to_the_incidents_day_is_another_account_of_its_dead() -> None:
    event = opened(SHELLED, SHELLED_AT)
    dated = report("Market shelling: witnesses count 17 dead in Bakhmut",
                   "At least 17 people were killed when shells hit the central market on 4 March, witnesses said.",
                   NOW + 26 * HOUR, "river-daily")
    found, why = decide(event, clash({"killed": 17}, ("Ukraine",)), dated)
    assert found == event and why.startswith("joins")


def test_a_lower_count_a_day_later_dated_to_another_day_is_another_incident() -> None:
    event = opened(SHELLED, SHELLED_AT)
    again = report("Market shelling: witnesses count 17 dead in Bakhmut",
                   "At least 17 people were killed when shells hit the central market on 5 March, witnesses said.",
                   NOW + 26 * HOUR, "river-daily")
    found, why = decide(event, clash({"killed": 17}, ("Ukraine",)), again)
    assert found is None and why == "another incident: a lower toll that corrects nothing"


def test_which_calendar_dates_a_report_names() -> None:
    assert dates_named("killed on 11 April, witnesses said") == {(4, 11)}
    assert dates_named("on March 16 and during the night of 8 to 9 March") == {(3, 16), (3, 9)}
    assert dates_named("May the army return") == frozenset()


# -- a day late, a toll "now" higher, placed only by the country ---------------------------------------------------

VILLAGE = report("Gunmen kill 18 in raid on village near Bamenda",
                 "Armed men raided a village near Bamenda overnight, killing 18 people and burning houses, officials "
                 "said.", NOW, "grassfields-post")
VILLAGE_AT = clash({"killed": 18}, ("Bamenda", "Cameroon"))
NOW_HIGHER = report("Mezam division: army blames separatists for village raid, toll now 23",
                    "The army said separatist fighters carried out the raid and that 23 bodies had been found.",
                    NOW + 27 * HOUR, "highland-wire")


def test_a_toll_now_higher_a_day_late_joins_the_only_incident_there_with_fewer_dead() -> None:
    event = opened(VILLAGE, VILLAGE_AT)
    found, why = decide(event, clash({"killed": 23}, ("Cameroon",)), NOW_HIGHER, late=True)
    assert found == event
    assert why.startswith("joins: a rising toll (23, was 18)")


def test_a_toll_now_higher_with_two_incidents_with_fewer_dead_there_stays_apart() -> None:
    event = opened(VILLAGE, VILLAGE_AT)
    rival = opened(report("Gunmen kill 11 on road near Kumba", "Gunmen killed 11 travellers on a road near Kumba.",
                          NOW + HOUR, "forest-news"), clash({"killed": 11}, ("Kumba", "Cameroon")))
    found, _ = decide(event, clash({"killed": 23}, ("Cameroon",)), NOW_HIGHER, others=(rival,), late=True)
    assert found is None


# -- a group's claim within hours, recalling the other side's count ------------------------------------------------

CONVOY = report("Bomb hits police convoy on Kalat highway",
                "A roadside bomb struck a police convoy on the highway near Kalat on Monday, killing seven officers "
                "and wounding a passer-by, police said.", NOW, "desert-times")
CONVOY_AT = clash({"killed": 7}, ("Kalat", "Baluchistan", "Pakistan"))
CLAIMED = report("Separatists claim attack, say 60 policemen died",
                 "Its fighters destroyed four vehicles and left 60 men in uniform dead, the group said in a message. "
                 "Officials dismissed the figure and said seven officers had died.", NOW + 4 * HOUR, "border-wire")


def test_a_claim_within_hours_recalling_the_incidents_toll_joins_it() -> None:
    event = opened(CONVOY, CONVOY_AT)
    found, why = decide(event, clash({"killed": 67}, ("Pakistan",)), CLAIMED)
    assert found == event
    assert why.startswith("joins: a claim within hours recalling its toll (7)")


def checkpoint(killed: int) -> Event:
    """Another attack open in the province: a look-alike the claim could be about."""
    attack = report(f"Gunmen kill {killed} at Turbat checkpoint", f"Gunmen killed {killed} guards at a checkpoint.",
                    NOW + HOUR, "coast-news")
    return opened(attack, clash({"killed": killed}, ("Turbat", "Baluchistan", "Pakistan")))


def test_with_another_attack_open_there_the_claims_recalled_toll_chooses_the_incident() -> None:
    event = opened(CONVOY, CONVOY_AT)
    found, why = decide(event, clash({"killed": 67}, ("Pakistan",)), CLAIMED, others=(checkpoint(9),))
    assert found == event and why.startswith("joins: a claim within hours recalling its toll (7)")


def test_a_claim_recalling_no_toll_of_the_incident_or_one_another_incident_counted_stays_apart() -> None:
    event = opened(CONVOY, CONVOY_AT)
    vague = report(CLAIMED.title, "Its fighters destroyed four vehicles and left 60 men in uniform dead, the group "
                   "said in a message.", NOW + 4 * HOUR, "border-wire")
    assert decide(event, clash({"killed": 60}, ("Pakistan",)), vague, others=(checkpoint(9),))[0] is None
    found, why = decide(event, clash({"killed": 67}, ("Pakistan",)), CLAIMED, others=(checkpoint(7),))
    assert found is None and not why.startswith("joins")


# -- troops sent in answer to a raid already told ----------------------------------------------------------------

LAKE_RAID = report("Militants kill 22 soldiers at island base on Lake Chad",
                   "Militants in motorboats overran an army base on an island of Lake Chad before dawn, killing 22 "
                   "soldiers and seizing weapons, the army said.", NOW, "lake-courier")


def raid_and_troops(facts: dict) -> list[Match]:
    """A report the clash rule matches and the build-up rule too ("reinforcements sent")."""
    return [clash(facts, ("Lac", "Chad")),
            clash({"troops_change": "increase"}, ("Lac", "Chad"), rule="troop-buildup", tags=("military",))]


def test_reinforcements_sent_after_the_raid_join_the_raids_message_instead_of_opening_a_build_up() -> None:
    book = Book()
    first = decide_alerts(LAKE_RAID, [clash({"killed": 22}, ("Lac", "Chad"))], NOW, book=book, story_id="s-raid")
    sent = report("Chad rushes reinforcements to Lac province after deadly raid",
                  "The army said two battalions were on their way to the islands and that 22 soldiers had died in the "
                  "raid on the base.", NOW + 8 * HOUR, "capital-news")
    later = decide_alerts(sent, raid_and_troops({"killed": 22}), NOW + 8 * HOUR, book=book, story_id="s-sent")
    assert AlertAction.SEND not in [a.action for a in later]   # no second message: the raid's aftermath
    raid_event = first[0].event
    assert raid_event is not None and {a.event.id for a in later if a.event} == {raid_event.id}
    assert {r.id for r in book.events[raid_event.id].rules} == {"fatal-clash", "troop-buildup"}


def test_a_build_up_told_without_answering_the_raid_still_opens_its_own_incident() -> None:
    book = Book()
    decide_alerts(LAKE_RAID, [clash({"killed": 22}, ("Lac", "Chad"))], NOW, book=book, story_id="s-raid")
    massing = report("Chad masses troops in Lac province as toll of island raid stands at 22",
                     "Two battalions were moved to the islands and 22 soldiers are now known to have died at the base, "
                     "the army said.", NOW + 8 * HOUR, "capital-news")
    later = decide_alerts(massing, raid_and_troops({"killed": 22}), NOW + 8 * HOUR, book=book, story_id="s-mass")
    assert [a.action for a in later].count(AlertAction.SEND) == 1   # the build-up: an incident of another kind


def test_what_reads_as_an_answer_to_an_attack() -> None:
    assert tells_response("Chad rushes reinforcements to Lac province after deadly raid")
    assert tells_response("Army vows to pursue attackers as coffins reach the capital")
    assert not tells_response("Chad masses troops in Lac province as toll of island raid stands at 22")
    assert tells_response("Thai army reinforces border after deadly skirmish")
    assert not tells_response("Troops deploy after talks fail")
    assert not tells_response("Seven villagers dead after raid on market in Yola")   # the attack itself


def test_a_first_report_of_a_skirmish_and_the_reinforcements_sent_after_it_is_one_message() -> None:
    book = Book()
    first = report("Army reinforces Lac islands after deadly skirmish with militants",
                   "Two soldiers were killed in a skirmish with militants on an island of Lake Chad, and the army "
                   "said it had sent a battalion to the area.", NOW, "lake-courier")
    alerts = decide_alerts(first, raid_and_troops({"killed": 2}), NOW, book=book, story_id="s-first")
    assert [a.action for a in alerts].count(AlertAction.SEND) == 1
    assert len({a.event.id for a in alerts if a.event}) == 1


def test_an_attack_told_after_its_raid_keeps_a_second_attack_rule_in_its_own_message() -> None:
    """'after raid' in an attack's own headline, its dead told first, is no answer to it: an operator's raid rule
    that matches beside the clash rule keeps its own message as it does for every other raid."""
    book = Book()
    first = report("Seven villagers dead after raid on market in Yola",
                   "Raiders on motorbikes swept through the weekly market of Yola and shot seven villagers dead.",
                   NOW, "savanna-courier")
    matches = [clash({"killed": 7}, ("Yola", "Adamawa", "Nigeria")),
               clash({"killed": 7}, ("Yola", "Adamawa", "Nigeria"), rule="raid", tags=("raids",))]
    alerts = decide_alerts(first, matches, NOW, book=book, story_id="s-yola")
    assert [a.action for a in alerts].count(AlertAction.SEND) == 2
    assert len({a.event.id for a in alerts if a.event}) == 2


def test_a_first_report_telling_a_build_up_and_a_clash_side_by_side_is_still_two_messages() -> None:
    book = Book()
    first = report("Army masses troops on Lac islands as two soldiers die in skirmish",
                   "Two soldiers were killed in a skirmish with militants on an island of Lake Chad, and the army "
                   "said it had sent a battalion to the area.", NOW, "lake-courier")
    alerts = decide_alerts(first, raid_and_troops({"killed": 2}), NOW, book=book, story_id="s-first")
    assert [a.action for a in alerts].count(AlertAction.SEND) == 2
