"""Several months of appeal history across departments, enough to rank them (监督考核), then the
method version in force, one published period and its 通报.

The appeals are played through the appeal services like the curated ones (qifu/demo/appeals.py:
the same categories, handlers and history spreading), with a profile per department — prompt,
slow, returning, extending, leaving dissatisfied — chosen by a fixed seed, so every run builds the
same history. Each is keyed by an idempotency key; the method, the published period and the report
are made only when there are none, so a rerun adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, User
from qifu.appeals import services as appeal_services
from qifu.appeals.models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    Assignment,
    Channel,
    Extension,
    ExtensionStatus,
)
from qifu.demo import Output
from qifu.demo.appeals import CATEGORIES, _handler, _spread_history
from qifu.demo.enterprises import QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE
from qifu.workdays.calendar import WorkCalendar

KEY_PREFIX = "assess-"
MONTHS = 5  # history reaches back this many months before the current one

# department code → profile: the share of its appeals that go each way.
PROFILES: dict[str, dict[str, int]] = {
    "gdgs": {"good": 5, "late": 1},
    "rsj": {"good": 4, "extended": 1, "late": 1},
    "zjj": {"good": 2, "late": 2, "unsatisfied": 2},
    "swj": {"good": 5},
    "jtysj": {"good": 2, "returned": 2, "late": 1},
    "sthj": {"good": 3, "extended": 2},
    "scjgj": {"good": 3, "late": 1, "unsatisfied": 1},
    "yjglj": {"good": 2, "supervised": 1, "late": 1},
    "kjj": {"good": 4, "open": 1},
    "hyfzj": {"good": 4, "unsatisfied": 1},
    "czj": {"good": 2, "late": 2, "open": 1},
}

# Where a returned order goes next.
REDIRECT = {"jtysj": "zfb"}

TITLES = (
    "关于{cat}问题的协调申请",
    "{cat}事项办理进度咨询",
    "请求协助解决{cat}方面的困难",
    "{cat}相关政策落实情况反映",
)

RESULT = "已与企业负责人电话沟通并现场查看，问题已按规定协调解决，并告知企业后续办理渠道和联系人。"


@dataclass(frozen=True)
class Plan:
    key: str
    department: str
    category: str
    profile: str
    days_ago: int
    enterprise_index: int


def plans(today: dt.date) -> list[Plan]:
    """The same list on every run for the same day: departments × profiles over the months."""
    rng = random.Random(13)
    by_department = {dept: code for code, _n, _d, dept in CATEGORIES}
    result: list[Plan] = []
    n = 0
    first = today.replace(day=1)
    span = (first - _months_before(first, MONTHS)).days
    for department, profile in PROFILES.items():
        category = by_department.get(department, "QT")
        kinds = [k for k, times in profile.items() for _ in range(times)]
        for kind in kinds:
            # Spread over the months before the current one (the current month stays quiet).
            days_ago = (today - first).days + 3 + rng.randrange(span - 6)
            result.append(
                Plan(
                    key=f"{KEY_PREFIX}{n:03d}",
                    department=department,
                    category=category,
                    profile=kind,
                    days_ago=days_ago,
                    enterprise_index=rng.randrange(40),
                )
            )
            n += 1
    return result


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = day.year, day.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


# The steps of each profile and the pace of the slow ones (working minutes).
STEPS: dict[str, tuple[str, ...]] = {
    "good": ("dispatch", "accept", "respond", "followup+", "close"),
    "late": ("dispatch", "accept", "respond", "followup+", "close"),
    "extended": ("dispatch", "accept", "extend", "approve", "respond", "followup+", "close"),
    "returned": ("dispatch", "return", "redispatch", "accept", "respond", "followup+", "close"),
    "unsatisfied": (
        "dispatch",
        "accept",
        "respond",
        "followup-",
        "dispatch",
        "accept",
        "respond",
        "followup+",
        "close",
    ),
    "supervised": (
        "dispatch",
        "accept",
        "respond",
        "followup-",
        "dispatch",
        "accept",
        "respond",
        "followup-",
        "dispatch",
        "accept",
        "respond",
        "followup-",
        "dispatch",
        "accept",
        "respond",
        "followup+",
        "close",
    ),
    "open": ("dispatch", "accept"),
}
PACES: dict[str, dict[str, int]] = {
    "late": {"respond": 2200},
    "extended": {"respond": 1900},
    "supervised": {"respond": 1700},
}


def _play(plan: Plan, appeal: Appeal, staff: User) -> None:
    department = Department.objects.get(code=plan.department)
    handler = _handler(department)
    current = department
    for step in STEPS[plan.profile]:
        appeal.refresh_from_db()
        if step in ("dispatch", "redispatch"):
            if step == "redispatch":
                current = Department.objects.get(code=REDIRECT.get(plan.department, "zfb"))
                handler = _handler(current)
            appeal_services.appeal_dispatch(
                appeal=appeal, user=staff, department=current, note="请及时联系企业，按期反馈。"
            )
        elif step == "accept":
            appeal_services.appeal_accept(appeal=appeal, user=handler)
            appeal_services.appeal_contact(
                appeal=appeal, user=handler, way="phone", content="已电话联系企业，了解具体诉求。"
            )
        elif step == "respond":
            appeal_services.appeal_respond(appeal=appeal, user=handler, result=RESULT)
        elif step == "return":
            appeal_services.appeal_return(
                appeal=appeal, user=handler, reason="该事项不属本单位职责，建议改派属地或主管部门。"
            )
        elif step == "extend":
            appeal_services.appeal_extension_request(
                appeal=appeal, user=handler, working_days=5, reason="需组织现场核查和专家论证。"
            )
        elif step == "approve":
            extension = Extension.objects.get(appeal=appeal, status=ExtensionStatus.PENDING)
            appeal_services.appeal_extension_decide(extension=extension, user=staff, approve=True)
        elif step.startswith("followup"):
            ok = step.endswith("+")
            appeal_services.appeal_followup(
                appeal=appeal,
                user=staff,
                satisfied=ok,
                score=5 if ok else 2,
                comment="问题已解决" if ok else "企业表示答复未解决实际问题",
            )
        elif step == "close":
            appeal_services.appeal_close(appeal=appeal, user=staff)


def _fix_extensions(appeal: Appeal) -> None:
    """Give the approved extensions the times of their (spread) history rows."""
    calendar = WorkCalendar()
    decided = list(
        AppealEvent.objects.filter(appeal=appeal, action="extension_approved").order_by("at")
    )
    for event, extension in zip(
        decided,
        Extension.objects.filter(appeal=appeal, status=ExtensionStatus.APPROVED).order_by("pk"),
        strict=False,
    ):
        assignment = extension.assignment
        new_due = calendar.deadline_after(
            start=max(assignment.respond_due_at, event.at), working_days=extension.working_days
        ).due_at
        Extension.objects.filter(pk=extension.pk).update(decided_at=event.at, new_due_at=new_due)
        met = assignment.responded_at <= new_due if assignment.responded_at else None
        Assignment.objects.filter(pk=assignment.pk).update(
            extended_due_at=new_due, met_extended_due=met
        )


def _backdate_organisation(today: dt.date) -> None:
    """The demo's units and role grants are made today; the history says the platform ran for
    months, so they date from its start (article 11 coverage is counted as it stood then)."""
    from qifu.accounts.models import RoleGrant

    start = timezone.make_aware(
        dt.datetime.combine(_months_before(today.replace(day=1), MONTHS + 1), dt.time(9))
    )
    Department.objects.filter(created_at__gt=start).update(created_at=start)
    RoleGrant.objects.filter(created_at__gt=start).update(created_at=start)


def seed_history(*, stdout: Output) -> None:
    staff = User.objects.filter(username="pingtai").first()
    if staff is None:
        raise RuntimeError("demo accounts first: pingtai is missing")
    enterprises = list(
        Enterprise.objects.exclude(credit_code__in=[QIYE_CREDIT_CODE, QIYE2_CREDIT_CODE]).order_by(
            "credit_code"
        )[:40]
    )
    categories = {c.code: c for c in AppealCategory.objects.all()}
    names = dict(CATEGORIES_NAMES)
    done = set(
        Appeal.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list(
            "idempotency_key", flat=True
        )
    )
    added = 0
    _backdate_organisation(timezone.localdate())
    all_plans = plans(timezone.localdate())
    for plan in all_plans:
        if plan.key in done or not enterprises:
            continue
        enterprise = enterprises[plan.enterprise_index % len(enterprises)]
        title = TITLES[int(plan.key[-3:]) % len(TITLES)].format(
            cat=names.get(plan.category, "涉企")
        )
        with transaction.atomic():
            appeal, _ = appeal_services.appeal_file(
                user=staff,
                title=title,
                content=f"{enterprise.name}反映：{title}，请有关部门协调办理并反馈。",
                category=categories[plan.category],
                enterprise=enterprise,
                contact_name=enterprise.contact_name,
                contact_phone=enterprise.contact_phone,
                channel=Channel.PHONE,
                idempotency_key=plan.key,
            )
            _play(plan, appeal, staff)
            appeal.refresh_from_db()
            _spread_history(appeal, plan.days_ago, PACES.get(plan.profile))
            _fix_extensions(appeal)
        added += 1
    stdout.write(f"考核用历史诉求：{len(all_plans)} 件（新增 {added}）\n")


CATEGORIES_NAMES = [(code, name) for code, name, _d, _dept in CATEGORIES]


def seed_assessment(*, stdout: Output) -> None:
    """Method version 1 (drafted by kaohe, approved by ducha), then the last complete month
    published with its 通报 — once."""
    from qifu.assessment import services
    from qifu.assessment.method import DEFAULT_METHOD
    from qifu.assessment.models import MethodVersion, PeriodReport, PublishedPeriod
    from qifu.assessment.periods import previous_month

    kaohe = User.objects.filter(username="kaohe").first()
    ducha = User.objects.filter(username="ducha").first()
    if kaohe is None or ducha is None:
        raise RuntimeError("demo accounts first: kaohe and ducha are missing")
    if not MethodVersion.objects.exists():
        data = {**DEFAULT_METHOD, "floors": {**DEFAULT_METHOD["floors"]}}
        data["floors"]["satisfaction_rate"] = {"min": 85, "penalty": 5}
        method = services.method_draft(
            user=kaohe, data=data, note="满意率底线由80%提高到85%，其余沿用默认办法。"
        )
        services.method_submit(method=method, user=kaohe)
        services.method_review(method=method, user=ducha, approve=True, comment="同意。")
    if not PublishedPeriod.objects.exists() and not PeriodReport.objects.exists():
        period = previous_month()
        report = services.report_generate(period_str=period.key, user=kaohe)
        services.report_edit(
            report=report,
            user=kaohe,
            title=report.title,
            foreword=(
                f"根据《荣成市企业一体化服务平台管理办法》第十三条、第十八条、第十九条，现将{period.label}"
                "各单位办理企业诉求等情况通报如下。各项数据均由平台办理记录自动计算。"
            ),
        )
        services.report_submit(report=report, user=kaohe)
        services.report_review(report=report, user=ducha, approve=True, comment="同意发布。")
    published = PublishedPeriod.objects.count()
    stdout.write(
        f"监督考核：考核办法 {MethodVersion.objects.count()} 版，已发布 {published} 个周期\n"
    )


def seed(*, stdout: Output) -> None:
    seed_history(stdout=stdout)
    seed_assessment(stdout=stdout)
