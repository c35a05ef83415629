"""Demo appeal categories (facts §4.1), realistic appeals in every stage, and synthetic volume.

The curated appeals are made through the appeal services, exactly as users would make them, and
then their whole history is moved back in time so the demo shows deadlines met, due soon and
overdue; the stored deadlines are recomputed from the moved transition times by the same
working-day rule. Each curated appeal is keyed by an idempotency key, so a rerun adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, User
from qifu.appeals import services
from qifu.appeals.models import (
    Appeal,
    AppealCategory,
    AppealEvent,
    Assignment,
    Channel,
    Evaluation,
    Extension,
    Stage,
)
from qifu.appeals.services.intake import next_number
from qifu.demo import Output
from qifu.demo.enterprises import QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE
from qifu.workdays.calendar import WorkCalendar

# (code, name, typical content, default department code), from the research notes §4.1.
CATEGORIES = [
    ("ZC", "政策咨询", "可享受哪些补贴、申报窗口期", "gxj"),
    ("DX", "政策兑现/奖补拨付", "奖补资金拨付延迟、免申即享未到账", "czj"),
    ("RZ", "融资贷款", "银行授信、应急转贷、担保、贴息、知识产权质押", "jrfw"),
    ("YG", "用工招聘/人才", "招聘会、稳岗返还、技能培训补贴、人才住房", "rsj"),
    ("LD", "劳动关系", "欠薪、劳动争议、社会保险", "rsj"),
    ("YD", "用地规划", "土地供应、规划调整、不动产证", "zrzyj"),
    ("SP", "审批手续/证照办理", "许可、变更、注销、“高效办成一件事”", "xzsp"),
    ("GC", "工程建设", "施工许可、消防审验、竣工验收", "zjj"),
    ("SD", "水电气暖", "用电增容、停电、供水、燃气、供热接入", "gdgs"),
    ("HB", "环保", "环评、排污许可、环境检查", "sthj"),
    ("AQ", "安全生产", "安全检查、危化品许可", "yjglj"),
    ("SC", "市场监管", "不正当竞争、质量、食品许可、特种设备", "scjgj"),
    ("ZS", "知识产权", "专利商标侵权、知识产权补贴", "scjgj"),
    ("SF", "税费", "发票、退税、税收优惠、乱收费", "sw"),
    ("WL", "物流交通", "道路运输、厂区周边交通、港口物流", "jtysj"),
    ("WM", "外贸口岸", "出口许可、通关、出口信保", "swj"),
    ("KJ", "科技创新", "高企认定、研发平台、成果转化", "kjj"),
    ("HY", "海洋渔业", "渔船证照、海域使用、远洋项目、养殖证", "hyfzj"),
    ("FL", "法律纠纷", "合同纠纷、执行、法律援助", "sfj"),
    ("ZF", "执法检查/营商环境投诉", "重复检查、服务效率", "sfj"),
    ("XY", "信用修复", "行政处罚公示修复、经营异常名录", "fgj"),
    ("QT", "其他", "其他涉企问题", "zfb"),
]


@dataclass(frozen=True)
class Story:
    """One curated appeal: who files it, what, and how far it has gone (and how long ago)."""

    key: str
    enterprise: str  # credit code, or "" for the n-th other demo enterprise
    category: str
    title: str
    content: str
    department: str
    path: tuple[str, ...]  # actions after filing: dispatch, accept, respond, followup+, ...
    days_ago: int
    channel: str = Channel.WEB
    result: str = "已与企业负责人电话沟通并现场查看，问题已协调解决，后续如有需要可随时联系。"
    other: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


STORIES = [
    Story(
        "demo-1",
        QIYE_CREDIT_CODE,
        "SD",
        "新建冷库用电增容申请进展缓慢",
        "我公司在俚岛镇新建2万吨冷库，需将用电容量由800千伏安增至2000千伏安，"
        "已提交申请一个月仍未批复，影响设备调试和海带加工旺季生产，请协调供电公司加快办理。",
        "gdgs",
        ("dispatch", "accept", "respond", "followup+", "close"),
        20,
    ),
    Story(
        "demo-2",
        QIYE_CREDIT_CODE,
        "DX",
        "技改设备投资奖补资金尚未拨付",
        "我公司2025年度技改设备投资奖补已于去年12月公示，金额42万元，至今未拨付到账，"
        "请帮助了解拨付进度。",
        "czj",
        ("dispatch", "accept", "respond"),
        1,
    ),
    Story(
        "demo-3",
        QIYE_CREDIT_CODE,
        "YG",
        "海参加工季节性用工短缺",
        "每年3至5月海参加工旺季需临时增加工人约80名，本地招工困难，"
        "希望人社部门协助组织专场招聘并了解稳岗返还政策。",
        "rsj",
        ("dispatch",),
        1,
    ),
    Story(
        "demo-4",
        QIYE_CREDIT_CODE,
        "HY",
        "远洋渔船证书换发咨询",
        "我公司两艘远洋鱿钓船的渔业捕捞许可证将于明年到期，想了解换发所需材料和办理时限。",
        "hyfzj",
        (),
        0,
    ),
    Story(
        "demo-5",
        QIYE2_CREDIT_CODE,
        "GC",
        "新厂房施工许可办理受阻",
        "我公司房车总装车间扩建项目已取得建设工程规划许可证，施工图审查已通过，"
        "但施工许可证申请提示消防设计审查材料不全，希望住建部门明确需补充的材料。",
        "zjj",
        ("dispatch", "accept", "respond", "followup-", "dispatch", "accept"),
        9,
    ),
    Story(
        "demo-6",
        QIYE2_CREDIT_CODE,
        "WM",
        "房车出口信用保险保费补贴申请",
        "我公司2025年出口房车金额约1200万美元，已投保短期出口信用保险，"
        "想申请市级出口信用保险保费补贴，请告知申报时间和材料。",
        "swj",
        ("dispatch", "accept", "respond", "evaluate+"),
        12,
    ),
    Story(
        "demo-7",
        QIYE2_CREDIT_CODE,
        "WL",
        "厂区门前道路大货车通行困难",
        "厂区门前道路狭窄且路口转弯半径小，运送房车底盘的大货车无法正常掉头，"
        "希望交通部门协调设置临时停车和转弯区域。",
        "jtysj",
        ("dispatch", "return"),
        6,
    ),
    Story(
        "demo-8",
        "",
        "RZ",
        "应急转贷资金申请",
        "公司一笔800万元流动资金贷款下月到期，"
        "银行已同意续贷，需要过桥资金周转，请金融服务中心协助办理应急转贷。",
        "jrfw",
        ("dispatch", "accept", "respond", "followup+", "close"),
        30,
        other=1,
    ),
    Story(
        "demo-9",
        "",
        "HB",
        "排污许可证延续办理",
        "公司排污许可证将于三个月后到期，需了解延续申请要求，是否需要重新监测。",
        "sthj",
        ("dispatch", "accept"),
        2,
        other=2,
    ),
    Story(
        "demo-10",
        "",
        "SP",
        "食品生产许可变更（增加品种）",
        "公司拟在食品生产许可证上增加即食海参品种，想了解是否可以网上办理及办理时限。",
        "xzsp",
        ("dispatch", "accept", "respond", "followup+"),
        3,
        other=3,
        channel=Channel.PHONE,
    ),
    Story(
        "demo-11",
        "",
        "YD",
        "项目用地规划条件调整",
        "公司二期项目用地容积率需由1.2调整至1.5，以满足新增仓储需求，请协助了解调整程序。",
        "zrzyj",
        ("dispatch", "extend"),
        3,
        other=4,
    ),
    Story(
        "demo-12",
        "",
        "KJ",
        "高新技术企业认定辅导",
        "公司计划今年申报高新技术企业，研发费用归集和知识产权方面不太清楚，希望科技部门组织辅导。",
        "kjj",
        ("dispatch", "accept", "respond", "evaluate-"),
        1,
        other=5,
    ),
    Story(
        "demo-13",
        "",
        "SF",
        "出口退税进度咨询",
        "公司上月申报的出口退税约56万元尚未到账，请帮助查询审核进度。",
        "sw",
        (),
        2,
        other=6,
        channel=Channel.PHONE,
    ),
    Story(
        "demo-14",
        "",
        "AQ",
        "同一周内多次安全检查",
        "本周内先后有三批人员来公司开展安全生产检查，内容重复，影响正常生产，希望统筹安排检查。",
        "yjglj",
        (
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
        ),
        25,
        other=7,
    ),
]


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=["pingtai", "qiye", "qiye2"])}


def _handler(department: Department) -> User:
    """The department's demo handler, created once for departments without a demo account."""
    from qifu.accounts.models import Role
    from qifu.accounts.services import user_create

    user = (
        User.objects.filter(department=department, role_grants__role=Role.DEPARTMENT_ADMIN).first()
        or User.objects.filter(
            department=department, role_grants__role=Role.DEPARTMENT_HANDLER
        ).first()
    )
    if user is None:
        user = user_create(
            username=f"bm-{department.code}",
            password=None,
            real_name=f"{department.display_name}管理员",
            department=department,
            roles=[Role.DEPARTMENT_ADMIN],
        )
    return user


