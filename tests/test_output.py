"""Writing the report: never over a file someone has open or protected, never half-written, and
readable by colleagues. CLI-level, with a real LibreOffice holding the file open."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from tests.helpers import EXAMPLES, ROOT, docx_text, require_libreoffice

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


# --- every OS error is a message, never a traceback; no temporary file left ---------------------


def folder_listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def huibao_temporaries(folder: Path) -> list[str]:
    return [name for name in folder_listing(folder) if name.startswith(".~huibao.")]


def test_a_file_name_too_long_for_the_file_system(run_cli: RunCli, source: Path) -> None:
    """100 Chinese characters are 300 bytes in UTF-8; file systems take 255."""
    output = source.parent / f"{'报' * 100}.docx"
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert code == 1 and "Traceback" not in err
    assert "文件名太长：305 字节，超过了该磁盘允许的 255 字节" in err and "缩短文件名" in err
    assert folder_listing(source.parent) == ["总结.yaml"]


def test_a_name_that_fits_gets_a_temporary_name_that_fits_too(
    run_cli: RunCli, source: Path
) -> None:
    """248 bytes fit; “.~huibao.<stem>.<random>.tmp” would not: its stem is shortened."""
    output = source.parent / f"{'报' * 81}.docx"
    code, _, err = run_cli("build", str(source), "-o", str(output))
    assert code == 0, err
    assert folder_listing(source.parent) == sorted([output.name, "总结.yaml"])


def test_a_path_through_a_file(run_cli: RunCli, source: Path) -> None:
    code, _, err = run_cli("build", str(source), "-o", f"{source}/报告.docx")
    assert code == 1 and "Traceback" not in err
    assert f"路径中的“{source}”是一个文件，不是文件夹" in err


def test_the_output_folder_vanishes_while_the_report_is_made(tmp_path: Path) -> None:
    from generator.errors import FileAccessError
    from generator.output import write_atomically

    folder = tmp_path / "报告"
    folder.mkdir()

    def save(stream: BinaryIO) -> None:
        shutil.rmtree(folder)  # someone removes the folder half way through the build
        stream.write(LAST_YEAR)

    with pytest.raises(FileAccessError, match="输出文件夹不存在") as caught:
        write_atomically(folder / "a.docx", save, application="Word/WPS")
    assert "a.docx" in str(caught.value) and "Errno" not in str(caught.value)
    assert folder_listing(tmp_path) == []


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("EDQUOT", "超出了磁盘配额"),
        ("EIO", "读写磁盘时出错"),
        ("EFBIG", "文件超过了该磁盘允许的大小"),
        ("EREMOTEIO", "无法写入（系统错误 EREMOTEIO）"),
    ],
)
def test_disk_errors_this_machine_cannot_cause(tmp_path: Path, code: str, reason: str) -> None:
    """A quota, a failing disk: not reproducible here, so the disk's error is raised by hand."""
    from generator.errors import FileAccessError
    from generator.output import write_atomically

    def save(stream: BinaryIO) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    with pytest.raises(FileAccessError) as caught:
        write_atomically(tmp_path / "a.docx", save, application="Word/WPS")
    assert reason in str(caught.value) and "提示：" in str(caught.value)
    message = str(caught.value).replace(str(tmp_path / "a.docx"), "").replace("EREMOTEIO", "")
    assert not re.search(r"[A-Za-z]{4,}", message)
    assert folder_listing(tmp_path) == []


# --- a disk of our own: full, read-only (root only: mount needs it) -----------------------------


@contextlib.contextmanager
def mounted_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A real tmpfs at ``folder``; the test is skipped where mounting is not allowed."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root")
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB disk, full: last year's report (one 4 KiB page) and a filler."""
    with mounted_tmpfs(tmp_path / "盘", "64k") as disk:
        (disk / "总结.docx").write_bytes(LAST_YEAR)
        (disk / "filler").write_bytes(bytes(60 * 1024))
        yield disk


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "光盘", "1m") as disk:
        (disk / "总结.docx").write_bytes(LAST_YEAR)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        yield disk


WRITERS: dict[str, Callable[[Path, Path], tuple[str, ...]]] = {
    "build": lambda source, disk: ("build", str(source), "-o", f"{disk}/总结.docx"),
    "form": lambda source, disk: ("form", "task-progress", "-o", f"{disk}/任务.xlsx"),
    "form csv": lambda source, disk: ("form", "task-progress", "-o", f"{disk}/任务.csv"),
    "new": lambda source, disk: ("new", "work-summary", "-o", f"{disk}/新.yaml"),
    "schema": lambda source, disk: ("schema", "work-summary", "-o", f"{disk}/a.schema.json"),
}


@pytest.mark.parametrize("command", WRITERS)
def test_a_full_disk(run_cli: RunCli, source: Path, full_disk: Path, command: str) -> None:
    code, _, err = run_cli(*WRITERS[command](source, full_disk))
    assert code == 1 and "Traceback" not in err and "Exception" not in err, err
    assert "磁盘空间不足，文件没有写成" in err and "清理该磁盘的空间" in err
    assert folder_listing(full_disk) == ["filler", "总结.docx"]
    assert (full_disk / "总结.docx").read_bytes() == LAST_YEAR
    if command == "build":
        assert "原来的文件没有改动" in err


@pytest.mark.parametrize("command", WRITERS)
def test_a_read_only_disk(
    run_cli: RunCli, source: Path, read_only_disk: Path, command: str
) -> None:
    code, _, err = run_cli(*WRITERS[command](source, read_only_disk))
    assert code == 1 and "Traceback" not in err, err
    assert "该位置是只读的" in err and "写到可以写入的文件夹" in err
    assert folder_listing(read_only_disk) == ["总结.docx"]


