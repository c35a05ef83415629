"""Audit of sign-in, sign-out and failures (MLPS 2.0 level 3, 安全审计)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from qifu.core.audit import audit_record
from qifu.core.models import AuditOutcome


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="auth.login", actor=user, summary="登录成功")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="auth.logout", actor=user, summary="退出登录")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    audit_record(
        action="auth.login.failed",
        username=str(credentials.get("username", ""))[:150],
        outcome=AuditOutcome.FAILURE,
        summary="登录失败",
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    audit_record(
        action="auth.lockout",
        username=username or "",
        outcome=AuditOutcome.DENIED,
        summary="连续登录失败，账号已临时锁定30分钟",
    )
