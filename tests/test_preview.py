"""``huibao preview`` and ``huibao build --pdf``: a PDF laid out by LibreOffice, with the right fonts.

The tests marked ``libreoffice`` run the real LibreOffice and read the PDF with poppler, as staff
would look at it: the pages are there, and the title, a 黑体 heading, a 楷体 heading and the body
are set in four different embedded fonts. The others need no LibreOffice: they give huibao a
PATH without it (or with a stand-in that hangs or fails) and check the Chinese message.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import preview
from generator.kinds import builtin_templates_dir
from tests.english import english_words
from tests.helpers import EXAMPLES, pdf_pages, require_libreoffice

RunCli = Callable[..., tuple[int, str, str]]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def require_poppler() -> None:
    """pdffonts, pdftohtml and pdftoppm (poppler-utils): skip without them, but fail in CI."""
    missing = [tool for tool in ("pdffonts", "pdftohtml", "pdftoppm") if not shutil.which(tool)]
    if not missing:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{', '.join(missing)} (poppler-utils) are required in CI; see .ci/run")
    pytest.skip(f"{', '.join(missing)} not installed")


def copy_example(name: str, folder: Path, stem: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem or name}.yaml"
    shutil.copyfile(EXAMPLES / f"{name}.yaml", target)
    return target


def script(folder: Path, name: str, body: str) -> Path:
    """An executable shell script ``folder/name``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


# --- with LibreOffice -----------------------------------------------------------------------


@dataclass(frozen=True)
class Previewed:
    folder: Path
    pdf: Path
    out: str
    err: str


