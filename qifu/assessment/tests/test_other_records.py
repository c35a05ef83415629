"""The measures beside the appeals, from their own records: 办件 past their limits, information
past its expiry (art. 18), units without their administrator (art. 11), message reply rates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qifu.accounts.models import Department, DepartmentKind
from qifu.assessment.method import DEFAULT_METHOD
from qifu.assessment.periods import parse_period
from qifu.assessment.selectors import compute_rows
from qifu.assessment.tests.conftest import at
from qifu.assistant.models import Consultation, ConsultationMessage
from qifu.board.models import Message, MessageStatus
from qifu.declarations.models import Application, ApplicationEvent, Call
from qifu.matters.models import Matter, MatterApplication
from qifu.policies.models import Policy


def _figures(rows: list[dict[str, Any]], code: str) -> dict[str, tuple[Any, int]]:
    row = next(r for r in rows if r["department"]["code"] == code)
    return {m["code"]: (m["value"], m["count"]) for m in row["measures"] if m["count"]}


def test_the_other_sections_records_are_counted_by_hand(
    db: Any,
    department: Any,
    agency: Any,
    enterprise: Any,
    enterprise_user: Any,
    platform_staff: Any,
) -> None:
    matter = Matter.objects.create(
        code="M1", name="食品经营许可", department=department, life_stage="operate"
    )

    def application(n: int, due: dt.datetime, decided: dt.datetime | None) -> None:
        MatterApplication.objects.create(
            number=f"BJ{n}",
            matter=matter,
            enterprise=enterprise,
            contact_name="张",
            contact_phone="13905310001",
            status="approved" if decided else "accepted",
            submitted_at=due - dt.timedelta(days=5),
            due_at=due,
            decided_at=decided,
        )

    application(1, at(2026, 9, 8, 17, 0), None)  # never decided: late
    application(2, at(2026, 9, 9, 17, 0), at(2026, 9, 10, 9, 0))  # decided late
    application(3, at(2026, 9, 10, 17, 0), at(2026, 9, 10, 9, 0))  # on time
    application(4, at(2026, 10, 9, 17, 0), None)  # its limit is in October

    def policy(code: str, expires: dt.date | None, status: str = "published") -> Policy:
        return Policy.objects.create(
            code=code,
            title=f"政策{code}",
            issuer=department,
            published_on=dt.date(2026, 3, 1),
            status=status,
            section="policy",
            provider_department=department,
            created_by=platform_staff,
            published_at=at(2026, 3, 1, 9, 0),
            reviewed_at=at(2026, 3, 1, 9, 0),
            expires_on=expires,
        )

    policy("P1", dt.date(2026, 9, 15))  # expired in September, still published: stale
    policy("P2", dt.date(2026, 12, 31))  # still valid
    policy("P3", dt.date(2026, 9, 15), status="withdrawn")  # cleared

    tjj = Department.objects.create(code="tjj", name="荣成市统计局", kind=DepartmentKind.DEPARTMENT)
    Department.objects.filter(pk=tjj.pk).update(created_at=at(2026, 1, 5, 9, 0))

    for n, answered in ((1, None), (2, at(2026, 9, 3, 10, 0))):
        message = Message.objects.create(
            number=f"LY{n}",
            title=f"留言{n}",
            content="咨询政策",
            status=MessageStatus.ANSWERED if answered else MessageStatus.NEW,
            answer="已答复" if answered else "",
            answered_by=platform_staff if answered else None,
            answered_at=answered,
        )
        Message.objects.filter(pk=message.pk).update(created_at=at(2026, 9, 2, 9, 0))

    for n, replied in ((1, at(2026, 9, 4, 10, 0)), (2, at(2026, 9, 2, 10, 0)), (3, None)):
        consultation = Consultation.objects.create(
            user=enterprise_user,
            question=f"咨询{n}",
            answer_expected_at=at(2026, 9, 3, 17, 0),
            last_message_at=at(2026, 9, 2, 9, 0),
        )
        Consultation.objects.filter(pk=consultation.pk).update(created_at=at(2026, 9, 2, 9, 0))
        if replied:
            ConsultationMessage.objects.create(
                consultation=consultation,
                author=platform_staff,
                is_staff_reply=True,
                text="答复",
                at=replied,
            )

    call = Call.objects.create(
        title="技改奖补申报",
        body="申报通知",
        opens_on=dt.date(2026, 8, 1),
        closes_on=dt.date(2026, 9, 30),
        status="published",
        section="policy",
        provider_department=department,
        created_by=platform_staff,
    )
    accepted_late = Application.objects.create(
        enterprise=enterprise,
        call=call,
        created_by=enterprise_user,
        project_name="冷库改造",
        status="accepted",
        submitted_at=at(2026, 9, 1, 9, 0),
        accept_due_at=at(2026, 9, 8, 17, 0),
        decide_due_at=at(2026, 9, 22, 17, 0),
    )
    # Accepted a day late, then never decided by its limit: counted twice.
    ApplicationEvent.objects.create(
        application=accepted_late, action="accept", at=at(2026, 9, 9, 10, 0)
    )

    rows = compute_rows(parse_period("2026-09"), 0, DEFAULT_METHOD)
    assert _figures(rows, "gxj") == {
        "matters_late": (2, 2),
        "stale_info": (1, 1),
        "declarations_late": (2, 2),
    }
    assert _figures(rows, "tjj") == {"coverage_gap": (1, 1)}
    assert _figures(rows, "xzsp") == {
        "message_reply_rate": (50.0, 2),
        "consultation_reply_rate": (33.3, 3),
    }
