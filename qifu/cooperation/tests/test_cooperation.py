"""校企共建: resources and needs through review, matching with reasons (jieba words), the
co-operation from proposal through agreement to outcome, statistics, and who sees what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from qifu.cooperation import services
from qifu.cooperation.matching import suggest_needs, suggest_resources
from qifu.cooperation.models import Cooperation, CooperationStatus, Resource, TechNeed
from qifu.cooperation.selectors import statistics_by_month
from qifu.core.workflow import TransitionNotAllowed
from qifu.providers.models import ProviderKind
from qifu.publishing.services import publication_approve, publication_publish, publication_submit

pytestmark = pytest.mark.django_db

SEA_RESULT = {
    "kind": "result",
    "title": "海参内脏酶解制备海参肽关键技术",
    "industry": "marine_food",
    "description": "以海参加工副产物内脏为原料，复合酶解、超滤分级制备海参肽，已完成中试。",
    "keywords": "海参、内脏、酶解、海参肽",
    "terms": "技术许可",
    "contact_name": "王成刚",
    "contact_phone": "0631-5688000",
}
WELDING = {
    "kind": "result",
    "title": "薄板焊接变形控制技术",
    "industry": "equipment",
    "description": "预变形与随焊冷却结合，船舶和车身薄板焊接变形降低六成。",
    "keywords": "焊接、变形、薄板、车身",
    "terms": "技术转让",
    "contact_name": "李明哲",
    "contact_phone": "0631-5687114",
}
SEA_NEED = {
    "title": "海参加工副产物高值化利用",
    "industry": "marine_food",
    "description": "年加工鲜海参 800 吨，内脏副产物约 120 吨低价出售，希望引进酶解制备海参肽技术。",
    "keywords": "海参、内脏、酶解",
    "budget": Decimal("80"),
    "contact_name": "于海波",
    "contact_phone": "13906310101",
}


@pytest.fixture
def university(make_provider: Any) -> Any:
    return make_provider(
        kind=ProviderKind.UNIVERSITY, name="山东大学（威海）（测试）", username="gx_t"
    )


@pytest.fixture
def other_university(make_provider: Any) -> Any:
    return make_provider(
        kind=ProviderKind.UNIVERSITY, name="哈工大（威海）（测试）", username="gx2_t"
    )


@pytest.fixture
def publish(department_admin: Any) -> Any:
    def done(item: Any, author: Any) -> Any:
        publication_submit(item=item, actor=author)
        publication_approve(item=item, actor=department_admin)
        return publication_publish(item=item, actor=department_admin)

    return done


@pytest.fixture
def sea_pair(university: Any, other_university: Any, enterprise_user: Any, publish: Any) -> Any:
    result = publish(services.resource_create(author=university[1], **SEA_RESULT), university[1])
    welding = publish(
        services.resource_create(author=other_university[1], **WELDING), other_university[1]
    )
    need = publish(services.need_create(author=enterprise_user, **SEA_NEED), enterprise_user)
    return need, result, welding


def test_resources_and_needs_are_public_only_after_review(
    university: Any, enterprise_user: Any, department: Any, client: Any
) -> None:
    resource = services.resource_create(author=university[1], **SEA_RESULT)
    need = services.need_create(author=enterprise_user, **SEA_NEED)
    assert client.get(reverse("cooperation:resource", args=[resource.pk])).status_code == 404
    assert client.get(reverse("cooperation:need", args=[need.pk])).status_code == 404


def test_only_universities_and_institutes_publish_resources(
    make_provider: Any, enterprise_user: Any, department: Any
) -> None:
    _, lawyer = make_provider(kind=ProviderKind.LAW_FIRM)
    with pytest.raises(PermissionDenied):
        services.resource_create(author=lawyer, **SEA_RESULT)
    with pytest.raises(PermissionDenied):
        services.resource_create(author=enterprise_user, **SEA_RESULT)


def test_a_need_is_matched_to_the_fitting_result_with_reasons(sea_pair: Any) -> None:
    need, result, welding = sea_pair
    found = suggest_resources(need)
    assert [s.item.pk for s in found] == [result.pk]
    reasons = " ".join(found[0].reasons)
    assert "同属“海洋生物食品及医药”产业链" in reasons
    assert "海参" in reasons and "酶解" in reasons
    back = suggest_needs(result)
    assert [s.item.pk for s in back] == [need.pk]
    assert suggest_needs(welding) == []


def test_suggestions_are_shown_to_both_sides_and_no_one_else(
    sea_pair: Any,
    university: Any,
    other_university: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    client_for: Any,
) -> None:
    need, result, _ = sea_pair
    own = client_for(enterprise_user).get(reverse("cooperation:need", args=[need.pk]))
    assert "推荐对接的高校资源" in own.content.decode()
    assert result.title in own.content.decode()
    other = client_for(other_enterprise_user).get(reverse("cooperation:need", args=[need.pk]))
    assert "推荐对接的高校资源" not in other.content.decode()
    uni = client_for(university[1]).get(reverse("cooperation:resource", args=[result.pk]))
    assert "推荐对接的企业需求" in uni.content.decode() and need.title in uni.content.decode()
    rival = client_for(other_university[1]).get(reverse("cooperation:resource", args=[result.pk]))
    assert "推荐对接的企业需求" not in rival.content.decode()


def test_a_result_is_matched_to_a_need_and_recorded_to_agreement(
    sea_pair: Any, university: Any, enterprise_user: Any, client_for: Any
) -> None:
    need, result, _ = sea_pair
    client = client_for(enterprise_user)
    response = client.post(
        reverse("cooperation:propose"), {"need": need.pk, "resource": result.pk, "note": "考察"}
    )
    cooperation = Cooperation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:record", args=[cooperation.pk])
    assert cooperation.status == CooperationStatus.PROPOSED
    assert cooperation.respond_due_at is not None
    assert any("产业链" in r for r in cooperation.reasons)
    # The enterprise proposed: only the university answers.
    with pytest.raises(PermissionDenied):
        services.cooperation_accept(user=enterprise_user, cooperation=cooperation)
    uni = client_for(university[1])
    assert (
        uni.post(
            reverse("cooperation:record_action", args=[cooperation.pk, "accept"]), {"note": ""}
        ).status_code
        == 302
    )
    agreed_on = timezone.localdate() - dt.timedelta(days=1)
    response = uni.post(
        reverse("cooperation:record_action", args=[cooperation.pk, "agree"]),
        {
            "form": "licence",
            "agreed_on": agreed_on.isoformat(),
            "amount": "60",
            "summary": "许可使用专利 5 年，派驻研究人员指导中试。",
        },
    )
    assert response.status_code == 302
    cooperation.refresh_from_db()
    assert cooperation.status == CooperationStatus.AGREED
    assert cooperation.agreement_amount == Decimal("60.00")
    assert [e.action for e in cooperation.events.all()] == ["propose", "accept", "agree"]
    page = client.get(reverse("cooperation:record", args=[cooperation.pk])).content.decode()
    assert "已签约" in page and "技术许可" in page

    rows = statistics_by_month(year=timezone.localdate().year)
    assert sum(r.proposed for r in rows) == 1 and sum(r.agreed for r in rows) == 1
    assert sum(r.amount for r in rows) == Decimal("60")


def test_others_cannot_see_or_act_on_a_cooperation(
    sea_pair: Any,
    other_university: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    client_for: Any,
    api_client_for: Any,
) -> None:
    need, result, _ = sea_pair
    cooperation = services.cooperation_propose(user=enterprise_user, need=need, resource=result)
    url = reverse("cooperation:record", args=[cooperation.pk])
    for outsider in (other_enterprise_user, other_university[1]):
        assert client_for(outsider).get(url).status_code == 404
        assert (
            client_for(outsider)
            .post(reverse("cooperation:record_action", args=[cooperation.pk, "accept"]))
            .status_code
            == 404
        )
        assert (
            api_client_for(outsider)
            .get(f"/api/v1/cooperation/records/{cooperation.pk}")
            .status_code
            == 404
        )
        assert api_client_for(outsider).get("/api/v1/cooperation/records").json()["count"] == 0


def test_a_pair_is_proposed_once_while_open(sea_pair: Any, enterprise_user: Any) -> None:
    need, result, _ = sea_pair
    first = services.cooperation_propose(user=enterprise_user, need=need, resource=result)
    again = services.cooperation_propose(user=enterprise_user, need=need, resource=result)
    assert first.pk == again.pk and Cooperation.objects.count() == 1


def test_agreement_input_is_checked_field_by_field(
    sea_pair: Any, university: Any, enterprise_user: Any, client_for: Any
) -> None:
    need, result, _ = sea_pair
    cooperation = services.cooperation_propose(user=enterprise_user, need=need, resource=result)
    with pytest.raises(TransitionNotAllowed):
        services.cooperation_agree(
            user=university[1],
            cooperation=cooperation,
            form="licence",
            agreed_on=timezone.localdate(),
            summary="x",
        )
    services.cooperation_accept(user=university[1], cooperation=cooperation)
    response = client_for(university[1]).post(
        reverse("cooperation:record_action", args=[cooperation.pk, "agree"]),
        {
            "form": "",
            "agreed_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "summary": "要点\x00",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_form_error"' in html
    with pytest.raises(ValidationError) as error:
        services.cooperation_agree(
            user=university[1],
            cooperation=cooperation,
            form="licence",
            agreed_on=timezone.localdate() + dt.timedelta(days=30),
            summary="x",
        )
    assert "agreed_on" in error.value.message_dict


def test_bad_api_input_is_refused_field_by_field(
    enterprise_user: Any, department: Any, api_client_for: Any
) -> None:
    api = api_client_for(enterprise_user)
    empty = api.post("/api/v1/cooperation/needs", {}, content_type="application/json")
    assert empty.status_code == 400 and "title" in empty.json()["detail"]
    nul = api.post(
        "/api/v1/cooperation/needs",
        {**SEA_NEED, "budget": "80", "title": "海参\x00"},
        content_type="application/json",
    )
    assert nul.status_code == 400 and set(nul.json()["detail"]) == {"title"}
    bad = api.post(
        "/api/v1/cooperation/needs",
        {
            "title": "海参" * 60,
            "industry": "nowhere",
            "description": "长" * 50_000,
            "contact_name": "于",
            "contact_phone": "1",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    detail = bad.json()["detail"]
    assert {"title", "industry", "description"} <= set(detail)
    assert not TechNeed.objects.exists()


def test_the_api_chain_matches_and_records_to_agreement(
    university: Any, enterprise_user: Any, department_admin: Any, api_client_for: Any
) -> None:
    uni = api_client_for(university[1])
    made = uni.post("/api/v1/cooperation/resources", SEA_RESULT, content_type="application/json")
    assert made.status_code == 201, made.content
    resource_id = made.json()["id"]
    assert uni.post(f"/api/v1/cooperation/resources/{resource_id}/submit").status_code == 200
    api = api_client_for(enterprise_user)
    need_data = {**SEA_NEED, "budget": "80"}
    made = api.post("/api/v1/cooperation/needs", need_data, content_type="application/json")
    assert made.status_code == 201, made.content
    need_id = made.json()["id"]
    assert api.post(f"/api/v1/cooperation/needs/{need_id}/submit").status_code == 200
    for item in (Resource.objects.get(pk=resource_id), TechNeed.objects.get(pk=need_id)):
        publication_approve(item=item, actor=department_admin)
        publication_publish(item=item, actor=department_admin)

    suggestions = api.get(f"/api/v1/cooperation/needs/{need_id}/suggestions").json()
    assert suggestions[0]["id"] == resource_id and suggestions[0]["reasons"]
    back = uni.get(f"/api/v1/cooperation/resources/{resource_id}/suggestions").json()
    assert back[0]["id"] == need_id
    record = api.post(
        "/api/v1/cooperation/records",
        {"need": need_id, "resource": resource_id},
        content_type="application/json",
    )
    assert record.status_code == 201, record.content
    record_id = record.json()["id"]
    accepted = uni.post(
        f"/api/v1/cooperation/records/{record_id}/accept", {}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "negotiating"
    agreed = api.post(
        f"/api/v1/cooperation/records/{record_id}/agree",
        {"form": "joint", "agreed_on": timezone.localdate().isoformat(), "summary": "合作开发"},
        content_type="application/json",
    )
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    again = api.post(
        f"/api/v1/cooperation/records/{record_id}/accept", {}, content_type="application/json"
    )
    assert again.status_code == 409
    stats = api.get("/api/v1/cooperation/statistics").json()
    assert sum(m["agreed"] for m in stats) == 1


def test_public_pages_open_for_everyone(sea_pair: Any, client: Any) -> None:
    for url in (
        reverse("cooperation:home"),
        reverse("cooperation:home") + "?tab=needs",
        reverse("cooperation:stats"),
    ):
        assert client.get(url).status_code == 200
    for name in ("cooperation:mine", "cooperation:need_new", "cooperation:review"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_home_lists_cost_a_bounded_number_of_queries(
    sea_pair: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cooperation:home")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cooperation:home") + "?tab=needs").status_code == 200


def test_the_invited_side_is_reminded_then_marked_overdue_once(
    sea_pair: Any, university: Any, enterprise_user: Any, settings: Any
) -> None:
    import zoneinfo

    import time_machine

    from qifu.cooperation.deadlines import cooperation_deadline_sweep
    from qifu.notifications.models import Notification

    sh = zoneinfo.ZoneInfo("Asia/Shanghai")
    settings.COOPERATION_RESPOND_WORKING_DAYS = 2
    need, result, _ = sea_pair
    # Friday 2026-09-04: two working days later is Tuesday 2026-09-08.
    with time_machine.travel(dt.datetime(2026, 9, 4, 10, 0, tzinfo=sh), tick=False):
        cooperation = services.cooperation_propose(user=enterprise_user, need=need, resource=result)
    assert cooperation.respond_due_at.astimezone(sh).date() == dt.date(2026, 9, 8)
    with time_machine.travel(dt.datetime(2026, 9, 9, 9, 0, tzinfo=sh), tick=False):
        assert cooperation_deadline_sweep()["overdue"] == 1
        assert cooperation_deadline_sweep()["overdue"] == 0
    assert cooperation.events.filter(action="overdue").count() == 1
    assert Notification.objects.filter(user=university[1]).exists()
