"""`beacon.yaml` -> a typed, validated `Config`. Errors name the key path and line."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.database_location import DatabaseLocation, parse_database
from bot.durations import parse_duration
from bot.errors import ConfigError, Problem
from bot.sources.addresses import url_problem
from bot.sources.caps import MAX_TEXT_CHARS, MAX_TITLE_CHARS, TEXT_CHARS_LIMIT, TITLE_CHARS_LIMIT
from bot.yamldoc import Path_, YamlDoc, YamlLoadError, load_yaml_file, pydantic_problems

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent
DEFAULT_CONFIG = PACKAGE_ROOT / "defaults" / "beacon.yaml"
TELEGRAM_API = "https://api.telegram.org/bot"
DATABASE_ENV = "BEACON_DATABASE_URL"   # wins over `database:` in the file (a SQLite path or a postgresql:// URL)

Duration = Annotated[float, BeforeValidator(parse_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


SOURCE_TYPES = ("rss", "json", "gdelt", "file", "dir")
GDELT_API = "https://api.gdeltproject.org/api/v2/doc/doc"


class FieldMap(_Strict):
    """JMESPath expressions that pick an article's fields out of one item of a JSON API answer."""

    title: str | None = None
    text: str | None = None
    url: str | None = None
    published: str | None = None
    id: str | None = None
    language: str | None = None


class SourceConfig(_Strict):
    """One news source to poll. `type` decides which of the optional keys apply."""

    name: str = Field(min_length=1, pattern=r"^[\w.-]+$")
    type: Literal["rss", "json", "gdelt", "file", "dir"] = "rss"
    url: str | None = None
    interval: Duration = 300.0
    # json: where the items are, and how to read each one
    items: str | None = None
    fields: FieldMap | None = None
    headers: dict[str, str] = {}
    # gdelt: the DOC 2.0 API's query, time window and page size
    query: str | None = None
    timespan: str = "1h"
    maxrecords: int = Field(default=75, ge=1, le=250)
    # file/dir: which files in a folder
    pattern: str = "*"
    # fetch each new article's page and read its main text (feed summaries often omit the numbers)
    full_text: bool = False
    # the outlet's language ("sr", "sq-XK"): every article's, whatever the feed says (docs/languages.md)
    language: str | None = None

    @field_validator("language")
    @classmethod
    def _language_tag(cls, language: str | None) -> str | None:
        from bot.sources.declared_language import LANGUAGE_TAG

        if language is not None and not LANGUAGE_TAG.match(language):
            raise ValueError(f"language {language!r} is not a language code such as 'sr', 'sr-Latn' or 'uk'")
        return language

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, url: str | None) -> str | None:
        if url is None:
            return None
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https", "file"):
            raise ValueError(f"unsupported URL scheme {scheme or '(none)'!r}: use http://, https:// or file://")
        problem = url_problem(url)   # `http://0177.0.0.1/` and the like: refused here, not at the first fetch
        if problem is not None:
            raise ValueError(problem)
        return url

    @model_validator(mode="after")
    def _keys_for_type(self) -> SourceConfig:
        needs_url = self.type in ("rss", "json", "file", "dir")
        if needs_url and not self.url:
            raise ValueError(f"a {self.type} source needs 'url'")
        if self.type in ("file", "dir") and self.url and not self.url.lower().startswith("file://"):
            raise ValueError(f"a {self.type} source reads local files: use a file:// url")
        if self.type == "json":
            if not self.items or self.fields is None or not (self.fields.title or self.fields.text):
                raise ValueError("a json source needs 'items' (a JMESPath to the list) and 'fields' with at "
                                 "least 'title' or 'text'")
        elif self.items is not None or self.fields is not None:
            raise ValueError("'items' and 'fields' apply to json sources only")
        if self.type == "gdelt" and not self.query:
            raise ValueError("a gdelt source needs 'query'")
        return self

    @property
    def endpoint(self) -> str:
        """The URL to fetch (GDELT's public API unless `url` points elsewhere)."""
        return self.url or (GDELT_API if self.type == "gdelt" else "")


