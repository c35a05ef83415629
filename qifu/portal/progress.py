"""办件进度查询: find an appeal, a matter application, a declaration or a message by its number.

The owner (or staff who may see it) is sent to its page; anyone else proves the phone the item
was filed with by an SMS code first, and then sees only its stage and the steps taken (never the
notes, the people or the files). A number that does not exist behaves exactly like one whose
phone does not match, so the form reveals nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from qifu.accounts.models import PhoneCodePurpose
from qifu.accounts.services import phone_code_send, phone_code_verify
from qifu.appeals.models import Appeal
from qifu.board.models import Message
from qifu.declarations.models import NUMBER_PREFIX, Application, ApplicationStatus
from qifu.matters.models import MatterApplication


@dataclass
class Tracked:
    kind: str
    number: str
    title: str
    status: str
    detail_url: str
    phones: tuple[str, ...]
    visible_to: Any  # a queryset of the item scoped by the model's for_user, via `opens_for`
    steps: list[tuple[dt.datetime, str]] = field(default_factory=list)

    def opens_for(self, user: Any) -> bool:
        return bool(user.is_authenticated and self.visible_to(user))


def _appeal(number: str) -> Tracked | None:
    appeal = Appeal.objects.select_related("enterprise").filter(number=number).first()
    if appeal is None:
        return None
    events = appeal.events.filter(is_public=True).only("at", "action")
    return Tracked(
        kind="企业诉求",
        number=appeal.number,
        title=appeal.title,
        status=appeal.get_stage_display(),
        detail_url=reverse("appeals:detail", args=[appeal.pk]),
        phones=tuple(
            p
            for p in (
                appeal.contact_phone,
                appeal.enterprise.contact_phone if appeal.enterprise else "",
            )
            if p
        ),
        visible_to=lambda user: Appeal.objects.for_user(user).filter(pk=appeal.pk).exists(),
        steps=[(e.at, e.get_action_display()) for e in events],
    )


def _matter(number: str) -> Tracked | None:
    application = MatterApplication.objects.select_related("matter").filter(number=number).first()
    if application is None:
        return None
    events = application.events.filter(is_public=True).only("at", "action")
    return Tracked(
        kind="办事事项",
        number=application.number,
        title=application.matter.name,
        status=application.get_status_display(),
        detail_url=reverse("matters:application", args=[application.pk]),
        phones=(application.contact_phone,),
        visible_to=lambda user: (
            MatterApplication.objects.for_user(user).filter(pk=application.pk).exists()
        ),
        steps=[(e.at, e.get_action_display()) for e in events],
    )


def _declaration(number: str) -> Tracked | None:
    digits = number.removeprefix(NUMBER_PREFIX)
    if not digits.isdigit():
        return None
    application = (
        Application.objects.select_related("enterprise", "created_by", "call")
        .exclude(status=ApplicationStatus.DRAFT)
        .filter(pk=int(digits))
        .first()
    )
    if application is None:
        return None
    events = application.events.filter(is_public=True).only("at", "action")
    return Tracked(
        kind="项目申报",
        number=application.number,
        title=f"{application.call.title}：{application.project_name}",
        status=application.get_status_display(),
        detail_url=application.get_absolute_url(),
        phones=tuple(
            p for p in (application.enterprise.contact_phone, application.created_by.phone) if p
        ),
        visible_to=lambda user: (
            Application.objects.for_user(user).filter(pk=application.pk).exists()
        ),
        steps=[(e.at, e.get_action_display()) for e in events],
    )


def _message(number: str) -> Tracked | None:
    message = Message.objects.filter(number=number).first()
    if message is None:
        return None
    return Tracked(
        kind="留言",
        number=message.number,
        title=message.title,
        status=message.get_status_display(),
        detail_url=reverse("board:detail", args=[message.pk]),
        phones=(message.phone,) if message.phone else (),
        visible_to=lambda user: Message.objects.for_user(user).filter(pk=message.pk).exists(),
        steps=[(message.created_at, "提交留言")]
        + ([(message.answered_at, "已答复")] if message.answered_at else []),
    )


def track(number: str) -> Tracked | None:
    """The item behind a number of any kind, or None."""
    number = number.strip().upper()
    if not number:
        return None
    for finder in (_appeal, _matter, _declaration, _message):
        found = finder(number)
        if found is not None:
            return found
    return None


def send_code(*, number: str, phone: str) -> None:
    """A code to the phone the item was filed with; otherwise one nobody receives (same reply)."""
    found = track(number)
    phone_code_send(
        phone=phone,
        purpose=PhoneCodePurpose.VERIFY,
        deliver=bool(found and phone in found.phones),
    )


def verified(*, number: str, phone: str, code: str) -> Tracked | None:
    """The item, once the code proves the phone it was filed with; raises on a wrong code."""
    phone_code_verify(phone=phone, purpose=PhoneCodePurpose.VERIFY, code=code)
    found = track(number)
    if found is None or phone not in found.phones:
        return None
    return found
