"""信息发布: enterprise postings reach the public only after the platform reviews them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from qifu.content.models import FinancingNeed, JobPosting
from qifu.content.services import posting_create, posting_update
from qifu.publishing.models import PublicationStatus as S
from qifu.publishing.services import (
    publication_approve,
    publication_expire_due,
    publication_publish,
    publication_submit,
)

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        yield


@pytest.fixture
def make_job(enterprise_user: Any, agency: Any, town: Any) -> Any:
    def make(author: Any = None, **fields: Any) -> JobPosting:
        values: dict[str, Any] = {
            "position": "数控车床操作工",
            "headcount": 5,
            "pay": "月薪 6000–8000 元",
            "place": town,
            "requirements": "有两年以上经验",
            "contact_name": "王经理",
            "contact_phone": "13912345678",
            "expires_on": date(2026, 12, 31),
        }
        values.update(fields)
        return posting_create(kind="job", author=author or enterprise_user, **values)  # type: ignore[return-value]

    return make


@pytest.fixture
def make_financing(enterprise_user: Any, agency: Any) -> Any:
    def make(**fields: Any) -> FinancingNeed:
        values: dict[str, Any] = {
            "amount": Decimal("500"),
            "term_months": 12,
            "use": "购置设备",
            "guarantee": "厂房抵押",
            "contact_name": "李会计",
            "contact_phone": "13800001111",
            "expires_on": date(2026, 12, 31),
        }
        values.update(fields)
        return posting_create(kind="financing", author=enterprise_user, **values)  # type: ignore[return-value]

    return make


def _publish(item: Any, reviewer: Any) -> Any:
    item = publication_submit(item=item, actor=item.created_by)
    item = publication_approve(item=item, actor=reviewer)
    return publication_publish(item=item, actor=reviewer)


def test_an_enterprise_posting_is_a_draft_reviewed_by_the_services_agency(
    make_job: Any, agency: Any, enterprise: Any
) -> None:
    job = make_job()
    assert job.status == S.DRAFT
    assert job.enterprise_id == enterprise.pk
    assert job.provider_department_id == agency.pk
    assert job.section == "services"


def test_government_staff_cannot_create_enterprise_postings(
    make_job: Any, platform_staff: Any
) -> None:
    with pytest.raises(PermissionDenied):
        make_job(author=platform_staff)


def test_postings_reach_the_public_list_only_after_review_and_publication(
    client: Client, make_job: Any, make_financing: Any, platform_staff: Any
) -> None:
    draft = make_job(position="草稿岗位")
    submitted = publication_submit(item=make_job(position="待审岗位"), actor=draft.created_by)
    approved = publication_approve(
        item=publication_submit(item=make_job(position="已审未发布"), actor=draft.created_by),
        actor=platform_staff,
    )
    published = _publish(make_job(position="焊工"), platform_staff)
    financing = _publish(make_financing(), platform_staff)

    body = client.get(reverse("content:postings")).content.decode()

    assert "焊工" in body and "融资 500 万元" in body
    for hidden in ("草稿岗位", "待审岗位", "已审未发布"):
        assert hidden not in body
    for item in (draft, submitted, approved):
        assert client.get(item.public_url()).status_code == 404
    assert client.get(published.public_url()).status_code == 200
    assert client.get(financing.public_url()).status_code == 200


def test_the_public_list_filters_by_kind_town_and_validity(
    client: Client, make_job: Any, make_financing: Any, platform_staff: Any, town: Any
) -> None:
    _publish(make_job(position="短期岗位", expires_on=date(2026, 12, 5)), platform_staff)
    _publish(make_job(position="长期岗位", expires_on=date(2027, 3, 1)), platform_staff)
    _publish(make_financing(), platform_staff)
    url = reverse("content:postings")

    jobs = client.get(url, {"kind": "job"}).content.decode()
    assert "短期岗位" in jobs and "融资 500 万元" not in jobs
    in_town = client.get(url, {"town": town.pk}).content.decode()
    assert "短期岗位" in in_town and "融资 500 万元" not in in_town  # the enterprise has no town
    valid = client.get(url, {"valid_on": "2027-01-01"}).content.decode()
    assert "长期岗位" in valid and "短期岗位" not in valid


def test_expired_postings_disappear_from_the_public(
    client: Client, make_job: Any, platform_staff: Any
) -> None:
    job = _publish(make_job(position="月底到期", expires_on=date(2026, 11, 30)), platform_staff)
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        assert "月底到期" not in client.get(reverse("content:postings")).content.decode()
        assert client.get(job.public_url()).status_code == 404
        assert publication_expire_due() == 1
    job.refresh_from_db()
    assert job.status == S.EXPIRED


def test_the_contact_phone_is_masked_for_anonymous_visitors_only(
    client: Client, client_for: Any, make_job: Any, platform_staff: Any, other_enterprise_user: Any
) -> None:
    job = _publish(make_job(), platform_staff)
    anonymous = client.get(job.public_url()).content.decode()
    assert "13912345678" not in anonymous and "139****5678" in anonymous
    signed_in = client_for(other_enterprise_user).get(job.public_url()).content.decode()
    assert "13912345678" in signed_in


def test_an_enterprise_creates_and_submits_a_posting_through_its_pages(
    client_for: Any, enterprise_user: Any, agency: Any, town: Any
) -> None:
    client = client_for(enterprise_user)
    assert client.get(reverse("content:posting_new", args=["job"])).status_code == 200
    response = client.post(
        reverse("content:posting_new", args=["job"]),
        {
            "position": "电工",
            "headcount": "2",
            "pay": "面议",
            "place": town.pk,
            "contact_name": "张三",
            "contact_phone": "0631-7561234",
            "expires_on": "2026-12-20",
        },
    )
    job = JobPosting.objects.get()
    assert response.status_code == 302 and response["Location"] == job.manage_url()
    client.post(reverse("content:posting_action", args=["job", job.pk, "submit"]))
    job.refresh_from_db()
    assert job.status == S.SUBMITTED
    mine = client.get(reverse("content:postings_mine")).content.decode()
    assert "招聘电工" in mine and "待审核" in mine


def test_the_posting_form_shows_errors_in_chinese_next_to_the_fields(
    client_for: Any, enterprise_user: Any, agency: Any
) -> None:
    response = client_for(enterprise_user).post(
        reverse("content:posting_new", args=["financing"]),
        {"amount": "0", "term_months": "12", "contact_phone": "abc", "expires_on": "2026-01-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "融资金额须大于 0。" in body
    assert "请填写资金用途。" in body
    assert "请填写正确的联系电话" in body
    assert "有效期不能早于今天。" in body
    assert not FinancingNeed.objects.exists()


def test_an_enterprise_cannot_see_or_edit_another_enterprises_posting(
    client_for: Any, make_job: Any, other_enterprise_user: Any
) -> None:
    job = make_job()
    client = client_for(other_enterprise_user)
    assert client.get(job.manage_url()).status_code == 404
    assert client.post(job.manage_url(), {"position": "改掉"}).status_code == 404
    assert (
        client.post(reverse("content:posting_action", args=["job", job.pk, "submit"])).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        posting_update(posting=job, actor=other_enterprise_user, position="改掉")
    job.refresh_from_db()
    assert job.position == "数控车床操作工" and job.status == S.DRAFT


def test_anonymous_visitors_are_sent_to_sign_in_and_staff_cannot_write_postings(
    client: Client, client_for: Any, platform_staff: Any
) -> None:
    response = client.get(reverse("content:postings_mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    staff = client_for(platform_staff)
    assert staff.get(reverse("content:postings_mine")).status_code == 403
    assert staff.get(reverse("content:posting_new", args=["job"])).status_code == 403


def test_only_services_reviewers_review_and_never_see_drafts(
    client_for: Any,
    make_job: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    draft = make_job(position="草稿")
    job = publication_submit(item=make_job(position="审核中岗位"), actor=enterprise_user)
    staff = client_for(platform_staff)
    assert staff.get(draft.manage_url()).status_code == 404
    queue = staff.get(reverse("content:postings_review")).content.decode()
    assert "审核中岗位" in queue and "草稿" not in queue

    # 工信局 does not administer 办事服务: the posting is not theirs to see.
    other = client_for(department_admin)
    assert other.get(job.manage_url()).status_code == 404
    assert "审核中岗位" not in other.get(reverse("content:postings_review")).content.decode()
    # The enterprise cannot approve its own posting, nor open the staff queue.
    owner = client_for(enterprise_user)
    owner.post(reverse("content:posting_action", args=["job", job.pk, "approve"]))
    job.refresh_from_db()
    assert job.status == S.SUBMITTED
    assert owner.get(reverse("content:postings_review")).status_code == 403

    staff.post(
        reverse("content:posting_action", args=["job", job.pk, "approve"]),
        {"revision": job.revision},
    )
    staff.post(reverse("content:posting_action", args=["job", job.pk, "publish"]))
    job.refresh_from_db()
    assert job.status == S.PUBLISHED and job.reviewed_by == platform_staff


def test_editing_a_published_posting_sends_it_back_to_review(
    make_job: Any, platform_staff: Any, enterprise_user: Any
) -> None:
    job = _publish(make_job(), platform_staff)
    job = posting_update(posting=job, actor=enterprise_user, headcount=8)
    assert job.status == S.SUBMITTED
    job = posting_update(posting=job, actor=enterprise_user, expires_on=date(2027, 1, 31))
    assert job.status == S.SUBMITTED and job.expires_on == date(2027, 1, 31)
