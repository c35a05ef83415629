"""Every demo role follows every link the platform offers it, and no link answers 403.

On the demo data (seed_demo), each demo account — and an anonymous visitor — opens the home
page, the workbench and the four section pages, and follows every link of the header
navigation, the section menus, the home tiles, the section entries and the workbench panels.
A page offered to a role must open for it: 200, or a redirect (sign-in, or the staff view of an
enterprise page) that itself opens. No English error page, no "None" in the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from qifu.accounts.models import User
from qifu.demo.accounts import ACCOUNTS
from qifu.notifications.models import Notification
from qifu.portal import sections

pytestmark = pytest.mark.django_db

# Links inside these landmarks are what the portal offers; page bodies have their own tests.
OFFERING = (
    "qifu-navbar",
    "qifu-section-menu",
    "qifu-entries",
    "qifu-panel",
    "qifu-quick",
    "qifu-chooser",
    "qifu-footer",
)
SKIP = ("/static/", "/media/", "/admin/", "/api/", "tel:", "mailto:")
NONE_IN_TEXT = re.compile(r">[^<]*\bNone\b[^<]*<")


class OfferedLinks(HTMLParser):
    """The hrefs inside the elements whose class names one of OFFERING."""

    def __init__(self) -> None:
        super().__init__()
        self.depth: list[bool] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        classes = (dict(attrs).get("class") or "").split()
        inside = bool(self.depth and self.depth[-1]) or any(c in OFFERING for c in classes)
        self.depth.append(inside)
        href = dict(attrs).get("href") or ""
        if tag == "a" and inside and href.startswith("/") and not href.startswith(SKIP):
            self.links.append(href.split("#")[0])

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.depth.pop()


def offered(html: str) -> list[str]:
    parser = OfferedLinks()
    parser.feed(html)
    return parser.links


def problems_of(client: Client, url: str) -> list[str]:
    found: list[str] = []
    response = client.get(url)
    hops = 0
    while response.status_code in (301, 302) and hops < 3:
        target = response["Location"]
        if "/accounts/login/" in target:
            return found  # an anonymous visitor is asked to sign in: fine
        response = client.get(target)
        hops += 1
        url = f"{url} → {urlsplit(target).path}"
    if response.status_code != 200:
        found.append(f"{url}: {response.status_code}")
        return found
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        match = NONE_IN_TEXT.search(html)
        if match:
            found.append(f"{url}: renders None in {match.group(0)[:80]!r}")
        for english in ("Forbidden", "Not Found", "Server Error"):
            if f"<h1>{english}" in html:
                found.append(f"{url}: English error page")
    return found


def walk(client: Client) -> tuple[list[str], int]:
    starts = ["/", "/workbench/", *[s.url for s in sections.home_sections()]]
    queue: list[str] = []
    problems: list[str] = []
    for start in starts:
        response = client.get(start)
        if response.status_code == 302:
            continue  # the workbench of an anonymous visitor
        assert response.status_code == 200, start
        queue += offered(response.content.decode())
    seen: set[str] = set()
    for url in queue:
        if url in seen:
            continue
        seen.add(url)
        problems += problems_of(client, url)
    return problems, len(seen)


@pytest.fixture
def demo(django_capture_on_commit_callbacks: Any) -> None:
    # The notifications are written after commit: run those callbacks, as production does.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    assert Notification.objects.exists()


def test_every_demo_role_and_a_visitor_open_every_link_they_are_offered(demo: None) -> None:
    report: list[str] = []
    walked = 0
    clients: dict[str, Client] = {"（访客）": Client()}
    for account in ACCOUNTS:
        client = Client()
        client.force_login(User.objects.get(username=account.username))
        clients[account.username] = client
    for name, client in clients.items():
        problems, count = walk(client)
        walked += count
        report += [f"{name}: {p}" for p in problems]
    assert not report, "\n".join(report)
    assert walked > 15 * 20  # each role is offered a real set of pages, not an empty menu