def test_a_report_that_cannot_be_replaced(run_cli: RunCli, source: Path) -> None:
    """An immutable file (chattr +i): renaming over it fails with EPERM, even for root."""
    output = source.with_suffix(".docx")
    output.write_bytes(LAST_YEAR)
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("chattr +i needs root")
    if subprocess.run(["chattr", "+i", str(output)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable files")
    try:
        code, _, err = run_cli("build", str(source))
    finally:
        subprocess.run(["chattr", "-i", str(output)], check=True)
    assert code == 1 and "Traceback" not in err
    assert "无法写入：文件可能正在 Word/WPS 中打开，或没有修改它的权限" in err
    assert output.read_bytes() == LAST_YEAR
    assert folder_listing(source.parent) == ["总结.docx", "总结.yaml"]


# --- symbolic links ----------------------------------------------------------------------------


def test_a_linked_report_is_updated_through_its_link(run_cli: RunCli, source: Path) -> None:
    shared = source.parent / "共享"
    shared.mkdir()
    (shared / "总结.docx").write_bytes(LAST_YEAR)
    link = source.with_suffix(".docx")
    link.symlink_to(Path("共享") / "总结.docx")
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    assert link.is_symlink() and link.readlink() == Path("共享") / "总结.docx"
    assert "嘉兴市住房和城乡建设局" in docx_text(shared / "总结.docx")
    assert folder_listing(shared) == ["总结.docx"]
    assert folder_listing(source.parent) == ["共享", "总结.docx", "总结.yaml"]


def test_a_dangling_link_gets_its_file(run_cli: RunCli, source: Path) -> None:
    """As an editor saving through a link does: the file is created where the link points."""
    (source.parent / "共享").mkdir()
    link = source.with_suffix(".docx")
    link.symlink_to(Path("共享") / "总结.docx")
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    assert link.is_symlink() and (source.parent / "共享" / "总结.docx").is_file()


@pytest.mark.parametrize(
    ("points_to", "reason"),
    [("不存在/总结.docx", "它指向的文件夹不存在"), ("总结.docx", "链接形成了循环")],
)
def test_a_link_that_cannot_be_followed(
    run_cli: RunCli, source: Path, points_to: str, reason: str
) -> None:
    link = source.with_suffix(".docx")
    link.symlink_to(points_to)
    code, _, err = run_cli("build", str(source))
    assert code == 1 and "Traceback" not in err and reason in err
    assert folder_listing(source.parent) == ["总结.docx", "总结.yaml"]


# --- temporaries left by a killed build --------------------------------------------------------

KILLED_WHILE_SYNCING = """
import os, sys, time
from pathlib import Path

def hang(descriptor):
    print("written", flush=True)
    time.sleep(60)

os.fsync = hang
from generator.pipeline import build_report
build_report(Path(sys.argv[1]))
"""


def test_a_later_build_removes_what_a_killed_build_left(run_cli: RunCli, source: Path) -> None:
    output = source.with_suffix(".docx")
    output.write_bytes(LAST_YEAR)
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_WHILE_SYNCING, str(source)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "written"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert output.read_bytes() == LAST_YEAR
    (left,) = huibao_temporaries(source.parent)
    assert re.fullmatch(r"\.~huibao\.总结\.[a-z0-9_]{8}\.tmp", left)

    code, _, err = run_cli("build", str(source))  # minutes later: not yet stale
    assert code == 0, err
    assert huibao_temporaries(source.parent) == [left]

    an_hour_ago = time.time() - 3600
    os.utime(source.parent / left, (an_hour_ago, an_hour_ago))
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    assert huibao_temporaries(source.parent) == []


def test_only_huibaos_own_stale_temporaries_of_the_same_report_go(
    run_cli: RunCli, source: Path
) -> None:
    an_hour_ago = time.time() - 3600
    files = {
        ".~huibao.总结.k3x_9a0q.tmp": an_hour_ago,  # stale, ours: removed
        ".~huibao.总结.b7c2m1zz.tmp": time.time(),  # a concurrent build's: kept
        ".~huibao.其他.k3x_9a0q.tmp": an_hour_ago,  # another report's: kept
        ".~huibao.总结.k3x_9a0q.tmp.bak": an_hour_ago,  # not a name huibao makes: kept
        ".总结.k3x_9a0q.tmp": an_hour_ago,  # another program's: kept
        "~$总结.tmp": an_hour_ago,
    }
    for name, mtime in files.items():
        (source.parent / name).write_bytes(b"")
        os.utime(source.parent / name, (mtime, mtime))
    code, _, err = run_cli("build", str(source))
    assert code == 0, err
    kept = sorted(name for name in files if name != ".~huibao.总结.k3x_9a0q.tmp")
    assert folder_listing(source.parent) == sorted([*kept, "总结.docx", "总结.yaml"])


def test_new_and_schema_explain_in_chinese(run_cli: RunCli, tmp_path: Path) -> None:
    """``huibao new`` and ``schema -o`` write through the same writer as reports."""
    code, _, err = run_cli("schema", "work-summary", "-o", f"{tmp_path}/没有/a.json")
    assert code == 1 and "输出文件夹不存在" in err and "Errno" not in err
    existing = tmp_path / "a.yaml"
    existing.write_text("kind: work-summary\n", encoding="utf-8")
    existing.chmod(0o444)
    code, _, err = run_cli("new", "work-summary", "-o", str(existing), "--force")
    assert code == 1 and "文件是只读的，未覆盖" in err
    assert existing.read_text(encoding="utf-8") == "kind: work-summary\n"
