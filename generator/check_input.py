"""The checks of ``huibao check`` on our own input, and the checks every report gets.

Our input (YAML or a workbook) is checked as the document shows it: the rendered text, with its
numbering generated, its figures filled in. Each stretch of that text is traced back to the field
it came from, so a finding names the file and line (or sheet!cell) staff typed it in; the text
huibao adds itself (numbers, 聚焦“…”，) is traced to the field that follows it.

``run_checks`` runs every check on any ``CheckDocument``; ``build_checks`` is what ``huibao
build`` runs: errors stop the build, warnings are printed.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
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
    unique = (_labelled(finding) for finding in _unique(findings))
    return sorted(unique, key=lambda finding: order.index(finding.category))


def _unique(findings: list[Finding]) -> Iterator[Finding]:
    seen: set[tuple[str, Place, str]] = set()
    for finding in findings:
        key = (finding.rule, finding.place, finding.message)
        if key not in seen:
            seen.add(key)
            yield finding


def input_document(report: ReportBase, source: LoadedSource, rendered: Document) -> CheckDocument:
    """The rendered document of our input, each stretch traced to the field it came from.

    Places carry no field label yet (``TracedPlace``): ``run_checks`` labels the few that end up
    in a finding, since naming a field costs more than finding it.
    """
    units: list[str] = []  # every paragraph and table cell, in reading order
    for block in rendered.blocks:
        if isinstance(block, Table):
            units.extend(cell.text for row in block.rows for cell in row.cells)
        else:
            units.append(block.text)
    covers = _Tracer(units, _row_starts(rendered.blocks)).trace(_texts(report))
    model = type(report)
    places: dict[DataPath, TracedPlace] = {}

    def place(path: DataPath) -> TracedPlace:
        if path not in places:
            location = source.locate(path)
            line = location.line if location.cell is None else None
            if line is not None and (line, location.column) in source.block_scalars:
                line += 1  # text: |- : the text starts on the next line
            places[path] = TracedPlace(
                location.file,
                line=line,
                cell=location.cell,
                label=lambda: field_label(source, model, path),
            )
        return places[path]

    unplaced = (Span(0, Place(source.path)),)  # text no field gave (a 序号 cell): the file
    traced = iter(
        CheckParagraph(text, _spans(text, unit_covers, place) if unit_covers else unplaced)
        for text, unit_covers in zip(units, covers, strict=True)
    )
    blocks: list[Block] = []
    for block in rendered.blocks:
        if isinstance(block, Table):
            blocks.append(
                CheckTable(tuple(tuple(next(traced) for _cell in row.cells) for row in block.rows))
            )
        else:
            blocks.append(next(traced))
    return CheckDocument(source.path, tuple(blocks), report.year)


@dataclass(frozen=True)
class TracedPlace(Place):
    """A place in our input whose field label is worked out only when a finding needs it."""

    label: Callable[[], str] = field(default=lambda: "", compare=False, repr=False)

    def labelled(self) -> Place:
        return Place(self.file, line=self.line, cell=self.cell, field=self.label())


def _labelled(finding: Finding) -> Finding:
    place = finding.place
    return replace(finding, place=place.labelled()) if isinstance(place, TracedPlace) else finding


def _row_starts(blocks: tuple[Paragraph | Table, ...]) -> list[int]:
    """The index of the first unit of each paragraph and each table row."""
    starts: list[int] = []
    unit = 0
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                starts.append(unit)
                unit += len(row.cells)
        else:
            starts.append(unit)
            unit += 1
    return starts


_MISSES = 32
"""Misses in a row after which a field is taken not to be printed (``_Tracer._find``)."""

Cover = tuple[int, int, DataPath]
"""A stretch of one unit's text (start, end) that a field's text gave."""


class _Tracer:
    """Finds where each field's text stands in the document, in time linear in the report.

    Searching every field in every paragraph is quadratic (a 1,000-task table: 4,000 texts in
    4,000 cells) and credits a text that several fields share (a status 已完成) to whichever
    field came last. Templates print the data in order, so each field is looked for from where
    the previous value of the same field (the same path, list positions aside) was found; a
    field seen for the first time is looked for from the start of the paragraph or table row of
    the last find (the columns of a row may come in any order). A cell or paragraph that is
    exactly the text is preferred to the text inside a longer one, and each is taken once.
    Texts at the top of the report (the 发文机关, the title) may stand in several places (the
    title, the 落款): they are looked for in every paragraph.
    """

    def __init__(self, units: list[str], row_starts: list[int]) -> None:
        self.units = units
        self.unit_starts: list[int] = []
        position = 0
        for text in units:
            self.unit_starts.append(position)
            position += len(text) + 1
        self.joined = "\x00".join(units)
        self.row_positions = [self.unit_starts[unit] for unit in row_starts if unit < len(units)]
        self.exact: dict[str, list[int]] = {}
        for index, text in enumerate(units):
            self.exact.setdefault(text, []).append(index)
        self.taken: set[int] = set()
        self.after: dict[tuple[str | int, ...], int] = {}  # a field's next search position
        self.last = 0  # where the last text was found
        self.misses: dict[tuple[str | int, ...], int] = {}  # a field's misses in a row

    def trace(self, fields: Iterator[tuple[DataPath, str]]) -> list[list[Cover]]:
        covers: list[list[Cover]] = [[] for _ in self.units]
        everywhere: list[tuple[DataPath, str]] = []
        for path, value in fields:
            if len(path) == 1:
                everywhere.append((path, value))
                continue
            pattern = tuple(["*" if type(part) is int else part for part in path])
            for start, piece in self._placed(value, pattern):
                unit = bisect.bisect_right(self.unit_starts, start) - 1
                offset = start - self.unit_starts[unit]
                covers[unit].append((offset, offset + len(piece), path))
        everywhere_pieces = [(path, _pieces(value)) for path, value in everywhere]
        for index, text in enumerate(self.units):
            for path, pieces in everywhere_pieces:
                for piece in pieces:
                    start = text.find(piece)
                    if start >= 0:
                        covers[index].append((start, start + len(piece), path))
                        break
        return covers

    def _placed(self, value: str, pattern: tuple[str | int, ...]) -> list[tuple[int, str]]:
        """Where a field's text stands: whole, or line by line when its lines were printed
        apart (a text of several lines prints as several paragraphs)."""
        pieces = _pieces(value)
        if len(pieces) == 1:
            found = self._find(value, pattern)
            return [] if found is None else [(found, value)]
        first = self._find(pieces[1], pattern)
        if first is not None and self.joined.startswith(value, first):
            self.after[pattern] = first + len(value)
            return [(first, value)]
        placed = [] if first is None else [(first, pieces[1])]
        for line in pieces[2:]:
            found = self._find(line, pattern)
            if found is not None:
                placed.append((found, line))
        return placed

    def _find(self, piece: str, pattern: tuple[str | int, ...]) -> int | None:
        """Where ``piece`` is found (a position in the joined text), searching from where this
        field was last found; ``None`` if the document does not hold it.

        A miss costs a search of the whole text: a field the template does not print at all (an
        override that leaves out a column) is no longer looked for after ``_MISSES`` misses in a
        row, so such a field cannot make the tracing quadratic."""
        if self.misses.get(pattern, 0) >= _MISSES:
            return None
        origin = self.after.get(pattern)
        if origin is None:
            row = self._row(self.last)
            origin = self.row_positions[row] if row >= 0 else 0
        found = self.joined.find(piece, origin)
        whole = self._whole_unit(piece, origin)
        if whole is not None and (
            found < 0 or self._row(self.unit_starts[whole]) == self._row(found)
        ):
            self.taken.add(whole)
            found = self.unit_starts[whole]
        elif found < 0:
            found = self.joined.rfind(piece, 0, origin + len(piece))
            if found < 0:
                self.misses[pattern] = self.misses.get(pattern, 0) + 1
                return None
        self.misses[pattern] = 0
        self.after[pattern] = found + len(piece)
        self.last = found
        return found

    def _row(self, position: int) -> int:
        """The paragraph or table row that ``position`` is in."""
        return bisect.bisect_right(self.row_positions, position) - 1

    def _whole_unit(self, piece: str, origin: int) -> int | None:
        """The first paragraph or cell not yet taken, at or after ``origin``, whose whole text is
        ``piece``: a status cell 已完成 rather than 已完成 inside the progress beside it."""
        indices = self.exact.get(piece)
        if not indices:
            return None
        first = bisect.bisect_left(indices, bisect.bisect_left(self.unit_starts, origin))
        for index in indices[first:]:
            if index not in self.taken:
                return index
        return None


def _texts(report: ReportBase) -> Iterator[tuple[DataPath, str]]:
    found: list[tuple[DataPath, str]] = []

    def walk(value: Any, path: DataPath) -> None:
        if isinstance(value, str):
            if value.strip():
                found.append((path, value))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))

    for key, value in report.model_dump().items():
        if key not in _SKIPPED_FIELDS:
            walk(value, (key,))
    return iter(found)


def _pieces(value: str) -> tuple[str, ...]:
    """A field's text as it may stand in one paragraph: whole, or one line of it (a text of
    several lines prints as several paragraphs)."""
    lines = [line for line in value.splitlines() if line.strip()]
    return (value, *lines) if len(lines) > 1 else (value,)


def _spans(text: str, covers: list[Cover], place: Callable[[DataPath], Place]) -> tuple[Span, ...]:
    """Where each character of ``text`` came from: the longest field text that covers it; text
    huibao added belongs to the field after it (or, at the end, the one before). ``covers`` is
    not empty."""
    first = covers[0][2]
    if all(path == first for _start, _end, path in covers):  # a cell, a text in pieces
        return (Span(0, place(first)),)
    # the stretches between any two cover edges, each owned by the longest cover holding it
    edges = sorted({0, len(text), *(edge for start, end, _path in covers for edge in (start, end))})
    stretches = _owned_stretches(edges, covers)
    owners: list[tuple[int, DataPath | None]] = []
    following: DataPath | None = None
    for start, owner in reversed(stretches):
        following = owner or following
        owners.append((start, following))
    last = next((owner for _start, owner in stretches[::-1] if owner is not None), covers[0][2])
    spans: list[Span] = []
    previous: DataPath | None = None
    for start, owner in reversed(owners):
        owner = owner or last
        if owner != previous:
            spans.append(Span(start, place(owner)))
            previous = owner
    return tuple(spans) or (Span(0, place(covers[0][2])),)


def _owned_stretches(edges: list[int], covers: list[Cover]) -> list[tuple[int, DataPath | None]]:
    """Each stretch between two edges, with the longest cover holding it (the later of two as
    long)."""
    stretches: list[tuple[int, DataPath | None]] = []
    for start, end in itertools.pairwise(edges):
        owner: DataPath | None = None
        longest = 0
        for cover_start, cover_end, path in covers:
            if cover_start <= start and end <= cover_end and cover_end - cover_start >= longest:
                owner, longest = path, cover_end - cover_start
        stretches.append((start, owner))
    return stretches


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
