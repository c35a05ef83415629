from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qifu.matters import services
from qifu.matters.models import ELicence, HandlingMode, LifeStage, MatterApplication, Status
from qifu.matters.tests.conftest import make_matter, pdf

pytestmark = pytest.mark.django_db


def _apply(user: Any, matter: Any) -> MatterApplication:
    return services.matter_application_apply(
        user=user, matter=matter, contact_name="张三", contact_phone="139", files=[pdf()]
    )


# --- the catalogue -----------------------------------------------------------------------------


def test_catalogue_groups_matters_by_life_stage_in_lifecycle_order(
    client: Any, department: Any
) -> None:
    make_matter(department, code="ZX-001", name="企业简易注销登记", life_stage=LifeStage.CLOSE)
    make_matter(department, code="SL-001", name="企业设立登记", life_stage=LifeStage.START)
    make_matter(department, code="OFF-001", name="已停用事项", is_active=False)

    response = client.get(reverse("matters:catalogue"))

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g[1], [m.name for m in g[2]]) for g in groups] == [
        ("开办", ["企业设立登记"]),
        ("注销", ["企业简易注销登记"]),
    ]
    assert "已停用事项" not in response.content.decode()


def test_catalogue_search_matches_every_word_of_the_query(client: Any, department: Any) -> None:
    make_matter(department, code="SP-001", name="食品生产许可", conditions="")
    make_matter(department, code="PW-001", name="排污许可证核发", conditions="")
    make_matter(department, code="SP-002", name="食品经营许可", conditions="")

    response = client.get(reverse("matters:catalogue"), {"q": "食品生产的许可"})
    names = [m.name for g in response.context["groups"] for m in g[2]]

    assert names == ["食品生产许可"]


def test_catalogue_search_also_finds_by_department_name(client: Any, department: Any) -> None:
    make_matter(department, code="SP-001", name="食品生产许可")

    response = client.get(reverse("matters:catalogue"), {"q": "工业和信息化局"})

    assert response.context["count"] == 1


def test_catalogue_filters_by_life_stage(client: Any, department: Any) -> None:
    make_matter(department, code="A-1", name="企业设立登记", life_stage=LifeStage.START)
    make_matter(department, code="A-2", name="施工许可", life_stage=LifeStage.CONSTRUCT)

    response = client.get(reverse("matters:catalogue"), {"stage": "construct"})

    assert response.context["count"] == 1


