"""The shared review-actions card posts to each content kind's own action URLs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.publishing.services import publication_submit


def test_the_edit_page_offers_submit_to_its_author(
    make_notice: Any, department_admin: Any, client_for: Any
) -> None:
    notice = make_notice()
    page = client_for(department_admin).get(reverse("content:edit", args=[notice.pk]))
    assert (
        f'action="{reverse("content:action", args=[notice.pk, "submit"])}"' in page.content.decode()
    )


def test_a_reviewer_gets_approve_with_the_version_and_return(
    make_notice: Any, department_admin: Any, platform_staff: Any, client_for: Any
) -> None:
    notice = make_notice()
    publication_submit(item=notice, actor=department_admin)
    html = (
        client_for(platform_staff).get(reverse("content:edit", args=[notice.pk])).content.decode()
    )
    assert f'action="{reverse("content:action", args=[notice.pk, "approve"])}"' in html
    assert 'name="revision"' in html
    assert f'action="{reverse("content:action", args=[notice.pk, "return"])}"' in html
