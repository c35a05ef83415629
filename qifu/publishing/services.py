"""The review-before-publishing workflow, shared by every kind of published content, on the one
workflow mechanism (the table is `qifu.publishing.workflow`).

Editing rule: saving a change to a CONTENT field of an approved or published item sends it back
to `submitted`; it leaves the public site at once and returns only when re-approved and
published again. We do not keep the old version online meanwhile: what the public sees must be
exactly what a reviewer approved (article 12), and one visible row per item keeps every reader
simple. Changing only the schedule (publish_at, expires_on) needs no new review.

Each step locks the row, checks the table and the permission, writes the PublicationEvent and an
audit record (`publishing.<action>`), and the notifications in the same transaction; the
after-publish hooks (pushes to eligible enterprises) run once the publication has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qifu.core.workflow import TransitionNotAllowed as BaseTransitionNotAllowed
from qifu.publishing.models import PublicationAction, PublicationStatus, Publishable, Revision
from qifu.publishing.workflow import can_manage as can_manage
from qifu.publishing.workflow import can_review as can_review
from qifu.publishing.workflow import is_author as is_author
from qifu.publishing.workflow import process_for

logger = logging.getLogger(__name__)

P = TypeVar("P", bound=Publishable)
S = PublicationStatus


# The one exception of every process (HTTP 409, a message on the page).
TransitionNotAllowed = BaseTransitionNotAllowed


# Labels of every step of the history shown on the edit page (one registry: the table's).
ACTION_LABELS: dict[str, str] = dict(PublicationAction.choices)

SYSTEM = "系统"


# --- Permissions (the rules are the table's; these say why a refusal was made) ----------------


def _check_reviewer(user: Any, item: Publishable) -> None:
    if not user.administers_section(item.section):
        raise PermissionDenied(f"您不负责“{item.get_section_display()}”版块，不能审核此内容。")  # type: ignore[attr-defined]
    if is_author(user, item):
        raise PermissionDenied("不能审核自己撰写的内容，请由本版块其他审核人员审核。")


def _check_manager(user: Any, item: Publishable) -> None:
    if not can_manage(user, item):
        raise PermissionDenied("只有提供单位的工作人员可以执行此操作。")


def _check_manager_or_reviewer(user: Any, item: Publishable) -> None:
    if not (can_manage(user, item) or user.administers_section(item.section)):
        raise PermissionDenied("只有提供单位或本版块审核人员可以执行此操作。")


# --- Content and revisions --------------------------------------------------------------------


def _revisions(item: Publishable) -> Any:
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        object_id=item.pk,
    ).order_by("-version")


def _write_revision(item: Publishable, author: Any) -> Revision:
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
        object_id=item.pk,
        version=item.revision,
        snapshot=item.editable_snapshot(),
        status=item.status,
        author=author,
    )


def publication_create(*, item: P, author: Any) -> P:
    """Save a new item as a draft of the author's department, with its first revision.

    Enterprise-authored items are written by a user of their enterprise, provider-authored ones
    by a member of their (approved) provider; the caller sets their provider_department to the
    agency that reviews them.
    """
    if item.ENTERPRISE_AUTHORED:
        enterprise_id = getattr(item, "enterprise_id", None)
        if not author.is_authenticated or enterprise_id is None:
            raise PermissionDenied("只有企业用户可以发布本企业的信息。")
        if author.enterprise_id != enterprise_id or item.provider_department_id is None:
            raise PermissionDenied("只有企业用户可以发布本企业的信息。")
    elif item.PROVIDER_AUTHORED:
        from qifu.providers.access import is_provider_member

        provider_id = getattr(item, "provider_id", None)
        if not is_provider_member(author, provider_id) or item.provider_department_id is None:
            raise PermissionDenied("只有已入驻服务机构的成员可以发布本机构的信息。")
    elif not author.is_authenticated or not author.is_government or author.department_id is None:
        raise PermissionDenied("只有部门工作人员可以撰写发布内容。")
    else:
        item.provider_department_id = author.department_id
    item.created_by = author
    item.status = S.DRAFT
    item.revision = 1
    item.full_clean()
    with process_for(type(item)).start(item, "create", actor=author, state=S.DRAFT) as step:
        item.save()
        step.data = {"revision": 1}
        step.then(lambda: _write_revision(item, author))
    return item


def publication_update(*, item: P, actor: Any, changes: dict[str, Any]) -> P:
    """Save edits as a new revision; changed content of approved/published items is re-reviewed."""
    process = process_for(type(item))
    try:
        return _update(process, item=item, actor=actor, changes=changes)
    except _Unchanged as unchanged:
        return unchanged.item  # type: ignore[no-any-return]


def _update(process: Any, *, item: P, actor: Any, changes: dict[str, Any]) -> P:
    with transaction.atomic():
        with process.act(item, "update", actor=actor, check=False) as step:
            locked = step.obj
            _check_manager(actor, locked)
            before = locked.editable_snapshot()
            for name, value in changes.items():
                setattr(locked, name, value)
            locked.full_clean()
            after = locked.editable_snapshot()
            changed = [name for name in after if after[name] != before[name]]
            if not changed:
                raise _Unchanged(locked)
            locked.revision += 1
            step.data = {"revision": locked.revision, "fields": changed}
        content_changed = any(name in locked.CONTENT_FIELDS for name in changed)
        if content_changed and process.allows("edit", locked.status):
            locked = _transition(item=locked, action="edit", actor=actor, changes=_submitted)
        _write_revision(locked, actor)
    return locked


class _Unchanged(Exception):
    def __init__(self, item: Any) -> None:
        self.item = item


# --- Transitions ------------------------------------------------------------------------------


Changes = Callable[[Any, datetime], dict[str, Any]]


def _no_changes(item: Any, now: datetime) -> dict[str, Any]:
    return {}


def _submitted(item: Any, now: datetime) -> dict[str, Any]:
    return {"submitted_at": now, "reviewed_by": None, "reviewed_at": None}


def _published(item: Any, now: datetime) -> dict[str, Any]:
    return {"published_at": now, "withdrawn_at": None}


def _transition(
    *,
    item: P,
    action: str,
    actor: Any,
    changes: Changes = _no_changes,
    check: Callable[[Any], None] | None = None,
    comment: str = "",
) -> P:
    """One step of the item's process; `check` refuses with the reason a person understands."""
    with process_for(type(item)).act(item, action, actor=actor, check=check is None) as step:
        locked = step.obj
        if check is not None:
            check(locked)
        for name, value in changes(locked, step.now).items():
            setattr(locked, name, value)
        step.note = comment
        step.data = {"revision": locked.revision, **({"comment": comment} if comment else {})}
        _notify(step, action)
        if action == "publish":
            transaction.on_commit(lambda: _after_publish(locked))
    return locked  # type: ignore[no-any-return]


