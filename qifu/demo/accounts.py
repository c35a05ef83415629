"""The demo accounts of CONTRACT.md ("Demo accounts") and a few more, all with one password."""

from __future__ import annotations

from dataclasses import dataclass

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.accounts.services import role_grant, user_create
from qifu.demo import Output
from qifu.demo.enterprises import QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 (published demo password, CONTRACT.md)


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
]


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
