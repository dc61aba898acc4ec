"""Writing the report: never over a file someone has open or protected, never half-written, and
readable by colleagues. CLI-level, with a real LibreOffice holding the file open."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT, require_libreoffice

RunCli = Callable[..., tuple[int, str, str]]
LAST_YEAR = b"last year's report"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "总结.yaml"
    shutil.copy(EXAMPLES / "work-summary.yaml", path)
    return path


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_a_new_report_is_readable_by_colleagues(run_cli: RunCli, source: Path) -> None:
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    assert stat.S_IMODE(source.with_suffix(".docx").stat().st_mode) == 0o644


def test_a_rebuilt_report_keeps_its_permissions(run_cli: RunCli, source: Path) -> None:
    output = source.with_suffix(".docx")
    output.write_bytes(LAST_YEAR)
    output.chmod(0o640)
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    assert output.read_bytes() != LAST_YEAR
    assert stat.S_IMODE(output.stat().st_mode) == 0o640


def test_a_read_only_report_is_not_overwritten(run_cli: RunCli, source: Path) -> None:
    output = source.with_suffix(".docx")
    output.write_bytes(LAST_YEAR)
    output.chmod(0o444)
    code, _, err = run_cli("build", str(source))
    assert code == 1 and "总结.docx" in err and "只读" in err and "Traceback" not in err
    assert output.read_bytes() == LAST_YEAR
    assert sorted(path.name for path in source.parent.iterdir()) == ["总结.docx", "总结.yaml"]


def word_owner_file(user: str) -> bytes:
    """An owner file as Word writes it (162 bytes: the name in the ANSI code page after a length
    byte, zeros to byte 54, then the length again and the name in UTF-16-LE)."""
    ansi = user.encode("gbk")
    data = bytes([len(user)]) + ansi
    data += bytes(54 - len(data)) + bytes([len(user), 0]) + user.encode("utf-16-le")
    return data + bytes(162 - len(data))


@pytest.mark.parametrize(
    ("report_name", "owner_file_name"),
    [("总结.docx", "~$总结.docx"), ("2024年度工作总结.docx", "~$24年度工作总结.docx")],
)
def test_a_report_open_in_word_is_not_replaced(
    run_cli: RunCli, source: Path, report_name: str, owner_file_name: str
) -> None:
    """Word names its owner file ~$ + the name, less its first two characters when it is long."""
    output = source.parent / report_name
    output.write_bytes(LAST_YEAR)
    (source.parent / owner_file_name).write_bytes(word_owner_file("张三"))
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert code == 1 and "Traceback" not in err
    assert report_name in err and "“张三”用 Word/WPS 打开" in err and owner_file_name in err
    assert output.read_bytes() == LAST_YEAR
    (source.parent / owner_file_name).unlink()  # Word closed: the build goes ahead
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert code == 0, err


def test_a_form_open_in_excel_is_not_replaced(run_cli: RunCli, tmp_path: Path) -> None:
    form = tmp_path / "任务.xlsx"
    form.write_bytes(LAST_YEAR)
    (tmp_path / "~$任务.xlsx").write_bytes(word_owner_file("李四"))
    code, _, err = run_cli("form", "task-progress", "-o", str(form), "--force")
    assert code == 1 and "“李四”用 Excel/WPS 打开" in err
    assert form.read_bytes() == LAST_YEAR


def test_a_report_open_in_libreoffice_is_not_replaced(run_cli: RunCli, source: Path) -> None:
    """A real LibreOffice opens last year's report; huibao must not replace it under it."""
    soffice = require_libreoffice()
    output = source.with_suffix(".docx")
    assert run_cli("build", str(source))[0] == 0
    before = output.read_bytes()
    lock = source.parent / ".~lock.总结.docx#"
    profile = (source.parent / "profile").as_uri()
    with subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as office:
        try:
            deadline = time.monotonic() + 90
            while not lock.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert lock.exists(), "LibreOffice did not open the report"
            code, _, err = run_cli("build", str(source))
        finally:
            os.killpg(office.pid, signal.SIGKILL)
    assert code == 1 and "Traceback" not in err
    assert "总结.docx" in err and "用 LibreOffice 打开" in err and ".~lock.总结.docx#" in err
    assert output.read_bytes() == before


def _without_root_override() -> list[str]:
    """A command prefix under which folder permissions apply, also to root (which ignores them):
    root keeps its user id but loses the capabilities that override file permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): permissions cannot apply")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


def test_output_in_a_read_only_folder(tmp_path: Path, source: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    prefix = _without_root_override()
    probe = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("this machine cannot make a folder read-only for the test process")
    result = subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "generator",
            "build",
            str(source),
            "-o",
            f"{folder}/a.docx",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a.docx" in result.stderr and "没有权限在该文件夹中写文件" in result.stderr
    assert list(folder.iterdir()) == []
