"""Writing an output file so that a failure never leaves it half-written.

The file is written to a temporary name in the target folder (same file system, so the rename is
atomic), flushed to disk, then renamed over the target. A crash or kill mid-write leaves the
previous file as it was; after any normal exit no temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from generator.errors import FileAccessError


def write_atomically(output: Path, save: Callable[[BinaryIO], None], *, application: str) -> None:
    """Write ``output`` through ``save(stream)``; ``application`` names what may lock the file."""
    folder = output.parent
    if not folder.is_dir():
        raise FileAccessError(
            path=output,
            reason="输出文件夹不存在",
            hint=f"请先创建文件夹 {folder}，或换一个输出位置。",
        )
    if output.is_dir():
        raise FileAccessError(
            path=output, reason="输出路径是一个文件夹", hint=f"请给出 {output.suffix} 文件名。"
        )
    _check_not_open_elsewhere(output, application)
    mode = _mode_for(output)
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
            save(stream)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(mode)
        temporary.replace(output)
    except PermissionError:
        raise FileAccessError(
            path=output,
            reason=f"无法写入：文件可能正在 {application} 中打开，或没有写入权限",
            hint="请关闭该文件后重试，或用 -o 另存为其他文件名。",
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _mode_for(output: Path) -> int:
    """The permissions the written file gets: those of the file it replaces, else the usual ones
    (``mkstemp`` makes temporary files private, and a report must stay readable by colleagues)."""
    if output.exists():
        mode = stat.S_IMODE(output.stat().st_mode)
        if not mode & 0o222:
            raise FileAccessError(
                path=output,
                reason="文件是只读的，未覆盖",
                hint="在文件属性中取消“只读”后重试，或用 -o 另存为其他文件名。",
            )
        return mode
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _check_not_open_elsewhere(output: Path, application: str) -> None:
    """Refuse to replace a file that Word, WPS, Excel or LibreOffice has open.

    Those programs leave a lock file beside the document while it is open. On Windows the open
    file cannot be replaced anyway; on a shared folder or another system it can, and the program
    would later save its old copy over the new report. A lock file left by a crash looks the
    same, so the message says how to remove it.
    """
    for lock in _lock_files(output):
        if lock.is_file():
            owner = _lock_owner(lock)
            program = "LibreOffice" if lock.name.startswith(".~lock.") else application
            raise FileAccessError(
                path=output,
                reason=f"文件正在被{f'“{owner}”' if owner else ''}用 {program} 打开"
                f"（发现锁定文件 {lock.name}）",
                hint=f"请先关闭该文件再运行；如确认已经关闭，删除隐藏的锁定文件 {lock.name} "
                "后重试；或用 -o 另存为其他文件名。",
            )


def _lock_files(output: Path) -> list[Path]:
    """Where lock files for ``output`` would be: LibreOffice's, and Office's owner file, whose
    name for Word documents drops the first one or two characters of long names."""
    name = output.name
    owner = name
    if output.suffix.lower() in {".docx", ".doc"}:
        if len(output.stem) >= 8:
            owner = name[2:]
        elif len(output.stem) == 7:
            owner = name[1:]
    return [output.with_name(f".~lock.{name}#"), output.with_name(f"~${owner}")]


def _lock_owner(lock: Path) -> str | None:
    """The user named in a lock file, if it can be read.

    LibreOffice writes ``full name,login,host,time,profile;``. An Office owner file holds the
    name's length in byte 0 and, from byte 54 (Word) or 55 (Excel), its length again and the
    name in UTF-16-LE (layout as read by LibreOffice's ``MSODocumentLockFile``).
    """
    try:
        data = lock.read_bytes()[:512]
    except OSError:
        return None
    if lock.name.startswith(".~lock."):
        fields = data.decode("utf-8", errors="replace").split(",")
        return next((field.strip() for field in fields[:2] if field.strip()), None)
    if len(data) < 162 or not 0 < data[0] <= 52:
        return None
    start = 54
    if data[start] == 0x20 and (data[start - 1] or data[start - 2]):
        start = 55
    length = data[start]
    if not 0 < length <= 52:
        return None
    name = data[start + 2 : start + 2 + 2 * length].decode("utf-16-le", errors="replace")
    return name.strip() or None
