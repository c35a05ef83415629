"""Checklist #38: legal representatives' ID numbers encrypted at rest, blind index, rotation.

MLPS 2.0 level 3 L3-CES1-26/28; PIPL 51(3); GB/T 35273 §6.3.
"""

from __future__ import annotations

import importlib

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import connection

from qifu.accounts.models import Enterprise
from qifu.core import crypto

pytestmark = pytest.mark.django_db

ID_NUMBER = "37108219800101001X"


def _raw(enterprise: Enterprise) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT legal_representative_id_number FROM accounts_enterprise WHERE id = %s",
            [enterprise.pk],
        )
        return cursor.fetchone()[0]


def _set_raw(enterprise: Enterprise, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_enterprise SET legal_representative_id_number = %s WHERE id = %s",
            [value, enterprise.pk],
        )


@pytest.fixture
def company(make_enterprise):
    enterprise = make_enterprise()
    enterprise.legal_representative_id_number = ID_NUMBER
    enterprise.save()
    return enterprise


def test_the_column_holds_a_token_and_the_model_the_number(company):
    raw = _raw(company)
    assert raw.startswith("gAAAAA")
    assert ID_NUMBER not in raw and "371082" not in raw
    assert Enterprise.objects.get(pk=company.pk).legal_representative_id_number == ID_NUMBER


def test_exact_lookup_goes_through_the_blind_index(company, make_enterprise):
    make_enterprise()
    index = crypto.blind_index(ID_NUMBER.lower())
    assert list(Enterprise.objects.filter(legal_representative_id_index=index)) == [company]
    assert ID_NUMBER not in company.legal_representative_id_index


def test_an_altered_token_is_detected(company):
    raw = _raw(company)
    flipped = raw[:40] + ("A" if raw[40] != "A" else "B") + raw[41:]
    _set_raw(company, flipped)
    with pytest.raises(InvalidToken):
        Enterprise.objects.get(pk=company.pk)


def test_rotation_re_encrypts_every_value_with_the_new_key(company, settings):
    old_key = crypto.field_keys()[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    before = _raw(company)
    call_command("rotate_field_keys")
    after = _raw(company)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == ID_NUMBER
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can go now
    assert Enterprise.objects.get(pk=company.pk).legal_representative_id_number == ID_NUMBER


def test_the_migration_encrypts_numbers_stored_in_plain_text(company):
    _set_raw(company, ID_NUMBER)
    assert Enterprise.objects.get(pk=company.pk).legal_representative_id_number == ID_NUMBER
    migration = importlib.import_module(
        "qifu.accounts.migrations.0004_encrypt_legal_representative_id"
    )
    migration.encrypt_existing(global_apps, None)
    assert _raw(company).startswith("gAAAAA")
    company.refresh_from_db()
    assert company.legal_representative_id_number == ID_NUMBER
    assert company.legal_representative_id_index == crypto.blind_index(ID_NUMBER)


def test_no_full_id_number_is_left_in_any_text_column_of_the_enterprise_table(company):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_enterprise WHERE id = %s", [company.pk])
        row = cursor.fetchone()
    assert not any(isinstance(v, str) and ID_NUMBER in v for v in row)
