"""The reader of ``huibao import``: an existing report, read as the person reading it sees it.

``read_document`` turns last year's report — a Word document (.docx; .doc and .wps through
LibreOffice), a text file or a web page saved from a government site — into the plain model of
``generator/reading.py``: paragraphs with automatic numbers rendered, tables with their merges,
and notes (Chinese sentences) saying what the reader changed to read it. Recognising the
report's outline is the importer's work, not the reader's.

Every problem a user can cause is a ``FileAccessError`` or ``InputError`` with a Chinese message
naming the file and what to do: a missing file, a format huibao does not read, a damaged or
hostile package, a text file in an unknown encoding, LibreOffice missing or failing.

The format is taken from the file's content where the extension lies: a .doc that is really a
.docx (a zip), an RTF, a Word 2003 XML document, a web page or a single-file web page (MHT)
saved as .doc — what many office systems export — is read as what it is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Literal

from generator.errors import FileAccessError
from generator.reader_docx import read_docx
from generator.reader_html import looks_like_html, read_html, read_mht
from generator.reader_text import read_txt
from generator.reading import ReadDocument

MAX_INPUT_BYTES = 50 * 1024 * 1024
CONVERT_TIMEOUT_SECONDS = 120.0
"""How long LibreOffice may take to convert one .doc; a 100-page document takes a few seconds."""

_IMPORT_FILTERS = {
    ".doc": ("MS Word 97", "MS Word 95", "MS WinWord 6.0"),
    ".rtf": ("Rich Text Format",),
    ".xml": ("MS Word 2003 XML",),
}
"""LibreOffice's import filters to try, in order. Without one, a file no filter recognises
would be read as plain text, its bytes shown as a document."""
_WORD_2003_XML = (b"Word.Document", b"schemas.microsoft.com/office/word/2003/wordml")
"""How a Word 2003 XML document begins: what many office systems generate and save as .doc."""
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How .doc and .wps files (and Office files protected by a password to open) begin."""
ZIP_SIGNATURE = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

Format = Literal["docx", "doc", "wps", "txt", "html"]
SUFFIXES: dict[str, Format] = {
    ".docx": "docx",
    ".docm": "docx",
    ".doc": "doc",
    ".wps": "wps",
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
}
_OTHER_KINDS = {
    ".pdf": "PDF 文件不能直接导入：请在 Word 或 WPS 中打开它并另存为 .docx，"
    "或复制全部文字另存为 .txt 后再导入。",
    ".yaml": "这是 huibao 的表单，不需要导入：直接用 huibao build 生成报告。",
    ".yml": "这是 huibao 的表单，不需要导入：直接用 huibao build 生成报告。",
    ".xlsx": "这是 Excel 工作簿：huibao 的表单工作簿请直接用 huibao build 生成报告。",
    ".odt": "请在 LibreOffice、Word 或 WPS 中把它另存为 Word 文档（.docx）后再导入。",
    ".rtf": "请在 Word 或 WPS 中把它另存为 Word 文档（.docx）后再导入。",
}


def read_document(path: Path) -> ReadDocument:
    """Read a .docx, .doc, .wps, .txt or .html report as its reader sees it.

    Raises ``FileAccessError`` (the file cannot be read as a report, or holds no text) or
    ``InputError`` (a text file in an encoding huibao cannot read, with the first bad line).
    """
    document = _read(path)
    if not document.blocks:
        scanned = document.source_format in ("docx", "doc", "wps") and _has_pictures(path)
        raise FileAccessError(
            path=path,
            reason="文件中没有可以读取的文字" + ("（只有图片，可能是扫描件）" if scanned else ""),
            hint="请选择去年报告的原始 Word 文档；扫描件请先用文字识别（OCR）转成文字。",
        )
    return document


