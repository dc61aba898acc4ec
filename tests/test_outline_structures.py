"""The structures real reports use, each built from YAML through the CLI: the numbering printed,
the paragraph order and the Word styles; and numbers typed by hand where huibao numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest

from generator.pipeline import build_report
from tests.helpers import EXAMPLES, docx_paragraphs

RunCli = Callable[..., tuple[int, str, str]]
HEAD = "kind: work-summary\ntitle: 某区2024年工作总结\norg: 某区人民政府\nyear: 2024\n"


def build(tmp_path: Path, run_cli: RunCli, text: str) -> list[tuple[str, str]]:
    source = tmp_path / "in.yaml"
    source.write_text(text, encoding="utf-8")
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    return docx_paragraphs(tmp_path / "in.docx")


def body(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The paragraphs after the title."""
    return [entry for entry in paragraphs if entry[0] != "Title"]


def run_styles(path: Path) -> list[tuple[str, str]]:
    """(character style, text) of every run that has a character style."""
    document = docx.Document(str(path))
    return [
        (run.style.name, run.text)
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.style is not None and run.style.name != "Default Paragraph Font"
    ]


def test_a_closing_prints_after_the_subsections(tmp_path: Path, run_cli: RunCli) -> None:
    text = HEAD + (
        "sections:\n"
        "  - heading: 工作回顾\n"
        "    text: 开头段。\n"
        "    sections:\n"
        "      - heading: 甲\n"
        "      - heading: 乙\n"
        "    closing:\n"
        "      text: 在取得上述成效的同时，我们也清醒地看到，主要表现在：\n"
        "      items: [发展不平衡；, 改革需深化。对此，认真解决。]\n"
        "  - heading: 工作安排\n"
        "    sections:\n"
        "      - heading: 丙\n"
        "        items: [加强学习。, 完善制度。]\n"
        "        closing: 本小节的结尾段。\n"
    )
    assert body(build(tmp_path, run_cli, text)) == [
        ("Heading 1", "一、工作回顾"),
        ("Normal", "开头段。"),
        ("Heading 2", "（一）甲"),
        ("Heading 2", "（二）乙"),
        (
            "Normal",
            "在取得上述成效的同时，我们也清醒地看到，主要表现在：一是发展不平衡；二是改革需深化。对此，认真解决。",
        ),
        ("Heading 1", "二、工作安排"),
        ("Heading 2", "（一）丙"),
        ("Normal", "一是加强学习。二是完善制度。"),
        ("Normal", "本小节的结尾段。"),
    ]


