"""The appeal pages as a department uses them: accept, contact, respond, return, notes, inbox."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.appeals.models import (
    Appeal,
    AppealEvent,
    Attachment,
    Extension,
    Stage,
)
from qifu.appeals.tests.pages import (
    act,
    dispatched,
    messages_of,
    pdf,
    responded,
)

# --- the department ----------------------------------------------------------------------------


def test_the_department_accepts_contacts_and_responds_with_a_file(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    client = client_for(department_admin)
    assert "签收" in client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    act(client, appeal, "accept")
    assert Appeal.objects.get(pk=appeal.pk).accepted_at is not None
    act(
        client,
        appeal,
        "contact",
        {
            "contact-way": "phone",
            "contact-person": "张经理",
            "contact-content": "已电话联系张经理，约定明日上门",
        },
    )
    assert appeal.assignments.get().first_contact_at is not None
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "respond"]),
        {
            "respond-result": "已协调财政局，奖补资金已于今日拨付到企业账户。",
            "respond-attachments": [pdf("拨付凭证.pdf")],
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.stage == Stage.RESPONDED
    attachment = Attachment.objects.get()
    assert attachment.is_public and attachment.event.action == "respond"
    html = client_for(enterprise_user).get(reverse("appeals:detail", args=[appeal.pk]))
    assert "拨付凭证.pdf" in html.content.decode()


def test_the_department_returns_a_misrouted_order_with_a_reason(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    client = client_for(department_admin)
    response = act(client, appeal, "return", {"return-reason": "短"})
    assert response.status_code == 400
    assert 'id="id_return-reason_error"' in response.content.decode()
    act(client, appeal, "return", {"return-reason": "属于住建局职责，请改派住建局"})
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.department) == (Stage.TRIAGED, None)


def test_the_department_asks_for_an_extension(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    act(
        client_for(department_admin),
        appeal,
        "extend",
        {"extend-working_days": "3", "extend-reason": "需协调省级部门"},
    )
    assert Extension.objects.get().working_days == 3


def test_accepting_an_already_responded_appeal_shows_the_conflict(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    response = act(client_for(department_admin), appeal, "accept")
    assert response.status_code == 302
    assert any("不能执行“签收”" in m for m in messages_of(response))


def test_an_internal_note_by_the_department_is_recorded_as_internal(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    act(client_for(department_admin), appeal, "note", {"note-note": "需与财政局会商"})
    event = AppealEvent.objects.get(action="note")
    assert not event.is_public


def test_the_inbox_lists_what_was_dispatched_to_the_department_only(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department: Any,
    department_admin: Any,
) -> None:
    mine = dispatched(make_appeal(title="归我部门"), platform_staff, department)
    dispatched(make_appeal(title="归住建局"), platform_staff, other_department)
    make_appeal(title="尚未派发")
    response = client_for(department_admin).get(reverse("appeals:inbox"))
    assert [a.pk for a in response.context["rows"]] == [mine.pk]
