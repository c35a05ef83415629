from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_profile_shows_the_account_with_a_masked_phone(enterprise_user, client_for):
    response = client_for(enterprise_user).get(reverse("accounts:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert enterprise_user.username in html
    assert "139****0001" in html
    assert enterprise_user.phone not in html
    assert "企业管理员" in html
    assert enterprise_user.enterprise.name in html
    assert reverse("accounts:password_change") in html
    assert reverse("accounts:otp_setup") in html
    assert response["Cache-Control"] == "no-store"


def test_profile_shows_the_department_of_staff(department_admin, client_for):
    html = client_for(department_admin).get(reverse("accounts:profile")).content.decode()
    assert "荣成市工业和信息化局" in html
    assert "部门管理员" in html


def test_profile_needs_sign_in():
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_page_links_to_registration_and_password_recovery():
    html = Client().get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:register") in html
    assert reverse("accounts:password_reset") in html
