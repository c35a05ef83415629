from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from qifu.notifications.models import Notification, OutboxMessage, Reminder
from qifu.notifications.services import outbox_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at", "read_at"]
    date_hierarchy = "created_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "masked_recipient",
        "kind",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    # The outbox is written by services only; the admin looks and retries.
    fields = readonly_fields = (
        "channel",
        "user",
        "masked_recipient",
        "kind",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "last_error",
        "sent_at",
        "created_at",
        "updated_at",
    )

    @admin.display(description="接收地址")
    def masked_recipient(self, obj: OutboxMessage) -> str:
        return obj.masked_recipient

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Saving a form would write back a stale status over the worker's; only "retry" writes.
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outboxmessage")

    @admin.action(description="重新发送所选的失败消息", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry(messages=queryset, actor=request.user)
        if count:
            self.message_user(request, f"已重新排队 {count} 条消息。", messages.SUCCESS)
        else:
            self.message_user(request, "所选消息中没有发送失败的。", messages.WARNING)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "code", "remind_at", "sent_at"]
    list_filter = ["code", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["key", "user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["sent_at", "created_at", "updated_at"]
    date_hierarchy = "remind_at"
