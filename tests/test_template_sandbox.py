"""A template from a ``--templates`` folder can run no code, exhaust nothing and crash nothing.

Every hostile template is built through the CLI (``huibao build x.yaml --templates dir``): it must
end with exit 1 and a Chinese “模板错误（file:line）…”, no traceback, no .docx. The code-running
payloads would create a marker file; each is first shown to create it when rendered by a plain,
unsandboxed Jinja with the context huibao used to pass (a live ``ReportKind`` as ``kind``), so
the test proves something.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from schemas import KINDS
from tests.helpers import EXAMPLES, build_file_tree, docx_text

RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "总结.yaml"
    shutil.copy(EXAMPLES / "work-summary.yaml", path)
    return path


def build_with(
    run_cli: RunCli, source: Path, template: str, extra: dict[str, str] | None = None
) -> tuple[int, str]:
    """Build ``source`` with ``template`` as the override work-summary/report.html.j2."""
    folder = source.parent / "模板"
    build_file_tree(folder, {"work-summary/report.html.j2": template, **(extra or {})})
    code, _, err = run_cli("build", str(source), "--templates", str(folder))
    return code, err


def english_words(message: str, *known: str) -> list[str]:
    """ASCII words left in a message once paths, quoted names and template tags are removed."""
    for text in known:
        message = message.replace(text, "")
    message = re.sub(r"“[^”]*”|\{%.*?%\}|\{\{.*?\}\}|（[^（）]*\.j2:\d+）", "", message)
    message = re.sub(
        r"（这里有：[^）]*）|过滤器 \w+|（None）", "", message
    )  # field and filter names
    return re.findall(r"[A-Za-z]{3,}", message)


def assert_template_error(code: int, err: str, source: Path, where: str = "report.html.j2") -> None:
    assert code == 1, err
    assert "Traceback" not in err and "Error" not in err, err
    assert err.startswith("错误：模板错误（"), err
    assert re.search(rf"{re.escape(where)}:\d+）", err), err
    assert english_words(err, str(source.parent / "模板")) == [], err
    assert not source.with_suffix(".docx").exists()


# --- templates cannot run code ----------------------------------------------------------------

CATCH_WARNINGS = (
    '{% for c in "".__class__.MRO[1].__subclasses__() %}'
    '{% if c.__name__ == "catch_warnings" %}'
    '{{ c()._module.__builtins__["__import__"]("os").system("touch MARKER") }}'
    "{% endif %}{% endfor %}"
)

CODE_RUNNING = {
    "a class and its subclasses": CATCH_WARNINGS.replace(".MRO", ".__mro__"),
    "mro()": CATCH_WARNINGS.replace(".MRO", ".mro()"),
    "a module": '{{ lipsum.__globals__["os"].system("touch MARKER") }}',
    "__globals__": '{{ cycler.__init__.__globals__.os.system("touch MARKER") }}',
    "__builtins__": (
        '{{ joiner.__init__.__globals__.__builtins__.__import__("os").system("touch MARKER") }}'
    ),
    "self": (
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os"
        '.system("touch MARKER") }}'
    ),
    "parse_raw": '{{ kind.model.parse_raw.__globals__["sys"].modules["os"].system("touch MARKER") }}',
    "model_validate": (
        '{{ kind.model.model_validate.__globals__["sys"].modules["os"].system("touch MARKER") }}'
    ),
    "|format": '{{ "%s"|format(cycler.__init__.__globals__.os.system("touch MARKER")) }}',
    "|attr": ('{{ ((cycler|attr("__init__"))|attr("__globals__"))["os"].system("touch MARKER") }}'),
    "map(attribute=)": (
        '{{ ([cycler]|map(attribute="__init__")|first).__globals__["os"].system("touch MARKER") }}'
    ),
}


def runs_without_sandbox(template: str, marker: Path) -> bool:
    """Whether ``template`` creates ``marker`` in plain Jinja with huibao's former context."""
    context = {"report": {"title": "甲"}, "kind": KINDS["work-summary"]}
    jinja2.Environment().from_string(template).render(context)
    created = marker.exists()
    marker.unlink(missing_ok=True)
    return created


