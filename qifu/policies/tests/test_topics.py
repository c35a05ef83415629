from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from qifu.policies.extras.services import topic_create, topic_update
from qifu.policies.models import Topic
from qifu.policies.tests.extras_helpers import publish, published_policy
from qifu.publishing import services as publishing
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def policies(department_admin, superuser):
    return [
        published_policy(department_admin, superuser, code=f"ZJTX-{n}", title=f"专精特新{n}号")
        for n in range(1, 4)
    ]


def _topic(author, codes):
    return topic_create(
        author=author, title="专精特新政策专题", summary="一站看全", policy_codes=codes
    )


def test_a_topic_lists_its_published_policies_in_order(department_admin, superuser, policies):
    topic = publish(_topic(department_admin, ["ZJTX-3", "ZJTX-1", "ZJTX-2"]), superuser)
    publishing.publication_withdraw(item=policies[1], actor=superuser)
    body = Client().get(reverse("policies:topic_detail", args=[topic.pk])).content.decode()
    assert body.index("专精特新3号") < body.index("专精特新1号")
    assert "专精特新2号" not in body
    assert "专精特新政策专题" in Client().get(reverse("policies:topics")).content.decode()


def test_a_draft_topic_is_not_found(department_admin, policies):
    topic = _topic(department_admin, ["ZJTX-1"])
    assert Client().get(reverse("policies:topic_detail", args=[topic.pk])).status_code == 404
    assert "专精特新政策专题" not in Client().get(reverse("policies:topics")).content.decode()


def test_unknown_policy_codes_are_refused(department_admin, policies):
    with pytest.raises(ValidationError) as exc:
        _topic(department_admin, ["ZJTX-1", "NOPE"])
    assert "NOPE" in str(exc.value.message_dict["policy_codes"])
    assert not Topic.objects.exists()


def test_reordering_the_policies_is_a_new_revision_reviewed_again(
    department_admin, superuser, policies
):
    topic = publish(_topic(department_admin, ["ZJTX-1", "ZJTX-2"]), superuser)
    same = topic_update(topic=topic, actor=department_admin, policy_codes=["ZJTX-1", "ZJTX-2"])
    assert same.revision == topic.revision
    moved = topic_update(topic=topic, actor=department_admin, policy_codes=["ZJTX-2", "ZJTX-1"])
    assert moved.revision == topic.revision + 1
    assert moved.status == PublicationStatus.SUBMITTED
    assert Topic.objects.get().policy_codes == ["ZJTX-2", "ZJTX-1"]


def test_staff_edit_the_policy_list_on_the_page(department_admin, client_for, policies):
    client = client_for(department_admin)
    response = client.post(
        reverse("policies:extra_new", args=["topics"]),
        {"title": "惠企专题", "summary": "", "policy_codes": "ZJTX-2\nZJTX-1\n"},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and topic.policy_codes == ["ZJTX-2", "ZJTX-1"]
    page = client.get(reverse("policies:extra_edit", args=["topics", topic.pk])).content.decode()
    assert "ZJTX-2\nZJTX-1" in page
    response = client.post(
        reverse("policies:extra_edit", args=["topics", topic.pk]),
        {"title": "惠企专题", "summary": "", "policy_codes": "ZJTX-9"},
    )
    assert response.status_code == 400 and "未找到政策编码：ZJTX-9" in response.content.decode()


def test_staff_pages_of_topics_refuse_strangers(
    department_admin, other_department_admin, enterprise_user, client_for, policies
):
    topic = _topic(department_admin, ["ZJTX-1"])
    edit = reverse("policies:extra_edit", args=["topics", topic.pk])
    assert "login" in Client().get(edit)["Location"]
    assert client_for(enterprise_user).get(edit).status_code == 403
    assert client_for(other_department_admin).get(edit).status_code == 404


def test_the_topic_pages_run_a_bounded_number_of_queries(
    department_admin, superuser, policies, django_assert_max_num_queries
):
    topic = publish(_topic(department_admin, ["ZJTX-1", "ZJTX-2", "ZJTX-3"]), superuser)
    with django_assert_max_num_queries(6):
        Client().get(reverse("policies:topic_detail", args=[topic.pk]))
    with django_assert_max_num_queries(6):
        Client().get(reverse("policies:topics"))
