"""`beacon regions NAME...`: what a place name means, with the parent chain, codes and every candidate."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest

from bot import cli
from bot.config import REPO_ROOT
from bot.engine.regions import RegionBook
from bot.engine.regions_lookup import format_answer, lookup, name_index, regions_book, run

SHIPPED = REPO_ROOT / "rules"


@pytest.fixture(scope="module")
def book() -> RegionBook:
    return regions_book(SHIPPED)


@pytest.fixture(scope="module")
def index(book: RegionBook) -> dict[str, set[str]]:
    return name_index(book)


def test_a_country_by_a_name_people_use(book: RegionBook, index: dict[str, set[str]]) -> None:
    answer = lookup("bosnia", book, index)
    assert answer.chosen is not None
    assert (answer.chosen.region.name, answer.chosen.code, answer.chosen.ref) == (
        "Bosnia and Herzegovina", "BA", "bosnia-and-herzegovina")
    assert format_answer(answer) == ["bosnia: Bosnia and Herzegovina (country, BA); in rules: bosnia-and-herzegovina"]


def test_a_shared_name_says_which_rules_take_and_why(book: RegionBook, index: dict[str, set[str]]) -> None:
    congo = format_answer(lookup("Congo", book, index))
    assert congo[0] == ("Congo: Democratic Republic of the Congo (country, CD); "
                        "in rules: democratic-republic-of-the-congo")
    assert congo[1].startswith("  why: 'Congo' alone in the news nearly always means the Democratic Republic")
    assert congo[2] == "  also: Republic of the Congo (country, CG); in rules: republic-of-the-congo"
    korea = lookup("korea", book, index)
    assert korea.chosen is None
    assert [p.code for p in korea.others] == ["KP", "KR"]


def test_a_country_before_a_division_of_the_same_name(book: RegionBook, index: dict[str, set[str]]) -> None:
    lines = format_answer(lookup("Georgia", book, index))
    assert lines == ["Georgia: Georgia (country, GE); in rules: georgia",
                     "  also: Georgia (division, US-GA) in United States; in rules: us-ga"]


def test_towns_with_their_parent_chain_and_population(book: RegionBook, index: dict[str, set[str]]) -> None:
    answer = lookup("Springfield", book, index)
    assert answer.chosen is None
    first = answer.others[0]
    assert (first.region.kind, first.region.population > 100_000) == ("city", True)
    assert [r.name for r in first.chain] == ["Missouri", "United States"]
    lines = format_answer(answer)
    assert lines[0].startswith("Springfield: a town, which rules do not take")
    assert lines[0].endswith("/subscribe takes it written as 'Springfield, United States'")
    assert lines[1] == f"  may be: Springfield (town, {first.region.population:,} people) in Missouri, United States"
    populations = [p.region.population for p in answer.others]
    assert populations == sorted(populations, reverse=True)


def test_operator_regions_and_their_names(book: RegionBook, index: dict[str, set[str]]) -> None:
    assert format_answer(lookup("north-kosovo", book, index)) == [
        "north-kosovo: north-kosovo (your region) in Kosovo; in rules: north-kosovo"]
    banjska = lookup("Banjska", book, index)
    assert [p.region.id for p in banjska.others] == ["north-kosovo"]


def test_a_people_and_a_division_code(book: RegionBook, index: dict[str, set[str]]) -> None:
    [serbia] = lookup("Serbian", book, index).others
    assert (serbia.region.name, serbia.people) == ("Serbia", True)
    assert format_answer(lookup("so-jh", book, index))[0].startswith("so-jh: Lower Juba (division, SO-JH) in Somalia")


def test_unknown_names_get_the_closest(book: RegionBook, index: dict[str, set[str]]) -> None:
    assert format_answer(lookup("bosnai", book, index)) == ["bosnai: unknown", "  note: did you mean 'bosnia'?"]


def test_rules_that_do_not_load_leave_out_only_their_regions(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: a\ntitle: A\nwhen: {trems: [x]}\n")
    out, warn = StringIO(), StringIO()
    assert run(["Serbia", "atlantis-x"], tmp_path, out, warn) == 1     # one name means nothing
    assert out.getvalue().startswith("Serbia: Serbia (country, RS); in rules: serbia\n")
    assert "have 1 problem(s) (see beacon check); their regions are left out" in warn.getvalue()


def test_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    """Through bot.cli.main in-process: a process of its own would build the world's places again (~5 s of CPU);
    tests/test_cli.py starts the real `python -m bot`."""
    status = cli.main(["regions", "--rules", str(SHIPPED), "the Gaza Strip", "UK"])
    done = capsys.readouterr()
    assert status == 0, done.err
    assert done.out.splitlines()[0] == "the Gaza Strip: Palestine (country, PS); in rules: palestine"
    assert "UK: United Kingdom (country, GB); in rules: united-kingdom" in done.out


def test_json_gives_each_name_its_kind_code_and_parent_chain() -> None:
    out = StringIO()
    assert run(["Banjska", "so-jh", "Springfield", "Congo", "bosnai"], SHIPPED, out, output_format="json") == 1
    banjska, lower_juba, springfield, congo, typo = (json.loads(line) for line in out.getvalue().splitlines())
    assert banjska["resolves_to"] is None
    assert banjska["others"] == [{
        "id": "north-kosovo", "name": "north-kosovo", "kind": "region", "code": None, "ref": "north-kosovo",
        "population": None, "by_people_name": False,
        "parents": [{"id": "kosovo", "name": "Kosovo", "kind": "country", "code": "XK"}]}]
    assert lower_juba["resolves_to"]["kind"] == "division"
    assert (lower_juba["resolves_to"]["code"], lower_juba["resolves_to"]["ref"]) == ("SO-JH", "lower-juba")
    assert lower_juba["resolves_to"]["parents"] == [
        {"id": "somalia", "name": "Somalia", "kind": "country", "code": "SO"}]
    first = springfield["others"][0]
    assert (first["kind"], first["ref"]) == ("town", None)
    assert [(p["kind"], p["code"]) for p in first["parents"]] == [("division", "US-MO"), ("country", "US")]
    assert congo["resolves_to"]["code"] == "CD" and [p["code"] for p in congo["others"]] == ["CG"]
    assert congo["note"].startswith("'Congo' alone in the news")
    assert (typo["resolves_to"], typo["others"], typo["note"]) == (None, [], "did you mean 'bosnia'?")


def test_the_command_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["regions", "--rules", str(SHIPPED), "--format", "json", "UK"])
    done = capsys.readouterr()
    assert status == 0, done.err
    [uk] = [json.loads(line) for line in done.out.splitlines()]
    assert (uk["name"], uk["resolves_to"]["name"], uk["resolves_to"]["code"]) == ("UK", "United Kingdom", "GB")


def test_the_json_example_of_docs_rules_md() -> None:
    page = (REPO_ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines()
    shown = page[page.index("$ beacon regions Kaduna --format json") + 1]
    out = StringIO()
    assert run(["Kaduna"], SHIPPED, out, output_format="json") == 0
    assert out.getvalue() == shown + "\n"
