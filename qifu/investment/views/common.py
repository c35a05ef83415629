"""What the staff views share: the permission decorators and the dataset export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_response
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.investment import access
from qifu.investment.selectors.analysis import Dataset

View = Callable[..., Any]


# The pages' rules (qifu/core/pages.py): the same check decides whether a link to them is offered.
# Investment staff and leaders read the pipeline; everyone else signed in gets 403, anonymous the
# login.
pipeline_reader_required = page_rule(
    access.can_read_pipeline, "招商项目、来访和金额仅限招商工作人员和领导查看。"
)
investment_staff_required = page_rule(access.is_investment_staff, "仅限招商工作人员。")


def export_response(request: HttpRequest, datasets: Iterable[Dataset]) -> HttpResponse | None:
    """`?export=<key>`: the dataset as an Excel file, audited; None when not asked."""
    key = request.GET.get("export")
    if not key:
        return None
    dataset = next((d for d in datasets if d.key == key), None)
    if dataset is None:
        raise PermissionDenied("没有这项数据。")
    audit_record(
        action="investment.export",
        actor=request.user,
        summary=f"导出{dataset.title}（{len(dataset.rows)}行）",
        data={"dataset": key, "query": request.GET.dict()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    preamble = [[dataset.note]] if dataset.note else []
    return xlsx_response(
        filename=f"{dataset.title}-{stamp}.xlsx",
        sheet_title=dataset.title,
        headers=dataset.headers,
        rows=[[_safe(v) for v in row] for row in dataset.rows],
        preamble=preamble,
    )


def _safe(value: Any) -> Any:
    """Cells that a spreadsheet would read as a formula are written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t"):
        return "'" + value
    return value


def form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's field errors next to the form's fields (the rest on top)."""
    apply_errors(form, exc)
