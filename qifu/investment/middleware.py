"""English for the public investment-promotion pages only (PRODUCT.md: the UI is Simplified
Chinese; the promotion pages face investors from outside and are bilingual).

Django's LocaleMiddleware would also follow the browser's Accept-Language and a cookie, turning
the whole site English for some visitors; here the address alone decides: `/en/invest/…` is
English, everything else Chinese.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

ENGLISH_PREFIX = "/en/invest/"


def language_for(path: str) -> str:
    return "en" if path.startswith(ENGLISH_PREFIX) else settings.LANGUAGE_CODE


class PromotionLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            # The thread serves the next request in Chinese unless that one is English too.
            translation.activate(settings.LANGUAGE_CODE)
        if language != settings.LANGUAGE_CODE:
            response.headers.setdefault("Content-Language", language)
        return response
