"""Password rules of MLPS 2.0 level 3: length (by Django's validator), classes, not identity."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least three of: upper case, lower case, digits, symbols."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊符号中的至少三类。",
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return "至少包含大写字母、小写字母、数字、特殊符号中的三类。"


class NotIdentityValidator:
    """The password may not contain the username or the phone number."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        lowered = password.lower()
        username = (getattr(user, "username", "") or "").lower()
        phone = getattr(user, "phone", "") or ""
        if username and len(username) >= 3 and username in lowered:
            raise ValidationError("密码不能包含用户名。", code="password_has_username")
        if phone and phone in password:
            raise ValidationError("密码不能包含手机号。", code="password_has_phone")

    def get_help_text(self) -> str:
        return "不能包含用户名或手机号。"


class PasswordHistoryValidator:
    """Not the current password nor one of the last `count` (MLPS 2.0 level 3, 身份鉴别 a)."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import check_password

        from qifu.accounts.models import PasswordHistory

        users = get_user_model().objects
        current = users.filter(pk=user.pk).values_list("password", flat=True).first()
        earlier = PasswordHistory.objects.filter(user_id=user.pk).values_list(
            "password", flat=True
        )[: self.count]
        if any(check_password(password, encoded) for encoded in [current, *earlier] if encoded):
            raise ValidationError(
                f"新密码不能与最近{self.count}次使用过的密码相同。", code="password_reused"
            )

    def get_help_text(self) -> str:
        return f"不能与最近{self.count}次使用过的密码相同。"


def password_history_add(user: Any) -> None:
    """Remember the user's password hash as it is now (called whenever it changes)."""
    from qifu.accounts.models import PasswordHistory

    if user.pk is None or not user.has_usable_password():
        return
    PasswordHistory.objects.create(user=user, password=user.password)
