"""Previews: a report laid out by LibreOffice as a PDF, and page images, with the right fonts.

``huibao preview`` and ``huibao build --pdf`` build the .docx as ``huibao build`` does, then have
LibreOffice (headless) convert it. Three things make that preview one staff can trust and use:

* **Fonts.** The reference .docx names the Chinese office fonts (仿宋_GB2312, 楷体_GB2312, 黑体,
  宋体, 方正小标宋简体), which a Linux machine does not have: plain LibreOffice then shows every
  style in one fallback font. ``generator/fonts.conf`` maps each name to an installed font of the
  same class; LibreOffice gets it through ``FONTCONFIG_FILE``, pointing at a configuration written
  for the run that includes the system's configuration and then ours. (On Windows and macOS
  LibreOffice does not use fontconfig; there the real fonts are usually installed.)
* **Isolation.** LibreOffice runs with a profile of its own in a temporary folder
  (``-env:UserInstallation``), so the conversion works while the user has LibreOffice open, and
  within a time limit, after which it is stopped with everything it started.
* **One process.** Starting LibreOffice takes seconds: several reports are converted in one run.

Page images come from poppler's ``pdftoppm``. Nothing here prints: the functions return what they
wrote, and every problem the user can fix (LibreOffice missing, a conversion that fails or hangs)
is a ``FileAccessError`` in Chinese saying what to install or do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from generator.errors import FileAccessError, Problem
from generator.output import write_atomically
from generator.pipeline import BuildResult, build_report, check_report_input, default_output
from generator.reader import find_soffice, finished_in_time
from schemas import ReportKind

FONTS_CONF = Path(__file__).with_name("fonts.conf")
"""The font substitutions shipped with huibao (a fontconfig file)."""
CONVERT_TIMEOUT_SECONDS = 120.0
"""How long LibreOffice may take to start and convert the first report."""
SECONDS_PER_REPORT = 60.0
"""How much longer it may take for each further report of the same run."""
IMAGES_TIMEOUT_SECONDS = 120.0
"""How long ``pdftoppm`` may take to draw the pages of one PDF."""
IMAGE_DPI = 96
"""Resolution of page images: an A4 page is 794 × 1123 pixels, a screen's size."""

LIBREOFFICE_HINT = (
    "Debian/Ubuntu 上安装：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk "
    "fonts-arphic-ukai；Windows、macOS：从 https://zh-cn.libreoffice.org 下载安装（装在默认位置，"
    "或把它的 program 文件夹加入 PATH），装好后重新打开命令行窗口。"
    "也可以不预览：直接用 Word 或 WPS 打开生成的 .docx。"
)
PDFTOPPM_HINT = (
    "Debian/Ubuntu 上安装：sudo apt-get install poppler-utils；Windows：安装 poppler 后把它的 "
    "bin 文件夹加入 PATH。也可以不加 --png，直接看生成的 PDF。"
)
FONTS_HINT = "Debian/Ubuntu 上安装：sudo apt-get install fonts-noto-cjk fonts-arphic-ukai"
_SYSTEM_FONTCONFIG = (Path("/etc/fonts/fonts.conf"), Path("/usr/local/etc/fonts/fonts.conf"))
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


@dataclass(frozen=True)
class Preview:
    """One report's preview: the PDF written, its page count and page images."""

    input: Path
    kind: ReportKind
    docx: Path | None
    """The .docx that was kept (``build --pdf``); ``None`` when it was built in a temporary folder."""
    pdf: Path
    pages: int
    images: tuple[Path, ...]
    warnings: list[Problem]


@dataclass(frozen=True)
class Previews:
    """What a preview run wrote, and notes on fonts the machine lacks (Chinese sentences)."""

    previews: list[Preview]
    font_notes: list[str]


