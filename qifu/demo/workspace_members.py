"""Demo members of qiye's enterprise: a second user (企业用户) and one pending invitation."""

from __future__ import annotations

from qifu.accounts.models import Enterprise, Role, User
from qifu.accounts.services import user_create
from qifu.demo import Output
from qifu.demo.accounts import DEMO_PASSWORD, phone_for
from qifu.demo.enterprises import QIYE_CREDIT_CODE
from qifu.workspace.models import MemberInvitation
from qifu.workspace.services.members import member_invite

MEMBER_USERNAME = "qiye_yxm"
MEMBER_NAME = "于晓梅"
MEMBER_PHONE = phone_for(101)
INVITEE_NAME = "曲丽娜"
INVITEE_PHONE = phone_for(102)


def seed(*, stdout: Output) -> None:
    """Add the second user and the invitation once; a second run adds nothing."""
    enterprise = Enterprise.objects.filter(credit_code=QIYE_CREDIT_CODE).first()
    admin = User.objects.filter(username="qiye").first()
    if enterprise is None or admin is None:
        return
    added = []
    if not User.objects.filter(username=MEMBER_USERNAME).exists():
        user_create(
            username=MEMBER_USERNAME,
            password=DEMO_PASSWORD,
            real_name=MEMBER_NAME,
            phone=MEMBER_PHONE,
            enterprise=enterprise,
            roles=[Role.ENTERPRISE_MEMBER],
            created_by=admin,
        )
        added.append(f"成员 {MEMBER_NAME}（{MEMBER_USERNAME}）")
    invited = MemberInvitation.objects.filter(enterprise=enterprise, phone=INVITEE_PHONE).exists()
    if not invited and not User.objects.filter(phone=INVITEE_PHONE).exists():
        # Sent like any invitation: with the file SMS backend the link is in var/sms/outbox.jsonl.
        member_invite(
            enterprise=enterprise,
            actor=admin,
            real_name=INVITEE_NAME,
            phone=INVITEE_PHONE,
            role=Role.ENTERPRISE_MEMBER,
        )
        added.append(f"待接受邀请 {INVITEE_NAME}")
    stdout.write(f"企业成员：{enterprise.name}（新增 {'、'.join(added) if added else '无'}）\n")
