from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "CITY_NAME": settings.CITY_NAME,
        "elder_mode": request.COOKIES.get("elder") == "1",
        "SITE": _site_info(),
    }


def _site_info() -> dict[str, str]:
    info = dict(settings.SITE_INFO)
    # The public-security filing is looked up on its registry by the digits of its number.
    info["police_filing_code"] = "".join(ch for ch in info.get("police_filing", "") if ch.isdigit())
    return info
