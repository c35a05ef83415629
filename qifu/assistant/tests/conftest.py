from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qifu.assistant.services import faq_import, faq_rows_read

DEMO_CSV = Path(__file__).resolve().parents[1] / "data" / "faq_demo.csv"


@pytest.fixture
def demo_base(db: Any) -> None:
    faq_import(rows=faq_rows_read(DEMO_CSV))
