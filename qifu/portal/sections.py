"""The four sections of the home page and their entries, as the measures (articles 6–10) list them.

An entry links to its page once that page exists (its URL name resolves); until then it is shown
as "建设中" without a link, never as a dead link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Entry:
    title: str
    url_name: str
    description: str

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


@dataclass(frozen=True)
class HomeSection:
    code: str
    title: str
    agency: str
    summary: str
    entries: tuple[Entry, ...]


SECTIONS: tuple[HomeSection, ...] = (
    HomeSection(
        "services",
        "办事服务",
        "行政审批服务局",
        "一网通办，7×24小时咨询，留言限期办理",
        (
            Entry("我要办事", "matters:catalogue", "事项指南、在线申请、一窗通等系统统一入口"),
            Entry("我要咨询", "assistant:ask", "智能客服7×24小时答复，疑难问题转人工"),
            Entry("我要留言", "board:new", "生成办件表单，派发部门限期处理"),
            Entry("我的政策", "policies:library", "查阅、搜索全部涉企政策"),
            Entry("信息发布", "content:postings", "发布招工信息和融资需求"),
            Entry("工作动态", "content:news", "涉企公告、服务措施、优秀案例、回复率监测"),
        ),
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
            Entry("融资服务", "listings:finance", "融资动态、担保机构、合同贷、金融基金"),
            Entry("服务超市", "listings:market", "场地、产品、成果、法律、财务、项目合作"),
            Entry("校企共建", "listings:campus", "高校资源与企业需求对接"),
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
    ),
)


def home_sections() -> tuple[HomeSection, ...]:
    return SECTIONS
