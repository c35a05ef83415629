"""Writing the audit log. Every sensitive action calls audit_record()."""

from __future__ import annotations

from typing import Any

from django.db import models

from qifu.core import request_context
from qifu.core.models import AuditEvent, AuditOutcome


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    summary: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    data: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one row to the audit log; `action` is a dotted code such as `auth.login.failed`."""
    info = request_context.current()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_username=(actor.get_username() if is_user else username)[:150],
        ip_address=info.ip_address if info else None,
        user_agent=info.user_agent if info else "",
        action=action,
        outcome=outcome,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        data=data or {},
    )
