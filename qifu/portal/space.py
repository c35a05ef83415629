"""Plug points of the enterprise's exclusive space (专属空间, `qifu/workspace`).

Each section contributes its own parts, registered in its AppConfig.ready():

- a *card*: `(enterprise, user) -> SpaceCard | None`, a card on the space's home page rendered
  by the section's own template (the workbench has *panels*: qifu/portal/workbench.py);
- a *timeline source*: `(enterprise, user, before, limit) -> list[TimelineEntry]`, the newest
  `limit` things of that section strictly before `before` (one query, newest first). The space
  merges the sources into one timeline of everything the enterprise has with the government.

Like the workbench, this lives in `portal` so that domain apps can register without importing
the workspace app (imports flow from the domain apps to the workspace, never back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpaceCard:
    key: str  # an anchor id, e.g. "licences"
    title: str
    template: str  # rendered with {"card": card, "enterprise": …, "user": …} + context
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    link: tuple[str, str] | None = None  # (label, url) of the section's full page
    # Short facts for the summary strip and the API, e.g. (("有效证照", "5"),).
    summary: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # the source's key, e.g. "appeal"
    kind_label: str  # e.g. 企业诉求
    title: str
    status: str = ""  # the current status in words
    url: str = ""
    tone: str = "secondary"  # a Tabler colour: success, warning, danger, info, secondary


CardProvider = Callable[[Any, Any], SpaceCard | None]
TimelineSource = Callable[[Any, Any, dt.datetime | None, int], list[TimelineEntry]]

_cards: list[CardProvider] = []
_sources: dict[str, tuple[str, TimelineSource]] = {}


def register_card(provider: CardProvider) -> CardProvider:
    """Decorator for a function `(enterprise, user) -> SpaceCard | None`."""
    if provider not in _cards:
        _cards.append(provider)
    return provider


def register_timeline_source(key: str, label: str) -> Callable[[TimelineSource], TimelineSource]:
    """Decorator registering a timeline source under `key` (also the filter value)."""

    def decorator(source: TimelineSource) -> TimelineSource:
        _sources[key] = (label, source)
        return source

    return decorator


def space_cards(enterprise: Any, user: Any) -> list[SpaceCard]:
    panels = [p for p in (provider(enterprise, user) for provider in _cards) if p is not None]
    return sorted(panels, key=lambda p: p.order)


def timeline_kinds() -> list[tuple[str, str]]:
    return [(key, label) for key, (label, _source) in _sources.items()]


def timeline(
    enterprise: Any,
    user: Any,
    *,
    before: dt.datetime | None = None,
    limit: int = 30,
    kinds: set[str] | None = None,
) -> tuple[list[TimelineEntry], dt.datetime | None]:
    """The newest `limit` entries of all sources before `before`, and the cursor for the next page.

    Each source runs one query of at most `limit + 1` rows, so a page costs one query per source
    however long the enterprise's history is.
    """
    entries: list[TimelineEntry] = []
    for key, (_label, source) in _sources.items():
        if kinds and key not in kinds:
            continue
        entries.extend(source(enterprise, user, before, limit + 1))
    entries.sort(key=lambda e: e.at, reverse=True)
    if len(entries) <= limit:
        return entries, None
    # The cursor is exclusive, so a page must not end inside a run of entries with the same time
    # (two appeals recorded for the same minute): it takes the whole run, a little over `limit`.
    # (Only a source with more than `limit + 1` rows at one instant could still lose some.)
    end = limit
    while end < len(entries) and entries[end].at == entries[end - 1].at:
        end += 1
    page = entries[:end]
    return page, page[-1].at
