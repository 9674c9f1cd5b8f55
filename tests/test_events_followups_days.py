"""Follow-ups that name the day an incident happened, give a share of its dead, bury its dead in its province, or
tell a later stage of one army's build-up join it (issue 12, eighth round); look-alikes stay apart.

Each story is an analyst's reading of a stream, in our own words with made-up outlets: a government gives its own
count of an attack two days after the attackers claimed a higher one, naming the day it happened; a group claims an
ambush on its channels and names no place; a children's agency says how many children were among a massacre's dead;
villagers bury the dead of a raid in the province; a second outlet's count of a downed helicopter comes while a
bombing elsewhere in the country is open; one army reinforces a border in stages over a week while a third country
reinforces its own; the two armies of a standoff each tell their side of it at one crossing. The matches are built as
the engine gives them (where it happened in `regions`, places named in passing in `mentioned`)."""

from __future__ import annotations

from bot.events.figures import another_incident
from bot.events.followup_reading import share_of_dead, weekdays_named
from bot.events.model import dated_to_its_day
from bot.events.terms import dateline_words
from bot.models import EventPolicy, Match, Severity
from tests.test_events_followups_reading import HOUR, NOW, clash, decide, opened, report

# NOW is a Monday morning (4 March 2024)


def build_up(regions: tuple[str, ...], mentioned: tuple[str, ...] = (), facts: dict | None = None) -> Match:
    return Match("troop-buildup", "Troop build-up", Severity.HIGH, ("military",), regions,
                 facts if facts is not None else {"troops_change": "increase"},
                 key=f"rule=troop-buildup|region={regions[-1]}", policy=EventPolicy(), mentioned=mentioned)


# -- the day it happened ----------------------------------------------------------------------------------------

RAID = report("Militants overrun two army posts near the Niger border",
              "Militants attacked two army positions in a national park in northern Togo on Monday, killing several "
              "soldiers, security sources said.", NOW + 10 * HOUR, "savanna-post")
RAID_AT = clash({"killed": 4}, ("Togo",), ("Niger", "Burkina Faso"))
CLAIM = report("Jihadist group says it killed 60 soldiers in raid on army posts",
               "The group said its fighters killed 60 soldiers and seized weapons in attacks on two army posts in "
               "the national park. The army gave no figure.", NOW + 28 * HOUR, "conflict-digest")
CLAIM_AT = clash({"killed": 60}, ("Togo",), ("Niger",))
COUNT = report("LOME - Government confirms 41 troops dead in the north",
               "LOME - Forty-one servicemen died in Monday's attacks on two army posts in the Savanes region, a "
               "spokesman said on Wednesday.", NOW + 58 * HOUR, "coast-courier")
COUNT_AT = clash({"killed": 41}, ("Savanes", "Togo"), ("Lome",))


def test_which_days_a_report_names_and_whether_it_dates_itself_to_the_incidents_day() -> None:
    assert weekdays_named("in Monday's attacks, the spokesman said on Wednesday") == {0, 2}
    assert weekdays_named("killed in an ambush on Sunday night") == {6}
    event = opened(RAID, RAID_AT)
    assert dated_to_its_day(event, COUNT)
    same_day = report(COUNT.title, COUNT.text, NOW + 12 * HOUR)
    assert not dated_to_its_day(event, same_day)   # on the day itself "Monday" is today, whatever happened
    week_later = report(COUNT.title, COUNT.text, NOW + 7 * 24 * HOUR)
    assert not dated_to_its_day(event, week_later)   # a week on, "Monday" is another Monday


def test_the_governments_lower_count_naming_the_attacks_day_joins_after_the_claim_even_days_late() -> None:
    event = opened(RAID, RAID_AT)
    found, _ = decide(event, CLAIM_AT, CLAIM)
    assert found == event
    from bot.events.folding import merge_report
    from bot.events.terms import salient_terms
    event, _, _ = merge_report(event, CLAIM_AT, CLAIM, CLAIM.published, salient_terms(CLAIM, "Togo"), None)
    assert not another_incident(event, COUNT_AT, COUNT, COUNT.published)   # 41 is another count of the 60 dead
    found, why = decide(event, COUNT_AT, COUNT, late=True)
    assert found == event
    assert why.startswith("joins: the day it happened, named by its weekday, in Togo")


