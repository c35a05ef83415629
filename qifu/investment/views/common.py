"""What the staff views share: the permission decorators and the dataset export."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_response
from qifu.investment import access
from qifu.investment.selectors.analysis import Dataset

View = Callable[..., Any]


def pipeline_reader_required(view: View) -> View:
    """Investment staff and leaders; everyone else signed in gets 403, anonymous the login."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access.check_pipeline_reader(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def investment_staff_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        access.check_investment_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapper


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
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
