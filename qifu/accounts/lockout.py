"""How django-axes sees a sign-in attempt (settings AXES_*)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

# The user model's username limit; axes' table holds 255 characters and must never see more.
USERNAME_MAX = 150


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username tried (AXES_USERNAME_CALLABLE), cut to the longest a real one can be."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "POST", {}).get(field) if request is not None else None
    return str(value or "")[:USERNAME_MAX]