def _reviewers(item: Publishable) -> list[Any]:
    """Users who may review the item: staff of the agencies that run its section."""
    from qifu.accounts.models import Department, Role, User

    departments = [d.pk for d in Department.objects.all() if item.section in (d.sections or [])]
    users = User.objects.filter(
        is_active=True,
        department_id__in=departments,
        role_grants__role__in=[Role.PLATFORM_STAFF, Role.DEPARTMENT_ADMIN, Role.LIAISON],
    ).distinct()
    return [u for u in users if not is_author(u, item)]


NOTICE_TEXT = {
    "submit": ("内容待审核", "“{title}”已送审，请审核后发布。"),
    "approve": ("内容已审核通过", "“{title}”已审核通过，可以发布。"),
    "return": ("内容被退回", "“{title}”被退回修改，理由：{reason}"),
    "publish": ("内容已发布", "“{title}”已在平台发布。"),
    "expire": ("内容已到期下线", "“{title}”已过有效期，已从平台下线，请及时更新或清理。"),
}


# Called with the item after a "publish" commits (e.g. pushing a call to eligible enterprises);
# apps append theirs in AppConfig.ready(). A failing hook is logged, never undoes the publication.
after_publish_hooks: list[Callable[[Publishable], None]] = []


def _after_publish(item: Publishable) -> None:
    logger.info("publishing.publish %s#%s", item._meta.label_lower, item.pk)
    for hook in after_publish_hooks:
        try:
            hook(item)
        except Exception:
            logger.exception("after_publish hook %r failed for %s", hook, item.pk)


def _notify(step: Any, action: str) -> None:
    """Tell reviewers what awaits them, authors the outcome (in the step's transaction)."""
    text = NOTICE_TEXT.get(action)
    if text is None:
        return
    item = step.obj
    title, body = text
    manage_url = getattr(item, "manage_url", None)
    url = manage_url() if callable(manage_url) else ""
    if action == "submit":
        recipients = _reviewers(item)
    else:
        recipients = [item.created_by] if item.created_by_id else []
    step.notify(
        recipients,
        title,
        lambda: body.format(
            title=getattr(item, "title", str(item)), reason=item.review_comment or "未填写"
        ),
        url=url,
    )


