"""Follow-ups that name a place the incident named another way (issue 12, the ninth stream's round): a town inside the
province an incident was placed in, a village written in one word where the incident's text wrote two, an Arabic
name's final "-ah" written or not, and a village the gazetteer lacks named with the day it happened. Each with its
look-alike, which stays apart.

Stories in our own words with made-up outlets, read as an analyst would: a drone hits a bus in a Russian border
province, and a later report names the town near which it happened; bandits raid a village in Zamfara that one outlet
writes in two words and another in one; a car bomb in a Syrian town whose name one outlet ends in "-ah"; an ambush in
Niger near a village no gazetteer lists, claimed the next day by a group that names the village and the day. The
matches are built as the engine gives them (where it happened in `regions`, places named in passing in
`mentioned`)."""

from __future__ import annotations

from bot.events.terms import alike, names_shared
from tests.test_events_followups_reading import HOUR, NOW, clash, decide, opened, report

# -- a town inside the province the incident was placed in ------------------------------------------------------

BUS = report("Drone attack on bus in Kursk region kills two",
             "A Ukrainian drone struck a commuter bus on a rural road in Russia's Kursk region early on Monday, "
             "killing two passengers, regional authorities said.", NOW, "steppe-wire")
BUS_AT = clash({"killed": 2}, ("Kursk Oblast", "Russia"), ("Ukraine",))
BUS_TOWN = report("Two dead, six hurt as drone hits bus near Rylsk, governor says",
                  "The regional governor said the drone hit the bus as it carried workers to a sugar plant near Rylsk. "
                  "Two of the wounded are in intensive care.", NOW + 5 * HOUR, "borderland-post")
BUS_TOWN_AT = clash({"killed": 2, "wounded": 6}, ("Rylsk", "Kursk Oblast", "Russia"))
# another bus, in Ukraine, struck by a Russian drone the same morning: no rival in Russia
KHERSON_BUS = report("Russian drone hits bus in Kherson region, killing two",
                     "A Russian drone struck a bus at a stop in a village of the Kherson region, killing two people.",
                     NOW + HOUR, "dnipro-desk")
KHERSON_BUS_AT = clash({"killed": 2}, ("Kherson Oblast", "Ukraine"), ("Russia",))


def test_a_town_in_the_province_an_incident_was_placed_in_tells_where_there_it_happened() -> None:
    event = opened(BUS, BUS_AT)
    found, why = decide(event, BUS_TOWN_AT, BUS_TOWN)
    assert found == event
    assert why.startswith("joins: what it struck (bus), within hours")


def test_a_bus_struck_in_another_country_that_names_this_one_is_no_rival() -> None:
    event = opened(BUS, BUS_AT)
    kherson = opened(KHERSON_BUS, KHERSON_BUS_AT)
    found, _ = decide(event, BUS_TOWN_AT, BUS_TOWN, others=(kherson,))
    assert found == event


def test_an_incident_that_named_its_town_keeps_a_report_of_another_town_apart() -> None:
    in_a_town = report("Drone attack on bus in Lgov kills two",
                       "A Ukrainian drone struck a commuter bus in the town of Lgov in the Kursk region on Monday, "
                       "killing two passengers, regional authorities said.", NOW, "steppe-wire")
    event = opened(in_a_town, clash({"killed": 2}, ("Lgov", "Kursk Oblast", "Russia"), ("Ukraine",)))
    found, _ = decide(event, BUS_TOWN_AT, BUS_TOWN)
    assert found is None


def test_a_town_of_another_province_is_not_inside_the_incident() -> None:
    event = opened(BUS, BUS_AT)
    elsewhere = clash({"killed": 2, "wounded": 6}, ("Shebekino", "Belgorod Oblast", "Russia"))
    other = report(BUS_TOWN.title.replace("Rylsk", "Shebekino"), BUS_TOWN.text.replace("Rylsk", "Shebekino"),
                   NOW + 5 * HOUR, "borderland-post")
    found, _ = decide(event, elsewhere, other)
    assert found is None


# -- a village in one word or two -------------------------------------------------------------------------------

RAID = report("Bandits kill 18 villagers in Zamfara raid",
              "Gunmen on motorcycles stormed Yan Kara village in Zamfara state on Tuesday, killing 18 people and "
              "driving off cattle, residents said.", NOW, "savanna-courier")
