"""No text lost or changed on the way in: YAML comments that swallow a sentence, line breaks that
would glue numbers together, cells whose numbering would be doubled, texts pushed over the limit by
their figures, lists too long to number. Each through the CLI, with real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from generator.errors import TemplateError
from generator.pipeline import build_report
from tests.helpers import ROOT, build_file_tree, docx_paragraphs, docx_text

RunCli = Callable[..., tuple[int, str, str]]
HEAD = "kind: work-summary\ntitle: 某局2024年工作总结\norg: 某局\nyear: 2024\n"


def _write(tmp_path: Path, text: str, name: str = "in.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- a comment after unquoted text ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("sections:\n  - heading: 主要工作\n    text: 1#楼已封顶，2 #楼完成主体结构\n", 7, 20),
        ("sections:\n  - heading: 主要工作 #一\n    text: 做了工作。\n", 6, 19),
        ("sections:\n  - heading: 主要工作\n    items:\n      - 一是做了 #什么\n", 8, 14),
        ("opening: 今年以来 # 我们\nsections:\n  - heading: 主要工作\n", 5, 15),
        (
            "figures:\n  里程:\n    value: 8\n    source: 市统计局 #2024\nsections:\n  - heading: 甲\n    text: '{里程}'\n",
            8,
            18,
        ),
    ],
)
def test_a_comment_that_swallows_text_is_an_error_at_the_hash(
    tmp_path: Path, run_cli: RunCli, body: str, line: int, column: int
) -> None:
    source = _write(tmp_path, HEAD + body)
    code, _, err = run_cli("build", str(source))
    assert code == 1
    assert f"in.yaml:{line}:{column}" in err and "被当作注释丢掉了" in err
    assert "引号" in err and "Traceback" not in err
    assert not (tmp_path / "in.docx").exists()


def test_comments_after_numbers_dates_choices_and_on_their_own_line_are_fine(
    tmp_path: Path, run_cli: RunCli
) -> None:
    text = (
        "kind: work-summary  # 报告类型\n"
        "title: 某局2024年工作总结\n"
        "org: 某局\n"
        "year: 2024  # 年度\n"
        "date: 2025-01-10 # 成文日期\n"
        "signature: true # 落款\n"
        "top_level: 一、 # 编号\n"
        "figures:\n"
        "  里程: 88公里  # 统计局数字\n"
        "sections:\n"
        "  # 第一部分\n"
        "  - heading: 主要工作\n"
        '    text: "新建道路{里程}，1#楼 #2楼"\n'
        "    run_in: 否  # 单独成行\n"
    )
    code, _, err = run_cli("build", str(_write(tmp_path, text)))
    assert code == 0, err
    assert "新建道路88公里，1#楼 #2楼" in docx_text(tmp_path / "in.docx")


# --- line breaks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("sections:\n  - heading: |\n      计划投资100\n      2022年完成\n", 6),
        (
            "sections:\n  - heading: 甲\n    items:\n      - heading: 乙\n        text: |\n          计划投资100\n          2022年完成\n",
            9,
        ),
        ("org: |\n  某市\n  某局\nsections:\n  - heading: 甲\n", 4),
    ],
)
def test_a_line_break_in_a_one_paragraph_field_is_refused(
    tmp_path: Path, run_cli: RunCli, body: str, line: int
) -> None:
    text = HEAD.replace("org: 某局\n", "") if body.startswith("org") else HEAD
    code, _, err = run_cli("build", str(_write(tmp_path, text + body)))
    assert code == 1
    assert f"in.yaml:{line}" in err and "不能换行" in err and "Alt+Enter" in err
    assert not (tmp_path / "in.docx").exists()


def test_a_paragraph_entry_of_several_lines_is_several_paragraphs(
    tmp_path: Path, run_cli: RunCli
) -> None:
    body = "sections:\n  - heading: 甲\n    text:\n      - |\n        计划投资100\n        2022年完成\n"
    code, _, err = run_cli("build", str(_write(tmp_path, HEAD + body)))
    assert code == 0, err
    texts = [text for _, text in docx_paragraphs(tmp_path / "in.docx")]
    assert "计划投资100" in texts and "2022年完成" in texts
    assert "计划投资1002022年完成" not in docx_text(tmp_path / "in.docx")


def test_line_breaks_in_a_task_cell_print_as_line_breaks(tmp_path: Path, run_cli: RunCli) -> None:
    workbook = openpyxl.Workbook()
    info = workbook.active
    assert info is not None
    info.title = "基本信息"
    for row in (
        ("项目", "内容"),
        ("报告类型", "task-progress"),
        ("标题", "2021年重点工作执行情况表"),
        ("发文机关", "某市"),
        ("年度", 2021),
    ):
        info.append(row)
    tasks = workbook.create_sheet("任务")
    tasks.append(("序号", "主要工作任务", "进展情况", "牵头部门", "进展状态"))
    tasks.append(
        (
            1,
            "建设轨道交通\n计划投资100",
            "1.甲线开工\n其中A段完成\n2.乙线通车",
            "市发展改革委",
            "按时推进",
        )
    )
    workbook.save(tmp_path / "t.xlsx")
    code, _, err = run_cli("build", str(tmp_path / "t.xlsx"))
    assert code == 0, err
    cells = [text for _, text in docx_paragraphs(tmp_path / "t.docx")]
    assert "建设轨道交通\n计划投资100" in cells
    assert "1.甲线开工\n其中A段完成" in cells and "2.乙线通车" in cells
    assert "计划投资1002" not in docx_text(tmp_path / "t.docx")


def test_a_template_that_glues_the_lines_of_a_cell_stops_the_build(tmp_path: Path) -> None:
    builtin = (ROOT / "templates" / "task-progress" / "report.html.j2").read_text(encoding="utf-8")
    assert "{{ row.task | lines }}" in builtin
    build_file_tree(
        tmp_path,
        {
            "in.yaml": (
                "kind: task-progress\ntitle: 2021年重点工作执行情况表\norg: 某市\nyear: 2021\n"
                "tasks:\n  - task: |\n      建设轨道交通\n      计划投资100\n"
                "    progress: 开工\n    departments: 市发展改革委\n"
            ),
            # the cell printed as one run of text: its line break is lost, its lines glued
            "custom/task-progress/report.html.j2": builtin.replace(
                "{{ row.task | lines }}", "{{ row.task }}"
            ),
        },
    )
    with pytest.raises(TemplateError) as caught:
        build_report(tmp_path / "in.yaml", tmp_path / "out.docx", templates_dir=tmp_path / "custom")
    assert "建设轨道交通" in str(caught.value)
    assert not (tmp_path / "out.docx").exists()


# --- limits that validate and build share -----------------------------------------------------


def test_a_text_its_figures_push_over_the_limit_is_an_error_at_its_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    figures = "figures:\n  长: " + "1" * 20 + "\n"
    body = 'sections:\n  - heading: 甲\n    text: "' + "{长}" * 1500 + '"\n'
    source = _write(tmp_path, HEAD + figures + body)
    for command in ("validate", "build"):
        code, _, err = run_cli(command, str(source))
        assert code == 1 and "in.yaml:9:11" in err and "文字太长（30000 字）" in err
        assert "Traceback" not in err
    assert not (tmp_path / "in.docx").exists()


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("sections:\n" + "  - heading: 甲\n" * 1000, "1000 项"),
        ("sections:\n  - heading: 甲\n    items:\n" + "      - 乙\n" * 1000, "1000 项"),
    ],
)
def test_more_entries_than_can_be_numbered_are_refused_by_validate_and_build(
    tmp_path: Path, run_cli: RunCli, body: str, what: str
) -> None:
    source = _write(tmp_path, HEAD + body)
    for command in ("validate", "build"):
        code, _, err = run_cli(command, str(source))
        assert code == 1 and "条目太多" in err and what in err and "最多 999 项" in err
        assert "Traceback" not in err


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r"])
def test_a_comment_after_a_break_editors_hardly_show_is_noticed(
    tmp_path: Path, run_cli: RunCli, separator: str
) -> None:
    source = tmp_path / "in.yaml"
    source.write_bytes(
        (
            HEAD
            + f"sections:\n  - heading: 甲\n    text: 1#楼已封顶，2{separator} #楼完成主体结构\n"
        ).encode()
    )
    code, _, err = run_cli("build", str(source))
    assert code == 1 and "被当作注释丢掉了" in err
    assert not (tmp_path / "in.docx").exists()


def test_comment_places_count_lines_as_yaml_does_in_a_cr_only_file(
    tmp_path: Path, run_cli: RunCli
) -> None:
    source = tmp_path / "in.yaml"
    source.write_bytes(
        (HEAD + "sections:\n  - heading: 甲\n    text: 正文 # 注释\n").replace("\n", "\r").encode()
    )
    code, _, err = run_cli("validate", str(source))
    assert code == 1 and "in.yaml:7:14" in err


def test_a_problem_in_a_block_paragraph_points_at_its_own_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    text = HEAD + (
        "figures:\n  A: {value: 88, unit: 公里, target: 75}\n"
        "sections:\n  - heading: 甲\n    text: |\n      第一段。\n\n      第二段。\n"
        "      第三段{A}，完成率127%。\n      第四段{B}。\n"
    )
    source = tmp_path / "in.yaml"
    source.write_text(text, encoding="utf-8")
    code, _, err = run_cli("validate", str(source))
    assert code == 1
    assert (
        "in.yaml:13:7  第1节 › 正文 › 第3段" in err and "in.yaml:14:7  第1节 › 正文 › 第4段" in err
    )


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("    text: 今年完成投资100亿元 # 其中\n      政府投资50亿元\n", 7, 23),
        ("    text: 今年完成投资100亿元\n      其中 # 政府\n      政府投资50亿元\n", 8, 10),
    ],
)
def test_a_comment_that_cuts_a_multi_line_text_is_named_not_the_indent(
    tmp_path: Path, run_cli: RunCli, body: str, line: int, column: int
) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(HEAD + "sections:\n  - heading: 甲\n" + body, encoding="utf-8")
    code, _, err = run_cli("validate", str(source))
    assert code == 1 and f"in.yaml:{line}:{column}" in err
    assert "“ #”把文字截断了" in err and "缩进" not in err


def test_full_width_spaces_around_a_text_are_removed_with_a_note_inside_kept(
    tmp_path: Path, run_cli: RunCli
) -> None:
    source = _write(
        tmp_path,
        HEAD
        + "speaker: 市长　　某某\n"
        + 'sections:\n  - heading: 甲\n    text: "　　今年以来，我局扎实推进各项工作。"\n',
    )
    code, _, err = run_cli("build", str(source))
    assert code == 0 and "in.yaml:8:11" in err and "已删去文字首尾的全角空格" in err
    texts = [text for _, text in docx_paragraphs(tmp_path / "in.docx")]
    assert "今年以来，我局扎实推进各项工作。" in texts and "市长　　某某" in texts
