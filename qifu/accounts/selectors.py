"""Reads about accounts that several views and middleware share."""

from __future__ import annotations

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
