"""专属空间 API: e-licences (电子证照) and the annual report (企业年报).

An enterprise user reads their own enterprise; staff name one with `?enterprise=<credit code>`
and get 404 unless they serve it (commissioner or steward) or are platform staff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from qifu.accounts.models import Enterprise
from qifu.matters.models import ELicence
from qifu.workspace.selectors import licences as selectors
from qifu.workspace.selectors.space import space_enterprise_get
from qifu.workspace.services.annual_reports import (
    annual_report_mark,
    annual_report_unmark,
    can_mark_annual_report,
)

router = Router(tags=["专属空间"])


class EnterpriseQuery(Schema):
    enterprise: str = ""


class LicenceOut(Schema):
    id: int
    number: str
    name: str
    enterprise: str
    issuer: str
    department: str | None
    source: str
    source_label: str
    scope: str
    issued_on: dt.date
    valid_until: dt.date | None
    validity: str
    validity_label: str
    days_left: int | None
    renewal_url: str


class AnnualReportOut(Schema):
    enterprise: str
    year: int
    state: str
    state_label: str
    text: str
    advice: str
    deadline: dt.date
    days_left: int | None
    reported_on: dt.date | None
    can_mark: bool


class AnnualReportIn(Schema):
    reported_on: dt.date
    year: int | None = None


class AnnualReportUndo(Schema):
    enterprise: str = ""
    year: int | None = None


def _enterprise(request: HttpRequest, credit_code: str) -> Enterprise:
    user: Any = request.user
    code = credit_code.strip().upper()
    if user.enterprise_id is not None and code in ("", user.enterprise.credit_code):
        return user.enterprise  # type: ignore[no-any-return]
    if not code:
        raise ValidationError({"enterprise": "请以 enterprise 参数指定企业的统一社会信用代码。"})
    return space_enterprise_get(user=user, credit_code=code)


def _renewal_url(request: HttpRequest, licence: ELicence) -> str:
    if getattr(request.user, "enterprise_id", None) != licence.enterprise_id:
        return ""
    return selectors.licence_renewal_url(licence)


def _licence_out(request: HttpRequest, licence: ELicence, today: dt.date) -> dict[str, Any]:
    row = selectors.licence_row(licence, today=today)
    return {
        "id": licence.pk,
        "number": licence.number,
        "name": licence.name,
        "enterprise": licence.enterprise.credit_code,
        "issuer": licence.issuer_name,
        "department": licence.department.code if licence.department else None,
        "source": licence.source,
        "source_label": licence.get_source_display(),
        "scope": licence.scope,
        "issued_on": licence.issued_on,
        "valid_until": licence.valid_until,
        "validity": row.validity.value,
        "validity_label": row.validity_text,
        "days_left": row.days_left,
        "renewal_url": _renewal_url(request, licence),
    }


def _annual_out(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any]:
    status = selectors.annual_report_status(enterprise, today=timezone.localdate())
    return {
        "enterprise": enterprise.credit_code,
        "year": status.year,
        "state": status.state,
        "state_label": status.label,
        "text": status.text,
        "advice": status.advice,
        "deadline": status.deadline,
        "days_left": status.days_left,
        "reported_on": status.reported_on,
        "can_mark": can_mark_annual_report(request.user, enterprise),
    }


@router.get("", response=list[LicenceOut], summary="企业的电子证照（含有效状态）")
def list_licences(request: HttpRequest, filters: Query[EnterpriseQuery]) -> Any:
    enterprise = _enterprise(request, filters.enterprise)
    today = timezone.localdate()
    licences = selectors.licences_of(enterprise).select_related("enterprise")
    return [_licence_out(request, licence, today) for licence in licences]


@router.get("/annual-report", response=AnnualReportOut, summary="企业年报状态")
def get_annual_report(request: HttpRequest, filters: Query[EnterpriseQuery]) -> Any:
    return _annual_out(request, _enterprise(request, filters.enterprise))


@router.post("/annual-report", response=AnnualReportOut, summary="标记年报已报送")
def mark_annual_report(
    request: HttpRequest, payload: AnnualReportIn, filters: Query[EnterpriseQuery]
) -> Any:
    enterprise = _enterprise(request, filters.enterprise)
    year = payload.year or selectors.report_year_for(timezone.localdate())
    annual_report_mark(
        user=request.user, enterprise=enterprise, year=year, reported_on=payload.reported_on
    )
    return _annual_out(request, enterprise)


@router.delete("/annual-report", response=AnnualReportOut, summary="撤销误标的“已报送”")
def undo_annual_report(request: HttpRequest, filters: Query[AnnualReportUndo]) -> Any:
    enterprise = _enterprise(request, filters.enterprise)
    year = filters.year or selectors.report_year_for(timezone.localdate())
    annual_report_unmark(user=request.user, enterprise=enterprise, year=year)
    return _annual_out(request, enterprise)


@router.get("/{licence_id}", response=LicenceOut, summary="一张电子证照")
def get_licence(request: HttpRequest, licence_id: int) -> Any:
    licence = selectors.licences_for_user(request.user).filter(pk=licence_id).first()
    if licence is None:
        raise Http404
    return _licence_out(request, licence, timezone.localdate())
