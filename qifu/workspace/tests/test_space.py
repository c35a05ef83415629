"""The space's home, the staff view of one enterprise's space, the merged timeline and its API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qifu.appeals.models import AppealCategory
from qifu.appeals.services import appeal_file
from qifu.notifications.models import Notification
from qifu.portal.space import timeline
from qifu.workspace.models import Assignment, AssignmentMethod, AssignmentRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(department: Any) -> AppealCategory:
    return AppealCategory.objects.create(
        code="ZC", name="政策咨询", default_department=department, sort_order=1
    )


@pytest.fixture
def file_appeal(enterprise_user: Any, category: AppealCategory) -> Any:
    def make(title: str, *, user: Any = None, received_at: dt.datetime | None = None) -> Any:
        author = user or enterprise_user
        appeal, _created = appeal_file(
            user=author,
            title=title,
            content=f"{title}的具体情况说明。",
            category=category,
        )
        if received_at is not None:  # as staff recording a phone call after the fact would
            type(appeal).objects.filter(pk=appeal.pk).update(received_at=received_at)
            appeal.received_at = received_at
        return appeal

    return make


def _assign(enterprise: Any, user: Any, role: str = AssignmentRole.COMMISSIONER) -> Assignment:
    return Assignment.objects.create(
        enterprise=enterprise, role=role, user=user, method=AssignmentMethod.MANUAL
    )


def test_anonymous_visitor_is_sent_to_login(client: Any) -> None:
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_enterprise_user_finds_the_sections_panels_in_one_place(
    client_for: Any, enterprise_user: Any, file_appeal: Any
) -> None:
    file_appeal("厂区门前道路破损影响货车通行")
    response = client_for(enterprise_user).get(reverse("workspace:home"))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("办件信息", "为您匹配的政策", "企业诉求", "项目申报", "最近动态"):
        assert title in html
    assert "厂区门前道路破损影响货车通行" in html


def test_an_enterprise_cannot_open_another_enterprises_space(
    client_for: Any, other_enterprise_user: Any, enterprise: Any
) -> None:
    client = client_for(other_enterprise_user)
    assert (
        client.get(reverse("workspace:enterprise", args=[enterprise.credit_code])).status_code
        == 404
    )
    url = reverse("workspace:enterprise_timeline", args=[enterprise.credit_code])
    assert client.get(url).status_code == 404


def test_own_enterprise_by_credit_code_goes_to_the_own_space(
    client_for: Any, enterprise_user: Any, enterprise: Any
) -> None:
    response = client_for(enterprise_user).get(
        reverse("workspace:enterprise", args=[enterprise.credit_code])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")


def test_only_the_commissioner_serving_it_sees_an_enterprises_space(
    client_for: Any, commissioner: Any, other_commissioner: Any, enterprise: Any
) -> None:
    url = reverse("workspace:enterprise", args=[enterprise.credit_code])
    assert client_for(commissioner).get(url).status_code == 404
    _assign(enterprise, commissioner)
    response = client_for(commissioner).get(url)
    assert response.status_code == 200
    assert "一企一档" in response.content.decode()
    assert client_for(other_commissioner).get(url).status_code == 404


def test_department_staff_do_not_see_enterprise_spaces(
    client_for: Any, department_admin: Any, enterprise: Any
) -> None:
    url = reverse("workspace:enterprise", args=[enterprise.credit_code])
    assert client_for(department_admin).get(url).status_code == 404


def test_platform_staff_see_any_enterprises_space(
    client_for: Any, platform_staff: Any, enterprise: Any
) -> None:
    url = reverse("workspace:enterprise", args=[enterprise.credit_code])
    assert client_for(platform_staff).get(url).status_code == 200


def test_an_ended_assignment_no_longer_opens_the_space(
    client_for: Any, commissioner: Any, enterprise: Any
) -> None:
    assignment = _assign(enterprise, commissioner)
    assignment.ended_at = timezone.now()
    assignment.save()
    url = reverse("workspace:enterprise", args=[enterprise.credit_code])
    assert client_for(commissioner).get(url).status_code == 404


def test_timeline_merges_sections_newest_first_and_pages_with_a_cursor(
    enterprise: Any, enterprise_user: Any, file_appeal: Any
) -> None:
    now = timezone.now()
    for days in (5, 3, 1):
        file_appeal(f"诉求{days}", received_at=now - dt.timedelta(days=days))
    # Filing wrote its own 诉求已受理 notices (in the same transaction); this test is about one.
    Notification.objects.all().delete()
    Notification.objects.create(
        user=enterprise_user, kind="test", title="政策推送：海洋食品加工企业技术改造补助"
    )
    entries, cursor = timeline(enterprise, enterprise_user, limit=2)
    assert [e.kind for e in entries] == ["notification", "appeal"]
    assert entries[1].title.startswith("提出诉求“诉求1”")
    assert cursor == entries[1].at
    rest, cursor2 = timeline(enterprise, enterprise_user, before=cursor, limit=2)
    assert [e.title[:8] for e in rest] == ["提出诉求“诉求3", "提出诉求“诉求5"]
    assert cursor2 is None


def test_timeline_never_shows_another_enterprises_records(
    enterprise: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    file_appeal: Any,
) -> None:
    file_appeal("别家企业的诉求", user=other_enterprise_user)
    entries, _ = timeline(enterprise, enterprise_user)
    assert all("别家企业" not in e.title for e in entries)


def test_staff_viewing_a_space_do_not_see_the_enterprises_inbox(
    enterprise: Any, enterprise_user: Any, commissioner: Any
) -> None:
    Notification.objects.create(user=enterprise_user, kind="test", title="只属于企业用户的消息")
    _assign(enterprise, commissioner)
    entries, _ = timeline(enterprise, commissioner)
    assert entries == []


def test_timeline_page_filters_by_kind(
    client_for: Any, enterprise_user: Any, file_appeal: Any
) -> None:
    file_appeal("只看诉求")
    Notification.objects.create(user=enterprise_user, kind="test", title="一条消息")
    client = client_for(enterprise_user)
    html = client.get(reverse("workspace:timeline") + "?kind=appeal").content.decode()
    assert "只看诉求" in html
    assert "一条消息" not in html


def test_home_page_query_count_does_not_grow_with_history(
    client_for: Any, enterprise_user: Any, file_appeal: Any
) -> None:
    client = client_for(enterprise_user)
    file_appeal("第一件")
    client.get(reverse("workspace:home"))  # warm the matches cache and the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("workspace:home")).status_code == 200
    for i in range(12):
        file_appeal(f"更多诉求{i}")
        Notification.objects.create(user=enterprise_user, kind="test", title=f"消息{i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("workspace:home")).status_code == 200
    assert len(many) == len(few)
    assert len(many) < 60


def test_api_space_summary_of_own_enterprise(
    api_client_for: Any, enterprise_user: Any, enterprise: Any, commissioner: Any
) -> None:
    _assign(enterprise, commissioner)
    body = api_client_for(enterprise_user).get("/api/v1/workspace").json()
    assert body["enterprise"] == {"credit_code": enterprise.credit_code, "name": enterprise.name}
    assert body["people"][0]["name"] == "毕专员"
    assert body["people"][0]["role"] == "commissioner"
    assert {"key", "title", "summary"} <= set(body["panels"][0])
    assert "count" in body["policies"]


def test_api_refuses_another_enterprises_space(
    api_client_for: Any, other_enterprise_user: Any, enterprise: Any
) -> None:
    client = api_client_for(other_enterprise_user)
    response = client.get(f"/api/v1/workspace?enterprise={enterprise.credit_code}")
    assert response.status_code == 404
    response = client.get(f"/api/v1/workspace/timeline?enterprise={enterprise.credit_code}")
    assert response.status_code == 404


def test_api_staff_must_name_the_enterprise(api_client_for: Any, platform_staff: Any) -> None:
    assert api_client_for(platform_staff).get("/api/v1/workspace").status_code == 404


def test_api_timeline_pages_and_rejects_unknown_kinds(
    api_client_for: Any, enterprise_user: Any, file_appeal: Any
) -> None:
    now = timezone.now()
    for days in (3, 2, 1):
        file_appeal(f"诉求{days}", received_at=now - dt.timedelta(days=days))
    client = api_client_for(enterprise_user)
    first = client.get("/api/v1/workspace/timeline?limit=2&kind=appeal").json()
    assert [i["title"][:8] for i in first["items"]] == ["提出诉求“诉求1", "提出诉求“诉求2"]
    assert first["next_before"]
    from urllib.parse import quote

    second = client.get(
        f"/api/v1/workspace/timeline?limit=2&kind=appeal&before={quote(first['next_before'])}"
    ).json()
    assert [i["title"][:8] for i in second["items"]] == ["提出诉求“诉求3"]
    bad = client.get("/api/v1/workspace/timeline?kind=nonsense")
    assert bad.status_code == 400
    assert "kind" in bad.json()["detail"]


def test_a_page_never_ends_inside_entries_of_the_same_time(
    enterprise: Any, enterprise_user: Any, file_appeal: Any
) -> None:
    same = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    for i in range(3):
        file_appeal(f"同一分钟录入{i}", received_at=same)
    file_appeal("更早的诉求", received_at=same - dt.timedelta(days=1))
    first, cursor = timeline(enterprise, enterprise_user, limit=2, kinds={"appeal"})
    assert len(first) == 3
    rest, _ = timeline(enterprise, enterprise_user, before=cursor, limit=2, kinds={"appeal"})
    assert [e.title[:9] for e in rest] == ["提出诉求“更早的诉"]
