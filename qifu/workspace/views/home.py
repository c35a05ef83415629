"""The home of the exclusive space and its timeline."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from qifu.portal.space import space_panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    enterprise = request.user.enterprise  # type: ignore[union-attr]
    panels = space_panels(enterprise, request.user) if enterprise else []
    return render(request, "workspace/home.html", {"enterprise": enterprise, "panels": panels})


urlpatterns: list[URLPattern] = [path("", home, name="home")]
