"""Demo data for Rongcheng (荣成市): `python manage.py seed_demo`. Never loaded in production."""

from __future__ import annotations

from typing import Any, Protocol


class Output(Protocol):
    """Where a seed step reports: a command's stdout or any text stream."""

    def write(self, text: str, /) -> Any: ...
