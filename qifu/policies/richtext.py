"""Rich text of policies and interpretations: sanitised with nh3 when saved and again when shown.

Bodies written in the staff editor may carry a small set of formatting tags; bodies from the demo
and from imports are plain text and are shown as paragraphs. Only text that went through
`sanitize` is ever marked safe.
"""

from __future__ import annotations

import re

import nh3
from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Anything that opens or closes a tag (or a comment) makes the text HTML, to be sanitised.
_MARKUP = re.compile(r"<[a-zA-Z/!]")


def is_markup(text: str) -> bool:
    return bool(_MARKUP.search(text or ""))


def sanitize(text: str) -> str:
    """The text with every tag, attribute and URL scheme outside the allow-list removed.

    Plain text is returned unchanged, so "a < b" in an imported body is not turned into entities.
    """
    if not is_markup(text):
        return text
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def render(text: str) -> SafeString:
    """HTML for a template: sanitised markup, or plain text escaped into paragraphs."""
    if is_markup(text):
        # Sanitised again on output: rows written before this rule or by raw SQL stay safe.
        return mark_safe(sanitize(text))  # noqa: S308 - nh3 output only
    return linebreaks_filter(text, autoescape=True)