def test_a_new_attack_that_day_or_a_count_naming_another_day_stays_apart() -> None:
    event = opened(RAID, RAID_AT)
    new_attack = report("Six killed in shoot-out at checkpoint in Savanes region",
                        "Six men were killed in an exchange of fire at a checkpoint late on Monday, police said, "
                        "adding it had nothing to do with the attacks on army posts.", NOW + 26 * HOUR)
    found, why = decide(event, clash({"killed": 6}, ("Savanes", "Togo")), new_attack)
    assert found is None and why.startswith("too few words shared")   # its own dead, no follow-up's headline
    other_day = report(COUNT.title, COUNT.text.replace("Monday's", "Saturday's"), NOW + 58 * HOUR, "coast-courier")
    found, _ = decide(event, COUNT_AT, other_day, late=True)
    assert found is None


CONVOY = report("Soldiers killed as fuel convoy is ambushed near Arbinda",
                "Gunmen ambushed a fuel convoy about 15 km from Arbinda in Burkina Faso's Soum province on Monday, "
                "killing at least 11 soldiers, security sources said.", NOW, "sahel-post")
CONVOY_AT = clash({"killed": 11}, ("Arbinda", "Soum", "Burkina Faso"))
NO_PLACE_CLAIM = report("Jihadist group claims attack on army fuel convoy",
                        "The group said on its channels that its fighters killed 40 soldiers and took fuel trucks in "
                        "an ambush on a convoy on Monday. The claim could not be checked.", NOW + 30 * HOUR,
                        "conflict-digest")


def test_a_claim_naming_no_place_joins_the_ambush_it_dates_to_the_same_day() -> None:
    event = opened(CONVOY, CONVOY_AT)
    found, why = decide(event, clash({"killed": 40}, ()), NO_PLACE_CLAIM)
    assert found == event
    assert why.startswith("joins: the day it happened, named by its weekday, naming no place")


def test_a_claim_naming_no_place_stays_apart_on_another_day_or_between_two_ambushes_of_that_day() -> None:
    event = opened(CONVOY, CONVOY_AT)
    tuesday = report(NO_PLACE_CLAIM.title, NO_PLACE_CLAIM.text.replace("Monday", "Tuesday"), NOW + 54 * HOUR,
                     "conflict-digest")
    assert decide(event, clash({"killed": 40}, ()), tuesday)[0] is None
    second = opened(report("Fuel convoy ambushed on the road to Djibo, soldiers killed",
                           "Gunmen ambushed an army convoy carrying fuel on the road to Djibo on Monday, killing "
                           "soldiers.", NOW + 2 * HOUR, "sahel-post"),
                    clash({"killed": 7}, ("Djibo", "Soum", "Burkina Faso")))
    found, why = decide(event, clash({"killed": 40}, ()), NO_PLACE_CLAIM, (second,))
    assert found is not event and not why.startswith("joins")   # two convoys ambushed that Monday: the words tell


# -- a share of the dead -------------------------------------------------------------------------------------------

def test_what_reads_as_a_share_of_the_dead() -> None:
    assert share_of_dead("UN agency says 30 children among village's dead", "", 30)
    assert share_of_dead("", "Twelve police officers were among those killed, the ministry said.", 12)
    assert not share_of_dead("Attack on village kills 30", "Thirty people were killed.", 30)
    assert not share_of_dead("", "Among the 30 dead were children.", 30)   # the whole toll, not a share


MASSACRE = report("Over 90 villagers killed in militia assault in Gezira state",
                  "Militia fighters attacked the village of Um Adara in Gezira state on Wednesday with heavy weapons, "
                  "killing more than 90 villagers, a local committee said.", NOW, "nile-lamp")
MASSACRE_AT = clash({"killed": 90}, ("Gezira", "Sudan"))


