"""Follow-ups that give another count of the same dead join their incident; look-alikes stay apart.

Each story is an analyst's reading a stream no one tuned on: a guerrilla admits how many of its own fighters died;
a local paper repeats the first outlet's figure a day later in its own words ("martyred"); soldiers are buried
in no town the incident named; a wire from the capital says the toll rose; a second outlet gives its own count of
the same strike within hours; and a claim by a group's branch in one country while its fighters elsewhere are in
the news. For each, the look-alike that must not merge. The matches are built as the engine gives them (where it
happened in `regions`, places named in passing in `mentioned`); the texts and places are ours."""

from __future__ import annotations

from bot.events import merge_report, reads_as_late_follow_up, salient_terms
from bot.events.followup_reading import dateline_only, one_sides_toll, tells_burial, tells_rising_toll
from bot.models import Article, Event, Match
from tests.test_events_followups_reading import HOUR, NOW, clash, decide, opened, report


def joined(event: Event, m: Match, article: Article) -> Event:
    """The incident after one more of its reports."""
    at = article.published or NOW
    return merge_report(event, m, article, at, salient_terms(article, m.key.split("region=")[1]), None)[0]


# -- a side's own count of its dead ---------------------------------------------------------------------------------

FIGHTING = report("Clashes between rival guerrillas leave at least 20 dead near Tame",
                  "At least 20 people were killed on Saturday in fighting between two armed groups in rural Tame, "
                  "in Arauca department, local officials said. Several of the dead were farmers.", NOW,
                  "llanos-chronicle")
FIGHTING_AT = clash({"killed": 20}, ("Tame", "Arauca", "Colombia"))


def test_a_guerrilla_admitting_how_many_of_its_fighters_died_joins_the_fighting() -> None:
    event = opened(FIGHTING, FIGHTING_AT)
    admits = report("Guerrilla admits nine of its fighters died in Tame fighting",
                    "The group said in a statement on Sunday that nine of its fighters were killed in the battles "
                    "around Tame and that its men had killed many more of the enemy.", NOW + 20 * HOUR)
    found, why = decide(event, clash({"killed": 9}, ("Tame", "Arauca", "Colombia")), admits)
    assert found == event   # one side's share of the dead, not a lower toll of another clash
    assert why == "joins: similar words"


def test_what_counts_as_one_sides_dead() -> None:
    assert one_sides_toll("Guerrilla admits nine of its fighters died", "", 9, [])
    assert one_sides_toll("Army says 12 soldiers died", "The army said 12 of its soldiers died.", 12, [])
    assert not one_sides_toll("Clash kills 12 in Tame", "Twelve people were killed.", 12, [])
    assert not one_sides_toll("Gunmen kill 9 Colombian soldiers", "", 9, [])   # no side counting, no people given


def test_a_new_clash_with_a_lower_toll_a_day_later_stays_apart() -> None:
    event = opened(FIGHTING, FIGHTING_AT)
    again = report("Nine killed in gunfight near Tame",
                   "Nine people were killed on Sunday when gunmen opened fire on a bus near Tame.", NOW + 20 * HOUR)
    found, why = decide(event, clash({"killed": 9}, ("Tame", "Arauca", "Colombia")), again)
    assert found is None and why == "another incident: a lower toll that corrects nothing"


# -- a figure one of its outlets already gave --------------------------------------------------------------------

POST = report("Militants storm police post in Darband, four officers killed",
              "Militants attacked the Kalpani police post in Darband district before dawn on Tuesday, killing four "
              "policemen, district police said.", NOW, "hill-tribune")
POST_AT = clash({"killed": 4}, ("Pakistan",))
POST_HIGHER = report("Pakistan: six police killed in attack on northwest checkpoint",
                     "Six police officers were killed when fighters attacked a checkpoint in the north-west, "
                     "officials said.", NOW + 5 * HOUR, "meridian-wire")


def test_a_day_later_a_paper_repeating_the_first_outlets_figure_in_its_own_words_joins() -> None:
    event = joined(opened(POST, POST_AT), clash({"killed": 6}, ("Pakistan",)), POST_HIGHER)
    martyred = report("Four policemen martyred in Kalpani attack",
                      "Four policemen were martyred when terrorists attacked the Kalpani post in Darband.",
                      NOW + 25 * HOUR, "valley-daily")
    found, why = decide(event, clash({"killed": 4}, ("Pakistan",)), martyred)
    assert found == event   # four is the first outlet's figure: a retelling, not a new attack with fewer dead
    assert why.startswith("joins")


