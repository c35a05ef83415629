"""The superuser's page for integration API keys: list, issue (shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import is_superuser
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.integrations import selectors
from qifu.integrations.forms import ApiKeyIssueForm
from qifu.integrations.models import ApiKey
from qifu.integrations.services import api_key_issue, api_key_revoke

# The raw key travels from the POST to the next page through the session and is removed there.
SESSION_RAW_KEY = "integrations.issued_key"


superuser_required = page_rule(is_superuser, "仅限平台超级管理员管理接口密钥。")


@superuser_required
@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    form = ApiKeyIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw, key = api_key_issue(name=form.cleaned_data["name"], actor=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[SESSION_RAW_KEY] = {"id": key.pk, "raw": raw}
            return redirect("integrations:key_issued")
    return render(
        request, "integrations/key_list.html", {"keys": selectors.api_key_list(), "form": form}
    )


@superuser_required
@require_GET
@never_cache
def key_issued(request: HttpRequest) -> HttpResponse:
    issued = request.session.pop(SESSION_RAW_KEY, None)
    if not issued:
        messages.info(request, "密钥只显示一次；如已遗失，请吊销后重新签发。")
        return redirect("integrations:keys")
    key = get_object_or_404(ApiKey, pk=issued["id"])
    return render(request, "integrations/key_issued.html", {"key": key, "raw": issued["raw"]})


@superuser_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk)
    api_key_revoke(key=key, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"已吊销密钥“{key.name}”。")
    return redirect("integrations:keys")