def test_a_childrens_agencys_count_of_children_among_the_dead_joins_the_massacre() -> None:
    event = opened(MASSACRE, MASSACRE_AT)
    agency = report("Children's agency says 30 children among Um Adara dead",
                    "At least 30 children were killed in the attack on Um Adara, the agency said, calling for access "
                    "to Gezira.", NOW + 36 * HOUR, "relief-notes")
    found, _ = decide(event, clash({"killed": 30}, ("Gezira", "Sudan")), agency)
    assert found == event   # a lower figure a day and a half later, but a share of the dead


def test_a_lower_toll_that_is_no_share_a_day_and_a_half_later_is_another_incident() -> None:
    event = opened(MASSACRE, MASSACRE_AT)
    another = report("Militia kills 30 in attack on Um Adara market",
                     "Militia fighters killed 30 people in an attack on the market in Um Adara, residents said.",
                     NOW + 36 * HOUR, "relief-notes")
    found, why = decide(event, clash({"killed": 30}, ("Gezira", "Sudan")), another)
    assert found is None and why == "another incident: a lower toll that corrects nothing"


def test_days_later_a_burial_in_the_massacres_province_joins_it_when_no_other_incident_is_open_there() -> None:
    event = opened(MASSACRE, MASSACRE_AT)
    burial = report("Survivors bury the dead in one grave at the edge of the village",
                    "Residents laid dozens of neighbours in a single grave, a survivor said, while the wounded "
                    "waited for transport.", NOW + 60 * HOUR, "river-almanac")
    burial_at = clash({"killed": 95}, ("Gezira", "Sudan"))
    found, why = decide(event, burial_at, burial, late=True)
    assert found == event
    assert why == "joins: a burial in the same province (Gezira), the only open incident of its kind there"
    other = opened(report("Shelling kills 12 in Gezira town", "Shells hit a market in a Gezira town.",
                          NOW + 40 * HOUR), clash({"killed": 12}, ("Gezira", "Sudan")))
    assert decide(event, burial_at, burial, (other,), late=True)[0] is None


# -- a second outlet's count while another incident is open in the country ------------------------------------------

HELICOPTER = report("Police helicopter downed in Huila, nine officers dead",
                    "A police helicopter escorting eradication teams came down near Algeciras in Huila on Tuesday "
                    "after it was hit by an explosive drone, the governor said.", NOW, "andes-post")
HELICOPTER_AT = clash({"killed": 9}, ("Huila", "Colombia"))
TRUCK = opened(report("Truck bomb outside Cali air base kills five",
                      "A lorry packed with explosives blew up beside an air base in Cali, killing five people.",
                      NOW + 2 * HOUR, "andes-post"), clash({"killed": 5}, ("Valle del Cauca", "Colombia")))
SECOND_COUNT = report("Colombia: 11 police killed in drone attack on helicopter",
                      "Eleven officers died when their Black Hawk was struck near Algeciras, the defence minister "
                      "said, blaming dissidents of a former guerrilla front.", NOW + 5 * HOUR, "wire-hub")


def test_a_second_outlets_count_joins_the_incident_its_words_choose_while_another_is_open_in_the_country() -> None:
    event = opened(HELICOPTER, HELICOPTER_AT)
    found, why = decide(event, clash({"killed": 11}, ("Colombia",)), SECOND_COUNT, (TRUCK,))
    assert found == event
    assert why.startswith("joins: a second outlet's count (11, the incident's 9) within hours, and the words choose")


def test_a_second_count_the_words_do_not_choose_stays_apart() -> None:
    event = opened(HELICOPTER, HELICOPTER_AT)
    other_helicopter = opened(report("Police helicopter downed in Cauca, six officers dead",
                                     "A police helicopter escorting eradication teams came down near Argelia in Cauca "
                                     "on Tuesday after it was hit by an explosive drone, the governor said.",
                                     NOW + HOUR), clash({"killed": 6}, ("Cauca", "Colombia")))
    vague = report("Colombia: 11 police killed as aircraft is shot down",
                   "Eleven officers died on Tuesday, the defence minister said, blaming dissidents.",
                   NOW + 5 * HOUR, "wire-hub")
    found, why = decide(event, clash({"killed": 11}, ("Colombia",)), vague, (other_helicopter,))
    assert found is None and why.startswith("too few words shared")   # two helicopters downed: the words tell none


