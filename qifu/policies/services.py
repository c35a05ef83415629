"""Writes of the policy library: staff editing through review, and imports of exchange files.

Import rule (documented for administrators): an import by an administrator *is* the review act
(谁提供、谁负责 — the file comes from the issuing department through the administrator). A new
code is created published, provided by its issuer, written and reviewed by the importing actor at
the time of the import. Importing the same code again with identical content changes nothing.
With changed content the policy becomes a new revision and is published again (new reviewer and
publication time), whatever its status was: the file is the authority. Every import of a row that
changes something is audited as `policies.import`; the publication itself as `publishing.publish`
so the policy's history page shows it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.access import get_for_user_or_404
from qifu.accounts.models import Enterprise, Section
from qifu.accounts.services import enterprise_upsert
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.policies.models import (
    AutoGrant,
    AutoGrantStatus,
    Policy,
    PolicyAttachment,
    PolicyMute,
    PolicySubscription,
)
from qifu.policies.richtext import sanitize
from qifu.publishing.models import PublicationStatus, Revision
from qifu.publishing.services import publication_create, publication_update

EDITABLE_FIELDS = (
    "title",
    "doc_number",
    "published_on",
    "summary",
    "body",
    "industries",
    "criteria",
    "tags",
    "benefit",
    "how_to_apply",
    "is_auto_grant",
    "publish_at",
    "expires_on",
)
IMPORT_FIELDS = (
    "title",
    "issuer",
    "doc_number",
    "published_on",
    "expires_on",
    "summary",
    "body",
    "industries",
    "criteria",
    "tags",
    "benefit",
    "how_to_apply",
    "is_auto_grant",
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

logger = logging.getLogger(__name__)


def _reindex(policy: Policy) -> None:
    """Keep the full-text index in step with the content."""
    from qifu.policies.search import policy_index

    policy_index(policy=policy)


def _after_publish(policy: Policy) -> None:
    """Run the publishing hooks (pushes, 免申即享 lists) after the import commits."""
    from qifu.publishing import services as publishing

    hooks: list[Callable[[Any], None]] = getattr(publishing, "after_publish_hooks", [])
    for hook in hooks:
        try:
            hook(policy)
        except Exception:  # as in publishing: a failed push never undoes the publication
            logger.exception("after_publish hook %r failed for policy %s", hook, policy.pk)


# --- Staff ------------------------------------------------------------------------------------


def policy_create(*, author: Any, code: str, **fields: Any) -> Policy:
    """Write a policy as a draft issued and provided by the author's department."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "body" in fields:
        fields["body"] = sanitize(fields["body"])
    policy = Policy(code=code, issuer_id=author.department_id, section=Section.POLICY, **fields)
    with transaction.atomic():
        policy = publication_create(item=policy, author=author)
        _reindex(policy)
    return policy


def policy_update(*, policy: Policy, actor: Any, **changes: Any) -> Policy:
    """Edit a policy; changed content of an approved or published one goes back to review."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "body" in changes:
        changes["body"] = sanitize(changes["body"])
    with transaction.atomic():
        updated = publication_update(item=policy, actor=actor, changes=changes)
        if updated.revision != policy.revision:
            _reindex(updated)
    return updated


# --- Imports ----------------------------------------------------------------------------------


def _write_revision(policy: Policy, author: Any) -> None:
    Revision.objects.create(
        content_type=ContentType.objects.get_for_model(Policy, for_concrete_model=False),
        object_id=policy.pk,
        version=policy.revision,
        snapshot=policy.editable_snapshot(),
        status=policy.status,
        author=author,
    )


def _comparable(policy: Policy) -> dict[str, Any]:
    return {name: getattr(policy, name) for name in IMPORT_FIELDS}


def policy_attachment_add(*, policy: Policy, actor: Any, upload: Any) -> PolicyAttachment:
    """Attach a file, checked by its content, to a policy the actor's department provides."""
    from qifu.publishing.services import can_manage

    if not can_manage(actor, policy):
        raise PermissionDenied("只有发布部门的工作人员可以上传附件。")
    try:
        extension = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    upload.seek(0)
    attachment = PolicyAttachment(
        policy=policy,
        original_name=(upload.name or "附件")[-200:],
        content_type=ATTACHMENT_MIME[extension],
        size=upload.size,
        uploaded_by=actor,
    )
    with transaction.atomic():
        # A random stored name: the original one is only shown, never used as a path.
        attachment.file.save(
            f"{uuid.uuid4().hex}.{extension}", ContentFile(upload.read()), save=False
        )
        attachment.save()
        audit_record(
            action="policies.attachment_add",
            actor=actor,
            target=policy,
            summary=f"{policy.title} 上传附件 {attachment.original_name}"[:500],
            data={"attachment": attachment.pk, "size": attachment.size},
        )
    return attachment


