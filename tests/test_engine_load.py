"""Rule validation: every mistake is reported with file, line, the problem and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import load_rules, load_rules_text
from bot.errors import RuleError


def problems(text: str, **kw) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules_text(text, "rules/x.yaml", **kw)
    return [str(p) for p in info.value.problems]


def test_unknown_key_names_line_and_suggests() -> None:
    [msg] = problems("id: a\ntitel: A\nwhen: {terms: [x]}\n")
    assert msg.startswith("rules/x.yaml:2:1: unknown key 'titel'")
    assert "did you mean 'title'?" in msg


def test_missing_required_keys() -> None:
    msgs = problems("id: a\n")
    assert any("missing required key 'title'" in m for m in msgs)
    assert any("missing required key 'when'" in m for m in msgs)


def test_bad_severity_lists_choices() -> None:
    [msg] = problems("id: a\ntitle: A\nseverity: hgh\nwhen: {terms: [x]}\n")
    assert msg.startswith("rules/x.yaml:3:11: unknown severity 'hgh'")
    assert "did you mean 'high'?" in msg


def test_unknown_condition_and_bad_field() -> None:
    msgs = problems("id: a\ntitle: A\nwhen:\n  all:\n    - trems: [x]\n    - terms: [y]\n      in: body\n")
    assert any(m.startswith("rules/x.yaml:5:7: unknown condition 'trems'") and "'terms'" in m for m in msgs)
    assert any("rules/x.yaml:7:11: 'in' must be one of any, title, text" in m for m in msgs)


def test_list_where_a_condition_belongs() -> None:
    [msg] = problems("id: a\ntitle: A\nwhen:\n  - terms: [x]\n")
    assert "rules/x.yaml:4:3: a condition must be a mapping, not a list" in msg
    assert "put the list under 'all:' or 'any:'" in msg


def test_bad_terms() -> None:
    msgs = problems("id: a\ntitle: A\nwhen:\n  terms: ['*stan', 'ab*', '', []]\n")
    assert any("'*' is allowed only at the end" in m for m in msgs)
    assert any("wildcard term 'ab*' is too short" in m for m in msgs)
    assert any("a term must be a non-empty string" in m for m in msgs)


def test_yaml_syntax_error_has_line() -> None:
    [msg] = problems("id: a\ntitle: [unclosed\nwhen: {terms: [x]}\n")
    assert msg.startswith("rules/x.yaml:")
    assert "YAML syntax error" in msg


def test_duplicate_key_is_refused() -> None:
    [msg] = problems("id: a\ntitle: A\ntitle: B\nwhen: {terms: [x]}\n")
    assert msg.startswith("rules/x.yaml:3:1: duplicate key 'title'")


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    [msg] = problems(f"id: a\ntitle: !!python/object/apply:os.system ['touch {marker}']\nwhen: {{terms: [x]}}\n")
    assert "unsupported YAML tag" in msg
    assert not marker.exists()


def test_alias_bomb_is_capped() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    [msg] = problems("\n".join(lines) + "\n")
    assert "alias bomb" in msg


def test_no_is_a_string_not_false() -> None:
    [rule] = load_rules_text("id: a\ntitle: A\nwhen: {terms: [NO, yes, on]}\n").rules
    assert [t.written for t in rule.when.terms] == ["NO", "yes", "on"]


def test_unknown_template_is_refused() -> None:
    [msg] = problems("id: a\ntitle: A\ntemplate: defualt.html.j2\nwhen: {terms: [x]}\n",
                     known_templates=["default.html.j2"])
    assert "template 'defualt.html.j2' not found" in msg
    assert "did you mean 'default.html.j2'?" in msg


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text("id: same\ntitle: A\nwhen: {terms: [x]}\n")
    (tmp_path / "two.yml").write_text("# second\nid: same\ntitle: B\nwhen: {terms: [y]}\n")
    with pytest.raises(RuleError) as info:
        load_rules(tmp_path)
    [problem] = info.value.problems
    assert str(problem).startswith(f"{tmp_path / 'two.yml'}:2")
    assert "duplicate rule id 'same'" in str(problem)
    assert "one.yaml:1" in str(problem)


def test_a_file_may_hold_a_list_of_rules(tmp_path: Path) -> None:
    (tmp_path / "many.yaml").write_text("- id: a\n  title: A\n  when: {terms: [x]}\n"
                                        "- id: b\n  title: B\n  severity: low\n  when: {terms: [y]}\n")
    rules = load_rules(tmp_path).rules
    assert [(r.id, r.severity.label, r.line) for r in rules] == [("a", "medium", 1), ("b", "low", 4)]
