"""Downloads carry the extension their content proves (issue 17: a PDF uploaded as 发票.bat,
evil.html or x.svg was served under that name)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile

from qifu.appeals.models import AppealCategory, Attachment
from qifu.appeals.services import appeal_file
from qifu.core.uploads import download_response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _disposition_name(response: Any) -> str:
    header = response["Content-Disposition"]
    if "filename*=" in header:
        return unquote(header.split("filename*=utf-8''", 1)[-1].split("UTF-8''")[-1])
    return header.split('filename="', 1)[1].rstrip('"')


@pytest.mark.parametrize(
    ("uploaded_as", "served_as"),
    [("发票.bat", "发票.pdf"), ("evil.html", "evil.pdf"), ("x.svg", "x.pdf"), ("报告", "报告.pdf")],
)
def test_an_appeal_attachment_is_served_under_its_content_type(
    uploaded_as: str,
    served_as: str,
    enterprise_user: Any,
    client_for: Any,
    agency: Any,
) -> None:
    category = AppealCategory.objects.create(code="other", name="其他", default_department=agency)
    appeal, _ = appeal_file(
        user=enterprise_user,
        title="附件",
        content="内容",
        category=category,
        contact_name="张经理",
        contact_phone="13905310001",
    )
    attachment = Attachment(
        appeal=appeal,
        original_name=uploaded_as,
        content_type="text/html",
        size=len(PDF),
        uploaded_by=enterprise_user,
    )
    attachment.file.save(uploaded_as, ContentFile(PDF), save=True)
    response = client_for(enterprise_user).get(f"/appeals/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert _disposition_name(response) == served_as


def test_an_image_may_be_shown_inline_but_a_non_image_never(tmp_path: Any) -> None:
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path)
    for name, data in (("photo.html", PNG), ("doc.png", PDF)):
        storage.save(name, ContentFile(data))

    class Field:
        def __init__(self, name: str) -> None:
            self.name = name

        def __bool__(self) -> bool:
            return True

        def open(self, mode: str) -> Any:
            return storage.open(self.name, mode)

    image = download_response(Field("photo.html"), name="photo.html", inline=True)
    assert (image["Content-Type"], image["Content-Disposition"].split(";")[0]) == (
        "image/png",
        "inline",
    )
    pdf = download_response(Field("doc.png"), name="doc.png", inline=True)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