def test_a_lower_toll_no_outlet_gave_a_day_later_is_another_incident() -> None:
    event = joined(opened(POST, POST_AT), clash({"killed": 6}, ("Pakistan",)), POST_HIGHER)
    other = report("Three policemen killed in Kalpani attack",
                   "Three policemen were killed when militants attacked a post in Darband.", NOW + 25 * HOUR,
                   "valley-daily")
    found, why = decide(event, clash({"killed": 3}, ("Pakistan",)), other)
    assert found is None and why == "another incident: a lower toll that corrects nothing"


# -- funerals and wreaths --------------------------------------------------------------------------------------------

SHOOTING = report("Police officer shot dead near Brnjak crossing in Kosovo",
                  "A Kosovo police officer was killed and another wounded when gunmen fired on a patrol near the "
                  "Brnjak crossing early on Wednesday, police said.", NOW, "danube-wire")
SHOOTING_AT = clash({"killed": 1}, ("Kosovo",))


def test_a_funeral_two_days_later_reads_as_a_follow_up_even_though_its_headline_tells_dead() -> None:
    event = opened(SHOOTING, SHOOTING_AT)
    funeral = report("Thousands attend funeral of police sergeant killed in the north",
                     "Thousands of people lined the streets on Friday for the funeral of the sergeant killed on "
                     "Wednesday near Brnjak.", NOW + 50 * HOUR)
    assert tells_burial(funeral.title) and tells_burial("Wreaths laid for two soldiers killed on the frontier")
    assert reads_as_late_follow_up(event, clash({"killed": 1}, ("Kosovo",)), funeral)


def test_a_burial_in_a_town_the_incident_never_named_does_not_read_as_its_follow_up() -> None:
    event = opened(SHOOTING, SHOOTING_AT)
    elsewhere = report("Lipljan buries its dead after the market blast",
                       "Villagers in Lipljan buried their dead on Monday after the blast at the market.",
                       NOW + 50 * HOUR)
    assert not reads_as_late_follow_up(event, clash({"killed": 5}, ("Kosovo",)), elsewhere)
    assert not tells_burial("Gunmen kill five at a market")


# -- a rising toll ------------------------------------------------------------------------------------------------

RAID = report("Gang gunmen kill at least 25 in Haitian town",
              "Gunmen from the Gran Grif gang stormed Petite-Riviere before dawn on Monday, shooting residents in "
              "their homes and in the street, local officials said.", NOW, "island-monitor")
RAID_AT = clash({"killed": 25}, ("Artibonite", "Haiti"))
RISES = report("Haiti: toll from gang attack rises to 43, UN says",
               "PORT-AU-PRINCE (Meridian Wire) - Forty-three people died in the assault, among them a baby, the "
               "United Nations rights office said on Tuesday.", NOW + 18 * HOUR)
RISES_AT = clash({"killed": 43}, ("Port-au-Prince", "Artibonite", "Haiti"))


def test_a_wire_from_the_capital_saying_the_toll_rose_joins_the_raid_with_fewer_dead() -> None:
    event = opened(RAID, RAID_AT)
    found, why = decide(event, RISES_AT, RISES)
    assert found == event
    assert why == ("joins: a rising toll (43, was 25) where it happened, the only open incident of its kind there "
                   "with fewer dead")
    assert tells_rising_toll(RISES.title)


def test_a_rising_toll_in_another_province_or_with_two_incidents_open_there_stays_apart() -> None:
    event = opened(RAID, RAID_AT)
    west = report(RISES.title, RISES.text + " It happened in Grand'Anse.", NOW + 18 * HOUR)
    assert decide(event, clash({"killed": 43}, ("Port-au-Prince", "Grand'Anse", "Haiti")), west)[0] is None
    second = opened(report("Gunmen kill 12 in Artibonite village", "Gunmen killed 12 villagers in the Artibonite "
                           "department on Monday.", NOW + HOUR), clash({"killed": 12}, ("Artibonite", "Haiti")))
    found, why = decide(event, RISES_AT, RISES, (second,))
    assert found is None and why.startswith("too few words shared")   # which one rose, the words cannot tell


