"""The JSON API under /api/v1/ (docs/api.md "HTTP API"). One module per domain adds a router."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from qifu.accounts.services import api_token_authenticate


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="企服 Qifu API",
    version="1",
    description='企业一体化服务平台接口。时间均为带时区的 ISO 8601；错误格式为 {"detail": …}。',
    auth=[BearerAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # API_RATE_LIMIT_PER_MINUTE=0 turns the limiter off (`make bench` measures without it).
    throttle=[
        AnonRateThrottle(f"{settings.API_RATE_LIMIT_PER_MINUTE // 5}/m"),
        AuthRateThrottle(f"{settings.API_RATE_LIMIT_PER_MINUTE}/m"),
    ]
    if settings.API_RATE_LIMIT_PER_MINUTE > 0
    else [],
)


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [
            str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload")
        ]
        name = ".".join(loc) or "__all__"
        message = error.get("msg", "输入无效")
        if error.get("type") == "missing":
            message = "此字段为必填项。"
        fields.setdefault(name, []).append(message)
    return fields


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": _field_errors(exc.errors)}, status=400)


@api.exception_handler(ValidationError)
def _django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或令牌已失效。"}, status=401)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作。"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "未找到，或您无权查看。"}, status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _conflict(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A step the current state does not allow (every process): 409 with the reason."""
    return api.create_response(request, {"detail": str(exc)}, status=409)


def _register_routers() -> None:
    from qifu.api import accounts, appeals, calendar, declarations, notifications, policies
    from qifu.core.workflow import TransitionNotAllowed

    api.add_router("/", accounts.router)
    api.add_router("/calendar", calendar.router)
    api.add_router("/notifications", notifications.router)
    api.add_router("/appeals", appeals.router)
    api.add_router("/declarations", declarations.router)
    api.add_router("/policies", policies.router)
    from qifu.api import matters

    api.add_router("/matters", matters.router)
    from qifu.api import assistant

    api.add_router("/assistant", assistant.router)
    from qifu.api import workspace, workspace_licences, workspace_members, workspace_requests

    api.add_router("/workspace", workspace.router)
    api.add_router("/workspace/licences", workspace_licences.router)
    api.add_router("/workspace/members", workspace_members.router)
    api.add_router("/workspace/profile", workspace_members.profile_router)
    api.add_router("/workspace/requests", workspace_requests.router)
    from qifu.api import projects

    api.add_router("/projects", projects.router)
    api.add_router("/workspace/assignments", workspace_requests.assignments_router)
    from qifu.api import investment

    api.add_router("/investment", investment.router)
    api.add_exception_handler(TransitionNotAllowed, _conflict)  # type: ignore[arg-type]


_register_routers()