def preview_reports(
    inputs: Sequence[Path],
    output: Path | None = None,
    *,
    templates_dir: Path | None = None,
    lenient: bool = False,
    strip_numbers: bool = False,
    images: bool = False,
) -> Previews:
    """``huibao preview``: the PDF of each input, without keeping a .docx.

    Every input is built in a temporary folder; all of them are converted in one LibreOffice run.
    The PDF goes to ``output`` (one input only) or beside its input (``2024.yaml`` → ``2024.pdf``);
    with ``images``, page images ``2024-1.png`` … beside the PDF. Tools and paths are checked
    before anything is built, so a missing LibreOffice leaves no file behind.
    """
    if not inputs:
        raise ValueError("preview_reports needs at least one input")
    for path in inputs:
        check_report_input(path)
    if output is not None and len(inputs) > 1:
        raise FileAccessError(
            path=output,
            reason="给出了多个输入文件，-o 只能用于一个",
            hint="去掉 -o：每个 PDF 写在各自的输入文件旁边，与输入文件同名。",
        )
    targets = [output or path.with_suffix(".pdf") for path in inputs]
    _check_targets(targets)
    tools = _tools(inputs[0], images=images)
    with tempfile.TemporaryDirectory(prefix="huibao-preview-") as folder:
        work = Path(folder)
        built: list[BuildResult] = []
        for index, path in enumerate(inputs, start=1):
            docx = work / "docx" / f"report{index}.docx"
            docx.parent.mkdir(exist_ok=True)
            built.append(
                build_report(
                    path,
                    docx,
                    templates_dir=templates_dir,
                    lenient=lenient,
                    strip_numbers=strip_numbers,
                )
            )
        pdfs = _convert(tools, [result.output for result in built], work, about=inputs[0])
        previews = [
            _deliver(tools, result, None, pdf, target, work)
            for result, pdf, target in zip(built, pdfs, targets, strict=True)
        ]
    return Previews(previews, font_notes())


def build_with_preview(
    input_path: Path,
    output_path: Path | None = None,
    *,
    templates_dir: Path | None = None,
    lenient: bool = False,
    strip_numbers: bool = False,
    images: bool = False,
) -> Previews:
    """``huibao build --pdf``: the .docx where ``build`` writes it, and its PDF beside it."""
    check_report_input(input_path)
    docx = output_path or default_output(input_path)
    target = docx.with_suffix(".pdf") if docx.suffix.lower() == ".docx" else docx
    _check_targets([target])
    tools = _tools(input_path, images=images)
    result = build_report(
        input_path,
        output_path,
        templates_dir=templates_dir,
        lenient=lenient,
        strip_numbers=strip_numbers,
    )
    with tempfile.TemporaryDirectory(prefix="huibao-preview-") as folder:
        work = Path(folder)
        (pdf,) = _convert(tools, [result.output], work, about=input_path)
        preview = _deliver(tools, result, result.output, pdf, target, work)
    return Previews([preview], font_notes())


def convert_to_pdf(documents: Sequence[Path], outdir: Path) -> list[Path]:
    """Convert .docx files to PDF in ``outdir`` in one LibreOffice run, with huibao's fonts.

    The PDFs are named after the documents (``a.docx`` → ``outdir/a.pdf``), so the documents'
    names must differ. This is the conversion the previews use and the tests measure.
    """
    if not documents:
        return []
    stems = [document.stem for document in documents]
    if len(set(stems)) != len(stems):
        raise ValueError(f"documents to convert in one run need different names: {stems}")
    tools = _tools(documents[0], images=False)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="huibao-preview-") as folder:
        converted = _convert(tools, list(documents), Path(folder), about=documents[0])
        results = []
        for pdf in converted:
            target = outdir / pdf.name
            shutil.move(pdf, target)
            results.append(target)
    return results


def font_notes() -> list[str]:
    """Sentences naming the office fonts whose substitutes are not installed on this machine.

    Only where LibreOffice takes its fonts from fontconfig (Linux and other Unix systems) and
    ``fc-list`` can say what is installed; a font whose real version is installed needs no
    substitute.
    """
    if sys.platform in ("win32", "darwin"):
        return []
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{family}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    installed = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    notes = []
    for substitutes, names in font_substitutes().items():
        # the Chinese names say it to staff; FangSong, SimHei … are the same fonts' Latin names
        wanting = [name for name in names if name not in installed and not name.isascii()]
        if wanting and not installed.intersection(substitutes):
            notes.append(
                f"这台电脑上没有{'、'.join(wanting)}的替代字体（{substitutes[0]}），"
                "PDF 中这些字会显示为别的字体（生成的 .docx 不受影响）。"
                f"\n    提示：{FONTS_HINT}"
            )
    return notes


