"""``huibao build`` over many inputs: files, folders and patterns, worker processes, the plain
and the terminal display, the summary, exit codes and ``--changed``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.render import report_environment
from tests.helpers import EXAMPLES, ROOT, docx_text

RunCli = Callable[..., tuple[int, str, str]]

SUMMARY = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
TASKS = (EXAMPLES / "task-progress.yaml").read_text(encoding="utf-8")
BROKEN = SUMMARY.replace("theme:", "them:", 1)
BROKEN_LINE = next(n for n, row in enumerate(BROKEN.splitlines(), 1) if "them:" in row)
SHORT = """\
kind: work-summary
title: 某局2024年工作总结
org: 某局
year: 2024
figures_from: 指标.csv
sections:
  - heading: 主要工作
    text: 完成投资{投资}。
"""
FIGURES = "名称,数值,单位\n投资,12,亿元\n"


def _folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _title(path: Path) -> str:
    return docx_text(path).splitlines()[0]


def _document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml")


def test_a_folder_with_good_and_bad_inputs_builds_the_good_and_names_the_bad(
    run_cli: RunCli, tmp_path: Path
) -> None:
    inputs = _folder(
        tmp_path / "2024",
        {
            "甲局.yaml": SUMMARY,
            "乙局.yaml": SUMMARY.replace("嘉兴市住房和城乡建设局2020年", "乙局2020年", 1),
            "丙局.yaml": BROKEN,
            "说明.txt": "不是输入文件",
        },
    )
    out = tmp_path / "报告"
    code, stdout, stderr = run_cli("build", str(inputs), "-o", str(out), "-j", "1")

    assert code == 1
    assert sorted(path.name for path in out.iterdir()) == ["乙局.docx", "甲局.docx"]
    assert _title(out / "甲局.docx") == "嘉兴市住房和城乡建设局2020年工作总结"
    assert _title(out / "乙局.docx") == "乙局2020年工作总结"
    # the bad one: its whole message, with file and line, in Chinese; no traceback
    assert "丙局.yaml 未生成" in stderr
    assert f"丙局.yaml:{BROKEN_LINE}:5" in stderr and "无法识别的字段“them”" in stderr
    assert "Traceback" not in stdout + stderr
    # one plain line per built report, then the summary with the first error of the bad one
    assert f"已生成 {out / '甲局.docx'}（年度工作总结" in stdout
    assert "汇总" in stdout and "失败" in stdout
    assert f"丙局.yaml:{BROKEN_LINE}:5  第1节：无法识别的字段“them”" in stdout
    assert "共 3 份：已生成 2 份，失败 1 份。" in stdout
    assert "\x1b[" not in stdout + stderr  # not a terminal: no colours, no progress bar


def test_several_files_and_a_pattern_beside_their_inputs(run_cli: RunCli, tmp_path: Path) -> None:
    _folder(tmp_path / "a", {"一.yaml": SUMMARY, "二.yaml": SUMMARY})
    _folder(tmp_path / "b", {"三.yaml": SUMMARY})
    code, stdout, _ = run_cli(
        "build", str(tmp_path / "a" / "*.yaml"), str(tmp_path / "b" / "三.yaml"), "-j", "1"
    )
    assert code == 0, stdout
    for built in ("a/一.docx", "a/二.docx", "b/三.docx"):
        assert (tmp_path / built).is_file()
    assert "共 3 份：已生成 3 份，失败 0 份。" in stdout


def test_a_pattern_that_matches_nothing_and_a_missing_file_fail_the_others_still_build(
    run_cli: RunCli, tmp_path: Path
) -> None:
    good = _folder(tmp_path, {"好.yaml": SUMMARY}) / "好.yaml"
    code, stdout, stderr = run_cli(
        "build", str(good), str(tmp_path / "*.xlsx"), str(tmp_path / "没有.yaml"), "-j", "1"
    )
    assert code == 1
    assert (tmp_path / "好.docx").is_file()
    assert "没有找到与之匹配的报告输入文件" in stderr
    assert "没有.yaml：文件不存在" in stderr
    assert "共 3 份：已生成 1 份，失败 2 份。" in stdout


def test_a_file_name_with_a_space_typed_without_quotes_is_explained(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _folder(tmp_path, {"我的 报告.yaml": SUMMARY})
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli("build", "我的", "报告.yaml")
    assert code == 1 and "文件名中有空格" in stderr and 'huibao build "我的 报告.yaml"' in stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["我的 报告.yaml"]


def test_two_workers_build_what_one_process_builds(run_cli: RunCli, tmp_path: Path) -> None:
    inputs = _folder(
        tmp_path / "in",
        {f"{index:02d}.yaml": SUMMARY for index in range(4)}
        | {"表.yaml": TASKS, "坏.yaml": BROKEN},
    )
    code_one, _, _ = run_cli("build", str(inputs), "-o", str(tmp_path / "one"), "-j", "1")
    code_two, stdout, stderr = run_cli("build", str(inputs), "-o", str(tmp_path / "two"), "-j", "2")
    assert code_one == code_two == 1
    built = sorted(path.name for path in (tmp_path / "one").iterdir())
    assert built == ["00.docx", "01.docx", "02.docx", "03.docx", "表.docx"]
    assert sorted(path.name for path in (tmp_path / "two").iterdir()) == built
    for name in built:
        assert _document_xml(tmp_path / "one" / name) == _document_xml(tmp_path / "two" / name)
    assert f"坏.yaml:{BROKEN_LINE}:5" in stderr and "Traceback" not in stderr
    assert "共 6 份：已生成 5 份，失败 1 份。" in stdout


def test_exit_codes(run_cli: RunCli, tmp_path: Path) -> None:
    inputs = _folder(tmp_path / "in", {"a.yaml": SUMMARY, "b.yaml": SUMMARY})
    assert run_cli("build", str(inputs), "-o", str(tmp_path / "out"), "-j", "1")[0] == 0
    (inputs / "c.yaml").write_text(BROKEN, encoding="utf-8")
    assert run_cli("build", str(inputs), "-o", str(tmp_path / "out"), "-j", "1")[0] == 1
    code, _, stderr = run_cli("build", str(inputs), "-j", "0")
    assert code == 2 and "Traceback" not in stderr


def test_output_must_be_a_folder_for_several_inputs(run_cli: RunCli, tmp_path: Path) -> None:
    inputs = _folder(tmp_path / "in", {"a.yaml": SUMMARY, "b.yaml": SUMMARY})
    (tmp_path / "a.docx").write_bytes(b"")
    for output in ("a.docx", "new.docx"):
        code, _, stderr = run_cli("build", str(inputs), "-o", str(tmp_path / output))
        assert code == 1 and "-o 应是文件夹" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "new.docx").exists()


def test_inputs_that_would_write_the_same_file_are_refused(run_cli: RunCli, tmp_path: Path) -> None:
    _folder(tmp_path / "a", {"总结.yaml": SUMMARY})
    _folder(tmp_path / "b", {"总结.yaml": SUMMARY})
    out = tmp_path / "out"
    code, _, stderr = run_cli(
        "build",
        str(tmp_path / "a" / "总结.yaml"),
        str(tmp_path / "b" / "总结.yaml"),
        "-o",
        str(out),
    )
    assert code == 1 and "生成同一个文件" in stderr and "改名" in stderr
    assert list(out.iterdir()) == []


def test_a_workbook_named_by_figures_from_is_not_built_as_a_report(
    run_cli: RunCli, tmp_path: Path
) -> None:
    inputs = _folder(tmp_path / "in", {"总结.yaml": SHORT, "指标.csv": FIGURES})
    code, stdout, stderr = run_cli("build", str(inputs), "-j", "1")
    assert code == 0, stderr
    assert "完成投资12亿元。" in docx_text(inputs / "总结.docx")
    assert not (inputs / "指标.docx").exists()
    assert "共 1 份：已生成 1 份" in stdout


def _age(path: Path, seconds_ago: float) -> None:
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def test_changed_skips_reports_newer_than_everything_they_are_built_from(
    run_cli: RunCli, tmp_path: Path
) -> None:
    inputs = _folder(tmp_path / "in", {"a.yaml": SUMMARY, "b.yaml": SHORT, "指标.csv": FIGURES})
    for path in inputs.iterdir():
        _age(path, 3600)
    templates = tmp_path / "templates"
    templates.mkdir()
    out = tmp_path / "out"
    arguments = ("build", str(inputs), "-o", str(out), "--templates", str(templates), "-j", "1")
    assert run_cli(*arguments, "--changed")[0] == 0
    assert sorted(path.name for path in out.iterdir()) == ["a.docx", "b.docx"]

    def built_again(*extra: str) -> list[str]:
        before = {path.name: path.stat().st_mtime_ns for path in out.iterdir()}
        assert run_cli(*arguments, *extra)[0] == 0
        return sorted(
            name for name, stamp in before.items() if (out / name).stat().st_mtime_ns != stamp
        )

    code, stdout, _ = run_cli(*arguments, "--changed")
    assert code == 0 and "未改动，跳过" in stdout and "未改动跳过 2 份" in stdout
    assert built_again("--changed") == []
    (inputs / "a.yaml").touch()  # the input changed
    assert built_again("--changed") == ["a.docx"]
    (inputs / "指标.csv").touch()  # b.yaml's figures_from file changed
    assert built_again("--changed") == ["b.docx"]
    reference = (ROOT / "templates" / "reference.docx").read_bytes()
    (templates / "reference.docx").write_bytes(reference)  # the reference document changed
    assert built_again("--changed") == ["a.docx", "b.docx"]
    assert built_again("--changed") == []
    template = ROOT / "templates" / "work-summary" / "report.html.j2"
    (templates / "work-summary").mkdir()
    (templates / "work-summary" / "report.html.j2").write_bytes(template.read_bytes())
    assert built_again("--changed") == ["a.docx", "b.docx"]  # a template changed
    assert built_again() == ["a.docx", "b.docx"]  # without --changed, everything is built


def test_changed_with_one_input(run_cli: RunCli, tmp_path: Path) -> None:
    source = _folder(tmp_path, {"a.yaml": SUMMARY}) / "a.yaml"
    _age(source, 3600)
    assert run_cli("build", str(source), "--changed")[0] == 0
    code, stdout, _ = run_cli("build", str(source), "--changed")
    assert code == 0 and "未改动，跳过" in stdout


def test_a_terminal_shows_a_progress_bar_and_the_summary(tmp_path: Path) -> None:
    """Run the real command on a pseudo-terminal, as staff see it."""
    pty = pytest.importorskip("pty")
    inputs = _folder(tmp_path / "in", {"a.yaml": SUMMARY, "b.yaml": BROKEN})
    command = [sys.executable, "-m", "generator", "build", str(inputs), "-o", str(tmp_path / "out")]
    leader, follower = pty.openpty()
    environment = {**os.environ, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"}
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=environment, cwd=ROOT
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 1
    text = shown.decode("utf-8", errors="replace")
    assert "生成报告" in text and "━" in text  # the bar
    assert "汇总" in text and "共 2 份：已生成 1 份，失败 1 份。" in text
    assert "b.yaml 未生成" in text and "Traceback" not in text
    assert (tmp_path / "out" / "a.docx").is_file()


def test_quiet_prints_plain_lines_even_on_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    inputs = _folder(tmp_path / "in", {"a.yaml": SUMMARY, "b.yaml": SUMMARY})
    command = [sys.executable, "-m", "generator", "build", str(inputs), "-q", "-j", "1"]
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=follower, stderr=follower, cwd=ROOT)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(timeout=120) == 0
    text = shown.decode("utf-8", errors="replace")
    assert "━" not in text
    assert sum(line.startswith("已生成 ") for line in text.splitlines()) == 2
    assert "共 2 份：已生成 2 份，失败 0 份。" in text


def test_the_environment_is_built_once_per_templates_folder(tmp_path: Path) -> None:
    assert report_environment() is report_environment()
    assert report_environment(tmp_path) is report_environment(tmp_path)
    assert report_environment(tmp_path) is not report_environment()
