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
    """The extension the file's content proves it to be, or a ValidationError in Chinese.

    The file is also scanned for viruses (when a scanner is configured; fails closed) and images
    are re-encoded without their metadata (EXIF GPS and device tags, PNG text).
    """
    kind = _content_kind(upload)
    virus_scan(upload)
    if kind in ("jpg", "png"):
        image_scrub(upload, kind)
    return kind


def _content_kind(upload: Any) -> str:
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


def _replace_content(upload: Any, data: bytes) -> None:
    handle = getattr(upload, "file", upload)
    handle.seek(0)
    handle.truncate()
    handle.write(data)
    if hasattr(handle, "flush"):
        handle.flush()
    upload.size = len(data)
    upload.seek(0)


def image_scrub(upload: Any, kind: str) -> None:
    """Re-encode a JPEG or PNG without its metadata (orientation applied first)."""
    import io

    from django.conf import settings
    from PIL import Image, ImageOps

    upload.seek(0)
    try:
        with Image.open(upload) as original:
            if original.width * original.height > settings.IMAGE_MAX_PIXELS:
                raise ValueError("too many pixels")
            image = ImageOps.exif_transpose(original) or original
            icc = original.info.get("icc_profile")
            out = io.BytesIO()
            if kind == "jpg":
                if image.mode not in ("RGB", "L", "CMYK"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=90, icc_profile=icc)
            else:
                image.save(out, "PNG", icc_profile=icc)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        name = getattr(upload, "name", "") or ""
        raise ValidationError(f"“{name}”不是可以打开的图片，请检查后重新上传。") from exc
    _replace_content(upload, out.getvalue())


class ScannerUnavailable(Exception):
    pass


def clamd_scan(upload: Any, socket_path: str, timeout: float = 30.0) -> str | None:
    """Stream the file to clamd (INSTREAM); the signature name when infected, else None."""
    import socket
    import struct

    upload.seek(0)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(socket_path)
            sock.sendall(b"zINSTREAM\0")
            while chunk := upload.read(64 * 1024):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as exc:
        raise ScannerUnavailable(str(exc)) from exc
    finally:
        upload.seek(0)
    text = reply.rstrip(b"\0").decode(errors="replace").strip()
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip() or "unknown"
    raise ScannerUnavailable(text or "empty reply")


def virus_scan(upload: Any) -> None:
    """Refuse an infected file; refuse every file while a configured scanner cannot answer."""
    from django.conf import settings

    from qifu.core.audit import audit_record
    from qifu.core.models import AuditOutcome

    socket_path = getattr(settings, "VIRUS_SCAN_SOCKET", "")
    if not socket_path:
        return
    name = getattr(upload, "name", "") or ""
    try:
        signature = clamd_scan(upload, socket_path)
    except ScannerUnavailable as exc:
        audit_record(
            action="upload.scan.unavailable",
            outcome=AuditOutcome.FAILURE,
            summary=f"病毒扫描不可用：{exc}"[:500],
            data={"name": name[:200]},
        )
        raise ValidationError("病毒扫描服务暂不可用，文件未能上传，请稍后再试。") from exc
    if signature is not None:
        audit_record(
            action="upload.virus",
            outcome=AuditOutcome.DENIED,
            summary=f"上传的文件含病毒：{signature}"[:500],
            data={"name": name[:200], "signature": signature[:200]},
        )
        raise ValidationError(f"“{name}”未通过病毒扫描，不能上传。")


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