class PollingConfig(_Strict):
    """How hard Beacon may poll, and when a failing source is worth telling the admins about."""

    max_concurrency: int = Field(default=20, ge=1, le=500)     # fetches at once, all sources
    per_host: int = Field(default=2, ge=1, le=50)              # fetches at once to one host
    failures_before_alert: int = Field(default=3, ge=1)        # failed polls in a row before a notice
    seen_retention: Duration = 90 * 86400.0                    # how long an article stays "seen"
    max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)   # response size cap
    timeout: Duration = 30.0                                   # total deadline per fetch
    allow_private: bool = False     # fetch from loopback and private addresses (local test feeds)
    allow_hosts: list[str] = []     # hosts ("name" or "name:port") allowed even if internal
    # bounded work per article and per poll (issue 16): what the rules read, and for how long
    max_title_chars: int = Field(default=MAX_TITLE_CHARS, ge=100, le=TITLE_CHARS_LIMIT)
    max_text_chars: int = Field(default=MAX_TEXT_CHARS, ge=1000, le=TEXT_CHARS_LIMIT)
    max_items_per_poll: int = Field(default=250, ge=1)    # newest first; the rest wait for the next poll
    match_budget: Duration = Field(default=2.0, gt=0)     # one article's matching; over it: skipped, reported
    poll_budget: Duration = Field(default=10.0, gt=0)     # one poll's matching; over it: the rest wait
    # an article published longer ago than this is marked seen and not matched: a new source's archive or a
    # backfill of old items does not alert as news (None: no limit; undated articles always count as new)
    max_age: Duration | None = None


class TelegramConfig(_Strict):
    """Bot token, API location, admins and chats subscribed from the start."""

    token: str | None = None
    base_url: str = TELEGRAM_API
    admins: list[int] = []
    chats: list[int] = []
    allowed_chats: list[int] = []   # when set, only these chats may use the bot's commands

    @field_validator("base_url")
    @classmethod
    def _bot_api_url(cls, url: str) -> str:
        # the token travels to this address with every call: a typo must stop Beacon at `beacon check`
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise ValueError("the Bot API base_url must be an http:// or https:// URL, such as "
                             f"{TELEGRAM_API}")
        problem = url_problem(url.replace("{token}", "token"))
        if problem is not None:
            raise ValueError(problem)
        return url

    @property
    def api_base_url(self) -> str:
        """python-telegram-bot appends the token to base_url unless it holds `{token}`."""
        url = self.base_url.rstrip("/")
        if "{token}" in url or url.endswith("/bot"):
            return url
        return url + "/bot"


class DeliveryConfig(_Strict):
    """Pacing of the outbox worker, within Telegram's published limits."""

    global_per_second: float = Field(default=28.0, gt=0)
    chat_interval: Duration = 1.05          # 1 message per second per chat
    group_interval: Duration = 3.1          # 20 messages per minute per group
    max_attempts: int = Field(default=50, ge=1)
    max_parts_per_alert: int = Field(default=3, ge=1, le=20)   # messages one alert may take; the rest is cut
    # new alerts per chat and hour before the rest wait for one summary (a chat may set its own: /settings)
    max_per_hour: int | None = Field(default=None, ge=1)


class MuteConfig(_Strict):
    """A silence for every chat, written by the operator: a rule id, `tag:x`, `region:x` or `all`, until a time."""

    match: str = Field(min_length=1, pattern=r"^(all|tag:\S+|region:\S+|[a-z0-9][a-z0-9_-]*)$")
    until: datetime
    reason: str = ""

    @field_validator("until")
    @classmethod
    def _aware(cls, until: datetime) -> datetime:
        return until if until.tzinfo else until.replace(tzinfo=UTC)   # a time without a zone is UTC


class EventsConfig(_Strict):
    """Event clustering: one incident, one alert, updated in place as its reports come in."""

    clustering: bool = True   # off: every match is its own alert (as with plain keyword bots)
    mutes: list[MuteConfig] = []   # silences for every chat (chats add their own with /mute)
    history_retention: Duration = 90 * 86400.0   # alerts, deliveries and events kept this long


class ChainStep(_Strict):
    """One step of an on-call escalation chain: the alert to another chat, or a mention in a chat."""

    chat: int
    mention: list[int | str] = []   # user names ("@duty_lead") or numeric user ids

    @field_validator("mention")
    @classmethod
    def _names(cls, mention: list[int | str]) -> list[int | str]:
        for who in mention:
            if isinstance(who, str) and not re.fullmatch(r"@\w{3,32}", who):
                raise ValueError(f"{who!r} is not a Telegram user name (@name) or a numeric user id")
        return mention


class OnCallConfig(_Strict):
    """On-call escalation (bot/escalation.py): severe alerts go to the on-call chats and escalate until
    someone presses Acknowledge. Off while `chats` is empty."""

    min_severity: Literal["info", "low", "medium", "high", "critical"] = "high"
    chats: list[int] = []
    escalate_after: Duration = 600.0   # wait this long for an acknowledgement at each step
    chain: list[ChainStep] = []        # after the first re-notification, in order


