"""The pipeline as plain typed functions: load → validate → compute → render → write.

Nothing here prints; each function returns a result or raises a ``UserError`` for the CLI to show.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.completeness import check_nothing_lost
from generator.compute import compute_report
from generator.document import Document
from generator.docx_writer import DocumentProperties, write_docx
from generator.errors import FileAccessError, InputError, Problem
from generator.kinds import find_kind
from generator.load import SPREADSHEET_SUFFIXES, LoadedSource, check_input_path, load_source
from generator.output import same_file
from generator.render import TEMPLATE_NAME, reference_docx, render_report, report_environment
from generator.spacing import leading_space_notes
from generator.title_lines import arrange_title
from generator.typed_numbers import check_typed_numbers
from generator.validate import validate_report
from schemas import ReportBase, ReportKind


@dataclass(frozen=True)
class ValidatedInput:
    """An input file that passed validation, figures filled in, with its kind and any warnings;
    ``source`` is what was read, with the place of every value (for huibao check)."""

    path: Path
    kind: ReportKind
    report: ReportBase
    warnings: list[Problem]
    source: LoadedSource


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the CLI to report."""

    input: Path
    output: Path
    kind: ReportKind
    document: Document
    warnings: list[Problem]


def validate_input(
    path: Path, *, lenient: bool = False, strip_numbers: bool = False
) -> ValidatedInput:
    """Load, validate and compute one input file; raise ``InputError`` listing every problem.

    With ``lenient``, a hand-typed rate that disagrees with its figures is a warning, not an error;
    with ``strip_numbers``, numbers typed where huibao numbers are removed with a note.
    """
    check_report_input(path)
    # openpyxl (and the numpy it pulls in) costs ~0.2 s to import: only when a spreadsheet is used.
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        from generator.spreadsheet import load_workbook_source

        source = load_workbook_source(path)
    else:
        source = load_source(path)
        if source.data.get("figures_from") is not None:
            from generator.spreadsheet import with_figures_from

            source = with_figures_from(source)
    report = validate_report(source)
    kind = find_kind(str(source.data["kind"]))
    assert kind is not None  # validate_report has checked the kind
    report, numbering_notes = check_typed_numbers(report, source, strip=strip_numbers)
    numbering_notes = [*leading_space_notes(source), *numbering_notes]
    computed = compute_report(report, source, lenient=lenient)
    report, title_notes = arrange_title(computed.report, source)
    warnings = [*source.notes, *numbering_notes, *computed.warnings, *title_notes]
    return ValidatedInput(path, kind, report, warnings, source)


_NOT_INPUTS = {
    ".docx": "这是 Word 文件",
    ".doc": "这是 Word 文件",
    ".wps": "这是 WPS 文字文件",
    ".odt": "这是文字处理文件",
    ".pdf": "这是 PDF 文件",
    ".xls": "这是旧版 Excel 文件（.xls）",
    ".et": "这是 WPS 表格文件（.et）",
}


def check_report_input(path: Path) -> None:
    """An input must be an existing file huibao reads: YAML (any text file), .xlsx or .csv.

    Checked before anything is derived from the path, so that ``huibao build .`` or a Word file
    given by mistake gets a message saying what to give instead.
    """
    check_input_path(path)
    reason = _NOT_INPUTS.get(path.suffix.lower())
    if reason is None:
        return
    if path.suffix.lower() in (".xls", ".et"):
        hint = "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿（.xlsx）”后再运行。"
    else:
        hint = (
            "huibao 从填好的 YAML 表单（huibao new 类型）或 Excel 工作簿（huibao form 类型）"
            "生成 Word 报告，不直接读取 Word、PDF 文件。"
        )
    raise FileAccessError(path=path, reason=f"{reason}，不是 huibao 的输入文件", hint=hint)


def render_input(checked: ValidatedInput, templates_dir: Path | None = None) -> Document:
    """Render a validated input into the document model with its kind's template."""
    return render_report(checked.report, checked.kind, report_environment(templates_dir))


def default_output(input_path: Path) -> Path:
    """``2020.yaml`` → ``2020.docx`` beside it."""
    return input_path.with_suffix(".docx")


def build_report(
    input_path: Path,
    output_path: Path | None = None,
    *,
    templates_dir: Path | None = None,
    lenient: bool = False,
    strip_numbers: bool = False,
) -> BuildResult:
    """Build one .docx report from one input file."""
    with fewer_collections():
        return _build_report(input_path, output_path, templates_dir, lenient, strip_numbers)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cycle collector, less often while a report is built.

    A build makes hundreds of thousands of objects and keeps most of them until it ends (the
    report, its document, the checks' copy, the Word XML), few of them in reference cycles. At
    Python's default pace (a young collection every 700 new objects, an older one every ten of
    those) a 1,000-task table spent a sixth of its time collecting, walking the objects it keeps
    again at each older collection. Collections go on as usual before and after the build, and
    within it every ``BUILD_COLLECTION_EVERY`` new objects: the 1,000-task table is then
    collected once (after it is built) instead of nine times, at the same peak memory; a build
    that made nothing but cyclic garbage would hold at most that many objects more.

    Builds that overlap (threads of one process) share one slower pace: the process's own is
    put back when the last of them ends, whatever order they end in.
    """
    _COLLECTIONS.enter()
    try:
        yield
    finally:
        _COLLECTIONS.leave()


class _CollectionPace:
    """The collector's pace while any build runs, and the process's own to put back after."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._builds = 0
        self._own: tuple[int, int, int] = gc.get_threshold()

    def enter(self) -> None:
        with self._lock:
            if self._builds == 0:
                self._own = gc.get_threshold()
                gc.set_threshold(max(self._own[0], BUILD_COLLECTION_EVERY), *self._own[1:])
            self._builds += 1

    def leave(self) -> None:
        with self._lock:
            self._builds -= 1
            if self._builds == 0:
                gc.set_threshold(*self._own)


_COLLECTIONS = _CollectionPace()
BUILD_COLLECTION_EVERY = 250_000


def _build_report(
    input_path: Path,
    output_path: Path | None,
    templates_dir: Path | None,
    lenient: bool,
    strip_numbers: bool,
) -> BuildResult:
    check_report_input(input_path)
    if templates_dir is not None and not templates_dir.is_dir():
        raise FileAccessError(path=templates_dir, reason="模板文件夹不存在")
    output = output_path or default_output(input_path)
    if output.suffix.lower() != ".docx":
        raise FileAccessError(path=output, reason="输出文件名应以 .docx 结尾")
    if same_file(output, input_path):
        raise FileAccessError(path=output, reason="输出文件不能覆盖输入文件")
    checked = validate_input(input_path, lenient=lenient, strip_numbers=strip_numbers)
    document = render_input(checked, templates_dir)
    report = checked.report
    created = dt.datetime.combine(
        report.date or dt.date(report.year, 12, 31), dt.time(), tzinfo=dt.UTC
    )
    title = "".join(report.title.splitlines())  # the title's line breaks are layout only
    properties = DocumentProperties(title=title, author=report.org, created=created)
    check_nothing_lost(
        report,
        document,
        f"{checked.kind.name}/{TEMPLATE_NAME}",
        (properties.title, properties.author),
    )
    from generator.check_input import build_checks  # the checks of huibao check

    errors, check_warnings = build_checks(report, checked.source, document, lenient=lenient)
    if errors:
        raise InputError(file=input_path, problems=errors)
    write_docx(document, output, reference=reference_docx(templates_dir), properties=properties)
    warnings = [*checked.warnings, *check_warnings]
    return BuildResult(input_path, output, checked.kind, document, warnings)
