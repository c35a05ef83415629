"""What `make bench`'s gunicorn serves: the project, and beside it the floor every result is
divided by (docs/api.md `make bench`).

The floor, `/_bench/floor`, is a one-line Django view behind Django's own request handling (the
WSGI handler, URL resolution, request and response objects) with none of the project's
middleware: what any Django page costs before a line of ours runs. It is served by the same
gunicorn process and workers as the project, so both are measured under the same conditions.
Every other path goes to `qifu.wsgi.application` unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase

from qifu.bench import FLOOR_PATH
from qifu.wsgi import application as project


class FloorHandler(WSGIHandler):
    """Django's WSGI handler with an empty middleware chain and the floor's own URLconf."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        request.urlconf = "qifu.bench.floor_urls"  # type: ignore[attr-defined]
        return BaseHandler.get_response(self, request)


floor = FloorHandler()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == FLOOR_PATH:
        return floor(environ, start_response)
    return project(environ, start_response)