def parse_listen(listen: str) -> tuple[str, int]:
    """`host:port` (IPv6 in brackets) -> (host, port); the host must be explicit, never "all interfaces"."""
    host, sep, port = listen.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ValueError(f"{listen!r} is not host:port (e.g. 127.0.0.1:9464 or [::1]:9464)")
    return host, int(port)


class MetricsConfig(_Strict):
    """The /metrics and /healthz HTTP server: off unless `listen` is set. Keep it on loopback or firewalled."""

    listen: str | None = None               # e.g. 127.0.0.1:9464
    max_pending_age: Duration = 900.0       # /healthz says degraded when a queued message waits longer
    telegram_grace: Duration = 600.0        # ... or when Telegram has been unreachable this long

    @field_validator("listen", mode="before")
    @classmethod
    def _host_port(cls, listen: object) -> str | None:
        if listen is not None:  # `listen: 9464` (a bare port) gets the same hint as any other mistake
            parse_listen(str(listen))
            return str(listen)
        return None


class HeartbeatConfig(_Strict):
    """A dead-man's switch: GET `url` every `interval` while Beacon is healthy; silence means trouble."""

    url: str | None = None
    interval: Duration = 60.0
    timeout: Duration = 10.0

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is not None and (urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc):
            raise ValueError("the heartbeat url must be an http:// or https:// URL")
        problem = None if url is None else url_problem(url)
        if problem is not None:
            raise ValueError(problem)
        return url


class ClusterConfig(_Strict):
    """Several `beacon run` on one database (bot/instances.py, docs/operations.md "Several instances")."""

    # shared: any number of instances share the work; single: a second one on the data dir is refused.
    # Unset: shared on PostgreSQL, single on SQLite (several processes on one SQLite file must say so).
    mode: Literal["single", "shared"] | None = None
    name: str | None = None      # this instance's id in /status; default host:pid (env BEACON_INSTANCE wins)
    lease: Duration = 15.0       # a leader, a source poll or a claimed send is free again this long after its
                                 # holder stops renewing (dies): commands are answered again within ~lease + 5 s

    @field_validator("lease")
    @classmethod
    def _lease_range(cls, lease: float) -> float:
        if not 1.0 <= lease <= 300.0:
            raise ValueError("cluster.lease must be between 1s and 5m")
        return lease


class Config(_Strict):
    """Beacon's whole configuration, paths already absolute."""

    sources: list[SourceConfig] = []
    rules_dir: Path = Path("rules")
    templates_dir: Path = Path("templates")
    data_dir: Path = Path(".beacon")
    # `database:` a SQLite file or a postgresql:// URL (default: data_dir/beacon.sqlite3); kept out of repr, as a
    # URL may hold a password: read it through `store_location`
    database_setting: str | None = Field(default=None, alias="database", repr=False)
    telegram: TelegramConfig = TelegramConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    events: EventsConfig = EventsConfig()
    polling: PollingConfig = PollingConfig()
    metrics: MetricsConfig = MetricsConfig()
    heartbeat: HeartbeatConfig = HeartbeatConfig()
    oncall: OnCallConfig = OnCallConfig()
    cluster: ClusterConfig = ClusterConfig()
    file: Path | None = None  # where this config came from (None for the embedded default)

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[SourceConfig]) -> list[SourceConfig]:
        seen: set[str] = set()
        for src in sources:
            if src.name in seen:
                raise ValueError(f"two sources are named {src.name!r}; names must be unique")
            seen.add(src.name)
        return sources

    @field_validator("database_setting")
    @classmethod
    def _database_syntax(cls, setting: str | None) -> str | None:
        if setting is not None:
            parse_database(setting)   # a bad URL stops at load, located; paths are resolved in _resolve_paths
        return setting

    @property
    def store_location(self) -> DatabaseLocation:
        """Where the state lives: `database:` (or BEACON_DATABASE_URL, already applied), else data_dir's SQLite file."""
        if self.database_setting is None:
            return DatabaseLocation(sqlite_path=self.data_dir / "beacon.sqlite3")
        return parse_database(self.database_setting)

    @property
    def database(self) -> Path:
        """The SQLite state file. With the state on PostgreSQL there is none to use: a ConfigError says so
        rather than let a caller quietly open a SQLite file beside the real state."""
        location = self.store_location
        if location.sqlite_path is None:
            raise ConfigError(Problem(self.file, None, None, f"the state is on PostgreSQL ({location}); this "
                                      "needs a SQLite state file"))
        return location.sqlite_path

    @property
    def shared(self) -> bool:
        """Whether several instances may share the database: `cluster.mode`, else yes on PostgreSQL only."""
        if self.cluster.mode is not None:
            return self.cluster.mode == "shared"
        return self.store_location.kind == "postgresql"

    @property
    def token(self) -> str | None:
        """The bot token: env TELEGRAM_BOT_TOKEN wins over the file."""
        return os.environ.get("TELEGRAM_BOT_TOKEN") or self.telegram.token or None


