"""The two table kinds from a document's tables: merged cells are continued rows and dimensions,
★ a key target, numbered cell text the lists huibao numbers again."""

from __future__ import annotations

from pathlib import Path

from generator.importer import draft_text, import_report
from generator.pipeline import build_report
from generator.reading import ReadCell, ReadDocument, ReadParagraph, ReadTable
from tests.helpers import docx_text, normalise


def cell(*paragraphs: str, rowspan: int = 1, colspan: int = 1) -> ReadCell:
    return ReadCell(paragraphs, rowspan, colspan)


def document(*blocks: ReadParagraph | ReadTable) -> ReadDocument:
    return ReadDocument(blocks, source_format="docx")


TASK_HEADER = tuple(
    cell(name) for name in ("序号", "主要工作任务", "进展情况", "牵头部门", "进展状态")
)


def test_task_table_with_a_merged_number_is_a_continued_row(tmp_path: Path) -> None:
    table = ReadTable(
        (
            TASK_HEADER,
            (
                cell("1"),
                cell("建设示范区。"),
                cell("1.完成投资110亿元。", "2.引进项目3个。"),
                cell("嘉善县政府、", "长三角发展办"),
                cell("按时推进"),
            ),
            (
                cell("2", rowspan=2),
                cell("构建快速交通体系。"),
                cell("专题研究通过评审。"),
                cell("市交通运输局"),
                cell("按时推进"),
            ),
            (
                cell("快速路建成通车。"),
                cell("示范段6月25日通车。"),
                cell("嘉通集团"),
                cell("进度较快"),
            ),
            (cell("3"), cell("深化医联体建设。"), cell("推进中。"), cell("市卫生健康委"), cell("")),
        )
    )
    draft = import_report(
        document(
            ReadParagraph("2021年重点工作执行情况", style="Title"),
            ReadParagraph("（上半年）", style="Title"),
            table,
        )
    )
    assert draft.kind == "task-progress"
    data = draft.data
    assert (data["title"], data["period"], data["year"]) == (
        "2021年重点工作执行情况",
        "上半年",
        2021,
    )
    tasks = data["tasks"]
    assert tasks[0]["progress"] == ["完成投资110亿元。", "引进项目3个。"]
    assert tasks[0]["departments"] == ["嘉善县政府", "长三角发展办"]
    assert tasks[1]["continued"] == [
        {
            "task": "快速路建成通车。",
            "progress": ["示范段6月25日通车。"],
            "departments": ["嘉通集团"],
            "status": "进度较快",
        }
    ]
    assert "status" not in tasks[2]
    source = tmp_path / "draft.yaml"
    source.write_text(draft_text(draft, "原文.docx"), encoding="utf-8")
    build_report(source, tmp_path / "draft.docx")
    text = normalise(docx_text(tmp_path / "draft.docx"))
    assert normalise("1.完成投资110亿元。2.引进项目3个。") in text
    assert normalise("2021年重点工作执行情况（上半年）") in text


def test_performance_table_with_merged_dimensions_and_targets(tmp_path: Path) -> None:
    header = tuple(
        cell(name) for name in ("考评维度", "目标(指标)名称", "考核内容及指标", "工作完成情况")
    )
    table = ReadTable(
        (
            header,
            (
                cell("日常履职", rowspan=3),
                cell("★小区改造"),
                cell("完成300个老旧小区改造。"),
                cell(
                    "1.完成情况。一是健全政策体系。出台导则。二是全面启动改造。",
                    "2.工作成效。居住条件明显改善。",
                ),
            ),
            (
                cell("重点项目建设", rowspan=2),
                cell("新扩建污水处理厂15个。"),
                cell(
                    "1.新扩建污水处理厂15个。",
                    "（1）完成情况。全部完成。",
                    "（2）工作措施。分解目标。",
                ),
            ),
            (
                cell("1.完成投资6亿元。", "2.完成投资2.5亿元。"),
                cell("1.完成情况。完成投资8.5亿元。"),
            ),
            (
                cell("专项工作"),
                cell("应急管理"),
                cell("事故死亡人数控制指标4。"),
                cell("1.完成情况。未突破指标。"),
            ),
        )
    )
    draft = import_report(document(ReadParagraph("某委2020年度绩效考评目标完成情况"), table))
    assert draft.kind == "performance-review"
    first, second = draft.data["dimensions"]
    assert first["name"] == "日常履职" and second["name"] == "专项工作"
    key, projects = first["targets"]
    assert key["name"] == "小区改造" and key["key"] is True
    assert key["completion"][0] == {
        "heading": "完成情况",
        "items": [{"heading": "健全政策体系", "text": "出台导则。"}, {"text": "全面启动改造。"}],
    }
    assert projects["completion"][0]["parts"][1] == {"heading": "工作措施", "text": ["分解目标。"]}
    assert projects["continued"] == [
        {
            "indicator": ["完成投资6亿元。", "完成投资2.5亿元。"],
            "completion": [{"heading": "完成情况", "text": ["完成投资8.5亿元。"]}],
        }
    ]
    source = tmp_path / "draft.yaml"
    source.write_text(draft_text(draft, "原文.docx"), encoding="utf-8")
    build_report(source, tmp_path / "draft.docx")
    text = normalise(docx_text(tmp_path / "draft.docx"))
    for typed in (
        "★小区改造",
        "1.完成情况。一是健全政策体系。出台导则。二是全面启动改造。",
        "（2）工作措施。分解目标。",
    ):
        assert normalise(typed) in text


def test_a_table_continued_on_a_second_page_repeats_no_header() -> None:
    rows = (
        (cell("1"), cell("任务一。"), cell("进展一。"), cell("市发改委"), cell("按时推进")),
        (cell("2"), cell("任务二。"), cell("进展二。"), cell("市财政局"), cell("进度滞后")),
    )
    draft = import_report(
        document(
            ReadParagraph("2021年重点工作执行情况", style="Title"),
            ReadTable((TASK_HEADER, rows[0])),
            ReadTable((TASK_HEADER, rows[1])),
        )
    )
    assert [task["task"] for task in draft.data["tasks"]] == ["任务一。", "任务二。"]


def test_cells_that_cannot_be_read_as_lists_stay_as_written() -> None:
    """A cell whose numbers do not run in order is one point, exactly as typed, with no number
    removed; an unknown status is said in a comment, not invented."""
    draft = import_report(
        document(
            ReadParagraph("2021年重点工作执行情况", style="Title"),
            ReadTable(
                (
                    TASK_HEADER,
                    (
                        cell("1"),
                        cell("任务。"),
                        cell("2.先写的第二条。", "1.后写的第一条。"),
                        cell("市发改委"),
                        cell("已完成"),
                    ),
                )
            ),
        )
    )
    (task,) = draft.data["tasks"]
    assert task["progress"] == ["2.先写的第二条。\n1.后写的第一条。"]
    assert "status" not in task
    assert any("已完成" in line for line in draft.comments[("tasks", 0)])
