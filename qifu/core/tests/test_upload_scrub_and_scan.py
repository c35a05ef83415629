"""Checklist #26 (metadata scrub) and #27 (malware scan hook, failing closed).

ASVS 14.2.8 / 5.4.3; MLPS 2.0 level 3 L3-CES1-23 (恶意代码防范). The clamd here is a stand-in
speaking clamd's INSTREAM protocol on a unix socket; a real clamav-daemon is used the same way.
"""

from __future__ import annotations

import io
import socket
import struct
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qifu.core.models import AuditEvent
from qifu.core.uploads import attachment_check

pytestmark = pytest.mark.django_db

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Huawei"  # Make
    exif[0x0110] = "P60 Pro"  # Model
    exif[0x8825] = {1: "N", 2: (37.0, 9.0, 54.0), 3: "E", 4: (122.0, 24.0, 36.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_jpeg_uploads_lose_gps_and_device_tags():
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x010F) == "Huawei"
    upload = SimpleUploadedFile("现场照片.jpg", raw, content_type="image/jpeg")
    assert attachment_check(upload) == "jpg"
    upload.seek(0)
    cleaned = upload.read()
    image = Image.open(io.BytesIO(cleaned))
    assert image.size == (40, 30)
    assert not image.getexif()
    assert b"Huawei" not in cleaned and b"P60" not in cleaned
    assert upload.size == len(cleaned)


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张三 13800000000")
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, "PNG", pnginfo=info)
    upload = SimpleUploadedFile("图.png", out.getvalue(), content_type="image/png")
    assert attachment_check(upload) == "png"
    upload.seek(0)
    assert b"13800000000" not in upload.read()


def test_a_broken_image_is_refused_with_a_clear_message():
    upload = SimpleUploadedFile("坏图.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(ValidationError) as excinfo:
        attachment_check(upload)
    assert "图片" in str(excinfo.value) or "类型" in str(excinfo.value)


class FakeClamd:
    """A clamd that answers INSTREAM: FOUND for EICAR, OK otherwise."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.scanned = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                data = b""
                command = conn.recv(10)
                assert command == b"zINSTREAM\0"
                while True:
                    size = struct.unpack("!L", self._exact(conn, 4))[0]
                    if size == 0:
                        break
                    data += self._exact(conn, size)
                self.scanned += 1
                found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data
                conn.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")

    @staticmethod
    def _exact(conn: socket.socket, size: int) -> bytes:
        buf = b""
        while len(buf) < size:
            part = conn.recv(size - len(buf))
            if not part:
                raise OSError("closed")
            buf += part
        return buf

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings, tmp_path):
    path = str(tmp_path / "clamd.ctl")
    server = FakeClamd(path)
    settings.VIRUS_SCAN_SOCKET = path
    yield server
    server.close()


def test_eicar_named_pdf_is_refused_and_audited(clamd):
    upload = SimpleUploadedFile("发票.pdf", PDF + EICAR, content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        attachment_check(upload)
    assert "病毒" in str(excinfo.value)
    event = AuditEvent.objects.get(action="upload.virus")
    assert event.outcome == "denied"
    assert "Eicar" in event.summary


def test_a_clean_file_passes_the_scan(clamd):
    upload = SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf")
    assert attachment_check(upload) == "pdf"
    assert clamd.scanned == 1


def test_uploads_are_refused_while_the_configured_scanner_is_down(settings, tmp_path):
    settings.VIRUS_SCAN_SOCKET = str(tmp_path / "no-such-clamd.ctl")
    upload = SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        attachment_check(upload)
    assert "暂不可用" in str(excinfo.value)
    assert AuditEvent.objects.filter(action="upload.scan.unavailable", outcome="failure").exists()


def test_without_a_configured_scanner_uploads_are_only_type_checked(settings):
    settings.VIRUS_SCAN_SOCKET = ""
    upload = SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf")
    assert attachment_check(upload) == "pdf"