def seed_categories(*, stdout: Output) -> None:
    departments = {d.code: d for d in Department.objects.all()}
    for order, (code, name, description, dept) in enumerate(CATEGORIES, start=1):
        AppealCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "sort_order": order,
                "default_department": departments.get(dept),
                "is_active": True,
            },
        )
    stdout.write(f"诉求类别：{len(CATEGORIES)} 类\n")


def _play(story: Story, appeal: Appeal, staff: User, ent_user: User | None) -> Appeal:
    department = Department.objects.get(code=story.department)
    handler = _handler(department)
    for step in story.path:
        appeal.refresh_from_db()
        if step == "dispatch":
            services.appeal_dispatch(
                appeal=appeal,
                user=staff,
                department=department,
                note="请及时联系企业，按期办结反馈。",
            )
        elif step == "accept":
            services.appeal_accept(appeal=appeal, user=handler)
            services.appeal_contact(
                appeal=appeal,
                user=handler,
                way="phone",
                content="已电话联系企业负责人，了解具体诉求。",
            )
        elif step == "respond":
            services.appeal_respond(appeal=appeal, user=handler, result=story.result)
        elif step == "return":
            services.appeal_return(
                appeal=appeal,
                user=handler,
                reason="该路段属综合行政执法局和交警管理范围，建议改派。",
            )
        elif step == "extend":
            services.appeal_extension_request(
                appeal=appeal,
                user=handler,
                working_days=5,
                reason="需会同自然资源、规划专家现场论证。",
            )
        elif step.startswith("followup"):
            ok = step.endswith("+")
            services.appeal_followup(
                appeal=appeal,
                user=staff,
                satisfied=ok,
                score=5 if ok else 2,
                comment="问题已解决" if ok else "企业表示问题仍未解决",
            )
        elif step.startswith("evaluate") and ent_user is not None:
            ok = step.endswith("+")
            services.appeal_evaluate(
                appeal=appeal,
                user=ent_user,
                satisfied=ok,
                score=5 if ok else 2,
                comment="办理及时，非常满意" if ok else "答复不够具体",
            )
        elif step == "close":
            services.appeal_close(appeal=appeal, user=staff)
    appeal.refresh_from_db()
    return appeal


