from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qifu.assistant import engine
from qifu.assistant.services import faq_import, faq_rows_read

DEMO_CSV = Path(__file__).resolve().parents[1] / "data" / "faq_demo.csv"


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    # Each test has its own database, whose version counter restarts at 0.
    engine.reset()
    yield
    engine.reset()


@pytest.fixture
def demo_base(db: Any) -> None:
    faq_import(rows=faq_rows_read(DEMO_CSV))
