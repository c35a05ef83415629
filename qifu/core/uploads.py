"""Checking uploaded files by their content, shared by every app that accepts attachments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Judged by content (magic bytes), never by the name the browser sends.
ATTACHMENT_KINDS = {"pdf": "PDF", "jpg": "JPG", "png": "PNG", "docx": "Word", "xlsx": "Excel"}
# Office files are zip containers: filetype may only see "zip", so the name must agree.
_OFFICE_KINDS = {"zip": {"docx", "xlsx"}, "docx": {"docx"}, "xlsx": {"xlsx"}}
ATTACHMENT_MIME = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment_check(upload: Any) -> str:
    """The extension the file's content proves it to be, or a ValidationError in Chinese."""
    import filetype

    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"“{name}”超过10MB，请压缩后再上传。")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    allowed = "、".join(ATTACHMENT_KINDS.values())
    if kind is None:
        raise ValidationError(f"无法识别“{name}”的文件类型，只接受{allowed}文件。")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind.extension in _OFFICE_KINDS:
        if extension not in _OFFICE_KINDS[kind.extension]:
            raise ValidationError(f"“{name}”的内容与扩展名不符，只接受{allowed}文件。")
        return extension
    if kind.extension not in ATTACHMENT_KINDS:
        raise ValidationError(f"“{name}”的内容不是{allowed}文件，不能上传。")
    return str(kind.extension)
