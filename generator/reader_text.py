"""Text files for ``huibao import``: one paragraph a line, in whatever encoding Windows saved.

Notepad saves UTF-8 (with a BOM) or UTF-16 ("Unicode"); Chinese Windows editors and browsers'
"save as text" often GB18030/GBK. Each is read; anything else is an error at its first bad line.
"""

from __future__ import annotations

from pathlib import Path

from generator.encodings import decode_text as decode_utf8_or_chinese
from generator.errors import FileAccessError
from generator.reader_clean import Normaliser
from generator.reader_docx import MAX_PARAGRAPHS
from generator.reading import ReadDocument, ReadParagraph


def read_txt(path: Path, raw: bytes) -> ReadDocument:
    """One paragraph a line; blank lines dropped; UTF-8 (BOM or not), UTF-16 with BOM, GB18030."""
    text, notes = decode_text(path, raw)
    normaliser = Normaliser()
    blocks: list[ReadParagraph] = []
    for line in text.splitlines():
        paragraph = normaliser.paragraph([(line, False)])
        if paragraph is not None:
            blocks.append(paragraph)
            if len(blocks) > MAX_PARAGRAPHS:
                raise FileAccessError(
                    path=path,
                    reason=f"文件的段落太多（超过 {MAX_PARAGRAPHS} 段），拒绝读取",
                    hint="请确认选对了文件；特别长的文档请分成几份再导入。",
                )
    return ReadDocument(
        blocks=tuple(blocks), notes=(*notes, *normaliser.notes()), source_format="txt"
    )


def decode_text(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """The text of a text file and, for GB18030, a note saying so.

    An encoding huibao cannot read is an ``InputError`` at the first line that does not read
    as UTF-8, naming the encoding it looks like.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise FileAccessError(
                path=path,
                reason="文件以 UTF-16 编码的标记开头，但内容不是有效的 UTF-16 文字",
                hint="文件可能已损坏：请用记事本打开，另存为 UTF-8 编码的文本。",
            ) from None
    if b"\x00" in raw:
        raise FileAccessError(
            path=path,
            reason="这不是文本文件（含有二进制内容）",
            hint="请选择 .txt 文本文件；Word 文档请用 .docx 或 .doc 扩展名。",
        )
    text, chinese = decode_utf8_or_chinese(
        raw, path, save_hint="请用记事本打开，“另存为”时把编码选为 UTF-8。"
    )
    if not chinese:
        return text, []
    return text, ["文件不是 UTF-8 编码，已按 GB18030（GBK）读取"]
