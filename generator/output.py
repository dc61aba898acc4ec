"""Writing an output file so that a failure never leaves it half-written, and is always explained.

The content is made in memory first (so that a writer such as ``zipfile`` never meets a disk
error half-way and complains again when it is garbage-collected), written to a temporary name in
the target folder (same file system, so the rename is atomic), flushed to disk, then renamed over
the target. A crash or kill mid-write leaves the
previous file as it was; after any normal exit no temporary file is left behind, and a temporary
left by a killed build is removed by the next build of the same file.

Every failure the person running huibao can cause or fix (a full disk, a read-only or vanished
folder, a name too long, a file open in Word …) is a ``FileAccessError`` in Chinese; the errno
table is ``_OS_ERRORS``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from generator.errors import FileAccessError

TEMPORARY_PREFIX = ".~huibao."
"""Every temporary file huibao writes is ``.~huibao.<stem>.<8 random characters>.tmp``."""
STALE_AFTER = 10 * 60
"""Seconds after which a temporary file of the same output is taken as left by a killed build
(writing even a large report takes seconds; a concurrent build's file is always fresher)."""
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts between prefix and suffix
_DEFAULT_NAME_MAX = 255


def write_text(output: Path, text: str) -> None:
    """Write UTF-8 text atomically, with the same checks and messages as a report (``huibao new``,
    ``huibao schema -o``)."""
    write_atomically(
        output, lambda stream: stream.write(text.encode("utf-8")), application="编辑器"
    )


def write_atomically(output: Path, save: Callable[[BinaryIO], object], *, application: str) -> None:
    """Write ``output`` through ``save(stream)``; ``application`` names what may lock the file.

    An ``output`` that is a symbolic link stays a link: the file it points to is replaced (its
    temporary beside it), also when the link is dangling, as an editor saving through a link does.
    """
    try:
        _write(output, save, application)
    except FileAccessError:
        raise
    except OSError as error:
        raise _os_error(output, error) from None


def _write(output: Path, save: Callable[[BinaryIO], object], application: str) -> None:
    _check_name_length(output, output)
    target = _link_target(output)
    folder = target.parent
    _check_folder(output, folder)
    if target.is_dir():
        raise FileAccessError(
            path=output,
            reason="输出路径是一个文件夹",
            hint="请在文件夹后写出要生成的文件名（-o 文件夹/文件名）。",
        )
    _check_name_length(output, target)
    _check_not_open_elsewhere(output, application)
    if target != output:
        _check_not_open_elsewhere(target, application)
    mode = _mode_for(output, target)
    content = io.BytesIO()
    save(content)
    prefix = _temporary_prefix(target)
    remove_stale_temporaries(folder, prefix)
    try:
        handle, temporary_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except PermissionError:
        raise FileAccessError(
            path=output, reason="没有权限在该文件夹中写文件", hint="请换一个输出位置（-o）。"
        ) from None
    temporary = Path(temporary_name)
    replaced = False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.getbuffer())
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(mode)
        temporary.replace(target)
        replaced = True
    except PermissionError:
        raise FileAccessError(
            path=output,
            reason=f"无法写入：文件可能正在 {application} 中打开，或没有修改它的权限",
            hint="请关闭该文件后重试，或用 -o 另存为其他文件名。",
        ) from None
    except FileNotFoundError:
        if folder.is_dir():
            raise FileAccessError(
                path=output,
                reason="临时文件在写入过程中被删除了（可能有其他程序同时在清理该文件夹）",
                hint="请重新运行一次。",
            ) from None
        raise FileAccessError(
            path=output,
            reason="输出文件夹已不存在（可能在生成过程中被删除或移走）",
            hint=f"请确认文件夹 {folder} 仍在，或换一个输出位置（-o）后重试。",
        ) from None
    finally:
        if not replaced:
            with contextlib.suppress(OSError):
                temporary.unlink()


