"""Decoding Chinese text files that are not UTF-8: GB18030, a superset of GBK and GB2312.

Short files defeat statistical detection, so the test is direct: strict GB18030 decoding that
yields mostly CJK characters. Latin-1 or random bytes rarely pass it.
"""

from __future__ import annotations

import unicodedata


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
