"""The JSON API under /api/v1/ (docs/api.md "HTTP API"). One module per domain adds a router."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from qifu.accounts.services import api_token_authenticate
from qifu.api.throttling import ApiThrottle


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
    throttle=[ApiThrottle()],
)


_DATE_MESSAGE = (
    "日期或时间无效：须是真实存在的日期，格式为 ISO 8601，例如 2026-09-30T09:30:00+08:00。"
)
# pydantic's English messages, in Chinese (by error type; `{…}` from the error's context).
_MESSAGES = {
    "missing": "此字段为必填项。",
    "string_type": "应为文本。",
    "string_too_long": "不能超过{max_length}个字符。",
    "string_too_short": "至少需要{min_length}个字符。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "float_type": "应为数字。",
    "float_parsing": "应为数字。",
    "decimal_type": "应为数字。",
    "decimal_parsing": "应为数字。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "greater_than": "应大于{gt}。",
    "greater_than_equal": "不能小于{ge}。",
    "less_than": "应小于{lt}。",
    "less_than_equal": "不能大于{le}。",
    "literal_error": "取值无效，可选：{expected}。",
    "enum": "取值无效，可选：{expected}。",
    "list_type": "应为列表。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "json_invalid": "请求体不是有效的 JSON。",
}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind.startswith(("datetime", "date", "time")):
        return _DATE_MESSAGE
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", "输入无效。"))
    try:
        return template.format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return str(error.get("msg", "输入无效。"))


def _field_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = [
            str(p) for p in error.get("loc", []) if p not in ("body", "query", "path", "payload")
        ]
        name = ".".join(loc) or "__all__"
        fields.setdefault(name, []).append(_message(error))
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
    from qifu.api import assessment

    api.add_router("/assessment", assessment.router)
    from qifu.api import open_data

    api.add_router("/open-data", open_data.router)
    from qifu.api import providers

    api.add_router("/providers", providers.router)
    from qifu.api import financing

    api.add_router("/financing", financing.router)
    from qifu.api import cooperation, market

    api.add_router("/market", market.router)
    api.add_router("/cooperation", cooperation.router)
    api.add_exception_handler(TransitionNotAllowed, _conflict)  # type: ignore[arg-type]


_register_routers()
