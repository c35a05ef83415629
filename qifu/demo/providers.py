"""Demo providers of the Weihai area (服务机构) and the README's provider accounts:
`yinhang` (a bank's financing officer), `lvsuo` (a law firm), `gaoxiao` (a university's
technology-transfer officer). Registered and approved through the real services, so their
admission history reads like any other. Credit codes are invented (valid GB 32100 check
characters); the banks and universities are real institutions of the area.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile

from qifu.accounts.models import User
from qifu.accounts.validators import credit_code_check_char
from qifu.demo import Output
from qifu.demo.accounts import DEMO_PASSWORD
from qifu.providers.models import Provider, ProviderKind, ProviderStatus
from qifu.providers.services import provider_approve, provider_member_add, provider_register


def _code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


@dataclass(frozen=True)
class DemoProvider:
    name: str
    short_name: str
    code17: str
    kind: str
    contact_name: str
    contact_phone: str
    address: str
    description: str
    username: str  # the administrator's account
    real_name: str
    phone: str
    title: str = ""

    @property
    def credit_code(self) -> str:
        return _code(self.code17)


PROVIDERS = [
    DemoProvider(
        "威海市商业银行股份有限公司荣成支行",
        "威海银行荣成支行",
        "91371082MA3C4R7K2",
        ProviderKind.BANK,
        "张晓琳",
        "0631-7561888",
        "荣成市成山大道南段",
        "威海银行在荣成的营业机构，提供普惠小微、科技金融、海洋产业和政府采购合同融资等信贷服务。",
        "yinhang",
        "张晓琳",
        "13963200001",
        "普惠金融部客户经理",
    ),
    DemoProvider(
        "中国农业银行股份有限公司荣成市支行",
        "农行荣成市支行",
        "91371082863052217",
        ProviderKind.BANK,
        "刘志鹏",
        "0631-7562201",
        "荣成市成山大道中段",
        "服务县域经济与乡村振兴，面向海洋渔业、食品加工和小微企业提供抵押、信用和供应链融资。",
        "yinhang2",
        "刘志鹏",
        "13963200002",
        "公司业务部客户经理",
    ),
    DemoProvider(
        "山东荣成农村商业银行股份有限公司",
        "荣成农商银行",
        "91371000MA3M2N8P1",
        ProviderKind.BANK,
        "于海燕",
        "0631-7588866",
        "荣成市崖头街道",
        "扎根荣成的地方法人银行，提供鲁担惠农贷、渔船抵押贷和知识产权质押贷款。",
        "nongshang",
        "于海燕",
        "13963200003",
        "小微金融部经理",
    ),
    DemoProvider(
        "荣成市融资担保有限公司",
        "荣成融资担保",
        "91371082MA3D0F5T8",
        ProviderKind.GUARANTEE,
        "毕文涛",
        "0631-7530360",
        "荣成市崖头街道",
        "市属政府性融资担保机构，为中小微企业提供贷款担保，并受托运营市中小微企业应急转贷资金。",
        "danbao",
        "毕文涛",
        "13963200004",
        "业务部经理",
    ),
    DemoProvider(
        "山东成山律师事务所",
        "成山律所",
        "31370000MD0162843",
        ProviderKind.LAW_FIRM,
        "孙立伟",
        "0631-7578899",
        "荣成市崖头街道",
        "为企业提供合同审查、劳动用工、知识产权和涉外商事法律服务。",
        "lvsuo",
        "孙立伟",
        "13963200005",
        "执业律师",
    ),
    DemoProvider(
        "荣成天元会计师事务所有限公司",
        "天元会计",
        "91371082MA3B6Y2H4",
        ProviderKind.ACCOUNTING,
        "鞠晓红",
        "0631-7523366",
        "荣成市崖头街道",
        "提供审计、税务筹划、高新技术企业专项审计和财务规范化辅导。",
        "kuaiji",
        "鞠晓红",
        "13963200006",
        "注册会计师",
    ),
    DemoProvider(
        "山东大学（威海）",
        "山大威海",
        "12100000MB0153618",
        ProviderKind.UNIVERSITY,
        "王成刚",
        "0631-5688000",
        "威海市文化西路180号",
        "设有海洋学院、机电与信息工程学院等，通过技术转移中心开放实验室、仪器设备和可转化成果。",
        "gaoxiao",
        "王成刚",
        "13963200007",
        "技术转移中心主任",
    ),
    DemoProvider(
        "哈尔滨工业大学（威海）",
        "哈工大威海",
        "12100000MB1A07531",
        ProviderKind.UNIVERSITY,
        "李明哲",
        "0631-5687114",
        "威海市文化西路2号",
        "在船舶与海洋工程、汽车工程、新材料等领域与地方企业开展产学研合作。",
        "hagongda",
        "李明哲",
        "13963200008",
        "科学技术研究院成果转化科",
    ),
]

# A tiny valid PDF: the qualification document every demo provider registered with.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed(*, stdout: Output) -> None:
    """Register and approve each demo provider once; existing ones are left as they are."""
    reviewer = User.objects.filter(username="gongxin").first()
    added = 0
    for demo in PROVIDERS:
        if Provider.objects.filter(credit_code=demo.credit_code).exists():
            continue
        if User.objects.filter(username=demo.username).exists():
            continue
        provider = provider_register(
            name=demo.name,
            short_name=demo.short_name,
            credit_code=demo.credit_code,
            kind=demo.kind,
            contact_name=demo.contact_name,
            contact_phone=demo.contact_phone,
            address=demo.address,
            description=demo.description,
            qualification=ContentFile(_PDF, name="营业执照及许可证.pdf"),
            username=demo.username,
            password=DEMO_PASSWORD,
            real_name=demo.real_name,
            phone=demo.phone,
            phone_verified=True,
        )
        if demo.title:
            provider.members.update(title=demo.title)
        if reviewer is not None:
            provider_approve(provider=provider, actor=reviewer, note="资质材料齐全，同意入驻。")
        added += 1
    _seed_second_member(stdout=stdout)
    approved = Provider.objects.filter(status=ProviderStatus.APPROVED).count()
    stdout.write(f"服务机构：新增 {added} 家，已入驻 {approved} 家\n")


def _seed_second_member(*, stdout: Output) -> None:
    """A second member of the bank of `yinhang`, added by its administrator."""
    admin = User.objects.filter(username="yinhang").first()
    if admin is None or User.objects.filter(username="yinhang_lj").exists():
        return
    provider = Provider.objects.filter(members__user=admin).first()
    if provider is None or not provider.is_approved:
        return
    provider_member_add(
        provider=provider,
        actor=admin,
        username="yinhang_lj",
        real_name="林佳",
        password=DEMO_PASSWORD,
        phone="13963200011",
        title="客户经理",
    )
