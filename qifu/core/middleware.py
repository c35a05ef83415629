from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from qifu.core import request_context


class RequestContextMiddleware:
    """Makes the client address available to services that write audit rows."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_context.set_current(request)
        try:
            return self.get_response(request)
        finally:
            request_context.reset_current(token)


class SecurityHeadersMiddleware:
    """Headers Django does not send by itself."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages behind sign-in hold personal data: no shared or back-button caching.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
