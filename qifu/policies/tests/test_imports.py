from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from qifu.accounts.models import Enterprise
from qifu.core.models import AuditEvent
from qifu.policies.models import Policy
from qifu.policies.tests.conftest import DATA
from qifu.publishing.models import PublicationStatus, Revision

pytestmark = pytest.mark.django_db

GOOD_POLICY = {
    "code": "RC-2026-001",
    "title": "荣成市高新技术企业首次认定奖励",
    "issuer": "荣成市工业和信息化局",
    "doc_number": "荣科发〔2026〕3号",
    "published_on": "2026-03-01",
    "expires_on": "2026-12-31",
    "summary": "首次认定奖励10万元",
    "body": "正文",
    "industries": ["C"],
    "criteria": {"qualifications_all": ["high_tech"]},
}


def run(command: str, path: Path, *args: str) -> tuple[str, str, bool]:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, str(path), *args, stdout=out, stderr=err)
    except CommandError:
        return out.getvalue(), err.getvalue(), False
    return out.getvalue(), err.getvalue(), True


def write_json(tmp_path: Path, key: str, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / f"{key}.json"
    path.write_text(json.dumps({key: rows}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def setup(on_today, department, town, chengshan, superuser) -> Any:
    return superuser


def test_importing_policies_publishes_them_reviewed_by_the_administrator(setup, tmp_path):
    out, err, ok = run("import_policies", write_json(tmp_path, "policies", [GOOD_POLICY]))
    assert ok, err
    policy = Policy.objects.get(code="RC-2026-001")
    assert policy.status == PublicationStatus.PUBLISHED
    assert policy.reviewed_by == setup and policy.created_by == setup
    assert policy.provider_department == policy.issuer
    assert policy.published_at is not None
    assert AuditEvent.objects.filter(action="policies.import", object_id=str(policy.pk)).exists()
    assert "新增 1" in out


def test_importing_the_same_file_twice_updates_and_never_duplicates(setup, tmp_path):
    path = write_json(tmp_path, "policies", [GOOD_POLICY])
    run("import_policies", path)
    out, _, ok = run("import_policies", path)
    assert ok and "无变化 1" in out
    assert Policy.objects.filter(code="RC-2026-001").count() == 1
    changed = write_json(tmp_path, "policies", [{**GOOD_POLICY, "title": "新标题"}])
    out, _, ok = run("import_policies", changed)
    policy = Policy.objects.get(code="RC-2026-001")
    assert ok and "更新 1" in out
    assert policy.title == "新标题" and policy.revision == 2
    assert Revision.objects.filter(object_id=policy.pk).count() == 2


def test_bad_policy_rows_are_reported_and_the_good_ones_still_imported(setup, tmp_path):
    rows = [
        GOOD_POLICY,
        {**GOOD_POLICY, "code": "BAD-1", "issuer": "荣成市不存在局"},
        {**GOOD_POLICY, "code": "BAD-2", "published_on": "2026-13-01"},
        {**GOOD_POLICY, "code": "BAD-3", "criteria": {"min_staff": 3}},
        {**GOOD_POLICY, "code": "BAD-4", "industries": ["13"]},
    ]
    _, err, ok = run("import_policies", write_json(tmp_path, "policies", rows))
    assert not ok
    assert "第2条 BAD-1" in err and "未知的发布部门“荣成市不存在局”" in err
    assert "第3条 BAD-2" in err and "不是有效日期" in err
    assert "第4条 BAD-3" in err and "未知的申报条件：min_staff" in err
    assert "第5条 BAD-4" in err and "行业代码不符合" in err
    assert list(Policy.objects.values_list("code", flat=True)) == ["RC-2026-001"]


def test_a_dry_run_reports_but_writes_nothing(setup, tmp_path):
    out, _, ok = run(
        "import_policies", write_json(tmp_path, "policies", [GOOD_POLICY]), "--dry-run"
    )
    assert ok and "试运行" in out and "新增 1" in out
    assert not Policy.objects.exists()


def test_policies_import_from_csv_with_pipe_separated_lists(setup, tmp_path):
    path = tmp_path / "policies.csv"
    path.write_text(
        "code,title,issuer,published_on,expires_on,industries,tags,criteria\n"
        "CSV-1,海洋食品奖励,荣成市工业和信息化局,2026-02-01,,C13|C14,海洋|食品,"
        '"{""scales"": [""small"", ""micro""]}"\n',
        encoding="utf-8",
    )
    _, err, ok = run("import_policies", path)
    assert ok, err
    policy = Policy.objects.get(code="CSV-1")
    assert policy.industries == ["C13", "C14"] and policy.tags == ["海洋", "食品"]
    assert policy.criteria == {"scales": ["small", "micro"]} and policy.expires_on is None


def test_enterprises_import_from_xlsx_and_reject_bad_codes_and_unknown_towns(setup, tmp_path):
    book = Workbook()
    sheet = book.active
    header = ["credit_code", "name", "industry", "scale", "qualifications", "region",
              "employees", "registered_capital", "revenue", "founded_on", "rd_ratio"]  # fmt: skip
    sheet.append(header)
    sheet.append(["913710820000056A4N", "甲公司", "C1361", "small", "tech_sme|foreign_trade",
                  "俚岛镇", 50, 500, 1500, "2020-06-15", 0.035])  # fmt: skip
    sheet.append(["913710820000056A4X", "乙公司", "C1361", "small", "", "俚岛镇", 5, 5, 5,
                  "", 0])  # fmt: skip
    sheet.append(["913710820000056B2H", "丙公司", "C3630", "medium", "", "火星镇", 5, 5, 5,
                  "", 0])  # fmt: skip
    path = tmp_path / "enterprises.xlsx"
    book.save(path)
    _, err, ok = run("import_enterprises", path)
    assert not ok
    assert "第2条 913710820000056A4X" in err and "校验位不正确" in err
    assert "第3条 913710820000056B2H" in err and "未知的镇街“火星镇”" in err
    enterprise = Enterprise.objects.get(credit_code="913710820000056A4N")
    assert enterprise.region.name == "俚岛镇"
    assert enterprise.qualifications == ["tech_sme", "foreign_trade"]


def test_the_exchange_data_set_imports_cleanly_and_twice_without_duplicates(setup):
    path = DATA / "matching.json"
    for _ in range(2):
        _, err, ok = run("import_enterprises", path)
        assert ok, err
        _, err, ok = run("import_policies", path)
        assert ok, err
    assert Enterprise.objects.count() == 3
    assert Policy.objects.count() == 15


def test_an_actor_who_is_not_an_administrator_is_refused(setup, tmp_path, department_admin):
    with pytest.raises(CommandError, match="不是系统管理员"):
        call_command(
            "import_policies",
            str(write_json(tmp_path, "policies", [GOOD_POLICY])),
            "--actor",
            department_admin.username,
            stdout=StringIO(),
        )