def font_substitutes() -> dict[tuple[str, ...], list[str]]:
    """The substitutions of ``fonts.conf``: substitute families → the office font names using them.

    Read from the shipped file itself, so that what the tests, the notes and LibreOffice use is
    one list.
    """
    root = ET.parse(FONTS_CONF).getroot()
    found: dict[tuple[str, ...], list[str]] = {}
    for alias in root.iter("alias"):
        name = alias.findtext("family", "")
        substitutes = tuple(family.text or "" for family in alias.iterfind("accept/family"))
        found.setdefault(substitutes, []).append(name)
    for match in root.iter("match"):
        names = [string.text or "" for string in match.iterfind("test[@name='family']/string")]
        substitutes = tuple(
            string.text or "" for string in match.iterfind("edit[@name='family']/string")
        )
        found.setdefault(substitutes, []).extend(names)
    return found


# --- running LibreOffice and pdftoppm ------------------------------------------------------------


@dataclass(frozen=True)
class _Tools:
    soffice: str
    pdftoppm: str | None


def _tools(about: Path, *, images: bool) -> _Tools:
    """LibreOffice (and pdftoppm for page images), or a message saying how to install them."""
    soffice = find_soffice()
    if soffice is None:
        raise FileAccessError(
            path=about,
            reason="生成 PDF 预览需要 LibreOffice，但这台电脑上没有找到它",
            hint=LIBREOFFICE_HINT,
        )
    pdftoppm = shutil.which("pdftoppm") if images else None
    if images and pdftoppm is None:
        raise FileAccessError(
            path=about,
            reason="生成页面图片（--png）需要 pdftoppm（poppler 工具），但这台电脑上没有找到它",
            hint=PDFTOPPM_HINT,
        )
    return _Tools(soffice, pdftoppm)


def _check_targets(targets: list[Path]) -> None:
    """PDF paths must end in .pdf, not be folders, and not be the same file twice."""
    seen: dict[str, Path] = {}
    for target in targets:
        if target.suffix.lower() != ".pdf":
            raise FileAccessError(path=target, reason="PDF 文件名应以 .pdf 结尾")
        if target.is_dir():
            raise FileAccessError(
                path=target, reason="这是一个文件夹", hint="请在 -o 后写出要生成的 PDF 文件名。"
            )
        key = os.path.realpath(target)
        if key in seen:
            raise FileAccessError(
                path=target,
                reason="两个输入文件会生成同一个 PDF 文件",
                hint="同名的输入文件（如 2024.yaml 和 2024.xlsx）请分两次预览，并用 -o 指定不同的文件名。",
            )
        seen[key] = target


def _convert(tools: _Tools, documents: list[Path], work: Path, *, about: Path) -> list[Path]:
    """Convert ``documents`` to PDF in ``work/pdf`` in one LibreOffice run; the PDFs in order."""
    outdir = work / "pdf"
    outdir.mkdir()
    timeout = CONVERT_TIMEOUT_SECONDS + SECONDS_PER_REPORT * (len(documents) - 1)
    command = [
        tools.soffice,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(outdir),
        *(str(document) for document in documents),
    ]
    _run(command, environment=_environment(work), timeout=timeout, about=about, tool="LibreOffice")
    pdfs = [outdir / f"{document.stem}.pdf" for document in documents]
    for document, pdf in zip(documents, pdfs, strict=True):
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise FileAccessError(
                path=about if len(documents) == 1 else document,
                reason="LibreOffice 没能把生成的文档转换为 PDF",
                hint="请用 Word 或 WPS 打开生成的 .docx 查看；如果重试仍然失败，"
                "请检查 LibreOffice 是否完整安装（能否正常打开 .docx 文件）。",
            )
    return pdfs


