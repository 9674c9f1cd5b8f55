"""Config loading: defaults, durations, path resolution, env overrides, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_CONFIG, REPO_ROOT, Config, load_config, resolve_config_path
from bot.durations import format_duration, parse_duration
from bot.errors import ConfigError


def test_durations() -> None:
    assert parse_duration(90) == 90
    assert parse_duration("90s") == 90
    assert parse_duration("5m") == 300
    assert parse_duration("1h30m") == 5400
    assert parse_duration("2d") == 172800
    assert parse_duration("45") == 45
    assert format_duration(5400) == "1h30m"
    for bad in ("5 minutes", "", "-3", 0, True, "m5"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_embedded_default_is_used_without_a_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_config_path(None) == DEFAULT_CONFIG
    config = load_config()
    assert config.file is None
    assert [s.name for s in config.sources] == ["balkans-wire", "regional-monitor"]
    assert config.sources[0].url == "file://" + str(REPO_ROOT / "examples/feeds/balkans-wire.xml")
    assert config.rules_dir == REPO_ROOT / "rules"
    assert config.token is None


def test_local_beacon_yaml_wins_over_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "beacon.yaml").write_text("sources: []\n")
    monkeypatch.chdir(tmp_path)
    assert resolve_config_path(None) == Path("beacon.yaml")
    assert load_config().sources == []


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    (folder / "beacon.yaml").write_text(
        "sources:\n  - {name: local, type: rss, url: 'file://feeds/a.xml', interval: 5m}\n"
        "  - {name: web, url: 'https://news.example/rss', interval: 90}\n"
        "rules_dir: my-rules\ndata_dir: ../state\n")
    config = load_config(folder / "beacon.yaml")
    assert config.sources[0].url == f"file://{folder / 'feeds/a.xml'}"
    assert config.sources[0].interval == 300
    assert config.sources[1].interval == 90
    assert config.rules_dir == folder / "my-rules"
    assert config.data_dir == (tmp_path / "state").resolve()
    assert config.database == config.data_dir / "beacon.sqlite3"


def test_token_from_env_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "b.yaml").write_text("telegram:\n  token: from-file\n  base_url: http://127.0.0.1:9/\n"
                                     "  admins: [1]\n  chats: [-100]\n")
    config = load_config(tmp_path / "b.yaml")
    assert config.token == "from-file"
    assert config.telegram.api_base_url == "http://127.0.0.1:9/bot"
    assert config.telegram.chats == [-100]
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "from-env")
    assert config.token == "from-env"


def test_base_url_forms() -> None:
    from bot.config import TelegramConfig

    assert TelegramConfig().api_base_url == "https://api.telegram.org/bot"
    assert TelegramConfig(base_url="http://h:8081/bot").api_base_url == "http://h:8081/bot"
    assert TelegramConfig(base_url="http://h/x/{token}/y").api_base_url == "http://h/x/{token}/y"


@pytest.mark.parametrize(("body", "expected"), [
    ("sources:\n  - name: a\n    url: https://x.example/rss\n    intervall: 5m\n",
     ":4:5: unknown key 'intervall' (did you mean 'interval'?)"),
    ("sources:\n  - name: a\n    url: https://x.example/rss\n    interval: soon\n",
     ":4:15: sources[0].interval: 'soon' is not a duration"),
    ("sources:\n  - name: a\n    url: ftp://x.example/rss\n",
     ":3:10: sources[0].url: unsupported URL scheme 'ftp'"),
    ("sources:\n  - name: a\n    type: atom\n    url: https://x.example/rss\n",
     ":3:11: sources[0].type: Input should be 'rss'"),
    ("sources:\n  - {name: a, url: 'http://a.example'}\n  - {name: a, url: 'http://b.example'}\n",
     ":2:3: sources: two sources are named 'a'"),
    ("telegram:\n  admins: [alice]\n", ":2:12: telegram.admins[0]: Input should be a valid integer"),
    ("sources:\n  - url: https://x.example/rss\n", ":2:5: missing required key 'name'"),
    ("rules_dri: x\n", ":1:1: unknown key 'rules_dri' (did you mean 'rules_dir'?)"),
    ("sources: [\n", "YAML syntax error"),
    # the token goes to this address with every call: a typo stops Beacon at once
    ("telegram:\n  base_url: api.telegram.org/bot\n",
     ":2:13: telegram.base_url: the Bot API base_url must be an http:// or https:// URL"),
    ("telegram:\n  base_url: http://0x7f.1:8081/bot\n",
     ":2:13: telegram.base_url: host '0x7f.1' reads as an IPv4 address in an unusual form"),
])
def test_errors_name_the_line_and_key(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "beacon.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    text = str(info.value)
    assert text.startswith(str(path)), text
    assert expected in text, text


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize(("body", "expected"), [
    ("sources:\n  - {name: api, type: json, url: 'https://api.example/news', items: 'data[', "
     "fields: {title: title}}\n", ":2:5: source api: items: bad JMESPath"),
    ("sources:\n  - {name: api, type: json, url: 'https://api.example/news'}\n", "a json source needs 'items'"),
    ("sources:\n  - {name: g, type: gdelt}\n", "a gdelt source needs 'query'"),
    ("sources:\n  - {name: d, type: dir, url: 'https://x.example/'}\n", "use a file:// url"),
])
def test_source_type_errors(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "beacon.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert expected in str(info.value), str(info.value)


def test_every_source_type_loads(tmp_path: Path) -> None:
    path = tmp_path / "beacon.yaml"
    path.write_text(
        "sources:\n"
        "  - {name: feed, url: 'https://news.example/rss'}\n"
        "  - {name: api, type: json, url: 'https://api.example/v1', items: 'data[*].fields', "
        "fields: {title: title, text: body, url: url, published: date.created}, headers: {X-Key: k}}\n"
        "  - {name: gd, type: gdelt, query: 'Kosovo (troops OR army)', timespan: 2h, maxrecords: 250}\n"
        "  - {name: archive, type: dir, url: 'file://archive', pattern: '*.jsonl'}\n"
        "polling: {max_concurrency: 10, per_host: 1, failures_before_alert: 5, seen_retention: 30d}\n")
    config = load_config(path)
    assert [s.type for s in config.sources] == ["rss", "json", "gdelt", "dir"]
    assert config.sources[2].endpoint.startswith("https://api.gdeltproject.org/")
    assert config.sources[3].url == f"file://{tmp_path / 'archive'}"
    assert config.polling.seen_retention == 30 * 86400


# -- database: a SQLite file or a PostgreSQL URL; BEACON_DATABASE_URL wins; the password never shows ----------

SECRET = "s3cret-Pa55word"


def _load(tmp_path: Path, body: str) -> Config:
    path = tmp_path / "beacon.yaml"
    path.write_text("sources: []\n" + body)
    return load_config(path)


def test_the_state_defaults_to_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    config = _load(tmp_path, "data_dir: state\n")
    assert config.store_location.kind == "sqlite"
    assert config.store_location.sqlite_path == tmp_path / "state" / "beacon.sqlite3"
    assert config.database == tmp_path / "state" / "beacon.sqlite3"


def test_database_names_a_sqlite_file_relative_to_the_config(tmp_path: Path) -> None:
    config = _load(tmp_path, "database: db/alerts.sqlite3\n")
    assert config.store_location.sqlite_path == tmp_path / "db" / "alerts.sqlite3"
    assert config.database == tmp_path / "db" / "alerts.sqlite3"
    assert str(config.store_location) == str(tmp_path / "db" / "alerts.sqlite3")


def test_database_takes_a_postgresql_url_and_never_shows_its_password(tmp_path: Path) -> None:
    url = f"postgresql://beacon:{SECRET}@db.internal:5433/beacon?sslmode=require"
    config = _load(tmp_path, f"database: '{url}'\n")
    location = config.store_location
    assert location.kind == "postgresql"
    assert location.postgres_url == url            # what the driver gets, untouched
    assert location.password == SECRET             # what the log redactor is given
    assert str(location) == "postgresql://beacon:***@db.internal:5433/beacon?sslmode=require"
    for shown in (str(location), repr(location), repr(config), str(config)):
        assert SECRET not in shown, shown
    # no SQLite file to open: a caller that asks for one is told why, without the password
    with pytest.raises(ConfigError) as info:
        _ = config.database
    assert "the state is on PostgreSQL (postgresql://beacon:***@db.internal:5433/beacon" in str(info.value)
    assert SECRET not in str(info.value)


def test_a_password_given_as_a_parameter_is_hidden_too(tmp_path: Path) -> None:
    config = _load(tmp_path, f"database: 'postgres://beacon@/beacon?host=/run/postgresql&password={SECRET}'\n")
    assert config.store_location.password == SECRET
    assert str(config.store_location) == "postgres://beacon@/beacon?host=/run/postgresql&password=***"


def test_beacon_database_url_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"postgresql://ops:{SECRET}@127.0.0.1:5432/beacon_prod"
    monkeypatch.setenv("BEACON_DATABASE_URL", url)
    assert _load(tmp_path, "database: local.sqlite3\n").store_location.postgres_url == url
    # ... and may as well name a SQLite file (relative to the working directory)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BEACON_DATABASE_URL", "elsewhere/beacon.sqlite3")
    assert _load(tmp_path, f"database: '{url}'\n").database == tmp_path / "elsewhere" / "beacon.sqlite3"


@pytest.mark.parametrize(("value", "expected"), [
    (f"mysql://beacon:{SECRET}@db/beacon", "unsupported database URL scheme 'mysql' in 'mysql://beacon:***@db/beacon'"),
    (f"postgresql://beacon:{SECRET}@db:99999/beacon", "is not a valid URL (Port out of range 0-65535)"),
    (f"postgresql://beacon:{SECRET}@db:port/beacon", "'postgresql://beacon:***@db:port/beacon' is not a valid URL"),
    (f"postgresql://beacon:{SECRET}@db:5432", "'postgresql://beacon:***@db:5432' names no database"),
    (f"postgresql://beacon:{SECRET}@/beacon", "names no server"),
    (f"postgresql://beacon:{SECRET}@db/beacon?sslmode=always", "sslmode 'always' is not one of disable, allow"),
    (f"postgresql://beacon:{SECRET}@db/beacon?colour=blue", 'invalid URI query parameter: "colour"'),
    (f"postgresql:beacon:{SECRET}@db/beacon", "database: this looks like a PostgreSQL URL but has no '://'"),
    ("state/", "'state/' is a folder: name the SQLite file"),
    ("''", "database: empty: give a SQLite file path or a PostgreSQL URL"),
])
def test_bad_database_settings_are_located_and_keep_the_password_out(tmp_path: Path, value: str,
                                                                      expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, f"database: {value}\n")
    text = str(info.value)
    assert text.startswith(f"{tmp_path / 'beacon.yaml'}:2:11: database: "), text
    assert expected in text, text
    assert SECRET not in text, text


def test_a_bad_beacon_database_url_is_named_and_keeps_the_password_out(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEACON_DATABASE_URL", f"postgresql://beacon:{SECRET}@db:70000/beacon")
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "")
    text = str(info.value)
    assert text.startswith("BEACON_DATABASE_URL: 'postgresql://beacon:***@db:70000/beacon' is not a valid URL"), text
    assert SECRET not in text
