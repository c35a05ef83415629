from __future__ import annotations

import pytest
from django.urls import reverse

from qifu.accounts.models import ApiToken, Role, RoleGrant
from qifu.accounts.services import api_token_issue
from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _inline(prefix: str, rows: list[dict[str, str]], initial: int) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def _user_change_data(user, rows, initial):
    return {
        "username": user.username,
        "real_name": user.real_name,
        "phone": user.phone or "",
        "email": "",
        "organisation_name": "",
        "enterprise": user.enterprise_id or "",
        "department": user.department_id or "",
        "is_active": "on",
        **_inline("role_grants", rows, initial),
    }


def test_the_user_list_masks_phones(superuser, enterprise_user, client_for):
    html = client_for(superuser).get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "139****0001" in html
    assert enterprise_user.phone not in html


def test_granting_a_role_in_the_admin_is_audited(superuser, platform_staff, client_for):
    grant = platform_staff.role_grants.get()
    rows = [
        {"id": str(grant.pk), "user": str(platform_staff.pk), "role": Role.PLATFORM_STAFF},
        {"id": "", "user": str(platform_staff.pk), "role": Role.SUPERVISOR},
    ]
    url = reverse("admin:accounts_user_change", args=[platform_staff.pk])
    response = client_for(superuser).post(url, _user_change_data(platform_staff, rows, 1))
    assert response.status_code == 302, response.context["errors"]
    assert set(platform_staff.role_grants.values_list("role", flat=True)) == {
        Role.PLATFORM_STAFF,
        Role.SUPERVISOR,
    }
    event = AuditEvent.objects.get(action="accounts.role.grant", data__role=Role.SUPERVISOR)
    assert event.actor == superuser
    assert event.object_id == str(platform_staff.pk)


def test_revoking_a_role_in_the_admin_is_audited(superuser, platform_staff, client_for):
    grant = platform_staff.role_grants.get()
    rows = [
        {
            "id": str(grant.pk),
            "user": str(platform_staff.pk),
            "role": Role.PLATFORM_STAFF,
            "DELETE": "on",
        }
    ]
    url = reverse("admin:accounts_user_change", args=[platform_staff.pk])
    client_for(superuser).post(url, _user_change_data(platform_staff, rows, 1))
    assert not platform_staff.role_grants.exists()
    assert AuditEvent.objects.filter(action="accounts.role.revoke", actor=superuser).exists()


def test_a_second_department_admin_is_refused(
    superuser, department_admin, platform_staff, client_for
):
    from qifu.accounts.models import User

    colleague = User.objects.create(username="colleague", department=department_admin.department)
    rows = [{"id": "", "user": str(colleague.pk), "role": Role.DEPARTMENT_ADMIN}]
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    response = client_for(superuser).post(url, _user_change_data(colleague, rows, 0), follow=True)
    assert "每个部门只能有一名" in response.content.decode()
    assert not RoleGrant.objects.filter(user=colleague).exists()


def test_disabling_a_user_in_the_admin_revokes_tokens_and_is_audited(
    superuser, enterprise_user, client_for
):
    api_token_issue(user=enterprise_user)
    data = _user_change_data(enterprise_user, [], 0)
    grant = enterprise_user.role_grants.get()
    data.update(
        _inline(
            "role_grants",
            [{"id": str(grant.pk), "user": str(enterprise_user.pk), "role": grant.role}],
            1,
        )
    )
    del data["is_active"]
    url = reverse("admin:accounts_user_change", args=[enterprise_user.pk])
    response = client_for(superuser).post(url, data)
    assert response.status_code == 302
    enterprise_user.refresh_from_db()
    assert not enterprise_user.is_active
    assert not ApiToken.objects.filter(user=enterprise_user, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="accounts.user.disable", actor=superuser).exists()


def test_enterprises_are_searchable_by_credit_code_and_filterable(
    superuser, enterprise, other_enterprise, client_for
):
    client = client_for(superuser)
    url = reverse("admin:accounts_enterprise_changelist")
    html = client.get(url, {"q": enterprise.credit_code}).content.decode()
    assert enterprise.name in html and other_enterprise.name not in html
    response = client.get(url, {"scale": "small", "industry_section": "C"})
    assert response.status_code == 200
    assert client.get(reverse("admin:accounts_department_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_rolegrant_changelist")).status_code == 200


def test_the_admin_is_closed_to_enterprise_users(enterprise_user, client_for):
    response = client_for(enterprise_user).get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302


def test_the_role_grant_admin_refuses_a_second_department_admin_next_to_the_role(
    superuser, department_admin, client_for
):
    from qifu.accounts.models import User

    colleague = User.objects.create(username="colleague", department=department_admin.department)
    response = client_for(superuser).post(
        reverse("admin:accounts_rolegrant_add"),
        {"user": str(colleague.pk), "role": Role.DEPARTMENT_ADMIN},
    )
    assert response.status_code == 200
    assert "每个部门只能有一名" in str(response.context["adminform"].form.errors["role"])
    assert not RoleGrant.objects.filter(user=colleague).exists()


def test_the_role_grant_admin_grants_through_the_service(superuser, platform_staff, client_for):
    response = client_for(superuser).post(
        reverse("admin:accounts_rolegrant_add"),
        {"user": str(platform_staff.pk), "role": Role.LIAISON},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=platform_staff, role=Role.LIAISON)
    assert grant.department == platform_staff.department
    assert grant.granted_by == superuser
    assert AuditEvent.objects.filter(action="accounts.role.grant", data__role=Role.LIAISON).exists()
