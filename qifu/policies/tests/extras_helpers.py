"""Builders shared by the tests of interpretations, topics and lectures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qifu.policies.services import policy_create
from qifu.publishing import services as publishing


def publish(item: Any, reviewer: Any) -> Any:
    """Take an item through review: submit, approve, publish."""
    publishing.publication_submit(item=item, actor=item.created_by)
    publishing.publication_approve(item=item, actor=reviewer)
    return publishing.publication_publish(item=item, actor=reviewer)


def published_policy(author: Any, reviewer: Any, *, code: str = "P-1", title: str = "") -> Any:
    policy = policy_create(
        author=author,
        code=code,
        title=title or f"政策{code}",
        published_on=dt.date(2026, 6, 1),
        body="正文",
    )
    return publish(policy, reviewer)