def test_a_dateline_in_capitals_without_accents_is_still_the_capital() -> None:
    text = "BOGOTA (Meridian Wire) - Thirty people were killed in two days of fighting in the north-east."
    assert dateline_only(text, "Toll rises to 30", ("Bogotá", "Colombia"), {}) == {"Bogotá"}


# -- a second outlet's count within hours ------------------------------------------------------------------------

STRIKE = report("Junta jets bomb village in Sagaing, killing at least 12",
                "Military jets dropped bombs on Nyaung Pin village in Sagaing region on Monday morning, killing at "
                "least 12 people sheltering in the monastery, residents said.", NOW, "irrawaddy-bulletin")
STRIKE_AT = clash({"killed": 12}, ("Sagaing Region", "Myanmar"))
SECOND = report("Myanmar air strike on village kills 21, resistance group says",
                "A local resistance force said 21 people died when military aircraft struck a village on Monday. "
                "Most were women and children sheltering in a monastery.", NOW + 7 * HOUR, "atlas-news")
SECOND_AT = clash({"killed": 21}, ("Myanmar",))


def test_a_second_outlets_own_count_of_the_same_strike_within_hours_joins() -> None:
    event = opened(STRIKE, STRIKE_AT)
    found, why = decide(event, SECOND_AT, SECOND)
    assert found == event
    assert why.startswith("joins: a second outlet's count (21, the incident's 12) within hours")


def test_half_a_day_later_or_with_a_look_alike_open_in_the_country_a_new_count_stays_apart() -> None:
    event = opened(STRIKE, STRIKE_AT)
    later = report(SECOND.title, SECOND.text, NOW + 14 * HOUR, "atlas-news")
    assert decide(event, SECOND_AT, later)[0] is None
    other = opened(report("Junta jets bomb village in Magway, killing at least 9",
                          "Military jets dropped bombs on a village in Magway region on Monday morning, killing people "
                          "sheltering in the monastery, residents said.", NOW + 2 * HOUR),
                   clash({"killed": 9}, ("Magway Region", "Myanmar")))
    found, why = decide(event, SECOND_AT, SECOND, (other,))
    assert found is None and why.startswith("too few words shared")   # two strikes on villages: the words tell none


def test_with_another_incident_open_in_the_country_a_second_count_joins_the_one_its_words_choose() -> None:
    # issue 12, eighth round: a shelling elsewhere in the country shares none of the strike's words, so the count
    # that shares the strike's is the strike's (a second count of a downed helicopter, the evening a truck bomb
    # went off in another city)
    event = opened(STRIKE, STRIKE_AT)
    other = opened(report("Shelling kills 8 in Shan town", "Artillery shells hit a market in a Shan town on Monday.",
                          NOW + 2 * HOUR), clash({"killed": 8}, ("Shan State", "Myanmar")))
    found, why = decide(event, SECOND_AT, SECOND, (other,))
    assert found == event
    assert why.startswith("joins: a second outlet's count (21, the incident's 12) within hours, and the words choose")


# -- one group's name across borders ------------------------------------------------------------------------------

AMBUSH = report("IS ambush kills four Iraqi soldiers in Anbar",
                "Suspected Islamic State militants ambushed an army patrol in Anbar province late on Friday, "
                "killing four soldiers, a security source said.", NOW)
AMBUSH_AT = clash({"killed": 4}, ("Al Anbar Governorate", "Iraq"))
VILLAGE = report("Insurgents behead five in northern Mozambique",
                 "Insurgents killed five villagers in an attack in Cabo Delgado province on Saturday.", NOW + HOUR)
VILLAGE_AT = clash({"killed": 5}, ("Cabo Delgado", "Mozambique"))
CLAIM = report("Islamic State affiliate claims killing of eight 'Christians'",
               "The Islamic State's Mozambique branch said in a statement that its fighters killed eight "
               "'Christians' at the weekend.",
               NOW + 40 * HOUR)
CLAIM_AT = clash({"killed": 8}, ("Mozambique",))