def _read(path: Path) -> ReadDocument:
    kind = _kind(path)
    raw = _read_bytes(path)
    head = raw[:8]
    if kind == "txt":
        _refuse_office_file(path, head)
        return read_txt(path, raw)
    if kind == "html":
        _refuse_office_file(path, head)
        return read_html(path, raw)
    if head.startswith(ZIP_SIGNATURE):
        return read_docx(path)
    word_kind: Literal["doc", "wps"] = "wps" if kind == "wps" else "doc"
    if head == OLE_SIGNATURE:
        if _ENCRYPTED in raw:
            raise FileAccessError(
                path=path,
                reason="文档设置了打开密码，无法读取",
                hint="请在 Word 或 WPS 中打开它，取消密码（文件 › 信息 › 保护文档），"
                "另存为 .docx 后再导入。",
            )
        return _convert(path, raw, suffix=".doc", kind=word_kind)
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:5] == b"{\\rtf":
        return _convert(path, raw, suffix=".rtf", kind=word_kind)
    if start[:5] == b"<?xml" and any(mark in raw[:8192] for mark in _WORD_2003_XML):
        return _convert(path, raw, suffix=".xml", kind=word_kind)
    if start[:13].lower() == b"mime-version:":
        return _noted(
            read_mht(path, raw),
            f"文件扩展名是 {path.suffix}，内容却是单个文件网页（MHT），已按网页读取",
        )
    if looks_like_html(raw):
        return _noted(
            read_html(path, raw), f"文件扩展名是 {path.suffix}，内容却是网页（HTML），已按网页读取"
        )
    if path.name.startswith("~$"):
        raise FileAccessError(
            path=path,
            reason="这是 Word 打开文档时生成的临时文件，不是文档本身",
            hint=f"请选择同一文件夹中不带“~$”的那个文件（{path.name[2:]}）。",
        )
    raise FileAccessError(
        path=path,
        reason=f"这不是 Word 文档（扩展名是 {path.suffix}，内容却不是 Word 格式）",
        hint="请用 Word 或 WPS 打开它，“另存为”Word 文档（.docx）后再导入；"
        "或者复制全部文字，另存为 .txt 文件再导入。",
    )


def _noted(document: ReadDocument, note: str) -> ReadDocument:
    return dataclasses.replace(document, notes=(note, *document.notes))


def _has_pictures(path: Path) -> bool:
    """Whether a .docx holds pictures (what a scanned report is); ``False`` for other files."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.startswith("word/media/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _kind(path: Path) -> Format:
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    accepted = "、".join(sorted({".docx", ".doc", ".wps", ".txt", ".html"}))
    raise FileAccessError(
        path=path,
        reason=f"不能导入 {suffix} 文件" if suffix else "不能导入没有扩展名的文件",
        hint=_OTHER_KINDS.get(suffix, f"huibao import 读取去年报告的 {accepted} 文件。"),
    )


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise FileAccessError(
            path=path, reason="文件不存在", hint="检查文件名和所在文件夹是否正确。"
        )
    if path.is_dir():
        raise FileAccessError(
            path=path, reason="这是一个文件夹，不是文件", hint="请给出去年报告文件的路径。"
        )
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise FileAccessError(
            path=path,
            reason=f"文件太大（{size / 1024 / 1024:.1f} MB），超过上限 "
            f"{MAX_INPUT_BYTES / 1024 / 1024:.1f} MB",
            hint="一份报告的 Word 文档通常只有几百 KB；文档中的大图片可以先删去或压缩。",
        )
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise FileAccessError(
            path=path, reason="没有读取权限", hint="复制一份到自己的文件夹再导入。"
        ) from None
    except OSError as error:
        raise FileAccessError(
            path=path,
            reason=f"无法读取文件（{error.strerror or type(error).__name__}）",
            hint="文件可能正被其他程序使用，或所在磁盘出了问题；关闭其他程序后重试。",
        ) from None
    if not raw.strip():
        raise FileAccessError(path=path, reason="文件是空的", hint="请确认选对了文件。")
    return raw


def _refuse_office_file(path: Path, head: bytes) -> None:
    if head.startswith(ZIP_SIGNATURE) or head == OLE_SIGNATURE:
        raise FileAccessError(
            path=path,
            reason=f"这是 Word 或其他 Office 文档，不是{'文本文件' if path.suffix.lower() == '.txt' else '网页'}",
            hint="把扩展名改回 .docx（或 .doc）再导入。",
        )


# --- .doc and .wps through LibreOffice ------------------------------------------------------


def finished_in_time(process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait for ``process``; past ``timeout``, stop it and everything it started (LibreOffice
    starts helpers of its own, which would otherwise keep running) and return ``False``.

    The process must have been started with ``start_new_session=True`` on POSIX systems.
    """
    try:
        process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.communicate()
        return False
    return True


