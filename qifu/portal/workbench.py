"""The workbench (工作台): each role sees its own to-do counts.

Domain apps register panel providers here as they land; a provider returns panels for the user
it is asked about, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from qifu.core.pages import can_open, link_for


@dataclass(frozen=True)
class Counter:
    label: str
    value: int
    url: str | None = None
    tone: str = "primary"  # primary, warning (due soon), danger (overdue)


@dataclass(frozen=True)
class Panel:
    title: str
    counters: tuple[Counter, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    note: str = ""
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Any], list[Panel]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Decorator for a function `(user) -> list[Panel]`."""
    _providers.append(provider)
    return provider


def panels_for(user: Any) -> list[Panel]:
    panels: list[Panel] = []
    for provider in _providers:
        panels.extend(_offered(panel, user) for panel in provider(user))
    return sorted(panels, key=lambda p: p.order)


def _offered(panel: Panel, user: Any) -> Panel:
    """The panel with only the links the user's role opens, decided by each page's own rule.

    A link to a page the user may not open leads to that page's counterpart for them, or is
    dropped; a counter keeps its number but loses a link that would answer 403.
    """
    links: list[tuple[str, str]] = []
    for label, url in panel.links:
        target = link_for(user, url)
        if target is not None and target not in (u for _, u in links):
            links.append((label, target))
    counters = tuple(
        replace(c, url=c.url if c.url is None or can_open(user, c.url) else None)
        for c in panel.counters
    )
    return replace(panel, links=tuple(links), counters=counters)
