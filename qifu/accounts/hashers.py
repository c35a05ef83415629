"""PBKDF2 with SM3 (GB/T 32905) for stored passwords: 密评 身份鉴别 / 存储机密性; checklist #9.

The digest is OpenSSL's SM3 through hashlib; a system check (qifu.accounts.checks) stops the
application where the OpenSSL build lacks it. Older hashes (pbkdf2_sha256) still verify and are
upgraded to this one at the next sign-in (Django re-encodes with the first hasher).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher


def _sm3(data: bytes = b"") -> Any:
    return hashlib.new("sm3", data)


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    digest = staticmethod(_sm3)  # type: ignore[assignment]
