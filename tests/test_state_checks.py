"""A damaged, emptied or vanished state database stops `beacon run` with a way out, never a fresh start.

Each test runs the real CLI (`cli.main`, or the `beacon` process where the whole stderr or a
real full disk matters) on a real SQLite file in a temporary data dir, after a first run that
alerted once, so "started empty" would show as the same alert printed again.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot import cli
from bot.state_check import MARKER_NAME
from tests.conftest import DATA, TEMPLATES_DIR
from tests.feeds import CLASH, rss

ALERT_TITLE = CLASH["title"]
PAGE = 4096


def write_setup(root: Path, data_dir: Path | None = None) -> Path:
    """A config on the simple rules and one local feed with one alerting item; returns the config path."""
    feed = root / "feed.xml"
    feed.write_text(rss(CLASH), encoding="utf-8")
    config = root / "beacon.yaml"
    config.write_text(textwrap.dedent(f"""
        rules_dir: {DATA / "rules"}
        templates_dir: {TEMPLATES_DIR}
        data_dir: {data_dir or root / "data"}
        sources:
          - name: local
            type: rss
            url: file://{feed}
    """), encoding="utf-8")
    return config


def run_once(config: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    status = cli.main(["run", "--once", "-c", str(config), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def state_after_one_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir after one run that alerted, checkpointed so the database file holds everything (made once)."""
    root = tmp_path_factory.mktemp("first-run")
    assert cli.main(["run", "--once", "-c", str(write_setup(root))]) == 0
    database = root / "data" / "beacon.sqlite3"
    db = sqlite3.connect(database)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert db.execute("SELECT count(*) FROM alerts").fetchone()[0] == 1
    db.close()
    return root / "data"


