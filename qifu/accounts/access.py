"""Permission-checked access: another enterprise's or department's object is a 404."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_for_user_or_404(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """Fetch through the model's `for_user(user)` scope, so what the user may not see is absent."""
    scoped = queryset.for_user(user)  # type: ignore[attr-defined]
    obj = scoped.filter(**lookup).first()
    if obj is None:
        raise Http404("未找到，或您无权查看。")
    return obj  # type: ignore[no-any-return]


# Who-may-open-this-page checks shared by several apps (see qifu/core/pages.py).


def is_enterprise_user(user: Any) -> bool:
    """A user who belongs to an enterprise."""
    return bool(user.is_authenticated and user.enterprise_id)


def is_government(user: Any) -> bool:
    """Government staff, or a superuser who stands in for them."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_government))


def is_superuser(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)
