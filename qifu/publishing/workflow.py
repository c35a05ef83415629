"""Review before publishing (measures, art. 12: 先审核、后发布，谁提供、谁负责) as a process, one
table for every kind of publishable content (a Process per concrete model, built on demand).

draft ─submit→ submitted ─approve→ approved ─publish→ published ─expire→ expired
                 │  ↑                 │  (publish_at in the future: schedule, the job publishes)
          return ↓  │ submit          └─withdraw→ withdrawn ←withdraw─ published
               returned
An edit of an approved or published item's content sends it back to `submitted` (edit).
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.access import is_signed_in
from qifu.core.workflow import Process, action, nobody, permission
from qifu.publishing.models import (
    PublicationAction,
    PublicationEvent,
    PublicationStatus,
    Publishable,
)

S = PublicationStatus
A = PublicationAction
ALL = list(S.values)


def can_manage(user: Any, item: Publishable) -> bool:
    """The provider department's staff edit, submit and publish its items (谁提供、谁负责)."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    if item.ENTERPRISE_AUTHORED:
        enterprise_id = getattr(item, "enterprise_id", None)
        return bool(enterprise_id is not None and user.enterprise_id == enterprise_id)
    if item.PROVIDER_AUTHORED:
        from qifu.providers.access import is_provider_member

        return is_provider_member(user, getattr(item, "provider_id", None))
    return bool(user.is_government and user.department_id == item.provider_department_id)


def is_author(user: Any, item: Publishable) -> bool:
    """The creator, or whoever saved the latest version, wrote what is under review."""
    from qifu.publishing.selectors import latest_author_id

    if user.pk == item.created_by_id:
        return True
    return bool(latest_author_id(item) == user.pk)


def can_review(user: Any, item: Publishable) -> bool:
    """Reviewers administer the item's section and never review their own writing."""
    if not is_signed_in(user) or not user.administers_section(item.section):
        return False
    return not is_author(user, item)


@permission("提供单位", "只有提供单位的工作人员可以执行此操作。")
def may_manage(user: Any, item: Publishable) -> bool:
    return can_manage(user, item)


@permission("本版块审核人员（非撰写人）", "不能审核此内容：须由本版块其他审核人员审核。")
def may_review(user: Any, item: Publishable) -> bool:
    return can_review(user, item)


@permission("提供单位或本版块审核人员", "只有提供单位或本版块审核人员可以执行此操作。")
def may_publish(user: Any, item: Publishable) -> bool:
    # The scheduled-publication job acts without a user.
    return (
        user is None
        or can_manage(user, item)
        or (is_signed_in(user) and bool(user.administers_section(item.section)))
    )


ACTIONS = [
    action(A.CREATE, "创建", sources=[], allowed=may_manage),
    action(A.UPDATE, "修改", sources=ALL, allowed=may_manage),
    action(
        A.SUBMIT,
        "提交审核",
        sources=[S.DRAFT, S.RETURNED, S.WITHDRAWN, S.EXPIRED],
        to=S.SUBMITTED,
        allowed=may_manage,
    ),
    action(A.APPROVE, "审核通过", sources=[S.SUBMITTED], to=S.APPROVED, allowed=may_review),
    action(
        A.RETURN,
        "退回修改",
        sources=[S.SUBMITTED, S.APPROVED],
        to=S.RETURNED,
        allowed=may_review,
    ),
    action(A.SCHEDULE, "定时发布", sources=[S.APPROVED], allowed=may_publish),
    action(A.PUBLISH, "发布", sources=[S.APPROVED], to=S.PUBLISHED, allowed=may_publish),
    action(
        A.WITHDRAW,
        "撤回",
        sources=[S.APPROVED, S.PUBLISHED],
        to=S.WITHDRAWN,
        allowed=may_publish,
    ),
    action(A.EXPIRE, "到期下线", sources=[S.PUBLISHED], to=S.EXPIRED, allowed=nobody),
    action(
        A.EDIT,
        "修改后重新送审",
        sources=[S.APPROVED, S.PUBLISHED],
        to=S.SUBMITTED,
        allowed=may_manage,
    ),
]

_processes: dict[type[Any], Process] = {}


def process_for(model: type[Publishable]) -> Process:
    """The publication process of one kind of content (the same table for every kind)."""
    process = _processes.get(model)
    if process is None:
        process = Process(
            name=f"publishing.{model._meta.label_lower}",
            label=str(model._meta.verbose_name),
            model=model,
            states=PublicationStatus,
            history=PublicationEvent,
            subject="item",
            audit_prefix="publishing",
            number=str,
            url=lambda item: item.manage_url() if hasattr(item, "manage_url") else "",
            actions=ACTIONS,
        )
        _processes[model] = process
    return process