@pytest.mark.parametrize("attack", CODE_RUNNING)
def test_a_template_cannot_run_code(
    run_cli: RunCli, source: Path, tmp_path: Path, attack: str
) -> None:
    marker = tmp_path / "marker"
    payload = CODE_RUNNING[attack].replace("MARKER", str(marker))
    assert runs_without_sandbox(payload, marker), "the payload must be a real one"
    code, err = build_with(run_cli, source, f"<p>{{{{ report.title }}}}</p>\n{payload}")
    assert_template_error(code, err, source)
    assert "report.html.j2:2）" in err
    assert not marker.exists()


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{{ report.__class__ }}", "模板不能访问“__class__”"),
        ("{{ report.title.__class__.__subclasses__ }}", "模板不能访问“__class__”"),
        ("{{ report.title.mro }}", "没有“mro”这一项"),
        ("{{ request.application.__globals__ }}", "变量“request”没有定义"),
        ("{{ config.__class__.__init__ }}", "模板不能访问“__class__”"),
        ("{{ lipsum.__globals__ }}", "变量“lipsum”没有定义"),
        ("{{ cycler.__init__.__globals__ }}", "模板不能访问“__init__”"),
        ("{{ range.__self__ }}", "没有“__self__”这一项"),
        ("{{ self._TemplateReference__context }}", "模板不能访问“_TemplateReference__context”"),
        ('{{ "{0.__class__}".format(report) }}', "模板不能访问“format”"),
        ('{{ "%s"|format(report.__class__) }}', "模板不能访问“__class__”"),
        ("{{ report|attr('__class__') }}", "模板不能访问“__class__”"),
        ("{{ [report]|map(attribute='__class__')|list }}", "模板不能访问“__class__”"),
        ("{{ kind.model }}", "没有“model”这一项"),
        ("{{ report.year.bit_length() }}", "模板不能访问“bit_length”"),
        ('{{ report.pop("title") }}', "模板不能访问“pop”"),
        ("{{ report.sections.append(1) }}", "模板不能访问“append”"),
        ("{{ report.date.replace(year=1) if report.date else namespace.__init__ }}", "不能访问"),
    ],
)
def test_a_template_sees_plain_data_only(
    run_cli: RunCli, source: Path, template: str, reason: str
) -> None:
    code, err = build_with(run_cli, source, f"<p>\n{template}</p>")
    assert_template_error(code, err, source)
    assert "report.html.j2:2）" in err and reason in err


@pytest.mark.parametrize(
    "statement",
    [
        '{% import "../../../../../../../../etc/passwd" as secrets %}{{ secrets }}',
        '{% include "/etc/passwd" %}',
        '{% include "../总结.yaml" %}',
        '{% extends "/etc/passwd" %}',
    ],
)
def test_a_template_cannot_read_files_outside_the_template_folders(
    run_cli: RunCli, source: Path, statement: str
) -> None:
    code, err = build_with(run_cli, source, f"<p>甲</p>\n{statement}")
    assert_template_error(code, err, source)
    assert "report.html.j2:2）" in err and "只能使用模板文件夹中的文件" in err
    assert "root:" not in err


def test_a_template_still_reads_the_report_and_its_kind(run_cli: RunCli, source: Path) -> None:
    template = (
        '<p class="Title">{{ report.title }}（{{ kind.label }}，{{ kind.name }}）</p>\n'
        "{% for section in report.sections %}<p>{{ loop.index|cn_number }}、"
        "{{ report.org|with_period }}{{ section.text|length }}</p>{% endfor %}\n"
        "{% set count = namespace(n=0) %}{% for key, value in report.items() %}"
        "{% set count.n = count.n + 1 %}{% endfor %}<p>{{ count.n }}{{ range(3)|list }}</p>\n"
        # a key is read as an attribute, but a dict method's name is the method, as in Jinja
        "{% set first = report.sections[0] %}<p>{{ first.text is sequence }}、"
        '{{ first.items is callable }}、{{ first["items"] is sequence }}、'
        "{{ first.no_such_key is defined }}</p>"
    )
    folder = source.parent / "模板"
    build_file_tree(folder, {"work-summary/report.html.j2": template})
    # This template leaves most of the report out: the completeness check would refuse it.
    from generator.pipeline import render_input, validate_input

    document = render_input(validate_input(source), folder)
    assert document.text.startswith(
        "嘉兴市住房和城乡建设局2020年工作总结（年度工作总结，work-summary）"
    )
    assert "一、嘉兴市住房和城乡建设局。" in document.text
    assert "True、True、True、False" in document.text


