"""Reads about accounts that several views and middleware share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django_otp import user_has_device


def otp_required_for(user: Any) -> bool:
    """Staff and superusers must use a second factor when the deployment requires it."""
    return bool(settings.OTP_REQUIRED_FOR_STAFF and user.requires_short_session)


def otp_enrolled(user: Any) -> bool:
    """Whether the user has a confirmed authenticator."""
    return bool(user_has_device(user, confirmed=True))


def second_factor_pending(user: Any) -> bool:
    """Signed in with a password but not yet with the second factor that applies to them."""
    if not user.is_authenticated:
        return False
    # Right after login() the request's user is the plain model, without OTPMiddleware's method.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return otp_required_for(user) or otp_enrolled(user)


@dataclass(frozen=True)
class UnitCoverage:
    """Article 11: each platform agency names one liaison; each department, town or sub-district
    names one administrator. The units missing theirs, and who holds each post."""

    agencies_without_liaison: list[Any]
    units_without_administrator: list[Any]
    liaisons: dict[int, Any]
    administrators: dict[int, Any]
    units: list[Any]

    @property
    def gaps(self) -> int:
        return len(self.agencies_without_liaison) + len(self.units_without_administrator)


def unit_coverage() -> UnitCoverage:
    """Who holds the liaison and administrator posts of article 11, and where they are missing."""
    from qifu.accounts.models import Department, DepartmentKind, Role, RoleGrant

    units = list(Department.objects.filter(is_active=True).order_by("kind", "sort_order", "code"))
    holders: dict[tuple[str, int], Any] = {}
    grants = RoleGrant.objects.filter(
        role__in=[Role.LIAISON, Role.DEPARTMENT_ADMIN], user__is_active=True
    ).select_related("user")
    for grant in grants:
        if grant.department_id is not None:
            holders[(grant.role, grant.department_id)] = grant.user
    liaisons = {
        u.pk: holders[(Role.LIAISON, u.pk)] for u in units if (Role.LIAISON, u.pk) in holders
    }
    admins = {
        u.pk: holders[(Role.DEPARTMENT_ADMIN, u.pk)]
        for u in units
        if (Role.DEPARTMENT_ADMIN, u.pk) in holders
    }
    return UnitCoverage(
        agencies_without_liaison=[
            u for u in units if u.kind == DepartmentKind.AGENCY and u.pk not in liaisons
        ],
        units_without_administrator=[
            u for u in units if u.kind != DepartmentKind.AGENCY and u.pk not in admins
        ],
        liaisons=liaisons,
        administrators=admins,
        units=units,
    )


def can_view_unit_coverage(user: Any) -> bool:
    """Platform administrators: the superuser, and the staff and liaison of the agency that runs
    the platform's entrance (article 5: 统筹平台整体运行), and supervisors."""
    from qifu.accounts.access import administers_section, is_signed_in

    if not is_signed_in(user):
        return False
    return bool(
        user.is_superuser or administers_section(user, "services") or user.has_role("supervisor")
    )


def departments_by_kind(queryset: Any = None) -> list[tuple[str, list[Any]]]:
    """Active departments grouped by kind (agencies, city departments, towns), in display order."""
    from qifu.accounts.models import Department, DepartmentKind

    rows = queryset if queryset is not None else Department.objects.filter(is_active=True)
    groups: dict[str, list[Any]] = {kind: [] for kind in DepartmentKind.values}
    for department in rows.order_by("sort_order", "code"):
        groups.setdefault(department.kind, []).append(department)
    labels = dict(DepartmentKind.choices)
    return [(labels.get(kind, kind), items) for kind, items in groups.items() if items]


def contact_groups() -> list[tuple[str, list[Any]]]:
    """联系我们: every active department with its remit, address and telephone, by kind."""
    return departments_by_kind()
