"""Stage 4: render a validated report through its kind's Jinja template into the document model.

One function builds the environment: sandboxed (templates get plain data and can run no code, see
``generator/sandbox.py``), ``StrictUndefined`` (a misspelt variable is an error, not an empty
string) and autoescape (input text can never add markup). A user's override folder is searched
before the built-in templates.

Whatever goes wrong inside a template (syntax, a missing variable, ``1 // 0``, a macro calling
itself forever, a sandbox refusal) becomes a ``TemplateError`` naming the template file and line,
with the reason in Chinese.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import decimal
import hashlib
import re
import sys
import traceback
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
import jinja2.bccache
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from generator import __version__
from generator import sandbox as sandbox_module
from generator.document import Document, parse_html
from generator.errors import TemplateError
from generator.kinds import REFERENCE_DOCX, builtin_templates_dir
from generator.numbering import chinese_date, chinese_number
from generator.sandbox import FilterInputError, ReportEnvironment, SandboxError, plain_data
from schemas import ReportBase, ReportKind

TEMPLATE_NAME = "report.html.j2"
_CLOSING_MARKS = tuple("。！？；：…")


def with_period(text: str) -> str:
    """A run-in heading ends with 。 unless the text already ends with closing punctuation."""
    return text if text.endswith(_CLOSING_MARKS) else text + "。"


def with_colon(text: str) -> str:
    """A colon-led point (``稳投资、促消费：``) ends with ： unless it already ends with punctuation."""
    return text if text.endswith(_CLOSING_MARKS) else text + "："


def lines(text: str) -> Markup:
    """A text whose line breaks print as line breaks (a title, a table cell): each line escaped,
    ``<br>`` between them."""
    return Markup("<br>").join(text.splitlines())


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10_000


_OWN_FILTER_CODE: set[CodeType] = set()


def own_filter(
    function: Callable[[Any], str], accepts: Callable[[Any], bool], requirement: str, name: str
) -> Callable[[Any], str]:
    """One of huibao's filters, guarded so that a template's misuse is a clear template error.

    The guard checks the value first (``requirement`` says in Chinese what is accepted). A value
    that passes but still makes ``function`` fail is a bug in huibao, not in the template:
    ``render_report`` recognises such failures by ``function``'s code in the traceback and lets
    them keep their traceback.
    """
    _OWN_FILTER_CODE.add(function.__code__)

    def guarded(value: Any) -> str:
        if not accepts(value):
            shown = "空值（None）" if value is None else f"“{str(value)[:40]}”"
            raise FilterInputError(f"过滤器 {name} 只能用于{requirement}，这里是{shown}")
        return function(value)

    guarded.__name__ = name
    return guarded


def build_environment(override_dir: Path | None = None) -> ReportEnvironment:
    """The one Jinja environment huibao renders with; filters are registered here and only here."""
    search_path = [str(override_dir)] if override_dir else []
    search_path.append(str(builtin_templates_dir()))
    environment = ReportEnvironment(
        loader=jinja2.FileSystemLoader(search_path),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        bytecode_cache=_compiled_templates(),
    )
    for name, function, accepts, requirement in (
        ("cn_number", chinese_number, _is_number, " 1 到 9999 的整数"),
        ("cn_date", chinese_date, lambda value: isinstance(value, dt.date), "日期"),
        ("with_period", with_period, lambda value: isinstance(value, str), "文字"),
        ("with_colon", with_colon, lambda value: isinstance(value, str), "文字"),
        ("lines", lines, lambda value: isinstance(value, str), "文字"),
    ):
        environment.add_filter(name, own_filter(function, accepts, requirement, name))
    return environment


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by an earlier run, kept on disk (a tenth of a single build's time).

    Jinja's own per-user cache folder (created private to the user, refused if anyone else owns
    it or may write to it), with huibao's own file names. An entry is used only for the same
    template file with the same text (Jinja's checksum), compiled by the same huibao, Jinja and
    Python (``_code_fingerprint``): the code the sandbox generates is part of the key. The cache
    is an optimization only: when the folder cannot be made or read or written, templates are
    compiled as they would be without it.
    """

    def __init__(self, fingerprint: str) -> None:
        super().__init__(pattern="huibao-%s.cache")
        self.fingerprint = fingerprint

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = f"{self.fingerprint}|{name}|{filename or ''}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@lru_cache(maxsize=1)
def _compiled_templates() -> _CompiledTemplates | None:
    try:
        return _CompiledTemplates(_code_fingerprint())
    except (OSError, RuntimeError):  # no private cache folder to be had: compile every time
        return None


