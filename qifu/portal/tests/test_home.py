from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qifu.portal import sections

pytestmark = pytest.mark.django_db


def test_home_shows_all_four_sections_with_their_agencies(client: Client) -> None:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for section in sections.home_sections():
        assert (
            f'id="section-{section.code}-title"><a href="/section/{section.code}/">'
            f"{section.title}</a></h2>" in html
        )
        assert f"牵头单位：荣成市{section.agency}" in html
    assert html.count('class="qifu-entry"') == sum(len(s.entries) for s in sections.SECTIONS)


def test_entries_link_only_when_their_page_exists(client: Client, monkeypatch: Any) -> None:
    real = sections.Entry("工作台入口", "portal:workbench", "已有页面")
    missing = sections.Entry("未来功能", "nowhere:yet", "尚未建设")
    section = sections.HomeSection(
        "services", "办事服务", "行政审批服务局", "摘要", (real, missing)
    )
    monkeypatch.setattr(sections, "SECTIONS", (section,))
    html = client.get(reverse("portal:home")).content.decode()
    assert '<a href="/workbench/" class="qifu-entry-title">工作台入口</a>' in html
    assert (
        '<span class="qifu-entry-title">未来功能</span> <span class="qifu-soon">建设中</span>'
        in html
    )
    assert "nowhere" not in html


def test_every_page_has_landmarks_skip_link_and_chinese_language(client: Client) -> None:
    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="zh-CN">' in html
    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
    assert '<main id="main"' in html
    assert '<nav class="ms-lg-auto" aria-label="主导航">' in html
    assert "<footer" in html and "<header" in html


def test_the_page_carries_no_inline_script_or_style(client: Client) -> None:
    html = client.get(reverse("portal:home")).content.decode()
    assert "style=" not in html
    assert "<script>" not in html
    assert html.count("<script src=") == html.count("<script")


def test_elder_mode_switches_on_with_a_cookie_and_back_to_the_page(client: Client) -> None:
    response = client.post(reverse("portal:toggle_elder"), {"next": "/workbench/?a=1"})
    assert response.status_code == 302
    assert response["Location"] == "/workbench/?a=1"
    assert response.cookies["elder"].value == "1"
    assert response.cookies["elder"]["samesite"] == "Lax"
    assert response.cookies["elder"]["httponly"]
    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="zh-CN" class="elder">' in html
    assert 'aria-pressed="true"' in html


def test_elder_mode_switches_off_again(client: Client) -> None:
    client.cookies["elder"] = "1"
    response = client.post(reverse("portal:toggle_elder"), {"next": "/"})
    assert response.cookies["elder"].value == "0"
    assert 'class="elder"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_elder_toggle_refuses_to_redirect_off_site(client: Client, target: str) -> None:
    response = client.post(reverse("portal:toggle_elder"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_elder_toggle_is_post_only(client: Client) -> None:
    assert client.get(reverse("portal:toggle_elder")).status_code == 405


def test_healthz_reports_database_cache_and_queue(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "queue": True,
    }


def test_healthz_answers_503_when_a_check_fails(client: Client, monkeypatch: Any) -> None:
    from qifu.portal import health

    def broken() -> None:
        raise RuntimeError("down")

    monkeypatch.setattr(health, "_cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {"ok": False, "error": "RuntimeError"}
