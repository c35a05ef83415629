"""The user's own in-app notifications."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from qifu.notifications import selectors, services
from qifu.notifications.models import Notification

router = Router(tags=["消息通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool

    # The contract gives times with the local offset (+08:00), not in UTC.
    @staticmethod
    def resolve_created_at(obj: Notification) -> datetime:
        return timezone.localtime(obj.created_at)

    @staticmethod
    def resolve_read_at(obj: Notification) -> datetime | None:
        return timezone.localtime(obj.read_at) if obj.read_at else None


class MarkAllOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut], summary="我的消息（最新在前）")
@paginate
def notification_list(request: HttpRequest, unread: bool | None = None) -> QuerySet[Notification]:
    notifications = selectors.notification_list(user=request.user)
    if unread is not None:
        notifications = notifications.filter(read_at__isnull=unread)
    return notifications


@router.post("/read-all", response=MarkAllOut, summary="全部标为已读")
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notification_mark_all_read(user=request.user)}


@router.post("/{int:notification_id}/read", response=NotificationOut, summary="标为已读")
def notification_read(request: HttpRequest, notification_id: int) -> Notification:
    notification = selectors.notification_get(user=request.user, pk=notification_id)
    services.notification_mark_read(notification=notification)
    return notification