_ALLOWED_KEYS: dict[Path_, list[str]] = {
    (): [field.alias or name for name, field in Config.model_fields.items()],
    ("sources",): list(SourceConfig.model_fields),
    ("telegram",): list(TelegramConfig.model_fields),
    ("delivery",): list(DeliveryConfig.model_fields),
    ("events",): list(EventsConfig.model_fields),
    ("events", "mutes"): list(MuteConfig.model_fields),
    ("polling",): list(PollingConfig.model_fields),
    ("metrics",): list(MetricsConfig.model_fields),
    ("heartbeat",): list(HeartbeatConfig.model_fields),
    ("sources", "fields"): list(FieldMap.model_fields),
    ("oncall",): list(OnCallConfig.model_fields),
    ("oncall", "chain"): list(ChainStep.model_fields),
    ("cluster",): list(ClusterConfig.model_fields),
}


def resolve_config_path(explicit: str | Path | None) -> Path:
    """-c FILE, else ./beacon.yaml if present, else the embedded default."""
    if explicit:
        return Path(explicit)
    local = Path("beacon.yaml")
    return local if local.exists() else DEFAULT_CONFIG


def load_config(explicit: str | Path | None = None) -> Config:
    """Load and validate the config; raises ConfigError naming file, line and key."""
    path = resolve_config_path(explicit)
    if not path.exists():
        raise ConfigError(Problem(path, None, None, "config file not found"))
    try:
        doc = load_yaml_file(path)
    except YamlLoadError as exc:
        raise ConfigError(exc.problem) from exc
    base = REPO_ROOT if path.resolve() == DEFAULT_CONFIG else path.resolve().parent
    return config_from_doc(doc, base, None if path.resolve() == DEFAULT_CONFIG else path)


def config_from_doc(doc: YamlDoc, base: Path, file: Path | None) -> Config:
    data: Any = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise ConfigError(doc.problem((), "the config must be a mapping of keys to values"))
    if "file" in data:
        raise ConfigError(doc.problem(("file",), "unknown key 'file'", key=True))
    try:
        config = Config.model_validate({**data, "file": file})
    except ValidationError as exc:
        raise ConfigError(pydantic_problems(doc, exc.errors(), _ALLOWED_KEYS)) from exc
    from bot.sources.registry import check_source  # the sources package imports this module

    problems = []
    for index, source in enumerate(config.sources):
        try:
            check_source(source)
        except ValueError as exc:
            problems.append(doc.problem(("sources", index), str(exc)))
    if problems:
        raise ConfigError(problems)
    return _resolve_paths(config, base)


def _resolve_paths(config: Config, base: Path) -> Config:
    def absolute(p: Path) -> Path:
        p = p.expanduser()
        return p if p.is_absolute() else (base / p).resolve()

    sources = []
    for src in config.sources:
        url = src.url
        if url and url.lower().startswith("file://"):
            local = Path(url[len("file://"):])
            url = "file://" + str(absolute(local))
        sources.append(src.model_copy(update={"url": url}))
    data_dir = Path(os.environ["BEACON_DATA_DIR"]) if os.environ.get("BEACON_DATA_DIR") else config.data_dir
    return config.model_copy(update={
        "sources": sources,
        "rules_dir": absolute(config.rules_dir),
        "templates_dir": absolute(config.templates_dir),
        "data_dir": absolute(data_dir),
        "database_setting": _database_setting(config.database_setting, base),
    })


def _database_setting(setting: str | None, base: Path) -> str | None:
    """BEACON_DATABASE_URL wins over `database:`; a relative SQLite path is taken from the config's folder
    (from the working directory when it comes from the environment)."""
    from_env = os.environ.get(DATABASE_ENV)
    if from_env:
        try:
            location = parse_database(from_env, Path.cwd())
        except ValueError as exc:
            raise ConfigError(Problem(DATABASE_ENV, None, None, str(exc))) from exc
    elif setting is not None:
        location = parse_database(setting, base)
    else:
        return None
    if location.postgres_url is not None:
        return location.postgres_url
    return str(location.sqlite_path)
