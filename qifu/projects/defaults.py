"""The default standard item list (facts §7.3, 国办发〔2019〕11号), loaded into the
admin-editable ProjectItemTemplate table by `load_project_templates` and the demo data, never
by a migration.

Time limits are in working days. 备案 is immediate online (企业投资项目核准和备案管理条例);
the 施工许可证 is issued within 7 days of a complete application (建筑工程施工许可管理办法);
消防设计审查 of special works takes at most 15; the rest are the city's typical targets
(10–20 per stage), which keep the whole process well inside the national 120 working days.
"""

from __future__ import annotations

from typing import NamedTuple

from qifu.projects.models import Stage


class DefaultItem(NamedTuple):
    code: str
    name: str
    stage: str
    department_code: str
    working_days: int
    order: int
    depends_on: str = ""  # codes; blank = after the whole previous stage


DEFAULT_ITEMS: list[DefaultItem] = [
    DefaultItem("record", "企业投资项目备案", Stage.APPROVAL, "fgj", 0, 10),
    DefaultItem("land-preview", "用地预审与选址意见书", Stage.LAND, "zrzyj", 10, 20),
    DefaultItem("land-planning", "建设用地规划许可证", Stage.LAND, "zrzyj", 5, 30, "land-preview"),
    DefaultItem("design-review", "设计方案审查", Stage.PLANNING, "xzsp", 10, 40),
    DefaultItem(
        "works-planning", "建设工程规划许可证", Stage.PLANNING, "xzsp", 5, 50, "design-review"
    ),
    DefaultItem("drawing-review", "施工图审查", Stage.CONSTRUCTION, "zjj", 10, 60),
    DefaultItem("fire-design", "消防设计审查", Stage.CONSTRUCTION, "zjj", 15, 70),
    DefaultItem(
        "construction-permit",
        "建筑工程施工许可证",
        Stage.CONSTRUCTION,
        "xzsp",
        7,
        80,
        "drawing-review,fire-design",
    ),
    DefaultItem("joint-acceptance", "联合验收", Stage.ACCEPTANCE, "zjj", 12, 90),
    DefaultItem(
        "completion-record", "竣工验收备案", Stage.ACCEPTANCE, "zjj", 15, 100, "joint-acceptance"
    ),
]
