"""A build-up is one army's move: in one crisis, another army's build-up is another incident, however many words
and places its reports share; two armies massing against each other are one standoff; and a report of the same
army's build-up from another angle joins it when the two share the area it masses in.

The crisis is a made-up one between real countries, told in our own words: Ethiopia masses troops in Tigray
near Eritrea; Sudan, a neighbour of both, reinforces its own eastern frontier; a wire from Asmara tells of
Ethiopia's reinforcement in words much like Sudan's. The matches are built as the engine gives them (where it
happened in `regions`, the places named in passing in `mentioned`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.events import JOIN_THRESHOLD, find_event, join_reason, open_event, salient_terms, similarity
from bot.events.army_reading import ArmyReader
from bot.models import Article, Event, EventPolicy, Match, Severity

NOW = datetime(2024, 9, 2, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def build_up(regions: tuple[str, ...], mentioned: tuple[str, ...] = (), facts: dict | None = None) -> Match:
    return Match("troop-buildup", "Troop build-up", Severity.HIGH, ("military",), regions,
                 facts if facts is not None else {"troops_change": "increase"},
                 key=f"rule=troop-buildup|region={regions[-1]}", policy=EventPolicy(), mentioned=mentioned)


def report(title: str, text: str, at: datetime, source: str = "horn-wire") -> Article:
    return Article(source, title, text, url=f"https://{source}.example/{at:%d%H}", published=at, id=title[:20])


def opened(article: Article, m: Match) -> Event:
    return open_event(m, article, article.published or NOW, salient_terms(article, m.key.split("region=")[1]), None)


def decide(events: list[Event], m: Match, article: Article) -> tuple[Event | None, dict[str, str]]:
    """Where the report goes among the open incidents, and why it does or does not join each."""
    at = article.published or NOW
    terms = salient_terms(article, m.key.split("region=")[1])
    reasons = {e.headline["title"]: join_reason(e, events, m, terms, article, at)[0] for e in events}
    return find_event(events, m, terms, None, article, at), reasons


ETHIOPIA = report("Ethiopia masses troops near Eritrean border in Tigray",
                  "Ethiopia has moved several brigades, artillery and supply trucks into northern Tigray close to the "
                  "border with Eritrea, aid workers and residents said, after weeks of sharp words over access to "
                  "the sea.", NOW)
ETHIOPIA_AT = build_up(("Tigray", "Ethiopia"), ("Eritrea",))
SUDAN = report("Sudan sends troops to eastern frontier as Ethiopia-Eritrea tensions rise",
               "Sudan has sent additional troops and armoured vehicles to Kassala and Gedaref on its eastern frontier "
               "with Eritrea and Ethiopia, to keep the Ethiopia-Eritrea dispute from spilling across, army officials "
               "said.", NOW + 20 * HOUR, "nile-post")
SUDAN_AT = build_up(("Kassala", "Sudan"), ("Eritrea", "Ethiopia"))
# Ethiopia's reinforcement again, filed from Asmara, in words much like Sudan's report
ASMARA = report("Kenya offers talks as Ethiopia reinforces border with Eritrea",
                "ASMARA (Horn Wire) - Kenya has offered to host talks after Ethiopia reinforced its troops near the "
                "disputed frontier with Eritrea, officials said. Sudan has kept additional troops and armoured "
                "vehicles on its eastern frontier since the dispute began.", NOW + 30 * HOUR)
ASMARA_AT = build_up(("Asmara", "Eritrea"), ("Kenya", "Ethiopia", "Sudan"))


def test_another_armys_build_up_in_the_same_crisis_is_another_incident() -> None:
    ethiopia, sudan = opened(ETHIOPIA, ETHIOPIA_AT), opened(SUDAN, SUDAN_AT)
    # the words alone would put Ethiopia's reinforcement with Sudan's
    assert similarity(salient_terms(ASMARA, "Eritrea"), sudan) >= JOIN_THRESHOLD
    found, reasons = decide([ethiopia, sudan], ASMARA_AT, ASMARA)
    assert reasons[SUDAN.title] == "another incident: another army's build-up (Ethiopia, not Sudan)"
    assert found is None or found.id == ethiopia.id
    # and the other way round: Sudan's move does not join Ethiopia's build-up
    _, reasons = decide([ethiopia], SUDAN_AT, SUDAN)
    assert reasons[ETHIOPIA.title] == "another incident: another army's build-up (Sudan, not Ethiopia)"


def test_two_armies_massing_against_each_other_are_one_standoff() -> None:
    ethiopia = opened(ETHIOPIA, ETHIOPIA_AT)
    eritrea = report("Eritrea moves troops to Ethiopian border as Tigray build-up grows",
                     "Eritrea has moved brigades and artillery towards its border with Ethiopia, facing the Ethiopian "
                     "units massed in northern Tigray, residents and aid workers said.", NOW + 6 * HOUR)
    found, reasons = decide([ethiopia], build_up(("Eritrea",), ("Ethiopia", "Tigray")), eritrea)
    assert reasons[ETHIOPIA.title].startswith("joins")
    assert found is not None and found.id == ethiopia.id


def test_the_same_army_from_another_angle_joins_when_they_share_the_area_it_masses_in() -> None:
    ethiopia = opened(ETHIOPIA, ETHIOPIA_AT)
    images = report("Satellite images show Ethiopian tanks outside Zalambessa",
                    "Pictures taken on Tuesday show rows of tanks, fuel lorries and new tents beside the road out of "
                    "Zalambessa, analysts said.", NOW + 10 * HOUR, "orbit-watch")
    found, reasons = decide([ethiopia], build_up(("Zalambessa", "Tigray", "Ethiopia")), images)
    assert reasons[ETHIOPIA.title] == "joins: the same army's build-up (Ethiopia), the only open build-up it leads"
    assert found is not None and found.id == ethiopia.id


def test_the_same_army_on_another_front_stays_apart() -> None:
    ethiopia = opened(ETHIOPIA, ETHIOPIA_AT)
    south = report("Ethiopian army sends units to Somali frontier",
                   "Convoys carrying soldiers were seen heading south towards the frontier with Somalia, where "
                   "al-Shabaab fighters crossed last month, local officials said.", NOW + 10 * HOUR, "ogaden-daily")
    found, reasons = decide([ethiopia], build_up(("Ethiopia",), ("Somalia",)), south)
    assert found is None
    assert reasons[ETHIOPIA.title].startswith("too few words shared")


def test_a_clash_between_two_armies_is_not_split_by_whose_forces_its_headlines_name() -> None:
    fired = report("Azerbaijani forces shell Armenian posts, killing four soldiers",
                   "Azerbaijani artillery hit Armenian positions near Sotk overnight, killing four soldiers, the "
                   "defence ministry in Yerevan said.", NOW)
    clash = build_up(("Sotk", "Armenia"), ("Azerbaijan",), {"killed": 4, "troops_change": "increase"})
    event = opened(fired, clash)
    answer = report("Armenian troops return fire near Sotk as toll rises to six",
                    "Armenian troops returned fire near Sotk after the overnight shelling; the defence ministry "
                    "said six soldiers had now died.", NOW + 3 * HOUR, "caucasus-report")
    found, reasons = decide([event], build_up(("Sotk", "Armenia"), ("Azerbaijan",),
                                              {"killed": 6, "troops_change": "increase"}), answer)
    assert not reasons[fired.title].startswith("another incident")
    assert found is not None and found.id == event.id


def test_whose_forces_a_headline_moves() -> None:
    reader = ArmyReader({"Venezuela": "Venezuela", "Venezuelan": "Venezuela", "Brazil": "Brazil",
                         "Guyana": "Guyana", "US": "United States", "Serbia": "Serbia", "Serbian": "Serbia",
                         "Russia": "Russia", "Chad": "Chad", "Niger": "Niger"})
    assert reader.whose_forces("US to hold flights with Guyana as Venezuela reinforces border") == {"Venezuela"}
    assert reader.whose_forces("Brazil sends armoured vehicles north amid Venezuela-Guyana dispute") == {"Brazil"}
    assert reader.whose_forces("Satellite photos show Venezuelan troops on the island") == {"Venezuela"}
    assert reader.whose_forces("US warns of Serbian military build-up") == {"Serbia"}
    assert reader.whose_forces("Russia's army masses tanks") == {"Russia"}
    assert reader.whose_forces("Chad to deploy 1,000 soldiers in Niger") == {"Chad"}
    # a country that speaks, hosts or is threatened moves no forces; a lower-case word is no name
    assert reader.whose_forces("Serbia says troops cut back to regular 4,500") == set()
    assert reader.whose_forces("Guyana puts defence force on alert") == set()
    assert reader.whose_forces("let us send troops, residents say") == set()
    assert reader.countries_named("Thai army reinforces posts along Venezuelan frontier") == {"Venezuela"}
