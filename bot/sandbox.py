"""Jinja's immutable sandbox with a render budget counted while the template runs.

The sandbox stops a template from reaching Python's internals, but not from working
forever or building gigabytes: `{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}`
over a 99,999-character string prints nothing and runs for hours, and `'x'|center(10**9)`
allocates 1 GB in one call. A cap on output only sees what is printed. So every loop
iteration, call, filter and intercepted operator takes a step from a per-render budget
and checks the clock, and the operations that can build a large value from a small one
(widths, repetition, concatenation, replace, join, formatting) are checked before they
run. A refusal is a `BudgetExceeded` raised from the template's own frame, so the error
names the template's file and line.
"""

from __future__ import annotations

import functools
import re
import string
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import _PassArg
from markupsafe import Markup

MAX_STEPS = 50_000            # loop iterations, attribute reads, calls, filters and operators in one render
MACRO_STEPS = 10              # what one macro call takes of MAX_STEPS
MAX_RANGE_ITEMS = 10_000      # range() items one render may ask for, all calls together
MAX_VALUE_CHARS = 100_000     # the largest string or list one operation may build
MAX_BUILT_CHARS = 2_000_000   # what all operations and printed values of one render may build together
MAX_WIDTH = 10_000            # widths, precisions and sizes given to center, format, indent, batch ...
MAX_INT_BITS = 65_536         # integers a template computes stay below 2**65536
MAX_OUTPUT_CHARS = 64_000     # what one render may print
MAX_RENDER_SECONDS = 2.0      # wall clock, checked at every step, not only when something is printed


class BudgetExceeded(SecurityError):
    """A template asked for more work or memory than one message may take."""


@dataclass
class Budget:
    """What one render may still spend; one per render, never shared between threads."""

    started: float = field(default_factory=time.monotonic)
    steps: int = MAX_STEPS
    built: int = MAX_BUILT_CHARS
    range_items: int = MAX_RANGE_ITEMS

    def step(self, count: int = 1) -> None:
        self.steps -= count
        if self.steps < 0:
            raise BudgetExceeded(f"over {MAX_STEPS:,} loop iterations, calls and operations in one message")
        if time.monotonic() - self.started > MAX_RENDER_SECONDS:
            raise BudgetExceeded(f"rendering took over {MAX_RENDER_SECONDS:g}s")

    def build(self, size: int) -> None:
        self.built -= size
        if self.built < 0:
            raise BudgetExceeded(f"built over {MAX_BUILT_CHARS:,} characters in one message")


_current: ContextVar[Budget | None] = ContextVar("template_budget", default=None)


def budget() -> Budget:
    """The running render's budget; a render started without one gets a fresh one."""
    current = _current.get()
    if current is None:
        current = Budget()
        _current.set(current)
    return current


def measure(value: Any, limit: int = MAX_VALUE_CHARS) -> int:
    """About how many characters `value` prints as; refuses past `limit` without printing it.

    A list of 100,000 references to one 100,000-character string is small in memory but
    10 GB once joined or printed, so containers are walked, stopping at the limit.
    """
    if isinstance(value, str | bytes):
        size = len(value)
    elif isinstance(value, list | tuple | set | frozenset | Mapping):
        size = 0
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, Mapping):
                stack.extend(item.keys())
                stack.extend(item.values())
                size += 2 + 2 * len(item)
            elif isinstance(item, list | tuple | set | frozenset):
                stack.extend(item)
                size += 2 + 2 * len(item)
            elif isinstance(item, str | bytes):
                size += len(item)
            else:
                size += 1
            if size > limit:
                break
    else:
        return 0
    if size > limit:
        raise BudgetExceeded(f"a value of over {limit:,} characters")
    return size


def _check_width(what: str, number: Any) -> None:
    if isinstance(number, int) and not isinstance(number, bool) and abs(number) > MAX_WIDTH:
        raise BudgetExceeded(f"{what}: {number} is over the limit of {MAX_WIDTH:,}")


_NUMBER = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def check_format_spec(spec: str) -> None:
    """A `str.format` field spec such as `>10` or `.3f`: no width or precision past the limit."""
    for number in _NUMBER.findall(spec):
        _check_width(f"format spec '{spec[:40]}'", int(number))


def check_percent_format(template: Any) -> None:
    """A %-format string: no width or precision past the limit, and no `*` (a width taken from the values)."""
    if not isinstance(template, str):
        return
    for found in _PERCENT_SPEC.finditer(template):
        for number in found.groups():
            if number == "*":
                raise BudgetExceeded("'*' widths in %-formatting are not allowed")
            if number is not None:
                _check_width(f"%-format '{found.group(0)[:40]}'", int(number))


