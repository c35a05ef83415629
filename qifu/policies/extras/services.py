"""Writes of interpretations, topics and lectures; the workflow is qifu.publishing's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.core.uploads import attachment_check
from qifu.notifications.services import reminder_cancel, reminder_schedule
from qifu.policies.models import (
    Interpretation,
    Lecture,
    LectureRegistration,
    Policy,
    Topic,
    TopicPolicy,
)
from qifu.policies.richtext import sanitize
from qifu.publishing.services import publication_create, publication_update

SCHEDULE = ("publish_at", "expires_on")
INTERPRETATION_FIELDS = (
    "policy",
    "kind",
    "title",
    "summary",
    "body",
    "image",
    "video_url",
    *SCHEDULE,
)
TOPIC_FIELDS = ("title", "summary", "cover", "policy_codes", *SCHEDULE)
LECTURE_FIELDS = (
    "title",
    "speaker",
    "policy",
    "summary",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "replay_url",
    *SCHEDULE,
)
IMAGE_KINDS = frozenset({"jpg", "png"})
REMIND_BEFORE = timedelta(hours=1)


def _only(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")


def image_check(upload: Any, *, field: str) -> None:
    """A JPG or PNG by its content; anything else is refused on `field`."""
    try:
        extension = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    if extension not in IMAGE_KINDS:
        raise ValidationError({field: "请上传 JPG 或 PNG 图片。"})


def _clean_uploads(fields: dict[str, Any], name: str) -> None:
    upload = fields.get(name)
    if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
        image_check(upload, field=name)


# --- 政策解读 ---------------------------------------------------------------------------------


def interpretation_create(*, author: Any, **fields: Any) -> Interpretation:
    """Write an interpretation as a draft of the author's department."""
    _only(fields, INTERPRETATION_FIELDS)
    fields["body"] = sanitize(fields.get("body", ""))
    _clean_uploads(fields, "image")
    return publication_create(item=Interpretation(**fields), author=author)


def interpretation_update(
    *, interpretation: Interpretation, actor: Any, **changes: Any
) -> Interpretation:
    """Edit an interpretation; changed content of a published one goes back to review."""
    _only(changes, INTERPRETATION_FIELDS)
    if "body" in changes:
        changes["body"] = sanitize(changes["body"])
    _clean_uploads(changes, "image")
    return publication_update(item=interpretation, actor=actor, changes=changes)


# --- 政策专题 ---------------------------------------------------------------------------------


def _policies_by_code(codes: list[str]) -> list[Policy]:
    ordered = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    found = {p.code: p for p in Policy.objects.filter(code__in=ordered)}
    missing = [code for code in ordered if code not in found]
    if missing:
        raise ValidationError({"policy_codes": f"未找到政策编码：{'、'.join(missing)}。"})
    return [found[code] for code in ordered]


def _write_entries(topic: Topic, policies: list[Policy]) -> None:
    TopicPolicy.objects.filter(topic=topic).delete()
    TopicPolicy.objects.bulk_create(
        TopicPolicy(topic=topic, policy=policy, position=index)
        for index, policy in enumerate(policies)
    )
    topic.__dict__.pop("_pending_codes", None)


def topic_create(*, author: Any, policy_codes: list[str], **fields: Any) -> Topic:
    """Write a topic with its policies in the given order, as a draft."""
    _only({**fields, "policy_codes": policy_codes}, TOPIC_FIELDS)
    policies = _policies_by_code(policy_codes)
    _clean_uploads(fields, "cover")
    topic = Topic(**fields)
    topic.policy_codes = [p.code for p in policies]
    with transaction.atomic():
        topic = publication_create(item=topic, author=author)
        _write_entries(topic, policies)
    return topic


def topic_update(*, topic: Topic, actor: Any, **changes: Any) -> Topic:
    """Edit a topic; a new list or order of policies is a content change, reviewed again."""
    _only(changes, TOPIC_FIELDS)
    policies = None
    if "policy_codes" in changes:
        policies = _policies_by_code(changes["policy_codes"])
        changes["policy_codes"] = [p.code for p in policies]
    _clean_uploads(changes, "cover")
    with transaction.atomic():
        updated = publication_update(item=topic, actor=actor, changes=changes)
        if policies is not None:
            _write_entries(updated, policies)
    return updated


# --- 政策在线讲堂 -----------------------------------------------------------------------------


def _schedule_reminder(lecture: Lecture, registration: LectureRegistration) -> None:
    start = timezone.localtime(lecture.starts_at)
    where = lecture.place or "线上"
    reminder_schedule(
        user=registration.user,
        code="generic",
        context={
            "title": "政策讲堂即将开始",
            "body": f"您报名的政策讲堂“{lecture.title}”将于{start:%m月%d日 %H:%M}开始（{where}）。",
        },
        remind_at=lecture.starts_at - REMIND_BEFORE,
        key=registration.reminder_key,
        url=reverse("policies:lecture_detail", args=[lecture.pk]),
    )


def lecture_create(*, author: Any, **fields: Any) -> Lecture:
    """Write a lecture as a draft of the author's department."""
    _only(fields, LECTURE_FIELDS)
    return publication_create(item=Lecture(**fields), author=author)


def lecture_update(*, lecture: Lecture, actor: Any, **changes: Any) -> Lecture:
    """Edit a lecture; when its time moves, every registrant's reminder moves with it."""
    _only(changes, LECTURE_FIELDS)
    with transaction.atomic():
        updated = publication_update(item=lecture, actor=actor, changes=changes)
        if updated.starts_at != lecture.starts_at or updated.title != lecture.title:
            for registration in updated.registrations.select_related("user"):
                _schedule_reminder(updated, registration)
    return updated


def lecture_register(*, lecture: Lecture, user: Any) -> LectureRegistration:
    """Take a seat; registering twice keeps the first seat, a full lecture refuses."""
    if not user.is_authenticated:
        raise ValidationError("请先登录再报名。")
    with transaction.atomic():
        # The lecture row is the lock that serialises registrations, so the count below
        # cannot be passed by two concurrent requests for the last seat.
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        existing = LectureRegistration.objects.filter(lecture=locked, user=user).first()
        if existing is not None:
            return existing
        if not locked.is_open_for_registration(timezone.now()):
            raise ValidationError("讲堂已开始或未发布，不能报名。")
        if LectureRegistration.objects.filter(lecture=locked).count() >= locked.capacity:
            raise ValidationError("名额已满。")
        registration = LectureRegistration.objects.create(
            lecture=locked, user=user, enterprise_id=user.enterprise_id
        )
        _schedule_reminder(locked, registration)
        audit_record(
            action="policies.lecture_register",
            actor=user,
            target=locked,
            summary=f"报名政策讲堂 {locked.title}"[:500],
        )
    return registration


def lecture_registration_cancel(*, lecture: Lecture, user: Any) -> bool:
    """Give the seat back before the start, with its reminder; False when there was none."""
    with transaction.atomic():
        locked = Lecture.objects.select_for_update().get(pk=lecture.pk)
        registration = LectureRegistration.objects.filter(lecture=locked, user=user).first()
        if registration is None:
            return False
        if timezone.now() >= locked.starts_at:
            raise ValidationError("讲堂已开始，不能取消报名。")
        registration.delete()
        reminder_cancel(key=registration.reminder_key)
        audit_record(
            action="policies.lecture_cancel",
            actor=user,
            target=locked,
            summary=f"取消报名政策讲堂 {locked.title}"[:500],
        )
    return True
