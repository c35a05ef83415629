from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qifu.policies.extras.services import interpretation_create, interpretation_update
from qifu.policies.models import Interpretation, InterpretationKind
from qifu.policies.tests.extras_helpers import publish, published_policy
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db


def _real_png() -> bytes:
    # A real image: uploads are re-encoded (metadata scrub), so magic bytes alone are refused.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


PNG = _real_png()
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def policy(department_admin, superuser):
    return published_policy(department_admin, superuser, code="P-1", title="海洋产业扶持")


def _text(author, policy, **kw):
    values = {
        "policy": policy,
        "kind": InterpretationKind.TEXT,
        "title": "一图读懂",
        "body": "要点",
    }
    values.update(kw)
    return interpretation_create(author=author, **values)


def test_an_interpretation_is_public_only_once_published(department_admin, superuser, policy):
    item = _text(department_admin, policy, body="<p>要点<script>alert(1)</script></p>")
    assert item.body == "<p>要点</p>"
    url = reverse("policies:interpretation_detail", args=[item.pk])
    assert Client().get(url).status_code == 404
    assert "一图读懂" not in Client().get(reverse("policies:interpretations")).content.decode()
    publish(item, superuser)
    assert Client().get(url).status_code == 200
    assert "一图读懂" in Client().get(reverse("policies:interpretations")).content.decode()
    detail = Client().get(reverse("policies:detail", args=[policy.code])).content.decode()
    assert url in detail


def test_the_kind_decides_what_is_required(department_admin, policy):
    with pytest.raises(ValidationError) as exc:
        _text(department_admin, policy, kind=InterpretationKind.GRAPHIC, body="")
    assert "image" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _text(department_admin, policy, kind=InterpretationKind.VIDEO, video_url="")
    assert "video_url" in exc.value.message_dict


def test_video_links_must_be_http_or_https(department_admin, policy):
    with pytest.raises(ValidationError) as exc:
        _text(
            department_admin, policy, kind=InterpretationKind.VIDEO, video_url="javascript:alert(1)"
        )
    assert "video_url" in exc.value.message_dict
    item = _text(
        department_admin, policy, kind=InterpretationKind.VIDEO, video_url="https://v.example.cn/1"
    )
    assert item.video_url == "https://v.example.cn/1"


def test_a_graphic_needs_an_image_by_its_content(department_admin, superuser, policy):
    with pytest.raises(ValidationError) as exc:
        _text(
            department_admin,
            policy,
            kind=InterpretationKind.GRAPHIC,
            image=SimpleUploadedFile("图解.png", PDF, content_type="image/png"),
        )
    assert "image" in exc.value.message_dict
    item = _text(
        department_admin,
        policy,
        kind=InterpretationKind.GRAPHIC,
        image=SimpleUploadedFile("图解.png", PNG, content_type="image/png"),
    )
    assert item.image.name.endswith(".png") and "图解" not in item.image.name
    image_url = reverse("policies:interpretation_image", args=[item.pk])
    assert Client().get(image_url).status_code == 404
    publish(item, superuser)
    response = Client().get(image_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_editing_a_published_interpretation_sends_it_back_to_review(
    department_admin, superuser, policy
):
    item = publish(_text(department_admin, policy), superuser)
    updated = interpretation_update(interpretation=item, actor=department_admin, title="新标题")
    assert updated.status == PublicationStatus.SUBMITTED
    url = reverse("policies:interpretation_detail", args=[item.pk])
    assert Client().get(url).status_code == 404


def test_staff_write_and_submit_through_the_pages(department_admin, client_for, policy):
    client = client_for(department_admin)
    response = client.post(
        reverse("policies:extra_new", args=["interpretations"]),
        {"policy": policy.code, "kind": "text", "title": "政策问答", "body": "问：谁能申请？"},
    )
    item = Interpretation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policies:extra_edit", args=["interpretations", item.pk])
    page = client.get(response["Location"]).content.decode()
    assert "政策问答" in page and "提交审核" in page
    client.post(reverse("policies:extra_action", args=["interpretations", item.pk, "submit"]))
    item.refresh_from_db()
    assert item.status == PublicationStatus.SUBMITTED


def test_the_staff_form_shows_errors_next_to_the_field(department_admin, client_for):
    response = client_for(department_admin).post(
        reverse("policies:extra_new", args=["interpretations"]),
        {"policy": "NOPE", "kind": "text", "title": "", "body": "x"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "未找到该政策编码。" in body and "请填写标题。" in body


def test_staff_pages_refuse_strangers(
    department_admin, other_department_admin, enterprise_user, client_for, policy
):
    item = _text(department_admin, policy)
    edit = reverse("policies:extra_edit", args=["interpretations", item.pk])
    assert "login" in Client().get(edit)["Location"]
    assert client_for(enterprise_user).get(edit).status_code == 403
    assert client_for(other_department_admin).get(edit).status_code == 404
    manage = reverse("policies:extra_manage", args=["interpretations"])
    assert "一图读懂" not in client_for(other_department_admin).get(manage).content.decode()
    assert "一图读懂" in client_for(department_admin).get(manage).content.decode()
    assert (
        client_for(department_admin)
        .get(reverse("policies:extra_manage", args=["nope"]))
        .status_code
        == 404
    )


def test_the_public_list_runs_a_bounded_number_of_queries(
    department_admin, superuser, policy, django_assert_max_num_queries
):
    for n in range(5):
        publish(_text(department_admin, policy, title=f"解读{n}"), superuser)
    with django_assert_max_num_queries(6):
        response = Client().get(reverse("policies:interpretations"))
    assert response.content.decode().count("解读") >= 5


@pytest.mark.parametrize("kind", ["interpretations", "topics", "lectures"])
def test_every_staff_form_and_list_opens_for_department_staff(kind, department_admin, client_for):
    client = client_for(department_admin)
    assert client.get(reverse("policies:extra_new", args=[kind])).status_code == 200
    assert client.get(reverse("policies:extra_manage", args=[kind])).status_code == 200
    assert (
        reverse("policies:extra_manage", args=[kind])
        in client.get(reverse("policies:manage")).content.decode()
    )


def test_a_reviewer_returns_an_interpretation_only_with_a_reason(
    department_admin, superuser, client_for, policy
):
    item = _text(department_admin, policy)
    client_for(department_admin).post(
        reverse("policies:extra_action", args=["interpretations", item.pk, "submit"])
    )
    url = reverse("policies:extra_action", args=["interpretations", item.pk, "return"])
    response = client_for(superuser).post(url, {"reason": ""})
    assert response.status_code == 400 and "请填写退回原因。" in response.content.decode()
    client_for(superuser).post(url, {"reason": "请补充申报时间"})
    item.refresh_from_db()
    assert item.status == PublicationStatus.RETURNED and item.review_comment == "请补充申报时间"
    response = client_for(department_admin).post(
        reverse("policies:extra_action", args=["interpretations", item.pk, "approve"])
    )
    item.refresh_from_db()
    assert response.status_code == 302 and item.status == PublicationStatus.RETURNED
