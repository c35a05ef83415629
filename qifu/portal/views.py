from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.selectors import contact_groups
from qifu.content.selectors import notice_public_list
from qifu.portal import health, progress, search, sections, workbench
from qifu.portal.forms import ProgressForm, SiteSearchForm

HOME_NOTICES = 6


def _section_cards(user: Any) -> list[dict[str, Any]]:
    return [
        {"section": section, "links": sections.entry_links(section.entries, user)}
        for section in sections.home_sections()
    ]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "cards": _section_cards(request.user),
        "notices": list(notice_public_list()[:HOME_NOTICES]),
    }
    return render(request, "portal/home.html", context)


@require_GET
def section(request: HttpRequest, code: str) -> HttpResponse:
    """A section's own page: its entries, and the staff pages of its work for those who do it."""
    found = sections.section_by_code(code)
    if found is None:
        raise Http404("没有这个版块。")
    return render(
        request,
        "portal/section.html",
        {
            "section": found,
            "links": sections.entry_links(found.entries, request.user),
            "tools": sections.tool_links(found, request.user),
        },
    )


@require_GET
def site_search(request: HttpRequest) -> HttpResponse:
    """站内搜索 across policies, matters, notices and the knowledge base."""
    form = SiteSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request, "portal/search.html", {"form": form, "q": q, "groups": search.site_search(q)}
    )


@require_http_methods(["GET", "POST"])
def progress_lookup(request: HttpRequest) -> HttpResponse:
    """办件进度查询: the owner goes to the item's page; a visitor proves the phone by SMS first."""
    form = ProgressForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action", "lookup")
        item = progress.track(data["number"])
        if item is not None and item.opens_for(request.user):
            return redirect(item.detail_url)
        if action == "send_code":
            if not data["phone"]:
                form.add_error("phone", "请填写提交时留下的手机号。")
            else:
                try:
                    progress.send_code(number=data["number"], phone=data["phone"])
                except ValidationError as exc:
                    form.add_error("phone", exc.messages)
                else:
                    messages.success(
                        request, "如办件编号与手机号一致，验证码已发送，10分钟内有效。"
                    )
        else:
            if not data["phone"]:
                form.add_error("phone", "请填写提交时留下的手机号，并获取短信验证码。")
            elif not data["code"]:
                form.add_error("code", "请填写短信验证码。")
            else:
                try:
                    found = progress.verified(
                        number=data["number"], phone=data["phone"], code=data["code"]
                    )
                except ValidationError as exc:
                    form.add_error("code", exc.messages)
                else:
                    if found is None:
                        form.add_error("number", "未找到该办件，请核对办件编号和手机号。")
    return render(
        request,
        "portal/progress.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    """联系我们: the hotline, the platform's agencies and every department's telephone."""
    return render(
        request,
        "portal/contact.html",
        {"groups": contact_groups(), "agencies": [s.agency for s in sections.home_sections()]},
    )


@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    """好差评: how services are rated here, and where the user rates what they received."""
    return render(request, "portal/evaluation.html")


@login_required
@require_GET
def workbench_view(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/workbench.html", {"panels": workbench.panels_for(request.user)})


@require_POST
def toggle_elder(request: HttpRequest) -> HttpResponse:
    """Switch the elder-friendly mode (larger text, higher contrast); remembered in a cookie."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    on = request.COOKIES.get("elder") != "1"
    # A display preference, not a secret; no script reads it, so it stays HTTP-only as well.
    response.set_cookie(
        "elder",
        "1" if on else "0",
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure(),
    )
    return response


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.run_checks()
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503
    )
