"""Load YAML safely into plain data plus a map of where each value was written.

Rules and config are hand-edited under pressure, so every later error must point at
`file:line:column`. We compose the node tree ourselves (instead of `yaml.safe_load`) to
record positions, refuse duplicate keys, cap alias expansion (an 8-level alias bomb
expands to millions of nodes) and read only `true`/`false` as booleans: YAML 1.1 turns
`country: NO` into `False`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic_core import ErrorDetails

from bot.errors import Problem

Path_ = tuple[str | int, ...]

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 100         # PyYAML composes nodes recursively: 200,000 levels crashed it (RecursionError)
MAX_INT_CHARS = 40      # no setting needs more; 900,000 digits passed Python's int-from-text limit as a crash

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}


class _TooDeep(yaml.MarkedYAMLError):
    """Nesting past MAX_DEPTH, raised while composing so it carries the position where it happened."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader whose only booleans are true/false (no yes/no/on/off), and whose nesting is capped."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self._depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # unannotated in types-PyYAML
            raise _TooDeep(problem=f"values nested more than {MAX_DEPTH} levels deep", problem_mark=mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


_CStrictLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    class _CStrict(yaml.CSafeLoader):
        """libyaml's parser and composer with the same booleans as _StrictLoader (depth is checked apart)."""

    _CStrict.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
    _CStrictLoader = _CStrict


@dataclass
class YamlDoc:
    """Parsed YAML data and the (line, column) of every value and key, 1-based."""

    file: Path | str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Sequence[str | int], *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of the value at `path` (or of its key), else of the nearest enclosing value."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while True:
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (None, None)
            path = path[:-1]

    def problem(self, path: Sequence[str | int], message: str, hint: str | None = None,
                *, key: bool = False) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.file, line, column, message, hint)

    def sub(self, prefix: Sequence[str | int]) -> YamlDoc:
        """A view of one subtree, positions re-rooted, for validating items one by one."""
        prefix = tuple(prefix)
        n = len(prefix)
        data = self.data
        for part in prefix:
            data = data[part]
        return YamlDoc(
            self.file,
            data,
            {p[n:]: v for p, v in self.positions.items() if p[:n] == prefix},
            {p[n:]: v for p, v in self.key_positions.items() if p[:n] == prefix},
        )


class YamlLoadError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def load_yaml_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> YamlDoc:
    """Read and parse one YAML file; raises YamlLoadError with file and line."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlLoadError(Problem(path, None, None, f"cannot read file: {exc.strerror}")) from exc
    if size > max_bytes:
        raise YamlLoadError(Problem(path, None, None, f"file is {size} bytes, over the {max_bytes} byte limit"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlLoadError(Problem(path, None, None, "file is not valid UTF-8")) from exc
    return load_yaml_text(text, path)


def _compose_fast(text: str) -> yaml.Node | None:
    """The node tree from libyaml (ten times faster than the pure-Python composer), or None when
    libyaml is missing, the text is nested too deep for its recursive composer, or it has an
    error: the Python composer then runs, and says what is wrong in its own words."""
    if _CStrictLoader is None:
        return None
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_CStrictLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth >= MAX_DEPTH:
                    return None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node: yaml.Node | None = yaml.compose(text, Loader=_CStrictLoader)
    except yaml.YAMLError:
        return None
    return node if node is not None else _EMPTY


_EMPTY = yaml.ScalarNode("tag:yaml.org,2002:null", "")   # an empty document, composed fast


def load_yaml_text(text: str, file: Path | str = "<string>") -> YamlDoc:
    """Parse YAML text into a YamlDoc; raises YamlLoadError with file and line."""
    loader = _StrictLoader(text)
    fast = _compose_fast(text)
    try:
        node = loader.get_single_node() if fast is None else (None if fast is _EMPTY else fast)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = str(exc.problem) if isinstance(exc, _TooDeep) else f"YAML syntax error: {exc.problem or exc}"
        raise YamlLoadError(Problem(file, line, col, message)) from exc
    except yaml.YAMLError as exc:
        raise YamlLoadError(Problem(file, None, None, f"YAML error: {exc}")) from exc
    finally:
        loader.dispose()
    doc = YamlDoc(file, None)
    if node is None:
        return doc
    counter = [0]
    doc.data = _build(node, (), doc, loader, counter)
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, path: Path_, doc: YamlDoc, loader: _StrictLoader, counter: list[int]) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise YamlLoadError(doc.problem((), f"document expands to more than {MAX_NODES} values "
                                            "(alias bomb?)"))
    doc.positions[path] = _mark(node)
    if node.tag not in _STANDARD_TAGS:
        line, col = _mark(node)
        raise YamlLoadError(Problem(doc.file, line, col, f"unsupported YAML tag {node.tag!r}",
                                    "only plain YAML values are allowed"))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                raise YamlLoadError(Problem(doc.file, line, col, "mapping keys must be plain strings"))
            key = str(loader.construct_object(key_node))
            if key in result:
                line, col = _mark(key_node)
                first = doc.key_positions.get((*path, key), (None, None))[0]
                raise YamlLoadError(Problem(doc.file, line, col, f"duplicate key {key!r}",
                                            f"first given on line {first}"))
            doc.key_positions[(*path, key)] = _mark(key_node)
            result[key] = _build(value_node, (*path, key), doc, loader, counter)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), doc, loader, counter) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_INT_CHARS:
        line, col = _mark(node)
        raise YamlLoadError(Problem(doc.file, line, col, f"number too long ({len(node.value)} characters; "
                                                         f"at most {MAX_INT_CHARS})"))
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:   # ValueError: e.g. Python's int-from-text limit
        line, col = _mark(node)
        raise YamlLoadError(Problem(doc.file, line, col, f"bad value: {exc}")) from exc


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest valid choice, if any is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def format_loc(loc: Sequence[str | int]) -> str:
    """`('sources', 1, 'interval')` -> `sources[1].interval`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def pydantic_problems(doc: YamlDoc, errors: Sequence[ErrorDetails],
                      allowed_keys: Mapping[Path_, list[str]] | None = None) -> list[Problem]:
    """Turn pydantic validation errors into located problems with hints."""
    problems = []
    for err in errors:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        if kind == "extra_forbidden":
            name = str(loc[-1])
            choices = (allowed_keys or {}).get(tuple(x for x in loc[:-1] if not isinstance(x, int)), [])
            problems.append(doc.problem(loc, f"unknown key {name!r}", did_you_mean(name, choices), key=True))
        elif kind == "missing":
            problems.append(doc.problem(loc[:-1], f"missing required key {format_loc(loc[-1:])!r}"))
        else:
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            problems.append(doc.problem(loc, f"{format_loc(loc)}: {msg}"))
    return problems