def _link_target(output: Path) -> Path:
    """The file to replace: ``output`` itself, or the file a symbolic link ``output`` points to."""
    if not output.is_symlink():
        return output
    target = Path(os.path.realpath(output))
    if target.is_symlink():
        raise FileAccessError(
            path=output,
            reason="这个符号链接指向自己（链接形成了循环）",
            hint="请删除这个链接，或用 -o 另存为其他文件名。",
        )
    if not target.parent.is_dir():
        raise FileAccessError(
            path=output,
            reason=f"这是一个符号链接，它指向的文件夹不存在：{target.parent}",
            hint="请修正或删除这个链接，或用 -o 另存为其他文件名。",
        )
    return target


def _check_folder(output: Path, folder: Path) -> None:
    if folder.is_dir():
        return
    blocking = _file_in_path(folder)
    if blocking is not None:
        raise FileAccessError(
            path=output,
            reason=f"路径中的“{blocking}”是一个文件，不是文件夹",
            hint="请检查输出路径，或换一个输出位置（-o）。",
        )
    raise FileAccessError(
        path=output,
        reason="输出文件夹不存在",
        hint=f"请先创建文件夹 {folder}，或换一个输出位置。",
    )


def _file_in_path(folder: Path) -> Path | None:
    """The first part of ``folder``'s path that exists but is a file, if any."""
    for part in [*reversed(folder.parents), folder]:
        if part.exists() and not part.is_dir():
            return part
    return None


def _name_max(folder: Path) -> int:
    """The longest file name the folder's file system takes (bytes on POSIX, UTF-16 on Windows)."""
    if hasattr(os, "pathconf"):
        with contextlib.suppress(OSError, ValueError):
            return os.pathconf(folder, "PC_NAME_MAX")
    return _DEFAULT_NAME_MAX


def _name_size(name: str) -> int:
    if sys.platform == "win32":
        return len(name.encode("utf-16-le")) // 2
    return len(os.fsencode(name))


def _check_name_length(output: Path, target: Path) -> None:
    size, limit = _name_size(target.name), _name_max(target.parent)
    if size > limit:
        raise FileAccessError(
            path=output,
            reason=f"文件名太长：{size} 字节，超过了该磁盘允许的 {limit} 字节（一个汉字占 3 字节）",
            hint=f"请缩短文件名（最多约 {limit // 3} 个汉字）后重试。",
        )


def _temporary_prefix(target: Path) -> str:
    """``.~huibao.<stem>.``, the stem shortened so that the whole temporary name fits the file
    system even when the target's own name just fits."""
    limit = _name_max(target.parent)
    stem = target.stem
    while stem and _name_size(f"{TEMPORARY_PREFIX}{stem}.12345678.tmp") > limit:
        stem = stem[:-1]
    return f"{TEMPORARY_PREFIX}{stem}."


def remove_stale_temporaries(folder: Path, prefix: str) -> None:
    """Remove huibao's temporaries for one output that a killed build left behind.

    Only regular files named exactly as huibao names them (``prefix`` + 8 random characters +
    ``.tmp``) and not modified for ``STALE_AFTER`` seconds go; any other file, and a fresh one
    that a concurrent build may be writing, stays. A file that cannot be removed is left alone.
    """
    pattern = re.compile(re.escape(prefix) + _RANDOM + r"\.tmp")
    deadline = time.time() - STALE_AFTER
    names = _temporary_names(folder)
    for name in [name for name in names if pattern.fullmatch(name)]:
        path = folder / name
        with contextlib.suppress(OSError):
            status = path.lstat()
            if stat.S_ISREG(status.st_mode) and status.st_mtime < deadline:
                path.unlink()
                names.remove(name)


def _temporary_names(folder: Path) -> list[str]:
    """The names in ``folder`` that start as huibao's temporaries do, listed once every few
    minutes per folder: a batch writes hundreds of reports into one folder, and listing it for
    each would make the batch quadratic. (Within those minutes only a temporary that is fresh,
    and so never removed, can have appeared.)"""
    key = str(folder)
    now = time.monotonic()
    listed = _LISTED_FOLDERS.get(key)
    if listed is None or now - listed[0] > STALE_AFTER / 2:
        names: list[str] = []
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.name.startswith(TEMPORARY_PREFIX)]
        if len(_LISTED_FOLDERS) > 64:
            _LISTED_FOLDERS.clear()
        listed = _LISTED_FOLDERS[key] = (now, names)
    return listed[1]


