"""A page-form fuzzer: walk the site's pages as a few roles and send every form bad values.

Every page reachable without URL arguments (and the same-site links they show, up to a bound) is
opened; every form on them is submitted with each bad value in all its text fields: NUL and other
control characters, impossible dates, over-long text, negative and huge numbers, markup, empty.
No answer may be a 5xx. Run on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import html.parser
import os
from collections import deque
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

MAX_PAGES = int(os.environ.get("FUZZ_PAGES", "120"))
BAD_VALUES = [
    "坏\x00值",
    "控制\x01\x1b字符",
    "2026-02-30",
    "2026-02-30T10:00",
    "9" * 300,
    "-1",
    "<script>alert(1)</script>'\"",
    "",
]
# Never walked: the admin (Django's own), the JSON interfaces (fuzzed by test_fuzz_api), files,
# signing out, and the benchmark hook.
SKIP_PREFIXES = ("/admin/", "/api/", "/open311/", "/static/", "/media/", "/_bench/", "/en/")
SKIP_WORDS = ("logout", "download", "export", "attachment", "/files/", "document")


class _Forms(html.parser.HTMLParser):
    """Links and forms (action, method, fields with a sample value) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get").lower(),
                    "text": {},
                    "fixed": {},
                    "files": [],
                }
            )
        if tag in ("a", "form") or not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("hidden", "checkbox", "radio", "submit"):
                form["fixed"].setdefault(a["name"], a.get("value", "on"))
            elif kind == "file":
                form["files"].append(a["name"])
            else:
                form["text"][a["name"]] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            form["text"][a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            form["fixed"].setdefault(self._select, a["value"])
        elif tag == "button" and a.get("name"):
            form["fixed"].setdefault(a["name"], a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _start_pages() -> list[str]:
    """Every URL of the site that takes no arguments."""
    found: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                try:
                    found.append(reverse(f"{namespace}{pattern.name}"))
                except Exception:  # noqa: BLE001, S112 - takes arguments: reached by links instead
                    continue

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def _walkable(url: str) -> bool:
    path = urlsplit(url).path
    return (
        not urlsplit(url).netloc
        and path.startswith("/")
        and not path.startswith(SKIP_PREFIXES)
        and not any(word in url for word in SKIP_WORDS)
    )


def _submissions(form: dict[str, Any], page: str) -> list[tuple[str, str, dict[str, Any]]]:
    action = urljoin(page, form["action"] or page)
    if not _walkable(action) or not form["text"]:
        return []
    out = []
    for value in BAD_VALUES:
        data: dict[str, Any] = {**form["fixed"], **dict.fromkeys(form["text"], value)}
        data.pop("csrfmiddlewaretoken", None)
        if form["method"] == "post":
            for name in form["files"]:
                data[name] = SimpleUploadedFile("发票.pdf", b"not a pdf", "application/pdf")
        out.append((form["method"], action, data))
    return out


def _fuzz(client: Client, sent_forms: list[str]) -> list[str]:
    failures: list[str] = []
    queue = deque(u for u in _start_pages() if _walkable(u))
    seen: set[str] = set(queue)
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        pages += 1
        if response.status_code >= 500:
            failures.append(f"GET {url} → {response.status_code}")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode(errors="replace"))
        for href in parser.links:
            link = urldefrag(urljoin(url, href))[0]
            if _walkable(link) and link not in seen and "?" not in link:
                seen.add(link)
                queue.append(link)
        for form in parser.forms:
            for method, action, data in _submissions(form, url):
                sent_forms.append(f"{method} {action}")
                sent = client.post(action, data) if method == "post" else client.get(action, data)
                if sent.status_code >= 500:
                    shown = {k: v for k, v in data.items() if not hasattr(v, "read")}
                    failures.append(f"{method.upper()} {action} {shown!r} → {sent.status_code}")
    return failures


@pytest.mark.parametrize(
    "persona", ["anonymous", "enterprise_user", "platform_staff", "department_admin"]
)
def test_no_page_form_answers_5xx_to_bad_values(
    persona: str, request: Any, settings: Any, category: Any
) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 10**9
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    sent: list[str] = []
    failures = _fuzz(client, sent)
    assert not failures, "\n".join(failures[:30])
    assert len(set(sent)) >= 2  # the walk reached forms


@pytest.fixture
def category(agency: Any) -> Any:
    from qifu.appeals.models import AppealCategory

    return AppealCategory.objects.create(code="other", name="其他", default_department=agency)
