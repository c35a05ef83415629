"""E-licences in the exclusive space: validity, import, expiry reminders, pages, panel and API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.core.models import AuditEvent
from qifu.matters.models import ELicence, LicenceSource, LicenceValidity
from qifu.notifications.models import Notification
from qifu.workspace.models import Assignment, AssignmentMethod, AssignmentRole, ReminderClaim
from qifu.workspace.reminders import (
    due_licence_step,
    licence_expiry_reminders,
    licence_reminder_subject,
)
from qifu.workspace.selectors.licences import licence_row
from qifu.workspace.services.licences import licences_import_file

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 26)
HEADER = "number,name,credit_code,issuer,issued_on,valid_until,scope\n"
API = "/api/v1/workspace/licences"


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=TZ), tick=False):
        yield


def assign(enterprise: Any, user: Any, role: str = AssignmentRole.COMMISSIONER) -> Assignment:
    return Assignment.objects.create(
        enterprise=enterprise, user=user, role=role, method=AssignmentMethod.MANUAL
    )


def make_licence(enterprise: Any, *, days: int | None, number: str = "SC1", **kw: Any) -> ELicence:
    fields: dict[str, Any] = {
        "number": number,
        "name": "食品生产许可证",
        "enterprise": enterprise,
        "issuer": "威海市市场监督管理局",
        "source": LicenceSource.IMPORTED,
        "issued_on": dt.date(2022, 1, 10),
        "valid_until": None if days is None else TODAY + dt.timedelta(days=days),
    }
    fields.update(kw)
    return ELicence.objects.create(**fields)


def write_csv(tmp_path: Path, body: str, name: str = "licences.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# --- Validity -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (200, LicenceValidity.VALID),
        (90, LicenceValidity.EXPIRING),
        (0, LicenceValidity.EXPIRING),
        (-1, LicenceValidity.EXPIRED),
        (None, LicenceValidity.PERMANENT),
    ],
)
def test_validity_is_expiring_within_the_largest_reminder_threshold(
    enterprise: Any, days: int | None, expected: str
) -> None:
    licence = make_licence(enterprise, days=days)
    assert licence_row(licence, today=TODAY).validity == expected


def test_the_expiring_threshold_follows_the_setting(enterprise: Any, settings: Any) -> None:
    settings.LICENCE_EXPIRY_REMINDER_DAYS = [30, 7]
    licence = make_licence(enterprise, days=60)
    assert licence_row(licence, today=TODAY).validity == LicenceValidity.VALID


def test_an_imported_licence_names_its_issuer_without_a_department(enterprise: Any) -> None:
    licence = make_licence(enterprise, days=10)
    assert licence.department is None
    assert licence.issuer_name == "威海市市场监督管理局"


# --- Import -------------------------------------------------------------------------------------


def test_import_creates_then_updates_by_number_never_duplicating(
    enterprise: Any, tmp_path: Path, capsys: Any
) -> None:
    code = enterprise.credit_code
    path = write_csv(
        tmp_path,
        f"SC13710820001,食品生产许可证,{code},威海市市场监督管理局,2022-01-10,2027-01-09,水产制品\n"
        f"91371082PW001,排污许可证,{code},威海市生态环境局,2021-12-01,,\n",
    )
    call_command("import_licences", str(path))
    assert ELicence.objects.filter(enterprise=enterprise).count() == 2
    first = ELicence.objects.get(number="SC13710820001")
    assert first.source == LicenceSource.IMPORTED
    assert first.scope == "水产制品"
    assert ELicence.objects.get(number="91371082PW001").valid_until is None

    path = write_csv(
        tmp_path,
        f"SC13710820001,食品生产许可证,{code},威海市市场监督管理局,2022-01-10,2027-06-30,水产制品\n"
        f"91371082PW001,排污许可证,{code},威海市生态环境局,2021-12-01,,\n",
    )
    call_command("import_licences", str(path))
    out = capsys.readouterr().out
    assert "第2行 SC13710820001：更新" in out
    assert "第3行 91371082PW001：无变化" in out
    assert ELicence.objects.filter(enterprise=enterprise).count() == 2
    assert ELicence.objects.get(number="SC13710820001").valid_until == dt.date(2027, 6, 30)


def test_import_rejects_bad_rows_in_chinese_with_the_row_number_and_keeps_the_good(
    enterprise: Any, tmp_path: Path, capsys: Any
) -> None:
    code = enterprise.credit_code
    path = write_csv(
        tmp_path,
        f"A1,取水许可证,{code},荣成市水利局,2023-03-01,2028-02-28,\n"
        "A2,取水许可证,91371082MA3XXXXXX1,荣成市水利局,2023-03-01,2028-02-28,\n"
        f"A3,,{code},,2023-13-01,2022-01-01,\n",
    )
    with pytest.raises(CommandError, match="2 行被拒绝"):
        call_command("import_licences", str(path))
    err = capsys.readouterr().err
    assert "第3行 A2：拒绝" in err
    assert "统一社会信用代码" in err
    assert "第4行 A3：拒绝" in err
    assert "缺少证照名称" in err
    assert "缺少发证机关" in err
    assert "发证日期“2023-13-01”不是有效日期" in err
    assert list(ELicence.objects.values_list("number", flat=True)) == ["A1"]


def test_import_rejects_a_credit_code_that_is_valid_but_unknown(
    enterprise: Any, make_enterprise: Any, tmp_path: Path
) -> None:
    stranger = make_enterprise()
    code = stranger.credit_code
    stranger.delete()
    report = licences_import_file(
        path=write_csv(tmp_path, f"B1,取水许可证,{code},荣成市水利局,2023-03-01,,\n")
    )
    assert report.rows[0].outcome == "rejected"
    assert "尚未在平台登记" in report.rows[0].reasons[0]


def test_import_never_overwrites_a_platform_issued_licence(enterprise: Any, tmp_path: Path) -> None:
    make_licence(enterprise, days=100, number="RC1", source=LicenceSource.PLATFORM)
    report = licences_import_file(
        path=write_csv(tmp_path, f"RC1,改名,{enterprise.credit_code},荣成市水利局,2023-03-01,,\n")
    )
    assert report.rows[0].outcome == "rejected"
    assert ELicence.objects.get(number="RC1").name == "食品生产许可证"


def test_dry_run_reports_but_writes_nothing(enterprise: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, f"C1,取水许可证,{enterprise.credit_code},荣成市水利局,2023-03-01,,\n"
    )
    call_command("import_licences", str(path), "--dry-run")
    assert not ELicence.objects.exists()


def test_import_reads_xlsx_and_links_an_issuer_that_is_one_of_our_departments(
    enterprise: Any, agency: Any, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["number", "name", "credit_code", "issuer", "issued_on", "valid_until"])
    sheet.append(
        ["X1", "营业执照", enterprise.credit_code, agency.name, dt.datetime(2020, 5, 6), None]
    )
    path = tmp_path / "licences.xlsx"
    workbook.save(path)
    report = licences_import_file(path=path)
    assert report.rows[0].outcome == "created"
    licence = ELicence.objects.get(number="X1")
    assert licence.department == agency
    assert licence.issued_on == dt.date(2020, 5, 6)


def test_import_page_is_for_staff_of_the_space_section(
    client_for: Any, client: Any, enterprise_user: Any, department_admin: Any
) -> None:
    url = reverse("workspace:licence_import")
    assert client.get(url).status_code == 302
    assert client_for(enterprise_user).get(url).status_code == 403
    assert client_for(department_admin).get(url).status_code == 403  # runs the policy section


def test_platform_staff_upload_a_file_and_see_each_row(
    client_for: Any, platform_staff: Any, enterprise: Any
) -> None:
    body = (
        HEADER
        + f"D1,取水许可证,{enterprise.credit_code},荣成市水利局,2023-03-01,2028-02-28,\n"
        + "D2,取水许可证,bad,荣成市水利局,2023-03-01,,\n"
    )
    upload = SimpleUploadedFile("z.csv", body.encode(), content_type="text/csv")
    response = client_for(platform_staff).post(
        reverse("workspace:licence_import"), {"file": upload}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "新增 1" in text and "拒绝 1" in text
    assert "第3行" in text
    assert ELicence.objects.filter(number="D1").exists()
    assert AuditEvent.objects.filter(action="workspace.licences.imported").exists()


def test_import_page_refuses_a_file_that_is_not_csv_or_xlsx(
    client_for: Any, platform_staff: Any
) -> None:
    upload = SimpleUploadedFile("z.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client_for(platform_staff).post(
        reverse("workspace:licence_import"), {"file": upload}
    )
    assert "只接受 .csv 或 .xlsx 文件" in response.content.decode()


# --- Reminders ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "step"), [(120, None), (90, 90), (45, 90), (20, 30), (7, 7), (0, 7)]
)
def test_only_the_nearest_due_step_is_chosen(days_left: int, step: int | None) -> None:
    assert due_licence_step(days_left, [7, 30, 90]) == step


def test_each_reminder_goes_once_to_the_enterprise_and_its_commissioner(
    enterprise: Any, enterprise_user: Any, commissioner: Any
) -> None:
    assign(enterprise, commissioner)
    licence = make_licence(enterprise, days=90)
    assert licence_expiry_reminders() == 1
    assert licence_expiry_reminders() == 0  # a second run, or a second worker
    recipients = set(Notification.objects.values_list("user_id", flat=True))
    assert recipients == {enterprise_user.pk, commissioner.pk}
    claim = ReminderClaim.objects.get()
    assert (claim.kind, claim.subject, claim.step) == (
        "licence_expiry",
        licence_reminder_subject(licence),
        "90",
    )


def test_a_licence_found_late_gets_only_the_nearest_reminder_then_the_next(
    enterprise: Any, enterprise_user: Any
) -> None:
    make_licence(enterprise, days=20)
    assert licence_expiry_reminders() == 1
    assert list(ReminderClaim.objects.values_list("step", flat=True)) == ["30"]
    assert licence_expiry_reminders(today=TODAY + dt.timedelta(days=5)) == 0
    assert licence_expiry_reminders(today=TODAY + dt.timedelta(days=13)) == 1
    assert sorted(ReminderClaim.objects.values_list("step", flat=True)) == ["30", "7"]
    assert Notification.objects.filter(user=enterprise_user).count() == 2


def test_a_claim_already_taken_by_another_worker_sends_nothing(
    enterprise: Any, enterprise_user: Any
) -> None:
    licence = make_licence(enterprise, days=30)
    ReminderClaim.objects.create(
        kind="licence_expiry",
        subject=licence_reminder_subject(licence),
        step="30",
        enterprise=enterprise,
    )
    assert licence_expiry_reminders() == 0
    assert not Notification.objects.exists()


def test_a_renewed_licence_is_reminded_again_before_its_new_expiry(
    enterprise: Any, enterprise_user: Any
) -> None:
    licence = make_licence(enterprise, days=7)
    assert licence_expiry_reminders() == 1
    licence.valid_until = TODAY + dt.timedelta(days=5 * 365 + 7)
    licence.save()
    later = licence.valid_until - dt.timedelta(days=7)
    assert licence_expiry_reminders(today=later) == 1
    assert Notification.objects.filter(user=enterprise_user).count() == 2


def test_expired_and_permanent_licences_get_no_reminder(
    enterprise: Any, enterprise_user: Any
) -> None:
    make_licence(enterprise, days=-1, number="E1")
    make_licence(enterprise, days=None, number="E2")
    assert licence_expiry_reminders() == 0


def test_the_reminder_sms_goes_through_notify(
    enterprise: Any, enterprise_user: Any, settings: Any
) -> None:
    from qifu.notifications.models import OutboxMessage

    make_licence(enterprise, days=7)
    licence_expiry_reminders()
    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.recipient == enterprise_user.phone
    assert "食品生产许可证" in sms.body


# --- Pages --------------------------------------------------------------------------------------


def test_licence_page_needs_sign_in(client: Any) -> None:
    response = client.get(reverse("workspace:licences"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_enterprise_sees_its_licences_with_validity_and_renewal(
    client_for: Any, enterprise_user: Any, enterprise: Any
) -> None:
    licence = make_licence(enterprise, days=20)
    make_licence(enterprise, days=None, number="P1", name="营业执照")
    response = client_for(enterprise_user).get(reverse("workspace:licences"))
    text = response.content.decode()
    assert "即将到期（剩 20 天）" in text
    assert "长期有效" in text
    try:
        renew = reverse("workspace:request_new") + f"?kind=licence_renewal&amp;licence={licence.pk}"
    except NoReverseMatch:
        renew = None
    if renew:
        assert renew in text
    detail = client_for(enterprise_user).get(reverse("workspace:licence", args=[licence.pk]))
    assert detail.status_code == 200
    assert "威海市市场监督管理局" in detail.content.decode()


def test_licence_page_queries_do_not_grow_with_licences(
    client_for: Any, enterprise_user: Any, enterprise: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        make_licence(enterprise, days=n * 10, number=f"N{n}")
    client = client_for(enterprise_user)
    client.get(reverse("workspace:licences"))
    with django_assert_max_num_queries(8):
        client.get(reverse("workspace:licences"))


def test_another_enterprise_gets_404(
    client_for: Any, other_enterprise_user: Any, enterprise: Any
) -> None:
    licence = make_licence(enterprise, days=20)
    client = client_for(other_enterprise_user)
    assert client.get(reverse("workspace:licence", args=[licence.pk])).status_code == 404
    url = reverse("workspace:licences") + f"?enterprise={enterprise.credit_code}"
    assert client.get(url).status_code == 404


def test_the_commissioner_and_platform_staff_see_the_licences_others_do_not(
    client_for: Any,
    enterprise: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
) -> None:
    assign(enterprise, commissioner)
    licence = make_licence(enterprise, days=20)
    url = reverse("workspace:licences") + f"?enterprise={enterprise.credit_code}"
    detail = reverse("workspace:licence", args=[licence.pk])
    for user in (commissioner, platform_staff):
        assert client_for(user).get(url).status_code == 200
        assert client_for(user).get(detail).status_code == 200
    assert client_for(other_commissioner).get(url).status_code == 404
    assert client_for(other_commissioner).get(detail).status_code == 404
    assert "申请换发" not in client_for(commissioner).get(url).content.decode()


def test_the_space_shows_the_licence_panel_and_timeline_entry(
    client_for: Any, enterprise_user: Any, enterprise: Any
) -> None:
    from qifu.portal.space import timeline

    make_licence(enterprise, days=20)
    text = client_for(enterprise_user).get(reverse("workspace:home")).content.decode()
    assert "电子证照" in text
    assert "企业年报" in text
    entries, _ = timeline(enterprise, enterprise_user, kinds={"licence"})
    assert entries[0].title.startswith("导入电子证照“食品生产许可证”")


def test_a_platform_approval_still_issues_a_platform_licence(
    enterprise_user: Any, department_admin: Any, department: Any
) -> None:
    from qifu.matters import services
    from qifu.matters.models import Matter

    matter = Matter.objects.create(
        code="M1",
        name="食品生产许可",
        department=department,
        promised_limit_days=5,
        licence_name="食品生产许可证",
        licence_valid_years=5,
    )
    application = services.matter_application_create(
        user=enterprise_user, matter=matter, contact_name="于", contact_phone="13900000001"
    )
    services.matter_application_submit(user=enterprise_user, application=application)
    services.matter_application_accept(user=department_admin, application=application)
    services.matter_application_approve(user=department_admin, application=application)
    licence = ELicence.objects.get(application=application)
    assert licence.source == LicenceSource.PLATFORM
    assert licence.issuer_name == department.name


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_the_enterprise_licences(
    api_client_for: Any, enterprise_user: Any, enterprise: Any
) -> None:
    make_licence(enterprise, days=20)
    body = api_client_for(enterprise_user).get(API).json()
    assert body[0]["number"] == "SC1"
    assert body[0]["validity"] == "expiring"
    assert body[0]["days_left"] == 20
    assert body[0]["issuer"] == "威海市市场监督管理局"


def test_api_staff_name_the_enterprise_and_are_refused_unless_they_serve_it(
    api_client_for: Any,
    enterprise: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
) -> None:
    assign(enterprise, commissioner)
    licence = make_licence(enterprise, days=20)
    query = f"{API}?enterprise={enterprise.credit_code}"
    assert api_client_for(commissioner).get(query).status_code == 200
    assert api_client_for(platform_staff).get(query).status_code == 200
    assert api_client_for(other_commissioner).get(query).status_code == 404
    assert api_client_for(other_commissioner).get(f"{API}/{licence.pk}").status_code == 404
    missing = api_client_for(commissioner).get(API)
    assert missing.status_code == 400
    assert "enterprise" in missing.json()["detail"]


def test_api_another_enterprise_gets_404_and_anonymous_401(
    api_client_for: Any, other_enterprise_user: Any, enterprise: Any, client: Any
) -> None:
    licence = make_licence(enterprise, days=20)
    other = api_client_for(other_enterprise_user)
    assert other.get(f"{API}/{licence.pk}").status_code == 404
    assert other.get(f"{API}?enterprise={enterprise.credit_code}").status_code == 404
    assert client.get(API).status_code == 401


def test_a_member_without_admin_role_still_reads_licences(
    api_client_for: Any, enterprise: Any
) -> None:
    member = user_create(
        username="member_t",
        password="Test@2026pw",
        roles=[Role.ENTERPRISE_MEMBER],
        enterprise=enterprise,
        validate=False,
    )
    make_licence(enterprise, days=20)
    assert len(api_client_for(member).get(API).json()) == 1


def test_the_reminders_run_daily_as_a_registered_schedule(
    enterprise: Any, enterprise_user: Any
) -> None:
    from qifu.notifications.schedules import registered_schedules
    from qifu.workspace.reminders import reminders_sweep

    job = next(j for j in registered_schedules() if j.name == "workspace.reminders")
    assert (job.func, job.minutes) == ("qifu.workspace.reminders.reminders_sweep", 24 * 60)
    make_licence(enterprise, days=7)
    assert reminders_sweep() == {"licence_expiry": 1, "annual_report": 0}  # 26 Nov: no window


def test_a_file_without_the_required_columns_is_refused_whole_and_gbk_is_read(
    enterprise: Any, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text("number,name\nA,B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少列：credit_code"):
        call_command("import_licences", str(missing))
    # A CSV saved by Chinese Excel (GB18030) is read like UTF-8 (the shared table reader).
    gbk = tmp_path / "gbk.csv"
    row = f"WS-1,取水许可证,{enterprise.credit_code},荣成市水务局,2023-03-01,,\n"
    gbk.write_bytes((HEADER + row).encode("gbk"))
    call_command("import_licences", str(gbk))
    assert ELicence.objects.get(number="WS-1").name == "取水许可证"
