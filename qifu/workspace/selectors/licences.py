"""Reads of e-licences (电子证照) and the annual report (企业年报) for the exclusive space."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse

from qifu.accounts.models import Enterprise
from qifu.matters.models import ELicence, LicenceValidity
from qifu.workspace.models import AnnualReport, Assignment, AssignmentRole

VALIDITY_TONES = {
    LicenceValidity.VALID: "success",
    LicenceValidity.EXPIRING: "warning",
    LicenceValidity.EXPIRED: "danger",
    LicenceValidity.PERMANENT: "info",
}


def licence_warn_days() -> int:
    """The largest reminder threshold: a licence closer than this to expiry is 即将到期."""
    return max(settings.LICENCE_EXPIRY_REMINDER_DAYS, default=90)


# --- Licences -----------------------------------------------------------------------------------


def licences_for_user(user: Any) -> QuerySet[ELicence]:
    """Licences a user may read: their enterprise's, those of enterprises they serve, or all."""
    base = ELicence.objects.select_related("department", "enterprise")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.enterprise_id is not None:
        return base.filter(enterprise_id=user.enterprise_id)
    if user.is_platform_staff:
        return base
    served = Assignment.objects.current().filter(user=user).values("enterprise_id")
    return base.filter(enterprise_id__in=served)


def licences_of(enterprise: Enterprise) -> QuerySet[ELicence]:
    """An enterprise's licences, the ones expiring soonest first, long-term ones last."""
    return (
        ELicence.objects.filter(enterprise=enterprise)
        .select_related("department")
        .order_by(F("valid_until").asc(nulls_last=True), "name", "id")
    )


@dataclass(frozen=True)
class LicenceRow:
    licence: ELicence
    validity: LicenceValidity
    days_left: int | None

    @property
    def validity_label(self) -> str:
        return str(self.validity.label)

    @property
    def tone(self) -> str:
        return VALIDITY_TONES[self.validity]

    @property
    def validity_text(self) -> str:
        """The validity in words, e.g. 即将到期（剩 20 天）."""
        if self.validity == LicenceValidity.EXPIRING:
            return f"即将到期（剩 {self.days_left} 天）" if self.days_left else "今天到期"
        if self.validity == LicenceValidity.EXPIRED:
            return f"已过期 {-(self.days_left or 0)} 天"
        return self.validity_label


def licence_row(licence: ELicence, *, today: dt.date) -> LicenceRow:
    return LicenceRow(
        licence=licence,
        validity=licence.validity(today, warn_days=licence_warn_days()),
        days_left=licence.days_left(today),
    )


def licence_renewal_url(licence: ELicence) -> str:
    """The link to ask the commissioner for a renewal (empty until that form exists)."""
    try:
        base = reverse("workspace:request_new")
    except NoReverseMatch:
        return ""
    return f"{base}?kind=licence_renewal&licence={licence.pk}"


def licence_rows(licences: Any, *, today: dt.date) -> list[LicenceRow]:
    return [licence_row(licence, today=today) for licence in licences]


def licence_counts(rows: list[LicenceRow]) -> dict[str, int]:
    """How many licences are in each validity status (keys: the LicenceValidity values)."""
    counts = {v.value: 0 for v in LicenceValidity}
    for row in rows:
        counts[row.validity.value] += 1
    return counts


# --- Annual report ------------------------------------------------------------------------------

REPORT_DEADLINE = (6, 30)  # 企业信息公示暂行条例: 1 January – 30 June for the previous year


class ReportState:
    REPORTED = "reported"
    PENDING = "pending"
    OVERDUE = "overdue"
    NOT_REQUIRED = "not_required"


REPORT_STATE_LABELS = {
    ReportState.REPORTED: "已报送",
    ReportState.PENDING: "待报送",
    ReportState.OVERDUE: "逾期未报送",
    ReportState.NOT_REQUIRED: "无需报送",
}
REPORT_STATE_TONES = {
    ReportState.REPORTED: "success",
    ReportState.PENDING: "warning",
    ReportState.OVERDUE: "danger",
    ReportState.NOT_REQUIRED: "secondary",
}
OVERDUE_ADVICE = (
    "请尽快登录国家企业信用信息公示系统补报年报；已被列入经营异常名录的，补报后可申请移出。"
    "需要帮助可向服务专员申请“年报帮办”。"
)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def report_year_for(today: dt.date) -> int:
    """The year whose annual report is due (or was due) in `today`'s year."""
    return today.year - 1


def report_deadline(year: int) -> dt.date:
    return dt.date(year + 1, *REPORT_DEADLINE)


