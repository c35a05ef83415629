"""Nobody outside investment staff and leaders reaches non-public investment data: every staff
URL of the section and every non-public API path, for anonymous visitors and enterprise users."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver

from qifu.investment.models import FollowUpTask, KeyEnterprise, Lead, Visit
from qifu.investment.services.visits import task_create, visit_save

pytestmark = pytest.mark.django_db


def staff_urls(lead: Lead, ids: dict[str, int]) -> list[tuple[str, str]]:
    """Every URL of the `investment` namespace, filled with real ids, and its methods."""
    resolver = get_resolver()
    namespace = resolver.namespace_dict["investment"][1]
    values = {
        "pk": lead.pk,
        "kind": "parks",
        "action": "submit",
        "file_pk": 1,
        "link_pk": 1,
        "document_pk": 1,
        **ids,
    }
    out = []
    for pattern in namespace.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        for name, value in values.items():
            route = (
                route.replace(f"<int:{name}>", str(value))
                .replace(f"<slug:{name}>", str(value))
                .replace(f"<str:{name}>", str(value))
            )
        out.append(("/investment/" + route, pattern.name or ""))
    return out


@pytest.fixture
def world(lead: Lead, officer: Any, park: Any) -> dict[str, int]:
    visit = visit_save(
        actor=officer,
        values={
            "direction": "incoming",
            "visited_on": "2026-03-01",
            "delegation": "宁波考察团",
            "purpose": "考察",
            "country": "中国",
            "province": "浙江",
        },
        leads=[lead],
    )
    import datetime as dt

    from django.utils import timezone

    task = task_create(
        actor=officer,
        title="发送资料",
        assignee=officer,
        due_at=timezone.now() + dt.timedelta(days=1),
        lead=lead,
    )
    key = KeyEnterprise.objects.create(name="南通瀚洋海洋工程装备有限公司", province="江苏")
    return {"task_pk": task.pk, "visit": visit.pk, "key": key.pk}


def test_anonymous_visitors_are_sent_to_sign_in_from_every_staff_page(
    client: Client, lead: Lead, world: dict[str, int]
) -> None:
    urls = staff_urls(lead, {"task_pk": world["task_pk"]})
    assert len(urls) > 30
    for url, name in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 405), (url, method, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), (url, name)


def test_an_enterprise_user_gets_no_staff_page(
    client_for: Any, enterprise_user: Any, lead: Lead, world: dict[str, int]
) -> None:
    client = client_for(enterprise_user)
    before = (
        Lead.objects.count(),
        Visit.objects.count(),
        FollowUpTask.objects.count(),
        KeyEnterprise.objects.count(),
    )
    for url, _name in staff_urls(lead, {"task_pk": world["task_pk"]}):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (url, method, response.status_code)
            assert "周建国" not in response.content.decode()
    assert before == (
        Lead.objects.count(),
        Visit.objects.count(),
        FollowUpTask.objects.count(),
        KeyEnterprise.objects.count(),
    )


API_PATHS = [
    ("get", "/api/v1/investment/projects"),
    ("get", "/api/v1/investment/projects/{id}"),
    ("post", "/api/v1/investment/projects"),
    ("post", "/api/v1/investment/projects/{id}/advance"),
    ("post", "/api/v1/investment/projects/{id}/terminate"),
    ("post", "/api/v1/investment/projects/{id}/reopen"),
    ("post", "/api/v1/investment/projects/{id}/contact"),
    ("put", "/api/v1/investment/projects/{id}/plan"),
    ("get", "/api/v1/investment/visits"),
    ("get", "/api/v1/investment/key-enterprises"),
    ("get", "/api/v1/investment/chain-gaps"),
    ("get", "/api/v1/investment/indicators?start=2026-01-01&end=2026-12-31"),
]
BODIES = {
    "advance": {"stage": "contact"},
    "terminate": {"reason": "x"},
    "contact": {"content": "x"},
    "plan": [],
    "projects": {"company": "x", "contact_name": "x", "industry": "x"},
}


def _call(client: Client, method: str, path: str) -> Any:
    key = path.rstrip("/").rsplit("/", 1)[-1]
    body = BODIES.get(key, {}) if method in ("post", "put") else None
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_every_non_public_api_path_refuses_anonymous_and_enterprise_users(
    client: Client, api_client_for: Any, enterprise_user: Any, lead: Lead
) -> None:
    api_paths = {(m, p) for m, p in API_PATHS}
    from qifu.api.main import api

    schema = api.get_openapi_schema()
    documented = {
        (method, path)
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/investment/")
        for method in ops
    }
    public = {
        ("get", "/api/v1/investment/parks"),
        ("get", "/api/v1/investment/idle-assets"),
        ("get", "/api/v1/investment/chains"),
        ("post", "/api/v1/investment/intents"),
    }
    covered = {(m, p.split("?")[0].replace("{id}", "{project_id}")) for m, p in api_paths}
    assert documented - public == covered  # a new path must be added to this test
    enterprise = api_client_for(enterprise_user)
    for method, path in API_PATHS:
        url = path.replace("{id}", str(lead.pk))
        assert _call(client, method, url).status_code == 401, url
        response = _call(enterprise, method, url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert "周建国" not in response.content.decode()
    lead.refresh_from_db()
    assert lead.stage == "lead" and Lead.objects.count() == 1
