"""The demo accounts of the README ("Demo accounts") and a few more, all with one password."""

from __future__ import annotations

from dataclasses import dataclass

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.accounts.services import role_grant, user_create
from qifu.demo import Output
from qifu.demo.enterprises import QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 (published demo password, README)


@dataclass(frozen=True)
class Account:
    username: str
    real_name: str
    roles: tuple[str, ...]
    department: str | None = None  # Department.code
    enterprise: str | None = None  # Enterprise.credit_code
    is_superuser: bool = False


ACCOUNTS = [
    Account("admin", "系统管理员", (), is_superuser=True),
    Account("pingtai", "王海燕", (Role.PLATFORM_STAFF, Role.LIAISON), department="xzsp"),
    Account("gongxin", "李建军", (Role.DEPARTMENT_ADMIN,), department="gxj"),
    Account("zhujian", "张立新", (Role.DEPARTMENT_ADMIN,), department="zjj"),
    Account("shangwu", "刘晓燕", (Role.DEPARTMENT_ADMIN,), department="swj"),
    Account("qiye", "于海波", (Role.ENTERPRISE_ADMIN,), enterprise=QIYE_CREDIT_CODE),
    Account("qiye2", "孙志强", (Role.ENTERPRISE_ADMIN,), enterprise=QIYE2_CREDIT_CODE),
    # One liaison per platform agency (article 11); pingtai is the one at 行政审批服务局.
    Account("gxlianluo", "曲振华", (Role.LIAISON,), department="gxj"),
    Account("swlianluo", "鞠红霞", (Role.LIAISON,), department="swj"),
    Account("zhuanyuan", "毕永胜", (Role.COMMISSIONER,), department="xzsp"),
    Account("guanjia", "林宏伟", (Role.STEWARD,), department="xzsp"),
    Account("ducha", "梁国庆", (Role.SUPERVISOR,), department="zfb"),
    Account("shenji", "宋静", (Role.AUDITOR,), department="xzsp"),
    Account("lidao", "姜文军", (Role.DEPARTMENT_ADMIN,), department="lidao"),
    Account("jingban", "郭玉梅", (Role.DEPARTMENT_HANDLER,), department="gxj"),
    # 行政审批服务局 also handles work orders dispatched to it (审批手续/证照办理).
    Account("shenpi", "曲丽娜", (Role.DEPARTMENT_ADMIN,), department="xzsp"),
    # The assessment administrator (监督考核): drafts the method and the 通报; ducha reviews them.
    Account("kaohe", "邹晓梅", (Role.ASSESSOR,), department="zfb"),
]

# Article 11: every department and town names an administrator. The demo leaves three without
# one, as a city rolling the platform out would have, so the coverage check has gaps to show.
UNITS_WITHOUT_ADMINISTRATOR = ("tjj", "xfj", "renhe")
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = ("建华", "海燕", "志强", "秀英", "国庆", "丽娟", "明", "静", "军", "红梅", "立新", "桂芳")


def phone_for(index: int) -> str:
    """Invented mobile numbers with sequential endings: 13963100001, 13963100002, ..."""
    return f"1396310{index:04d}"


def seed(*, stdout: Output) -> None:
    """Create the accounts that do not exist; existing ones keep their password, gain lost roles."""
    departments = {d.code: d for d in Department.objects.all()}
    enterprises = {
        e.credit_code: e
        for e in Enterprise.objects.filter(credit_code__in=[QIYE_CREDIT_CODE, QIYE2_CREDIT_CODE])
    }
    created = 0
    for index, account in enumerate(ACCOUNTS, start=1):
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user_create(
                username=account.username,
                password=DEMO_PASSWORD,
                real_name=account.real_name,
                phone=phone_for(index),
                department=departments[account.department] if account.department else None,
                enterprise=enterprises[account.enterprise] if account.enterprise else None,
                roles=account.roles,
                is_superuser=account.is_superuser,
            )
            created += 1
            continue
        for role in account.roles:
            role_grant(user=user, role=role)
    stdout.write(f"演示账号：{len(ACCOUNTS)} 个（新增 {created}），密码均为 {DEMO_PASSWORD}\n")
    _seed_unit_administrators(stdout=stdout)


def _seed_unit_administrators(*, stdout: Output) -> None:
    """An administrator (unusable password) for each department and town that has none, except
    the few the demo leaves without, to show the article 11 coverage check at work."""
    from qifu.accounts.models import DepartmentKind, RoleGrant

    taken = set(
        RoleGrant.objects.filter(role=Role.DEPARTMENT_ADMIN).values_list("department_id", flat=True)
    )
    units = Department.objects.exclude(kind=DepartmentKind.AGENCY).exclude(
        code__in=UNITS_WITHOUT_ADMINISTRATOR
    )
    added = 0
    for index, unit in enumerate(units.order_by("sort_order", "code")):
        if unit.pk in taken or User.objects.filter(username=f"gly-{unit.code}").exists():
            continue
        name = SURNAMES[(index * 7) % len(SURNAMES)] + GIVEN[index % len(GIVEN)]
        user_create(
            username=f"gly-{unit.code}",
            password=None,
            real_name=name,
            department=unit,
            roles=[Role.DEPARTMENT_ADMIN],
        )
        added += 1
    stdout.write(
        f"部门和镇街管理员：新增 {added} 名（{len(UNITS_WITHOUT_ADMINISTRATOR)} 个单位暂缺）\n"
    )
