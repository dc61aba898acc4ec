"""Writing an output file so that a failure never leaves it half-written.

The file is written to a temporary name in the target folder (same file system, so the rename is
atomic), flushed to disk, then renamed over the target. A crash or kill mid-write leaves the
previous file as it was; after any normal exit no temporary file is left behind.
"""

from __future__ import annotations

import contextlib
import os
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