def policy_attachment_remove(*, attachment: PolicyAttachment, actor: Any) -> None:
    """Remove a policy's file; the stored file goes once the row is gone."""
    from qifu.publishing.services import can_manage

    policy = attachment.policy
    if not can_manage(actor, policy):
        raise PermissionDenied("只有发布部门的工作人员可以删除附件。")
    name, storage, path = attachment.original_name, attachment.file.storage, attachment.file.name
    with transaction.atomic():
        attachment.delete()
        audit_record(
            action="policies.attachment_remove",
            actor=actor,
            target=policy,
            summary=f"{policy.title} 删除附件 {name}"[:500],
        )
        transaction.on_commit(lambda: storage.delete(path))


def policy_import(*, data: dict[str, Any], actor: Any, today: date | None = None) -> str:
    """Create or update one policy from a cleaned exchange row, published by `actor`."""
    if actor is None or not getattr(actor, "is_superuser", False):
        raise PermissionError("只有系统管理员可以导入政策。")
    values = {name: data[name] for name in IMPORT_FIELDS}
    values["body"] = sanitize(values["body"])
    with transaction.atomic():
        policy = Policy.objects.select_for_update().filter(code=data["code"]).first()
        source = policy.status if policy else ""
        if policy is None:
            outcome = CREATED
            policy = Policy(code=data["code"], section=Section.POLICY, created_by=actor)
            policy.revision = 1
        else:
            before = _comparable(policy)
            for name, value in values.items():
                setattr(policy, name, value)
            policy.full_clean()
            if _comparable(policy) == before:
                return UNCHANGED
            outcome = UPDATED
            policy.revision += 1
        now = timezone.now()
        for name, value in values.items():
            setattr(policy, name, value)
        policy.provider_department = data["issuer"]
        policy.status = PublicationStatus.PUBLISHED
        policy.submitted_at = policy.submitted_at or now
        policy.reviewed_by = actor
        policy.reviewed_at = now
        policy.review_comment = ""
        policy.published_at = now
        policy.withdrawn_at = None
        policy.publish_at = None
        policy.full_clean()
        policy.save()
        _write_revision(policy, actor)
        audit_record(
            action="publishing.publish",
            actor=actor,
            target=policy,
            summary=str(policy),
            data={
                "from": source or PublicationStatus.DRAFT,
                "to": PublicationStatus.PUBLISHED,
                "revision": policy.revision,
                "comment": "管理员导入，导入即审核发布",
            },
        )
        audit_record(
            action="policies.import",
            actor=actor,
            target=policy,
            summary=f"{policy.code} {policy.title}",
            data={"outcome": outcome, "revision": policy.revision},
        )
        _reindex(policy)
        published = policy
        transaction.on_commit(lambda: _after_publish(published))
    return outcome


ENTERPRISE_IMPORT_FIELDS = (
    "name",
    "industry",
    "scale",
    "qualifications",
    "region",
    "employees",
    "registered_capital",
    "revenue",
    "founded_on",
    "rd_ratio",
)


def enterprise_import(*, data: dict[str, Any], actor: Any = None) -> str:
    """Create or update one enterprise from a cleaned exchange row (by credit code)."""
    fields = {name: data[name] for name in ENTERPRISE_IMPORT_FIELDS}
    current = Enterprise.objects.filter(credit_code=data["credit_code"]).first()
    if current is not None and all(
        getattr(current, name) == value for name, value in fields.items()
    ):
        return UNCHANGED
    enterprise_upsert(credit_code=data["credit_code"], actor=actor, **fields)
    return CREATED if current is None else UPDATED


# --- Subscriptions and mutes ------------------------------------------------------------------


def policy_subscription_add(*, user: Any, kind: str, value: str) -> PolicySubscription:
    """Subscribe a user to new policies of a department, industry, tag or keyword (idempotent)."""
    subscription, _ = PolicySubscription.objects.get_or_create(user=user, kind=kind, value=value)
    return subscription


