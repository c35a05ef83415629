from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from qifu.accounts.models import User
from qifu.financing.models import FinancialProduct, ProductKind
from qifu.financing.services import product_create
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def publish_product(department_admin: User) -> Any:
    """A bank user's product, published through review by 工信局 (department_admin)."""

    def publish(author: User, **fields: Any) -> FinancialProduct:
        values: dict[str, Any] = {
            "name": "科创e贷",
            "kind": ProductKind.CREDIT,
            "amount_min": Decimal("10"),
            "amount_max": Decimal("500"),
            "term_min_months": 6,
            "term_max_months": 36,
            "rate_min": Decimal("3.30"),
            "rate_max": Decimal("4.50"),
            "conditions": "征信良好",
        }
        values.update(fields)
        product = product_create(author=author, **values)
        product = publication_submit(item=product, actor=author)
        product = publication_approve(item=product, actor=department_admin)
        return publication_publish(item=product, actor=department_admin)

    return publish
