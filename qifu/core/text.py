"""Plain text typed by people: what a model field refuses besides its length.

NUL and other control characters break PostgreSQL (NUL) or show as nothing on a page; a field
with `validators=[no_control_characters]` refuses them in forms, the API and the admin alike
(every write calls `full_clean`). Line breaks and tabs are text.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: object) -> None:
    """Refuse NUL and other control characters (line breaks and tabs are allowed)."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError("不能包含空字符或其他控制字符。", code="control_characters")