@pytest.mark.parametrize("late", ["text: 写在后面。", "items: [写在后面。]"])
def test_text_written_after_the_subsections_is_an_error_not_moved(
    tmp_path: Path, run_cli: RunCli, late: str
) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(
        HEAD + f"sections:\n  - heading: 甲\n    sections:\n      - heading: 乙\n    {late}\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("build", str(source))
    assert code == 1 and "in.yaml:6:5" in err
    assert "写在了下级小节（sections）之后" in err and "closing" in err
    assert not (tmp_path / "in.docx").exists()


def test_run_in_points_inside_items_and_sections(tmp_path: Path, run_cli: RunCli) -> None:
    text = HEAD + (
        "sections:\n"
        "  - heading: 队伍建设\n"
        "    items:\n"
        "      - heading: 加强队伍建设\n"
        "        points:\n"
        "          - {heading: 强化理论武装, text: 组织专题学习12次。}\n"
        "          - {heading: 提升业务能力, text: 开展岗位练兵。}\n"
        "  - heading: 产业发展\n"
        "    point_paragraphs: true\n"
        "    points:\n"
        "      - {heading: 稳投资、促消费, colon: 是, text: 投资增长5%。}\n"
        "      - {heading: 调结构, colon: 是, text: 新增高新企业10家。}\n"
        "      - 只有内容的要点。\n"
    )
    assert body(build(tmp_path, run_cli, text)) == [
        ("Heading 1", "一、队伍建设"),
        (
            "Normal",
            "一是加强队伍建设。强化理论武装。组织专题学习12次。提升业务能力。开展岗位练兵。",
        ),
        ("Heading 1", "二、产业发展"),
        ("Normal", "稳投资、促消费：投资增长5%。"),
        ("Normal", "调结构：新增高新企业10家。"),
        ("Normal", "只有内容的要点。"),
    ]
    assert [run for run in run_styles(tmp_path / "in.docx") if run[0] == "要点标题"] == [
        ("要点标题", "强化理论武装。"),
        ("要点标题", "提升业务能力。"),
        ("要点标题", "稳投资、促消费："),
        ("要点标题", "调结构："),
    ]


def test_items_inside_items_restart_and_a_third_level_is_refused(
    tmp_path: Path, run_cli: RunCli
) -> None:
    text = HEAD + (
        "sections:\n"
        "  - heading: 保障\n"
        "    items:\n"
        "      - 完善制度。\n"
        "      - heading: 提升保障水平\n"
        "        text: 加大投入。\n"
        "        items: [落实经费。, 改善条件。]\n"
        "      - 加强督查。\n"
    )
    assert body(build(tmp_path, run_cli, text))[1] == (
        "Normal",
        "一是完善制度。二是提升保障水平。加大投入。一是落实经费。二是改善条件。三是加强督查。",
    )
    deeper = text.replace("items: [落实经费。, 改善条件。]", "items: [{text: 甲, items: [乙]}]")
    (tmp_path / "in.yaml").write_text(deeper, encoding="utf-8")
    code, _, err = run_cli("validate", str(tmp_path / "in.yaml"))
    assert code == 1 and "条目层级太深" in err


def test_numbered_units_without_a_heading_are_body_sentences(
    tmp_path: Path, run_cli: RunCli
) -> None:
    text = HEAD + (
        "top_level: （一）\n"
        "sections:\n"
        "  - text: 大力开展法治教育学习，全年举办讲座8场。\n"
        "  - text: |\n"
        "      严格规范执法行为。\n"
        "      第二段。\n"
    )
    assert body(build(tmp_path, run_cli, text)) == [
        ("Normal", "（一）大力开展法治教育学习，全年举办讲座8场。"),
        ("Normal", "（二）严格规范执法行为。"),
        ("Normal", "第二段。"),
    ]
    assert run_styles(tmp_path / "in.docx") == []  # no heading style: one sentence in body style


def test_unnumbered_sections_are_run_in_sentences(tmp_path: Path, run_cli: RunCli) -> None:
    text = HEAD + (
        "top_level: 不编号\n"
        "sections:\n"
        "  - heading: 稳增长、调结构，产业发展迈出新步伐\n"
        "    run_in: true\n"
        "    text: 地区生产总值增长6%。\n"
        "    sections:\n"
        "      - {heading: 工业, run_in: true, text: 增加值增长8%。}\n"
        "  - heading: 惠民生、补短板，社会事业全面进步\n"
        "    run_in: true\n"
        "    text: 新增就业1万人。\n"
    )
    assert body(build(tmp_path, run_cli, text)) == [
        ("Normal", "稳增长、调结构，产业发展迈出新步伐。地区生产总值增长6%。"),
        ("Normal", "（一）工业。增加值增长8%。"),
        ("Normal", "惠民生、补短板，社会事业全面进步。新增就业1万人。"),
    ]
    assert run_styles(tmp_path / "in.docx")[0] == (
        "接排标题1",
        "稳增长、调结构，产业发展迈出新步伐。",
    )


def test_numbering_may_continue_across_parents(tmp_path: Path, run_cli: RunCli) -> None:
    text = HEAD + (
        "top_level: （一）\n"
        "sections:\n"
        "  - heading: 甲\n"
        "    sections: [{heading: 子一}, {heading: 子二}]\n"
        "  - heading: 乙\n"
        "    continue_numbering: true\n"
        "    sections: [{heading: 子三}, {heading: 子四}]\n"
        "  - heading: 丙\n"
        "    sections: [{heading: 重新编号}]\n"
    )
    headings = [text for style, text in body(build(tmp_path, run_cli, text))]
    assert headings == [
        "（一）甲",
        "1.子一",
        "2.子二",
        "（二）乙",
        "3.子三",
        "4.子四",
        "（三）丙",
        "1.重新编号",
    ]


def test_front_matter_subtitle_speaker_and_salutation(tmp_path: Path, run_cli: RunCli) -> None:
    text = HEAD + (
        "subtitle: ——2025年1月10日在区委全会上\n"
        "speaker: 区长  某某\n"
        "salutation: 各位领导\n"
        "opening: 现在，我代表区政府报告工作。\n"
        "sections:\n  - heading: 工作\n"
    )
    assert build(tmp_path, run_cli, text)[:5] == [
        ("Title", "某区2024年工作总结"),
        ("副标题", "——2025年1月10日在区委全会上"),
        ("讲话人", "区长  某某"),
        ("称谓", "各位领导："),
        ("Normal", "现在，我代表区政府报告工作。"),
    ]


def test_a_progress_report_may_have_no_recipient_and_its_own_opening(
    tmp_path: Path, run_cli: RunCli
) -> None:
    text = (
        "kind: progress-report\ntitle: 某市2024年第一季度工作进展情况\norg: 某市住建局\nyear: 2024\n"
        "opening: 一季度以来，我局紧扣年度目标，现将有关情况报告如下：\n"
        "sections:\n  - heading: 主要工作\n"
    )
    paragraphs = build(tmp_path, run_cli, text)
    assert paragraphs[1] == ("Normal", "一季度以来，我局紧扣年度目标，现将有关情况报告如下：")
    assert not any(style == "主送机关" for style, _ in paragraphs)
    assert not any("按照工作部署" in text for _, text in paragraphs)


def test_a_progress_report_needs_all_or_none_of_the_composed_opening(
    tmp_path: Path, run_cli: RunCli
) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(
        "kind: progress-report\ntitle: 报告\norg: 某厅\nyear: 2021\nreporter: 我省\n"
        "sections:\n  - heading: 工作\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("validate", str(source))
    assert code == 1 and "要么都填写" in err


def test_responsibility_tags_print_in_the_house_way(tmp_path: Path, run_cli: RunCli) -> None:
    text = HEAD + (
        "responsible_label: 责任处室\n"
        "sections:\n"
        "  - heading: 2025年工作安排\n"
        "    items:\n"
        "      - heading: 深化放管服改革\n"
        "        text: 推进一网通办。\n"
        "        responsible: 办公室、法规安全处\n"
        "      - text: 加强安全监管。\n"
        "        responsible: [安全处]\n"
    )
    assert body(build(tmp_path, run_cli, text))[1] == (
        "Normal",
        "一是深化放管服改革。推进一网通办。（责任处室：办公室、法规安全处）"
        "二是加强安全监管。（责任处室：安全处）",
    )


def test_the_government_work_report_example(tmp_path: Path) -> None:
    output = tmp_path / "gwr.docx"
    build_report(EXAMPLES / "government-work-report.yaml", output)
    paragraphs = docx_paragraphs(output)
    assert [style for style, _ in paragraphs[:4]] == ["Title", "副标题", "讲话人", "称谓"]
    assert paragraphs[3][1] == "各位代表："
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == ["一、2023年工作回顾", "二、2024年工作安排"]
    review_end = next(
        index for index, (_, text) in enumerate(paragraphs) if text.startswith("在肯定成绩的同时")
    )
    assert paragraphs[review_end + 1] == ("Heading 1", "二、2024年工作安排")
    assert "主要是：一是经济持续回升向好的基础还不够稳固；二是" in paragraphs[review_end][1]


# --- typed numbering ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sections", "typed", "line"),
    [
        ("  - heading: （一）加强领导\n", "（一）", 6),
        ("  - heading: 一、加强领导\n", "一、", 6),
        ("  - heading: (1)加强领导\n", "(1)", 6),
        ("  - heading: 1.加强领导\n", "1.", 6),
        ("  - heading: 甲\n    items:\n      - 一是加强领导。\n", "一是", 8),
        ("  - heading: 甲\n    items:\n      - heading: 二是加强领导\n", "二是", 8),
        ("  - heading: 甲\n    sections:\n      - heading: 1、加强领导\n", "1、", 8),
        ("  - text: （一）大力开展法治教育。\n", "（一）", 6),
        ("  - heading: 甲\n    closing:\n      items: [一是加强。]\n", "一是", 8),
    ],
)
def test_a_number_typed_where_huibao_numbers_is_an_error(
    tmp_path: Path, run_cli: RunCli, sections: str, typed: str, line: int
) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(HEAD + "sections:\n" + sections, encoding="utf-8")
    code, _, err = run_cli("build", str(source))
    assert code == 1 and f"in.yaml:{line}" in err
    assert f"删去手写的“{typed}”，编号会自动生成" in err
    assert not (tmp_path / "in.docx").exists()


def test_numbers_that_are_not_numbering_are_left_alone(tmp_path: Path, run_cli: RunCli) -> None:
    text = HEAD + (
        "sections:\n"
        "  - heading: 1.5万户家庭受益\n"
        "  - heading: 十四五规划实施\n"
        "    items: [2024年完成投资。]\n"
    )
    assert body(build(tmp_path, run_cli, text))[0] == ("Heading 1", "一、1.5万户家庭受益")


def test_strip_numbers_removes_them_with_a_note(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(
        HEAD
        + "sections:\n  - heading: （一）加强领导\n    items: [一是完善制度。, 二是强化督查。]\n",
        encoding="utf-8",
    )
    result = build_report(source, tmp_path / "out.docx", strip_numbers=True)
    assert body(docx_paragraphs(tmp_path / "out.docx")) == [
        ("Heading 1", "一、加强领导"),
        ("Normal", "一是完善制度。二是强化督查。"),
    ]
    notes = [str(warning) for warning in result.warnings]
    assert len(notes) == 3 and all("已删去手写的编号" in note for note in notes)


def test_typed_items_inside_a_paragraph_get_a_warning(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(
        HEAD + "sections:\n  - heading: 甲\n    text: 做了三件事。一是加强学习；二是完善制度。\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("build", str(source))
    assert code == 0
    assert "警告：in.yaml:7:11" in err and "手写了“一是……二是……”" in err and "条目" in err


def test_typed_numbers_in_table_kinds_and_spreadsheet_cells(
    tmp_path: Path, run_cli: RunCli
) -> None:
    workbook = openpyxl.Workbook()
    info = workbook.active
    assert info is not None
    info.title = "基本信息"
    for row in (
        ("项目", "内容"),
        ("报告类型", "performance-review"),
        ("标题", "2021年绩效考评目标完成情况"),
        ("发文机关", "某局"),
        ("年度", 2021),
    ):
        info.append(row)
    targets = workbook.create_sheet("目标")
    targets.append(("考评维度", "目标（指标）名称", "重点目标", "考核内容及指标", "工作完成情况"))
    targets.append(
        (
            "日常履职",
            "小区改造",
            "是",
            "完成改造。",
            "1.（一）完成情况。完成302个。\n2.工作举措。一是统筹。",
        )
    )
    workbook.save(tmp_path / "考评.xlsx")
    code, _, err = run_cli("build", str(tmp_path / "考评.xlsx"))
    assert code == 1 and "考评.xlsx:目标!E2" in err and "删去手写的“（一）”" in err


@pytest.mark.parametrize(
    ("text", "typed", "line"),
    [
        (
            "kind: task-progress\ntitle: 执行情况表\norg: 某市\nyear: 2021\ntasks:\n"
            "  - task: 建设轨道交通\n    progress: [1.甲线开工, 2.乙线通车]\n    departments: 市发改委\n",
            "1.",
            7,
        ),
        (
            "kind: performance-review\ntitle: 考评表\norg: 某局\nyear: 2021\ndimensions:\n"
            "  - name: 日常履职\n    targets:\n      - name: 小区改造\n"
            "        indicator: [（1）完成300个, （2）完成验收]\n"
            "        completion:\n          - heading: 1.完成情况\n            text: 完成302个。\n",
            "（1）",
            9,
        ),
    ],
)
def test_typed_numbers_in_table_points_and_completion_entries(
    tmp_path: Path, run_cli: RunCli, text: str, typed: str, line: int
) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(text, encoding="utf-8")
    code, _, err = run_cli("validate", str(source))
    assert code == 1 and f"in.yaml:{line}" in err and f"删去手写的“{typed}”" in err


def test_strip_numbers_on_the_command_line(tmp_path: Path, run_cli: RunCli) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(
        HEAD + "sections:\n  - heading: （一）加强领导\n    items: [一是完善制度。]\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("validate", str(source))
    assert code == 1 and "--strip-numbers" in err
    for command in ("validate", "build"):
        code, _, err = run_cli(command, str(source), "--strip-numbers")
        assert code == 0 and err.count("已删去手写的编号") == 2, err
    assert body(docx_paragraphs(tmp_path / "in.docx"))[0] == ("Heading 1", "一、加强领导")
