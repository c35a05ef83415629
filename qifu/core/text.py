"""Characters no input may carry, and cleaning them out of what is exported.

NUL, the other C0/C1 control characters (tab, newline and carriage return excepted) and lone
surrogates (which only JSON's `\\ud800` escapes can produce) break PostgreSQL, XML and Excel
writers. Every input refuses them with a message naming the field: `BadInputMiddleware` for query
strings and JSON bodies, `no_control_characters` on every form CharField, `import_rows` for
imported tables. Exports clean them out as a second line of defence (`clean_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 controls except \t \n \r, DEL and C1 controls, lone surrogates.
BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MESSAGE = "不能包含空字符（NUL）、控制字符或无效的字符编码，请删除后重试。"


def has_bad_characters(value: str) -> bool:
    return BAD_CHARACTERS.search(value) is not None


def field_message(name: str) -> str:
    """The message naming the field, e.g. “title”不能包含…"""
    return f"“{name}”{MESSAGE}"


def clean_text(value: str) -> str:
    """The text without the characters no input may carry (for exports and other outputs)."""
    return BAD_CHARACTERS.sub("", value)


def bad_fields(data: Any, prefix: str = "") -> Iterator[str]:
    """The paths (`a.b.0`) of strings, keys included, holding bad characters in decoded JSON."""
    if isinstance(data, str):
        if has_bad_characters(data):
            yield prefix or "__all__"
    elif isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(key, str) and has_bad_characters(key):
                yield clean_text(path) or "__all__"
            else:
                yield from bad_fields(value, path)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from bad_fields(value, f"{prefix}.{index}" if prefix else str(index))


@deconstructible
class NoControlCharacters:
    """A form field validator (added to every CharField in CoreConfig.ready). NUL is left to
    Django's own ProhibitNullCharactersValidator, so that it is reported once."""

    message = "不能包含控制字符或无效的字符编码，请删除后重试。"
    code = "control_characters"

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and has_bad_characters(value.replace("\x00", "")):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharacters)

    def __hash__(self) -> int:
        return hash(self.code)


no_control_characters = NoControlCharacters()
