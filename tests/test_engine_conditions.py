"""Conditions beyond terms: near, regex (RE2), regions, facts, article fields and age."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.errors import RuleError
from bot.models import Article

REGIONS = """
regions:
  north-kosovo:
    names: [Banjska, Zvečan, Leposavić, North Mitrovica, northern Kosovo]
    in: kosovo
"""


def rules(when: str, regions: str | None = None):
    text = "id: r\ntitle: R\nwhen:\n" + "\n".join("  " + line for line in when.strip().splitlines()) + "\n"
    return compile_rules(load_rules_text(text, regions_text=regions))


def hit(ruleset, title: str, text: str = "", now: datetime | None = None, **kw) -> bool:
    return bool(ruleset.match(Article(kw.pop("source", "wire"), title, text, **kw), now))


def test_near_within_words() -> None:
    rs = rules("near: [[troop*, soldiers], [border]]\nwithin: 4")
    assert hit(rs, "Troops were sent to the border")
    assert hit(rs, "The border saw soldiers arrive")
    assert not hit(rs, "Troops paraded in the capital while, far away and much later, the border stayed quiet")


def test_near_same_sentence() -> None:
    rs = rules("near: [[troops], [border]]\nwithin: sentence")
    assert hit(rs, "x", "Many troops moved today. Then they reached the border area.") is False
    assert hit(rs, "x", "Many troops moved today and then, after a long drive, reached the border area.")


def test_regex_is_re2_and_case_insensitive() -> None:
    rs = rules(r"regex: '\d{1,3}(,\d{3})+ (troops|soldiers)'")
    assert hit(rs, "Army sends 8,350 TROOPS")
    assert not hit(rs, "Army sends many troops")


def test_regex_cannot_hang_the_engine() -> None:
    rs = rules("regex: '^(a+)+$'")
    started = time.perf_counter()
    assert not hit(rs, "a" * 5000 + "!")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=x)y", "(?<!x)y", "[unclosed"])
def test_unsupported_regex_is_refused_at_load(pattern: str) -> None:
    with pytest.raises(RuleError) as info:
        rules(f"regex: '{pattern}'")
    message = str(info.value)
    assert "<string>:4:10: bad regex" in message
    assert "RE2" in message


def test_region_condition_finds_children_and_reports_regions() -> None:
    rs = rules("regions: [kosovo]", REGIONS)
    [match] = rs.match(Article("wire", "Shoot-out in Banjska", "Gunmen fought police near the monastery."))
    assert match.regions == ("north-kosovo", "Kosovo")
    assert hit(rs, "Kosovar police on alert")            # demonym
    assert hit(rs, "Protest in Zvecan")                 # diacritics folded, user region
    assert hit(rs, "Tensions in Prizren")               # a GeoNames city in Kosovo
    assert not hit(rs, "Tensions in Belgrade")
    assert not hit(rs, "Nothing here", "only prose")


def test_a_region_name_written_in_lower_case_counts_mid_sentence() -> None:
    rs = rules("regions: [north-kosovo]", REGIONS)
    [match] = rs.match(Article("wire", "Patrol attacked", "Police said a patrol was attacked in northern Kosovo."))
    assert match.regions[0] == "north-kosovo"
    assert not hit(rs, "Patrol attacked", "Police said a patrol was attacked in Kosovo.")   # the parent: not the child


def test_region_by_iso_code_and_name() -> None:
    for ref in ("XK", "Kosovo", "kosovo"):
        assert hit(rules(f"regions: [{ref}]"), "Kosovo police on alert")


def test_place_names_must_be_written_as_names() -> None:
    rs = rules("regions: [chad, united-states]")
    assert hit(rs, "Floods in Chad")
    assert not hit(rs, "A hanging chad")
    assert hit(rs, "US warns Belgrade")
    assert not hit(rs, "Tell us more")
    assert not hit(rs, "Us and them")


def test_longest_place_name_wins() -> None:
    rs = rules("regions: [sudan]")
    assert not hit(rs, "Fighting in South Sudan")
    assert hit(rs, "Fighting in Sudan")


def test_unknown_region_is_refused_with_a_hint() -> None:
    with pytest.raises(RuleError) as info:
        rules("regions: [north-kosova]", REGIONS)
    assert "unknown region 'north-kosova'" in str(info.value)
    assert "did you mean 'north-kosovo'?" in str(info.value)


def test_region_file_errors() -> None:
    with pytest.raises(RuleError) as info:
        rules("terms: x", "regions:\n  serbia:\n    names: [x]\n  here:\n    nams: [y]\n    in: atlantis\n")
    text = str(info.value)
    assert "region id 'serbia' is already a country" in text
    assert "<regions>:5:5: unknown key 'nams' (did you mean 'names'?)" in text


def test_countries_counts_the_countries_named_and_where() -> None:
    rs = rules("countries: 2\nin: title")
    assert hit(rs, "Chad sends 2,000 soldiers to Mali")
    # a people's name counts for its country; a town for the country it is in
    assert hit(rs, "Chadian soldiers arrive in Gao")
    assert not hit(rs, "Soldiers sent to Gao and Timbuktu", "Chad said the troops came from N'Djamena.")
    assert not hit(rs, "Troops sent to the border", "Chad and Mali agreed on the deployment.")
    anywhere = rules("countries: 2")
    assert hit(anywhere, "Troops sent to the border", "Chad and Mali agreed on the deployment.")
    [match] = anywhere.match(Article("wire", "Chad sends soldiers to Mali"))
    assert [e.value for e in match.evidence] == ["Chad", "Mali"]


def test_fact_conditions() -> None:
    rs = rules("killed: {at_least: 2}")
    assert hit(rs, "Clash", "Gunmen attacked a patrol, killing two officers.")
    assert not hit(rs, "Clash", "Gunmen attacked a patrol, killing one officer.")
    rs = rules("troops: 1000\ntroops_change: decrease")
    assert hit(rs, "Pullback", "The army said troops on the line were cut from 8,350 to 4,500.")
    assert not hit(rs, "Buildup", "The army sent 8,350 troops to the line.")


def test_source_language_and_age() -> None:
    now = datetime(2023, 10, 2, tzinfo=UTC)
    rs = rules("source: [balkans-wire]\nlanguage: en\nage: 2d")
    assert hit(rs, "x", source="balkans-wire", language="en-GB", published=now - timedelta(days=1), now=now)
    assert not hit(rs, "x", source="other", language="en", now=now)
    assert not hit(rs, "x", source="balkans-wire", language="sr", now=now)
    assert not hit(rs, "x", source="balkans-wire", language="en", published=now - timedelta(days=3), now=now)


@pytest.mark.parametrize(("when", "message"), [
    ("near: [[troops]]", "'near' takes a list of two or more term groups"),
    ("near: [[a], [b]]\nwithin: 500", "'within' must be a number of words (1-100) or 'sentence'"),
    ("killed: {at_leest: 1}", "unknown key 'at_leest' (did you mean 'at_least'?)"),
    ("troops_change: up", "'troops_change' must be increase, decrease or any"),
    ("age: soon", "'age': 'soon' is not a duration"),
    ("terms: [x]\nwithin: 3", "'within' applies to 'near'"),
    ("countries: two", "'countries' takes how many countries must be named (1-10)"),
    ("kind: news\nin: title", "'in' applies to 'terms', 'near', 'regex' or 'countries'"),
])
def test_condition_errors(when: str, message: str) -> None:
    with pytest.raises(RuleError, match=re.escape(message)):
        rules(when)


def test_an_all_reads_the_facts_only_once_its_cheaper_items_hold() -> None:
    """`all` tests the words, places and metadata before the facts (a reading of the whole text): an article
    its `not` excludes is never read. The evidence keeps the order the rule is written in."""
    from bot.engine.facts import Facts, extract_facts
    from bot.engine.match import scan

    rs = rules("all:\n  - killed: {at_least: 1}\n  - terms: [convoy]\nnot:\n  terms: [exercise]")
    when = rs.compiled[0].when
    reads: list[str] = []

    def reading(text: str, language: str | None, published: datetime | None) -> Facts:
        reads.append(text)
        return extract_facts(text, language, published)

    excluded = scan(rs, Article("wire", "Convoy hit during an exercise", "Three soldiers were killed."))
    excluded.facts_of = reading
    assert not when.holds(excluded)
    assert reads == []
    kept = scan(rs, Article("wire", "Convoy hit near Gao", "Three soldiers were killed."))
    kept.facts_of = reading
    assert when.holds(kept)
    assert len(reads) == 1
    evidence = when.evaluate(kept)
    assert evidence is not None
    assert [e.kind for e in evidence] == ["fact", "term"]
    assert evidence[0].value == "killed=3"
