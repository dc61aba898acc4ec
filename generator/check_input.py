"""The checks of ``huibao check`` on our own input, and the checks every report gets.

Our input (YAML or a workbook) is checked as the document shows it: the rendered text, with its
numbering generated, its figures filled in. Each stretch of that text is traced back to the field
it came from, so a finding names the file and line (or sheet!cell) staff typed it in; the text
huibao adds itself (numbers, 聚焦“…”，) is traced to the field that follows it.

``run_checks`` runs every check on any ``CheckDocument``; ``build_checks`` is what ``huibao
build`` runs: errors stop the build, warnings are printed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from generator.check_numbering import check_numbering
from generator.check_punctuation import check_punctuation
from generator.check_rates import check_rates
from generator.check_stale import check_stale_years, check_unchanged
from generator.check_text import (
    CATEGORIES,
    ERROR,
    WARNING,
    Block,
    CheckDocument,
    CheckParagraph,
    CheckTable,
    Finding,
    Place,
    Span,
    row_text,
)
from generator.check_totals import check_table_totals, check_text_totals
from generator.document import Document, Paragraph, Table
from generator.errors import Problem, SourceLocation
from generator.load import LoadedSource
from generator.validate import field_label
from schemas import ReportBase
from schemas.base import DataPath

_SKIPPED_FIELDS = frozenset({"kind", "figures", "figures_from"})
_LENIENT = frozenset({"rate", "total"})
"""What ``--lenient`` turns into warnings: the arithmetic, where the basis read may be wrong."""


def run_checks(
    document: CheckDocument, *, against: CheckDocument | None = None, lenient: bool = False
) -> list[Finding]:
    """Every check on ``document``, in reading order within each kind of check.

    ``against`` is last year's report (unchanged sentences; its year is last year's). With
    ``lenient``, a rate or total that disagrees is a warning, as with ``huibao build --lenient``.
    """
    findings: list[Finding] = []
    for block in document.blocks:
        if isinstance(block, CheckTable):
            for row in block.rows:
                findings.extend(check_rates(row_text(row), row=True))
            findings.extend(check_table_totals(block))
    for block in document.blocks:
        if isinstance(block, CheckParagraph):
            findings.extend(check_rates(block))
    for paragraph in document.paragraphs():
        findings.extend(check_text_totals(paragraph))
    findings.extend(check_numbering(document))
    last_year = against.year if against is not None and against.year else None
    if last_year is None and document.year is not None:
        last_year = document.year - 1
    if last_year is not None and last_year != document.year:
        findings.extend(check_stale_years(document, last_year))
    if against is not None:
        findings.extend(check_unchanged(document, against))
    for paragraph in document.paragraphs():
        findings.extend(check_punctuation(paragraph))
    if lenient:
        findings = [
            replace(finding, severity=WARNING) if finding.category in _LENIENT else finding
            for finding in findings
        ]
    order = list(CATEGORIES)
    return sorted(_unique(findings), key=lambda finding: order.index(finding.category))


def _unique(findings: list[Finding]) -> Iterator[Finding]:
    seen: set[tuple[str, Place, str]] = set()
    for finding in findings:
        key = (finding.rule, finding.place, finding.message)
        if key not in seen:
            seen.add(key)
            yield finding


def input_document(report: ReportBase, source: LoadedSource, rendered: Document) -> CheckDocument:
    """The rendered document of our input, each stretch traced to the field it came from."""
    fields = [(path, _pieces(value)) for path, value in _texts(report)]
    model = type(report)
    block_starts = _block_scalar_lines(source)
    places: dict[DataPath, Place] = {}

    def place(path: DataPath) -> Place:
        if path not in places:
            places[path] = _place(path)
        return places[path]

    def _place(path: DataPath) -> Place:
        location = source.locate(path)
        line = location.line if location.cell is None else None
        if line is not None and (line, location.column) in block_starts:
            line += 1  # text: |- : the text starts on the next line
        return Place(
            location.file, line=line, cell=location.cell, field=field_label(source, model, path)
        )

    def traced(paragraph: Paragraph | str) -> CheckParagraph:
        text = paragraph if isinstance(paragraph, str) else paragraph.text
        return CheckParagraph(text, _spans(text, fields, place, source))

    blocks: list[Block] = []
    for block in rendered.blocks:
        if isinstance(block, Table):
            blocks.append(
                CheckTable(
                    tuple(tuple(traced(cell.text) for cell in row.cells) for row in block.rows)
                )
            )
        else:
            blocks.append(traced(block))
    return CheckDocument(source.path, tuple(blocks), report.year)


def _block_scalar_lines(source: LoadedSource) -> set[tuple[int, int | None]]:
    """(line, column) of every value of a YAML input that is a block scalar (``|``, ``|-``,
    ``>``): its text starts on the line after."""
    starts: set[tuple[int, int | None]] = set()
    if source.path.suffix.lower() in (".xlsx", ".csv"):
        return starts
    try:
        lines = source.path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return starts
    for location in source.value_locations.values():
        line, column = location.line, location.column
        if line is None or column is None or not 0 < line <= len(lines):
            continue
        if lines[line - 1][column - 1 : column] in ("|", ">"):
            starts.add((line, column))
    return starts


def _texts(report: ReportBase) -> Iterator[tuple[DataPath, str]]:
    def walk(value: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
        if isinstance(value, str):
            if value.strip():
                yield path, value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))

    for key, value in report.model_dump().items():
        if key not in _SKIPPED_FIELDS:
            yield from walk(value, (key,))


def _pieces(value: str) -> tuple[str, ...]:
    """A field's text as it may stand in one paragraph: whole, or one line of it (a text of
    several lines prints as several paragraphs)."""
    lines = [line for line in value.splitlines() if line.strip()]
    return (value, *lines) if len(lines) > 1 else (value,)


def _spans(
    text: str,
    fields: list[tuple[DataPath, tuple[str, ...]]],
    place: Callable[[DataPath], Place],
    source: LoadedSource,
) -> tuple[Span, ...]:
    """Where each character of ``text`` came from: the longest field text that covers it; text
    huibao added belongs to the field after it (or, at the end, the one before)."""
    covers: list[tuple[int, int, DataPath]] = []
    for path, pieces in fields:
        for piece in pieces:
            start = text.find(piece)
            if start >= 0:
                covers.append((start, start + len(piece), path))
                break
    if not covers:
        return (Span(0, Place(source.path)),)
    owners: list[DataPath | None] = [None] * len(text)
    for start, end, path in sorted(covers, key=lambda cover: cover[1] - cover[0]):
        for index in range(start, end):
            owners[index] = path
    following: DataPath | None = None
    for index in range(len(owners) - 1, -1, -1):
        if owners[index] is None:
            owners[index] = following
        else:
            following = owners[index]
    last = next((owner for owner in reversed(owners) if owner is not None), covers[0][2])
    spans: list[Span] = []
    previous: DataPath | None = None
    for index, owner in enumerate(owners):
        owner = owner or last
        if owner != previous:
            spans.append(Span(index, place(owner)))
            previous = owner
    return tuple(spans) or (Span(0, place(covers[0][2])),)


def as_problem(finding: Finding) -> Problem:
    """A finding on our input as a ``Problem``: the place, the message, what was computed."""
    place = finding.place
    message = finding.message
    if finding.context:
        message += f"：“{finding.context}”"
    if finding.computed:
        message += f"（计算：{finding.computed}）"
    location = SourceLocation(place.file, place.line, cell=place.cell)
    return Problem(location, message, place.field, finding.hint)


def build_checks(
    report: ReportBase, source: LoadedSource, rendered: Document, *, lenient: bool = False
) -> tuple[list[Problem], list[Problem]]:
    """What ``huibao build`` runs on the document it is about to write: (errors, warnings)."""
    findings = run_checks(input_document(report, source, rendered), lenient=lenient)
    errors = [as_problem(finding) for finding in findings if finding.severity == ERROR]
    warnings = [as_problem(finding) for finding in findings if finding.severity == WARNING]
    return errors, warnings
