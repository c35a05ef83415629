"""Alerts on bursts of refusals or lockouts (MLPS 2.0 level 3 入侵防范, L3-CES1-22; ASVS 16.3.2).

Every SECURITY_ALERT_WINDOW_MINUTES the scheduled check (qifu.core.tasks.security_alerts_sweep)
counts, in the audit log, the refusals (outcome "denied") per account and per address, and the
lockouts; a burst at or over the threshold notifies the security administrators (安全管理员;
superusers when there is none) once per window and writes a `security.alert` audit row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.core.models import AuditEvent, AuditOutcome


def _recipients() -> list[Any]:
    from qifu.accounts.models import Role, User

    admins = list(User.objects.filter(is_active=True, role_grants__role=Role.SECURITY_ADMIN))
    return admins or list(User.objects.filter(is_active=True, is_superuser=True))


def _bursts(since: datetime) -> list[tuple[str, str, int]]:
    """(kind, who, count) for each burst since `since`."""
    recent = AuditEvent.objects.filter(at__gte=since)
    found: list[tuple[str, str, int]] = []
    denials = settings.SECURITY_ALERT_DENIALS
    denied = recent.filter(outcome=AuditOutcome.DENIED)
    for field, label in (("actor_username", "账号"), ("ip_address", "地址")):
        rows = (
            denied.exclude(**{f"{field}__isnull": True})
            .exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("id"))
            .filter(n__gte=denials)
        )
        found += [("denials", f"{label} {row[field]}", row["n"]) for row in rows]
    lockouts = recent.filter(Q(action="auth.lockout")).count()
    if lockouts >= settings.SECURITY_ALERT_LOCKOUTS:
        found.append(("lockouts", "全平台", lockouts))
    return found


def security_alerts_check(now: datetime | None = None) -> int:
    """Notify the security administrators of new bursts; returns how many alerts were raised."""
    from qifu.notifications.services import notify

    now = now or timezone.now()
    since = now - timedelta(minutes=settings.SECURITY_ALERT_WINDOW_MINUTES)
    already = set(
        AuditEvent.objects.filter(action="security.alert", at__gte=since).values_list(
            "data__key", flat=True
        )
    )
    raised = 0
    for kind, who, count in _bursts(since):
        key = f"{kind}:{who}"[:64]
        if key in already:
            continue
        what = "次被拒绝的访问" if kind == "denials" else "次账号锁定"
        body = (
            f"{settings.SECURITY_ALERT_WINDOW_MINUTES}分钟内{who}出现{count}{what}，"
            "可能是越权探测或暴力破解，请在审计日志中核查。"
        )
        audit_record(
            action="security.alert",
            outcome=AuditOutcome.FAILURE,
            summary=body,
            data={"kind": kind, "who": who, "count": count, "key": key},
        )
        notify(
            users=_recipients(),
            code="generic",
            context={"title": "安全告警", "body": body},
            url="/audit/",
            channels=["inbox", "email"],
        )
        raised += 1
    return raised
