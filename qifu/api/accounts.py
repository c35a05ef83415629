from __future__ import annotations

from datetime import datetime

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from qifu.accounts.models import Department, User
from qifu.accounts.services import api_token_issue

router = Router(tags=["账号与组织"])


class TokenIn(Schema):
    username: str
    password: str


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
        raise HttpError(429, "连续登录失败次数过多，账号已锁定30分钟。")
    if user is None:
        raise HttpError(401, "账号或密码不正确。")
    raw, record = api_token_issue(user=user)  # type: ignore[arg-type]
    return {"token": raw, "expires_at": record.expires_at}


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
