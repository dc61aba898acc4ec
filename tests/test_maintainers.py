"""docs/maintainers.md, followed step by step in a temporary folder, as a template maintainer would.

Export the templates, change a sentence in a template, change a style's size in the exported
reference.docx (saved by python-docx, as Word saves it), check the reference, build with
``--templates``: the report has the new sentence and the new size. No Python of huibao changes.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
from docx.shared import Pt

from tests.helpers import EXAMPLES, ROOT, docx_paragraphs

RunCli = Callable[..., tuple[int, str, str]]
GUIDE = ROOT / "docs" / "maintainers.md"
OLD_SENTENCE = "按照工作部署，现将"
NEW_SENTENCE = "根据省委省政府工作安排，现将"


def test_the_walkthrough(run_cli: RunCli, tmp_path: Path) -> None:
    source = tmp_path / "2024.yaml"
    shutil.copyfile(EXAMPLES / "progress-report.yaml", source)
    folder = tmp_path / "我的模板"

    # 从导出一份模板开始
    code, _, err = run_cli("templates", "export", str(folder))
    assert code == 0, err

    # 一、改一句话
    template = folder / "progress-report" / "report.html.j2"
    text = template.read_text(encoding="utf-8")
    assert text.count(OLD_SENTENCE) == 1
    template.write_text(text.replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8")

    # 二、改样式: 标题 2 (the （一） headings of this report) from 三号 to 小二 (18 pt)
    reference = folder / "reference.docx"
    word = docx.Document(str(reference))
    word.styles["Heading 2"].font.size = Pt(18)
    word.save(str(reference))
    code, out, err = run_cli("reference", "check", str(folder))
    assert (code, err) == (0, ""), err
    assert out.startswith("检查通过：")

    # build with the folder
    output = tmp_path / "2024.docx"
    code, _, err = run_cli("build", str(source), "-o", str(output), "--templates", str(folder))
    assert code == 0, err
    paragraphs = docx_paragraphs(output)
    opening = [text for _, text in paragraphs if "报告如下" in text]
    assert opening == [
        f"{NEW_SENTENCE}我省今年第二季度推进落实中央城市工作会议精神进展情况报告如下："
    ]
    assert any(style == "Heading 2" for style, _ in paragraphs)
    built = docx.Document(str(output))
    assert built.styles["Heading 2"].font.size == Pt(18)
    assert built.styles["Heading 1"].font.size == Pt(16)

    # the built-in templates are untouched: a build without the folder has the old sentence
    plain = tmp_path / "plain.docx"
    assert run_cli("build", str(source), "-o", str(plain))[0] == 0
    assert any(text.startswith(OLD_SENTENCE) for _, text in docx_paragraphs(plain))
    assert docx.Document(str(plain)).styles["Heading 2"].font.size == Pt(16)


def test_the_guide_quotes_the_templates_and_commands_as_they_are(run_cli: RunCli) -> None:
    """The template line and the commands docs/maintainers.md shows still exist."""
    guide = GUIDE.read_text(encoding="utf-8")
    (quoted,) = re.findall(r"^ +(<p>按照工作部署.*</p>)$", guide, flags=re.MULTILINE)
    builtin = (ROOT / "templates" / "progress-report" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    assert quoted in builtin
    for command in ("templates export", "reference check", "preview"):
        assert f"huibao {command}" in guide
        code, _, err = run_cli(*command.split(), "-h")
        assert code == 0, err
    assert "--templates" in guide and "--png" in guide and "--pdf" in guide