def test_catalogue_runs_a_bounded_number_of_queries(
    client: Any, department: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        make_matter(department, code=f"M-{i}", name=f"事项{i}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("matters:catalogue"))
    assert response.context["count"] == 30


def test_guide_page_shows_conditions_materials_and_limits(client: Any, matter: Any) -> None:
    response = client.get(reverse("matters:detail", args=[matter.code]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "生产场所平面图" in body
    assert "20个工作日" in body
    assert reverse("matters:apply", args=[matter.code]) in body


def test_guide_of_an_inactive_matter_is_not_found(client: Any, department: Any) -> None:
    make_matter(department, code="OFF-1", is_active=False)
    assert client.get(reverse("matters:detail", args=["OFF-1"])).status_code == 404


# --- the whole path ----------------------------------------------------------------------------


def test_enterprise_applies_department_approves_and_the_licence_appears_in_mine(
    client_for: Any, enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    company = client_for(enterprise_user)
    response = company.post(
        reverse("matters:apply", args=[matter.code]),
        {"contact_name": "张三", "contact_phone": "13900000001", "materials": [pdf()]},
    )
    application = MatterApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("matters:application", args=[application.pk])
    assert application.status == Status.SUBMITTED

    handler = client_for(department_admin)
    assert application.number in handler.get(reverse("matters:inbox")).content.decode()
    handler.post(reverse("matters:act", args=[application.pk, "accept"]))
    response = handler.post(
        reverse("matters:act", args=[application.pk, "approve"]), {"approve-note": "准予许可"}
    )
    assert response.status_code == 302

    licence = ELicence.objects.get()
    body = company.get(reverse("matters:mine")).content.decode()
    assert licence.number in body
    assert "食品生产许可证" in body
    detail = company.get(reverse("matters:application", args=[application.pk])).content.decode()
    assert "核发电子证照" in detail


def test_apply_form_shows_attachment_errors_next_to_the_field(
    client_for: Any, enterprise_user: Any, matter: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.pdf", b"plain text", "application/pdf")
    response = client_for(enterprise_user).post(
        reverse("matters:apply", args=[matter.code]),
        {"contact_name": "张三", "contact_phone": "139", "materials": [fake]},
    )
    assert response.status_code == 200
    assert "id_materials_error" in response.content.decode()
    assert not MatterApplication.objects.exists()


def test_supplement_and_resubmission_through_the_pages(
    client_for: Any, enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    handler = client_for(department_admin)
    response = handler.post(
        reverse("matters:act", args=[application.pk, "supplement"]), {"supplement-reason": ""}
    )
    assert response.status_code == 400
    assert "id_supplement-reason_error" in response.content.decode()

    handler.post(
        reverse("matters:act", args=[application.pk, "supplement"]),
        {"supplement-reason": "请补充生产场所平面图"},
    )
    application.refresh_from_db()
    assert application.status == Status.SUPPLEMENT

    company = client_for(enterprise_user)
    assert (
        "请补充生产场所平面图"
        in company.get(reverse("matters:application", args=[application.pk])).content.decode()
    )
    response = company.post(
        reverse("matters:act", args=[application.pk, "resubmit"]),
        {"resubmit-note": "已补充", "resubmit-materials": [pdf("平面图.pdf")]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_acting_twice_shows_a_message_instead_of_an_error(
    client_for: Any, enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    handler = client_for(department_admin)
    handler.post(reverse("matters:act", args=[application.pk, "accept"]))
    response = handler.post(reverse("matters:act", args=[application.pk, "accept"]), follow=True)
    assert "不能执行" in response.content.decode()


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["matters:mine", "matters:inbox"])
def test_anonymous_visitors_are_sent_to_login(client: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_apply_is_sent_to_login(client: Any, matter: Any) -> None:
    response = client.get(reverse("matters:apply", args=[matter.code]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_enterprise_gets_404_on_an_application(
    client_for: Any, enterprise_user: Any, other_enterprise_user: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    other = client_for(other_enterprise_user)
    assert other.get(reverse("matters:application", args=[application.pk])).status_code == 404
    response = other.post(reverse("matters:act", args=[application.pk, "resubmit"]))
    assert response.status_code == 404
    material = application.attachments.get()
    assert other.get(reverse("matters:material", args=[material.pk])).status_code == 404


def test_another_department_gets_404_and_cannot_act(
    client_for: Any, enterprise_user: Any, other_department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    other = client_for(other_department_admin)
    assert other.get(reverse("matters:application", args=[application.pk])).status_code == 404
    assert other.post(reverse("matters:act", args=[application.pk, "accept"])).status_code == 404
    assert application.number not in other.get(reverse("matters:inbox")).content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_enterprise_on_department_pages_is_forbidden(
    client_for: Any, enterprise_user: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    company = client_for(enterprise_user)
    assert company.get(reverse("matters:inbox")).status_code == 403
    assert company.post(reverse("matters:act", args=[application.pk, "accept"])).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_department_users_have_no_enterprise_pages(
    client_for: Any, department_admin: Any, matter: Any
) -> None:
    handler = client_for(department_admin)
    assert handler.get(reverse("matters:mine"))["Location"] == reverse("matters:inbox")
    assert handler.get(reverse("matters:apply", args=[matter.code])).status_code == 403


def test_offline_matters_redirect_to_the_guide_instead_of_a_form(
    client_for: Any, enterprise_user: Any, department: Any
) -> None:
    matter = make_matter(department, code="OFF-2", handling_mode=HandlingMode.OFFLINE)
    response = client_for(enterprise_user).get(reverse("matters:apply", args=[matter.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("matters:detail", args=[matter.code])


def test_material_download_for_the_owner(
    client_for: Any, enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    material = application.attachments.get()
    for user in (enterprise_user, department_admin):
        response = client_for(user).get(reverse("matters:material", args=[material.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


# --- bounded lists -----------------------------------------------------------------------------


def test_mine_and_inbox_run_a_bounded_number_of_queries(
    client_for: Any,
    enterprise_user: Any,
    department_admin: Any,
    matter: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(8):
        application = _apply(enterprise_user, matter)
        services.matter_application_accept(user=department_admin, application=application)
        services.matter_application_approve(user=department_admin, application=application)
    company = client_for(enterprise_user)
    handler = client_for(department_admin)
    with django_assert_max_num_queries(12):
        response = company.get(reverse("matters:mine"))
    assert len(response.context["licences"]) == 8
    with django_assert_max_num_queries(12):
        response = handler.get(reverse("matters:inbox"))
    assert len(response.context["rows"]) == 8


def test_an_external_matter_leads_the_enterprise_into_the_connector(
    client_for: Any, client: Any, enterprise_user: Any, department: Any
) -> None:
    matter = make_matter(
        department,
        code="SL-009",
        handling_mode=HandlingMode.EXTERNAL,
        connector_code="yichuangtong",
    )
    url = reverse("matters:detail", args=[matter.code])
    page = client_for(enterprise_user).get(url).content.decode()
    assert "/connectors/yichuangtong/enter/?matter=SL-009" in page
    assert "登录后进入办理" in client.get(url).content.decode()
