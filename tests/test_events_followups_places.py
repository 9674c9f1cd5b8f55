"""Follow-ups that share few words but the incident's island or town with it join; look-alikes stay apart.

Each story is an analyst's reading of a stream: a wire in the capital names only the island an ambush happened on,
hours after a local outlet named the province; a day later an outlet tells how troops chased the raiders of a
village near a town, recalling the raid's toll in its own words; and a group's claim that names no place, no name
and no figure of the incident. For each, the look-alike that must not merge. The matches are built as the engine
gives them (where it happened in `regions`, places named in passing in `mentioned`); the texts and places are ours."""

from __future__ import annotations

from bot.events.followup_reading import repeats_toll
from bot.events.places import coarse_region_words
from tests.test_events_followups_reading import HOUR, NOW, clash, decide, opened, report

# -- the island a wire in the capital names ------------------------------------------------------------------------

PATROL = report("Five soldiers killed in ambush in Lanao del Sur",
                "Five soldiers were killed and two hurt when armed men fired on an army patrol outside Butig town, "
                "Lanao del Sur, early on Friday, the brigade said.", NOW, "lanao-post")
PATROL_AT = clash({"killed": 5}, ("Lanao del Sur", "Autonomous Region in Muslim Mindanao", "Philippines"))
FROM_MANILA = report("Philippine military puts toll of rebel attack at seven",
                     "MANILA (Meridian Wire) - Seven troops died when gunmen opened fire on a patrol on the southern "
                     "island of Mindanao on Friday, a military spokesman said, blaming a faction of the Maute group.",
                     NOW + 4 * HOUR, "meridian-wire")
FROM_MANILA_AT = clash({"killed": 7}, ("Manila", "Philippines"))


def test_a_wire_in_the_capital_naming_only_the_island_joins_the_ambush_hours_later() -> None:
    event = opened(PATROL, PATROL_AT)
    found, why = decide(event, FROM_MANILA_AT, FROM_MANILA)
    assert found == event   # Mindanao holds the province the ambush was placed in; the capital is the dateline
    assert why.startswith("joins: a second outlet's count (7, the incident's 5) within hours, naming its island or "
                          "region (mindanao)")


def test_another_island_or_another_incident_open_in_the_country_keeps_the_capitals_count_apart() -> None:
    event = opened(PATROL, PATROL_AT)
    visayas = report(FROM_MANILA.title, FROM_MANILA.text.replace("southern island of Mindanao",
                                                                 "central islands of the Visayas"),
                     NOW + 4 * HOUR, "meridian-wire")
    assert decide(event, FROM_MANILA_AT, visayas)[0] is None   # the Visayas hold none of the incident's provinces
    bombing = opened(report("Bomb at bus terminal kills three in Cotabato City",
                            "A bomb went off at a crowded bus terminal in Cotabato City on Friday, police said.",
                            NOW + HOUR), clash({"killed": 3}, ("Maguindanao del Norte", "Philippines")))
    found, why = decide(event, FROM_MANILA_AT, FROM_MANILA, (bombing,))
    assert found is None and why.startswith("too few words shared")   # two incidents open: the island chooses none


def test_which_names_are_an_island_or_region_made_of_several_provinces() -> None:
    words = coarse_region_words()
    assert {"Autonomous Region in Muslim Mindanao", "Northern Mindanao"} <= words["mindanao"]
    assert words["kivu"] == {"North Kivu", "South Kivu"}
    assert "North Darfur" in words["darfur"]
    # a word of divisions in many countries, of one division only, or of administration names no such region
    assert not {"north", "region", "muslim", "division", "province"} & set(words)


# -- the town a raid happened near, and the toll a follow-up recalls ------------------------------------------------

RAID = report("Militia kills at least 18 in raid near Butembo",
              "Militiamen raided the village of Kalengera near Butembo overnight, killing at least 18 people with "
              "machetes and guns, civil society leaders said on Saturday.", NOW, "kivu-herald")
