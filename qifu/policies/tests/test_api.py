from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SEAFOOD = "913710820000056A4N"


def test_the_library_is_public_and_lists_policies_in_force_with_their_issuer(dataset):
    response = Client().get("/api/v1/policies", {"limit": 50})
    assert response.status_code == 200
    body = response.json()
    codes = [item["code"] for item in body["items"]]
    assert "T-EXPIRED" not in codes and "T-LASTDAY" in codes
    item = next(i for i in body["items"] if i["code"] == "T-IND")
    assert item["issuer"] == "荣成市工业和信息化局"
    assert {"title", "published_on", "expires_on", "summary", "tags", "is_auto_grant"} <= set(item)


def test_the_library_filters_by_industry_prefix_issuer_and_expiry(dataset):
    client = Client()
    industry = client.get("/api/v1/policies", {"industry": "C1361", "limit": 50}).json()
    codes = {i["code"] for i in industry["items"]}
    assert {"T-IND", "T-NEAR", "T-SCALE"} <= codes  # C13 covers C1361; empty means any
    wrong = client.get("/api/v1/policies", {"industry": "C3630", "limit": 50}).json()
    assert "T-IND" not in {i["code"] for i in wrong["items"]}
    expired = client.get("/api/v1/policies", {"in_force": "false"}).json()
    assert [i["code"] for i in expired["items"]] == ["T-EXPIRED"]
    nobody = client.get("/api/v1/policies", {"issuer": "不存在的部门"}).json()
    assert nobody["count"] == 0
    by_code = client.get("/api/v1/policies", {"issuer": "gxj", "limit": 1}).json()
    assert by_code["count"] == 14


def test_the_library_searches_with_q_through_the_full_text_index_kept_by_the_import(dataset):
    body = Client().get("/api/v1/policies", {"q": "研发"}).json()
    assert {i["code"] for i in body["items"]} == {"T-RD", "T-NEAR"}


def test_a_policy_detail_has_body_criteria_and_industries(dataset):
    body = Client().get("/api/v1/policies/T-NEAR").json()
    assert body["criteria"] == {"scales": ["small"], "min_rd_ratio": 0.05}
    assert body["industries"] == ["C13"]
    assert {"label": "企业规模", "requirement": "小型企业"} in body["criteria_text"]
    assert Client().get("/api/v1/policies/NOPE").status_code == 404


def test_an_enterprise_user_sees_its_own_matches_with_reasons(dataset, api_client_for, make_user):
    user = make_user(dataset["seafood"])
    response = api_client_for(user).get("/api/v1/policies/matches", {"enterprise": SEAFOOD})
    assert response.status_code == 200
    first = response.json()[0]
    assert set(first) == {"policy", "score", "reasons"}
    assert set(first["policy"]) == {"code", "title"} and first["score"] == 100
    assert {"criterion", "met", "text"} == set(first["reasons"][0])


def test_another_enterprises_matches_are_not_found(dataset, api_client_for, make_user):
    user = make_user(dataset["rv"])
    response = api_client_for(user).get("/api/v1/policies/matches", {"enterprise": SEAFOOD})
    assert response.status_code == 404


def test_government_staff_may_ask_for_any_enterprises_matches_and_near_misses(
    dataset, api_client_for, department_admin
):
    client = api_client_for(department_admin)
    assert client.get("/api/v1/policies/matches", {"enterprise": SEAFOOD}).status_code == 200
    near = client.get("/api/v1/policies/near-misses", {"enterprise": SEAFOOD}).json()
    assert {n["policy"]["code"] for n in near} == {"T-QALL", "T-NEAR"}
    assert all(len(n["missing"]) == 1 for n in near)


def test_matches_require_signing_in(dataset):
    response = Client().get("/api/v1/policies/matches", {"enterprise": SEAFOOD})
    assert response.status_code == 401
