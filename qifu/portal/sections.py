"""The four sections of the platform, their entries, and which section a page belongs to.

The measures (articles 6–10) list each section's entries; staff add the pages where the section's
work is done (tools). Whether a link is offered, and where it leads, is decided per user by the
rule of the page itself (`qifu.core.pages.link_for`), so navigation never offers a page that
answers 403. An entry whose page is not built yet (its URL name does not resolve) is shown as
"建设中" without a link, never as a dead link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from qifu.core.pages import can_open, link_for, reverse_name


@dataclass(frozen=True)
class Entry:
    title: str
    url_name: str
    description: str

    @property
    def url(self) -> str | None:
        return reverse_name(self.url_name)


@dataclass(frozen=True)
class HomeSection:
    code: str
    title: str
    agency: str
    summary: str
    entries: tuple[Entry, ...]
    # Where the section's work is done by staff; offered only to those who may open them.
    tools: tuple[Entry, ...] = ()
    # URL namespaces whose pages belong to this section (for the highlighted menu item).
    namespaces: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse("portal:section", args=[self.code])


@dataclass(frozen=True)
class Link:
    """An entry as one user sees it: `url` None means 建设中 (not built yet)."""

    title: str
    description: str
    url: str | None


SECTIONS: tuple[HomeSection, ...] = (
    HomeSection(
        "services",
        "办事服务",
        "行政审批服务局",
        "一网通办，7×24小时咨询，留言限期办理",
        (
            Entry("我要办事", "matters:catalogue", "事项指南、在线申请、一窗通等系统统一入口"),
            Entry("我要咨询", "assistant:ask", "智能客服7×24小时答复，疑难问题转人工"),
            Entry("我要留言", "board:new", "留言生成办件，派发部门限期答复"),
            Entry("我的政策", "policies:subscriptions", "订阅关心的政策，新政发布即推送"),
            Entry("信息发布", "content:postings", "发布招工信息和融资需求"),
            Entry("工作动态", "content:news", "涉企公告、服务措施、优秀案例、回复率监测"),
        ),
        tools=(
            Entry("事项审查", "matters:inbox", "本部门事项的在线申请"),
            Entry("留言处理", "board:manage", "答复留言或转为办件"),
            Entry("工作动态管理", "content:manage", "撰写、提交、发布工作动态"),
            Entry("工作动态审核", "content:review", "审核各部门提交的工作动态"),
            Entry("企业信息审核", "content:postings_review", "审核企业发布的招工、融资信息"),
            Entry("回复率监测", "reports:reply_rates", "各部门诉求、留言、咨询的回复率"),
            Entry("外部系统对接", "connectors:manage", "一窗通等外部系统的对接密钥"),
        ),
        namespaces=("matters", "assistant", "board", "content", "reports", "connectors"),
    ),
    HomeSection(
        "space",
        "专属空间",
        "行政审批服务局",
        "一企一空间，服务专员、项目管家全程服务",
        (
            Entry("我的空间", "workspace:home", "电子证照、办件信息、项目进展"),
            Entry("服务专员", "workspace:commissioner", "证照换发、年报提醒、档案查询、注销变更"),
            Entry("项目管家", "projects:index", "立项、用地、规划、施工全链条帮办"),
            Entry("精准政策", "policies:matches", "与本企业匹配的政策"),
        ),
        tools=(
            Entry("我服务的企业", "workspace:served", "服务专员、项目管家的企业一企一档"),
            Entry("服务申请", "workspace:requests_inbox", "企业向服务专员提出的申请"),
            Entry("服务覆盖", "workspace:coverage", "分配服务专员和项目管家"),
            Entry("年报情况", "workspace:annual_reports", "企业年报填报情况"),
            Entry("证照导入", "workspace:licence_import", "批量导入电子证照"),
            Entry("登记项目", "projects:new", "为企业登记建设项目"),
            Entry("承办的项目事项", "projects:department_items", "本部门承办的项目审批事项"),
        ),
        namespaces=("workspace", "projects"),
    ),
    HomeSection(
        "policy",
        "政策诉求",
        "工业和信息化局",
        "诉求一键处理，政策精准推送",
        (
            Entry("企业诉求", "appeals:new", "在线申报，节点全程可见，结果在线评价"),
            Entry("政策服务", "policies:library", "政策库、新政通知、解读、专题、订阅、讲堂"),
            Entry("项目申报", "declarations:calls", "申报信息精准推送、线上办理"),
            Entry("融资服务", "financing:home", "融资动态、担保机构、合同贷、金融基金"),
            Entry("服务超市", "market:home", "场地、产品、成果、法律、财务、项目合作"),
            Entry("校企共建", "cooperation:home", "高校资源与企业需求对接"),
        ),
        tools=(
            Entry("诉求管理", "appeals:manage", "全部诉求的研判、派发、回访、办结"),
            Entry("诉求办理", "appeals:inbox", "派发给本部门的诉求"),
            Entry("录入诉求", "appeals:record", "登记来电来访诉求"),
            Entry("政策管理", "policies:manage", "撰写、提交、发布本部门政策"),
            Entry("政策审核", "policies:review", "审核各部门提交的政策"),
            Entry("申报管理", "declarations:manage", "发布申报通知、审核申报"),
            Entry("监督考核", "assessment:ranking", "各部门考核排名、案件明细、考核办法和通报"),
            Entry("督办台", "supervision:board", "督办件和长期超期派单的催办、通报"),
            Entry("领导驾驶舱", "dashboards:overview", "全市诉求、满意度、办理时长和招商概况"),
            Entry("服务机构审核", "providers:review", "银行、律所、高校等机构的入驻审核"),
            Entry("本机构", "providers:mine", "服务机构的入驻状态和成员"),
            Entry("融资对接单", "financing:orders", "金融机构接单、反馈放款结果"),
            Entry("金融产品管理", "financing:my_products", "银行、担保机构发布金融产品"),
            Entry("融资服务审核", "financing:review", "审核金融产品和融资动态"),
            Entry("融资服务统计", "financing:statistics", "各金融机构接单、放款、办结时长"),
            Entry("服务超市审核", "market:review", "审核入驻机构发布的服务，处理投诉"),
            Entry("校企共建审核", "cooperation:review", "审核高校资源和企业技术需求"),
            Entry("校企合作统计", "cooperation:stats", "对接、签约、成效的分期统计"),
            Entry("本机构的服务与订单", "market:manage", "在服务超市发布服务、报价、接单"),
            Entry("校企合作记录", "cooperation:mine", "高校资源、对接与合作"),
        ),
        namespaces=(
            "appeals",
            "policies",
            "declarations",
            "listings",
            "providers",
            "financing",
            "market",
            "cooperation",
        ),
    ),
    HomeSection(
        "investment",
        "智慧招商",
        "商务局",
        "投资荣成，在线登记投资意向",
        (
            Entry("招商资料库", "investment:library", "行业、园区、闲置资产、投资成本"),
            Entry("招商推介", "promotion:home", "了解投资环境，在线登记意向、咨询"),
            Entry("招商项目管理", "investment:projects", "项目节点化管理与流程提醒"),
            Entry("大数据分析", "investment:analysis", "外地重点企业数据库"),
            Entry("决策支持", "investment:decision", "投资地图、招商统计、来访统计"),
            Entry("招商服务", "investment:services", "行业政策、商务知识学习资料"),
        ),
        namespaces=("investment",),
    ),
)


def home_sections() -> tuple[HomeSection, ...]:
    return SECTIONS


def section_by_code(code: str) -> HomeSection | None:
    return next((s for s in SECTIONS if s.code == code), None)


def entry_links(entries: tuple[Entry, ...], user: Any) -> list[Link]:
    """The entries as `user` may follow them: to the page, or to its counterpart for them.

    Entries the user may not open (and that have no counterpart for them) are left out; an
    entry that is not built yet stays, without a link.
    """
    links: list[Link] = []
    for entry in entries:
        if entry.url is None:
            links.append(Link(entry.title, entry.description, None))
            continue
        url = link_for(user, entry.url)
        if url is not None:
            links.append(Link(entry.title, entry.description, url))
    return links


def tool_links(section: HomeSection, user: Any) -> list[Link]:
    """The section's staff pages that `user` opens as they are (never a counterpart)."""
    if not user.is_authenticated or user.enterprise_id:
        return []  # an enterprise's users do no section's work (and cost no role lookup)
    return [
        Link(tool.title, tool.description, url)
        for tool in section.tools
        if (url := tool.url) is not None and can_open(user, url)
    ]


def section_of(view_name: str, kwargs: dict[str, Any] | None = None) -> HomeSection | None:
    """The section a page belongs to, by its URL name (`appeals:detail` → 政策诉求)."""
    if view_name == "portal:section" and kwargs:
        return section_by_code(str(kwargs.get("code", "")))
    if view_name == "policies:subscriptions":
        return section_by_code("services")  # 我的政策 is an entry of 办事服务
    namespace = view_name.split(":", 1)[0]
    return next((s for s in SECTIONS if namespace in s.namespaces), None)
