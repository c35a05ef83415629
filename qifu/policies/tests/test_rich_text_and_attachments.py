from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qifu.policies.models import PolicyAttachment
from qifu.policies.richtext import render, sanitize
from qifu.policies.services import policy_attachment_add, policy_create, policy_update
from qifu.publishing import services as publishing

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _policy(author, **fields):
    values = {"title": "海洋牧场建设补助", "published_on": dt.date(2026, 6, 1), "body": "正文"}
    values.update(fields)
    return policy_create(author=author, code="RT-1", **values)


def _publish(policy, reviewer):
    publishing.publication_submit(item=policy, actor=policy.created_by)
    publishing.publication_approve(item=policy, actor=reviewer)
    return publishing.publication_publish(item=policy, actor=reviewer)


def test_sanitising_removes_scripts_event_handlers_and_javascript_links():
    html = sanitize(
        '<p onclick="x()">补助<script>alert(1)</script><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://www.rongcheng.gov.cn">官网</a>'
        "</p><iframe src=https://x></iframe><h3>条件</h3><table><tr><td>1</td></tr></table>"
    )
    assert "script" not in html and "alert" not in html and "onerror" not in html
    assert "onclick" not in html and "<img" not in html and "iframe" not in html
    assert '<a href="https://www.rongcheng.gov.cn" rel="noopener noreferrer">官网</a>' in html
    assert "<h3>条件</h3>" in html and "<td>1</td>" in html


def test_plain_text_is_kept_as_is_and_shown_as_escaped_paragraphs():
    assert sanitize("营收 < 500 万元") == "营收 < 500 万元"
    assert render("第一段 a < b\n\n第二段") == "<p>第一段 a &lt; b</p>\n\n<p>第二段</p>"


def test_the_services_store_the_body_sanitised(department_admin):
    policy = _policy(department_admin, body="<p>甲<script>alert(1)</script></p>")
    assert policy.body == "<p>甲</p>"
    policy = policy_update(
        policy=policy, actor=department_admin, body='<p><a href="javascript:x">乙</a></p>'
    )
    assert "javascript" not in policy.body


def test_the_detail_page_renders_the_sanitised_rich_text(department_admin, superuser):
    policy = _publish(
        _policy(department_admin, body="<h3>支持方向</h3><ul><li>养殖</li></ul>"), superuser
    )
    body = Client().get(reverse("policies:detail", args=[policy.code])).content.decode()
    assert "<h3>支持方向</h3><ul><li>养殖</li></ul>" in body


def test_an_exe_renamed_pdf_is_refused_next_to_the_field(department_admin, client_for):
    policy = _policy(department_admin)
    response = client_for(department_admin).post(
        reverse("policies:attachment_add", args=[policy.pk]),
        {"file": SimpleUploadedFile("申报表.pdf", EXE, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not PolicyAttachment.objects.exists()


def test_attachments_of_published_policies_are_listed_and_downloadable(
    department_admin, superuser, client_for
):
    policy = _policy(department_admin)
    response = client_for(department_admin).post(
        reverse("policies:attachment_add", args=[policy.pk]),
        {"file": SimpleUploadedFile("申报表.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    attachment = PolicyAttachment.objects.get()
    assert attachment.original_name == "申报表.pdf" and attachment.size == len(PDF)
    url = reverse("policies:attachment_download", args=[attachment.pk])
    assert Client().get(url).status_code == 404  # still a draft
    _publish(policy, superuser)
    page = Client().get(reverse("policies:detail", args=[policy.code])).content.decode()
    assert url in page and "申报表.pdf" in page
    response = Client().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


def test_only_the_providing_department_uploads_and_removes_attachments(
    department_admin, other_department_admin, enterprise_user, client_for
):
    policy = _policy(department_admin)
    upload = SimpleUploadedFile("a.pdf", PDF)
    with pytest.raises(PermissionDenied):
        policy_attachment_add(policy=policy, actor=other_department_admin, upload=upload)
    url = reverse("policies:attachment_add", args=[policy.pk])
    assert "login" in Client().post(url, {"file": upload})["Location"]
    assert client_for(enterprise_user).post(url, {"file": upload}).status_code == 403
    assert client_for(other_department_admin).post(url, {"file": upload}).status_code == 404
    attachment = policy_attachment_add(
        policy=policy, actor=department_admin, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    remove = reverse("policies:attachment_remove", args=[attachment.pk])
    assert client_for(other_department_admin).post(remove).status_code == 404
    assert client_for(department_admin).post(remove).status_code == 302
    assert not PolicyAttachment.objects.exists()