def test_a_groups_claim_in_one_country_does_not_join_its_ambush_in_another_where_an_incident_is_open() -> None:
    ambush, village = opened(AMBUSH, AMBUSH_AT), opened(VILLAGE, VILLAGE_AT)
    found, why = decide(ambush, CLAIM_AT, CLAIM, (village,))
    assert found != ambush
    assert why == "places apart: a shared name, but the report is about another country with an incident open"


def test_with_no_incident_open_in_its_country_a_shared_name_is_weighed_as_before() -> None:
    ambush = opened(AMBUSH, AMBUSH_AT)
    why = decide(ambush, CLAIM_AT, CLAIM)[1]
    assert not why.startswith("places apart")


# -- an operator's broad region, like a province -----------------------------------------------------------------

BUILD_UP = report("Serbia moves troops toward Kosovo boundary after shooting",
                  "Serbia's army raised its readiness on Friday and moved units to bases in Raska and Kursumlija "
                  "near the administrative line, two days after a deadly shooting. Officials put the force at about "
                  "6,000.", NOW)
BUILD_UP_AT = clash({"troops": 6000, "troops_change": "increase"}, ("kosovo-serbia-line", "Serbia"),
                    rule="troop-buildup")
INSPECTS = report("Army chief inspects units near the administrative line",
                  "The chief of general staff visited soldiers posted along it on Saturday and said they would stay "
                  "'as long as the safety of our people requires'.", NOW + 18 * HOUR, "sava-daily")


def test_a_report_placed_only_in_the_operators_region_the_build_up_lies_in_joins_by_its_words() -> None:
    event = opened(BUILD_UP, BUILD_UP_AT)
    found, why = decide(event, clash({}, ("kosovo-serbia-line", "Serbia"), rule="troop-buildup"), INSPECTS)
    assert found == event
    assert why.startswith("joins: the same province (kosovo-serbia-line) and words")


def test_a_report_in_another_operator_region_is_left_to_the_words() -> None:
    event = opened(BUILD_UP, BUILD_UP_AT)
    found, why = decide(event, clash({}, ("north-kosovo", "Serbia"), rule="troop-buildup"), INSPECTS)
    assert found is None and why.startswith("too few words shared")


# -- a funeral for as many dead as the incident counted -----------------------------------------------------------

FIRING = report("Two soldiers killed in firing across the frontier in Uri",
                "Two soldiers were killed and one wounded when troops across the line fired on forward posts in "
                "the Uri sector late on Friday, army officials said.", NOW, "valley-ledger")
FIRING_AT = clash({"killed": 2, "wounded": 1}, ("India",), ("Pakistan",))
WREATHS = report("Wreaths laid for Havildar Arun Thapa and Sepoy Irfan Mir",
                 "The army laid wreaths in Baramulla on Sunday for the two soldiers killed on Friday night; their "
                 "bodies were flown home for burial.", NOW + 26 * HOUR, "valley-ledger")
WREATHS_AT = clash({"killed": 2}, ("India",))


def test_wreaths_for_as_many_dead_as_the_incident_counted_join_it_though_the_toll_is_small() -> None:
    event = opened(FIRING, FIRING_AT)
    found, why = decide(event, WREATHS_AT, WREATHS)
    assert found == event
    assert why == ("joins: a funeral for as many dead (2) as it counted, the only open incident of its kind there "
                   "counting them")


def test_wreaths_for_another_count_or_with_another_incident_counting_as_many_stay_apart() -> None:
    event = opened(FIRING, FIRING_AT)
    assert decide(event, clash({"killed": 3}, ("India",)), WREATHS)[0] is None
    other = opened(report("Two policemen shot dead in Sopore", "Militants shot two policemen at a checkpoint in "
                          "Sopore on Saturday, police said.", NOW + 20 * HOUR), clash({"killed": 2}, ("India",)))
    found, why = decide(event, WREATHS_AT, WREATHS, (other,))
    assert found is None and why.startswith("too few words shared")


# -- an incident told as the attackers' return -------------------------------------------------------------------

RETURN = report("Gunmen return to Kwall, killing villagers who went back for their harvest",
                "Eight people were killed on Monday evening when gunmen attacked Kwall again, a week after a raid on "
                "the same village in Bassa, Plateau State, residents said.", NOW, "jos-dispatch")
