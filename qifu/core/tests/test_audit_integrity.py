"""The audit log cannot be rewritten, and what a database superuser rewrites is detected.

Checklist #30 (immutability, both databases), #31 (the hash chain and audit_verify), #32 (fail
closed); MLPS 2.0 level 3 L3-CES1-14/15/26.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from qifu.accounts.models import User
from qifu.core import auditchain
from qifu.core.audit import audit_record
from qifu.core.models import AuditEvent
from qifu.core.sqlite_triggers import SQLITE_DROP, SQLITE_TRIGGERS

pytestmark = pytest.mark.django_db

PG = connection.vendor == "postgresql"


def _raw(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_raw_update_and_delete_are_refused_by_the_database():
    event = audit_record(action="test.raw", summary="原文")
    with pytest.raises(DatabaseError):
        _raw("UPDATE core_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM core_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).summary == "原文"


def test_an_upsert_cannot_rewrite_a_row():
    event = audit_record(action="test.upsert", summary="原文")
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create(
            [AuditEvent(id=event.pk, action="test.upsert", summary="篡改")],
            update_conflicts=True,
            update_fields=["summary"],
            unique_fields=["id"],
        )
    # The same upsert in raw SQL is refused by the trigger.
    with pytest.raises(DatabaseError):
        _raw(
            "INSERT INTO core_auditevent (id, at, actor_username, user_agent, action, outcome, "
            "object_type, object_id, summary, data, row_hash) "
            "SELECT id, at, actor_username, user_agent, action, outcome, object_type, object_id, "
            "'篡改', data, row_hash FROM core_auditevent WHERE id = %s "
            "ON CONFLICT (id) DO UPDATE SET summary = excluded.summary",
            [event.pk],
        )
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert AuditEvent.objects.get(pk=event.pk).summary == "原文"


def test_the_triggers_exist_after_all_migrations():
    with connection.cursor() as cursor:
        if PG:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass "
                "AND NOT tgisinternal AND tgenabled = 'O'"
            )
            assert {r[0] for r in cursor.fetchall()} == {"core_auditevent_no_update_delete"}
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'core_auditevent'"
            )
            assert {r[0] for r in cursor.fetchall()} == {
                "core_auditevent_no_update",
                "core_auditevent_no_delete",
            }


def test_every_row_is_chained_and_verifies(capsys):
    for i in range(5):
        audit_record(action="test.chain", summary=f"第{i}条", data={"n": i, "名": ["甲", 1.5]})
    rows = list(AuditEvent.objects.order_by("id").values("id", "row_hash", *auditchain.FIELDS))
    assert all(r["row_hash"].startswith(("sm3:", "sha256:")) for r in rows)
    assert len({r["row_hash"] for r in rows}) == len(rows)
    call_command("audit_verify")
    assert "哈希链完整" in capsys.readouterr().out


def test_the_chain_uses_sm3_where_openssl_has_it():
    # SM3("abc"), GB/T 32905-2016 appendix A.
    assert auditchain.digest("sm3", b"abc").startswith("66c7f0f4")
    assert auditchain.default_algorithm() == "sm3"


def _tamper(sql: str, params: list) -> None:
    """What only a database superuser/owner can do: switch the trigger off, edit, switch it on."""
    with transaction.atomic(), connection.cursor() as cursor:
        if PG:
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        else:
            for statement in SQLITE_DROP:
                cursor.execute(statement)
            cursor.execute(sql, params)
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)


@pytest.mark.parametrize(
    ("sql", "flagged"),
    [
        ("UPDATE core_auditevent SET summary = '无事发生' WHERE id = %s", 0),
        ("UPDATE core_auditevent SET outcome = 'success' WHERE id = %s", 0),
        # A deleted row is noticed at the row after it.
        ("DELETE FROM core_auditevent WHERE id = %s", 1),
    ],
)
def test_audit_verify_names_the_first_tampered_row(sql, flagged):
    events = [
        audit_record(action="auth.login.failed", outcome="failure", summary=f"第{i}次")
        for i in range(4)
    ]
    target = events[1]
    _tamper(sql, [target.pk])
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode == 1
    assert f"id={events[1 + flagged].pk}" in str(excinfo.value)


def test_auditing_fails_closed_with_the_business_change(monkeypatch, enterprise_user):
    """#32: if the audit row cannot be written, the change it records is rolled back."""
    from qifu.accounts.services import user_update

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken)
    enterprise_user.real_name = "改名"
    with pytest.raises(DatabaseError):
        user_update(user=enterprise_user, changed_fields=["real_name"], actor=None)
    enterprise_user.refresh_from_db()
    assert enterprise_user.real_name != "改名"


def test_a_user_with_audit_rows_is_refused_deletion_and_offered_deactivation(
    superuser, enterprise_user, client_for
):
    audit_record(action="auth.login", actor=enterprise_user)
    client = client_for(superuser)
    url = reverse("admin:accounts_user_delete", args=[enterprise_user.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "已有审计记录" in response.content.decode()
    assert "停用" in response.content.decode()
    assert User.objects.filter(pk=enterprise_user.pk).exists()
    # The bulk delete action refuses too (Django lists the protected rows) and nothing goes.
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [enterprise_user.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert User.objects.filter(pk=enterprise_user.pk).exists()
    # Deactivation is the way: one action, audited, the account kept.
    client.post(
        changelist,
        {"action": "deactivate_users", "_selected_action": [enterprise_user.pk]},
    )
    enterprise_user.refresh_from_db()
    assert not enterprise_user.is_active
    assert AuditEvent.objects.filter(
        action="accounts.user.disable", object_id=str(enterprise_user.pk)
    ).exists()


def test_a_user_without_audit_rows_can_still_be_deleted(superuser, client_for):
    from qifu.accounts.services import user_create

    spare = user_create(username="spare_user", password=None)
    AuditEvent.objects.filter(actor=spare).exists()
    client = client_for(superuser)
    url = reverse("admin:accounts_user_delete", args=[spare.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=spare.pk).exists()


APP_ROLE_SQL = __import__("pathlib").Path(__file__).resolve().parents[3] / "scripts/pg-app-role.sql"


def _grants(role: str) -> list[str]:
    """The statements of scripts/pg-app-role.sql (the documented grants) for `role`."""
    text = "\n".join(
        line for line in APP_ROLE_SQL.read_text().splitlines() if not line.startswith("--")
    )
    return [s.strip().replace(':"app"', f'"{role}"') for s in text.split(";") if s.strip()]


@pytest.mark.skipif(not PG, reason="PostgreSQL roles")
def test_the_documented_app_role_cannot_rewrite_truncate_or_switch_off_the_audit_log():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("needs a superuser to create the role")
    event = audit_record(action="test.role", summary="原文")
    role = f"qifu_app_test_{__import__('os').getpid()}"
    # All inside the test's transaction: the role disappears with the rollback.
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        for statement in _grants(role):
            cursor.execute(statement)
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        forbidden = [
            "TRUNCATE core_auditevent",
            "ALTER TABLE core_auditevent DISABLE TRIGGER USER",
            "DROP TRIGGER core_auditevent_no_update_delete ON core_auditevent",
            "UPDATE core_auditevent SET summary = 'x'",
            "DELETE FROM core_auditevent",
        ]
        for sql in forbidden:
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(sql)
        # ... while the application still works as that role: it writes the log and other rows.
        audit_record(action="test.role.insert", summary="追加")
        cursor.execute("UPDATE accounts_user SET real_name = real_name")
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.get(pk=event.pk).summary == "原文"
    call_command("audit_verify")