# -- one army's build-up in stages, a third army, a standoff at one crossing ----------------------------------------

FIRST_STAGE = report("Lithuania moves more troops to Belarus border after drone incursion",
                     "Lithuania said it would send more soldiers to its border with Belarus after two drones crossed "
                     "into its airspace during an exercise.", NOW, "baltic-daily")
FIRST_STAGE_AT = build_up(("Belarus",), ("Lithuania",))
LATER_STAGE = report("More soldiers head east as exercises go on across the border",
                     "VILNIUS - Convoys of army lorries were seen heading towards Druskininkai and Ignalina over the "
                     "weekend, the second reinforcement in a week. Minsk called the moves provocative.",
                     NOW + 80 * HOUR, "amber-news")
LATER_STAGE_AT = build_up(("Lithuania",), ("Vilnius", "Druskininkai", "Ignalina", "Minsk", "Belarus"))


def test_days_later_the_same_armys_next_stage_on_the_same_border_joins_its_build_up() -> None:
    event = opened(FIRST_STAGE, FIRST_STAGE_AT)
    found, why = decide(event, LATER_STAGE_AT, LATER_STAGE, late=True)
    assert found == event
    assert why.startswith("joins: the same two countries' build-up (Belarus and Lithuania)")


def test_a_third_countrys_build_up_in_the_crisis_is_neither_its_incident_nor_a_rival() -> None:
    third = opened(report("Poland sends armoured units to Suwalki as Baltic tension rises",
                          "Poland said it had sent armoured units towards the Suwalki gap between Lithuania and "
                          "Belarus.", NOW - 10 * HOUR, "vistula-post"),
                   build_up(("Poland",), ("Lithuania", "Belarus")))
    found, why = decide(third, LATER_STAGE_AT, LATER_STAGE, late=True)
    assert found is None and why.startswith("past the rule's window")   # Poland's army moves, not theirs
    event = opened(FIRST_STAGE, FIRST_STAGE_AT)
    assert decide(event, LATER_STAGE_AT, LATER_STAGE, (third,), late=True)[0] == event


def test_of_two_standoffs_between_the_same_countries_the_one_at_the_same_crossing_takes_the_other_sides_move() -> None:
    firing = opened(report("Heavy firing at several points along the Afghan border",
                           "Afghan forces and Pakistani troops exchanged fire at Angoor Adda and Bajaur overnight.",
                           NOW - 30 * HOUR, "indus-post"),
                    build_up(("Khyber Pakhtunkhwa", "Pakistan"), ("Angoor Adda", "Bajaur", "Afghanistan")))
    chaman = opened(report("Troops and armour head for Chaman as border stays tense",
                           "Convoys of troops and artillery moved towards Chaman in Balochistan, residents said.",
                           NOW, "indus-post"),
                    build_up(("Balochistan", "Pakistan"), ("Chaman", "Afghanistan")))
    other_side = report("Taliban move fighters to Spin Boldak, officials say",
                        "The Taliban sent hundreds of fighters to Spin Boldak, setting up positions facing the Chaman "
                        "crossing, local officials said.", NOW + 18 * HOUR, "kabul-letter")
    other_side_at = build_up(("Kandahar", "Afghanistan"), ("Pakistan", "Chaman"))
    found, why = decide(chaman, other_side_at, other_side, (firing,))
    assert found == chaman
    assert "and a town (Chaman), the only open incident of its kind naming it" in why
    assert decide(firing, other_side_at, other_side, (chaman,))[0] == chaman


# -- a headline's dateline --------------------------------------------------------------------------------------------

def test_a_dateline_in_a_headline_is_where_the_wire_files_from() -> None:
    assert dateline_words("LOME - Government confirms 41 soldiers killed") == {"lome"}
    assert dateline_words("BOGOTÁ - President names groups terrorists") == {"bogota"}
    assert dateline_words("Colombia: 11 police killed") == frozenset()
    assert dateline_words("Toll in Lome blast rises - officials") == frozenset()