def _code_fingerprint() -> str:
    """What the compiled code of a template depends on besides its text: the versions of
    huibao, Jinja and Python, and the source of the modules that configure Jinja and generate
    the sandbox's code (a changed huibao never runs code compiled by an older one)."""
    digest = hashlib.sha256(f"{__version__}|{jinja2.__version__}|{sys.version}".encode())
    for module in (sandbox_module, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def report_environment(override_dir: Path | None = None) -> ReportEnvironment:
    """The environment for ``override_dir``, built once per process and folder.

    Jinja keeps the templates it compiled in its environment, so reusing it compiles each template
    once per process instead of once per report (a third of a small report's time). Jinja checks
    each template file's modification time when it is used, so an edited template is compiled
    again. Callers that change the environment (tests adding a filter) use ``build_environment``.
    """
    if override_dir is None:
        return _environment_for(None, "")
    # keyed by the folder as given (messages name template files the way the user wrote the
    # folder) and, for a relative folder, by the working folder it is relative to
    working_folder = "" if override_dir.is_absolute() else str(Path.cwd())
    return _environment_for(str(override_dir), working_folder)


@lru_cache(maxsize=8)
def _environment_for(folder: str | None, working_folder: str) -> ReportEnvironment:
    return build_environment(Path(folder) if folder is not None else None)


def reference_docx(override_dir: Path | None = None) -> Path:
    """The reference .docx that holds the house style: the override folder's, else the built-in."""
    if override_dir and (override_dir / REFERENCE_DOCX).is_file():
        return override_dir / REFERENCE_DOCX
    return builtin_templates_dir() / REFERENCE_DOCX


_RUNTIME_ERRORS = (
    jinja2.TemplateError,
    RecursionError,
    ArithmeticError,
    TypeError,
    ValueError,
    LookupError,
    AttributeError,
    MemoryError,
)
"""What a template can cause at run time; any of these raised inside huibao's own filter code
(after its input passed the filter's check) is a bug instead."""


def render_report(report: ReportBase, kind: ReportKind, environment: ReportEnvironment) -> Document:
    """Render ``report`` with ``templates/<kind>/report.html.j2`` and parse it into a Document.

    The template sees plain data only: ``report`` (the validated report as dicts, lists, strings,
    numbers and dates) and ``kind`` (its ``name`` and ``label``).
    """
    name = f"{kind.name}/{TEMPLATE_NAME}"
    context: dict[str, Any] = {
        "report": plain_data(report.model_dump()),
        "kind": {"name": kind.name, "label": kind.label},
    }
    try:
        template = environment.get_template(name)
        html = environment.render_bounded(template, context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name or name}:{error.lineno}"
        raise TemplateError(location=where, reason=syntax_reason(error.message)) from None
    except jinja2.TemplateNotFound as error:
        frame = _template_frame(error, environment)
        if frame is None:
            raise TemplateError(location=name, reason=f"找不到模板文件 {error.name}") from None
        raise TemplateError(
            location=frame,
            reason=f"找不到要导入的模板“{error.name}”：{{% import %}}、{{% include %}} "
            "只能使用模板文件夹中的文件（不能用 .. 或以 / 开头的路径）",
        ) from None
    except UnicodeDecodeError as error:
        where = _file_being_loaded(error) or name
        raise TemplateError(
            location=where, reason="模板文件不是 UTF-8 编码，请在编辑器中以 UTF-8 另存"
        ) from None
    except OSError as error:
        where = str(error.filename) if error.filename else name
        raise TemplateError(
            location=where, reason="无法读取模板文件（权限不足，或它不是普通文件）"
        ) from None
    except _RUNTIME_ERRORS as error:
        if _raised_in_own_filter(error):
            raise
        where = _template_frame(error, environment) or name
        raise TemplateError(location=where, reason=runtime_reason(error)) from None
    return parse_html(html, source=name)


def _file_being_loaded(error: BaseException) -> str | None:
    """The template file a loader was reading when ``error`` was raised, if any."""
    for frame, _ in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_name == "get_source" and isinstance(frame.f_locals.get("filename"), str):
            return str(frame.f_locals["filename"])
    return None


def _raised_in_own_filter(error: BaseException) -> bool:
    frames = traceback.walk_tb(error.__traceback__)
    return any(frame.f_code in _OWN_FILTER_CODE for frame, _ in frames)


def _template_frame(error: BaseException, environment: jinja2.Environment) -> str | None:
    """``file:line`` of the innermost template frame in a rendering traceback, if any."""
    loader = environment.loader
    searchpath = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    folders = [Path(folder).resolve() for folder in searchpath]

    def in_templates(filename: str) -> bool:
        path = Path(filename).resolve()
        return filename.endswith(".j2") or any(path.is_relative_to(folder) for folder in folders)

    frames = [
        frame for frame in traceback.extract_tb(error.__traceback__) if in_templates(frame.filename)
    ]
    if not frames:
        return None
    return f"{frames[-1].filename}:{frames[-1].lineno}"


# --- Chinese reasons ---------------------------------------------------------------------------

_TOKENS = {
    "end of statement block": "%}",
    "end of print statement": "}}",
    "begin of statement block": "{%",
    "begin of print statement": "{{",
    "end of template": "模板末尾",
    "name": "名称",
    "integer": "整数",
    "float": "小数",
    "string": "带引号的文字",
}


def _token(text: str) -> str:
    return _TOKENS.get(text, text)


def _unclosed(match: re.Match[str]) -> str:
    block = match["block"]
    return f"“{{% {block} %}}”块到模板末尾还没有结束，缺少 {{% end{block} %}}"


def _misplaced(match: re.Match[str]) -> str:
    tag, block = match["tag"], match["block"]
    return f"这里出现了“{{% {tag} %}}”，但前面的“{{% {block} %}}”还没有用 {{% end{block} %}} 结束"


def _bad_char(match: re.Match[str]) -> str:
    try:
        char = str(ast.literal_eval(match["char"]))
    except (ValueError, SyntaxError):
        char = match["char"]
    text = f"不能识别的字符“{char}”"
    return text + "（引号没有配对？）" if char in "'\"" else text


def _unexpected(match: re.Match[str]) -> str:
    text = f"这里不应出现“{_token(match['got'])}”"
    if match["expected"]:
        text += f"，应为“{_token(match['expected'])}”"
    return text


_SYNTAX_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"Expected an expression, got '.*'"), lambda m: "这里缺少表达式（如变量名或数值）"),
    (
        re.compile(r"Unexpected end of template\..*innermost block .* is '(?P<block>\w+)'\.", re.S),
        _unclosed,
    ),
    (
        re.compile(
            r"Encountered unknown tag '(?P<tag>\w+)'\..*innermost block .* is '(?P<block>\w+)'\.",
            re.S,
        ),
        _misplaced,
    ),
    (
        re.compile(r"Encountered unknown tag '(?P<tag>\w+)'\.?"),
        lambda m: f"不认识的标签“{{% {m['tag']} %}}”（是否拼错，或缺少与它配对的开头？）",
    ),
    (
        re.compile(r"unexpected end of template.*", re.I | re.S),
        lambda m: "模板在这里意外结束：{{ }} 或 {% %} 没有闭合",
    ),
    (
        re.compile(r"expected token '(?P<expected>.+)', got '(?P<got>.+)'"),
        lambda m: f"这里应是“{_token(m['expected'])}”，却是“{_token(m['got'])}”",
    ),
    (re.compile(r"unexpected '(?P<got>.+?)'(?:, expected '(?P<expected>.+)')?"), _unexpected),
    (re.compile(r"unexpected char (?P<char>.+) at \d+"), _bad_char),
    (re.compile(r"No filter named '(?P<x>.+?)'.*"), lambda m: f"没有名为“{m['x']}”的过滤器"),
    (re.compile(r"No test named '(?P<x>.+?)'.*"), lambda m: f"没有名为“{m['x']}”的测试"),
    (re.compile(r"Missing end of comment tag"), lambda m: "注释的 {# 没有用 #} 结束"),
    (re.compile(r"block '(?P<x>.+)' defined twice"), lambda m: f"块“{m['x']}”定义了两次"),
]