# --- resource abuse is a template error, not a hang -------------------------------------------

RESOURCE_ABUSE = {
    "a huge power": ("{{ 10 ** 10 ** 10 }}", "乘方的结果过大"),
    "a huge text": ('{{ "x" * 10**9 }}', "运算得到的文字超过 50,000,000 字"),
    "a huge list": ("{{ [0] * 10**8 }}", "运算得到的列表超过 1,000,000 项"),
    "gigabytes of output": (
        "{% for i in range(100000) %}{% for j in range(100000) %}"
        "<p>{{ report.title }}</p>{% endfor %}{% endfor %}",
        "生成的文档超过 50,000,000 字",
    ),
    "doubling a text": (
        '{% set ns = namespace(text="x") %}{% for i in range(64) %}'
        "{% set ns.text = ns.text ~ ns.text %}{% endfor %}{{ ns.text }}",
        "用 ~ 拼接的文字超过 50,000,000 字",
    ),
    "doubling in a macro": (
        "{% macro twice(text, n) %}{{ twice(text ~ text, n - 1) if n else text }}{% endmacro %}"
        '{{ twice("x", 64) }}',
        "用 ~ 拼接的文字超过 50,000,000 字",
    ),
    "loops doing nothing for hours": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "模板的运算超过 5,000,000 步",
    ),
    "a macro calling itself forever": (
        "{% macro forever() %}{{ forever() }}{% endmacro %}{{ forever() }}",
        "调用自己的层次太深",
    ),
    "a range too long": ("{{ range(10**9)|length }}", "range() 最多产生 100,000 个数"),
    "a padded format": ('{{ "%999999999s"|format(1) }}', "宽度或精度 999999999 过大"),
    "a centred text": ('{{ "x"|center(10**9) }}', "过滤器 center 的宽度"),
    "a replace that multiplies": ('{{ ("x" * 10**6)|replace("", "y" * 1000) }}', "超过"),
    "a join of a huge list": ('{{ (["x" * 10**7] * 1000)|join }}', "过滤器 join 的结果超过"),
    "printing a huge list": ('{{ ["x" * 10**7] * 1000 }}', "输出的内容超过"),
}


@pytest.mark.parametrize("abuse", RESOURCE_ABUSE)
def test_resource_abuse_is_a_template_error(run_cli: RunCli, source: Path, abuse: str) -> None:
    template, reason = RESOURCE_ABUSE[abuse]
    started = time.perf_counter()
    code, err = build_with(run_cli, source, f"<p>甲</p>\n{template}")
    assert time.perf_counter() - started < 30
    assert code == 1 and reason in err and "Traceback" not in err, err
    assert err.startswith("错误：模板错误（") and "提示：请模板维护人员检查该模板文件" in err
    assert not source.with_suffix(".docx").exists()


def test_the_limits_are_far_above_a_real_report() -> None:
    """The largest example renders in under 1 % of each budget."""
    from generator.pipeline import validate_input
    from generator.render import build_environment, render_report
    from generator.sandbox import MAX_CHARACTERS, MAX_STEPS, MAX_TEXT

    checked = validate_input(EXAMPLES / "task-progress.yaml")
    environment = build_environment()
    document = render_report(checked.report, checked.kind, environment)
    assert environment.budget.steps < MAX_STEPS / 100
    assert environment.budget.characters < MAX_CHARACTERS / 1000
    assert len(document.text) < MAX_TEXT / 1000


# --- runtime and syntax errors: file:line and a Chinese reason ----------------------------------

