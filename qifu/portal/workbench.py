"""The workbench (工作台): each role sees its own to-do counts.

Domain apps register panel providers here as they land; a provider returns panels for the user
it is asked about, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


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
        panels.extend(provider(user))
    return sorted(panels, key=lambda p: p.order)
