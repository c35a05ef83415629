"""The audit log page (/audit/) for auditors: search, never change."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from qifu.core.admin import can_read_audit
from qifu.core.forms import StyledFormMixin
from qifu.core.models import AuditEvent, AuditOutcome
from qifu.core.pages import page_rule

PAGE_SIZE = 50


class AuditSearchForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="账号", max_length=150, required=False)
    action = forms.CharField(
        label="动作（前缀）", max_length=100, required=False, help_text="例如 auth. 或 auth.login"
    )
    outcome = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), *AuditOutcome.choices]
    )
    start = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "结束日期不能早于开始日期。")
        return cleaned


@page_rule(can_read_audit, "审计日志仅限审计员查看。")
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Search the audit log; pages by id (keyset), so a large log never needs COUNT or OFFSET."""
    form = AuditSearchForm(request.GET or None)
    events = AuditEvent.objects.order_by("-id")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        if data["username"]:
            events = events.filter(actor_username__iexact=data["username"].strip())
        if data["action"]:
            events = events.filter(action__startswith=data["action"].strip())
        if data["outcome"]:
            events = events.filter(outcome=data["outcome"])
        if data["start"]:
            events = events.filter(at__gte=datetime.combine(data["start"], time.min, tzinfo=tz))
        if data["end"]:
            events = events.filter(at__lte=datetime.combine(data["end"], time.max, tzinfo=tz))
        if data["before"]:
            events = events.filter(id__lt=data["before"])
    elif form.is_bound:
        events = events.none()
    rows = list(events[: PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_query = ""
    if has_next:
        query = request.GET.copy()
        query["before"] = str(rows[-1].pk)
        next_query = query.urlencode()
    context = {"form": form, "events": rows, "next_query": next_query}
    return render(request, "core/audit.html", context)


# --- Revealing a masked value (PIPL 51; GB/T 35273 §7.2; checklist #37) ----------------------
# Masked everywhere by default; the full value is shown, one value at a time, to a role that
# needs it, and every showing is audited (who, which object, which field) and rate-limited.
REVEALABLE = {
    "accounts.enterprise.legal_representative_id_number",
    "accounts.enterprise.contact_phone",
    "accounts.user.phone",
}


def can_reveal_pii(user: Any) -> bool:
    from django.conf import settings

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_role(*settings.PII_REVEAL_ROLES))


@page_rule(can_reveal_pii, "查看完整个人信息需要相应权限。")
@require_POST
def pii_reveal(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    from django.apps import apps
    from django.conf import settings
    from django.core.cache import cache
    from django.http import Http404
    from django.utils.html import escape

    from qifu.core.audit import audit_record

    if key not in REVEALABLE:
        raise Http404
    app_label, model_name, field = key.split(".")
    model = apps.get_model(app_label, model_name)
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise Http404
    counter = f"pii-reveal:{request.user.pk}"
    cache.add(counter, 0, timeout=3600)
    if cache.incr(counter) > settings.PII_REVEAL_PER_HOUR:
        audit_record(
            action="pii.reveal",
            actor=request.user,
            target=obj,
            outcome=AuditOutcome.DENIED,
            summary="查看完整个人信息过于频繁",
            data={"field": field},
        )
        return HttpResponse("查看过于频繁，请稍后再试。", status=429)
    audit_record(
        action="pii.reveal",
        actor=request.user,
        target=obj,
        summary=f"查看完整{model._meta.get_field(field).verbose_name}",
        data={"field": field},
    )
    response = HttpResponse(f'<span class="font-monospace">{escape(getattr(obj, field))}</span>')
    response["Cache-Control"] = "no-store"
    return response