RUNTIME = {
    "division by zero": ("{{ 1 // 0 }}", "除数为零"),
    "text plus number": (
        '{{ "a" + 1 }}',
        "数据类型不符：文字不能与整数用 + 相加（拼接文字请用 ~）",
    ),
    "number minus text": ('{{ report.year - "1" }}', "数据类型不符：不能对整数和文字做“-”运算"),
    "comparing text and number": ("{{ report.title < 1 }}", "数据类型不符：不能比较文字和整数"),
    "a missing key": ('{{ report["没有这项"] }}', "没有“没有这项”这一项"),
    "a misspelt field": ("{{ report.titel }}", "没有“titel”这一项，是否应为“title”？"),
    "an item past the end": ("{{ report.sections[99] }}", "列表中没有第 99 项"),
    "an undefined variable": ("{{ 报告 }}", "变量“报告”没有定义"),
    "a loop over a number": ("{% for x in report.year %}{% endfor %}", "整数不能用于循环"),
    "a macro given too much": (
        "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}",
        "宏“m”最多接受 1 个参数",
    ),
    "a huibao filter misused": ("{{ report.title|cn_number }}", "过滤器 cn_number 只能用于"),
    "cn_date of nothing": ("{{ none|cn_date }}", "过滤器 cn_date 只能用于日期，这里是空值（None）"),
    "a filter that does not exist": ("{% if 1 %}{{ 1|nofilter }}{% endif %}", "没有名为“nofilter”"),
    "recursion": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "层次太深"),
}


@pytest.mark.parametrize("case", RUNTIME)
def test_a_runtime_error_names_the_template_line(run_cli: RunCli, source: Path, case: str) -> None:
    template, reason = RUNTIME[case]
    code, err = build_with(
        run_cli, source, f'<p class="Title">{{{{ report.title }}}}</p>\n\n{template}'
    )
    assert_template_error(code, err, source)
    assert "report.html.j2:3）" in err and reason in err, err


def test_an_error_in_an_imported_macro_names_that_file(run_cli: RunCli, source: Path) -> None:
    macros = "{% macro title(text) %}\n<p>{{ text }}</p>\n<p>{{ text / 2 }}</p>\n{% endmacro %}\n"
    code, err = build_with(
        run_cli,
        source,
        '{% import "_mine.html.j2" as mine %}\n{{ mine.title(report.title) }}',
        {"_mine.html.j2": macros},
    )
    assert_template_error(code, err, source, where="_mine.html.j2")
    assert "_mine.html.j2:3）" in err and "不能对文字和整数做“/”运算" in err


SYNTAX = {
    "an empty if": ("{% if %}", "这里缺少表达式"),
    "an unclosed for": ("{% for x in report.sections %}", "缺少 {% endfor %}"),
    "a wrong end tag": ("{% if 1 %}{% endfor %}", "前面的“{% if %}”还没有用 {% endif %} 结束"),
    "an unknown tag": ("{% foreach x %}", "不认识的标签“{% foreach %}”"),
    "an unclosed print": ("{{ report.title", "{{ }} 或 {% %} 没有闭合"),
    "a stray brace": ("{{ report.title }", "这里不应出现“}”"),
    "an unknown filter": ("{{ report.title|shout }}", "没有名为“shout”的过滤器"),
    "an unclosed comment": ("{# 注释", "注释的 {# 没有用 #} 结束"),
    "an unclosed quote": ("{{ 'abc }}", "不能识别的字符“'”（引号没有配对？）"),
    "two names": ("{{ report title }}", "这里应是“}}”，却是“title”"),
    "an unclosed parenthesis": ("{{ (1 }}", "应为“)”"),
}


@pytest.mark.parametrize("case", SYNTAX)
def test_a_syntax_error_is_in_chinese(run_cli: RunCli, source: Path, case: str) -> None:
    template, reason = SYNTAX[case]
    code, err = build_with(run_cli, source, f"<p>甲</p>\n<p>乙</p>\n{template}")
    assert_template_error(code, err, source)
    assert "report.html.j2:3）：模板语法错误：" in err and reason in err, err


def test_a_report_built_with_the_built_in_templates_is_unchanged(
    run_cli: RunCli, source: Path
) -> None:
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    assert docx_text(source.with_suffix(".docx")).startswith("嘉兴市住房和城乡建设局2020年工作总结")


def test_a_template_saved_in_gbk(run_cli: RunCli, source: Path) -> None:
    folder = source.parent / "模板"
    build_file_tree(folder, {"work-summary/report.html.j2": "<p>中文</p>".encode("gbk")})
    code, _, err = run_cli("build", str(source), "--templates", str(folder))
    assert code == 1 and "Traceback" not in err, err
    assert "work-summary/report.html.j2）：模板文件不是 UTF-8 编码" in err
