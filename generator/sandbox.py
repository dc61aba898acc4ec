"""The Jinja sandbox templates run in: plain data in, bounded text out.

A template in a ``--templates`` folder is written by someone other than the person running huibao,
so it is treated like untrusted input. Jinja's own sandbox blocks ``_`` attributes; this one goes
further, on three fronts:

* **Only plain data.** Templates receive dicts, lists, strings, numbers (``Decimal`` too), dates,
  booleans and ``None``. Attribute access is an allowlist per type (``dict.items``, ``str.strip``,
  ``date.isoformat``, ``loop.index`` …); everything else, Python objects and classes above all, is
  refused, and only allowlisted methods, macros and the two globals kept (``range``, ``namespace``)
  may be called. ``str.format`` is not on the list: its field syntax reaches attributes.
* **Bounded work.** Every loop iteration, call and filter spends one step of a per-render budget;
  ``**``, ``*``, ``+``, ``%`` and ``~`` are checked before they build a number or a text too large;
  filters that can amplify their input (``center``, ``indent``, ``format``, ``replace``,
  ``join``, ``batch``, ``slice``, ``tojson``, ``wordwrap``) are checked before they run, and the
  result of every filter, call and macro after; the rendered document is bounded too.
* **Clear refusals.** Every refusal is a :class:`SandboxError` with a Chinese message, raised at
  the template line that caused it, for ``render.py`` to report as a 模板错误.

The limits below are far above any real report (a year's work summary is ~20 000 characters
rendered in ~10 000 steps) and far below what would exhaust memory or keep a build busy for
minutes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from types import BuiltinMethodType, MethodType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, missing
from markupsafe import Markup

MAX_TEXT = 50_000_000
"""Characters in any one text a template builds, the rendered document included (a report: ~10⁵)."""
MAX_ITEMS = 1_000_000
"""Items in a list built by ``*``, ``+``, ``batch`` or ``slice``."""
MAX_RANGE = 100_000
"""Numbers one ``range()`` may produce (Jinja's own sandbox limit)."""
MAX_NUMBER = 10**40
"""Largest magnitude of a number made by arithmetic in a template (a budget in 元 is ~10¹⁵)."""
MAX_STEPS = 5_000_000
"""Work one render may do, in steps: a loop iteration, a filter or an item looked at is one step,
a call (a macro above all, ~10 µs) ``CALL_STEPS``. The largest reports huibao accepts take ~10⁵;
the limit is reached within seconds (~10 s when spent on macro calls)."""
CALL_STEPS = 5
MAX_CHARACTERS = 1_000_000_000
"""Characters built in total by one render, all intermediate texts counted."""
MAX_FORMAT_WIDTH = 10_000
"""Largest width or precision in a ``%`` format (``"%10000s"``)."""

_ITERATION_FILTER = "huibao_counted"
"""The filter the code generator wraps around every ``{% for %}`` iterable to count iterations."""


class SandboxError(SecurityError):
    """A template tried something the sandbox does not allow; the message is for its maintainer."""


class FilterInputError(jinja2.TemplateRuntimeError):
    """A huibao filter was given a value it does not accept (a template mistake, not a bug)."""


_TEXT_METHODS = frozenset(
    {
        "count",
        "endswith",
        "find",
        "isalnum",
        "isalpha",
        "isdecimal",
        "isdigit",
        "isnumeric",
        "isspace",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "rfind",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "upper",
    }
)
"""str methods whose result is no larger than the text; padding, ``join`` and ``format`` are out."""

_ALLOWED_ATTRIBUTES: dict[type, frozenset[str]] = {
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
    str: _TEXT_METHODS,
    Markup: _TEXT_METHODS,
    dt.date: frozenset({"day", "isoformat", "isoweekday", "month", "weekday", "year"}),
    LoopContext: frozenset(
        {
            "changed",
            "cycle",
            "depth",
            "depth0",
            "first",
            "index",
            "index0",
            "last",
            "length",
            "nextitem",
            "previtem",
            "revindex",
            "revindex0",
        }
    ),
}
"""Exactly which attributes templates may read, by exact type (a subclass gets nothing)."""
_SAFE_ATTRIBUTES: dict[tuple[type, str], bool] = {}
"""``is_safe_attribute``'s answers for the types above, by (type, name)."""

_DICT_ATTRIBUTES = frozenset(dir(dict))
_PLAIN_TYPES = (dict, list, tuple, str, int, float, Decimal, dt.date, bool, type(None))


def plain_data(value: Any) -> Any:
    """A copy of ``value`` made only of the plain types templates may see; anything else is a bug.

    ``model_dump()`` already gives plain data; checking here means a schema change can never hand
    a template a live object.
    """
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(item) for item in value]
    if type(value) in _PLAIN_TYPES or isinstance(value, dt.date):
        return value
    raise TypeError(f"not plain template data: {type(value).__name__}")


