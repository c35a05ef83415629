"""System checks of the accounts app."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def sm3_available(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    uses_sm3 = any("SM3" in h for h in settings.PASSWORD_HASHERS)
    if uses_sm3 and "sm3" not in hashlib.algorithms_available:
        return [
            Error(
                "The password hasher needs SM3, which this OpenSSL build lacks.",
                hint="Install an OpenSSL with SM3 (3.x) or remove PBKDF2SM3PasswordHasher.",
                id="qifu.E001",
            )
        ]
    return []
