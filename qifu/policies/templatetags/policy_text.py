from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from qifu.core.masking import mask_phone
from qifu.policies import richtext

register = template.Library()


@register.filter
def rich_text(value: str | None) -> SafeString:
    """A sanitised rich-text body, or a plain-text one as paragraphs."""
    return richtext.render(value or "")


@register.filter
def masked_phone(value: str | None) -> str:
    """138****5678: staff lists show no more of a phone number than they need."""
    return mask_phone(value)