_LISTED_FOLDERS: dict[str, tuple[float, list[str]]] = {}


_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (
        "磁盘空间不足，文件没有写成",
        "请清理该磁盘的空间，或用 -o 写到其他磁盘或文件夹。",
    ),
    errno.EROFS: (
        "该位置是只读的（如光盘、写保护的 U 盘或只读的共享文件夹），无法写入",
        "请用 -o 写到可以写入的文件夹。",
    ),
    errno.ENAMETOOLONG: (
        "文件名或路径太长",
        "请缩短文件名（最多约 85 个汉字），或换一个路径较短的文件夹（-o）。",
    ),
    errno.ENOTDIR: ("路径中有一部分是文件，不是文件夹", "请检查输出路径，或换一个输出位置（-o）。"),
    errno.ENOENT: ("输出文件夹不存在", "请确认文件夹仍在，或换一个输出位置（-o）。"),
    errno.EACCES: ("没有写入权限", "请换一个输出位置（-o），或请管理员开放权限。"),
    errno.EPERM: ("没有写入权限", "请换一个输出位置（-o），或请管理员开放权限。"),
    errno.EISDIR: ("输出路径是一个文件夹", "请给出文件名。"),
    errno.ELOOP: ("路径中的符号链接形成了循环", "请修正链接，或换一个输出位置（-o）。"),
    errno.EIO: (
        "读写磁盘时出错（磁盘、U 盘或网络共享可能有故障）",
        "请检查磁盘或网络连接后重试，或写到其他位置（-o）。",
    ),
    errno.EFBIG: ("文件超过了该磁盘允许的大小", "请写到其他磁盘（-o）。"),
    errno.EBUSY: ("文件正被其他程序使用", "请关闭使用它的程序后重试，或用 -o 另存为其他文件名。"),
    errno.ETXTBSY: ("文件正被其他程序使用", "请关闭使用它的程序后重试，或用 -o 另存为其他文件名。"),
}
if hasattr(errno, "EDQUOT"):
    _OS_ERRORS[errno.EDQUOT] = (
        "超出了磁盘配额：分给您的磁盘空间已用完，文件没有写成",
        "请删除一些不用的文件，或用 -o 写到其他磁盘，或请管理员增加配额。",
    )

_NOTHING_WRITTEN = {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _os_error(output: Path, error: OSError) -> FileAccessError:
    """The Chinese message for an OS error met while writing ``output`` (never its English)."""
    if error.errno in _OS_ERRORS:
        reason, hint = _OS_ERRORS[error.errno or 0]
        if error.errno == errno.ENOTDIR:
            blocking = _file_in_path(output.parent)
            if blocking is not None:
                reason = f"路径中的“{blocking}”是一个文件，不是文件夹"
        if error.errno in _NOTHING_WRITTEN and _is_file(output):
            reason += "（原来的文件没有改动）"
        return FileAccessError(path=output, reason=reason, hint=hint)
    code = errno.errorcode.get(error.errno or 0, str(error.errno))
    return FileAccessError(
        path=output,
        reason=f"无法写入（系统错误 {code}）",
        hint="请换一个输出位置（-o）后重试；如仍不行，请把这条信息告诉管理员。",
    )


def _mode_for(output: Path, target: Path) -> int:
    """The permissions the written file gets: those of the file it replaces, else the usual ones
    (``mkstemp`` makes temporary files private, and a report must stay readable by colleagues)."""
    if target.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
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
        if _is_file(lock):
            owner = _lock_owner(lock)
            program = "LibreOffice" if lock.name.startswith(".~lock.") else application
            raise FileAccessError(
                path=output,
                reason=f"文件正在被{f'“{owner}”' if owner else ''}用 {program} 打开"
                f"（发现锁定文件 {lock.name}）",
                hint=f"请先关闭该文件再运行；如确认已经关闭，删除隐藏的锁定文件 {lock.name} "
                "后重试；或用 -o 另存为其他文件名。",
            )


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name the file system cannot hold (too long) is none."""
    try:
        return path.is_file()
    except OSError:
        return False


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file, links followed; a link loop names no file."""
    return os.path.realpath(first) == os.path.realpath(second)


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