@dataclass(frozen=True)
class AnnualReportStatus:
    enterprise_id: int
    year: int
    state: str
    text: str
    advice: str
    deadline: dt.date
    days_left: int | None
    reported_on: dt.date | None

    @property
    def label(self) -> str:
        return REPORT_STATE_LABELS[self.state]

    @property
    def tone(self) -> str:
        return REPORT_STATE_TONES[self.state]

    @property
    def is_reported(self) -> bool:
        return self.state == ReportState.REPORTED

    @property
    def can_be_marked(self) -> bool:
        return self.state in (ReportState.PENDING, ReportState.OVERDUE)


def annual_report_status_from(
    *,
    enterprise_id: int,
    founded_on: dt.date | None,
    reported_on: dt.date | None,
    today: dt.date,
    year: int | None = None,
) -> AnnualReportStatus:
    """The annual-report status in words on `today`, from the facts (no query)."""
    year = report_year_for(today) if year is None else year
    deadline = report_deadline(year)
    common: dict[str, Any] = {"enterprise_id": enterprise_id, "year": year, "deadline": deadline}
    if reported_on is not None:
        return AnnualReportStatus(
            **common,
            state=ReportState.REPORTED,
            text=f"{year}年度年报已于{cn_date(reported_on)}报送",
            advice="",
            days_left=None,
            reported_on=reported_on,
        )
    if founded_on is not None and founded_on.year > year:
        return AnnualReportStatus(
            **common,
            state=ReportState.NOT_REQUIRED,
            text=f"{founded_on.year}年设立，无需报送{year}年度年报",
            advice="当年设立登记的企业自下一年起报送年报。",
            days_left=None,
            reported_on=None,
        )
    left = (deadline - today).days
    if left >= 0:
        remaining = f"剩{left}天" if left else "今天截止"
        return AnnualReportStatus(
            **common,
            state=ReportState.PENDING,
            text=f"{year}年度年报待报送，截止{cn_date(deadline)}（{remaining}）",
            advice="请登录国家企业信用信息公示系统报送年报，报送后在此标记“已报送”。",
            days_left=left,
            reported_on=None,
        )
    return AnnualReportStatus(
        **common,
        state=ReportState.OVERDUE,
        text=f"{year}年度年报逾期未报送，可能被列入经营异常名录",
        advice=OVERDUE_ADVICE,
        days_left=left,
        reported_on=None,
    )


def annual_report_status(
    enterprise: Enterprise, *, today: dt.date, year: int | None = None
) -> AnnualReportStatus:
    """The enterprise's annual-report status on `today` (one query)."""
    year = report_year_for(today) if year is None else year
    reported_on = (
        AnnualReport.objects.filter(enterprise=enterprise, year=year)
        .values_list("reported_on", flat=True)
        .first()
    )
    return annual_report_status_from(
        enterprise_id=enterprise.pk,
        founded_on=enterprise.founded_on,
        reported_on=reported_on,
        today=today,
        year=year,
    )


def enterprises_served_by(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a member of staff works for: platform staff all, others those they serve."""
    if not getattr(user, "is_authenticated", False) or user.enterprise_id is not None:
        return Enterprise.objects.none()
    if user.is_platform_staff:
        return Enterprise.objects.all()
    served = Assignment.objects.current().filter(user=user).values("enterprise_id")
    return Enterprise.objects.filter(pk__in=served)


def annual_report_overview(
    user: Any, *, year: int, today: dt.date, state: str = "", q: str = "", region: str = ""
) -> QuerySet[Enterprise]:
    """The enterprises the user serves, with `reported_on` for `year`, `commissioner_name` and
    `user_is_commissioner` (whether the user is the enterprise's current commissioner).

    `state` filters by ReportState (pending and overdue both mean "no report" and differ only by
    the date). One query per page, however many enterprises.
    """
    reported = AnnualReport.objects.filter(enterprise=OuterRef("pk"), year=year)
    commissioner = Assignment.objects.current().filter(
        enterprise=OuterRef("pk"), role=AssignmentRole.COMMISSIONER
    )
    rows = (
        enterprises_served_by(user)
        .select_related("region")
        .annotate(
            reported_on=Subquery(reported.values("reported_on")[:1]),
            commissioner_name=Subquery(commissioner.values("user__real_name")[:1]),
            user_is_commissioner=Exists(commissioner.filter(user=user)),
        )
        .order_by("name", "id")
    )
    not_required = Q(founded_on__year__gt=year)
    if state == ReportState.REPORTED:
        rows = rows.filter(reported_on__isnull=False)
    elif state == ReportState.NOT_REQUIRED:
        rows = rows.filter(not_required, reported_on__isnull=True)
    elif state in (ReportState.PENDING, ReportState.OVERDUE):
        overdue_now = today > report_deadline(year)
        wanted = overdue_now if state == ReportState.OVERDUE else not overdue_now
        rows = rows.filter(reported_on__isnull=True).exclude(not_required)
        if not wanted:
            rows = rows.none()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(credit_code__iexact=q.strip().upper()))
    if region:
        rows = rows.filter(region__code=region)
    return rows
