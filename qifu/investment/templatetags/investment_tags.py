"""Template helpers of the investment pages: the bilingual field of an item."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from qifu.investment.models import Stage, localized

register = template.Library()


@register.filter
def tr(obj: Any, name: str) -> str:
    """`{{ park|tr:"name" }}`: the reviewed English on the English pages, else the Chinese."""
    return localized(obj, name)


@register.filter
def untranslated(obj: Any, name: str) -> bool:
    """True on an English page when the item has no English text for `name` (shown in Chinese)."""
    return translation.get_language() == "en" and not getattr(obj, f"{name}_en", "")


@register.filter
def en_or(obj: Any, name: str) -> str:
    """A choice's English label on the English pages (`kind_en`), else its Chinese label."""
    if translation.get_language() == "en":
        value = getattr(obj, f"{name}_en", "")
        if value:
            return str(value)
    method = getattr(obj, f"get_{name}_display", None)
    return str(method() if callable(method) else getattr(obj, name, ""))


@register.filter
def stage_label(value: str) -> str:
    """The Chinese name of a pipeline node (the history stores its code)."""
    return str(Stage(value).label) if value in Stage.values else value
