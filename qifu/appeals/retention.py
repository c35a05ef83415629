"""Retention of personal data in closed appeals (PIPL art. 47; GB/T 35273 §6.1; ASVS 14.2.7).

An appeal closed more than APPEAL_RETENTION_DAYS ago keeps its record (number, enterprise,
category, content, history: the platform's statutory file) but loses the contact person, the
contact phone, the place and its coordinates, and the name of the person reached at the
follow-up call; `anonymised_at` marks it. Open appeals are never touched; running twice changes
nothing the second time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qifu.appeals.models import Appeal, Stage
from qifu.core.audit import audit_record

CLEARED = {
    "contact_name": "",
    "contact_phone": "",
    "address": "",
    "latitude": None,
    "longitude": None,
}


def appeals_anonymise(now: datetime | None = None) -> int:
    """Clear the contact details of appeals closed before the retention period; returns count."""
    days = settings.APPEAL_RETENTION_DAYS
    if days <= 0:
        return 0
    now = now or timezone.now()
    due = Appeal.objects.filter(
        stage=Stage.CLOSED, closed_at__lt=now - timedelta(days=days), anonymised_at__isnull=True
    )
    ids = list(due.values_list("id", flat=True)[:5000])
    if not ids:
        return 0
    with transaction.atomic():
        count = Appeal.objects.filter(id__in=ids, anonymised_at__isnull=True).update(
            **CLEARED, anonymised_at=now
        )
        _clear_follow_up_names(ids)
        audit_record(
            action="appeals.anonymise",
            summary=f"超过保存期限（{days}天）的已办结诉求去除联系人信息：{count}件",
            data={"count": count, "retention_days": days, "first_id": ids[0], "last_id": ids[-1]},
        )
    return count


def _clear_follow_up_names(ids: list[int]) -> None:
    from django.apps import apps

    for model in apps.get_app_config("appeals").get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "contact_person" in names and "appeal" in names:
            model._default_manager.filter(appeal_id__in=ids).update(contact_person="")
