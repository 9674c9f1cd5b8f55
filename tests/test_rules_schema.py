"""The published JSON Schema agrees with the loader, and the shipped files satisfy it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from bot.config import REPO_ROOT
from bot.engine.library import FILE_KEYS
from bot.engine.load import CONDITION_KEYS, MODIFIER_KEYS, RULE_KEYS

SCHEMA = json.loads((REPO_ROOT / "schema" / "rules.schema.json").read_text())


def test_schema_knows_every_key_the_loader_knows() -> None:
    assert set(SCHEMA["$defs"]["rule"]["properties"]) == set(RULE_KEYS)
    assert set(SCHEMA["$defs"]["condition"]["properties"]) == set(CONDITION_KEYS + MODIFIER_KEYS)


@pytest.mark.parametrize("path", sorted((REPO_ROOT / "rules").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_files_validate(path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text()), SCHEMA)


def test_schema_rejects_what_the_loader_rejects() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "title": "X", "when": {"trems": ["a"]}}, SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "title": "X", "severity": "urgent", "when": {"terms": "a"}}, SCHEMA)


def test_schema_knows_the_keys_of_a_file() -> None:
    assert set(SCHEMA["oneOf"][0]["properties"]) == set(FILE_KEYS)
    assert set(SCHEMA["$defs"]["library"]["properties"]) == {*FILE_KEYS, "regions"}


def test_schema_takes_lists_named_conditions_and_extends() -> None:
    jsonschema.validate({"lists": {"killing-words": ["killed", "slain"], "forces": {"append": ["troops", 1]}},
                         "conditions": {"armed-violence": {"terms": ["$killing-words"]}}}, SCHEMA)
    jsonschema.validate({"lists": {"words": ["a"]}, "id": "x", "title": "X",
                         "when": {"all": [{"use": "armed-violence"}, {"near": ["$words", ["b"]]}]}}, SCHEMA)
    jsonschema.validate({"id": "bosnia-fatal-clash", "extends": "fatal-clash", "regions": ["bosnia"]}, SCHEMA)
    jsonschema.validate([{"id": "a", "extends": "b", "when": {"terms": "night"}}], SCHEMA)


@pytest.mark.parametrize("document", [
    {"id": "x", "title": "X"},                                               # neither when nor extends
    [{"id": "x", "title": "X", "when": {"terms": "a"}, "lists": {"w": ["a"]}}],   # lists only at the top of a file
    {"lists": {"w": {"append": ["a"], "replace": True}}},
    {"lists": {"W": ["a"]}},
    {"conditions": {"c": {"append": {"terms": "a"}}}},
    {"id": "x", "title": "X", "when": {"use": ["a", "b"]}},
])
def test_schema_refuses_what_the_loader_refuses_in_reuse(document: object) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)
