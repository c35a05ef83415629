from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from qifu.connectors.models import Connector
from qifu.connectors.services import connector_create, webhook_signature

SECRET = "test-shared-secret-of-yichuangtong"


@pytest.fixture
def connector(db: Any) -> Connector:
    _, made = connector_create(
        code="yichuangtong",
        name="山东省企业开办一窗通",
        entry_url="https://ycb.example.gov.cn/enter?from=qifu",
        actor=None,
        secret=SECRET,
    )
    return made


@pytest.fixture
def event_payload(enterprise: Any) -> Callable[..., dict[str, Any]]:
    def make(**fields: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "event_id": "evt-1",
            "case_id": "YCT-2026-0001",
            "matter_code": "QY-KB-001",
            "credit_code": enterprise.credit_code,
            "status": "received",
            "status_text": "材料已收取",
            "occurred_at": "2026-11-26T10:00:00+08:00",
        }
        payload.update(fields)
        return payload

    return make


@pytest.fixture
def post_signed(connector: Connector) -> Callable[..., Any]:
    """POST a payload to the webhook, signed as the external system would sign it."""

    def post(
        payload: Any,
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        signature: str | None = None,
        code: str = "yichuangtong",
    ) -> Any:
        body = json.dumps(payload, ensure_ascii=False).encode()
        ts = str(timestamp if timestamp is not None else int(timezone.now().timestamp()))
        sig = signature or webhook_signature(secret=secret, timestamp=ts, body=body)
        return Client(enforce_csrf_checks=True).post(
            f"/connectors/{code}/webhook",
            data=body,
            content_type="application/json",
            headers={"X-Qifu-Timestamp": ts, "X-Qifu-Signature": sig},
        )

    return post
