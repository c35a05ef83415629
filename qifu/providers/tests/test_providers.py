from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qifu.accounts.models import Role, User
from qifu.accounts.validators import build_credit_code
from qifu.core.workflow import TransitionNotAllowed
from qifu.notifications.models import Notification
from qifu.providers.access import (
    can_review_providers,
    forget_membership,
    is_provider_admin,
    provider_for,
)
from qifu.providers.models import Provider, ProviderKind, ProviderMember, ProviderStatus
from qifu.providers.services import (
    provider_approve,
    provider_member_add,
    provider_member_remove,
    provider_register,
    provider_reject,
    provider_resubmit,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


def pdf(name: str = "营业执照.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def registration(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "威海市商业银行股份有限公司荣成支行",
        "credit_code": build_credit_code(serial=777),
        "kind": ProviderKind.BANK,
        "contact_name": "张晓琳",
        "contact_phone": "0631-7561888",
        "qualification": pdf(),
        "username": "weihai_bank",
        "password": "Bank@2026strong",
        "real_name": "张晓琳",
        "phone": "13963299999",
        "phone_verified": True,
    }
    data.update(overrides)
    return data


def test_registration_creates_a_provider_under_review_and_its_administrator(
    department_admin: User,
) -> None:
    provider = provider_register(**registration())
    assert provider.status == ProviderStatus.SUBMITTED
    admin = User.objects.get(username="weihai_bank")
    assert admin.has_role(Role.PROVIDER)
    assert admin.organisation_name == provider.name
    assert is_provider_admin(admin, provider.pk)
    # Not approved yet: the member acts for nobody.
    assert provider_for(admin) is None
    assert provider.documents.get().content_type == "application/pdf"
    assert provider.events.get().action == "register"
    # The 政策诉求 agency's staff are told there is an application to review.
    assert Notification.objects.filter(user=department_admin).exists()


def test_registration_refuses_a_bad_credit_code_and_a_file_that_is_not_a_document() -> None:
    with pytest.raises(ValidationError) as caught:
        provider_register(
            **registration(
                credit_code="91371082MA3C4R7K2X",
                qualification=SimpleUploadedFile("证照.pdf", b"MZ\x90\x00 not a pdf"),
            )
        )
    errors = caught.value.message_dict
    assert "校验位" in errors["credit_code"][0]
    assert "qualification" in errors
    assert not Provider.objects.exists()


def test_registration_refuses_a_second_application_of_the_same_organisation() -> None:
    provider_register(**registration())
    with pytest.raises(ValidationError) as caught:
        provider_register(**registration(username="another", phone="13963299998", name="别名"))
    assert "已申请入驻" in caught.value.message_dict["credit_code"][0]


def test_staff_approve_and_the_member_then_acts_for_the_provider(department_admin: User) -> None:
    provider = provider_register(**registration())
    admin = User.objects.get(username="weihai_bank")
    provider_approve(provider=provider, actor=department_admin, note="资质齐全")
    forget_membership(admin)
    assert provider_for(admin) == provider
    assert Notification.objects.filter(user=admin).exists()


def test_only_reviewers_approve_and_not_twice(
    department_admin: User, enterprise_user: User, other_department_admin: User
) -> None:
    provider = provider_register(**registration())
    assert not can_review_providers(other_department_admin)
    with pytest.raises(PermissionDenied):
        provider_approve(provider=provider, actor=enterprise_user)
    with pytest.raises(PermissionDenied):
        provider_approve(provider=provider, actor=other_department_admin)
    provider_approve(provider=provider, actor=department_admin)
    with pytest.raises(TransitionNotAllowed):
        provider_approve(provider=provider, actor=department_admin)


def test_rejection_needs_a_reason_and_the_provider_may_apply_again(platform_staff: User) -> None:
    provider = provider_register(**registration())
    admin = User.objects.get(username="weihai_bank")
    with pytest.raises(ValidationError):
        provider_reject(provider=provider, actor=platform_staff, reason="  ")
    provider_reject(provider=provider, actor=platform_staff, reason="许可证已过期")
    provider = provider_resubmit(provider=provider, actor=admin, qualification=pdf("新证.pdf"))
    assert provider.status == ProviderStatus.SUBMITTED
    assert provider.documents.count() == 2


def test_the_administrator_adds_and_removes_members(make_provider: Any) -> None:
    provider, admin = make_provider(kind=ProviderKind.LAW_FIRM)
    member = provider_member_add(
        provider=provider,
        actor=admin,
        username="lawyer2",
        real_name="孙律师",
        password="Lawyer@2026strong",
    )
    assert provider_for(member) == provider
    assert not is_provider_admin(member)
    with pytest.raises(PermissionDenied):
        provider_member_add(
            provider=provider, actor=member, username="x3", real_name="某", password="X@2026strong!"
        )
    provider_member_remove(
        provider=provider, actor=admin, member=ProviderMember.objects.get(user=member)
    )
    member = User.objects.get(pk=member.pk)
    assert not member.is_active
    assert not member.has_role(Role.PROVIDER)


def test_a_member_of_another_provider_cannot_be_removed(make_provider: Any) -> None:
    provider, admin = make_provider()
    _, other_admin = make_provider()
    with pytest.raises(PermissionDenied):
        provider_member_remove(
            provider=provider, actor=admin, member=ProviderMember.objects.get(user=other_admin)
        )


# --- pages ---------------------------------------------------------------------------------------


def test_the_registration_page_shows_chinese_errors_next_to_the_fields(client: Any) -> None:
    response = client.post(
        reverse("providers:register"),
        {"name": "某\x00机构", "credit_code": "123", "kind": "bank", "password": "x"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "统一社会信用代码" in text and "is-invalid" in text
    assert not Provider.objects.exists()


def test_the_registration_page_registers_with_an_sms_code(
    client: Any, department_admin: User
) -> None:
    import re

    from qifu.notifications.sms import MemoryBackend

    data = registration()
    data.pop("phone_verified")
    url = reverse("providers:register")
    # Without a valid code nothing is looked up (no enumeration of names or phones).
    response = client.post(url, {**data, "code": "000000"})
    assert response.status_code == 400 and not Provider.objects.exists()
    assert client.post(url, {"action": "send_code", "phone": data["phone"]}).status_code == 200
    code = re.search(r"\d{6}", MemoryBackend.outbox[-1].text).group(0)  # type: ignore[union-attr]
    data["qualification"] = pdf()
    response = client.post(url, {**data, "code": code})
    assert response.status_code == 302
    assert Provider.objects.get().status == ProviderStatus.SUBMITTED


def test_without_a_code_a_taken_name_is_not_revealed(client: Any) -> None:
    provider_register(**registration())
    data = registration(username="other", phone="13963299998")
    data.pop("phone_verified")
    response = client.post(reverse("providers:register"), {**data, "code": "123456"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "已申请入驻" not in text and "已被使用" not in text


def test_review_pages_are_for_reviewers_only(
    client_for: Any, department_admin: User, enterprise_user: User, make_provider: Any
) -> None:
    provider, provider_user = make_provider(status=ProviderStatus.SUBMITTED)
    assert client_for(enterprise_user).get(reverse("providers:review")).status_code == 403
    assert client_for(provider_user).get(reverse("providers:review")).status_code == 403
    staff = client_for(department_admin)
    assert provider.name in staff.get(reverse("providers:review")).content.decode()
    response = staff.post(reverse("providers:review_act", args=[provider.pk, "approve"]))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.APPROVED
    # A second click does not act twice.
    staff.post(reverse("providers:review_act", args=[provider.pk, "approve"]))
    assert provider.events.filter(action="approve").count() == 1


def test_a_provider_sees_its_own_page_and_documents_not_anothers(
    client_for: Any, make_provider: Any, enterprise_user: User
) -> None:
    provider, admin = make_provider()
    other, other_admin = make_provider()
    from qifu.providers.services import _store_document

    _store_document(provider=other, upload=pdf(), uploaded_by=other_admin)
    document = other.documents.get()
    assert provider.name in client_for(admin).get(reverse("providers:mine")).content.decode()
    assert (
        client_for(admin).get(reverse("providers:document", args=[document.pk])).status_code == 404
    )
    assert (
        client_for(other_admin).get(reverse("providers:document", args=[document.pk])).status_code
        == 200
    )
    assert client_for(enterprise_user).get(reverse("providers:mine")).status_code == 403


def test_the_administrator_adds_a_member_on_the_page(client_for: Any, make_provider: Any) -> None:
    provider, admin = make_provider()
    response = client_for(admin).post(
        reverse("providers:member_add"),
        {"real_name": "林佳", "username": "linjia", "password": "Qifu#Member2026x"},
    )
    assert response.status_code == 302
    assert provider.members.count() == 2
    response = client_for(admin).post(
        reverse("providers:member_add"),
        {"real_name": "林佳", "username": "linjia", "password": "Qifu#Member2026x"},
    )
    assert response.status_code == 400
    assert "已被使用" in response.content.decode()


def test_the_directory_lists_approved_providers_only(client: Any, make_provider: Any) -> None:
    approved, _ = make_provider(name="已入驻银行")
    make_provider(name="审核中银行", status=ProviderStatus.SUBMITTED)
    text = client.get(reverse("providers:directory")).content.decode()
    assert approved.name in text
    assert "审核中银行" not in text


def test_the_api_lists_approved_providers_and_tells_a_member_its_own(
    client: Any, api_client_for: Any, make_provider: Any, enterprise_user: User
) -> None:
    provider, admin = make_provider(name="API银行")
    make_provider(name="待审银行", status=ProviderStatus.SUBMITTED)
    names = [p["name"] for p in client.get("/api/v1/providers").json()["items"]]
    assert names == ["API银行"]
    me = api_client_for(admin).get("/api/v1/providers/me").json()
    assert me["id"] == provider.pk and me["is_admin"] is True
    assert api_client_for(enterprise_user).get("/api/v1/providers/me").status_code == 404