RAID_AT = clash({"killed": 18}, ("Butembo", "North Kivu", "Democratic Republic of the Congo"))
PURSUIT = report("Soldiers comb the hills for the raiders",
                 "Troops were searching the hills west of Butembo on Sunday for the militiamen who killed 18 villagers "
                 "on Friday night, an army spokesman said. Three of the raiders were shot dead in the search.",
                 NOW + 20 * HOUR, "lakes-wire")
PURSUIT_AT = clash({"killed": 21}, ("Butembo", "Democratic Republic of the Congo"))   # 18 and the raiders' three


def test_a_day_later_the_hunt_for_the_raiders_recalling_the_raids_toll_joins_it() -> None:
    event = opened(RAID, RAID_AT)
    found, why = decide(event, PURSUIT_AT, PURSUIT)
    assert found == event   # the same town and the raid's 18, though the engine reads 21 and the words differ
    assert why == "joins: the same town (Butembo) and a toll it repeats (18), the only open incident of its kind there"


def test_a_text_giving_no_toll_of_the_raid_or_two_raids_open_in_the_town_stay_apart() -> None:
    event = opened(RAID, RAID_AT)
    no_toll = report(PURSUIT.title, PURSUIT.text.replace("who killed 18 villagers", "who attacked a village"),
                     NOW + 20 * HOUR, "lakes-wire")
    assert decide(event, clash({"killed": 3}, ("Butembo", "Democratic Republic of the Congo")), no_toll)[0] is None
    other_raid = opened(report("Gunmen kill 18 at a market outside Butembo",
                               "Gunmen attacked traders at a market outside Butembo on Saturday, killing 18.",
                               NOW + 2 * HOUR, "kivu-herald"),
                        clash({"killed": 18}, ("Butembo", "North Kivu", "Democratic Republic of the Congo")))
    found, why = decide(event, PURSUIT_AT, PURSUIT, (other_raid,))
    assert found is None and why.startswith("too few words shared")   # the town and the figure fit both


def test_a_headline_telling_dead_of_its_own_in_the_town_is_no_follow_up_by_its_recalled_toll() -> None:
    event = opened(RAID, RAID_AT)
    new_raid = report("Gunmen kill 25 at dawn",
                      "Armed men shot dead 25 people, nine of them children, in a farming hamlet near Butembo on "
                      "Sunday, two days after a raid in which 18 died, residents and a parish priest said, adding "
                      "that houses and a health post were set alight.", NOW + 20 * HOUR, "lakes-wire")
    found, why = decide(event, clash({"killed": 25}, ("Butembo", "Democratic Republic of the Congo")), new_raid)
    assert found is None and why.startswith("too few words shared")


def test_what_counts_as_recalling_a_toll() -> None:
    assert repeats_toll("the rebels who killed 29 villagers on Friday", 29)
    assert repeats_toll("At least 29 people were killed in the raid", 29)
    assert repeats_toll("The bodies of six soldiers were flown home", 6)
    assert not repeats_toll("In 2019, 29 villages were burned", 29)      # a figure with no death word near it
    assert not repeats_toll("the rebels who killed 290 people", 29)      # another figure
    assert not repeats_toll("the raid that killed 29.5 percent", 29)


# -- a claim that names nothing of the incident ----------------------------------------------------------------------

CONVOY = report("Soldiers killed as fuel convoy is ambushed near Arbinda",
                "Gunmen ambushed a fuel convoy about 15 km from Arbinda in Burkina Faso's Soum province on Monday, "
                "killing at least 11 soldiers, security sources said.", NOW, "sahel-post")
CONVOY_AT = clash({"killed": 11}, ("Arbinda", "Soum", "Burkina Faso"))


def test_a_claim_naming_no_place_no_name_and_no_figure_of_the_incident_stays_apart() -> None:
    event = opened(CONVOY, CONVOY_AT)
    claim = report("Jihadist group claims attack on army column",
                   "The group said on its channels that its fighters killed 40 soldiers and took vehicles in an "
                   "ambush on Monday. The claim could not be checked.", NOW + 30 * HOUR, "conflict-digest")
    found, why = decide(event, clash({"killed": 40}, ()), claim)
    assert found is None   # no place, no name, no figure: the words alone (a convoy, an ambush) would join any
    assert why.startswith("too few words shared")
