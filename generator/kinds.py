"""The registry of report kinds, and where each kind's templates and the reference .docx live.

The engine knows kinds only through ``schemas.KINDS``: a new kind is a schema module, a template
folder and a registry line, with no change here.
"""

from __future__ import annotations

from pathlib import Path

from schemas import KINDS, ReportKind

REFERENCE_DOCX = "reference.docx"


def kind_names() -> list[str]:
    """Names of all report kinds, in registry order."""
    return list(KINDS)


def find_kind(name: str) -> ReportKind | None:
    """The kind called ``name``, or ``None``."""
    return KINDS.get(name.strip())


def builtin_templates_dir() -> Path:
    """The built-in templates: inside the installed package, else the source checkout's folder.

    A wheel carries ``templates/`` as ``generator/templates``; a source checkout (and an editable
    install) uses the top-level ``templates/`` that maintainers edit.
    """
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "templates"
