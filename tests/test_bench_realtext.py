"""The real-text scorer's arithmetic, on a tiny labelled set of our own (no shared directory needed)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "realtext.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_realtext", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_realtext"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


rt = _load()


def fatal(killed: int | None = None, regions: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"rule": "fatal-clash", "regions": list(regions), "facts": {"killed": killed}, "explanation": []}


def troop(regions: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"rule": "troop-buildup", "regions": list(regions), "facts": {}, "explanation": []}


def label(fc: bool | None, killed: int | None = None, country: str | None = None, tb: bool = False,
          kind: str = "news") -> dict[str, Any]:
    return {"fatal_clash": fc, "killed": killed, "country": country, "troop_buildup": tb, "kind": kind}


# Six made-up items, with what a scorer is supposed to have said about each.
ITEMS = [
    # a true clash, found, right toll, right country first
    ("a", label(True, 4, "Mali"), [fatal(4, ("Gao", "Mali"))]),
    # a true clash, found, wrong toll, country present but not first
    ("b", label(True, 7, "Côte d'Ivoire"), [fatal(9, ("France", "Ivory Coast"))]),
    # a true clash the rule missed
    ("c", label(True, 2, "Niger"), []),
    # an op-ed that mentions an old attack: a false positive, with no region at all
    ("d", label(False, None, "Chad", kind="opinion"), [fatal(None)]),
    # undecided: left out of precision and recall whatever the rule did
    ("e", label(None, None, "Sudan"), [fatal(1, ("Sudan",))]),
    # a troop build-up found, and nothing else
    ("f", label(False, None, "Kosovo", tb=True), [troop(("Serbia",))]),
]


def items() -> list[Any]:
    return [rt.Item(i, "", lab, matches) for i, lab, matches in ITEMS]


def test_fatal_clash_confusion_leaves_null_labels_out() -> None:
    c = rt.confusion(items(), "fatal_clash", rt.FATAL_RULES)
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 1, 1, 1)
    assert c.precision == pytest.approx(2 / 3)
    assert c.recall == pytest.approx(2 / 3)
    assert c.f1 == pytest.approx(2 / 3)


def test_troop_confusion_and_empty_ratios() -> None:
    c = rt.confusion(items(), "troop_buildup", rt.TROOP_RULES)
    assert (c.tp, c.fp, c.fn, c.tn) == (1, 0, 0, 5)
    assert c.precision == 1.0
    empty = rt.Counts()
    assert empty.precision is None and empty.recall is None and empty.f1 is None


def test_killed_counts_over_positives_and_true_positives() -> None:
    k = rt.killed_figures(items())
    assert k["positives"] == 3            # a, b, c
    assert k["tp"] == 2                   # a, b
    assert k["number_of_positives"] == 2  # c gives none: the rule never fired
    assert k["exact_of_positives"] == 1   # only a
    assert k["tp_exact"] == 1 and k["tp_number"] == 2 and k["tp_with_figure"] == 2


def test_country_anywhere_first_and_missing() -> None:
    c = rt.country_figures(items())
    assert c["fired"] == 5 and c["with_country"] == 5   # a, b, d, e, f
    assert c["in_regions"] == 3                          # a; b through the alias; e
    assert c["first"] == 2                               # a and e
    assert c["no_region"] == 1                           # d


def test_precision_by_kind() -> None:
    rows = rt.precision_by_kind(items(), "fatal_clash", rt.FATAL_RULES)
    assert rows["news"] == {"fired": 2, "right": 2, "precision": 1.0}
    assert rows["opinion"] == {"fired": 1, "right": 0, "precision": 0.0}
    assert "unknown" not in rows


def test_baseline_needs_both_words() -> None:
    assert [m["rule"] for m in rt.baseline_matches("Gunmen attacked a bus and killed five people.")] == ["fatal-clash"]
    assert rt.baseline_matches("The minister died peacefully at home.") == []
    assert [m["rule"] for m in rt.baseline_matches("The army sent troops to the border.")] == ["troop-buildup"]


def test_labels_join_by_id(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    labels = tmp_path / "labels"
    shared.mkdir()
    labels.mkdir()
    records = [{"id": "n1", "title": "", "text": "Rebels shelled a village; three died.", "labels": None},
               {"id": "n2", "title": "", "text": "A new bridge opened.", "labels": None}]
    (shared / "agnews-world-dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (labels / "agnews-labels.jsonl").write_text(json.dumps({"id": "n1", **label(True, 3, "Mali")}) + "\n"
                                                + json.dumps({"id": "gone", **label(False)}) + "\n")
    pairs = rt.load_set("agnews", shared, labels)
    assert [(r["id"], lab["killed"]) for r, lab in pairs] == [("n1", 3)]


def test_bad_label_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"id": "a"}\n{"id": \n')
    with pytest.raises(SystemExit) as exc:
        rt.read_jsonl(path)
    assert str(exc.value).startswith(f"{path}:2:")


def test_absent_directory_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert rt.main(["--dir", str(tmp_path / "nowhere")]) == 0
    assert "not present" in capsys.readouterr().out


def test_label_line_that_is_not_an_object_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a"}\n\n[1, 2]\n')
    with pytest.raises(SystemExit) as exc:
        rt.read_jsonl(path)
    assert str(exc.value) == f"{path}:3: not a JSON object"
