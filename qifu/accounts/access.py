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
