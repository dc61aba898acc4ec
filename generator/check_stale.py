"""Stale content: last year's text that survived into this year's report.

Two ways it shows, both warnings (a report may quote last year on purpose):

- a date or year that still points to last year's period: ``截至2020年末``, ``至2020年10月底``,
  ``2020年，全市……``, ``2020年度全市完成……`` in the 2021 report. Last year is the year of the
  report given with ``--against``, or else the year before the report's own;
- with ``--against``, every sentence whose numbers are all unchanged from a sentence of last
  year's report that says much the same (``全市新增城市道路24公里`` both years). Years and dates are
  left out of the comparison: a sentence whose year was changed but whose figures were not is
  exactly what this is for.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from generator.check_text import (
    WARNING,
    CheckDocument,
    CheckParagraph,
    Finding,
    Place,
    number_text,
    plain_digits,
    quantities,
    sentences,
)

_SIMILAR = 0.6
"""How alike (difflib's ratio, numbers masked) two sentences must be to be the same sentence."""


def _period_patterns(year: int) -> re.Pattern[str]:
    y = str(year)
    return re.compile(
        rf"(?:截至|截止到|截止|截至到)\s*{y}\s*年(?:\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日|底|末|份)?|末|底|年底|年末|度)?"
        rf"|(?<![\d年])(?:至|到)\s*{y}\s*年\s*(?:\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日|底|末)|末|底|年底|年末)"
        rf"|(?<![\d\-—～~至到比较与同])(?<!\d年){y}\s*年度?\s*(?:，|,)?\s*(?=全市|全省|全区|全县|我市|我省|我局|我区|我县|全年)"
        rf"(?:全市|全省|全区|全县|我市|我省|我局|我区|我县|全年)"
    )


def check_stale_years(document: CheckDocument, last_year: int) -> list[Finding]:
    """Every date or year of ``document`` that still points to ``last_year``'s period."""
    pattern = _period_patterns(last_year)
    year = str(last_year)
    findings: list[Finding] = []
    for paragraph in document.paragraphs():
        text = plain_digits(paragraph.text)
        if year not in text:
            continue  # every pattern names the year
        for match in pattern.finditer(text):
            findings.append(
                Finding(
                    WARNING,
                    "stale",
                    "last-year-period",
                    paragraph.place_at(match.start()),
                    f"“{match[0]}”指的是{last_year}年，"
                    f"而本报告是{document.year if document.year else last_year + 1}年的",
                    paragraph.context(match.start(), match.end()),
                    hint="如果这是沿用去年报告的文字，请改为今年的时间和数字；"
                    "如果确实是在说去年，可以不理会。",
                )
            )
    return findings


@dataclass(frozen=True)
class _Sentence:
    paragraph: CheckParagraph
    start: int
    end: int
    text: str
    numbers: tuple[tuple[str, str], ...]
    masked: str


def _sentences(document: CheckDocument) -> list[_Sentence]:
    found: list[_Sentence] = []
    for paragraph in document.paragraphs():
        text = plain_digits(paragraph.text)
        for start, end in sentences(text):
            piece = text[start:end]
            numbers = tuple(
                (number_text(quantity.value), quantity.unit) for quantity in quantities(piece)
            )
            if not numbers:
                continue
            masked = re.sub(r"\d+(?:\.\d+)?", "#", re.sub(r"\s+", "", piece))
            found.append(_Sentence(paragraph, start, end, piece.strip(), numbers, masked))
    return found


def check_unchanged(document: CheckDocument, last: CheckDocument) -> list[Finding]:
    """Every sentence of ``document`` with the same numbers as a like sentence of ``last``."""
    earlier: dict[tuple[tuple[str, str], ...], list[_Sentence]] = {}
    for sentence in _sentences(last):
        earlier.setdefault(sentence.numbers, []).append(sentence)
    findings: list[Finding] = []
    for sentence in _sentences(document):
        for old in earlier.get(sentence.numbers, []):
            matcher = difflib.SequenceMatcher(None, sentence.masked, old.masked, autojunk=False)
            if matcher.quick_ratio() < _SIMILAR or matcher.ratio() < _SIMILAR:
                continue
            where = _where(old.paragraph.place_at(old.start))
            shown = "、".join(dict.fromkeys(number + unit for number, unit in sentence.numbers))
            findings.append(
                Finding(
                    WARNING,
                    "stale",
                    "unchanged-numbers",
                    sentence.paragraph.place_at(sentence.start),
                    f"这句话的数字（{_cut(shown)}）与去年报告{where}的一句完全相同",
                    sentence.paragraph.context(sentence.start, sentence.end, width=0),
                    hint=f"去年：“{_cut(old.text, 60)}”。如果数字确实没变，可以不理会；"
                    "否则请换成今年的数字。",
                )
            )
            break
    return findings


def _where(place: Place) -> str:
    text = str(place)
    return text[len(place.file.name) :].strip(" :") and f"（{text}）"


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "……"
