from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qifu.assistant.services import faq_import, faq_rows_read

DEMO_CSV = Path(__file__).resolve().parents[1] / "data" / "faq_demo.csv"


@pytest.fixture
def demo_base(db: Any) -> None:
    faq_import(rows=faq_rows_read(DEMO_CSV))


def seafood_policy(*, issuer: Any, author: Any, code: str = "RC-T-1") -> Any:
    """A published policy the `enterprise` fixture (C1361, small) is eligible for."""
    import datetime as dt

    from qifu.policies.models import Policy
    from qifu.publishing.models import PublicationStatus

    return Policy.objects.create(
        code=code,
        title="荣成市海洋食品产业扶持办法",
        issuer=issuer,
        provider_department=issuer,
        created_by=author,
        published_on=dt.date(2026, 1, 5),
        status=PublicationStatus.PUBLISHED,
        industries=["C13"],
        criteria={"scales": ["small", "micro"]},
    )
