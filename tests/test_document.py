from __future__ import annotations

import pytest

from generator.document import Paragraph, Run, parse_html
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
    assert document.styles == ({"Title", "Heading 1", "Normal", "落款"}, {"接排标题2"})


def test_escaped_text_comes_back_literally() -> None:
    document = parse_html("<p>&lt;b&gt;粗体&lt;/b&gt; &amp; {{ 7*7 }}</p>", source="t")
    assert document.text == "<b>粗体</b> & {{ 7*7 }}"


def test_layout_whitespace_is_dropped_but_typed_spaces_kept() -> None:
    document = parse_html("<p>\n    甲\n    乙  丙\n</p>", source="t")
    assert document.text == "甲乙  丙"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<p>a<table></table></p>", "不支持的标记 <table>"),
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