# How long each step takes after the previous one, in working minutes (09:00–17:00 on working days).
PACE = {
    "dispatch": 150,
    "accept": 40,
    "contact": 70,
    "respond": 600,
    "return": 200,
    "extend": 300,
    "followup": 420,
    "evaluate": 300,
    "supervise": 1,
    "close": 30,
}


def _after_working_minutes(calendar: WorkCalendar, start: dt.datetime, minutes: int) -> dt.datetime:
    """The time `minutes` of office hours after `start` (demo pacing only)."""
    moment = start
    left = minutes
    while left > 0:
        day_start = moment.replace(hour=9, minute=0, second=0, microsecond=0)
        day_end = moment.replace(hour=17, minute=0, second=0, microsecond=0)
        if not calendar.is_workday(moment.date()) or moment >= day_end:
            moment = (day_start + dt.timedelta(days=1)).replace(hour=9)
            continue
        moment = max(moment, day_start)
        step = min(left, int((day_end - moment).total_seconds() // 60))
        moment += dt.timedelta(minutes=step)
        left -= step
        if left > 0:
            moment = (day_start + dt.timedelta(days=1)).replace(hour=9)
    return moment


def _spread_history(appeal: Appeal, days: int, pace: dict[str, int] | None = None) -> None:
    """Lay the appeal's events out over the last `days` days, as its handling would have been,
    then derive its times and recompute its stored deadlines from them by the working-day rule.
    """
    events = list(appeal.events.order_by("at", "id"))
    if days <= 0 or not events:
        return
    calendar = WorkCalendar()
    now = timezone.localtime()
    moment = (now - dt.timedelta(days=days)).replace(hour=9, minute=20, second=0, microsecond=0)
    for index, event in enumerate(events):
        if index:
            minutes = (pace or {}).get(event.action) or PACE.get(event.action, 30)
            moment = _after_working_minutes(calendar, moment, minutes)
        # Never in the future: the latest steps crowd up to just before now if need be.
        event.at = min(moment, now - dt.timedelta(minutes=5 * (len(events) - index)))
    AppealEvent.objects.bulk_update(events, ["at"])

    def last(*actions: str) -> dt.datetime | None:
        times = [e.at for e in events if e.action in actions]
        return times[-1] if times else None

    appeal.received_at = events[0].at
    appeal.number = next_number(appeal.received_at, appeal.pk)
    appeal.dispatched_at = last("dispatch")
    appeal.accepted_at = last("accept") if appeal.stage != Stage.TRIAGED else None
    appeal.responded_at = last("respond")
    appeal.followed_up_at = last("followup")
    appeal.closed_at = last("close")
    appeal.supervised_at = last("supervise")
    awaiting_since = last("file", "record", "return", "followup", "evaluate") or events[0].at
    appeal.dispatch_due_at = calendar.deadline_after(start=awaiting_since, working_days=0).due_at
    if appeal.dispatched_at and appeal.stage != Stage.TRIAGED:
        appeal.respond_due_at = calendar.deadline_after(
            start=appeal.dispatched_at, working_days=settings.APPEAL_RESPOND_WORKING_DAYS
        ).due_at
    if appeal.responded_at and appeal.stage in (Stage.RESPONDED, Stage.FOLLOWED_UP, Stage.CLOSED):
        appeal.followup_due_at = calendar.deadline_after(
            start=appeal.responded_at, working_days=settings.APPEAL_FOLLOWUP_WORKING_DAYS
        ).due_at
    appeal.save()

    # Each dispatch round takes the times of its own events.
    rounds = list(Assignment.objects.filter(appeal=appeal).order_by("round"))
    boundaries = [e for e in events if e.action == "dispatch"]
    for n, assignment in enumerate(rounds):
        begin = boundaries[n].at if n < len(boundaries) else events[0].at
        end = boundaries[n + 1].at if n + 1 < len(boundaries) else None
        inside = [e for e in events if e.at >= begin and (end is None or e.at < end)]

        def first(action: str, inside: list[AppealEvent] = inside) -> dt.datetime | None:
            return next((e.at for e in inside if e.action == action), None)

        assignment.dispatched_at = begin
        assignment.respond_due_at = calendar.deadline_after(
            start=begin, working_days=settings.APPEAL_RESPOND_WORKING_DAYS
        ).due_at
        assignment.contact_due_at = calendar.deadline_after(
            start=begin, working_days=settings.APPEAL_CONTACT_WORKING_DAYS
        ).due_at
        assignment.accepted_at = first("accept") if assignment.accepted_at else None
        assignment.first_contact_at = first("contact") if assignment.first_contact_at else None
        assignment.responded_at = first("respond") if assignment.responded_at else None
        assignment.returned_at = first("return") if assignment.returned_at else None
        if assignment.responded_at:
            assignment.responded_on_time = assignment.responded_at <= assignment.respond_due_at
        assignment.save()
        if assignment.responded_at and not assignment.responded_on_time:
            Appeal.objects.filter(pk=appeal.pk).update(was_overdue=True)
    evaluations = list(Evaluation.objects.filter(appeal=appeal).order_by("created_at", "id"))
    outcome_times = [e.at for e in events if e.action in ("followup", "evaluate")]
    for evaluation, at in zip(evaluations, outcome_times, strict=False):
        moved: dict[str, Any] = {"created_at": at}
        if evaluation.contacted_at is not None:
            moved["contacted_at"] = at  # the call itself, not when the demo recorded it
        Evaluation.objects.filter(pk=evaluation.pk).update(**moved)
    extend_at = last("extend")
    if extend_at:
        Extension.objects.filter(appeal=appeal).update(created_at=extend_at)


def seed(*, stdout: Output) -> None:
    """Categories, then the curated appeals that do not exist yet."""
    seed_categories(stdout=stdout)
    users = _users()
    staff = users.get("pingtai")
    if staff is None:
        raise RuntimeError("demo accounts first: pingtai is missing")
    others = list(
        Enterprise.objects.exclude(credit_code__in=[QIYE_CREDIT_CODE, QIYE2_CREDIT_CODE]).order_by(
            "credit_code"
        )[:10]
    )
    categories = {c.code: c for c in AppealCategory.objects.all()}
    added = 0
    for story in STORIES:
        if Appeal.objects.filter(idempotency_key=story.key).exists():
            continue
        if story.enterprise:
            enterprise = Enterprise.objects.get(credit_code=story.enterprise)
        else:
            enterprise = others[story.other % len(others)]
        ent_user = {QIYE_CREDIT_CODE: users.get("qiye"), QIYE2_CREDIT_CODE: users.get("qiye2")}.get(
            story.enterprise
        )
        with transaction.atomic():
            if ent_user is not None and story.channel == Channel.WEB:
                appeal, _ = services.appeal_file(
                    user=ent_user,
                    title=story.title,
                    content=story.content,
                    category=categories[story.category],
                    contact_name=ent_user.real_name,
                    contact_phone=ent_user.phone or "",
                    idempotency_key=story.key,
                )
            else:
                appeal, _ = services.appeal_file(
                    user=staff,
                    title=story.title,
                    content=story.content,
                    category=categories[story.category],
                    enterprise=enterprise,
                    contact_name=enterprise.contact_name,
                    contact_phone=enterprise.contact_phone,
                    channel=story.channel if story.channel != Channel.WEB else Channel.PHONE,
                    idempotency_key=story.key,
                )
            appeal = _play(story, appeal, staff, ent_user)
            _spread_history(appeal, story.days_ago)
        added += 1
    stdout.write(f"企业诉求：{len(STORIES)} 件（新增 {added}）\n")


# --- synthetic volume for benchmarks -----------------------------------------------------------

SYNTHETIC_KEY_PREFIX = "synthetic-"
BATCH = 1000
STAGE_MIX = (
    [Stage.CLOSED] * 70
    + [Stage.RECEIVED] * 5
    + [Stage.TRIAGED] * 3
    + [Stage.DISPATCHED] * 12
    + [Stage.RESPONDED] * 6
    + [Stage.FOLLOWED_UP] * 4
)


def seed_synthetic(*, count: int, stdout: Output) -> int:
    """Add synthetic appeals (and their filing events) up to `count`; returns how many added."""
    enterprises = list(Enterprise.objects.values_list("id", flat=True)[:5000])
    categories = list(AppealCategory.objects.values_list("id", flat=True))
    departments = list(
        Department.objects.filter(kind__in=["department", "agency"]).values_list("id", flat=True)
    )
    if not (enterprises and categories and departments):
        raise RuntimeError("synthetic appeals need enterprises, categories and departments first")
    existing = Appeal.objects.filter(idempotency_key__startswith=SYNTHETIC_KEY_PREFIX).count()
    calendar = WorkCalendar()
    now = timezone.now()
    added = 0
    rng = random.Random(2026)
    for start in range(existing, count, BATCH):
        batch: list[Appeal] = []
        for n in range(start, min(start + BATCH, count)):
            received = now - dt.timedelta(minutes=rng.randint(10, 60 * 24 * 365))
            stage = rng.choice(STAGE_MIX)
            dispatched = received + dt.timedelta(hours=rng.randint(1, 8))
            batch.append(
                Appeal(
                    number=f"SY{n:09d}",
                    enterprise_id=rng.choice(enterprises),
                    category_id=rng.choice(categories),
                    channel=rng.choice([Channel.WEB, Channel.WEB, Channel.PHONE, Channel.API]),
                    title=f"合成诉求{n}",
                    content="基准测试用合成诉求内容。",
                    stage=stage,
                    department_id=None
                    if stage in (Stage.RECEIVED, Stage.TRIAGED)
                    else rng.choice(departments),
                    received_at=received,
                    dispatch_due_at=calendar.deadline_after(start=received, working_days=0).due_at,
                    dispatched_at=None if stage in (Stage.RECEIVED, Stage.TRIAGED) else dispatched,
                    respond_due_at=None
                    if stage in (Stage.RECEIVED, Stage.TRIAGED)
                    else calendar.deadline_after(start=dispatched, working_days=3).due_at,
                    dispatch_count=0 if stage in (Stage.RECEIVED, Stage.TRIAGED) else 1,
                    idempotency_key=f"{SYNTHETIC_KEY_PREFIX}{n}",
                    search_text=f"合成诉求{n}",
                )
            )
        for appeal in batch:
            appeal.due_at = appeal.current_due_at  # bulk_create skips save()
        with transaction.atomic():
            created = Appeal.objects.bulk_create(batch)
            AppealEvent.objects.bulk_create(
                [
                    AppealEvent(
                        appeal=a,
                        at=a.received_at,
                        action="file",
                        actor_label="企业",
                        to_state=Stage.RECEIVED,
                    )
                    for a in created
                ]
            )
        added += len(batch)
    stdout.write(f"合成诉求：{count} 件（新增 {added}）\n")
    return added
