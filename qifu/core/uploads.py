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


IMAGE_MIME = {"jpg": "image/jpeg", "png": "image/png"}


def _stored_extension(field: Any, original_name: str) -> str:
    """The extension the stored file's content proves (as at upload), or "bin"."""
    import filetype

    with field.open("rb") as handle:
        head = handle.read(8192)
    kind = filetype.guess(head)
    if kind is None:
        return "bin"
    if kind.extension in _OFFICE_KINDS:
        for name in (getattr(field, "name", "") or "", original_name):
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if extension in _OFFICE_KINDS[kind.extension]:
                return extension
        return "zip"
    return str(kind.extension)


def download_response(field: Any, *, name: str, inline: bool = False) -> Any:
    """Serve a stored upload under `name` with the extension its content proves and the matching
    content type: a PDF uploaded as 发票.bat, evil.html or x.svg downloads as 发票.pdf, evil.pdf,
    x.pdf (ASVS 5.4.2). An attachment unless `inline` (images shown in pages); never sniffed."""
    from django.http import FileResponse, Http404

    if not field:
        raise Http404("没有该文件。")
    extension = _stored_extension(field, name)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .") or "file"
    content_type = ATTACHMENT_MIME.get(extension, "application/octet-stream")
    response = FileResponse(
        field.open("rb"),
        as_attachment=not (inline and extension in IMAGE_MIME),
        filename=f"{stem}.{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
