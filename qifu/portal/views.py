from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from qifu.portal import health, sections, workbench


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"sections": sections.home_sections()})


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