class _Budget:
    """What one render may still spend: steps (iterations, calls, filters) and characters."""

    def __init__(self) -> None:
        self.steps = 0
        self.characters = 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise SandboxError(
                f"模板的运算超过 {MAX_STEPS:,} 步（循环、调用和过滤器的次数）："
                "可能是循环嵌套过多，或宏在反复调用自己"
            )

    def build(self, characters: int) -> None:
        self.characters += characters
        if self.characters > MAX_CHARACTERS:
            raise SandboxError(
                f"模板累计生成的文字超过 {MAX_CHARACTERS:,} 字：可能是循环在反复拼接长文字"
            )


def _text_limit(what: str) -> SandboxError:
    return SandboxError(f"{what}超过 {MAX_TEXT:,} 字，远超任何实际报告，已停止生成")


class _CountedCodeGenerator(CodeGenerator):
    """Compiles templates so that loops count their iterations and ``~`` checks its size.

    Every ``{% for %}`` iterable is wrapped in the ``huibao_counted`` filter before Jinja
    gathers the filters a template uses; ``~`` goes through :meth:`ReportEnvironment.concat_checked`.
    """

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:  # noqa: N802
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Filter(
                loop.iter, _ITERATION_FILTER, [], [], None, None, lineno=loop.lineno
            )
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.concat_checked({join}, (")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class _ChineseUndefined(jinja2.StrictUndefined):
    """``StrictUndefined`` whose message is Chinese and suggests the nearest existing key."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        name = self._undefined_name
        if self._undefined_obj is missing:
            return f"变量“{name}”没有定义"
        if not isinstance(name, str):
            return f"列表中没有第 {name} 项（从 0 数起）"
        text = f"没有“{name}”这一项"
        if isinstance(self._undefined_obj, Mapping):
            keys = [str(key) for key in self._undefined_obj]
            close = difflib.get_close_matches(name, keys, n=1)
            if close:
                text += f"，是否应为“{close[0]}”？"
            elif keys:
                text += f"（这里有：{'、'.join(keys[:12])}）"
        return text


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The sandboxed environment of huibao's templates; see the module docstring for the rules."""

    code_generator_class = _CountedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(undefined=_ChineseUndefined, finalize=self._finalize, **options)
        self.budget = _Budget()
        self.globals.clear()
        self.globals.update(range=bounded_range, namespace=Namespace)
        self._callable_globals: tuple[object, ...] = (bounded_range, Namespace)
        self.filters = {name: self._guarded_filter(name, f) for name, f in self.filters.items()}
        self.filters[_ITERATION_FILTER] = self._counted

    def add_filter(self, name: str, function: Callable[..., Any]) -> None:
        """Register a filter; it runs under the same checks as Jinja's own."""
        self.filters[name] = self._guarded_filter(name, function)

    # --- one render --------------------------------------------------------------------------

    def render_bounded(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render with a fresh budget, stopping as soon as the text passes ``MAX_TEXT``."""
        self.budget = _Budget()
        pieces: list[str] = []
        size = 0
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_TEXT:
                raise _text_limit("生成的文档")
            pieces.append(piece)
        return "".join(pieces)

    # --- what templates may read and call ------------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        allowed = _ALLOWED_ATTRIBUTES.get(kind)
        if allowed is not None:
            # for these exact types Jinja's own answer depends on the type and the name only
            key = (kind, attr)
            safe = _SAFE_ATTRIBUTES.get(key)
            if safe is None:
                safe = attr in allowed and super().is_safe_attribute(obj, attr, value)
                _SAFE_ATTRIBUTES[key] = safe
            return safe
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return isinstance(obj, (Namespace, TemplateModule))  # stored by the template, its macros

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``report.year``: a key of the plain data, found without the ``AttributeError`` that
        Jinja's way (the attribute first, then the key) raises for every such lookup. A name of
        a ``dict`` method (``items``, ``keys``) still goes Jinja's way, which prefers the method."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, (Macro, BlockReference, LoopContext)):
            return True
        if any(obj is exposed for exposed in self._callable_globals):
            return True
        if isinstance(obj, (MethodType, BuiltinMethodType)):
            owner = getattr(obj, "__self__", None)
            return getattr(obj, "__name__", "") in _ALLOWED_ATTRIBUTES.get(type(owner), ())
        return False

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        """Refuse at once (Jinja returns an undefined that fails only when used, and a list of
        them prints as ``[Undefined]``)."""
        raise SandboxError(
            f"模板不能访问“{attribute}”：模板只能读取报告数据，不能使用程序内部的对象"
        )

    def wrap_str_format(self, value: Any) -> None:
        """``str.format`` is never handed out (its ``{0.attr}`` fields reach attributes)."""
        return None

    def call(
        __self,  # noqa: N805 (Jinja's signature: a template may pass "self" as a keyword)
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        __self.budget.step(CALL_STEPS)
        if not __self.is_safe_callable(__obj):
            raise SandboxError("模板调用了不允许调用的对象：模板只能调用宏和文字、列表的常用方法")
        if isinstance(__obj, LoopContext) and args:
            args = (__self._counted(args[0]), *args[1:])  # a recursive loop's next level
        return __self._checked_size(__context.call(__obj, *args, **kwargs), "调用的结果")

    # --- bounded operations ----------------------------------------------------------------

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "+" and _is_sized(left) and _is_sized(right):
            _check_length(len(left) + len(right), left)
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
            self._check_text_size(_printf_arguments(right), "格式化的内容")
        result = self.binop_table[operator](left, right)
        if _is_number(result) and abs(Decimal(result)) > MAX_NUMBER:
            raise SandboxError("运算结果的数值过大（超过 10 的 40 次方），远超任何实际报告")
        return self._checked_size(result, "运算结果")

    def concat_checked(self, join: Callable[[Iterable[Any]], str], values: tuple[Any, ...]) -> str:
        """``a ~ b``: refuse before building a text longer than ``MAX_TEXT``."""
        self._check_text_size(values, "用 ~ 拼接的文字")
        return join(values)

    def concat(self, pieces: Iterable[str]) -> str:
        """Join the output of a macro, a ``{% set %}`` block or a template, bounded."""
        collected = list(pieces)
        size = sum(len(piece) for piece in collected)
        if size > MAX_TEXT:
            raise _text_limit("宏或模板生成的文字")
        self.budget.build(size)
        return "".join(collected)

    def _finalize(self, value: Any) -> Any:
        """Every ``{{ … }}``: refuse to turn a huge list into text."""
        self._check_text_size(value, "输出的内容")
        return value

    def _counted(self, iterable: Any) -> Iterator[Any]:
        """Iterate, spending one step per item (every ``{% for %}`` loop goes through here)."""
        if isinstance(iterable, jinja2.Undefined):
            iterable.__iter__()  # StrictUndefined: the usual “not defined” error
        step = self.budget.step
        for item in iterable:
            step()
            yield item

    # --- filters -----------------------------------------------------------------------------

    def _guarded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` with a step spent, its amplifying arguments checked and its result bounded."""
        check = _FILTER_CHECKS.get(name)
        signature = _signature(function) if check else None
        stringifies = name in _STRINGIFYING_FILTERS
        value_index = 1 if getattr(function, "jinja_pass_arg", None) else 0

        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.budget.step()
            if stringifies and len(args) > value_index:
                self._check_text_size(args[value_index], f"过滤器 {name} 的输入")
            if check is not None and signature is not None:
                try:
                    bound = signature.bind(*args, **kwargs)
                except TypeError:
                    pass  # the filter itself reports wrong arguments
                else:
                    bound.apply_defaults()
                    args, kwargs = check(self, name, bound)
            return self._checked_size(function(*args, **kwargs), f"过滤器 {name} 的结果")

        return guarded

    # --- sizes -------------------------------------------------------------------------------

    def _check_text_size(self, value: Any, what: str) -> None:
        """Refuse ``value`` if writing it out as text would pass ``MAX_TEXT`` characters."""
        if _text_size(value, self.budget) > MAX_TEXT:
            raise _text_limit(what)

    def _checked_size(self, value: Any, what: str) -> Any:
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise _text_limit(what)
            self.budget.build(len(value))
        elif isinstance(value, (list, tuple)) and len(value) > MAX_ITEMS:
            raise SandboxError(f"{what}超过 {MAX_ITEMS:,} 项，远超任何实际报告")
        return value


def bounded_range(*args: int) -> range:
    """``range`` for templates: at most ``MAX_RANGE`` numbers (loops over it are counted anyway)."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SandboxError(f"range() 最多产生 {MAX_RANGE:,} 个数，这里是 {len(numbers):,} 个")
    return numbers


def _signature(function: Callable[..., Any]) -> inspect.Signature | None:
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _is_sized(value: Any) -> bool:
    return isinstance(value, (str, list, tuple))


def _check_length(length: int, sample: Any) -> None:
    if isinstance(sample, str):
        if length > MAX_TEXT:
            raise _text_limit("运算得到的文字")
    elif length > MAX_ITEMS:
        raise SandboxError(f"运算得到的列表超过 {MAX_ITEMS:,} 项，远超任何实际报告")


def _check_repeat(sequence: Any, times: Any) -> None:
    if _is_sized(sequence) and isinstance(times, int):
        _check_length(len(sequence) * max(times, 0), sequence)


def _check_power(base: Any, exponent: Any) -> None:
    """Refuse ``base ** exponent`` whose result would pass ``MAX_NUMBER``, before computing it."""
    if not _is_number(base) or not _is_number(exponent):
        return
    base, exponent = abs(Decimal(base)), Decimal(exponent)
    if base <= 1 or exponent <= 0:
        return
    digits = base.log10() * exponent
    if digits > 40:
        raise SandboxError("乘方的结果过大（超过 10 的 40 次方），远超任何实际报告")


_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_printf(template: str, arguments: Any) -> None:
    """Refuse a ``%`` format with a width or precision past ``MAX_FORMAT_WIDTH``."""
    stars = [value for value in _printf_arguments(arguments) if isinstance(value, int)]
    for match in _PRINTF_FIELD.finditer(template):
        for width in match.groups():
            if width is None:
                continue
            number = max(stars, default=0) if width == "*" else int(width)
            if number > MAX_FORMAT_WIDTH:
                raise SandboxError(f"格式中的宽度或精度 {number} 过大（最多 {MAX_FORMAT_WIDTH}）")


def _printf_arguments(arguments: Any) -> tuple[Any, ...]:
    if isinstance(arguments, tuple):
        return arguments
    if isinstance(arguments, Mapping):
        return tuple(arguments.values())
    return (arguments,)


def _text_size(value: Any, budget: _Budget) -> int:
    """About how many characters ``str(value)`` has, counted only until it passes ``MAX_TEXT``.

    Containers are walked (a list's text holds its items' texts); every item visited is a step.
    """
    if isinstance(value, str):  # what nearly every ``{{ … }}`` prints
        budget.step()
        return len(value) + 4
    size = 0
    pending = [value]
    while pending and size <= MAX_TEXT:
        item = pending.pop()
        budget.step()
        if isinstance(item, str):
            size += len(item) + 4
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            pending.extend(item)
            size += 2
        elif isinstance(item, Namespace):
            pending.append(object.__getattribute__(item, "_Namespace__attrs"))
        elif isinstance(item, int) and not isinstance(item, bool):
            size += item.bit_length() // 3 + 2
        else:
            size += 32
    return size


# --- checks of filters that can amplify their input ------------------------------------------

_FilterCheck = Callable[
    [ReportEnvironment, str, inspect.BoundArguments], tuple[tuple[Any, ...], dict[str, Any]]
]

_STRINGIFYING_FILTERS = frozenset(
    {
        "capitalize",
        "center",
        "e",
        "escape",
        "forceescape",
        "format",
        "indent",
        "lower",
        "pprint",
        "replace",
        "safe",
        "string",
        "striptags",
        "title",
        "tojson",
        "trim",
        "truncate",
        "upper",
        "urlencode",
        "urlize",
        "wordcount",
        "wordwrap",
        "xmlattr",
    }
)


def _refuse_over(number: Any, limit: int, what: str) -> None:
    if isinstance(number, int) and number > limit:
        raise SandboxError(f"{what} {number:,} 过大（最多 {limit:,}）")


def _check_center(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    _refuse_over(bound.arguments.get("width"), MAX_FORMAT_WIDTH, f"过滤器 {name} 的宽度")
    return bound.args, bound.kwargs


def _check_indent(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    text, width = bound.arguments.get("s"), bound.arguments.get("width")
    if isinstance(text, str):
        indent = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        _check_length(len(text) + indent * (text.count("\n") + 1), text)
    return bound.args, bound.kwargs


def _check_format(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    template = bound.arguments.get("value")
    arguments = bound.arguments.get("args") or bound.arguments.get("kwargs") or ()
    if isinstance(template, str):
        _check_printf(template, arguments)
    environment._check_text_size(arguments, f"过滤器 {name} 的参数")
    return bound.args, bound.kwargs


def _check_replace(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    text, old, new = (bound.arguments.get(key) for key in ("s", "old", "new"))
    count = bound.arguments.get("count")
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        found = len(text) + 1 if old == "" else text.count(old)
        if isinstance(count, int) and count >= 0:
            found = min(found, count)
        _check_length(len(text) + found * (len(new) - len(old)), text)
    return bound.args, bound.kwargs


def _check_join(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    value = bound.arguments.get("value")
    if isinstance(value, Iterable) and not isinstance(value, (str, jinja2.Undefined)):
        items = list(value)
        bound.arguments["value"] = items
        separator = bound.arguments.get("d")
        joints = len(separator) * len(items) if isinstance(separator, str) else 0
        if _text_size(items, environment.budget) + joints > MAX_TEXT:
            raise _text_limit(f"过滤器 {name} 的结果")
    return bound.args, bound.kwargs


def _check_batch(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    for key in ("linecount", "slices"):
        _refuse_over(bound.arguments.get(key), MAX_ITEMS, f"过滤器 {name} 的参数")
    return bound.args, bound.kwargs


def _check_tojson(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    _refuse_over(bound.arguments.get("indent"), 80, f"过滤器 {name} 的缩进")
    return bound.args, bound.kwargs


def _check_wordwrap(
    environment: ReportEnvironment, name: str, bound: inspect.BoundArguments
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    text, wrap = bound.arguments.get("s"), bound.arguments.get("wrapstring")
    if isinstance(text, str) and isinstance(wrap, str):
        _check_length(len(text) * (len(wrap) + 1), text)
    return bound.args, bound.kwargs


_FILTER_CHECKS: dict[str, _FilterCheck] = {
    "batch": _check_batch,
    "center": _check_center,
    "format": _check_format,
    "indent": _check_indent,
    "join": _check_join,
    "replace": _check_replace,
    "slice": _check_batch,
    "tojson": _check_tojson,
    "wordwrap": _check_wordwrap,
}