def syntax_reason(message: str | None) -> str:
    """Jinja's English syntax message as a Chinese reason (the common ones; a Chinese lead else)."""
    for pattern, reason in _SYNTAX_REASONS:
        match = pattern.fullmatch(message or "")
        if match:
            return f"模板语法错误：{reason(match)}"
    return "模板语法错误：请检查这一行的 {{ }}、{% %} 是否成对，标签和过滤器的名称是否拼写正确"


_TYPE_NAMES = {
    "str": "文字",
    "Markup": "文字",
    "int": "整数",
    "float": "小数",
    "Decimal": "数值",
    "decimal.Decimal": "数值",
    "bool": "是/否",
    "NoneType": "空值（None）",
    "list": "列表",
    "tuple": "列表",
    "dict": "字典",
    "date": "日期",
    "datetime.date": "日期",
}


def _type_name(name: str) -> str:
    return _TYPE_NAMES.get(name, "其他对象")


_TYPE_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"unsupported operand type\(s\) for (?P<op>\S+): '(?P<a>[\w.]+)' and '(?P<b>[\w.]+)'"
        ),
        lambda m: f"不能对{_type_name(m['a'])}和{_type_name(m['b'])}做“{m['op']}”运算",
    ),
    (
        re.compile(r'can only concatenate (?P<a>\w+) \(not "(?P<b>\w+)"\) to \w+'),
        lambda m: f"{_type_name(m['a'])}不能与{_type_name(m['b'])}用 + 相加（拼接文字请用 ~）",
    ),
    (
        re.compile(
            r"'(?P<op>\S+)' not supported between instances of '(?P<a>\w+)' and '(?P<b>\w+)'"
        ),
        lambda m: f"不能比较{_type_name(m['a'])}和{_type_name(m['b'])}（“{m['op']}”）",
    ),
    (
        re.compile(r"can't multiply sequence by non-int of type '(?P<a>\w+)'"),
        lambda m: f"文字或列表只能乘以整数，这里乘的是{_type_name(m['a'])}",
    ),
    (
        re.compile(r"'(?P<a>\w+)' object is not iterable"),
        lambda m: f"{_type_name(m['a'])}不能用于循环",
    ),
    (
        re.compile(r"object of type '(?P<a>\w+)' has no len\(\)"),
        lambda m: f"{_type_name(m['a'])}没有长度",
    ),
    (
        re.compile(r"macro '(?P<x>\w+)' takes not more than (?P<n>\d+) argument.*"),
        lambda m: f"宏“{m['x']}”最多接受 {m['n']} 个参数",
    ),
    (
        re.compile(r"macro '(?P<x>\w+)' takes no keyword argument '(?P<k>\w+)'"),
        lambda m: f"宏“{m['x']}”没有名为“{m['k']}”的参数",
    ),
]

