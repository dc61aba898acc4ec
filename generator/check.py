"""``huibao check``: what leadership should not find — stated rates, totals, numbering, stale
content and punctuation — in our own input or in any existing report.

``check_file`` is the pipeline function the CLI calls. Our input (YAML, .xlsx, .csv) is
validated as ``huibao validate`` does and checked as the document shows it, without writing a
.docx; any other report (.docx, .doc, .wps, .txt, .html) is read as ``huibao import`` reads it.
``--against`` names last year's report, either kind.

The checks themselves are ``generator/check_*.py``; ``check_json`` is the machine-readable
form documented in docs/check.md (its keys are stable).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.check_documents import DOCUMENT_SUFFIXES, read_for_check
from generator.check_input import input_document, run_checks
from generator.check_text import CATEGORIES, ERROR, WARNING, CheckDocument, Finding
from generator.errors import FileAccessError, Problem

JSON_VERSION = 1
"""The version of the JSON format: raised only when a key changes meaning or goes away."""


@dataclass(frozen=True)
class CheckResult:
    """What ``huibao check`` found in one report."""

    file: Path
    kind: str | None
    """The report kind's name for our input, ``None`` for a document."""
    year: int | None
    against: Path | None
    findings: list[Finding]
    notes: list[Problem]
    """Validation warnings of our input (as ``huibao validate`` prints them)."""
    reading_notes: tuple[str, ...] = ()

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == WARNING]


def check_file(
    path: Path,
    *,
    against: Path | None = None,
    templates_dir: Path | None = None,
    lenient: bool = False,
) -> CheckResult:
    """Check one report, our input or any document; raise ``UserError`` if it cannot be read
    (or our input does not validate)."""
    document, kind, notes, reading = _read(path, templates_dir, lenient)
    last = _read(against, templates_dir, lenient=True)[0] if against is not None else None
    findings = run_checks(document, against=last, lenient=lenient)
    return CheckResult(path, kind, document.year, against, findings, notes, reading)


_UNREAD = {
    ".pdf": "PDF 文件",
    ".odt": "OpenDocument 文档（.odt）",
    ".rtf": "RTF 文档",
}


def _read(
    path: Path, templates_dir: Path | None, lenient: bool
) -> tuple[CheckDocument, str | None, list[Problem], tuple[str, ...]]:
    suffix = path.suffix.lower()
    if suffix in _UNREAD and path.is_file():
        raise FileAccessError(
            path=path,
            reason=f"不能检查{_UNREAD[suffix]}",
            hint="请在 Word 或 WPS 中打开它，另存为 .docx 后再检查；"
            "也可以复制全部文字，另存为 .txt 文件再检查。",
        )
    if suffix in DOCUMENT_SUFFIXES:
        document = read_for_check(path)
        return document, None, [], document.notes
    from generator.pipeline import render_input, validate_input

    checked = validate_input(path, lenient=lenient)
    rendered = render_input(checked, templates_dir)
    document = input_document(checked.report, checked.source, rendered)
    return document, checked.kind.name, checked.warnings, ()


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as the JSON output shows it (docs/check.md)."""
    place = finding.place
    return {
        "severity": "error" if finding.severity == ERROR else "warning",
        "severity_text": finding.severity,
        "category": finding.category,
        "category_text": CATEGORIES[finding.category],
        "rule": finding.rule,
        "location": {
            "file": str(place.file),
            "line": place.line,
            "cell": place.cell,
            "paragraph": place.paragraph,
            "table": place.table,
            "row": place.row,
            "column": place.column,
            "field": place.field or None,
            "text": str(place),
        },
        "message": finding.message,
        "context": finding.context or None,
        "computed": finding.computed or None,
        "hint": finding.hint or None,
    }


def check_json(result: CheckResult) -> str:
    """The result as JSON for machines: stable keys, documented in docs/check.md."""
    data = {
        "version": JSON_VERSION,
        "file": str(result.file),
        "kind": result.kind,
        "year": result.year,
        "against": str(result.against) if result.against is not None else None,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "findings": [finding_json(finding) for finding in result.findings],
        "notes": [str(note) for note in result.notes] + list(result.reading_notes),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
