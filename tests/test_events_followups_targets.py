"""Two attacks a few days apart in one district stay apart; the follow-ups of each join their own.

The seventh stream merged a raid on a gold mine into a camp massacre four days earlier in the same territory (a
follow-up of the camp joined the mine's incident, whose second report had recalled the camp's dead), and an army raid
into a convoy bombing three days earlier in the same district. It split a funeral in a home town, a government's
confirmation that gave no toll, an army's count of the attackers it killed, spellings of one town in two
transliterations, a UN statement days late, families fleeing "after base attack", and a build-up told by the army's own
government and by a third country's capital. Each story below is told in our own words with other places, next to the
look-alike that must stay apart. The matches are built as the engine gives them (where it happened in `regions`, places
named in passing in `mentioned`)."""

from __future__ import annotations

from bot.events import decide_alerts, salient_terms
from bot.events.build_ups import actors_of
from bot.events.follow_ups import follow_up_reason
from bot.events.followup_reading import attackers_killed, gives_no_toll, tells_reaction
from bot.events.targets import attack_days, targets_of
from bot.events.terms import alike
from bot.models import Match
from tests.test_events import Book
from tests.test_events_followups_reading import HOUR, NOW, clash, decide, opened, report

DAY = 24 * HOUR
CONGO = "Democratic Republic of the Congo"
IRUMU = ("Irumu", "Ituri", CONGO)


def build_up(facts: dict, regions: tuple[str, ...], mentioned: tuple[str, ...] = ()) -> Match:
    return clash(facts, regions, mentioned, rule="troop-buildup", tags=("military",))


# -- what was struck, and on which day ---------------------------------------------------------------------------

CAMP = report("Militia raid on displacement camp in Irumu kills 18",
              "Fighters attacked a camp for displaced families at Bunyuka in Irumu territory overnight, killing 18 "
              "people, a local official said on Thursday.", NOW, "lakes-wire")
CAMP_AT = clash({"killed": 18}, IRUMU)


def test_what_a_headline_says_was_struck() -> None:
    assert targets_of("Militia raid on displacement camp in Irumu kills 18") == {"camp"}
    assert targets_of("Gunmen kill gold miners near Komanda") == {"mine"}
    assert targets_of("Families in Kayes bury soldiers killed in convoy attack") == {"convoy"}
    assert targets_of("Roadside mine kills three soldiers near Kidal") == set()   # a weapon, not a target
    assert targets_of("30 wounded brought to Nyala hospital after shelling") == set()   # where the wounded went


def test_the_day_an_attack_is_dated_to_not_the_day_a_statement_was_made() -> None:
    assert attack_days("Gunmen raided a gold site near Komanda in Irumu territory on Monday.") == {0}
    assert attack_days("The dead were counted after Friday's drone attack on the base.") == {4}
    assert attack_days("Troops killed nine fighters in the hills, the army said on Thursday.") == set()
    assert attack_days("Elders agreed a truce on Sunday.") == set()


def test_a_new_attack_on_another_target_in_the_district_opens_its_own_incident_whatever_its_toll() -> None:
    camp = opened(CAMP, CAMP_AT)
    mine = report("Gunmen kill gold miners near Komanda in Irumu territory",
                  "At least 25 artisanal miners were killed when armed men raided a gold site near Komanda on "
                  "Sunday, civil society leaders said.", NOW + 3 * DAY, "kivu-times")
    found, why = decide(camp, clash({"killed": 25}, IRUMU), mine)
    assert found is None
    assert why == "another incident: the headline tells dead of its own, on another target (mine, not camp)"


def test_a_follow_up_goes_to_the_incident_whose_target_its_headline_names() -> None:
    camp = opened(CAMP, CAMP_AT)
    mine = opened(report("Gunmen kill gold miners near Komanda in Irumu territory",
                         "At least 25 miners were killed at a gold site near Komanda, days after 18 people died at "
                         "a displacement camp in the same territory.", NOW + 3 * DAY, "kivu-times"),
                  clash({"killed": 25}, IRUMU))
    hunger = report("Aid agencies warn of hunger a week after Irumu camp massacre",
                    "A week after a militia attack killed 18 people at a displacement camp in Irumu, aid agencies "
                    "said families who fled the camp are sleeping in the open.", NOW + 5 * DAY, "relief-post")
    found, _ = decide(camp, clash({"killed": 18}, ("Irumu", CONGO)), hunger, (mine,))
    assert found == camp