@pytest.fixture(scope="module")
def previewed(tmp_path_factory: pytest.TempPathFactory) -> Previewed:
    """``huibao preview 2024.yaml --png`` on the government-work-report example, run once."""
    from typer.testing import CliRunner

    from generator.cli import app

    require_libreoffice()
    require_poppler()
    folder = tmp_path_factory.mktemp("preview")
    source = copy_example("government-work-report", folder, "2024")
    result = CliRunner().invoke(app, ["preview", str(source), "--png"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return Previewed(folder, folder / "2024.pdf", result.stdout, result.stderr)


@pytest.mark.libreoffice
def test_preview_writes_the_pdf_beside_the_input_and_nothing_else(previewed: Previewed) -> None:
    pages = pdf_pages(previewed.pdf)
    assert len(pages) >= 3
    assert previewed.out.splitlines()[0] == (
        f"已生成 {previewed.pdf}（政府工作报告，{len(pages)} 页）"
    )
    assert all(
        (round(page.width * 25.4 / 72), round(page.height * 25.4 / 72)) == (210, 297)
        for page in pages
    )
    assert "政府工作报告" in "".join(line.text for line in pages[0].lines)
    names = sorted(path.name for path in previewed.folder.iterdir())
    images = [f"2024-{number}.png" for number in range(1, len(pages) + 1)]
    assert names == sorted(["2024.yaml", "2024.pdf", *images])  # no .docx, no temporary file
    assert previewed.err == ""
    assert english_words(previewed.out, tuple(images)) == []


@pytest.mark.libreoffice
def test_page_images_are_a4_pngs_one_per_page(previewed: Previewed) -> None:
    count = len(pdf_pages(previewed.pdf))
    first, last = previewed.folder / "2024-1.png", previewed.folder / f"2024-{count}.png"
    assert previewed.out.splitlines()[1] == f"页面图片：{first} … {last.name}（{count} 张）"
    for number in range(1, count + 1):
        data = (previewed.folder / f"2024-{number}.png").read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (794, 1123)  # A4 at 96 dpi


def embedded_fonts(pdf: Path) -> dict[str, tuple[str, bool]]:
    """``pdffonts``: subset tag (``BAAAAA``) → (full font name, embedded)."""
    listing = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    fonts = {}
    for line in listing.splitlines()[2:]:
        name, *_, emb, _sub, _uni, _object, _generation = line.split()
        fonts[name.split("+")[0]] = (name, emb == "yes")
    return fonts


def font_of_text(pdf: Path) -> list[tuple[str, str]]:
    """(text, subset tag of its font) of every text line, from ``pdftohtml -xml``."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-i", "-q", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    root = ET.fromstring(xml)
    families = {spec.get("id"): spec.get("family", "") for spec in root.iter("fontspec")}
    return [
        ("".join(text.itertext()), families[text.get("font")].split("+")[0])
        for text in root.iter("text")
    ]


@pytest.mark.libreoffice
def test_title_headings_and_body_are_set_in_different_embedded_fonts(
    previewed: Previewed,
) -> None:
    """方正小标宋 (title), 黑体 (一、), 楷体 (（一）) and 仿宋 (body) each get their stand-in."""
    texts = font_of_text(previewed.pdf)

    def font(start: str) -> str:
        tag = next(tag for text, tag in texts if text.startswith(start))
        return embedded[tag][0]

    embedded = embedded_fonts(previewed.pdf)
    title = font("政府工作报告")
    heiti = font("一、2023")
    kaiti = font("（一）坚持稳中求进")
    body = font("过去一年")
    assert len({title, heiti, kaiti, body}) == 4, (title, heiti, kaiti, body)
    assert all(embedded_flag for _, embedded_flag in embedded.values())
    # the stand-ins of generator/fonts.conf: same class as the office fonts
    assert "Serif" in title and "Bold" in title
    assert "Sans" in heiti
    assert "Kai" in kaiti
    assert "Serif" in body and "Bold" not in body


@pytest.mark.libreoffice
def test_several_reports_are_converted_in_one_libreoffice_run(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two inputs named alike in two folders: one LibreOffice run, each PDF beside its input."""
    real = require_libreoffice()
    log = tmp_path / "soffice.log"
    bin_folder = tmp_path / "bin"
    script(bin_folder, "soffice", f'echo "$@" >> "{log}"\nexec "{real}" "$@"')
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    first = copy_example("work-summary", tmp_path / "总结", "2024")
    second = copy_example("progress-report", tmp_path / "进展", "2024")
    code, out, err = run_cli("preview", str(first), str(second))
    assert code == 0, err
    (run,) = log.read_text(encoding="utf-8").splitlines()
    assert run.count(".docx") == 2
    for source, title in ((first, "工作总结"), (second, "进展情况")):
        pdf = source.with_suffix(".pdf")
        assert f"已生成 {pdf}" in out
        text = "".join(line.text for page in pdf_pages(pdf) for line in page.lines)
        assert title in text
        assert sorted(path.name for path in source.parent.iterdir()) == ["2024.pdf", "2024.yaml"]


@pytest.mark.libreoffice
def test_build_with_pdf_keeps_the_docx_and_writes_the_pdf_beside_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    require_libreoffice()
    source = copy_example("rule-of-law-report", tmp_path)
    output = tmp_path / "报告" / "法治.docx"
    output.parent.mkdir()
    code, out, err = run_cli("build", str(source), "-o", str(output), "--pdf")
    assert code == 0, err
    pdf = output.with_suffix(".pdf")
    assert out.splitlines() == [
        f"已生成 {output}（法治政府建设年度报告）",
        f"已生成 {pdf}（法治政府建设年度报告，{len(pdf_pages(pdf))} 页）",
    ]
    assert sorted(path.name for path in output.parent.iterdir()) == ["法治.docx", "法治.pdf"]


@contextlib.contextmanager
def users_libreoffice(soffice: str, home: Path) -> Iterator[None]:
    """A LibreOffice the user has open (headless, with their own profile under ``home``)."""
    environment = {**os.environ, "HOME": str(home)}
    process = subprocess.Popen(
        [soffice, "--headless", "--norestore", "--nologo"],
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(home.glob(".config/libreoffice/*/user/registrymodifications.xcu")):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.mark.libreoffice
def test_preview_works_while_the_user_has_libreoffice_open(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    soffice = require_libreoffice()
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    source = copy_example("work-summary", tmp_path / "work")
    require_poppler()
    with users_libreoffice(soffice, home):
        code, _, err = run_cli("preview", str(source))
    assert code == 0, err
    pdf = source.with_suffix(".pdf")
    assert len(pdf_pages(pdf)) >= 3
    # laid out by huibao's own LibreOffice, with its fonts: not handed to the user's, which
    # would show one fallback font for every style
    fonts = {name for name, _ in embedded_fonts(pdf).values()}
    assert any("Kai" in name for name in fonts) and any("Serif" in name for name in fonts)


# --- without LibreOffice --------------------------------------------------------------------


def test_without_libreoffice_the_message_says_how_to_install_it(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    source = copy_example("work-summary", tmp_path / "work", "2024")
    for args in (("preview", str(source)), ("build", str(source), "--pdf")):
        code, out, err = run_cli(*args)
        assert code == 1 and out == ""
        assert err.startswith(f"错误：{source}：")
        assert "生成 PDF 预览需要 LibreOffice，但这台电脑上没有找到它" in err
        assert "sudo apt-get install libreoffice-writer-nogui" in err
        assert "Windows" in err
        assert "Traceback" not in err
        # nothing built: not even the .docx build --pdf would have kept
        assert sorted(path.name for path in source.parent.iterdir()) == ["2024.yaml"]


def test_page_images_without_pdftoppm(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_folder = tmp_path / "bin"
    script(bin_folder, "soffice", "exit 1")  # found, never run: pdftoppm is checked first
    monkeypatch.setenv("PATH", str(bin_folder))
    source = copy_example("work-summary", tmp_path / "work", "2024")
    code, out, err = run_cli("preview", str(source), "--png")
    assert code == 1 and out == ""
    assert "生成页面图片（--png）需要 pdftoppm（poppler 工具），但这台电脑上没有找到它" in err
    assert "sudo apt-get install poppler-utils" in err
    assert sorted(path.name for path in source.parent.iterdir()) == ["2024.yaml"]


def test_a_libreoffice_that_hangs_is_stopped(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    bin_folder = tmp_path / "bin"
    script(bin_folder, "soffice", f'sleep 600 &\necho $! > "{pids}"\nwait')
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(preview, "CONVERT_TIMEOUT_SECONDS", 2.0)
    source = copy_example("work-summary", tmp_path / "work", "2024")
    started = time.monotonic()
    code, _, err = run_cli("preview", str(source))
    assert time.monotonic() - started < 30
    assert code == 1
    assert "LibreOffice 转换超时（超过 2 秒），已停止" in err
    sleeper = int(pids.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 10
    while Path(f"/proc/{sleeper}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # killed with LibreOffice's process group, then reaped by init
    assert not Path(f"/proc/{sleeper}").exists() or "Z" in _state(sleeper)
    assert sorted(path.name for path in source.parent.iterdir()) == ["2024.yaml"]


def _state(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").split()[2]
    return ""


def test_a_libreoffice_that_writes_no_pdf(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_folder = tmp_path / "bin"
    script(bin_folder, "soffice", "exit 0")
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    source = copy_example("work-summary", tmp_path / "work", "2024")
    code, _, err = run_cli("preview", str(source))
    assert code == 1
    assert "LibreOffice 没能把生成的文档转换为 PDF" in err
    assert "Traceback" not in err
    assert sorted(path.name for path in source.parent.iterdir()) == ["2024.yaml"]


def test_output_names_are_checked_before_anything_is_built(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = copy_example("work-summary", tmp_path, "2024")
    second = copy_example("progress-report", tmp_path, "2023")
    code, _, err = run_cli("preview", str(first), str(second), "-o", "合订.pdf")
    assert code == 1
    assert "给出了多个输入文件，-o 只能用于一个" in err
    code, _, err = run_cli("preview", str(first), "-o", "2024.docx")
    assert code == 1
    assert "2024.docx：PDF 文件名应以 .pdf 结尾" in err
    (tmp_path / "folder.pdf").mkdir()
    code, _, err = run_cli("preview", str(first), "-o", "folder.pdf")
    assert code == 1
    assert "folder.pdf：这是一个文件夹" in err
    shutil.copyfile(EXAMPLES / "work-summary.yaml", tmp_path / "2024.yml")
    code, _, err = run_cli("preview", str(first), "2024.yml")
    assert code == 1
    assert "两个输入文件会生成同一个 PDF 文件" in err
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "2023.yaml",
        "2024.yaml",
        "2024.yml",
        "folder.pdf",
    ]


def test_every_font_the_reference_names_has_a_stand_in() -> None:
    """Each East Asian font of the shipped reference's styles is mapped in fonts.conf."""
    with zipfile.ZipFile(builtin_templates_dir() / "reference.docx") as archive:
        styles = ET.fromstring(archive.read("word/styles.xml"))
    named = {
        value
        for fonts in styles.iter(f"{W}rFonts")
        if (value := fonts.get(f"{W}eastAsia")) is not None
    }
    assert {"仿宋_GB2312", "楷体_GB2312", "方正小标宋简体", "黑体", "宋体"} <= named
    substituted = {name for names in preview.font_substitutes().values() for name in names}
    assert named <= substituted
    classes = {substitutes[0] for substitutes in preview.font_substitutes()}
    assert classes == {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"}


def test_a_missing_stand_in_font_is_named_with_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine without AR PL UKai (fc-list does not list it) is told what to install."""
    listing = tmp_path / "families.txt"
    listing.write_text("Noto Serif CJK SC,Noto Serif CJK SC Bold\nNoto Sans CJK SC\n", "utf-8")
    script(tmp_path / "bin", "fc-list", f'cat "{listing}"')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    (note,) = preview.font_notes()
    assert note.startswith("这台电脑上没有楷体_GB2312、楷体的替代字体（AR PL UKai CN）")
    assert "sudo apt-get install fonts-noto-cjk fonts-arphic-ukai" in note
    # with the real 楷体 installed, no stand-in is needed
    listing.write_text(
        "Noto Serif CJK SC\nNoto Sans CJK SC\n楷体_GB2312,KaiTi_GB2312\n楷体\n", "utf-8"
    )
    assert preview.font_notes() == []
