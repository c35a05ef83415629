"""Checklist #9: passwords stored with PBKDF2-SM3, old hashes upgraded, a check guards SM3."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core.checks import run_checks
from django.db import connection

from qifu.accounts.hashers import PBKDF2SM3PasswordHasher

pytestmark = pytest.mark.django_db

PRODUCTION = [
    "qifu.accounts.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


class QuickSM3(PBKDF2SM3PasswordHasher):
    iterations = 1000  # the algorithm under test, not the work factor


def test_sm3_pbkdf2_known_answer():
    # PBKDF2-HMAC-SM3 through hashlib equals the hasher's derivation.
    expected = hashlib.pbkdf2_hmac("sm3", b"Rongcheng#2026", b"salt", 1000).hex()
    encoded = QuickSM3().encode("Rongcheng#2026", "salt", 1000)
    assert encoded.startswith("pbkdf2_sm3$1000$salt$")
    import base64

    assert base64.b64decode(encoded.split("$")[3]).hex() == expected


def test_new_passwords_are_stored_with_sm3_and_verify(settings, enterprise_user):
    settings.PASSWORD_HASHERS = PRODUCTION
    enterprise_user.set_password("Rongcheng#2026")
    enterprise_user.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM accounts_user WHERE id = %s", [enterprise_user.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("pbkdf2_sm3$")
    assert "Rongcheng#2026" not in stored
    assert check_password("Rongcheng#2026", stored)
    assert not check_password("rongcheng#2026", stored)


def test_an_old_sha256_hash_is_upgraded_at_sign_in(settings, enterprise_user):
    settings.PASSWORD_HASHERS = [*PRODUCTION]
    enterprise_user.password = make_password("Rongcheng#2026", hasher="pbkdf2_sha256")
    enterprise_user.save()
    assert enterprise_user.check_password("Rongcheng#2026")
    enterprise_user.refresh_from_db()
    assert enterprise_user.password.startswith("pbkdf2_sm3$")


def test_the_system_check_fails_without_sm3(monkeypatch, settings):
    settings.PASSWORD_HASHERS = PRODUCTION
    assert not [e for e in run_checks() if e.id == "qifu.E001"]
    monkeypatch.setattr(hashlib, "algorithms_available", {"sha256"})
    assert [e.id for e in run_checks() if e.id == "qifu.E001"] == ["qifu.E001"]
