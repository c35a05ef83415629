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