def find_soffice() -> str | None:
    """LibreOffice's ``soffice`` on the PATH, or where its installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    candidates: list[Path] = []
    if sys.platform == "win32":
        for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)"):
            folder = os.environ.get(variable)
            if folder:
                candidates.append(Path(folder) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(candidate) for candidate in candidates if candidate.is_file()), None)


def _convert(path: Path, raw: bytes, *, suffix: str, kind: Literal["doc", "wps"]) -> ReadDocument:
    """Convert an old Word/WPS file to .docx with LibreOffice and read that.

    LibreOffice runs headless with a profile of its own in a temporary folder, so that two
    imports at once (or a LibreOffice window the user has open) do not get in each other's way;
    it gets ``CONVERT_TIMEOUT_SECONDS`` and is stopped, with everything it started, after that.
    """
    binary = find_soffice()
    if binary is None:
        raise FileAccessError(
            path=path,
            reason=f"读取 {path.suffix} 文件需要 LibreOffice，但这台电脑上没有找到它",
            hint="需要安装 LibreOffice（Debian/Ubuntu：sudo apt-get install "
            "libreoffice-writer-nogui；Windows、macOS：从 https://zh-cn.libreoffice.org 下载安装）；"
            "或者在 Word、WPS 中把文件另存为 .docx 后再导入。",
        )
    with tempfile.TemporaryDirectory(prefix="huibao-import-") as folder:
        work = Path(folder)
        source = work / f"source{suffix}"
        source.write_bytes(raw)
        output = work / "out"
        converted = output / "source.docx"
        for import_filter in _IMPORT_FILTERS[suffix]:
            command = [
                binary,
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                f"--infilter={import_filter}",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(output),
                str(source),
            ]
            _run_converter(path, command)
            if converted.is_file():
                break
        else:
            raise FileAccessError(
                path=path,
                reason="LibreOffice 无法转换这个文件（文件可能已损坏、设置了打开密码，"
                "或不是 Word/WPS 文档）",
                hint="请用 Word 或 WPS 打开它，另存为 .docx 后再导入。",
            )
        try:
            document = read_docx(converted, source_format=kind)
        except FileAccessError as error:
            raise FileAccessError(path=path, reason=error.reason, hint=error.hint) from None
    note = f"已用 LibreOffice 把 {path.suffix} 文件转换为 .docx 后读取；自动编号请再核对一遍"
    return dataclasses.replace(document, notes=(note, *document.notes))


def _run_converter(path: Path, command: list[str]) -> None:
    posix = os.name == "posix"
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=posix,
        )
    except OSError as error:
        raise FileAccessError(
            path=path,
            reason=f"无法启动 LibreOffice（{error.strerror or type(error).__name__}）",
            hint="请检查 LibreOffice 是否完整安装；或者在 Word、WPS 中把文件另存为 .docx 后再导入。",
        ) from None
    if not finished_in_time(process, CONVERT_TIMEOUT_SECONDS):
        raise FileAccessError(
            path=path,
            reason=f"LibreOffice 转换超时（超过 {CONVERT_TIMEOUT_SECONDS:g} 秒）",
            hint="文件可能太大或已损坏；请在 Word 或 WPS 中把它另存为 .docx 后再导入。",
        ) from None
