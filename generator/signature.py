"""Where the 发文机关署名 and the 成文日期 stand, per GB/T 9704-2012 §7.3.5.

Not stamped (§7.3.5.2): 署名右空二字；成文日期首字比署名首字右移二字；成文日期长于署名时，成文日期右空
二字，署名的右空相应增加. Stamped (§7.3.5.1): 成文日期右空四字，署名以成文日期为准居中编排.

Positions are counted in character cells of the paragraph's font from the right edge of the text
block; a text's width counts a Chinese character as one cell and a digit or Latin letter as half
(Arabic numerals are half-width in 仿宋_GB2312). The writer turns them into left indents, so the
first character of each line stands exactly where the standard puts it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

SIGNATURE_STYLE = "落款"
DATE_STYLE = "成文日期"
SEALED_DATE_STYLE = "成文日期（加盖印章）"


def cells(text: str) -> float:
    """Width of ``text`` in character cells: Chinese 1, digits and Latin ½."""
    return sum(1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.5 for char in text)


@dataclass(frozen=True)
class SignaturePlaces:
    """Blank cells between the right edge of the text block and the end of each line."""

    signature_right: float
    date_right: float


def signature_places(signature: str, date: str, *, sealed: bool) -> SignaturePlaces:
    """Where the 署名 and the 成文日期 end, counted in cells from the right edge of the block."""
    signature_width, date_width = cells(signature), cells(date)
    if sealed:
        date_right = 4.0
        centred = date_right + (date_width - signature_width) / 2
        return SignaturePlaces(max(0.0, centred), date_right)
    signature_right = 2.0
    # the date's first character two cells right of the 署名's first character
    date_right = signature_right + signature_width - 2.0 - date_width
    if date_right < 2.0:  # the date is the longer: it keeps two cells, the 署名 moves left
        date_right = 2.0
        signature_right = date_right + date_width + 2.0 - signature_width
    return SignaturePlaces(signature_right, date_right)
