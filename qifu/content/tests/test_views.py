"""工作动态 pages: the public site shows only published notices; staff write and review."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qifu.content.models import Notice
from qifu.content.services import notice_update
from qifu.publishing.models import PublicationStatus as S
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_return,
    publication_submit,
    publication_withdraw,
)


def _publish(notice: Notice, reviewer: Any) -> Notice:
    notice = publication_submit(item=notice, actor=notice.created_by)
    notice = publication_approve(item=notice, actor=reviewer)
    return publication_publish(item=notice, actor=notice.created_by)


# --- Public pages -----------------------------------------------------------------------------


def test_the_public_list_shows_only_published_notices_newest_first(
    client: Client, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    older = _publish(make_notice(title="较早的动态"), platform_staff)
    newer = _publish(make_notice(title="最新的动态"), platform_staff)
    make_notice(title="还是草稿")
    publication_submit(item=make_notice(title="等待审核"), actor=department_admin)
    withdrawn = _publish(make_notice(title="已经撤回"), platform_staff)
    publication_withdraw(item=withdrawn, actor=department_admin)

    response = client.get(reverse("content:news"))

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"]] == [newer.pk, older.pk]
    html = response.content.decode()
    assert "还是草稿" not in html
    assert "等待审核" not in html
    assert "已经撤回" not in html


def test_the_public_list_filters_by_kind(
    client: Client, make_notice: Any, platform_staff: Any
) -> None:
    _publish(make_notice(kind="case", title="优秀案例一则"), platform_staff)
    _publish(make_notice(kind="announcement", title="一则公告"), platform_staff)

    response = client.get(reverse("content:news"), {"kind": "case"})

    assert [n.title for n in response.context["page"]] == ["优秀案例一则"]


def test_the_public_list_is_paginated_with_a_bounded_number_of_queries(
    client: Client,
    make_notice: Any,
    platform_staff: Any,
    django_assert_num_queries: Any,
) -> None:
    for i in range(25):
        _publish(make_notice(title=f"动态{i}"), platform_staff)

    with django_assert_num_queries(2):
        first = client.get(reverse("content:news"))
    with django_assert_num_queries(2):
        second = client.get(reverse("content:news"), {"page": 2})

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5


def test_the_public_detail_names_provider_reviewer_and_publication_time(
    client: Client, make_notice: Any, platform_staff: Any
) -> None:
    notice = _publish(make_notice(body="第一段。\n\n第二段。"), platform_staff)

    response = client.get(reverse("content:news_detail", args=[notice.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "提供单位" in html and "荣成市工业和信息化局" in html
    assert "审核" in html and "王平" in html
    assert "发布时间" in html
    assert "<p>第一段。</p>" in html


@pytest.mark.parametrize("stage", ["draft", "submitted", "approved", "returned", "withdrawn"])
def test_the_public_detail_of_an_unpublished_notice_is_not_found(
    client: Client, make_notice: Any, platform_staff: Any, department_admin: Any, stage: str
) -> None:
    notice = make_notice()
    if stage != "draft":
        notice = publication_submit(item=notice, actor=department_admin)
    if stage == "returned":
        notice = publication_return(item=notice, actor=platform_staff, reason="再改改")
    if stage in ("approved", "withdrawn"):
        notice = publication_approve(item=notice, actor=platform_staff)
    if stage == "withdrawn":
        notice = publication_withdraw(item=notice, actor=department_admin)

    response = client.get(reverse("content:news_detail", args=[notice.pk]))

    assert response.status_code == 404


def test_an_edited_published_notice_disappears_from_the_public_site(
    client: Client, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = _publish(make_notice(), platform_staff)
    notice_update(notice=notice, actor=department_admin, title="修改后待重审")

    assert client.get(reverse("content:news_detail", args=[notice.pk])).status_code == 404
    assert "修改后待重审" not in client.get(reverse("content:news")).content.decode()


# --- Staff pages: access --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["content:manage", "content:new", "content:review"])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["content:manage", "content:new", "content:review"])
def test_enterprise_users_may_not_use_the_staff_pages(
    client_for: Any, enterprise_user: Any, name: str
) -> None:
    assert client_for(enterprise_user).get(reverse(name)).status_code == 403


def test_another_departments_notice_is_not_found(
    client_for: Any, make_notice: Any, other_department_admin: Any
) -> None:
    notice = make_notice()
    client = client_for(other_department_admin)

    assert client.get(reverse("content:edit", args=[notice.pk])).status_code == 404
    response = client.post(reverse("content:edit", args=[notice.pk]), {"title": "抢改"})
    assert response.status_code == 404
    response = client.post(reverse("content:action", args=[notice.pk, "submit"]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.status == S.DRAFT


def test_the_manage_list_shows_only_the_own_departments_notices(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    mine = make_notice(title="工信局的稿件")
    make_notice(author=platform_staff, title="审批局的稿件")

    response = client_for(department_admin).get(reverse("content:manage"))

    assert [n.pk for n in response.context["page"]] == [mine.pk]


def test_the_manage_list_filters_by_status(
    client_for: Any, make_notice: Any, department_admin: Any
) -> None:
    make_notice(title="草稿一")
    submitted = publication_submit(item=make_notice(title="已送审"), actor=department_admin)

    response = client_for(department_admin).get(reverse("content:manage"), {"status": "submitted"})

    assert [n.pk for n in response.context["page"]] == [submitted.pk]


# --- Staff pages: writing -------------------------------------------------------------------


def test_a_department_user_writes_a_draft(client_for: Any, department_admin: Any) -> None:
    response = client_for(department_admin).post(
        reverse("content:new"),
        {"kind": "measure", "title": "惠企服务十条", "summary": "", "body": "内容"},
    )

    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("content:edit", args=[notice.pk])
    assert notice.status == S.DRAFT
    assert notice.created_by == department_admin
    assert notice.provider_department == department_admin.department


def test_a_form_with_errors_shows_them_next_to_the_fields(
    client_for: Any, department_admin: Any
) -> None:
    response = client_for(department_admin).post(
        reverse("content:new"),
        {"kind": "news", "title": "", "body": "正文", "expires_on": "2000-01-01"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title_error"' in html and "请填写标题。" in html
    assert 'id="id_expires_on_error"' in html and "有效期不能早于今天。" in html
    assert not Notice.objects.exists()


def test_editing_a_published_notice_on_the_page_sends_it_back_to_review(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = _publish(make_notice(), platform_staff)

    response = client_for(department_admin).post(
        reverse("content:edit", args=[notice.pk]),
        {"kind": notice.kind, "title": "改了标题", "summary": notice.summary, "body": notice.body},
        follow=True,
    )

    notice.refresh_from_db()
    assert notice.status == S.SUBMITTED
    assert notice.title == "改了标题"
    assert "需重新审核" in response.content.decode()


def test_the_edit_page_shows_history_and_versions(
    client_for: Any, make_notice: Any, department_admin: Any
) -> None:
    notice = make_notice(title="初稿")
    notice_update(notice=notice, actor=department_admin, title="二稿")

    html = client_for(department_admin).get(reverse("content:edit", args=[notice.pk])).content
    text = html.decode()
    assert "流转记录" in text and "创建" in text and "修改" in text
    assert "第 2 版" in text and "第 1 版" in text


# --- Staff pages: workflow actions -----------------------------------------------------------


def test_the_whole_review_happens_through_the_pages(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any, client: Client
) -> None:
    notice = make_notice()
    author = client_for(department_admin)
    reviewer = client_for(platform_staff)

    response = author.post(reverse("content:action", args=[notice.pk, "submit"]), follow=True)
    assert "已提交审核。" in response.content.decode()

    queue = reviewer.get(reverse("content:review"))
    assert [n.pk for n in queue.context["page"]] == [notice.pk]

    response = reviewer.post(
        reverse("content:action", args=[notice.pk, "approve"]), {"revision": "1"}
    )
    assert response["Location"] == reverse("content:review")

    response = author.post(reverse("content:action", args=[notice.pk, "publish"]), follow=True)
    assert "已发布。" in response.content.decode()
    assert client.get(reverse("content:news_detail", args=[notice.pk])).status_code == 200

    author.post(reverse("content:action", args=[notice.pk, "withdraw"]))
    notice.refresh_from_db()
    assert notice.status == S.WITHDRAWN
    assert client.get(reverse("content:news_detail", args=[notice.pk])).status_code == 404


def test_returning_without_a_reason_shows_the_error_next_to_the_field(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = publication_submit(item=make_notice(), actor=department_admin)

    response = client_for(platform_staff).post(
        reverse("content:action", args=[notice.pk, "return"]), {"reason": ""}
    )

    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == S.SUBMITTED


def test_returning_with_a_reason_shows_it_to_the_author(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = publication_submit(item=make_notice(), actor=department_admin)

    client_for(platform_staff).post(
        reverse("content:action", args=[notice.pk, "return"]), {"reason": "请补充联系电话"}
    )

    notice.refresh_from_db()
    assert notice.status == S.RETURNED
    page = client_for(department_admin).get(reverse("content:edit", args=[notice.pk]))
    assert "请补充联系电话" in page.content.decode()


def test_the_author_cannot_approve_through_the_page(
    client_for: Any, make_notice: Any, platform_staff: Any
) -> None:
    notice = publication_submit(item=make_notice(author=platform_staff), actor=platform_staff)
    client = client_for(platform_staff)

    assert client.get(reverse("content:review")).context["page"].object_list.count() == 0
    response = client.post(reverse("content:action", args=[notice.pk, "approve"]), follow=True)

    assert "不能审核自己撰写的内容" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == S.SUBMITTED


def test_a_reviewer_outside_the_section_sees_no_review_queue_items(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    publication_submit(item=make_notice(author=platform_staff), actor=platform_staff)

    queue = client_for(department_admin).get(reverse("content:review"))

    assert list(queue.context["page"]) == []


def test_an_action_the_status_does_not_allow_is_refused_with_a_message(
    client_for: Any, make_notice: Any, department_admin: Any
) -> None:
    notice = make_notice()

    response = client_for(department_admin).post(
        reverse("content:action", args=[notice.pk, "publish"]), follow=True
    )

    assert "不能执行“发布”" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == S.DRAFT


def test_actions_are_post_only(client_for: Any, make_notice: Any, department_admin: Any) -> None:
    notice = make_notice()
    response = client_for(department_admin).get(
        reverse("content:action", args=[notice.pk, "submit"])
    )
    assert response.status_code == 405


def test_an_unknown_action_is_not_found(
    client_for: Any, make_notice: Any, department_admin: Any
) -> None:
    notice = make_notice()
    response = client_for(department_admin).post(
        reverse("content:action", args=[notice.pk, "delete"])
    )
    assert response.status_code == 404


# --- Workbench and admin ----------------------------------------------------------------------


def test_the_workbench_counts_reviews_waiting_and_returned_drafts(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    publication_submit(item=make_notice(title="待审一"), actor=department_admin)
    returned = publication_submit(item=make_notice(title="待改一"), actor=department_admin)
    publication_return(item=returned, actor=platform_staff, reason="补充材料")

    reviewer_panels = client_for(platform_staff).get(reverse("portal:workbench")).context["panels"]
    author_panels = client_for(department_admin).get(reverse("portal:workbench")).context["panels"]

    def counters(panels: Any) -> dict[str, int]:
        panel = next(p for p in panels if p.title == "工作动态发布")
        return {c.label: c.value for c in panel.counters}

    assert counters(reviewer_panels)["待审核"] == 1
    # 工信局 reviews its own 政策诉求 section, where no notice waits.
    assert counters(author_panels) == {"待审核": 0, "退回待修改": 1}


def test_enterprise_users_get_no_publishing_panel(client_for: Any, enterprise_user: Any) -> None:
    panels = client_for(enterprise_user).get(reverse("portal:workbench")).context["panels"]
    assert all(p.title != "工作动态发布" for p in panels)


def test_the_admin_lists_notices_with_filters_and_edits_through_the_service(
    client_for: Any, make_notice: Any, platform_staff: Any, superuser: Any
) -> None:
    notice = _publish(make_notice(expires_on=date(2099, 1, 1)), platform_staff)
    client = client_for(superuser)

    listing = client.get(reverse("admin:content_notice_changelist"), {"status__exact": "published"})
    assert listing.status_code == 200
    assert notice.title in listing.content.decode()

    change_url = reverse("admin:content_notice_change", args=[notice.pk])
    assert client.get(change_url).status_code == 200
    response = client.post(
        change_url,
        {
            "kind": notice.kind,
            "title": "管理员改过",
            "summary": notice.summary,
            "body": notice.body,
            "expires_on": "2099-01-01",
        },
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "管理员改过"
    assert notice.status == S.SUBMITTED


def test_the_manage_list_sorts_by_title(
    client_for: Any, make_notice: Any, department_admin: Any
) -> None:
    make_notice(title="B 稿")
    make_notice(title="A 稿")

    response = client_for(department_admin).get(reverse("content:manage"), {"sort": "title"})

    assert [n.title for n in response.context["page"]] == ["A 稿", "B 稿"]


def test_the_manage_list_exports_the_filtered_notices_to_excel(
    client_for: Any, make_notice: Any, department_admin: Any, platform_staff: Any
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    from qifu.core.models import AuditEvent

    make_notice(title="导出的稿件")
    make_notice(author=platform_staff, title="别的部门的稿件")

    response = client_for(department_admin).get(
        reverse("content:manage"), {"status": "draft", "format": "xlsx"}
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="notices-')
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("编号", "类别", "标题")
    assert [row[2] for row in rows[1:]] == ["导出的稿件"]
    assert AuditEvent.objects.get(action="content.notice.export").data == {
        "filters": {"status": "draft"}
    }


def test_a_reviewer_sees_another_departments_notice_only_once_it_is_submitted(
    client_for: Any, make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = make_notice()
    client = client_for(platform_staff)
    assert client.get(reverse("content:edit", args=[notice.pk])).status_code == 404

    publication_submit(item=notice, actor=department_admin)
    page = client.get(reverse("content:edit", args=[notice.pk]))

    assert page.status_code == 200
    assert page.context["form"] is None  # reviewers read, only the provider edits
    assert page.context["actions"]["approve"] is True
    response = client.post(reverse("content:edit", args=[notice.pk]), {"title": "审核人改"})
    assert response.status_code == 403
