"""Chinese error pages in the site's layout; the API and Open311 keep answering JSON.

Each page says what happened, why (the reason the code gave, when it is written for people),
and what to do next: sign in, switch to another account, go back home, or contact the platform.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/", "/open311/", "/healthz")
CJK = re.compile(r"[\u4e00-\u9fff]")

TITLES = {
    400: "请求有误",
    403: "无权访问",
    404: "页面不存在",
    500: "系统繁忙",
}
DEFAULT_REASONS = {
    400: "提交的内容无法识别，可能是页面已过期或链接不完整。",
    403: "您当前的账号没有打开此页面的权限。",
    404: "您访问的页面不存在，可能已被删除、下线，或链接有误。",
    500: "服务器暂时无法完成您的请求，我们已记录此问题，请稍后再试。",
}
# Rendered without the database, template tags or context processors: a 500 must never fail.
PLAIN_500 = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>系统繁忙</title></head><body><main>"
    "<h1>系统繁忙</h1><p>服务器暂时无法完成您的请求，我们已记录此问题，请稍后再试。</p>"
    '<p><a href="/">返回首页</a></p></main></body></html>'
)


def reason_of(exception: Any, status: int) -> str:
    """The message the code raised with, when it was written for people (in Chinese)."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if isinstance(message, str) and CJK.search(message):
        return message
    return DEFAULT_REASONS[status]


def _page(request: HttpRequest, status: int, reason: str) -> HttpResponse:
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse({"detail": reason}, status=status)
    context = {"status": status, "title": TITLES[status], "reason": reason}
    html = render_to_string("errors/error.html", context, request=request)
    return HttpResponse(html, status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    # Never echo a SuspiciousOperation's message: it may describe an attack to the attacker.
    return _page(request, 400, DEFAULT_REASONS[400])


def bad_request_page(request: HttpRequest, reason: str) -> HttpResponse:
    """A 400 whose reason is written for people (e.g. the field that holds a bad character)."""
    return _page(request, 400, reason)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403, reason_of(exception, 403))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404, reason_of(exception, 404))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(JSON_PREFIXES):
        return JsonResponse({"detail": DEFAULT_REASONS[500]}, status=500)
    try:
        return _page(request, 500, DEFAULT_REASONS[500])
    except Exception:  # the layout itself failed (e.g. the database is down)
        logger.exception("the error page could not be rendered")
        return HttpResponse(PLAIN_500, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its page expired (or from elsewhere): say so, in Chinese."""
    return _page(
        request,
        403,
        "页面停留时间过长或已在其他窗口退出登录，表单已失效。请返回上一页，刷新后重新提交。",
    )
