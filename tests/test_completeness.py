"""Nothing lost: a template that forgets a field stops the build instead of dropping text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.completeness import nfkc
from generator.errors import TemplateError
from generator.pipeline import build_report
from tests.helpers import build_file_tree

REPORT = """\
kind: work-summary
title: 某局2024年工作总结
org: 某局
year: 2024
sections:
  - heading: 主要工作
    text: 做了很多工作。
closing: 特此报告。
"""

FORGETFUL = """\
{% import "_outline.html.j2" as outline %}
{{ outline.title(report.title) }}
{{ outline.outline(report.sections, report.top_level) }}
"""


def test_a_template_that_drops_a_field_stops_the_build(tmp_path: Path) -> None:
    build_file_tree(
        tmp_path,
        {
            "in.yaml": REPORT,
            "custom/work-summary/report.html.j2": FORGETFUL,
        },
    )
    output = tmp_path / "out.docx"
    with pytest.raises(TemplateError) as caught:
        build_report(tmp_path / "in.yaml", output, templates_dir=tmp_path / "custom")
    assert "结尾 › 第1段“特此报告。”" in str(caught.value)
    assert "work-summary/report.html.j2" in str(caught.value)
    assert not output.exists()


def test_org_kept_as_the_document_author_counts_as_present(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(REPORT.replace("org: 某局", "org: 某某市某某局"), encoding="utf-8")
    assert build_report(source, tmp_path / "out.docx").output.exists()


@given(
    st.text(
        st.one_of(
            st.sampled_from("，：；（）！？％．／～－＋\u3000。、“”《》—…ＡＢｃ１２\u0301\u0308é"),
            st.characters(codec="utf-8"),
            st.sampled_from("汇报完成率亿元"),
        )
    )
)
def test_the_quick_nfkc_is_nfkc(text: str) -> None:
    """The nothing-lost check folds common full-width marks before NFKC: the result is NFKC's,
    combining marks after a folded mark included."""
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
