"""服务机构入驻: random sequences of the services by random personas keep the table's
invariants (tests/properties/harness.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from qifu.accounts.validators import build_credit_code
from qifu.providers import services
from qifu.providers.models import ProviderKind, ProviderMember
from qifu.providers.workflow import PROCESS
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def licence() -> SimpleUploadedFile:
    return SimpleUploadedFile("营业执照.pdf", PDF, "application/pdf")


MOVES = [
    Move("approve", ("approve",), lambda u, p: services.provider_approve(provider=p, actor=u)),
    Move(
        "reject",
        ("reject",),
        lambda u, p: services.provider_reject(provider=p, actor=u, reason="资质文件不清晰"),
    ),
    Move(
        "suspend",
        ("suspend",),
        lambda u, p: services.provider_suspend(provider=p, actor=u, reason="收到多次投诉"),
    ),
    Move(
        "reinstate", ("reinstate",), lambda u, p: services.provider_reinstate(provider=p, actor=u)
    ),
    Move(
        "resubmit",
        ("resubmit",),
        lambda u, p: services.provider_resubmit(provider=p, actor=u, qualification=licence()),
    ),
]


@PROPERTY_SETTINGS
@given(data=st.data())
def test_provider_admission_keeps_its_invariants(
    data: st.DataObject,
    bank_user: Any,
    enterprise_user: Any,
    platform_staff: Any,
    department_admin: Any,
    superuser: Any,
) -> None:
    personas: dict[str, Any] = {
        "other_provider": bank_user,
        "enterprise_a": enterprise_user,
        "platform_staff": platform_staff,
        "department_x": department_admin,
        "superuser": superuser,
    }

    def make() -> Any:
        provider = services.provider_register(
            name="荣成市诚信会计师事务所",
            credit_code=build_credit_code(serial=8801, category="91"),
            kind=ProviderKind.ACCOUNTING,
            contact_name="王会计",
            contact_phone="0631-7561234",
            qualification=licence(),
            username="chengxin_t",
            password="Test@2026pw",
            real_name="王会计",
            phone="13806318801",
            phone_verified=True,
        )
        personas["applicant"] = ProviderMember.objects.get(provider=provider).user
        return provider

    Explorer(PROCESS, MOVES, personas).run(data, make)