def policy_subscription_remove(*, user: Any, pk: int) -> None:
    """Remove one of the user's own subscriptions (another user's is a 404)."""
    subscription = get_for_user_or_404(PolicySubscription.objects.all(), user, pk=pk)
    subscription.delete()


def policy_mute_add(*, user: Any, tag: str) -> PolicyMute:
    """Stop pushes of policies carrying the tag to this user (idempotent)."""
    mute, _ = PolicyMute.objects.get_or_create(user=user, tag=tag)
    return mute


def policy_mute_remove(*, user: Any, pk: int) -> None:
    """Lift one of the user's own mutes (another user's is a 404)."""
    get_for_user_or_404(PolicyMute.objects.all(), user, pk=pk).delete()


# --- 免申即享 ----------------------------------------------------------------------------------


def auto_grant_list(*, policy: Policy, today: date | None = None) -> int:
    """List every enterprise eligible today for an auto-grant policy; returns how many were new."""
    from qifu.policies.push import eligible_enterprise_ids

    if not policy.is_auto_grant:
        return 0
    today = today or timezone.localdate()
    ids = eligible_enterprise_ids(policy=policy, today=today)
    existing = set(
        AutoGrant.objects.filter(policy=policy, enterprise_id__in=ids).values_list(
            "enterprise_id", flat=True
        )
    )
    new = [AutoGrant(policy=policy, enterprise_id=pk) for pk in ids if pk not in existing]
    AutoGrant.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


def auto_grant_confirm(*, policy: Policy, grant_ids: list[int], actor: Any) -> int:
    """The issuing department confirms listed enterprises (已享受); returns how many."""
    if not (
        actor.is_superuser or (actor.is_government and actor.department_id == policy.issuer_id)
    ):
        raise PermissionDenied("只有发布部门的工作人员可以确认免申即享名单。")
    now = timezone.now()
    with transaction.atomic():
        # The conditional UPDATE is the claim: a second click or a colleague confirms nothing twice.
        claimed = list(
            AutoGrant.objects.filter(
                policy=policy, pk__in=grant_ids, status=AutoGrantStatus.LISTED
            ).values_list("pk", flat=True)
        )
        count = AutoGrant.objects.filter(pk__in=claimed, status=AutoGrantStatus.LISTED).update(
            status=AutoGrantStatus.CONFIRMED, confirmed_by=actor, confirmed_at=now, updated_at=now
        )
        if count:
            audit_record(
                action="policies.auto_grant.confirm",
                actor=actor,
                target=policy,
                summary=f"{policy.title}：确认 {count} 家企业",
                data={"grants": claimed},
            )
    return count


# --- Review reminders -------------------------------------------------------------------------

STALE_AFTER = timedelta(days=365)


def policy_flag_stale(*, now: datetime | None = None) -> int:
    """Remind issuers of published policies unchanged for a year; once per policy per year."""
    from qifu.accounts.models import User
    from qifu.notifications.services import notify

    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    due = Policy.objects.filter(
        Q(stale_flagged_at__isnull=True) | Q(stale_flagged_at__lt=cutoff),
        Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=cutoff),
        status=PublicationStatus.PUBLISHED,
        updated_at__lt=cutoff,
    )
    flagged = 0
    for pk, issuer_id, title, before in due.values_list(
        "pk", "issuer_id", "title", "stale_flagged_at"
    ):
        # Claimed by a conditional UPDATE, so a second worker or run does not remind twice.
        if not Policy.objects.filter(pk=pk, stale_flagged_at=before).update(stale_flagged_at=now):
            continue
        staff = [
            u
            for u in User.objects.filter(department_id=issuer_id, is_active=True).prefetch_related(
                "role_grants"
            )
            if u.is_government
        ]
        if staff:
            notify(
                users=staff,
                code="generic",
                context={
                    "title": "政策需要复核",
                    "body": f"“{title}”已超过一年未复核或更新，请确认是否仍然有效，"
                    "必要时修改、撤回或设置有效期。",
                },
                url=reverse("policies:edit", args=[pk]),
                channels=("inbox",),
            )
        flagged += 1
    return flagged


def on_publish(item: Any) -> None:
    """The after_publish hook: lists 免申即享 grants and pushes policies, ignores other content."""
    from qifu.policies.push import policy_push

    if not isinstance(item, Policy):
        return
    policy = Policy.objects.select_related("issuer").get(pk=item.pk)
    if policy.is_auto_grant and policy.is_public:
        auto_grant_list(policy=policy)
    policy_push(policy_id=item.pk)
