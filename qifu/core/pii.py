"""The registry of personal data (PIPL arts. 6 and 51; GB/T 35273 §5.2 and §11.3; MLPS L3-CES1-34).

Every model field that holds personal information is listed here with why it is collected, how
sensitive it is, how it is masked on screen, whether it is encrypted at rest and how long it is
kept. `qifu/core/tests/test_pii_registry.py` walks every model: a field whose name or label looks
personal (phone, ID number, a person's name, address, e-mail, 联系人…) must be registered here or
listed in NOT_PERSONAL with the reason, or the build fails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalField:
    purpose: str
    classification: str = "一般个人信息"
    masking: str = "无"
    encryption: str = "无"
    retention: str = "随业务记录保存"


SENSITIVE = "敏感个人信息"
PHONE_MASK = "手机号 前3后4（mask_phone）"
ACCOUNT_LIFE = "账号存续期间；停用后随账号保留（审计关联）"

_contact_name = PersonalField("办理业务时联系企业的经办人")
_contact_phone = PersonalField("办理业务时联系企业的经办人", masking=PHONE_MASK)
_order_contact_name = PersonalField("服务机构受理后回访企业的联系人")
_order_contact_phone = PersonalField(
    "服务机构受理后回访企业的联系人", masking="仅企业本身、受理机构和平台工作人员可见"
)

PII_REGISTRY: dict[str, PersonalField] = {
    # 政策诉求 article 9: the contact an institution or a provider calls back; shown in full only
    # to the enterprise itself, the institution or provider the order was sent to, and staff.
    "financing.financingrequest.contact_name": _order_contact_name,
    "financing.financingrequest.contact_phone": _order_contact_phone,
    "market.order.contact_name": _order_contact_name,
    "market.order.contact_phone": _order_contact_phone,
    "cooperation.techneed.contact_name": _order_contact_name,
    "cooperation.techneed.contact_phone": _order_contact_phone,
    "cooperation.resource.contact_name": PersonalField(
        "高校、院所对接联系人（公开发布的联系方式）"
    ),
    "cooperation.resource.contact_phone": PersonalField(
        "高校、院所对接联系人（公开发布的联系方式）"
    ),
    "providers.provider.contact_name": PersonalField("服务机构入驻审核和业务联系人"),
    "providers.provider.contact_phone": PersonalField("服务机构入驻审核和业务联系人"),
    "core.auditevent.actor_username": PersonalField(
        "安全审计：谁在何时做了什么（网络安全法第21条）", retention="不少于180天"
    ),
    "core.auditevent.ip_address": PersonalField("安全审计：来源地址", retention="不少于180天"),
    "accounts.user.username": PersonalField("登录账号", retention=ACCOUNT_LIFE),
    "accounts.user.real_name": PersonalField("实名办理业务", retention=ACCOUNT_LIFE),
    "accounts.user.phone": PersonalField(
        "登录、找回密码和短信通知", masking=PHONE_MASK, retention=ACCOUNT_LIFE
    ),
    "accounts.user.email": PersonalField("邮件通知（选填）", retention=ACCOUNT_LIFE),
    "accounts.phonecode.phone": PersonalField(
        "发送和核验短信验证码", retention="验证码有效期（10分钟）后仅供限流统计"
    ),
    "accounts.enterprise.legal_representative": PersonalField("企业登记信息（公开信息）"),
    "accounts.enterprise.legal_representative_id_number": PersonalField(
        "核验法定代表人身份",
        classification=SENSITIVE,
        masking="身份证号 前6后4（mask_id_number）；完整值须有权限查看并记审计",
        encryption="Fernet（qifu/core/crypto.py），HMAC-SM3 检索值",
    ),
    "accounts.enterprise.legal_representative_id_index": PersonalField(
        "按身份证号精确查找（不可逆检索值）", classification=SENSITIVE, encryption="HMAC-SM3"
    ),
    "accounts.enterprise.contact_name": _contact_name,
    "accounts.enterprise.contact_phone": _contact_phone,
    "content.jobposting.contact_name": _contact_name,
    "content.jobposting.contact_phone": _contact_phone,
    "content.financingneed.contact_name": _contact_name,
    "content.financingneed.contact_phone": _contact_phone,
    "appeals.appeal.contact_name": PersonalField(
        "诉求办理中联系企业", retention="办结后 APPEAL_RETENTION_DAYS 天清除（retention.py）"
    ),
    "appeals.appeal.contact_phone": PersonalField(
        "诉求办理中联系企业",
        masking=PHONE_MASK,
        retention="办结后 APPEAL_RETENTION_DAYS 天清除（retention.py）",
    ),
    "appeals.appeal.address": PersonalField(
        "诉求发生地点", retention="办结后 APPEAL_RETENTION_DAYS 天清除（retention.py）"
    ),
    "appeals.evaluation.contact_person": PersonalField(
        "电话回访的受访人", retention="办结后 APPEAL_RETENTION_DAYS 天清除（retention.py）"
    ),
    "integrations.open311request.email": PersonalField("外部系统来件的回复地址"),
    "notifications.outboxmessage.recipient": PersonalField(
        "短信/邮件投递地址（用户手机号或邮箱的副本）", retention="随通知记录保存"
    ),
    "board.message.visitor_name": PersonalField("我要留言：留言人称呼"),
    "board.message.phone": PersonalField("我要留言：核验并回复留言人", masking=PHONE_MASK),
    "matters.matterapplication.contact_name": _contact_name,
    "matters.matterapplication.contact_phone": _contact_phone,
    "workspace.servicerequest.contact_name": _contact_name,
    "workspace.servicerequest.contact_phone": _contact_phone,
    "workspace.memberinvitation.phone": PersonalField("邀请企业成员", masking=PHONE_MASK),
    "workspace.memberinvitation.real_name": PersonalField("邀请企业成员"),
    "investment.promotioncontact.person": PersonalField("招商推介对外公布的联系人（公开信息）"),
    "investment.promotioncontact.phone": PersonalField("招商推介对外公布的电话（公开信息）"),
    "investment.promotioncontact.email": PersonalField("招商推介对外公布的邮箱（公开信息）"),
    "investment.lead.contact_name": PersonalField("招商线索的投资方联系人"),
    "investment.lead.phone": PersonalField("招商线索的投资方联系人", masking=PHONE_MASK),
    "investment.lead.email": PersonalField("招商线索的投资方联系人"),
    "investment.keyenterprise.contact_name": _contact_name,
    "investment.keyenterprise.contact_phone": _contact_phone,
}

# Fields that look personal by name but are not (each with the reason).
NOT_PERSONAL: dict[str, str] = {
    "providers.provider.address": "服务机构办公地址（机构信息）",
    "financing.governmentfund.contact": "政府基金管理机构的对外联系方式",
    "accounts.department.phone": "机关对外办公电话",
    "accounts.department.address": "机关办公地址",
    "accounts.enterprise.address": "企业住所（登记公开信息）",
    "accounts.user.organisation_name": "所属机构名称",
    "board.message.company_name": "企业名称",
    "board.message.phone_verified_at": "时间",
    "appeals.assignment.contact_due_at": "期限",
    "appeals.assignment.contact_reminded_for": "期限",
    "appeals.assignment.first_contact_at": "时间",
    "appeals.evaluation.contacted_at": "时间",
    "investment.park.address": "园区地址",
    "investment.park.address_en": "园区地址",
    "investment.park.contact_phone": "园区招商电话（机构）",
    "investment.idleasset.address": "资产地址",
    "investment.idleasset.address_en": "资产地址",
    "investment.idleasset.contact_phone": "资产管理单位电话（机构）",
    "investment.promotioncontact.address": "机构地址",
    "investment.promotioncontact.address_en": "机构地址",
    "investment.lead.first_contact_at": "时间",
    "investment.keyenterprise.contact_status": "状态",
    "investment.keyenterprise.last_contact_on": "日期",
    "connectors.connector.entry_url": "外部系统入口网址",
}
