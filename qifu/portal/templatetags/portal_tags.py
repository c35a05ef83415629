"""Template tags for the page frame: the main navigation comes from the sections' data."""

from __future__ import annotations

from django import template

from qifu.portal import sections

register = template.Library()


@register.simple_tag
def main_sections() -> tuple[sections.HomeSection, ...]:
    """The four sections, for the header navigation and the footer."""
    return sections.home_sections()


@register.simple_tag
def section_agencies() -> list[tuple[str, str]]:
    """(agency, section titles) in order of first appearance, for the footer's line of duties."""
    duties: dict[str, list[str]] = {}
    for section in sections.home_sections():
        duties.setdefault(section.agency, []).append(section.title)
    return [(agency, "、".join(titles)) for agency, titles in duties.items()]
