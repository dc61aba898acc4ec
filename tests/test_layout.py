"""What leadership sees, checked on the .docx: title lines (GB/T 9704 §7.3.1), the places of the
署名 and 成文日期 (§7.3.5), table columns sized from their content, centred header cells, ranges
kept whole. ``tests/test_libreoffice.py`` checks the same on LibreOffice's rendering."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from generator.column_widths import ColumnRule, ColumnText, choose_widths
from generator.document import parse_html
from generator.errors import TemplateError
from generator.pipeline import build_report
from generator.signature import cells, signature_places
from generator.title_lines import LINE_WIDTH, break_title, text_width, title_problems
from tests.helpers import EXAMPLES, build_file_tree, docx_paragraphs, docx_text

# --- titles ------------------------------------------------------------------------------------

# (title, issuing body, the lines a 办公室 reviewer would set it in); "/" separates the lines.
TITLES = [
    # the examples
    (
        "嘉兴市住房和城乡建设局2020年工作总结",
        "嘉兴市住房和城乡建设局",
        "嘉兴市住房和城乡建设局2020年工作总结",
    ),
    (
        "辽宁省住房和城乡建设厅关于今年第二季度推进落实中央城市工作会议精神进展情况的报告",
        "辽宁省住房和城乡建设厅",
        "辽宁省住房和城乡建设厅关于今年第二季度/推进落实中央城市工作会议精神/进展情况的报告",
    ),
    (
        "嘉兴市住房和城乡建设局2023年法治政府建设年度报告",
        "嘉兴市住房和城乡建设局",
        "嘉兴市住房和城乡建设局2023年/法治政府建设年度报告",
    ),
    (
        "杭州市城乡建设委员会2020年度绩效考评目标完成情况",
        "杭州市城乡建设委员会",
        "杭州市城乡建设委员会2020年度/绩效考评目标完成情况",
    ),
    (
        "2021年嘉兴市政府工作报告重点工作及政府绩效考核执行情况",
        "嘉兴市人民政府办公室",
        "2021年嘉兴市政府工作报告重点工作/及政府绩效考核执行情况",
    ),
    ("政府工作报告", "某市人民政府", "政府工作报告"),
    # 30 more, as other bureaus title their reports
    (
        "某市住房和城乡建设局2024年工作总结和2025年工作思路",
        "某市住房和城乡建设局",
        "某市住房和城乡建设局2024年/工作总结和2025年工作思路",
    ),
    (
        "某县人民政府关于2023年度法治政府建设情况的报告",
        "某县人民政府",
        "某县人民政府关于2023年度/法治政府建设情况的报告",
    ),
    (
        "某市生态环境局2024年上半年工作总结及下半年工作安排",
        "某市生态环境局",
        "某市生态环境局2024年上半年/工作总结及下半年工作安排",
    ),
    (
        "某市交通运输局关于开展道路交通安全隐患排查整治专项行动的情况报告",
        "某市交通运输局",
        "某市交通运输局关于开展道路交通安全/隐患排查整治专项行动的情况报告",
    ),
    (
        "某区发展和改革局关于2024年国民经济和社会发展计划执行情况的报告",
        "某区发展和改革局",
        "某区发展和改革局关于2024年/国民经济和社会发展计划执行情况的报告",
    ),
    (
        "某市城市管理局2023年度党风廉政建设主体责任落实情况报告",
        "某市城市管理局",
        "某市城市管理局2023年度党风廉政建设/主体责任落实情况报告",
    ),
    (
        "某省住房和城乡建设厅关于推进城镇老旧小区改造工作进展情况的报告",
        "某省住房和城乡建设厅",
        "某省住房和城乡建设厅关于推进城镇/老旧小区改造工作进展情况的报告",
    ),
    (
        "某市自然资源和规划局2024年第三季度重点工作推进情况",
        "某市自然资源和规划局",
        "某市自然资源和规划局2024年第三季度/重点工作推进情况",
    ),
    (
        "关于某市2023年民生实事项目完成情况的报告",
        "某市人民政府",
        "关于某市2023年民生实事/项目完成情况的报告",
    ),
    (
        "某市水利局关于2024年防汛防台工作情况的汇报",
        "某市水利局",
        "某市水利局关于2024年/防汛防台工作情况的汇报",
    ),
    (
        "某县应急管理局2023年安全生产工作总结",
        "某县应急管理局",
        "某县应急管理局2023年安全生产工作总结",
    ),
    (
        "某市市场监督管理局关于优化营商环境工作情况的报告",
        "某市市场监督管理局",
        "某市市场监督管理局关于优化/营商环境工作情况的报告",
    ),
    (
        "某区教育局2024年工作总结和2025年工作计划",
        "某区教育局",
        "某区教育局2024年工作总结/和2025年工作计划",
    ),
    (
        "某市卫生健康委员会2023年法治政府建设年度报告",
        "某市卫生健康委员会",
        "某市卫生健康委员会2023年/法治政府建设年度报告",
    ),
    (
        "某市住房公积金管理中心2024年工作总结",
        "某市住房公积金管理中心",
        "某市住房公积金管理中心2024年工作总结",
    ),
    (
        "某市人力资源和社会保障局关于2024年就业工作情况的报告",
        "某市人力资源和社会保障局",
        "某市人力资源和社会保障局关于2024年/就业工作情况的报告",
    ),
    (
        "某市财政局关于2023年预算执行情况的报告",
        "某市财政局",
        "某市财政局关于2023年预算执行情况的报告",
    ),
    (
        "某县农业农村局2024年乡村振兴工作总结",
        "某县农业农村局",
        "某县农业农村局2024年乡村振兴工作总结",
    ),
    (
        "某市商务局关于推动消费提质扩容工作情况的报告",
        "某市商务局",
        "某市商务局关于推动消费/提质扩容工作情况的报告",
    ),
    (
        "某区住房和城乡建设局2024年度绩效考评目标完成情况",
        "某区住房和城乡建设局",
        "某区住房和城乡建设局2024年度/绩效考评目标完成情况",
    ),
    (
        "某市数据资源管理局关于数字化改革工作进展情况的报告",
        "某市数据资源管理局",
        "某市数据资源管理局关于数字化改革/工作进展情况的报告",
    ),
    (
        "某市公安局交通警察支队2023年工作总结",
        "某市公安局交通警察支队",
        "某市公安局交通警察支队2023年工作总结",
    ),
    (
        "某省生态环境厅关于中央生态环境保护督察反馈问题整改情况的报告",
        "某省生态环境厅",
        "某省生态环境厅关于中央生态环境保护/督察反馈问题整改情况的报告",
    ),
    (
        "某市文化广电旅游体育局2024年上半年工作总结",
        "某市文化广电旅游体育局",
        "某市文化广电旅游体育局/2024年上半年工作总结",
    ),
    (
        "某市城乡建设委员会关于“两战赢”防疫复工工作情况的汇报",
        "某市城乡建设委员会",
        "某市城乡建设委员会关于“两战赢”/防疫复工工作情况的汇报",
    ),
    (
        "某市司法局关于2023年度行政执法工作情况的报告",
        "某市司法局",
        "某市司法局关于2023年度/行政执法工作情况的报告",
    ),
    (
        "某市统计局2024年国民经济和社会发展统计公报",
        "某市统计局",
        "某市统计局2024年/国民经济和社会发展统计公报",
    ),
    (
        "某市审计局关于2023年度市级预算执行和其他财政收支的审计工作报告",
        "某市审计局",
        "某市审计局关于2023年度市级预算执行/和其他财政收支的审计工作报告",
    ),
    (
        "某市退役军人事务局2024年工作总结",
        "某市退役军人事务局",
        "某市退役军人事务局2024年工作总结",
    ),
    (
        "某县人民政府办公室关于2024年政务公开工作年度报告",
        "某县人民政府办公室",
        "某县人民政府办公室关于2024年/政务公开工作年度报告",
    ),
]

SHORT_ABOVE_LONG = {
    "某区发展和改革局关于2024年国民经济和社会发展计划执行情况的报告",
    "某市统计局2024年国民经济和社会发展统计公报",
}

# words no title line may end or start inside of
NEVER_SPLIT = (
    "住房和城乡建设",
    "年度",
    "工作",
    "报告",
    "总结",
    "建设",
    "推进",
    "目标",
    "关于",
    "中央城市工作会议",
    "国民经济和社会发展",
    "第二季度",
    "第三季度",
    "上半年",
)


@pytest.mark.parametrize(("title", "org", "expected"), TITLES, ids=[t[0][:12] for t in TITLES])
def test_titles_break_where_a_reviewer_would(title: str, org: str, expected: str) -> None:
    lines = break_title(title, (org,))
    assert "/".join(lines) == expected
    assert "".join(lines) == title
    widths = [text_width(line) for line in lines]
    assert max(widths) <= LINE_WIDTH
    for line, following in itertools.pairwise(lines):
        for word in (*NEVER_SPLIT, org):
            joined = line + following
            start = joined.find(word, max(0, len(line) - len(word) + 1))
            assert not (0 <= start < len(line) < start + len(word)), f"{word} split: {lines}"
        assert not line.endswith(("关于", "和", "及", "的")), lines
        assert not following.startswith("的"), lines
    if len(lines) == 2 and widths[0] < widths[1] - 1:
        # 上短下长 only where every 梯形 would cut a fixed term or leave a stub of a line
        assert title in SHORT_ABOVE_LONG, f"梯形: longer line above: {lines}"
    if len(lines) == 3:
        trapezoid = widths[0] >= widths[1] >= widths[2]
        diamond = widths[1] >= max(widths[0], widths[2])
        assert trapezoid or diamond, lines


def test_a_hand_broken_title_of_a_bad_shape_is_named() -> None:
    inside_a_word = title_problems(["嘉兴市住房和城乡建设局2023年法治政府建", "设年度报告"])
    assert any("“建设”被分在了两行" in message for message, _ in inside_a_word)
    hint = inside_a_word[0][1]
    assert "嘉兴市住房和城乡建设局2023年／法治政府建设年度报告" in hint
    too_long = title_problems(["嘉兴市住房和城乡建设局2023年法治政府建设年度", "报告"])
    assert any("超过一行能排下的 20 字" in message for message, _ in too_long)
    short_above = title_problems(["嘉兴市住房和城乡建设局", "2023年法治政府建设年度报告"])
    assert [message for message, _ in short_above] == ["上一行比下一行短，标题宜排成上长下短的梯形"]
    assert title_problems(["嘉兴市住房和城乡建设局2023年", "法治政府建设年度报告"]) == []


WORK_SUMMARY = """\
kind: work-summary
title: {title}
org: 某市住房和城乡建设局
year: 2023
date: 2024-01-15
signature: 是
{extra}
sections:
  - heading: 城市建设
    text: 全年新增城市道路24公里。
