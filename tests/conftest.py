"""Shared fixtures: real loopback servers, a real SQLite file, configs written to disk."""

from __future__ import annotations

import functools
import gc
import logging
import os
import textwrap
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

import bot.engine.compile as compile_module
from bot.config import REPO_ROOT, Config, load_config
from bot.database_location import DatabaseLocation
from bot.engine.cache import CACHE_DIR_VARIABLE
from bot.engine.compile import RuleSet, compile_rules
from bot.engine.load import load_rules
from bot.models import Article, Match
from bot.store import Store
from bot.telegram.delivery import TelegramSender
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.feed_server import FeedServer
from tests.pg_server import PostgresServer, PostgresUnavailable, postgres_server

RULES_DIR = REPO_ROOT / "rules"
TEMPLATES_DIR = REPO_ROOT / "templates"
DATA = Path(__file__).parent / "data"


@functools.cache
def shipped_ruleset() -> RuleSet:
    """The shipped rules compiled once per worker, when a test first needs them. Compiled at import, every
    module using them cost both xdist workers the compile at collection (and the next module's compile of
    other rules pushed them out of compile_rules' memory of one, so they were compiled again)."""
    ruleset = compile_rules(load_rules(RULES_DIR))
    # the compile's ~300,000 new objects aged now, as they were by collection time when compiled at import: else the
    # young-generation collections that promote them fall in the next test, where loop-stall tests time them
    gc.collect()
    return ruleset


def shipped_match(rule_id: str, title: str, text: str, at: datetime, language: str = "en") -> Match | None:
    """One shipped rule's match of a wire article published (and scanned) at `at`, or None: the question most
    rule tests ask of a sentence of their own."""
    article = Article("wire", title, text, published=at, language=language)
    return next((m for m in shipped_ruleset().match(article, at) if m.rule_id == rule_id), None)


@pytest.fixture(scope="session")
def shipped_rules() -> RuleSet:
    """shipped_ruleset() as a fixture: compiled before the test starts, never inside what a test times."""
    return shipped_ruleset()


@pytest.fixture(scope="session", autouse=True)
def _shared_rules_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every `beacon` the tests start, in-process or not, reads the shipped rules compiled once per worker
    (bot/engine/cache.py: BEACON_RULES_CACHE_DIR) instead of compiling them again in each fresh data dir."""
    os.environ[CACHE_DIR_VARIABLE] = str(tmp_path_factory.mktemp("rules-cache"))


@pytest.fixture(scope="session", autouse=True)
def _bytecode_kept_for_beacon_processes(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each `beacon` the tests start imports the whole bot package; with PYTHONDONTWRITEBYTECODE set (as on the
    machine the suite was timed on) each of them compiled it from source again, ~0.4 s of CPU apiece. Their
    bytecode goes to a directory of this run's temporary tree instead, shared by the xdist workers (Python writes
    each file atomically), so only the first start compiles; nothing is written into the checkout."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    run_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_dir = run_dir.parent   # popen-gwN's parent: the same for every worker of this run
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = str(run_dir / "bytecode")


@pytest.fixture(scope="session", autouse=True)
def _gazetteers_kept_for_the_suite() -> None:
    """A compile builds the gazetteer of the places its rules name (1-3 s; bot/engine/compile.py keeps the
    last two). Tests compile a handful of different place sets in turn, so with two kept the same one was
    built again up to 13 times a run (about 25 s of CPU in all); eight are kept here, a few hundred MB at
    most. Only how many are kept changes: each is built by the same code and is the same."""
    compile_module._GAZETTEERS_KEPT = 8


@pytest.fixture(autouse=True)
def _no_ambient_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a real token or data dir from the environment."""
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("BEACON_DATA_DIR", raising=False)
    monkeypatch.delenv("BEACON_DATABASE_URL", raising=False)


@pytest.fixture(autouse=True)
def _no_leftover_log_handler() -> Iterator[None]:
    """A test that runs the CLI in-process installs Beacon's log handler on the root logger, on a
    stream pytest closes afterwards; removed here so it neither fails later writes nor scrubs the
    records later tests capture (its redaction filter moves tracebacks into exc_text)."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_beacon", False):
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as server:
        yield server


STORE_BACKENDS = ("sqlite", "postgresql")
SCHEMA_BOOKKEEPING = ("meta", "schema_migrations")   # kept by `empty_database`: the schema stays


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Store behaviour runs once per backend, as apscheduler tests every data store: a test using `store`
    in a module marked `pytest.mark.backends(...)` (or marked itself) gets one run per backend named."""
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None and "store" in metafunc.fixturenames:
        metafunc.parametrize("store_backend", marker.args or STORE_BACKENDS, indirect=True)


@pytest.fixture
def store_backend(request: pytest.FixtureRequest) -> str:
    """Which backend `store` is: "sqlite" unless the test is parametrized over backends."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def store(store_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A fresh, empty store: a SQLite file in tmp_path, or a database of its own on the test PostgreSQL."""
    if store_backend == "postgresql":
        url = request.getfixturevalue("pg_store_url")
        request.getfixturevalue("pg_server").empty_database(url, keep=SCHEMA_BOOKKEEPING)
        s = Store(DatabaseLocation(postgres_url=url))
    else:
        s = Store(tmp_path / "state" / "beacon.sqlite3")
    yield s
    s.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL per test session (per xdist worker): see tests/pg_server.py. Never skipped: if
    none can be reached or started, every test that needs it fails with the reason."""
    try:
        with postgres_server() as server:
            yield server
    except PostgresUnavailable as exc:
        pytest.fail(f"no PostgreSQL for the tests: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def pg_store_url(pg_server: PostgresServer) -> Iterator[str]:
    """The database `store` uses on PostgreSQL: one per session (per xdist worker), migrated by the first
    Store opened on it and emptied before each test (tests/pg_server.py, `empty_database`)."""
    url = pg_server.create_database("beacon_store")
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def postgres_url(pg_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database of its own for one test; dropped afterwards."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Config]:
    """Write a beacon.yaml into tmp_path (shipped rules and templates unless told) and load it."""

    def write(body: str = "", **paths: Path) -> Config:
        text = textwrap.dedent(body)
        if "rules_dir" not in text:
            text += f"\nrules_dir: {paths.get('rules_dir', RULES_DIR)}\n"
        if "templates_dir" not in text:
            text += f"\ntemplates_dir: {paths.get('templates_dir', TEMPLATES_DIR)}\n"
        if "data_dir" not in text:
            text += "\ndata_dir: data\n"
        if "polling" not in text:
            text += "\npolling: {allow_private: true}\n"   # the test servers live on 127.0.0.1
        path = tmp_path / "beacon.yaml"
        path.write_text(text, encoding="utf-8")
        return load_config(path)

    return write


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI() as fake:
        yield fake
        assert fake.errors == [], f"the fake Bot API hit internal errors: {fake.errors}"


@pytest.fixture
async def telegram_sender(bot_api: FakeBotAPI) -> AsyncIterator[TelegramSender]:
    """The real python-telegram-bot sender, talking to the fake Bot API."""
    from telegram.ext import Application

    app = Application.builder().token(bot_api.token).base_url(bot_api.base_url).build()
    await app.initialize()
    try:
        yield TelegramSender(app.bot)
    finally:
        await app.shutdown()


class Commits:
    """Counts the COMMITs the store's connection runs, from SQLite's own statement trace."""

    def __init__(self, store: Store) -> None:
        self.statements: list[str] = []
        store.db.set_trace_callback(self.statements.append)

    @property
    def count(self) -> int:
        return sum(1 for s in self.statements if s.strip().upper() == "COMMIT")
