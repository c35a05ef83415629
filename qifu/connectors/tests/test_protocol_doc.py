"""The snippets in docs/connectors.md are what external developers copy: they must keep working."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings

from qifu.connectors.models import Connector
from qifu.connectors.services import entry_token_issue

DOC = Path(settings.BASE_DIR) / "docs" / "connectors.md"


def _snippet(starts_with: str) -> dict[str, Any]:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    source = next(b for b in blocks if starts_with in b)
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # noqa: S102 (our own documentation, under test)
    return namespace


@time_machine.travel("2026-11-26 10:00:00+08:00", tick=False)
def test_the_documented_verifier_accepts_our_token_and_refuses_a_wrong_audience(
    connector: Connector, enterprise_user: Any
) -> None:
    verify = _snippet("def verify")["verify"]
    token = entry_token_issue(connector=connector, user=enterprise_user, matter_code="QY-1")
    claims = verify(token, connector.secret, "yichuangtong")
    assert claims["credit_code"] == enterprise_user.enterprise.credit_code
    with pytest.raises(ValueError):
        verify(token, connector.secret, "gongcheng")
    with pytest.raises(ValueError):
        verify(token, "another-secret", "yichuangtong")


@time_machine.travel("2026-11-26 10:05:00+08:00", tick=False)
def test_the_documented_python_sender_is_accepted_by_the_webhook(
    connector: Connector,
    event_payload: Any,
    client: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import contextlib
    import io
    import urllib.request

    def urlopen(request: urllib.request.Request, timeout: int) -> Any:
        response = client.post(
            request.full_url.removeprefix("http://testserver"),
            data=request.data,
            content_type="application/json",
            headers={
                "X-Qifu-Timestamp": request.get_header("X-qifu-timestamp"),
                "X-Qifu-Signature": request.get_header("X-qifu-signature"),
            },
        )
        assert response.status_code == 201, response.content
        return contextlib.closing(io.BytesIO(response.content))

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    push = _snippet("def push")["push"]
    answer = push("http://testserver", "yichuangtong", connector.secret, event_payload())
    assert b'"applied"' in answer