def _environment(work: Path) -> dict[str, str]:
    """The environment for LibreOffice: ``FONTCONFIG_FILE`` set to the system's config plus ours.

    Left as it is where LibreOffice does not use fontconfig (Windows, macOS), or where the
    system's configuration cannot be found (without it fontconfig would find no fonts at all).
    """
    environment = dict(os.environ)
    if sys.platform in ("win32", "darwin"):
        return environment
    system = _system_fontconfig()
    if system is None:
        return environment
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{escape(system)}</include>\n'
        f"  <include>{escape(str(FONTS_CONF))}</include>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    environment["FONTCONFIG_FILE"] = str(config)
    return environment


def _system_fontconfig() -> str | None:
    """The fontconfig file fontconfig itself would read: as set for this process, else the usual."""
    configured = os.environ.get("FONTCONFIG_FILE")
    if configured:
        return configured
    folder = os.environ.get("FONTCONFIG_PATH")
    candidates = [Path(folder) / "fonts.conf"] if folder else []
    candidates.extend(_SYSTEM_FONTCONFIG)
    return next((str(path) for path in candidates if path.is_file()), None)


def _run(
    command: list[str], *, environment: dict[str, str], timeout: float, about: Path, tool: str
) -> None:
    """Run a converter; stop it and everything it started when it takes longer than ``timeout``."""
    posix = os.name == "posix"
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            start_new_session=posix,
        )
    except OSError as error:
        raise FileAccessError(
            path=about,
            reason=f"无法启动 {tool}（{error.strerror or type(error).__name__}）",
            hint=f"请检查 {tool} 是否完整安装；也可以直接用 Word 或 WPS 打开生成的 .docx。",
        ) from None
    if not finished_in_time(process, timeout):
        raise FileAccessError(
            path=about,
            reason=f"{tool} 转换超时（超过 {timeout:g} 秒），已停止",
            hint="请重试；如果仍然超时，请用 Word 或 WPS 打开生成的 .docx 查看。",
        ) from None


def _deliver(
    tools: _Tools, result: BuildResult, docx: Path | None, pdf: Path, target: Path, work: Path
) -> Preview:
    """Write the PDF (atomically) to ``target`` and, when asked, its page images beside it."""
    content = pdf.read_bytes()
    write_atomically(target, _saver(content), application="PDF 阅读器")
    images: tuple[Path, ...] = ()
    pages = len(_PAGE_OBJECT.findall(content))
    if tools.pdftoppm is not None:
        images = _page_images(tools.pdftoppm, pdf, target, work, about=result.input)
        pages = len(images)
    return Preview(result.input, result.kind, docx, target, pages, images, result.warnings)


def _page_images(
    pdftoppm: str, pdf: Path, target: Path, work: Path, *, about: Path
) -> tuple[Path, ...]:
    """``2024-1.png`` … beside ``target``, one per page (numbers padded as ``pdftoppm`` pads)."""
    folder = work / f"images-{pdf.stem}"
    folder.mkdir()
    command = [pdftoppm, "-png", "-r", str(IMAGE_DPI), str(pdf), str(folder / "page")]
    _run(
        command,
        environment=dict(os.environ),
        timeout=IMAGES_TIMEOUT_SECONDS,
        about=about,
        tool="pdftoppm",
    )
    drawn = sorted(folder.glob("page-*.png"), key=lambda path: int(path.stem.split("-")[-1]))
    if not drawn:
        raise FileAccessError(
            path=about,
            reason="pdftoppm 没能生成页面图片",
            hint="PDF 已经生成，可以直接查看；请检查 poppler 是否完整安装。",
        )
    written = []
    for image in drawn:
        number = image.stem.split("-")[-1]
        destination = target.with_name(f"{target.stem}-{number}.png")
        write_atomically(destination, _saver(image.read_bytes()), application="看图软件")
        written.append(destination)
    return tuple(written)


def _saver(content: bytes) -> Callable[[BinaryIO], object]:
    return lambda stream: stream.write(content)
