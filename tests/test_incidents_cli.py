"""`beacon run --once`, `beacon events --format json` and `beacon explain-delivery` on the embedded default,
as a user runs them: one real process per command, real files."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import beacon


def test_the_demo_prints_one_alert_per_incident_with_its_id_and_explains_it(tmp_path: Path) -> None:
    env = {"BEACON_DATA_DIR": str(tmp_path / "data")}
    run = beacon("run", "--once", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    frames = [line for line in run.stdout.splitlines() if line.startswith("──── alert")]
    assert len(frames) == 3, run.stdout   # Banjska, Serbia's troop levels, Britain's reinforcement of KFOR
    printed = {line.split("incident ")[1].split()[0] for line in frames}

    listed = beacon("events", "--since", "100000d", "--format", "json", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    incidents = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {i["id"] for i in incidents} == printed
    clash = next(i for i in incidents if "fatal-clash" in i["rules"])
    assert clash["rules"] == ["fatal-clash", "kosovo-fatal-clash"] and clash["severity"] == "critical"
    assert clash["facts"]["killed"] == 4 and clash["status"] == "open"
    assert clash["first_report_at"] == "2023-09-24T19:40:00+00:00"
    assert clash["last_report_at"] == "2023-09-27T10:15:00+00:00"
    assert [(r["source"], r["published"]) for r in clash["reports"]] == [
        ("balkans-wire", "2023-09-24T19:40:00+00:00"), ("regional-monitor", "2023-09-27T10:15:00+00:00")]
    assert all(r["article_id"] and r["url"].startswith("https://news.example/") for r in clash["reports"])
    troops = next(i for i in incidents if i["rules"] == ["troop-buildup"] and len(i["reports"]) == 2)
    assert [u["changes"] for u in troops["updates"]] == [["build-up reported scaled back"]]

    why = beacon("explain-delivery", clash["id"], "42", cwd=tmp_path, env=env)
    assert why.returncode == 0, why.stderr
    assert "Fatal clash in Kosovo / Fatal armed clash · critical" in why.stdout
    assert "the chat has no active subscription" in why.stdout and "not routed" in why.stdout
    missing = beacon("explain-delivery", "ev-none", "42", cwd=tmp_path, env=env)
    assert missing.returncode == 1 and "No incident 'ev-none'" in missing.stdout
