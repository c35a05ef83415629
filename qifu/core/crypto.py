"""Personal data encrypted at rest, with a blind index for exact lookups and key rotation.

MLPS 2.0 level 3 数据保密性 (L3-CES1-28), PIPL art. 51(3), GB/T 35273 §6.3. Values are Fernet
tokens (AES-128-CBC + HMAC-SHA256, from the maintained `cryptography` library); MultiFernet
decrypts with any configured key and encrypts with the first, and `manage.py rotate_field_keys`
re-encrypts every value with the first key. The keys come from the environment
(FIELD_ENCRYPTION_KEYS, comma-separated, newest first), never from the database or the
repository; outside production a key is derived from SECRET_KEY so a checkout works as is.
Deviation (docs/security.md): 密评 expects SM4; `cryptography` offers SM4 but no SM4 AEAD recipe
with rotation, so Fernet is used until a certified SM4 module/KMS is provided by the deployment.

The blind index is HMAC-SM3 (HMAC-SHA256 where OpenSSL lacks SM3) of the normalised value under a
separate key (FIELD_BLIND_INDEX_KEY), so equal values can be found without decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - the Fernet version byte, base64


def _derived(label: str) -> bytes:
    return hashlib.sha256(f"qifu:{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> Any:
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(k.encode()) for k in keys])


def field_keys() -> tuple[str, ...]:
    keys = tuple(k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip())
    if keys:
        return keys
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in production")
    return (base64.urlsafe_b64encode(_derived("field-encryption")).decode(),)


def encrypt(value: str) -> str:
    return str(_multifernet(field_keys()).encrypt(value.encode()).decode())


def decrypt(token: str) -> str:
    """The plaintext; cryptography.fernet.InvalidToken when the token was altered."""
    return str(_multifernet(field_keys()).decrypt(token.encode()).decode())


def rotate(token: str) -> str:
    return str(_multifernet(field_keys()).rotate(token.encode()).decode())


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def blind_index(value: str) -> str:
    """HMAC of the normalised value (upper case, no spaces); '' for an empty value."""
    value = (value or "").strip().upper()
    if not value:
        return ""
    configured = getattr(settings, "FIELD_BLIND_INDEX_KEY", "")
    key = configured.encode() if configured else _derived("blind-index")
    algorithm = "sm3" if "sm3" in hashlib.algorithms_available else "sha256"
    return hmac.new(key, value.encode(), algorithm).hexdigest()


class EncryptedCharField(models.TextField):
    """A text value stored encrypted; Python code sees the plaintext.

    `max_length` limits the plaintext (forms, validation); the column holds the longer token.
    Values written before encryption (plaintext in the column) are read as they are until the
    migration or the next save encrypts them.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or not is_token(value):
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, "") or is_token(value):
            return value
        return encrypt(value)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {"form_class": forms.CharField, "max_length": self.max_length}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedCharField]]:
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField)
    ]
