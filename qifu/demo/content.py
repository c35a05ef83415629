"""Demo 工作动态, written by departments and reviewed by the 办事服务 agency before publishing."""

from __future__ import annotations

from qifu.accounts.models import User
from qifu.content.models import Notice, NoticeKind
from qifu.content.services import notice_create
from qifu.demo import Output
from qifu.publishing.services import (
    publication_approve,
    publication_publish,
    publication_submit,
)

# (author username, kind, title, summary, body, how far: draft / submitted / published)
NOTICES = [
    (
        "gongxin",
        NoticeKind.ANNOUNCEMENT,
        "关于开展2026年度荣成市“专精特新”中小企业认定工作的通知",
        "申报时间为3月1日至4月15日，符合条件的企业可通过平台“项目申报”在线提交。",
        "各有关企业：\n\n根据《优质中小企业梯度培育管理暂行办法》，现组织开展2026年度专精特新中小企业认定工作。"
        "申报企业须在荣成市注册、从事特定细分市场2年以上，上年度研发费用不低于100万元且占营业收入比重不低于3%。"
        "\n\n请于4月15日前通过平台“项目申报”栏目在线提交材料。联系电话：0631-7561234。",
        "published",
    ),
    (
        "gongxin",
        NoticeKind.MEASURE,
        "工信局推出“企业诉求直通车”服务措施",
        "企业诉求3个工作日内办结反馈，办理进度全程可查。",
        "为进一步优化营商环境，市工信局依托企业一体化服务平台推出“企业诉求直通车”服务：企业在线提交诉求，"
        "平台当日研判派发，承办部门3个工作日内办结反馈，平台2个工作日内电话回访。\n\n"
        "企业可在“专属空间”随时查看办理节点和答复意见，并对办理结果进行评价。",
        "published",
    ),
    (
        "zhujian",
        NoticeKind.CASE,
        "“拿地即开工”：房车产业园扩建项目45天取得施工许可",
        "住建、自然资源等部门并联审批，项目管家全程帮办。",
        "某房车制造企业总装车间扩建项目在项目管家全程帮办下，实行用地、规划、施工许可并联审批，"
        "从取得土地到领取施工许可证仅用45天。\n\n该项目投产后预计新增产值3亿元、就业岗位200个。",
        "published",
    ),
    (
        "gongxin",
        NoticeKind.NEWS,
        "市工信局走访海洋食品企业收集发展诉求",
        "走访企业32家，收集诉求21项，现场解决9项。",
        "近日，市工信局组织服务专员走访俚岛镇、寻山街道海洋食品加工企业32家，收集用工、用电、融资等诉求21项，"
        "现场解决9项，其余已通过平台派发相关部门限期办理。",
        "submitted",
    ),
]


def seed(*, stdout: Output) -> None:
    """Publish the demo notices that do not exist yet, through the review workflow."""
    users = {
        u.username: u for u in User.objects.filter(username__in=["gongxin", "zhujian", "pingtai"])
    }
    reviewer = users["pingtai"]
    added = 0
    for author_name, kind, title, summary, body, stage in NOTICES:
        if Notice.objects.filter(title=title).exists():
            continue
        author = users[author_name]
        notice = notice_create(author=author, kind=kind, title=title, summary=summary, body=body)
        if stage in ("submitted", "published"):
            notice = publication_submit(item=notice, actor=author)
        if stage == "published":
            notice = publication_approve(item=notice, actor=reviewer)
            publication_publish(item=notice, actor=author)
        added += 1
    stdout.write(f"工作动态：{len(NOTICES)} 条（新增 {added}）\n")
