"""Decoding Chinese text files that are not UTF-8: GB18030, a superset of GBK and GB2312.

Short files defeat statistical detection, so the test is direct: strict GB18030 decoding that
yields mostly CJK characters. Latin-1 or random bytes rarely pass it.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from generator.errors import InputError, Problem, SourceLocation


def decode_chinese(raw: bytes) -> str | None:
    """The text of ``raw`` read as GB18030, or ``None`` if it does not read as Chinese.

    A UTF-8 file with a few damaged bytes is not GB18030: its bad line must be reported, not
    the whole file read as mojibake. So mostly valid UTF-8 is refused here.
    """
    as_utf8 = raw.decode("utf-8", errors="replace")
    damaged = as_utf8.count("\ufffd")
    if sum(ord(char) > 127 for char in as_utf8) > 2 * damaged:
        return None
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    non_ascii = [char for char in text if ord(char) > 127]
    cjk = [char for char in non_ascii if unicodedata.east_asian_width(char) in "WF"]
    if non_ascii and len(cjk) / len(non_ascii) >= 0.8:
        return text
    return None


def guess_encoding(raw: bytes) -> str | None:
    """charset-normalizer's best guess, to name the encoding of a file that cannot be read."""
    import charset_normalizer  # only on this error path

    best = charset_normalizer.from_bytes(raw).best()
    return best.encoding if best is not None else None


def decode_text(raw: bytes, path: Path, *, save_hint: str) -> tuple[str, bool]:
    """``raw`` as UTF-8 (BOM or not) or, failing that, GB18030; ``True`` when GB18030 was used.

    Anything else is an ``InputError`` naming the first line that is not UTF-8 and the encoding it
    looks like; ``save_hint`` tells staff how to save the file again in their program.
    """
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError as error:
        bad_line = raw[: error.start].count(b"\n") + 1
    text = decode_chinese(raw)
    if text is not None:
        return text, True
    guess = guess_encoding(raw)
    raise InputError(
        file=path,
        problems=[
            Problem(
                location=SourceLocation(path, bad_line),
                message="文件不是 UTF-8 编码，也不是 GB18030（GBK）编码的中文"
                + (f"（看起来是 {guess} 编码）" if guess else ""),
                hint=save_hint,
            )
        ],
    )