def test_a_follow_up_goes_to_the_incident_whose_place_its_headline_names() -> None:
    regions = ("North Waziristan", "Pakistan")
    convoy = opened(report("Suicide bomber hits army convoy near Razmak, nine soldiers dead",
                           "A suicide bomber rammed a military convoy near Razmak on Monday, killing nine soldiers.",
                           NOW, "frontier-post"), clash({"killed": 9}, regions))
    raid = opened(report("Security forces kill six militants in Shewa raid",
                         "Soldiers killed six militants in an operation in the Shewa area on Wednesday.",
                         NOW + 2 * DAY, "indus-wire"), clash({"killed": 6}, regions))
    planning = report("Army says militants killed in Shewa were planning attacks",
                      "The military said the six fighters killed in Shewa had been preparing attacks on army posts. "
                      "It did not say whether they were linked to Monday's convoy bombing near Razmak, in which "
                      "nine soldiers were killed by a suicide bomber.", NOW + 2 * DAY + 12 * HOUR, "frontier-post")
    found, _ = decide(raid, clash({"killed": 6}, regions), planning, (convoy,))
    assert found == raid


# -- the same dead, told by the government, the army, a funeral or a statement ------------------------------------

TAHOUA = ("Tahoua", "Niger")
MASSACRE = report("Gunmen kill 40 villagers in Niger's Tahoua region",
                  "Armed men on motorbikes killed at least 40 civilians in a village of the Tahoua region on Sunday, "
                  "residents said.", NOW, "sahel-wire")
MASSACRE_AT = clash({"killed": 40}, TAHOUA)


def test_what_reads_as_no_toll_and_as_the_attackers_dead() -> None:
    assert gives_no_toll("Niamey confirms 'terrorist' attack in Tahoua region, gives no toll", "")
    assert gives_no_toll("Niamey confirms attack", "The government did not say how many people died.")
    assert not gives_no_toll("Niamey confirms 40 killed in attack", "The government gave the toll on Monday.")
    assert attackers_killed("Niger army says it killed 30 attackers after Tahoua massacre", "", 30)
    assert not attackers_killed("Gunmen kill 30 villagers in Tahoua", "", 30)


def test_a_government_confirming_the_attack_with_no_toll_joins_it_whatever_figure_is_read() -> None:
    book = Book()
    first = decide_alerts(MASSACRE, [MASSACRE_AT], NOW, book=book, story_id="s-massacre")
    confirms = report("Niamey confirms 'terrorist' attack in Tahoua region, gives no toll",
                      "The government said terrorist elements attacked a locality of the Tahoua region on Sunday "
                      "and that troops were hunting three groups of attackers. It did not say how many people died.",
                      NOW + DAY, "capital-daily")
    later = decide_alerts(confirms, [clash({"killed": 3}, TAHOUA)], NOW + DAY, book=book, story_id="s-confirms")
    assert first[0].event is not None and later[0].event is not None
    assert later[0].event.id == first[0].event.id
    assert later[0].event.facts["killed"] == 40


def test_the_armys_count_of_the_attackers_it_killed_joins_and_a_new_lower_toll_does_not() -> None:
    event = opened(MASSACRE, MASSACRE_AT)
    reprisal = report("Niger army says it killed 30 attackers after Tahoua massacre",
                      "The army said it killed about 30 fighters in air and ground operations near the village "
                      "where gunmen massacred civilians on Sunday.", NOW + 2 * DAY, "sahel-wire")
    found, _ = decide(event, clash({"killed": 30}, ("Niger",)), reprisal)
    assert found == event
    new = report("Gunmen kill 12 villagers in Niger's Tahoua region",
                 "Armed men killed 12 civilians in another village of the Tahoua region, residents said.",
                 NOW + 2 * DAY, "sahel-wire")
    found, why = decide(event, clash({"killed": 12}, TAHOUA), new)
    assert found is None and why == "another incident: a lower toll that corrects nothing"


