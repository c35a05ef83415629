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
