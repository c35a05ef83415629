from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from qifu.core import request_context
from qifu.core.text import bad_fields, clean_text, field_message, has_bad_characters


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


class BadInputMiddleware:
    """400, naming the field, for NUL, control characters and lone surrogates in the address, the
    query string and JSON bodies (and form bodies under /api/ and /open311/, which have no forms
    to show an error next to a field); pages' forms refuse them field by field (qifu.core.text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = self._bad_fields(request)
        if fields:
            return self._refuse(request, fields)
        return self.get_response(request)

    @staticmethod
    def _bad_fields(request: HttpRequest) -> list[str]:
        from qifu.portal.errors import JSON_PREFIXES

        fields: list[str] = []
        if has_bad_characters(request.path_info):
            fields.append("path")
        for key, values in request.GET.lists():
            if has_bad_characters(key) or any(has_bad_characters(v) for v in values):
                fields.append(clean_text(key) or "__all__")
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return fields
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                data = json.loads(request.body or b"null")
            except ValueError:
                return fields  # the view says the body is not JSON
            fields.extend(bad_fields(data))
        elif request.path_info.startswith(JSON_PREFIXES) and content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for key, values in request.POST.lists():
                if has_bad_characters(key) or any(has_bad_characters(v) for v in values):
                    fields.append(clean_text(key) or "__all__")
        return list(dict.fromkeys(fields))

    @staticmethod
    def _refuse(request: HttpRequest, fields: list[str]) -> HttpResponse:
        from qifu.portal.errors import bad_request_page

        if request.path_info.startswith("/open311/"):
            errors = [{"code": 400, "description": field_message(name)} for name in fields]
            return JsonResponse(errors, safe=False, status=400)
        if request.path_info.startswith("/api/"):
            detail = {name: [field_message(name)] for name in fields}
            return JsonResponse({"detail": detail}, status=400)
        return bad_request_page(request, "；".join(field_message(name) for name in fields))
