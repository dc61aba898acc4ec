"""Every example builds, and the work-summary example reproduces seed 000."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.table import _Cell

from generator.pipeline import build_report
from tests.helpers import EXAMPLES, SEEDS, docx_paragraphs, docx_text, normalise, overlap

SEED_000 = SEEDS / "000_d8d9bdc2cfd193d8.txt"

# example → (seed, minimum recall, web-page chrome in the seed that is not report content)
GOLDEN = {
    # "|" is the seed's own cell separator, not text
    "performance-review": ("001_bacda0fce2ec4441.txt", 0.99, ("|",)),
    "progress-report": ("002_27bbef743ad819c4.txt", 0.99, ()),
    "task-progress": (
        "003_b3a6e952f35f28ba.txt",
        0.99,
        (
            "首页\n",
            "> 政务公开 > 政务专题 > 督查督办",
            "【政府工作报告重点任务及政府绩效考核执行情况】",
            "发布日期:2021-09-08 17:17 信息来源:市政府办公室 浏览次数:",
        ),
    ),
    "rule-of-law-report": ("004_0487bdcd1988260a.txt", 0.99, ("点击数:",)),
}


@pytest.mark.parametrize(
    "example",
    sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.xlsx")]),
    ids=lambda path: path.name,
)
def test_every_example_builds(example: Path, tmp_path: Path) -> None:
    output = tmp_path / f"{example.stem}.docx"
    build_report(example, output)
    assert docx_text(output).strip()


def test_work_summary_reproduces_seed_000(work_summary_docx: Path) -> None:
    seed = normalise(SEED_000.read_text(encoding="utf-8"))
    produced = normalise(docx_text(work_summary_docx))
    result = overlap(seed, produced)
    assert result.recall >= 0.995, f"missing from the .docx: {result.missing[:5]}"
    assert result.precision >= 0.98, f"not in the seed: {result.extra[:5]}"


def test_work_summary_structure_follows_the_seed(work_summary_docx: Path) -> None:
    paragraphs = docx_paragraphs(work_summary_docx)
    seed_lines = [
        line.strip() for line in SEED_000.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    # title, the opening, seven run-in sections, then the signature and date
    assert [style for style, _ in paragraphs] == [
        "Title",
        *["Normal"] * len(seed_lines),
        "落款",
        "成文日期",
    ]
    for (_, text), seed_line in zip(paragraphs[1:], seed_lines, strict=False):
        assert normalise(text) == normalise(seed_line)
    assert paragraphs[-1] == ("成文日期", "2021年1月15日")


@pytest.mark.parametrize(
    "example_file",
    [*(f"{name}.yaml" for name in sorted(GOLDEN)), "task-progress.xlsx", "performance-review.xlsx"],
)
def test_example_reproduces_its_seed(example_file: str, tmp_path: Path) -> None:
    seed_name, minimum_recall, chrome = GOLDEN[example_file.split(".")[0]]
    seed_text = (SEEDS / seed_name).read_text(encoding="utf-8")
    for fragment in chrome:
        assert fragment in seed_text
        seed_text = seed_text.replace(fragment, "")
    output = tmp_path / "report.docx"
    build_report(EXAMPLES / example_file, output)
    result = overlap(normalise(seed_text), normalise(docx_text(output)))
    assert result.recall >= minimum_recall, f"missing from the .docx: {result.missing[:5]}"
    assert result.precision >= 0.98, f"not in the seed: {result.extra[:5]}"


def test_seed_punctuation_artefacts_become_full_width(tmp_path: Path) -> None:
    """Seeds 001-004 carry half-width , : ; ( ) from web conversion; reports use full-width."""
    output = tmp_path / "progress-report.docx"
    build_report(EXAMPLES / "progress-report.yaml", output)
    text = docx_text(output)
    assert "住房城乡建设部：" in text and "（一）城市人居环境建设工作方面" in text
    assert not any(mark in text for mark in ",:;()"), "half-width punctuation in Chinese text"


def _table_rows(output: Path) -> list[list[tuple[str, str | None]]]:
    """Each row of the single table: (cell text, w:vMerge value or None) per cell.

    Cells are read one ``w:tc`` at a time, so a merged cell's text shows in its first row only.
    """
    (table,) = docx.Document(str(output)).tables
    return [
        [("\n".join(p.text for p in _Cell(tc, table).paragraphs), tc.vMerge) for tc in tr.tc_lst]
        for tr in table._tbl.tr_lst
    ]


def test_task_progress_table_follows_seed_003(tmp_path: Path) -> None:
    output = tmp_path / "task-progress.docx"
    build_report(EXAMPLES / "task-progress.yaml", output)
    rows = _table_rows(output)
    assert [text for text, _ in rows[0]] == [
        "序号",
        "主要工作任务",
        "进展情况",
        "牵头部门",
        "进展状态",
    ]
    numbers = [row[0][0] for row in rows[1:] if row[0][1] != "continue"]
    assert numbers == [str(n) for n in range(1, 97)], "96 tasks numbered in order"
    # task 11 continues over a second row: its 序号 cell is merged, the row has its own status
    eleven = next(i for i, row in enumerate(rows) if row[0][0] == "11")
    assert rows[eleven][0][1] == "restart" and rows[eleven + 1][0][1] == "continue"
    assert rows[eleven + 1][1][0].startswith("市区快速路一二期建成通车")
    assert rows[eleven + 1][4][0] == "进度较快"
    first = rows[1]
    assert first[2][0].startswith("1.推进高水平生态绿色示范区") and "\n2.临沪" in first[2][0]
    assert first[3][0] == "嘉善县政府、\n长三角发展办" and first[4][0] == "按时推进"
    statuses = {row[-1][0] for row in rows[1:]}
    assert statuses <= {"按时推进", "进度较快", "部分滞后", "进度滞后", ""}
    title = docx_paragraphs(output)[0]
    # the title is broken at a word boundary into a 梯形 (generator/title_lines.py)
    assert title == (
        "Title",
        "2021年嘉兴市政府工作报告重点工作\n及政府绩效考核执行情况\n（上半年）",
    )


def test_performance_review_table_follows_seed_001(tmp_path: Path) -> None:
    output = tmp_path / "performance-review.docx"
    build_report(EXAMPLES / "performance-review.yaml", output)
    rows = _table_rows(output)
    assert [text for text, _ in rows[0]] == [
        "考评维度",
        "目标（指标）名称",
        "考核内容及指标",
        "工作完成情况",
    ]
    # 考评维度 is one cell merged down every row; ★ marks the three key targets
    assert rows[1][0] == ("日常履职", "restart")
    assert all(row[0] == ("", "continue") for row in rows[2:])
    names = [row[1][0] for row in rows[1:] if row[1][1] != "continue"]
    assert [name for name in names if name.startswith("★")] == [
        "★小区改造",
        "★便捷交通",
        "★城市建设",
    ]
    # 重点项目建设 runs over five rows of its own 考核内容 and 完成情况
    start = next(i for i, row in enumerate(rows) if row[1][0] == "重点项目建设")
    assert [row[1][1] for row in rows[start : start + 6]] == ["restart", *["continue"] * 4, None]
    completion = rows[1][3][0].splitlines()
    assert (
        completion[0].startswith("1.完成情况。一是健全政策体系。")
        and "二是全面启动改造。" in completion[0]
    )
    assert [line[:6] for line in completion] == ["1.完成情况", "2.工作举措", "3.工作成效"]
    sub_targets = rows[start][3][0].splitlines()
    assert sub_targets[:2] == [
        "1.新扩建城镇污水处理厂15个。",
        "（1）完成情况。新扩建城镇污水处理厂15个全部完成。",
    ]
