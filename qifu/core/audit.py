"""Writing the audit log. Every sensitive action calls audit_record()."""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from qifu.core import auditchain, request_context
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
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if is_user else None,
        actor_username=(actor.get_username() if is_user else username)[:150],
        ip_address=auditchain.normalise_ip(info.ip_address if info else None),
        user_agent=(info.user_agent if info else "")[:300],
        action=action,
        outcome=outcome,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        data=data or {},
    )
    # No savepoint: a failed audit write fails the caller's transaction (fail closed), and the
    # chain costs two queries (three on PostgreSQL) rather than five.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        previous = AuditEvent.objects.order_by("-id").values_list("row_hash", flat=True).first()
        event.row_hash = auditchain.link(previous or "", _values(event))
        event.save()
    return event


# Any constant: the advisory lock that orders the chain's writers on PostgreSQL.
CHAIN_LOCK = 0x716966755F61


def _lock_chain() -> None:
    """One writer at a time extends the chain, until its transaction ends.

    SQLite needs nothing: its transactions are IMMEDIATE (settings), so a writer already holds the
    database's write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _values(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in auditchain.FIELDS}
