from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def baseline(request: HttpRequest) -> HttpResponse:
    """The cheapest Django response: what the framework costs before any of our code runs."""
    return HttpResponse("ok")
