"""Names written in another script: a region named in Cyrillic, a Ukrainian word with an apostrophe.

Two faults an audit found: `/subscribe region:Косово` and `regions: [Косово]` resolved to the United Arab
Emirates (a name with no Latin letters slugged to "", and the Emirates' Arabic name had put "" in the
table), and "Куп'янськ" folded to "kup" and a fragment, so the Serbian sport word "kup" (a cup) dropped
every Ukrainian report from Kupiansk.
"""

from __future__ import annotations

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.regions import RegionBook, ref_key
from bot.engine.text import fold
from bot.errors import RuleError
from bot.models import Article


@pytest.fixture(scope="module")
def book() -> RegionBook:
    return RegionBook.with_countries()


def test_a_region_named_in_cyrillic_is_that_region(book: RegionBook) -> None:
    assert "" not in book.refs
    assert book.resolve("Косово") == "kosovo"
    assert book.resolve("Србија") == "serbia"
    assert book.resolve("Kosova") == "kosovo"


def test_a_name_with_no_latin_form_resolves_to_nothing_not_to_the_emirates(book: RegionBook) -> None:
    assert ref_key("Росія") == ""        # я has no Latin twin in the folding: no key rather than a wrong one
    assert book.resolve("Росія") is None
    assert book.resolve("Київ") is None   # a town: rules and /subscribe take countries and divisions
    assert book.resolve("東京") is None
    assert book.resolve("uae") == "united-arab-emirates"


def test_a_rule_scoped_to_a_cyrillic_region_loads_as_that_region_only() -> None:
    rules = load_rules_text("id: kos\ntitle: Kos\nregions: [Косово]\nwhen: {terms: [gunmen]}\n")
    matcher = compile_rules(rules)
    dubai = Article("wire", "Gunmen kill two in Dubai", "", id="1")
    zvecan = Article("wire", "Gunmen kill two in Zvečan", "", id="2")
    assert matcher.match(dubai) == []
    assert [m.rule_id for m in matcher.match(zvecan)] == ["kos"]


def test_a_rule_naming_a_region_with_no_latin_form_is_refused() -> None:
    with pytest.raises(RuleError, match="Київ"):
        load_rules_text("id: kyiv\ntitle: Kyiv\nregions: [Київ]\nwhen: {terms: [gunmen]}\n")


def test_the_ukrainian_apostrophe_keeps_its_word_whole() -> None:
    for written in ("Куп'янськ", "Куп’янськ", "Купʼянськ"):
        assert fold(written) == "kupʼяnsьk"
    assert fold("п'ять") == fold("пʼять")
    assert fold("Don't") == "don t"                 # English keeps splitting at the apostrophe
    assert fold("'Україна'") == " ukraina "         # quotes around a word are not inside it


def test_a_report_from_kupiansk_is_read() -> None:
    rules = load_rules_text("id: hit\ntitle: Hit\nwhen:\n  terms: [загинули]\n  not: {terms: [kup]}\n")
    report = Article("wire", "Ракетний удар по Куп'янську", "Загинули двоє людей.", id="1", language="uk")
    assert [m.rule_id for m in compile_rules(rules).match(report)] == ["hit"]
