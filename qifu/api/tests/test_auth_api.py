import pytest
from django.test import Client


@pytest.mark.django_db
def test_token_then_me_shows_enterprise(enterprise_user):
    client = Client()
    resp = client.post(
        "/api/v1/auth/token",
        {"username": "qiye_t", "password": "Test@2026pw"},
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content
    token = resp.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["username"] == "qiye_t"
    assert me["enterprise"]["credit_code"] == enterprise_user.enterprise.credit_code
    assert me["department"] is None
    assert "enterprise_admin" in me["roles"]


@pytest.mark.django_db
def test_me_without_token_is_401():
    resp = Client().get("/api/v1/me")
    assert resp.status_code == 401
    assert "detail" in resp.json()


@pytest.mark.django_db
def test_token_with_missing_field_is_400_field_by_field():
    resp = Client().post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert resp.status_code == 400
    assert "password" in resp.json()["detail"]