def test_a_burial_of_the_dead_of_its_target_joins_days_late_in_their_home_town() -> None:
    mali = ("Menaka region", "Mali")
    ambush = opened(report("Soldiers killed in ambush on army convoy near Anderamboukane",
                           "Gunmen attacked a supply convoy near Anderamboukane, killing 15 soldiers.", NOW,
                           "sahel-wire"), clash({"killed": 15}, mali))
    mine = opened(report("Roadside mine kills three soldiers near Kidal",
                         "Three soldiers died when their vehicle hit a mine near Kidal.", NOW + DAY, "sahel-wire"),
                  clash({"killed": 3}, ("Kidal", "Mali")))
    burial = report("Families in Kayes bury soldiers killed in convoy attack",
                    "Relatives gathered at the military cemetery in Kayes to bury soldiers killed a week ago when "
                    "their convoy was attacked in the Menaka region.", NOW + 6 * DAY, "river-post")
    found, why = decide(ambush, clash({"killed": 1}, ("Kayes", "Mali")), burial, (mine,), late=True)
    assert found == ambush
    assert why.startswith("joins: a funeral for the dead of its attack on a convoy")
    other_convoy = opened(report("Jihadists ambush fuel convoy near Gao",
                                 "Gunmen attacked a fuel convoy near Gao, killing seven drivers.", NOW + DAY,
                                 "sahel-wire"), clash({"killed": 7}, ("Gao", "Mali")))
    found, _ = decide(ambush, clash({"killed": 1}, ("Kayes", "Mali")), burial, (other_convoy,), late=True)
    assert found is None   # two convoys struck in the country: the burial names neither


def test_a_burial_that_a_build_up_rule_also_matches_is_one_message_with_the_attack() -> None:
    book = Book()
    mali = ("Menaka region", "Mali")
    attack = decide_alerts(report("Soldiers killed in ambush on army convoy near Anderamboukane",
                                  "Gunmen attacked a supply convoy near Anderamboukane, killing 15 soldiers.", NOW,
                                  "sahel-wire"), [clash({"killed": 15}, mali)], NOW, book=book, story_id="s-ambush")
    burial = report("Families in Kayes bury soldiers killed in convoy attack",
                    "Relatives gathered at the military cemetery in Kayes to bury soldiers killed a week ago when "
                    "their convoy was attacked in the Menaka region, as the army sent units to the area.",
                    NOW + 6 * DAY, "river-post")
    at = ("Kayes", "Mali")
    later = decide_alerts(burial, [clash({"killed": 1}, at), build_up({"killed": 1, "troops_change": "increase"}, at)],
                          NOW + 6 * DAY, book=book, story_id="s-burial")
    assert attack[0].event is not None
    assert {a.event.id for a in later if a.event} == {attack[0].event.id}


def test_a_statement_condemning_the_attack_days_later_joins_it() -> None:
    assert tells_reaction("UN rights office condemns shelling of market in Kherson region")
    assert not tells_reaction("UN rights office says shelling killed 12 in Kherson region")
    kherson = ("Kherson Oblast", "Ukraine")
    event = opened(report("Shelling of Kherson market kills 12",
                          "Russian shells hit a covered market in the city of Kherson on Monday morning, killing 12 "
                          "shoppers and traders, the regional governor said.", NOW, "dnipro-post"),
                   clash({"killed": 12}, kherson))
    statement = report("UN rights office condemns shelling of market in Kherson region",
                       "The UN human rights office said the shelling of a market in the Kherson region, which killed "
                       "12 shoppers and traders, may be a war crime.", NOW + 5 * DAY, "geneva-times")
    found, _ = decide(event, clash({"killed": 12}, kherson), statement, late=True)
    assert found == event


def test_what_followed_an_attack_elsewhere_joins_when_its_text_recalls_the_toll_where_it_happened() -> None:
    event = opened(report("ELN drone attack on army base kills four soldiers in Saravena",
                          "Four soldiers were killed when drones dropped explosives on a base in Saravena, the army "
                          "said.", NOW, "andes-wire"), clash({"killed": 4}, ("Arauca", "Colombia")))
    flee = report("Families leave rural Arauca as troops pour in after base attack",
                  "Hundreds of families left villages this week as troops arrived after the drone attack that killed "
                  "four soldiers in Saravena.", NOW + 5 * DAY, "llanos-daily")
    found, _ = decide(event, clash({"killed": 4}, ()), flee, late=True)
    assert found == event
    terms = salient_terms(flee)
    assert follow_up_reason(event, [event], clash({"killed": 4}, ()), terms, flee) == (
        "the same toll (4) recalled with one of its names (saravena), the only open incident of its kind naming it")
    vague = report("Families leave rural Arauca as troops pour in after base attack",
                   "Hundreds of families left villages this week as troops arrived in force.", NOW + 5 * DAY)
    assert decide(event, clash({"killed": 4}, ()), vague, late=True)[0] is None