def _replace_growth(text: str, old: Any, new: Any) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return 0
    if not old:
        return (len(text) + 1) * len(new)
    return text.count(old) * max(0, len(new) - len(old))


def _materialise(value: Any) -> Any:
    """A lazy sequence (`map`, `select`) as a list, one step per item, so it can be measured."""
    if isinstance(value, Iterator) or (isinstance(value, Iterable) and not isinstance(value, Sized)):
        items = []
        for item in value:
            budget().step()
            items.append(item)
        return items
    return value


# str (and bytes) methods whose int argument is a size of the result, or that can grow it
_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}
_REFUSED_METHODS = {"translate", "maketrans", "to_bytes"}
_WIDTH_FILTERS = {"center", "indent", "wordwrap", "truncate", "batch", "slice", "tojson"}
_MEASURED_FILTERS = {"join", "string", "tojson", "pprint", "list", "sum", "xmlattr", "urlencode"}


class _SpecCheckingFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        check_format_spec(format_spec)
        measure(value)
        return super().format_field(value, format_spec)


class _SpecCheckingEscapeFormatter(SandboxedEscapeFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        check_format_spec(format_spec)
        measure(value)
        return super().format_field(value, format_spec)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every loop, call, filter and `* ** + %` counted and size-checked.

    Loops are bounded by rewriting each `{% for %}`'s iterable into `environment.bounded_iter(...)`
    at parse time (Jinja has no iteration hook), which also charges the loop body's literal text
    per iteration: a loop inside `{% set x %}...{% endset %}` builds text that is never printed.
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        options.setdefault("finalize", self._finalize)
        super().__init__(**options)
        self.globals["range"] = self._range
        self.globals.pop("lipsum", None)   # lipsum(n=10**9) builds a billion paragraphs

    def add_filters(self, filters: Mapping[str, Callable[..., Any]]) -> None:
        """Register filters, each wrapped in the budget (call once all filters are known)."""
        for name, func in filters.items():
            self.filters[name] = self._bounded_filter(name, func)

    def wrap_all_filters(self) -> None:
        self.add_filters(dict(self.filters))

    # -- parse-time rewriting ------------------------------------------------------------------

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            body_chars = _literal_chars(loop.body)
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"),
                                   [loop.iter, nodes.Const(body_chars)], [], None, None, lineno=loop.iter.lineno)
        for concat in list(tree.find_all(nodes.Concat)):
            concat.nodes = [nodes.Call(nodes.EnvironmentAttribute("measured"), [part], [], None, None,
                                       lineno=part.lineno) for part in concat.nodes]
        return tree

    def bounded_iter(self, iterable: Any, body_chars: int = 0) -> Iterator[Any]:
        """Each iteration takes a step and pays for the literal text of the loop body."""
        spend = budget()
        for item in iterable:
            spend.step()
            if body_chars:
                spend.build(body_chars)
            yield item

    def measured(self, value: Any) -> Any:
        """A part of a `~` concatenation, checked before it is turned into text."""
        budget().build(measure(value))
        return value

    # -- runtime hooks -------------------------------------------------------------------------

    def _finalize(self, value: Any) -> Any:
        if isinstance(value, Undefined):
            return value
        budget().build(measure(value))
        return value

    def checked(self, value: Any) -> Any:
        """A result, refused if it is too large to keep."""
        budget().build(measure(value))
        return value

    def _range(self, *args: int) -> range:
        items = range(*args)
        spend = budget()
        spend.range_items -= len(items)
        if spend.range_items < 0:
            raise BudgetExceeded(f"range() asked for over {MAX_RANGE_ITEMS:,} items in one message")
        return items

    def getattr(self, obj: Any, attribute: str) -> Any:
        budget().step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        budget().step()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # a macro call costs about 20 µs, forty times a loop iteration: weigh it so a runaway
        # recursion (`f(n-1)` twice per call) is refused in well under a second
        budget().step(MACRO_STEPS if isinstance(__obj, Macro) else 1)
        if isinstance(__obj, LoopContext) and args:   # a recursive loop's `loop(children)`
            args = (__self.bounded_iter(args[0]), *args[1:])
        args = __self._check_method(__obj, args, kwargs)
        return __self.checked(super().call(__context, __obj, *args, **kwargs))

    def _check_method(self, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        owner = getattr(func, "__self__", None)
        name = getattr(func, "__name__", "")
        if not isinstance(owner, str | bytes | int | float | list | tuple | dict):
            return args
        if name in _REFUSED_METHODS:
            raise BudgetExceeded(f"{type(owner).__name__}.{name}() is not available in templates")
        if name in _WIDTH_METHODS:
            for value in (*args, *kwargs.values()):
                _check_width(f"{name}()", value)
        if name == "replace" and isinstance(owner, str) and len(args) >= 2 \
                and len(owner) + _replace_growth(owner, args[0], args[1]) > MAX_VALUE_CHARS:
            raise BudgetExceeded(f"replace() would build over {MAX_VALUE_CHARS:,} characters")
        if name == "join" and args:
            args = (_materialise(args[0]), *args[1:])
            measure(args[0])
        return args

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget().step()
        if operator == "**" and isinstance(right, int):
            if abs(right) > 100:
                raise BudgetExceeded("exponent too large")
            if isinstance(left, int) and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise BudgetExceeded("a number too large")
        if operator == "*":
            _check_product(left, right)
        if operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple) \
                and len(left) + len(right) > MAX_VALUE_CHARS:
            raise BudgetExceeded(f"concatenation over {MAX_VALUE_CHARS:,} items")
        if operator == "%":
            check_percent_format(left)
            measure(right)
        return self.checked(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` and `format_map`, with every field's width and precision checked as it is formatted."""
        if not isinstance(value, types.MethodType | types.BuiltinMethodType) \
                or value.__name__ not in ("format", "format_map"):
            return None
        owner = value.__self__
        if not isinstance(owner, str):
            return None
        formatter: string.Formatter
        if isinstance(owner, Markup):
            formatter = _SpecCheckingEscapeFormatter(self, escape=owner.escape)
        else:
            formatter = _SpecCheckingFormatter(self)
        is_map = value.__name__ == "format_map"
        result_type = type(owner)

        def bounded_format(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            return result_type(formatter.vformat(owner, args, kwargs))

        return functools.update_wrapper(bounded_format, value)

    def _bounded_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        passes_first = _PassArg.from_obj(func) is not None

        @functools.wraps(func)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            budget().step()
            head, values = (args[:1], list(args[1:])) if passes_first else ((), list(args))
            _check_filter(name, values, kwargs)
            return self.checked(func(*head, *values, **kwargs))

        return bounded


def _check_product(left: Any, right: Any) -> None:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | bytes | list | tuple) and isinstance(count, int) \
                and len(seq) * count > MAX_VALUE_CHARS:
            raise BudgetExceeded(f"repetition over {MAX_VALUE_CHARS:,} items")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise BudgetExceeded("a number too large")


def _check_filter(name: str, values: list[Any], kwargs: dict[str, Any]) -> None:
    """Refuse a filter call that would build far more than it was given; may materialise values[0]."""
    if not values:
        return
    if name in _WIDTH_FILTERS:
        for number in (*values[1:], *kwargs.values()):
            _check_width(f"{name}", number)
    text = values[0]
    if name == "indent":
        width = values[1] if len(values) > 1 else kwargs.get("width")
        if isinstance(width, str) and isinstance(text, str) and len(width) * (text.count("\n") + 1) > MAX_VALUE_CHARS:
            raise BudgetExceeded(f"indent would build over {MAX_VALUE_CHARS:,} characters")
    if name == "wordwrap":
        wrap = values[3] if len(values) > 3 else kwargs.get("wrapstring")
        if isinstance(wrap, str) and len(wrap) > 100:
            raise BudgetExceeded("wordwrap: a wrapstring over 100 characters")
    if name == "replace" and isinstance(text, str) and len(values) >= 3 \
            and len(text) + _replace_growth(text, values[1], values[2]) > MAX_VALUE_CHARS:
        raise BudgetExceeded(f"replace would build over {MAX_VALUE_CHARS:,} characters")
    if name == "format":
        check_percent_format(text)
        for value in (*values[1:], *kwargs.values()):
            measure(value)
    if name in _MEASURED_FILTERS:
        values[0] = _materialise(text)
        measure(values[0])
        if name == "sum":
            start = values[2] if len(values) > 2 else kwargs.get("start", 0)
            if not isinstance(start, int | float):
                raise BudgetExceeded("sum: only numbers may be added up")


def _literal_chars(body: list[nodes.Node]) -> int:
    """Characters of template text in a loop body, not counting nested loops (they pay for their own)."""
    total = 0
    stack: list[nodes.Node] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.For):
            continue
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
            continue
        stack.extend(node.iter_child_nodes())
    return total


def render_bounded(env: BoundedSandbox, name: str, context: dict[str, Any]) -> str:
    """Render one template under a fresh budget: refused past the step, size, output or time caps."""
    template = env.get_template(name)
    token = _current.set(Budget())
    try:
        out: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise BudgetExceeded(f"output over {MAX_OUTPUT_CHARS:,} characters")
            budget().step()
            out.append(chunk)
        return "".join(out).strip()
    finally:
        _current.reset(token)