def publication_submit(*, item: P, actor: Any) -> P:
    """Send an item to review (送审)."""
    return _transition(
        item=item,
        action="submit",
        actor=actor,
        changes=_submitted,
        check=lambda locked: _check_manager(actor, locked),
    )


def publication_approve(*, item: P, actor: Any, expected_revision: int | None = None) -> P:
    """Approve a submitted item; the reviewer administers its section and did not write it."""

    def check(locked: Publishable) -> None:
        _check_reviewer(actor, locked)
        if expected_revision is not None and locked.revision != expected_revision:
            raise TransitionNotAllowed("内容在您审核期间已被修改，请查看最新版本后再审核。")

    return _transition(
        item=item,
        action="approve",
        actor=actor,
        changes=lambda locked, now: {
            "reviewed_by": actor,
            "reviewed_at": now,
            "review_comment": "",
        },
        check=check,
    )


def publication_return(*, item: P, actor: Any, reason: str) -> P:
    """Return an item to its author with a reason (退回修改)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因。"})
    return _transition(
        item=item,
        action="return",
        actor=actor,
        changes=lambda locked, now: {
            "reviewed_by": actor,
            "reviewed_at": now,
            "review_comment": reason,
        },
        check=lambda locked: _check_reviewer(actor, locked),
        comment=reason,
    )


def publication_publish(*, item: P, actor: Any) -> P:
    """Publish an approved item now, or, when its publish_at lies ahead, leave it to the job."""
    with transaction.atomic():
        # Decide on the locked row: an edit may just have moved publish_at.
        current = type(item).objects.select_for_update().get(pk=item.pk)
        if current.publish_at is not None and current.publish_at > timezone.now():
            return _transition(
                item=current,
                action="schedule",
                actor=actor,
                check=lambda locked: _check_manager_or_reviewer(actor, locked),
                comment=f"定于 {timezone.localtime(current.publish_at):%Y-%m-%d %H:%M} 发布",
            )
        return _transition(
            item=current,
            action="publish",
            actor=actor,
            changes=_published,
            check=lambda locked: _check_manager_or_reviewer(actor, locked),
        )


def publication_withdraw(*, item: P, actor: Any, reason: str = "") -> P:
    """Take an item off the public site (or cancel its scheduled publication)."""
    return _transition(
        item=item,
        action="withdraw",
        actor=actor,
        changes=lambda locked, now: {"withdrawn_at": now},
        check=lambda locked: _check_manager_or_reviewer(actor, locked),
        comment=(reason or "").strip(),
    )


# --- Periodic jobs ----------------------------------------------------------------------------


def publishable_models() -> list[type[Publishable]]:
    return [m for m in apps.get_models() if issubclass(m, Publishable)]


def _require_due(item: Publishable, now: datetime) -> None:
    if item.publish_at is None or item.publish_at > now:
        raise TransitionNotAllowed("定时发布时间已更改。")


def publication_publish_due(*, now: datetime | None = None) -> int:
    """Publish approved items whose publish_at has come; returns how many were published."""
    now = now or timezone.now()
    count = 0
    for model in publishable_models():
        due = model.objects.filter(status=S.APPROVED, publish_at__lte=now)
        for pk in list(due.values_list("pk", flat=True)):
            try:
                _transition(
                    item=model(pk=pk),  # type: ignore[misc]
                    action="publish",
                    actor=None,
                    changes=_published,
                    check=lambda locked: _require_due(locked, now),
                )
            except TransitionNotAllowed:
                continue  # another worker or a reviewer got there first
            count += 1
    return count


def publication_expire_due(*, today: date | None = None) -> int:
    """Take published items past their last day off the site; returns how many expired."""
    today = today or timezone.localdate()
    count = 0
    for model in publishable_models():
        due = model.objects.filter(status=S.PUBLISHED, expires_on__lt=today)
        for pk in list(due.values_list("pk", flat=True)):
            try:
                item = model(pk=pk)  # type: ignore[misc]
                _transition(item=item, action="expire", actor=None)
            except TransitionNotAllowed:
                continue
            count += 1
    return count
