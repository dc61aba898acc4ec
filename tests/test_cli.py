from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator import __version__
from schemas import KINDS
from tests.helpers import EXAMPLES, docx_paragraphs

RunCli = Callable[..., tuple[int, str, str]]


def test_version(run_cli: RunCli) -> None:
    assert run_cli("--version") == (0, f"huibao {__version__}\n", "")


def test_help_is_chinese(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0
    assert "GB/T 9704" in out and "生成报告" in out and "kinds" in out


def test_no_arguments_shows_help_as_usage_error(run_cli: RunCli) -> None:
    code, out, err = run_cli()
    assert code == 2
    assert "用法：huibao" in out + err and "Usage" not in out + err


def test_kinds_lists_each_kind_with_description(run_cli: RunCli) -> None:
    code, out, _ = run_cli("kinds")
    assert code == 0
    assert sorted(KINDS) == [
        "government-work-report",
        "performance-review",
        "progress-report",
        "rule-of-law-report",
        "task-progress",
        "work-summary",
    ]
    for kind in KINDS.values():
        assert kind.name in out and kind.label in out


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_new_and_schema_for_every_kind(run_cli: RunCli, tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"{kind}.yaml"
    assert run_cli("new", kind, "-o", str(target))[0] == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["kind"] == kind
    code, out, _ = run_cli("schema", kind)
    assert code == 0 and json.loads(out)["properties"]["kind"]["const"] == kind


def test_build_writes_docx_beside_input(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "2020.yaml"
    source.write_bytes((EXAMPLES / "work-summary.yaml").read_bytes())
    code, out, err = run_cli("build", str(source))
    assert code == 0
    # only the warnings of huibao check on the example (listed in tests/test_check_examples.py)
    assert all(line.startswith(("警告：", "    提示：")) for line in err.splitlines()), err
    assert "已生成" in out and "2020.docx" in out
    paragraphs = docx_paragraphs(tmp_path / "2020.docx")
    assert paragraphs[0] == ("Title", "嘉兴市住房和城乡建设局2020年工作总结")


def test_build_with_output_option(run_cli: RunCli, tmp_path: Path) -> None:
    output = tmp_path / "交付" / "报告.docx"
    output.parent.mkdir()
    code, _, _ = run_cli("build", str(EXAMPLES / "work-summary.yaml"), "-o", str(output))
    assert code == 0 and output.is_file()


def test_bad_input_exit_1_with_location_and_no_output(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "2020.yaml"
    text = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("theme:", "them:", 1), encoding="utf-8")
    code, out, err = run_cli("build", str(source))
    assert code == 1
    assert out == ""
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "theme:" in row)
    assert f"2020.yaml:{line}:5" in err
    assert "无法识别的字段“them”" in err and "是否想写“theme”" in err
    assert "Traceback" not in err
    assert not (tmp_path / "2020.docx").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("build", "missing.yaml"), "文件不存在"),
        (("validate", "missing.yaml"), "文件不存在"),
        (("build", "{folder}"), "这是一个文件夹"),
        (("build", "{example}", "-o", "{folder}/no/such/x.docx"), "输出文件夹不存在"),
        (("build", "{example}", "-o", "{folder}/x.pdf"), "应以 .docx 结尾"),
        (("build", "{example}", "--templates", "{folder}/none"), "模板文件夹不存在"),
    ],
)
def test_unusable_paths_exit_1(
    run_cli: RunCli, tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    filled = [arg.format(folder=tmp_path, example=EXAMPLES / "work-summary.yaml") for arg in args]
    code, _, err = run_cli(*filled)
    assert code == 1
    assert expected in err and "Traceback" not in err


def test_validate_ok(run_cli: RunCli) -> None:
    code, out, _ = run_cli("validate", str(EXAMPLES / "work-summary.yaml"))
    assert code == 0 and "检查通过" in out


def test_new_writes_commented_skeleton_and_schema(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("new", "work-summary")
    assert code == 0 and "work-summary.yaml" in out
    skeleton = (tmp_path / "work-summary.yaml").read_text(encoding="utf-8")
    assert skeleton.startswith("# yaml-language-server: $schema=work-summary.schema.json\n")
    assert "# 发文机关全称" in skeleton and "（必填）" in skeleton
    data = yaml.safe_load(skeleton)
    assert data["kind"] == "work-summary"
    assert {"title", "org", "year", "sections", "opening", "signature"} <= set(data)
    schema = json.loads((tmp_path / "work-summary.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["org"]["description"].startswith("发文机关全称")

    # the blank skeleton is refused with one message per field to fill, each with its line
    code, _, err = run_cli("build", "work-summary.yaml")
    assert code == 1
    assert (
        "work-summary.yaml:" in err
        and "标题：这里不能为空" in err
        and "发文机关：这里不能为空" in err
    )

    # a second `new` does not overwrite the staff member's file
    code, _, err = run_cli("new", "work-summary")
    assert code == 1 and "文件已存在" in err


def test_filled_skeleton_builds(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    assert run_cli("new", "work-summary", "-o", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    filled = (
        text.replace("\ntitle:\n", "\ntitle: 某局2024年工作总结\n")
        .replace("\norg:\n", "\norg: 某局\n")
        .replace("\nyear:\n", "\nyear: 2024\n")
        .replace("  - heading:\n", "  - heading: 主要工作\n", 1)
    )
    target.write_text(filled, encoding="utf-8")
    code, _, err = run_cli("build", str(target))
    assert (code, err) == (0, "")
    assert docx_paragraphs(tmp_path / "mine.docx")[1] == ("Heading 1", "一、主要工作")


def test_schema_to_stdout_and_file(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, _ = run_cli("schema", "work-summary")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "汇报输入文件：年度工作总结"
    assert "Section" in schema["$defs"]
    code, _, _ = run_cli("schema", "work-summary", "-o", str(tmp_path / "s.json"))
    assert code == 0 and json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == schema


@pytest.mark.parametrize("command", ["new", "schema"])
def test_unknown_kind_is_a_usage_error(run_cli: RunCli, command: str) -> None:
    code, _, err = run_cli(command, "annual-report")
    assert code == 2
    assert "不认识的报告类型“annual-report”" in err and "work-summary" in err


@pytest.mark.parametrize("args", [("--help",), ("build", "--help"), ("new", "-h")])
def test_help_option_line_is_chinese(run_cli: RunCli, args: tuple[str, ...]) -> None:
    code, out, _ = run_cli(*args)
    assert code == 0
    assert "显示本帮助后退出" in out and "Show this message" not in out


def test_build_prints_warnings_and_lenient_accepts_a_disagreeing_rate(
    run_cli: RunCli, tmp_path: Path
) -> None:
    source = tmp_path / "2024.yaml"
    source.write_text(
        "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"
        "figures:\n  道路里程: {value: 88, unit: 公里, target: 75}\n  桥梁: 3座\n"
        "sections:\n  - heading: 主要工作\n    text: 新增道路{道路里程}（完成率127%）。\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("build", str(source))
    assert code == 1 and "“完成率127%”" in err and "117.3%" in err
    assert not (tmp_path / "2024.docx").exists()
    code, out, err = run_cli("build", str(source), "--lenient")
    assert code == 0 and "已生成" in out
    assert err.count("警告：") == 2 and "指标“桥梁”：没有在正文中使用" in err


def test_form_for_an_outline_kind_holds_the_figures_only(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "指标.xlsx"
    code, out, _ = run_cli("form", "work-summary", "-o", str(target))
    assert code == 0 and "figures_from" in out and target.exists()
    code, _, err = run_cli("form", "work-summary", "-o", str(target))
    assert code == 1 and "文件已存在" in err
    code, _, err = run_cli("form", "task-progress", "-o", str(tmp_path / "x.docx"))
    assert code == 1 and ".xlsx" in err


def test_gb18030_yaml_builds_with_a_note(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "gbk.yaml"
    text = (EXAMPLES / "work-summary.yaml").read_text(encoding="utf-8")
    source.write_bytes(text.encode("gb18030"))
    code, out, err = run_cli("build", str(source))
    assert code == 0 and "已生成" in out
    assert "警告：gbk.yaml" in err and "GB18030" in err
