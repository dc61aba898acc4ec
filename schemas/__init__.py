"""Pydantic models of the report kinds, one module per kind, and the registry that lists them.

Adding a kind: write its module here, add its ``KIND`` to ``KINDS``, add ``templates/<name>/``.
"""

from schemas.base import ReportBase, ReportKind
from schemas.government_work_report import KIND as GOVERNMENT_WORK_REPORT
from schemas.performance_review import KIND as PERFORMANCE_REVIEW
from schemas.progress_report import KIND as PROGRESS_REPORT
from schemas.rule_of_law_report import KIND as RULE_OF_LAW_REPORT
from schemas.task_progress import KIND as TASK_PROGRESS
from schemas.work_summary import KIND as WORK_SUMMARY

KINDS: dict[str, ReportKind] = {
    kind.name: kind
    for kind in (
        WORK_SUMMARY,
        PERFORMANCE_REVIEW,
        PROGRESS_REPORT,
        TASK_PROGRESS,
        RULE_OF_LAW_REPORT,
        GOVERNMENT_WORK_REPORT,
    )
}

__all__ = ["KINDS", "ReportBase", "ReportKind"]
