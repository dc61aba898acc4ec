"""Every word staff see is Chinese: the command-line frame (help pages, usage errors)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchOption,
    UsageError,
)

from generator import __version__
from generator.cli_text import FRAME_TEXTS, translate
from tests.english import COMMANDS, english_words

RunCli = Callable[..., tuple[int, str, str]]


def test_checker_finds_english() -> None:
    assert english_words("Usage: huibao build [OPTIONS] INPUT") == ["Usage", "OPTIONS"]
    assert english_words("错误：没有 --bogus 这个选项", ("--bogus",)) == []
    assert english_words("Error: Missing argument 'INPUT'.") == ["Error", "Missing", "argument"]


HELP_PAGES = [("-h",), ("--help",), *((command, "-h") for command in COMMANDS)]


@pytest.mark.parametrize("args", HELP_PAGES, ids=" ".join)
def test_help_pages_are_chinese(run_cli: RunCli, args: tuple[str, ...]) -> None:
    code, out, err = run_cli(*args)
    assert (code, err) == (0, "")
    assert out.startswith("用法：huibao ")
    assert "显示本帮助后退出。" in out
    assert english_words(out) == [], out


def test_help_lists_required_argument_and_sections_in_chinese(run_cli: RunCli) -> None:
    _, out, _ = run_cli("build", "-h")
    assert "用法：huibao build [选项] {INPUT}..." in out
    assert "参数：" in out and "选项：" in out and "[必填]" in out
    assert "-o, --output <路径>" in out
    _, out, _ = run_cli("-h")
    assert "用法：huibao [选项] 命令 [参数]..." in out and "命令：" in out


def test_help_columns_line_up_by_display_width(run_cli: RunCli) -> None:
    """A Chinese character is two columns wide: the help texts start in one column."""
    from rich.cells import cell_len

    _, out, _ = run_cli("build", "-h")
    rows = [line for line in out.splitlines() if line.startswith("  -")]
    starts = {cell_len(re.sub(r"^(  \S.*?\S  +).*", r"\1", line)) for line in rows}
    assert len(starts) == 1, out
    # 78 columns, and a closing mark such as “。” may hang past the edge rather than start a line
    assert all(cell_len(line) <= 80 for line in out.splitlines()), out


def test_no_arguments_shows_the_help_page_with_exit_2(run_cli: RunCli) -> None:
    code, out, err = run_cli()
    assert code == 2
    assert (out + err).startswith("用法：huibao [选项] 命令 [参数]...")
    assert english_words(out + err) == []


# (command line, what the Chinese message must say)
USAGE_ERRORS: list[tuple[tuple[str, ...], str]] = [
    (("nosuch",), "没有“nosuch”这个命令。"),
    (("biuld", "x.yaml"), "没有“biuld”这个命令。是否想写“build”？"),
    (("--bogus",), "没有 --bogus 这个选项。"),
    (("-x",), "没有 -x 这个选项。"),
    (("build", "--bogus", "x.yaml"), "没有 --bogus 这个选项。"),
    (("build", "--lenent", "x.yaml"), "是否想写“--lenient”？"),
    (("build",), "缺少参数 INPUT"),
    (("validate",), "缺少参数 INPUT"),
    (("new",), "缺少参数 KIND"),
    (("form",), "缺少参数 KIND"),
    (("schema",), "缺少参数 KIND"),
    (("build", "x.yaml", "-o"), "选项 -o 后面缺少要填的内容"),
    (("form", "task-progress", "--output"), "选项 --output 后面缺少要填的内容"),
    (("validate", "我的", "报告.yaml"), "多出了参数“报告.yaml”"),
    (("kinds", "extra"), "多出了参数“extra”"),
    (("build", "--lenient=yes", "x.yaml"), "选项 --lenient 后面不能带内容"),
    (("--version=1",), "选项 --version 后面不能带内容"),
    (("new", "annual-report"), "不认识的报告类型“annual-report”"),
]


@pytest.mark.parametrize(
    ("args", "expected"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS]
)
def test_usage_errors_are_chinese_with_exit_2(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(*args)
    assert code == 2, err
    assert out == ""
    assert expected in err
    assert "Traceback" not in err
    assert english_words(err, args) == [], err
    assert list(tmp_path.iterdir()) == []


def test_usage_error_shows_the_usage_line_and_where_to_find_help(run_cli: RunCli) -> None:
    code, _, err = run_cli("build", "x.yaml", "-o")
    assert code == 2
    assert err.splitlines() == [
        "用法：huibao build [选项] {INPUT}...",
        "错误：选项 -o 后面缺少要填的内容。",
        "    提示：运行“huibao build -h”查看用法。",
    ]


def test_version(run_cli: RunCli) -> None:
    assert run_cli("--version") == (0, f"huibao {__version__}\n", "")
    assert run_cli("-V") == (0, f"huibao {__version__}\n", "")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            NoSuchOption("--x", possibilities=["--y", "--z"]),
            "没有 --x 这个选项。是否想写“--y”或“--z”？",
        ),
        (BadOptionUsage("-o", "Option '-o' requires 2 arguments."), "选项 -o 后面要写 2 项内容。"),
        (MissingParameter(param_type="option", param_hint="'--name'"), "缺少选项 --name。"),
        (MissingParameter(param_type="argument", param_hint="'INPUT'"), "缺少参数 INPUT"),
        (
            BadParameter("path 'a b' does not exist.", param_hint="'INPUT'"),
            "“INPUT”填写有误：路径“a b”不存在。",
        ),
        (
            BadParameter("file 'x' is a directory.", param_hint=["-o", "--output"]),
            "“-o” / “--output”填写有误：“x”是文件夹，这里应是文件。",
        ),
        (UsageError("Missing command."), "缺少命令"),
    ],
)
def test_every_kind_of_click_error_has_chinese(error: UsageError, expected: str) -> None:
    """Errors huibao's own options cannot cause today, made with click's own classes."""
    chinese = translate(error.format_message())
    assert chinese is not None and expected in chinese
    assert english_words(chinese, ("a b", "x")) == []


def test_every_chinese_text_of_the_table_is_chinese() -> None:
    for english, chinese in FRAME_TEXTS:
        placeholders = re.findall(r"\{\w+\}", english)
        assert sorted(re.findall(r"\{\w+\}", chinese)) == sorted(placeholders), english
        assert english_words(re.sub(r"\{\w+\}", "", chinese)) == [], chinese


def test_a_text_the_table_does_not_know_is_not_shown_in_english(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from generator.cli import _FrameError

    _FrameError(UsageError("Some wording a later click may bring.")).show()
    err = capsys.readouterr().err
    assert err == "错误：命令的写法有误。\n"
