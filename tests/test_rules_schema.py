"""The published JSON Schema agrees with the loader, and the shipped files satisfy it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from bot.config import REPO_ROOT
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
