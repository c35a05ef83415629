from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from qifu.connectors.models import Connector, ExternalCase, ExternalCaseEvent
from qifu.connectors.services import connector_rotate_secret, external_event_apply
from qifu.core.models import AuditEvent
from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=False)

NOW = "2026-11-26 10:05:00+08:00"


@time_machine.travel(NOW, tick=False)
def test_a_valid_signed_event_creates_the_case_and_its_first_event(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]], enterprise: Any
) -> None:
    response = post_signed(event_payload())
    assert response.status_code == 201
    assert response.json()["result"] == "applied"
    case = ExternalCase.objects.get()
    assert (case.enterprise, case.external_id, case.matter_code, case.status) == (
        enterprise,
        "YCT-2026-0001",
        "QY-KB-001",
        "received",
    )
    assert case.events.get().event_id == "evt-1"


@time_machine.travel(NOW, tick=False)
def test_a_replayed_event_id_is_acknowledged_but_not_applied_twice(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    post_signed(event_payload(event_id="evt-1", status="received"))
    post_signed(
        event_payload(
            event_id="evt-2", status="processing", occurred_at="2026-11-26T10:01:00+08:00"
        )
    )
    again = post_signed(event_payload(event_id="evt-1", status="received"))
    assert again.status_code == 200
    assert again.json()["result"] == "already_applied"
    assert ExternalCaseEvent.objects.count() == 2
    assert ExternalCase.objects.get().status == "processing"


@time_machine.travel(NOW, tick=False)
def test_a_forged_signature_is_refused_and_audited(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    response = post_signed(event_payload(), secret="not-the-shared-secret")
    assert response.status_code == 401
    assert not ExternalCase.objects.exists()
    assert AuditEvent.objects.filter(action="connectors.webhook.rejected").exists()


@time_machine.travel(NOW, tick=False)
def test_a_missing_signature_is_refused(
    connector: Connector, event_payload: Callable[..., dict[str, Any]], client: Any
) -> None:
    response = client.post(
        "/connectors/yichuangtong/webhook", data=event_payload(), content_type="application/json"
    )
    assert response.status_code == 401
    assert not ExternalCase.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_body_changed_after_signing_is_refused(
    connector: Connector, event_payload: Callable[..., dict[str, Any]], client: Any
) -> None:
    from qifu.connectors.services import webhook_signature

    ts = str(int(timezone.now().timestamp()))
    signature = webhook_signature(secret=connector.secret, timestamp=ts, body=b"{}")
    response = client.post(
        "/connectors/yichuangtong/webhook",
        data=event_payload(),
        content_type="application/json",
        headers={"X-Qifu-Timestamp": ts, "X-Qifu-Signature": signature},
    )
    assert response.status_code == 401


@time_machine.travel(NOW, tick=False)
def test_a_timestamp_older_than_five_minutes_is_refused(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    old = int(timezone.now().timestamp()) - 5 * 60 - 1
    response = post_signed(event_payload(), timestamp=old)
    assert response.status_code == 401
    assert not ExternalCase.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_timestamp_in_the_future_is_refused(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    response = post_signed(event_payload(), timestamp=int(timezone.now().timestamp()) + 120)
    assert response.status_code == 401


@time_machine.travel(NOW, tick=False)
def test_a_timestamp_four_minutes_old_is_still_accepted(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    response = post_signed(event_payload(), timestamp=int(timezone.now().timestamp()) - 240)
    assert response.status_code == 201


@time_machine.travel(NOW, tick=False)
def test_the_old_secret_stops_working_once_rotated(
    connector: Connector,
    post_signed: Callable[..., Any],
    event_payload: Callable[..., dict[str, Any]],
) -> None:
    new_secret = connector_rotate_secret(connector=connector, actor=None)
    assert post_signed(event_payload()).status_code == 401
    assert post_signed(event_payload(), secret=new_secret).status_code == 201


@time_machine.travel(NOW, tick=False)
def test_an_older_event_arriving_late_keeps_the_newest_status(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    post_signed(
        event_payload(
            event_id="evt-3",
            status="approved",
            occurred_at="2026-11-26T10:03:00+08:00",
            status_text="准予设立",
        )
    )
    late = post_signed(
        event_payload(
            event_id="evt-2", status="processing", occurred_at="2026-11-26T10:01:00+08:00"
        )
    )
    assert late.status_code == 201
    assert late.json()["is_current"] is False
    case = ExternalCase.objects.get()
    assert (case.status, case.status_text) == ("approved", "准予设立")
    assert [e.event_id for e in case.events.all()] == ["evt-2", "evt-3"]


@time_machine.travel(NOW, tick=False)
def test_an_unknown_enterprise_is_refused_with_422_and_a_clear_message(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    response = post_signed(event_payload(credit_code="91371082MA00000000"))
    assert response.status_code == 422
    assert "91371082MA00000000" in response.json()["error"]
    assert not ExternalCaseEvent.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_payload_with_an_unknown_status_is_refused_field_by_field(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    response = post_signed(event_payload(status="done", occurred_at="2026-11-26 10:00"))
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status", "occurred_at"}


@time_machine.travel(NOW, tick=False)
def test_an_event_cannot_move_a_case_to_another_enterprise(
    post_signed: Callable[..., Any],
    event_payload: Callable[..., dict[str, Any]],
    other_enterprise: Any,
) -> None:
    post_signed(event_payload())
    response = post_signed(
        event_payload(event_id="evt-9", credit_code=other_enterprise.credit_code, status="approved")
    )
    assert response.status_code == 422
    assert ExternalCase.objects.get().status == "received"


@time_machine.travel(NOW, tick=False)
def test_an_unknown_or_disabled_connector_is_not_found(
    connector: Connector,
    post_signed: Callable[..., Any],
    event_payload: Callable[..., dict[str, Any]],
) -> None:
    assert post_signed(event_payload(), code="nosuch").status_code == 404
    Connector.objects.filter(pk=connector.pk).update(is_active=False)
    assert post_signed(event_payload()).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_webhook_accepts_only_post(connector: Connector, client: Any) -> None:
    assert client.get("/connectors/yichuangtong/webhook").status_code == 405


@time_machine.travel(NOW, tick=False)
def test_the_enterprise_is_notified_of_a_status_change_after_commit(
    connector: Connector,
    event_payload: Callable[..., dict[str, Any]],
    enterprise_user: Any,
    other_enterprise_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        external_event_apply(
            connector=connector,
            payload=event_payload(status="supplement", status_text="请补正章程"),
        )
    assert not Notification.objects.exists()
    for callback in callbacks:
        callback()
    note = Notification.objects.get()
    assert note.user == enterprise_user
    assert "需补正" in note.title and "请补正章程" in note.body


@time_machine.travel(NOW, tick=False)
def test_a_replayed_or_stale_event_notifies_nobody(
    connector: Connector,
    event_payload: Callable[..., dict[str, Any]],
    enterprise_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        external_event_apply(
            connector=connector,
            payload=event_payload(
                event_id="evt-3", status="approved", occurred_at="2026-11-26T10:03:00+08:00"
            ),
        )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        external_event_apply(
            connector=connector,
            payload=event_payload(
                event_id="evt-3", status="approved", occurred_at="2026-11-26T10:03:00+08:00"
            ),
        )
        external_event_apply(
            connector=connector,
            payload=event_payload(
                event_id="evt-2", status="processing", occurred_at="2026-11-26T10:01:00+08:00"
            ),
        )
    assert callbacks == []
    assert Notification.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_licence_information_is_kept_on_the_case(
    post_signed: Callable[..., Any], event_payload: Callable[..., dict[str, Any]]
) -> None:
    licence = {
        "number": "91371082MA3X",
        "name": "营业执照",
        "holder": "海润",
        "valid_until": "长期",
    }
    post_signed(event_payload(status="completed", licence=licence))
    assert ExternalCase.objects.get().licence == licence
