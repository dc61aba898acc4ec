"""``huibao import`` of real Word files, end to end through the reader: a report made as Word
makes it (raw XML with multilevel automatic numbering, style-linked headings, restarts, runs
split mid-word, tracked changes, a field, a text box), the same saved as .doc by LibreOffice,
and every example built by huibao and imported back."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.pipeline import validate_input
from generator.reader import read_document
from generator.reading import ReadParagraph
from tests.helpers import (
    EXAMPLES,
    docx_paragraphs,
    docx_text,
    normalise,
    overlap,
    require_libreoffice,
)
from tests.test_reader import REPORT_LIST, para, text_run, write_docx

RunCli = Callable[..., tuple[int, str, str]]

_CHANGE = 'w:id="{}" w:author="张三" w:date="2024-01-10T09:00:00Z"'


def _field(instruction: str, result: str) -> str:
    return "".join(
        [
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            text_run(result),
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        ]
    )


def _text_box(text: str) -> str:
    box = para(text)
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:extent cx="1828800" cy="457200"/><wp:docPr id="1" name="文本框 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx>"
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape id="文本框 1" style="width:144pt;height:36pt">'
        f"<v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


RIGHT = '<w:jc w:val="right"/>'


def word_report(path: Path) -> Path:
    """A 2023 summary as Word stores it: 一、 and （一） from the heading styles, 1. and （1）
    from the list itself, restarting under each parent."""
    body = "".join(
        [
            para("嘉兴市住房和城乡建设局2023年工作总结", style="Title"),
            para(
                "2023年，全局完成",
                f"<w:del {_CHANGE.format(1)}><w:r><w:delText>投资120</w:delText></w:r></w:del>",
                f"<w:ins {_CHANGE.format(2)}>{text_run('固定资产投资125')}</w:ins>",
                "亿元，各项工作取得新成效。",
            ),
            para("主要工作", style="1"),
            para("城市建设提速", style="2"),
            para(
                "道路",
                "建设。新",
                "建城市道路12公里，",
                "按",
                _field("DOCPROPERTY Company", "市政府"),
                "部署推进。",
                num=1,
                ilvl=2,
            ),
            para(
                "完成主干路5条，次干路7条，全部按期通车，群众出行更加便捷，城市路网结构进一步优化。",
                num=1,
                ilvl=3,
            ),
            para("管网建设。一是新建雨污管网30公里。二是改造老旧管网12公里。", num=1, ilvl=2),
            para("住房保障有力", style="2"),
            para("租赁补贴。发放租赁补贴8000户。", num=1, ilvl=2, properties=""),
            para("全年住房保障工作平稳有序。", _text_box("（数据截至2023年12月底）")),
            para("存在问题", style="1"),
            para("资金压力较大，部分项目推进不及预期。"),
            para("嘉兴市住房和城乡建设局", properties=RIGHT),
            para("2024年1月15日", properties=RIGHT),
        ]
    )
    return write_docx(path, body, numbering=REPORT_LIST)


def test_a_word_report_with_automatic_numbering_imports_and_builds_again(
    tmp_path: Path, run_cli: RunCli
) -> None:
    source = word_report(tmp_path / "2023年工作总结.docx")
    code, _, err = run_cli("import", str(source))
    assert code == 0, err
    draft = tmp_path / "2023年工作总结.yaml"
    text = draft.read_text(encoding="utf-8")
    assert "\nkind: work-summary\n" in text
    report = validate_input(draft).report
    main = report.sections[0]  # type: ignore[attr-defined]
    assert main.heading == "主要工作"
    assert [section.heading for section in main.sections] == ["城市建设提速", "住房保障有力"]
    roads, pipes = main.sections[0].sections
    assert (roads.heading, roads.run_in) == ("道路建设", True)
    assert roads.text == ["新建城市道路12公里，按市政府部署推进。"]
    assert roads.sections[0].heading is None  # （1）, a numbered sentence
    assert [item.text for item in pipes.items] == ["新建雨污管网30公里。", "改造老旧管网12公里。"]
    assert (report.org, str(report.date), report.signature) == (  # type: ignore[attr-defined]
        "嘉兴市住房和城乡建设局",
        "2024-01-15",
        True,
    )
    for typed in ("一、", "（一）", "1.", "（1）"):
        assert f"heading: {typed}" not in text
    code, _, err = run_cli("build", str(draft))
    assert code == 0, err
    read = [
        block.text for block in read_document(source).blocks if isinstance(block, ReadParagraph)
    ]
    built = docx_text(draft.with_suffix(".docx"))
    result = overlap(normalise("".join(read)), normalise(built))
    assert result.recall >= 0.99, result.missing[:5]
    assert result.precision >= 0.99, result.extra[:5]
    assert [t for _, t in docx_paragraphs(draft.with_suffix(".docx"))][2:6] == [
        "一、主要工作",
        "（一）城市建设提速",
        "1.道路建设。新建城市道路12公里，按市政府部署推进。",
        "（1）完成主干路5条，次干路7条，全部按期通车，群众出行更加便捷，城市路网结构进一步优化。",
    ]


@pytest.mark.libreoffice
def test_a_doc_saved_by_libreoffice_imports(tmp_path: Path, run_cli: RunCli) -> None:
    binary = require_libreoffice()
    source = word_report(tmp_path / "原稿.docx")
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "doc"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )
    doc = tmp_path / "doc" / "原稿.doc"
    assert result.returncode == 0 and doc.exists(), result.stderr
    code, _, err = run_cli("import", str(doc), "-o", str(tmp_path / "草稿.yaml"))
    assert code == 0, err
    report = validate_input(tmp_path / "草稿.yaml").report
    assert [s.heading for s in report.sections] == ["主要工作", "存在问题"]  # type: ignore[attr-defined]
    code, _, err = run_cli("build", str(tmp_path / "草稿.yaml"))
    assert code == 0, err
    built = normalise(docx_text(tmp_path / "草稿.docx"))
    for paragraph in (
        "一、主要工作",
        "（一）城市建设提速",
        "二是改造老旧管网12公里。",
        "二、存在问题",
    ):
        assert normalise(paragraph) in built


# half-width marks of the seed kept on purpose in examples/work-summary.yaml come back full-width
_FULL_WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_built_report_imports_back_to_the_same_document(
    example: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    built = tmp_path / "built.docx"
    code, _, err = run_cli("build", str(example), "-o", str(built))
    assert code == 0, err
    code, _, err = run_cli("import", str(built), "-o", str(tmp_path / "draft.yaml"))
    assert code == 0, err
    draft = tmp_path / "draft.yaml"
    assert f"\nkind: {example.stem}\n" in draft.read_text(encoding="utf-8")
    code, _, err = run_cli("build", str(draft))
    assert code == 0, err
    before = docx_paragraphs(built)
    after = docx_paragraphs(draft.with_suffix(".docx"))
    assert [style for style, _ in after] == [style for style, _ in before]
    assert [text for _, text in after] == [text.translate(_FULL_WIDTH) for _, text in before]