"""


def test_a_hand_broken_title_is_kept_and_warned_about_at_its_line(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    title = "|\n  某市住房和城乡建设局2023年法治政府建\n  设年度报告"
    build_file_tree(tmp_path, {"2023.yaml": WORK_SUMMARY.format(title=title, extra="")})
    code, out, err = run_cli("build", str(tmp_path / "2023.yaml"))
    assert code == 0, err
    output = out + err
    assert "2023.yaml:2" in output and "标题：“建设”被分在了两行" in output
    assert "某市住房和城乡建设局2023年／法治政府建设年度报告" in output
    assert "Traceback" not in output
    title_paragraph = docx_paragraphs(tmp_path / "2023.docx")[0]
    assert title_paragraph == ("Title", "某市住房和城乡建设局2023年法治政府建\n设年度报告")


def test_a_long_title_is_broken_in_the_docx_and_kept_whole_in_its_properties(
    tmp_path: Path,
) -> None:
    title = "某市住房和城乡建设局2023年法治政府建设年度报告"
    build_file_tree(tmp_path, {"2023.yaml": WORK_SUMMARY.format(title=title, extra="")})
    result = build_report(tmp_path / "2023.yaml")
    assert not result.warnings
    word = docx.Document(str(result.output))
    assert word.paragraphs[0].text == "某市住房和城乡建设局2023年\n法治政府建设年度报告"
    assert word.core_properties.title == title


# --- 署名 and 成文日期 -------------------------------------------------------------------------


def test_signature_places_follow_gbt_9704() -> None:
    # not stamped: 署名 two cells in; the date's first character two cells right of the 署名's
    org, date = "嘉兴市住房和城乡建设局", "2021年1月15日"
    places = signature_places(org, date, sealed=False)
    assert places.signature_right == 2
    assert (2 + cells(org)) - (places.date_right + cells(date)) == 2
    # a date longer than the 署名 keeps two cells, the 署名 moves left
    places = signature_places("某局", date, sealed=False)
    assert places.date_right == 2
    assert (places.signature_right + 2) - (2 + cells(date)) == 2
    # stamped: the date four cells in, the 署名 centred over it
    places = signature_places(org, date, sealed=True)
    assert places.date_right == 4
    centre_of = places.signature_right + cells(org) / 2
    assert centre_of == places.date_right + cells(date) / 2


def _indent(path: Path, style: str) -> tuple[int, str]:
    word = docx.Document(str(path))
    paragraph = next(p for p in word.paragraphs if p.style is not None and p.style.name == style)
    left = paragraph._p.xpath("string(w:pPr/w:ind/@w:left)")
    return int(left), str(paragraph.alignment)


@pytest.mark.parametrize("seal", [False, True])
def test_signature_lines_are_indented_from_the_left(tmp_path: Path, seal: bool) -> None:
    extra = "seal: 是" if seal else ""
    title = "某市住房和城乡建设局2023年工作总结"
    build_file_tree(tmp_path, {"2023.yaml": WORK_SUMMARY.format(title=title, extra=extra)})
    output = build_report(tmp_path / "2023.yaml").output
    date_style = "成文日期（加盖印章）" if seal else "成文日期"
    org_left, alignment = _indent(output, "落款")
    date_left, _ = _indent(output, date_style)
    assert alignment == "LEFT (0)"
    cell = 315  # 三号 16 pt less 0.25 pt spacing, in twips
    block = 8844
    places = signature_places("某市住房和城乡建设局", "2024年1月15日", sealed=seal)
    assert org_left == round(block - (places.signature_right + 10) * cell)
    assert date_left == round(block - (places.date_right + cells("2024年1月15日")) * cell)
    assert docx_paragraphs(output)[-2:] == [
        ("落款", "某市住房和城乡建设局"),
        (date_style, "2024年1月15日"),
    ]


def test_a_seal_without_a_signature_is_an_error(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    text = WORK_SUMMARY.format(title="某局2023年工作总结", extra="seal: 是").replace(
        "signature: 是", "signature: 否"
    )
    build_file_tree(tmp_path, {"2023.yaml": text})
    code, _out, err = run_cli("build", str(tmp_path / "2023.yaml"))
    assert code == 1
    assert "2023.yaml:" in err and "要加盖印章，但没有加落款" in err
    assert not (tmp_path / "2023.docx").exists()


# --- tables ------------------------------------------------------------------------------------


def test_content_columns_fit_their_longest_piece_and_text_columns_share_the_rest() -> None:
    rules = [
        ColumnRule("auto"),
        ColumnRule("rest"),
        ColumnRule("rest"),
        ColumnRule("auto", maximum=1500),
    ]
    texts = [
        ColumnText(pieces=(480, 240)),  # 序号 and "1"
        ColumnText(pieces=(1440,), rows=((2400,), (4800,))),
        ColumnText(pieces=(960,), rows=((24000,), (12000,))),
        ColumnText(pieces=(960, 2400)),  # a name longer than the column's maximum
    ]
    widths = choose_widths(rules, texts, 8844, 170)
    assert sum(widths) == 8844
    assert widths[0] == 480 + 170 + 40
    assert widths[3] == 1500
    assert widths[2] > widths[1] >= 1440 + 170, "the column with more text gets more room"


def _grid_widths(html: str, tmp_path: Path) -> list[int]:
    import datetime as dt

    from generator.docx_writer import DocumentProperties, write_docx
    from generator.render import reference_docx

    output = tmp_path / "table.docx"
    properties = DocumentProperties("表", "局", dt.datetime(2024, 12, 31, tzinfo=dt.UTC))
    write_docx(
        parse_html(html, source="t"), output, reference=reference_docx(), properties=properties
    )
    (table,) = docx.Document(str(output)).tables
    return [int(col.xpath("string(@w:w)")) for col in table._tbl.tblGrid.gridCol_lst]


def test_a_row_spanning_the_text_columns_leaves_their_widths_as_they_were(
    tmp_path: Path,
) -> None:
    lengths = [(5, 80), (80, 5), (1, 80), (20, 1)]  # characters of 任务 and 进展, row by row
    rows = "".join(
        f"<tr><td>{number}</td><td>{'推' * task}</td><td>{'进' * progress}</td></tr>"
        for number, (task, progress) in enumerate(lengths, start=1)
    )
    head = (
        '<table><col width="auto"><col width="*"><col width="*">'
        "<tr><th>序号</th><th>任务</th><th>进展</th></tr>"
    )
    spanning = '<tr><td>一</td><td colspan="2">以下为重点任务</td></tr>'
    plain = _grid_widths(f"{head}{rows}</table>", tmp_path)
    assert _grid_widths(f"{head}{spanning}{rows}</table>", tmp_path) == plain
    assert plain[2] > plain[1], "the column with more text gets more room"


def test_three_text_columns_with_as_much_text_share_the_width_about_equally() -> None:
    """No millimetre lowers the table while the other columns stay as tall: the columns widen
    in turn (one column took it all, leaving the others at their headers' width)."""
    rules = [ColumnRule("rest")] * 3
    texts = [ColumnText(pieces=(600,), rows=((20000,), (6000,)))] * 3
    widths = choose_widths(rules, texts, 8844, 210)
    assert sum(widths) == 8844
    assert max(widths) - min(widths) <= 8844 // 10


def test_a_name_too_long_for_one_line_narrows_its_own_column_only(tmp_path: Path) -> None:
    """A 40-character name in a column sized by its content: that column gives way, not the
    short one before it, and the text column keeps room for text (both were 0 mm wide)."""
    head = (
        '<table><col width="auto"><col width="auto"><col width="*">'
        "<tr><th>序号</th><th>牵头单位</th><th>说明</th></tr>"
    )
    short = _grid_widths(
        f"{head}<tr><td>1</td><td>市发改委</td><td>按时推进</td></tr></table>", tmp_path
    )
    long = _grid_widths(
        f"{head}<tr><td>1</td><td>{'推' * 40}</td><td>按时推进</td></tr></table>", tmp_path
    )
    assert long[0] == short[0], "the short column keeps its width"
    assert sum(long) == sum(short)
    two_characters = 2 * 240 + 170  # 小四 characters and the cell margins, in twips
    assert min(long) >= two_characters
    assert long[1] > long[2]


def test_fixed_widths_that_leave_no_room_for_a_text_column_are_a_template_error(
    tmp_path: Path,
) -> None:
    html = '<table><col width="100%"><col width="*"><tr><td>甲</td><td>乙</td></tr></table>'
    with pytest.raises(TemplateError, match="超过版心宽度"):
        _grid_widths(html, tmp_path)


def test_col_auto_and_star_with_bounds_parse() -> None:
    html = (
        '<table orientation="landscape"><col width="auto" max="30mm"><col width="*" min="40mm">'
        "<tr><td>a</td><td>b</td></tr></table>"
    )
    (table,) = parse_html(html, source="t").blocks
    assert table.landscape  # type: ignore[union-attr]
    first, second = table.widths  # type: ignore[union-attr]
    assert (first.unit, first.maximum, second.unit, second.minimum) == ("auto", 30, "*", 40)


def _table_xml(path: Path) -> str:
    return "".join(
        element.xml for element in docx.Document(str(path)).element.body.iter(qn("w:tbl"))
    )


@pytest.mark.parametrize("name", ["task-progress", "performance-review"])
def test_table_examples_are_landscape_with_content_sized_columns(tmp_path: Path, name: str) -> None:
    output = build_report(EXAMPLES / f"{name}.yaml", tmp_path / f"{name}.docx").output
    word = docx.Document(str(output))
    section = word.sections[0]
    assert section.page_width > section.page_height  # type: ignore[operator]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635  # type: ignore[operator]
    assert round(text_width / 1440 * 25.4) == 225
    (table,) = word.tables
    widths = [int(col.xpath("string(@w:w)")) for col in table._tbl.tblGrid.gridCol_lst]
    assert abs(sum(widths) - text_width) <= 15
    # header cells are centred vertically
    header = table._tbl.tr_lst[0]
    assert {tc.xpath("string(w:tcPr/w:vAlign/@w:val)") for tc in header.tc_lst} == {"center"}


def test_a_range_hyphen_is_held_by_word_joiners_and_reads_back_as_typed(tmp_path: Path) -> None:
    output = build_report(EXAMPLES / "task-progress.yaml", tmp_path / "t.docx").output
    xml = _table_xml(output)
    assert "1\u2060-\u20606月完成投资110.95亿元" in xml
    assert "1-6月完成投资110.95亿元" in docx_text(output)


def test_byline_breaks_between_items(tmp_path: Path) -> None:
    output = build_report(EXAMPLES / "rule-of-law-report.yaml", tmp_path / "r.docx").output
    byline = next(text for style, text in docx_paragraphs(output) if style == "署名行")
    assert byline.split("\n") == [
        "作者：政策法规处（行政审批处）　审核人：马超",
        "来源：政策法规处（行政审批处）　日期：2024-02-27",
    ]


def test_a_hand_broken_line_a_little_too_long_is_set_closer(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """A typed title line of 21 characters is squeezed into the block, not wrapped by Word."""
    title = "|\n  某市住房和城乡建设局2023年度法治政府建设\n  年度报告"
    build_file_tree(tmp_path, {"2023.yaml": WORK_SUMMARY.format(title=title, extra="")})
    code, out, err = run_cli("build", str(tmp_path / "2023.yaml"))
    assert code == 0, err
    assert "第1行约 21 字，超过一行的 20 字，只能压紧字距排在一行" in out + err
    word = docx.Document(str(tmp_path / "2023.docx"))
    spacing = {
        int(run._r.xpath("string(w:rPr/w:spacing/@w:val)")) for run in word.paragraphs[0].runs
    }
    assert spacing and max(spacing) < -5  # closer than the style's -0.25 pt
