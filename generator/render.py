"""Stage 4: render a validated report through its kind's Jinja template into the document model.

One function builds the environment: sandboxed (templates are data, not code), ``StrictUndefined``
(a misspelt variable is an error, not an empty string) and autoescape (input text can never add
markup). A user's override folder is searched before the built-in templates.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from generator.document import Document, parse_html
from generator.errors import TemplateError
from generator.kinds import REFERENCE_DOCX, builtin_templates_dir
from generator.numbering import chinese_date, chinese_number
from schemas import ReportBase, ReportKind

TEMPLATE_NAME = "report.html.j2"
_CLOSING_MARKS = tuple("。！？；：…")


def with_period(text: str) -> str:
    """A run-in heading ends with 。 unless the text already ends with closing punctuation."""
    return text if text.endswith(_CLOSING_MARKS) else text + "。"


def build_environment(override_dir: Path | None = None) -> SandboxedEnvironment:
    """The one Jinja environment huibao renders with; filters are registered here and only here."""
    search_path = [str(override_dir)] if override_dir else []
    search_path.append(str(builtin_templates_dir()))
    environment = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search_path),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters["cn_number"] = chinese_number
    environment.filters["cn_date"] = chinese_date
    environment.filters["with_period"] = with_period
    return environment


def reference_docx(override_dir: Path | None = None) -> Path:
    """The reference .docx that holds the house style: the override folder's, else the built-in."""
    if override_dir and (override_dir / REFERENCE_DOCX).is_file():
        return override_dir / REFERENCE_DOCX
    return builtin_templates_dir() / REFERENCE_DOCX


def render_report(
    report: ReportBase, kind: ReportKind, environment: SandboxedEnvironment
) -> Document:
    """Render ``report`` with ``templates/<kind>/report.html.j2`` and parse it into a Document."""
    name = f"{kind.name}/{TEMPLATE_NAME}"
    context: dict[str, Any] = {"report": report.model_dump(), "kind": kind}
    try:
        template = environment.get_template(name)
        html = template.render(context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name or name}:{error.lineno}"
        raise TemplateError(location=where, reason=f"模板语法错误：{error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise TemplateError(location=name, reason=f"找不到模板文件 {error.name}") from None
    except jinja2.TemplateError as error:
        raise TemplateError(location=_template_frame(error, name), reason=str(error)) from None
    return parse_html(html, source=name)


def _template_frame(error: BaseException, default: str) -> str:
    """``file:line`` of the innermost template frame in a rendering traceback."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename.endswith(".j2")
    ]
    if not frames:
        return default
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}"
