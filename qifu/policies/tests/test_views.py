from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from qifu.policies.models import Policy
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db


def test_the_library_lists_policies_in_force_with_bounded_queries(
    dataset, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = Client().get(reverse("policies:library"))
    assert response.status_code == 200
    assert "海洋食品产业扶持" in response.content.decode()
    assert "已到期的普惠政策" not in response.content.decode()


def test_the_library_filters_by_industry_and_shows_expired_on_request(dataset):
    client = Client()
    body = client.get(reverse("policies:library"), {"industry": "C3630"}).content.decode()
    assert "海洋食品产业扶持" not in body and "小微企业减负" in body
    body = client.get(reverse("policies:library"), {"in_force": "expired"}).content.decode()
    assert "已到期的普惠政策" in body and "小微企业减负" not in body


def test_the_library_search_box_uses_the_full_text_index(dataset):
    body = Client().get(reverse("policies:library"), {"q": "研发"}).content.decode()
    assert "研发投入后补助".replace("研发", "<mark>研发</mark>") in body
    assert "小微企业减负" not in body


def test_the_detail_page_puts_the_criteria_in_words(dataset):
    response = Client().get(reverse("policies:detail", args=["T-NEAR"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "研发投入占比不低于" in body and "5%" in body
    assert "登录</a>后查看本企业是否符合" in body
    assert Client().get(reverse("policies:detail", args=["NOPE"])).status_code == 404


def test_a_signed_in_enterprise_sees_whether_it_qualifies_on_the_detail_page(
    dataset, client_for, make_user
):
    client = client_for(make_user(dataset["seafood"]))
    body = client.get(reverse("policies:detail", args=["T-NEAR"])).content.decode()
    assert "暂不符合本政策" in body
    assert "研发投入占比3.5%，低于要求的5%（差1.5个百分点）" in body


def test_the_calculator_shows_what_a_typed_in_profile_qualifies_for(dataset):
    response = Client().get(
        reverse("policies:calculator"),
        {"scale": "small", "industry": "C1361", "region_name": "俚岛镇", "employees": "60",
         "registered_capital": "600", "revenue": "1500", "founded_on": "2015-01-01",
         "rd_percent": "3.5", "qualifications": ["tech_sme"]},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "海洋食品产业扶持" in body and "俚岛镇海带产业补助" in body
    assert "仅差一项条件" in body and "海洋食品研发攻关" in body


def test_the_calculator_shows_errors_next_to_the_fields(dataset):
    response = Client().get(reverse("policies:calculator"), {"scale": "huge", "industry": "13"})
    assert response.status_code == 400
    assert "行业代码应符合GB/T 4754-2017" in response.content.decode()


def test_the_calculator_is_prefilled_for_a_signed_in_enterprise(dataset, client_for, make_user):
    client = client_for(make_user(dataset["seafood"]))
    body = client.get(reverse("policies:calculator")).content.decode()
    assert 'value="C1361"' in body


def test_the_matches_page_lists_an_enterprises_policies_and_near_misses(
    dataset, client_for, make_user
):
    client = client_for(make_user(dataset["seafood"]))
    body = client.get(reverse("policies:matches")).content.decode()
    assert "符合条件的政策（12）" in body
    assert "仅差一项条件（2）" in body


def test_the_matches_page_requires_signing_in_as_an_enterprise(
    dataset, client_for, department_admin
):
    response = Client().get(reverse("policies:matches"))
    assert response.status_code == 302 and "login" in response["Location"]
    staff = client_for(department_admin).get(reverse("policies:matches"))
    assert staff["Location"] == reverse("policies:calculator")


POST = {
    "code": "GXJ-2026-9",
    "title": "技改设备奖补",
    "published_on": "2026-06-01",
    "body": "正文",
    "industries": "C13, C36",
    "scales": ["small", "medium"],
    "min_employees": "20",
    "max_employees": "300",
    "min_rd_percent": "3",
}


def test_department_staff_write_a_policy_with_criteria_as_separate_fields(
    on_today, client_for, department_admin
):
    response = client_for(department_admin).post(reverse("policies:new"), POST)
    policy = Policy.objects.get(code="GXJ-2026-9")
    assert response.status_code == 302
    assert policy.status == PublicationStatus.DRAFT
    assert policy.issuer == department_admin.department
    assert policy.industries == ["C13", "C36"]
    assert policy.criteria == {
        "scales": ["small", "medium"],
        "min_employees": 20,
        "max_employees": 300,
        "min_rd_ratio": 0.03,
    }


def test_inconsistent_criteria_are_refused_next_to_the_field(
    on_today, client_for, department_admin
):
    bad = {**POST, "min_employees": "400", "industries": "13"}
    response = client_for(department_admin).post(reverse("policies:new"), bad)
    body = response.content.decode()
    assert response.status_code == 400
    assert "不能小于“从业人数不少于（人）”" in body
    assert "行业代码不符合GB/T 4754-2017" in body
    assert not Policy.objects.exists()


def test_a_policy_goes_through_review_before_it_is_public(
    on_today, client_for, department_admin, platform_staff, superuser
):
    author = client_for(department_admin)
    author.post(reverse("policies:new"), POST)
    policy = Policy.objects.get(code="GXJ-2026-9")
    author.post(reverse("policies:action", args=[policy.pk, "submit"]))
    assert Client().get(reverse("policies:detail", args=[policy.code])).status_code == 404
    client_for(superuser).post(reverse("policies:action", args=[policy.pk, "approve"]))
    client_for(superuser).post(reverse("policies:action", args=[policy.pk, "publish"]))
    policy.refresh_from_db()
    assert policy.status == PublicationStatus.PUBLISHED
    assert Client().get(reverse("policies:detail", args=[policy.code])).status_code == 200
    page = author.get(reverse("policies:edit", args=[policy.pk])).content.decode()
    assert "第 1 版" in page and "发布" in page


def test_staff_pages_refuse_enterprise_users_and_other_departments(
    on_today, client_for, department_admin, other_department_admin, enterprise_user
):
    client_for(department_admin).post(reverse("policies:new"), POST)
    policy = Policy.objects.get(code="GXJ-2026-9")
    edit = reverse("policies:edit", args=[policy.pk])
    assert Client().get(edit).status_code == 302
    assert client_for(enterprise_user).get(edit).status_code == 403
    assert client_for(other_department_admin).get(edit).status_code == 404
    other = client_for(other_department_admin)
    assert other.post(reverse("policies:action", args=[policy.pk, "submit"])).status_code == 404
    assert client_for(department_admin).get(reverse("policies:manage")).status_code == 200


def test_the_detail_names_industries_shows_the_summary_once_and_says_who_reviewed(dataset, client):
    from qifu.policies.models import Policy

    policy = Policy.objects.published().exclude(industries=[]).first()
    assert policy is not None
    html = client.get(reverse("policies:detail", args=[policy.code])).content.decode()
    code = policy.industries[0]
    assert f"{code} " in html and "行业代码属于" not in html
    if policy.summary:
        assert html.count(policy.summary) == 1
    assert ">审核</dt>" not in html


def test_the_calculator_offers_industry_names_to_choose_from(client):
    html = client.get(reverse("policies:calculator")).content.decode()
    assert '<datalist id="industry-divisions">' in html
    assert '<option value="C13">C13 农副食品加工业</option>' in html
    response = client.get(
        reverse("policies:calculator"), {"scale": "small", "industry": "C13 农副食品加工业"}
    )
    assert response.status_code == 200