RETURN_AT = clash({"killed": 8}, ("Plateau State", "Nigeria"))


def test_an_incident_told_as_the_attackers_return_takes_the_second_outlets_fresh_attack() -> None:
    event = opened(RETURN, RETURN_AT)
    fresh = report("Nigeria: fresh attack on Plateau village kills 11",
                   "ABUJA (Meridian Wire) - Gunmen killed 11 people in a new attack on a Plateau village raided "
                   "last week, police said.", NOW + 5 * HOUR)
    found, why = decide(event, clash({"killed": 11}, ("Abuja", "Plateau State", "Nigeria")), fresh)
    assert found == event and why.startswith("joins")


def test_an_incident_told_as_the_first_attack_does_not_take_a_fresh_one() -> None:
    first = report("Gunmen kill eight villagers in Kwall", RETURN.text.replace(" again, a week after a raid on "
                   "the same village", ""), NOW, "jos-dispatch")
    event = opened(first, RETURN_AT)
    fresh = report("Nigeria: fresh attack on Plateau village kills 11", "Gunmen killed 11 people in a new attack.",
                   NOW + 5 * HOUR)
    found, why = decide(event, clash({"killed": 11}, ("Plateau State", "Nigeria")), fresh)
    assert found is None and why == "another incident: the headline tells a new attack"


# -- what followed: attackers killed in pursuit after the ambush ---------------------------------------------------

AMBUSH_SOUTH = report("Philippine army says six soldiers killed in ambush, blames rebel faction",
                      "MANILA (Meridian Wire) - Six soldiers were killed in an ambush on the southern island of "
                      "Mindanao on Thursday, the army said, blaming a rebel faction that rejects the peace deal.",
                      NOW, "meridian-wire")
AMBUSH_SOUTH_AT = clash({"killed": 6}, ("Manila", "Philippines"))


def test_attackers_killed_in_pursuit_after_the_ambush_are_its_follow_up() -> None:
    event = opened(AMBUSH_SOUTH, AMBUSH_SOUTH_AT)
    pursuit = report("Army: two gunmen killed in pursuit after deadly ambush",
                     "Troops caught up with the attackers in marshland near Datu Piang and shot two dead, the "
                     "military said on Friday.", NOW + 23 * HOUR, "mindanao-wire")
    found, why = decide(event, clash({"killed": 2}, ("Philippines",)), pursuit)
    assert found == event and why.startswith("joins: the same country (Philippines)")


def test_a_headline_telling_its_own_dead_without_what_followed_stays_apart() -> None:
    event = opened(AMBUSH_SOUTH, AMBUSH_SOUTH_AT)
    clash_report = report("Army: two gunmen killed in clash in marshland",
                          "Troops caught up with the attackers in marshland near Datu Piang and shot two dead, the "
                          "military said on Friday.",
                          NOW + 23 * HOUR, "mindanao-wire")
    found, why = decide(event, clash({"killed": 2}, ("Philippines",)), clash_report)
    # two gunmen the army shot are no lower toll of the ambush; but nothing says they are its follow-up either
    assert found is None and why.startswith("too few words shared")


def test_a_second_count_from_a_capitals_wire_is_not_placed_in_the_capitals_province() -> None:
    bomb = report("Car bomb kills 11 on the outskirts of Jarablus",
                  "A car bomb exploded beside a truck carrying farm workers on the outskirts of Jarablus on Thursday "
                  "morning, killing at least 11 people, civil defence workers said.", NOW, "levant-report")
    event = opened(bomb, clash({"killed": 11}, ("Jarablus", "Aleppo governorate", "Syria")))
    wire = report("Syria: car bomb near farm workers' truck kills 16",
                  "DAMASCUS (Meridian Wire) - Sixteen people died when a car bomb went off next to a truck taking "
                  "labourers to the fields in the north on Thursday, rescuers said.", NOW + 5 * HOUR)
    found, why = decide(event, clash({"killed": 16}, ("Damascus", "Damascus governorate", "Syria")), wire)
    assert found == event and why.startswith("joins: a second outlet's count (16, the incident's 11)")