@pytest.fixture
def used(tmp_path: Path, state_after_one_run: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """(config, database) of a copy of that data dir: the next run has nothing new to alert."""
    shutil.copytree(state_after_one_run, tmp_path / "data")
    capsys.readouterr()
    return write_setup(tmp_path), tmp_path / "data" / "beacon.sqlite3"


def assert_refused(status: int, out: str, err: str, database: Path, problem: str) -> None:
    """Exit 1, no alert printed, one paragraph naming the file, the problem and the ways out."""
    assert status == 1
    assert ALERT_TITLE not in out
    [paragraph] = [line for line in err.splitlines() if line.strip()]
    assert str(database) in paragraph
    assert problem in paragraph
    assert "--reset-state" in paragraph and "Restoring state" in paragraph and "backup" in paragraph
    assert "Traceback" not in err


def test_first_run_leaves_a_marker_naming_the_database(used: tuple[Path, Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    [line] = (database.parent / MARKER_NAME).read_text(encoding="utf-8").splitlines()
    assert line.startswith("beacon.sqlite3 created 20")
    status, out, err = run_once(config, capsys)    # a healthy database: the run goes on, nothing alerted twice
    assert status == 0, err
    assert ALERT_TITLE not in out


def test_an_emptied_database_stops_the_run(used: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    database.write_bytes(b"")
    assert_refused(*run_once(config, capsys), database, "the file is empty (0 bytes)")
    assert database.stat().st_size == 0   # left as it was: nothing was created over it


def test_a_truncated_database_stops_the_run(used: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    whole = database.read_bytes()
    assert len(whole) >= 8 * PAGE
    database.write_bytes(whole[:len(whole) // 2])
    assert_refused(*run_once(config, capsys), database, "damaged")


def test_a_database_cut_inside_its_header_stops_the_run(used: tuple[Path, Path],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    database.write_bytes(database.read_bytes()[:60])
    assert_refused(*run_once(config, capsys), database, "cut short (60 bytes")


def test_corrupt_bytes_in_a_table_stop_the_run(used: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    db = sqlite3.connect(database)
    [root] = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'seen'").fetchone()
    db.close()
    with database.open("r+b") as file:          # the seen table's root page, overwritten with noise
        file.seek((root - 1) * PAGE)
        file.write(bytes((i * 131 + 7) % 256 for i in range(PAGE)))
    assert_refused(*run_once(config, capsys), database, "damaged")


def test_a_foreign_file_stops_the_run(used: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    database.write_bytes(b"this is a note someone saved over the database\n" * 100)
    assert_refused(*run_once(config, capsys), database, "not a SQLite database")


def test_a_database_gone_from_a_used_data_dir_stops_the_run(used: tuple[Path, Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    database.unlink()
    assert_refused(*run_once(config, capsys), database, "the file is missing")
    assert not database.exists()   # not recreated


def test_a_new_data_dir_still_starts_fresh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No marker, no file: a first start, not a loss."""
    config = write_setup(tmp_path)
    status, out, _ = run_once(config, capsys)
    assert status == 0 and ALERT_TITLE in out
    assert (tmp_path / "data" / "beacon.sqlite3").stat().st_size > 0


def test_reset_state_starts_empty_and_keeps_the_damaged_file(used: tuple[Path, Path],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    damaged = database.read_bytes()[:len(database.read_bytes()) // 2]
    database.write_bytes(damaged)
    status, out, err = run_once(config, capsys, "--reset-state")
    assert status == 0, err
    assert ALERT_TITLE in out                       # empty on purpose: the article is new again
    [kept] = database.parent.glob("beacon.sqlite3.damaged-*")
    assert kept.read_bytes() == damaged             # moved aside byte for byte, never deleted
    assert str(kept) in err and "--reset-state" in err
    status, out, err = run_once(config, capsys)     # the new database is whole and remembers
    assert status == 0, err
    assert ALERT_TITLE not in out


def test_beacon_check_reports_the_state_database(used: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    config, database = used
    assert cli.main(["check", "-c", str(config)]) == 0
    assert f"ok: state database {database} passed SQLite's quick_check" in capsys.readouterr().out
    database.write_bytes(b"")
    assert cli.main(["check", "-c", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"state database {database}: the file is empty (0 bytes)" in err and "--reset-state" in err


def test_the_real_process_prints_one_paragraph_and_no_traceback(used: tuple[Path, Path]) -> None:
    config, database = used
    database.write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "bot", "run", "--once", "-c", str(config)],
                            capture_output=True, text=True, timeout=120, env=_env())
    assert_refused(result.returncode, result.stdout, result.stderr, database, "the file is empty (0 bytes)")


# -- a full disk at start, for real: a small tmpfs in a private mount namespace -----------------------------------

def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BEACON_DATA_DIR")}


def _namespaces_work() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "-rm", "true"], capture_output=True, timeout=10)
    return probe.returncode == 0


full_disk = pytest.mark.skipif(not _namespaces_work(), reason="needs `unshare -rm` (user and mount namespaces) "
                                                             "to mount a small tmpfs that can fill up")


def on_a_full_disk(tmp_path: Path, steps: str) -> subprocess.CompletedProcess[str]:
    """Run shell `steps` in a private namespace where $MNT is a 2 MiB tmpfs; `fill` uses up its space."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = textwrap.dedent(f"""
        set -u
        MNT={mount}
        mount -t tmpfs -o size=2m tmpfs "$MNT" || exit 97
        fill() {{ dd if=/dev/zero of="$MNT/filler" bs=4096 2>/dev/null; true; }}
        beacon() {{ {sys.executable} -m bot "$@"; }}
        {steps}
    """)
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=180,
                          env=_env())


@full_disk
def test_disk_full_at_first_start_says_so_in_one_line(tmp_path: Path) -> None:
    config = write_setup(tmp_path, tmp_path / "mnt" / "data")
    result = on_a_full_disk(tmp_path, f'fill\nbeacon run --once -c {config}\necho "status $?"')
    assert result.stdout.strip().endswith("status 1"), result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert "no space left on the disk" in line and "Traceback" not in result.stderr


@full_disk
def test_disk_full_with_state_says_so_in_one_line_and_keeps_it(tmp_path: Path) -> None:
    config = write_setup(tmp_path, tmp_path / "mnt" / "data")
    database = tmp_path / "mnt" / "data" / "beacon.sqlite3"
    steps = f"""
        beacon run --once -c {config} >/dev/null 2>&1 || echo "first run failed"
        cp {database} "$MNT/../before.sqlite3"
        head -c 4096 /dev/zero >"$MNT/spare"
        fill
        rm "$MNT/spare"    # one page free: enough for the lock file, not for SQLite's -wal and -shm files
        beacon run --once -c {config} >"$MNT/../second.out" 2>"$MNT/../second.err"
        echo "status $?"
        rm -f "$MNT/filler"
        cmp {database} "$MNT/../before.sqlite3" && echo "database unchanged"
        beacon run --once -c {config} >"$MNT/../third.out" 2>&1
        echo "then status $?"
    """
    result = on_a_full_disk(tmp_path, steps)
    assert "first run failed" not in result.stdout, result.stderr
    assert "status 1" in result.stdout
    [line] = [line for line in (tmp_path / "second.err").read_text().splitlines() if line.strip()]
    assert "no space left on the disk" in line and str(database) in line
    assert ALERT_TITLE not in (tmp_path / "second.out").read_text()
    assert "database unchanged" in result.stdout
    assert "then status 0" in result.stdout    # with space again it starts on its state: nothing new to alert
    assert ALERT_TITLE not in (tmp_path / "third.out").read_text()