RAID_AT = clash({"killed": 18}, ("Zamfara State", "Nigeria"))


def test_a_village_written_as_one_word_is_the_village_the_incident_wrote_in_two() -> None:
    assert names_shared({"yankara"}, ("yan", "kara", "zamfara")) == {"yankara"}
    assert names_shared({"yankuri"}, ("yan", "kara", "zamfara")) == set()   # another village
    event = opened(RAID, RAID_AT)
    toll = report("Nigeria: toll in Yankara attack reaches 25 as more bodies are found",
                  "Searchers found seven more bodies in the bush around Yankara, raising the toll from Tuesday's "
                  "attack to 25, a community leader said.", NOW + 20 * HOUR, "lagos-line")
    found, _ = decide(event, clash({"killed": 25}, ("Nigeria",)), toll)
    assert found == event


def test_a_village_of_another_name_with_the_same_first_syllable_stays_apart() -> None:
    event = opened(RAID, RAID_AT)
    other = report("Nigeria: gunmen kill 25 in Yankuri attack",
                   "Gunmen killed 25 people in an attack on Yankuri village, a community leader said.",
                   NOW + 20 * HOUR, "lagos-line")
    found, _ = decide(event, clash({"killed": 25}, ("Nigeria",)), other)
    assert found is None


# -- an Arabic name's final "-ah" -------------------------------------------------------------------------------

def test_a_final_ah_written_or_not_is_one_name_a_consonant_apart_is_another() -> None:
    assert alike("hajinah", "hajina")
    assert alike("busayrah", "busaira")   # "-ah" read as "-a", then one vowel for another
    assert not alike("hajinah", "hajira")   # a consonant apart
    assert not alike("sabah", "saba")   # too short to tell a transliteration from another name
    car_bomb = report("Car bomb kills six in eastern Syrian town",
                      "A car bomb exploded near a bakery in Hajinah in Syria's Deir ez-Zor province on Saturday, "
                      "killing six people, a war monitor said.", NOW, "levant-desk")
    event = opened(car_bomb, clash({"killed": 6}, ("Syria",), ("Deir ez-Zor governorate",)))
    toll = report("Hajina car bomb toll rises to nine",
                  "Three people wounded in Saturday's car bombing in Hajina have died, bringing the toll to nine, "
                  "medical sources said.", NOW + 18 * HOUR, "river-brief")
    found, _ = decide(event, clash({"killed": 9, "wounded": 3}, ()), toll)
    assert found == event


# -- a village the gazetteer lacks, named with the incident's day ------------------------------------------------

AMBUSH = report("Niger says nine soldiers killed in ambush in Tillaberi region",
                "Niger's defence ministry said nine soldiers were killed when gunmen ambushed a patrol near Tamou in "
                "the Tillaberi region on Sunday.", NOW - 10 * HOUR, "sahel-line")   # Sunday 20:00 UTC
AMBUSH_AT = clash({"killed": 9}, ("Tillaberi region", "Niger"))


def test_a_claim_naming_the_village_and_the_day_of_the_ambush_joins_it() -> None:
    event = opened(AMBUSH, AMBUSH_AT)
    claim = report("Jihadist group claims deadly raid on Nigerien army near Burkinabe border",
                   "Its fighters say they killed 25 troops near Tamou on Sunday and took two trucks; no one could "
                   "confirm it. The statement, posted on the group's channels with photographs of burned pick-ups "
                   "and captured rifles, called the raid revenge for air strikes on herders' camps.",
                   NOW + 4 * HOUR, "desert-monitor")
    found, why = decide(event, clash({"killed": 25}, ("Niger",), ("Burkina Faso",)), claim)
    assert found == event
    assert "a place of its the gazetteer lacks (tamou)" in why


def test_a_claim_naming_the_village_on_another_day_stays_apart() -> None:
    event = opened(AMBUSH, AMBUSH_AT)
    claim = report("Jihadist group claims deadly raid on Nigerien army near Burkinabe border",
                   "Its fighters say they killed 25 troops near Tamou on Thursday and took two trucks; no one could "
                   "confirm it. The statement, posted on the group's channels with photographs of burned pick-ups "
                   "and captured rifles, called the raid revenge for air strikes on herders' camps.",
                   NOW + 4 * HOUR, "desert-monitor")
    found, _ = decide(event, clash({"killed": 25}, ("Niger",), ("Burkina Faso",)), claim)
    assert found is None
