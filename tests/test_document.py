from __future__ import annotations

import pytest

from generator.document import (
    Cell,
    Document,
    Paragraph,
    Run,
    StyleNames,
    Table,
    Width,
    parse_html,
)
from generator.errors import TemplateError


def test_subset_maps_to_named_styles() -> None:
    html = """
    <html><head><title>预览</title></head><body>
      <p class="Title">某局<br>工作总结</p>
      <h1>一、总体情况</h1>
      <p><span class="接排标题2">（一）抓落实。</span>正文 继续。</p>
      <p class="落款">某局</p>
    </body></html>
    """
    document = parse_html(html, source="t.html.j2")
    assert document.blocks == (
        Paragraph("Title", (Run("某局\n工作总结"),)),
        Paragraph("Heading 1", (Run("一、总体情况"),)),
        Paragraph("Normal", (Run("（一）抓落实。", "接排标题2"), Run("正文 继续。"))),
        Paragraph("落款", (Run("某局"),)),
    )
    assert document.styles == StyleNames({"Title", "Heading 1", "Normal", "落款"}, {"接排标题2"})


def test_escaped_text_comes_back_literally() -> None:
    document = parse_html("<p>&lt;b&gt;粗体&lt;/b&gt; &amp; {{ 7*7 }}</p>", source="t")
    assert document.text == "<b>粗体</b> & {{ 7*7 }}"


def test_layout_whitespace_is_dropped_but_typed_spaces_kept() -> None:
    document = parse_html("<p>\n    甲\n    乙  丙\n</p>", source="t")
    assert document.text == "甲乙  丙"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<p>a<table></table></p>", "<table> 不能写在段落里面"),
        ("<p>a<img></p>", "不支持的标记 <img>"),
        ("<table><tr><td><table>", "表格不能嵌套"),
        ("<table><tr><td>a</td></tr>", "<table> 没有结束标记"),
        ("<table></table>", "表格没有任何行"),
        ("<td>a</td>", "只能写在 <table> 里面"),
        ("<table><td>a</td></table>", "只能写在 <tr> 里面"),
        ("<table><p>a</p></table>", "只能写在 <td>/<th> 里面"),
        ("<table><col width='2cm'><tr><td>a</td></tr></table>", "应写成毫米或百分比"),
        ("<table><tr><td rowspan='x'>a</td></tr></table>", "应是 1 到 1000 的整数"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "第 2 行占 1 列"),
        ("<table><tr><td rowspan='3'>a</td></tr><tr></tr></table>", "超出了表格的最后一行"),
        ("<table><tr><td>a<p>b</p></td></tr></table>", "不能写在另一个段落里面"),
        ("裸文字", "没有放在段落"),
        ("<p><span>a</span></p>", "需要 class"),
        ("<p>a<p>b</p></p>", "不能写在另一个段落里面"),
        ("<p>未结束", "段落没有结束标记"),
        ("<br>", "只能写在段落里面"),
    ],
)
def test_template_mistakes_are_reported_for_maintainers(html: str, reason: str) -> None:
    with pytest.raises(TemplateError, match=reason) as caught:
        parse_html(html, source="kind/report.html.j2")
    assert "kind/report.html.j2" in str(caught.value)


TABLE = """
<table>
  <col width="15mm"><col width="40%"><col width="20mm">
  <thead><tr><th>维度</th><th>名称</th><th>情况</th></tr></thead>
  <tbody>
    <tr><td rowspan="2" class="表格居中">日常履职</td><td>★小区改造</td>
        <td><p class="表格文字">1.完成情况。</p><p class="表格文字">2.工作举措。</p></td></tr>
    <tr><td colspan="2">续行<br>第二行</td></tr>
  </tbody>
</table>
"""


def test_table_rows_cells_and_merges() -> None:
    (table,) = parse_html(TABLE, source="t").blocks
    assert isinstance(table, Table)
    assert table.style == "公文表格"
    assert table.widths == (Width(15, "mm"), Width(40, "%"), Width(20, "mm"))
    header, first, second = table.rows
    assert header.header and not first.header and not second.header
    assert header.cells[0] == Cell((Paragraph("表格标题", (Run("维度"),)),))
    assert first.cells[0].rowspan == 2 and first.cells[0].paragraphs[0].style == "表格居中"
    assert [p.text for p in first.cells[2].paragraphs] == ["1.完成情况。", "2.工作举措。"]
    assert second.cells == (Cell((Paragraph("表格文字", (Run("续行\n第二行"),)),), colspan=2),)


def test_table_grid_continues_merged_cells() -> None:
    (table,) = parse_html(TABLE, source="t").blocks
    assert isinstance(table, Table)
    grid = table.grid()
    assert [[(p.column, p.continued) for p in row] for row in grid] == [
        [(0, False), (1, False), (2, False)],
        [(0, False), (1, False), (2, False)],
        [(0, True), (1, False)],
    ]
    assert grid[2][0].cell is grid[1][0].cell


def test_table_text_and_styles_count_in_the_document() -> None:
    document = parse_html("<p>前</p>" + TABLE + "<p>后</p>", source="t")
    assert document.text.splitlines()[:3] == ["前", "维度", "名称"]
    assert document.text.splitlines()[-1] == "后"
    assert document.styles.table == {"公文表格"}
    assert {"表格标题", "表格文字", "表格居中", "Normal"} == document.styles.paragraph


def test_empty_cell_still_has_a_paragraph() -> None:
    (table,) = parse_html("<table><tr><td></td><td>x</td></tr></table>", source="t").blocks
    assert isinstance(table, Table)
    assert table.rows[0].cells[0].paragraphs == (Paragraph("表格文字", ()),)
    assert table.widths == (Width(50, "%"), Width(50, "%"))


def _with_html_parser(html: str) -> Document | str:
    """What the standard library's parser makes of ``html`` (or its message)."""
    from generator.document import _SubsetParser

    parser = _SubsetParser("t.html.j2")
    try:
        parser.feed(html)
        parser.close()
        return parser.document()
    except TemplateError as error:
        return str(error)


def _with_parse_html(html: str) -> Document | str:
    try:
        return parse_html(html, source="t.html.j2")
    except TemplateError as error:
        return str(error)


@pytest.mark.parametrize(
    "html",
    [
        '<p class="正文">A &amp; B &lt;C&gt; &#34;D&#34; &#39;E&#39;</p>',
        "<P CLASS='正文'>upper<BR/>case</P>",
        '<p\n  class="正文"\n>line\nbreaks <span class="要点标题">in</span> tags</p>',
        '<table class="公文表格"><col width="auto"><tr><td rowspan="2">1</td><td>a<br>b</td></tr>'
        "<tr><td>c</td></tr></table>",
        '<p class="正文">x</p>\n\n<p class="正文">never closed',
        "<p>a</p>\n<p>b</p>\n<q>unknown tag on line 3</q>",
        "<p>a</p>\n<!-- a comment -->\n<p>b</p>",
        "<p>a < b</p>",
        "<p class=unquoted>c</p>",
        '<style>p { color: red }</style><p class="正文">d</p>',
        "<p>&notanentity; &amp</p>",
    ],
)
def test_plain_html_reads_as_the_standard_parser_reads_it(html: str) -> None:
    """huibao reads its templates' well-formed HTML with a fast reader of its own and anything
    else with the standard library's parser: the document, or the message and its line, are the
    same either way."""
    assert _with_parse_html(html) == _with_html_parser(html)
