"""Stage 5: write the document model into a copy of the reference .docx. The only module of the
package that imports ``docx``.

All formatting comes from the reference file's named styles and its page setup (margins, grid,
odd/even page-number footers): this module sets no font, size or spacing itself. The file is written
to a temporary name in the target folder and renamed into place, so an existing report is never
left half-written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from generator.document import Document
from generator.errors import FileAccessError, TemplateError


@dataclass(frozen=True)
class DocumentProperties:
    """Core properties stored in the .docx; fixed values make builds reproducible."""

    title: str
    author: str
    created: dt.datetime


def write_docx(
    document: Document, output: Path, *, reference: Path, properties: DocumentProperties
) -> None:
    """Write ``document`` to ``output`` (atomically) in the house style of ``reference``."""
    word = _open_reference(reference)
    _check_styles(word, document, reference)
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    for block in document.blocks:
        paragraph = word.add_paragraph(style=word.styles[block.style])
        for run in block.runs:
            paragraph.add_run(run.text, style=word.styles[run.style] if run.style else None)
    core = word.core_properties
    core.title = properties.title
    core.author = properties.author
    core.last_modified_by = properties.author
    core.created = properties.created
    core.modified = properties.created
    core.revision = 1
    core.comments = ""
    core.keywords = ""
    core.subject = ""
    _save_atomically(word, output)


def _open_reference(reference: Path) -> docx.document.Document:
    try:
        return docx.Document(str(reference))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise TemplateError(
            location=str(reference), reason=f"参考样式文件无法打开（{error}）"
        ) from None


def _check_styles(word: docx.document.Document, document: Document, reference: Path) -> None:
    """Every style a template names must exist in the reference .docx, with the right type."""
    paragraph_styles, run_styles = document.styles
    missing: list[str] = []
    for names, style_type, label in (
        (paragraph_styles, WD_STYLE_TYPE.PARAGRAPH, "段落样式"),
        (run_styles, WD_STYLE_TYPE.CHARACTER, "字符样式"),
    ):
        for name in sorted(names):
            try:
                if word.styles[name].type != style_type:
                    missing.append(f"“{name}”不是{label}")
            except KeyError:
                missing.append(f"缺少{label}“{name}”")
    if missing:
        raise TemplateError(
            location=str(reference),
            reason="；".join(missing)
            + "。请在 Word 中打开参考样式文件添加该样式，或修改模板中的样式名",
        )


def _save_atomically(word: docx.document.Document, output: Path) -> None:
    folder = output.parent
    if not folder.is_dir():
        raise FileAccessError(
            path=output,
            reason="输出文件夹不存在",
            hint=f"请先创建文件夹 {folder}，或换一个输出位置。",
        )
    if output.is_dir():
        raise FileAccessError(
            path=output, reason="输出路径是一个文件夹", hint="请给出 .docx 文件名。"
        )
    try:
        handle, temporary_name = tempfile.mkstemp(
            prefix=f".{output.stem}.", suffix=".tmp", dir=folder
        )
    except PermissionError:
        raise FileAccessError(
            path=output, reason="没有权限在该文件夹中写文件", hint="请换一个输出位置（-o）。"
        ) from None
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            word.save(stream)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(output)
    except PermissionError:
        raise FileAccessError(
            path=output,
            reason="无法写入：文件可能正在 Word/WPS 中打开，或没有写入权限",
            hint="请关闭该文件后重试，或用 -o 另存为其他文件名。",
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
