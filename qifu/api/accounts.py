from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django_otp import match_token
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from qifu.accounts.lockout import ADDRESS_MESSAGE, address_blocked
from qifu.accounts.models import Department, User
from qifu.accounts.selectors import otp_enrolled, otp_required_for
from qifu.accounts.services import api_token_issue, api_token_revoke
from qifu.core.audit import audit_record
from qifu.core.models import AuditOutcome

router = Router(tags=["账号与组织"])


class TokenIn(Schema):
    # The user model's limit; a longer name must not reach the lockout table (255 characters).
    username: str = Field(max_length=150)
    password: str = Field(max_length=1024)
    otp: str = ""  # the authenticator's 6 digits, for accounts that use a second factor


class TokenOut(Schema):
    token: str
    expires_at: datetime


class EnterpriseRef(Schema):
    credit_code: str
    name: str


class DepartmentRef(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    real_name: str
    roles: list[str]
    enterprise: EnterpriseRef | None
    department: DepartmentRef | None


class DepartmentOut(Schema):
    code: str
    name: str
    kind: str


@router.post("/auth/token", response=TokenOut, auth=None, summary="用账号密码换取令牌")
def token(request: HttpRequest, payload: TokenIn) -> dict[str, object]:
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        if address_blocked(request):
            raise HttpError(429, ADDRESS_MESSAGE)
        raise HttpError(429, "连续登录失败次数过多，账号已锁定30分钟。")
    if user is None:
        raise HttpError(401, "账号或密码不正确。")
    needs_otp = otp_required_for(user) or otp_enrolled(user)
    # An empty code is not tried: a wrong one would count towards the device's throttle.
    if needs_otp and (not payload.otp.strip() or match_token(user, payload.otp.strip()) is None):
        # A token must not be a way around the second factor (MLPS 2.0 level 3, 身份鉴别 d).
        audit_record(
            action="auth.otp.verify",
            actor=user,
            outcome=AuditOutcome.FAILURE,
            summary="API令牌申请缺少或动态验证码错误",
        )
        raise HttpError(401, "该账号已启用动态验证码，请在 otp 字段提供6位动态验证码。")
    raw, record = api_token_issue(user=user)  # type: ignore[arg-type]
    return {"token": raw, "expires_at": record.expires_at}


@router.delete(
    "/auth/token",
    response={204: None},
    auth=None,
    summary="注销令牌（退出登录）：请求头中的令牌立即失效",
)
def token_revoke(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    raw = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not raw or not api_token_revoke(raw):
        raise HttpError(401, "未登录或令牌已失效。")
    return 204, None


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> dict[str, object]:
    user: User = request.user  # type: ignore[assignment]
    roles = sorted(user.role_set) + (["superuser"] if user.is_superuser else [])
    return {
        "username": user.username,
        "real_name": user.real_name,
        "roles": roles,
        "enterprise": user.enterprise,
        "department": user.department,
    }


@router.get("/departments", response=list[DepartmentOut], summary="部门、平台管理机构与镇街")
def departments(request: HttpRequest) -> list[Department]:
    return list(Department.objects.filter(is_active=True).order_by("sort_order", "code"))
