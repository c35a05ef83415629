"""Template tags for the page frame: the main navigation and the section menu of inner pages."""

from __future__ import annotations

from typing import Any

from django import template

from qifu.core.pages import link_for
from qifu.portal import sections

register = template.Library()


def _current(context: template.Context) -> sections.HomeSection | None:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return None
    return sections.section_of(match.view_name, match.kwargs)


@register.simple_tag(takes_context=True)
def main_sections(context: template.Context) -> list[dict[str, Any]]:
    """The four sections for the header navigation, the one the page belongs to marked."""
    current = _current(context)
    return [
        {"section": section, "url": section.url, "current": section == current}
        for section in sections.home_sections()
    ]


@register.simple_tag(takes_context=True)
def section_menu(context: template.Context) -> dict[str, Any] | None:
    """The menu of the section an inner page belongs to: its entries and the user's tools."""
    current = _current(context)
    request = context.get("request")
    if current is None or request is None:
        return None
    user = request.user
    items = [link for link in sections.entry_links(current.entries, user) if link.url]
    items += sections.tool_links(current, user)
    seen: set[str] = set()
    unique = []
    for link in items:
        if link.url not in seen:
            seen.add(link.url or "")
            unique.append(link)
    # The item whose address is the longest prefix of this page's path is the current one.
    path = request.path
    best = max(
        (link.url for link in unique if link.url and path.startswith(link.url.split("?")[0])),
        key=len,
        default=None,
    )
    return {"section": current, "items": unique, "active": best}


@register.simple_tag(takes_context=True)
def page_link(context: template.Context, url_name: str) -> str | None:
    """Where a link to this page leads for the viewer (its own rule decides), or None."""
    request = context.get("request")
    if request is None:
        return None
    return link_for(request.user, url_name)


@register.simple_tag
def section_agencies() -> list[tuple[str, str]]:
    """(agency, section titles) in order of first appearance, for the footer's line of duties."""
    duties: dict[str, list[str]] = {}
    for section in sections.home_sections():
        duties.setdefault(section.agency, []).append(section.title)
    return [(agency, "、".join(titles)) for agency, titles in duties.items()]