_HAN = re.compile(r"[\u4e00-\u9fff]")


def runtime_reason(error: BaseException) -> str:
    """A Chinese reason for an error raised while a template ran; Python's English never shows."""
    message = str(error)
    if isinstance(error, (SandboxError, FilterInputError)):
        return message
    if isinstance(error, jinja2.UndefinedError):
        return message if _HAN.search(message) else "用到了没有定义的变量或不存在的数据项"
    if isinstance(error, SecurityError):
        return "模板做了不允许的事：模板只能读取报告数据，不能使用程序内部的对象"
    if isinstance(error, RecursionError):
        return "宏（或递归循环）调用自己的层次太深：可能在无条件地调用自己，请检查它何时停止"
    if isinstance(error, ZeroDivisionError):
        return "除数为零"
    if isinstance(error, decimal.InvalidOperation):
        return "无效的数值运算（如 0 除以 0）"
    if isinstance(error, (OverflowError, decimal.Overflow)):
        return "数值超出了可以计算的范围"
    if isinstance(error, MemoryError):
        return "模板生成的内容过大，内存不足"
    if isinstance(error, TypeError):
        for pattern, reason in _TYPE_REASONS:
            match = pattern.fullmatch(message)
            if match:
                return f"数据类型不符：{reason(match)}"
        return "数据类型不符（例如把文字和数字相加、对文字做算术，或调用宏时参数不对）"
    if isinstance(error, LookupError):
        return "找不到要取的数据项"
    if isinstance(error, ValueError):
        return "数值或文字不符合要求（例如要查找的文字不存在）"
    if isinstance(error, jinja2.TemplateRuntimeError) and "non-namespace" in message:
        return "只能给 namespace() 创建的对象的属性赋值"
    for pattern, reason in _SYNTAX_REASONS:  # a filter or test name checked only at run time
        match = pattern.fullmatch(message)
        if match:
            return reason(match)
    return "模板运行时出错，请检查这一行"
