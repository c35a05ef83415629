"""Pages for external systems: the registry (superusers), the hand-over, the webhook, my cases."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import is_enterprise_user, is_superuser
from qifu.connectors import selectors, services
from qifu.connectors.forms import ConnectorCreateForm
from qifu.connectors.models import MATTER_CODE_VALIDATOR, Connector
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule

# The secret travels from the POST to the next page through the session and is removed there.
SESSION_SECRET = "connectors.issued_secret"  # noqa: S105 (a session key)
MAX_WEBHOOK_BODY = 64 * 1024


superuser_required = page_rule(is_superuser, "仅限平台超级管理员维护外部系统。")


@superuser_required
@require_http_methods(["GET", "POST"])
def connector_manage(request: HttpRequest) -> HttpResponse:
    form = ConnectorCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw, connector = services.connector_create(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                entry_url=form.cleaned_data["entry_url"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SESSION_SECRET] = {"id": connector.pk, "raw": raw}
            return redirect("connectors:secret_issued")
    return render(
        request,
        "connectors/manage.html",
        {"connectors": selectors.connector_list(), "form": form},
    )


@superuser_required
@require_GET
@never_cache
def secret_issued(request: HttpRequest) -> HttpResponse:
    issued = request.session.pop(SESSION_SECRET, None)
    if not issued:
        messages.info(request, "共享密钥只显示一次；如已遗失，请更换密钥。")
        return redirect("connectors:manage")
    connector = get_object_or_404(Connector, pk=issued["id"])
    return render(
        request, "connectors/secret_issued.html", {"connector": connector, "raw": issued["raw"]}
    )


@superuser_required
@require_POST
def rotate(request: HttpRequest, code: str) -> HttpResponse:
    connector = get_object_or_404(Connector, code=code)
    raw = services.connector_rotate_secret(connector=connector, actor=request.user)  # type: ignore[arg-type]
    request.session[SESSION_SECRET] = {"id": connector.pk, "raw": raw}
    return redirect("connectors:secret_issued")


@superuser_required
@require_POST
def toggle(request: HttpRequest, code: str) -> HttpResponse:
    connector = get_object_or_404(Connector, code=code)
    services.connector_set_active(
        connector=connector,
        is_active=not connector.is_active,
        actor=request.user,  # type: ignore[arg-type]
    )
    messages.success(request, f"已{'启用' if connector.is_active else '停用'}“{connector.name}”。")
    return redirect("connectors:manage")


@page_rule(is_enterprise_user, "只有企业用户可以前往外部系统办理事项。")
@require_http_methods(["GET", "POST"])
@never_cache
def enter(request: HttpRequest, code: str) -> HttpResponse:
    """即将前往: say where the user goes and what is passed; leave only when they confirm (POST).

    The signed token is issued on the confirming POST, so a prefetch or a second tab never
    issues one; where the system's address is not configured the user is told, not sent away.
    """
    user = request.user
    connector = get_object_or_404(Connector, code=code, is_active=True)
    matter_code = request.POST.get("matter", "") or request.GET.get("matter", "")
    try:
        MATTER_CODE_VALIDATOR(matter_code)
    except ValidationError:
        return render(
            request,
            "connectors/enter_error.html",
            {"connector": connector, "message": "缺少或无法识别办理的事项，请从事项指南页面进入。"},
            status=400,
        )
    if request.method == "POST" and connector.is_configured:
        token = services.entry_token_record(
            connector=connector,
            user=user,  # type: ignore[arg-type]
            matter_code=matter_code,
        )
        parts = urlsplit(connector.entry_url)
        query = urlencode([*parse_qsl(parts.query), ("token", token)])
        return HttpResponseRedirect(urlunsplit(parts._replace(query=query)))
    return render(
        request,
        "connectors/handover.html",
        {
            "connector": connector,
            "matter_code": matter_code,
            "matter_name": selectors.matter_name(matter_code),
            "enterprise": user.enterprise,  # type: ignore[union-attr]
            "host": urlsplit(connector.entry_url).hostname,
        },
        status=200 if connector.is_configured else 503,
    )


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message, **extra}, status=status)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, code: str) -> JsonResponse:
    connector = Connector.objects.filter(code=code, is_active=True).first()
    if connector is None:
        return _error(404, "未知或已停用的外部系统")
    body = request.body
    if len(body) > MAX_WEBHOOK_BODY:
        return _error(413, "报文过大")
    try:
        services.webhook_verify(
            connector=connector,
            timestamp=request.headers.get("X-Qifu-Timestamp", ""),
            signature=request.headers.get("X-Qifu-Signature", ""),
            body=body,
        )
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _error(400, "报文不是有效的 JSON")
        result = services.external_event_apply(connector=connector, payload=payload)
    except services.WebhookRejected as exc:
        return _error(exc.status, exc.message)
    except ValidationError as exc:
        return _error(400, "报文字段不正确", fields=exc.message_dict)
    event = result.event
    return JsonResponse(
        {
            "ok": True,
            "result": "applied" if result.is_new else "already_applied",
            "event_id": event.event_id,
            "case_status": event.case.status,
            "is_current": event.is_current,
        },
        status=201 if result.is_new else 200,
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    enterprise = request.user.enterprise  # type: ignore[union-attr]
    if enterprise is None:
        raise PermissionDenied("只有企业用户可以查看本企业的外部办件。")
    cases = selectors.external_cases_for(enterprise)
    return render(request, "connectors/mine.html", {"cases": cases})