# -- one town in two transliterations ---------------------------------------------------------------------------

def test_one_name_in_two_transliterations_and_two_names() -> None:
    assert alike("valuyki", "valuiki") and alike("shebekino", "shebekine") and alike("kharkiv", "kharkov")
    assert not alike("vovchansk", "volchansk")   # a consonant: two names
    assert not alike("mandera", "mendira")       # two letters: two names
    assert not alike("bunia", "bunie")           # too short to tell


def test_a_follow_up_spelling_the_town_another_way_joins() -> None:
    belgorod = ("Belgorod Oblast", "Russia")
    event = opened(report("Shelling kills two in Russia's Valuyki, governor says",
                          "Two civilians were killed when shells hit the town of Valuyki, the governor said.", NOW,
                          "volga-post"), clash({"killed": 2}, ("Valuyki", *belgorod)))
    schools = report("Schools closed in Valuiki after deadly shelling",
                     "Authorities shut classrooms on Tuesday.", NOW + 10 * HOUR, "dnipro-post")
    found, why = decide(event, clash({"killed": 2}, belgorod), schools)
    assert found == event and why == "joins: the headline names the incident's place or people"


# -- a build-up told by its own government and by a third country's capital -------------------------------------

BORDER = ("baltic-border", "Lithuania")
MASSING = report("Lithuania says Belarus is moving troops toward its border",
                 "Lithuania's government said Belarus had sent armoured vehicles and about 2,000 soldiers close to "
                 "the border.", NOW, "baltic-wire")
MASSING_AT = build_up({"troops": 2000, "troops_change": "increase"}, BORDER, ("Belarus",))


def test_the_armys_own_government_telling_its_move_joins_when_it_names_the_area() -> None:
    event = opened(MASSING, MASSING_AT)
    routine = report("Minsk calls Grodno region deployment 'routine'",
                     "Belarus's defence minister said the units sent to the Grodno region were on an exercise near "
                     "the border.", NOW + 9 * HOUR, "minsk-daily")
    found, why = decide(event, build_up({"troops_change": "increase"}, ("Grodno Region", "Belarus"),
                                        ("Minsk", "baltic-border")), routine)
    assert found == event and why.startswith("joins: the same army's build-up told by its government (Belarus)")
    elsewhere = report("Minsk calls Gomel region deployment 'routine'",
                       "Belarus's defence minister said the units sent to the Gomel region were on an exercise.",
                       NOW + 9 * HOUR, "minsk-daily")
    found, _ = decide(event, build_up({"troops_change": "increase"}, ("Gomel Region", "Belarus"), ("Minsk",)),
                      elsewhere)
    assert found is None   # another front of the same army


def test_the_two_countries_a_headline_names_are_its_actors_not_the_capital_that_speaks() -> None:
    urged = report("Washington urges Belarus to pull troops back from Lithuanian border", "", NOW)
    assert actors_of(["Belarus", "United States", "Lithuania"], urged) == ["Belarus", "Lithuania"]


def test_a_troop_figure_guessed_from_several_hundred_is_no_shared_figure() -> None:
    event = opened(report("Belarus moves several hundred soldiers toward Polish border",
                          "Belarus sent several hundred soldiers toward the border.", NOW, "baltic-wire"),
                   build_up({"troops": 100, "troops_change": "increase"}, ("Belarus",), ("Poland",)))
    pentagon = report("Pentagon confirms troop drawdown from Romania",
                      "The Pentagon said several hundred US troops were leaving a base in Romania; Poland and Belarus "
                      "were told.", NOW + DAY, "capital-post")
    found, why = decide(event, build_up({"troops": 100, "troops_change": "decrease"}, ("Romania",),
                                        ("United States", "Poland", "Belarus")), pentagon)
    assert found is None and "troop figure" not in why
