"""Importing the investment database and the key-enterprise database from CSV or XLSX.

Each kind has a natural key, so importing the same file twice changes nothing the second time:
parks by name, idle assets by code, costs by (category, item, effective_on), co-operation
projects by title, key enterprises by credit code (or name when there is none). Every row is
checked by the same form as the staff page; a bad row is rejected with its reasons, in Chinese,
and the others are imported. Imported database items are drafts (or new revisions) that still go
through review before the public sees them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied

from qifu.accounts.models import Department, DepartmentKind, Enterprise
from qifu.core.audit import audit_record
from qifu.core.spreadsheets import (
    ImportReport,
    RowRejected,
    cell_text,
    import_rows,
    missing_columns,
    read_table,
)
from qifu.investment import access
from qifu.investment.catalogue import KINDS, catalogue_create, catalogue_update
from qifu.investment.fields import KEY_ENTERPRISE_FIELDS
from qifu.investment.forms import CatalogueForm, KeyEnterpriseForm
from qifu.investment.models import Chain, ChainLink, KeyEnterprise, Park
from qifu.investment.services.visits import key_enterprise_save
from qifu.publishing import services as publishing


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    natural_key: str  # in words, for the page


IMPORT_KINDS: dict[str, ImportKind] = {
    k.key: k
    for k in (
        ImportKind(
            "parks",
            "园区",
            KINDS["parks"].fields,
            ("name", "level", "leading_industries"),
            "按园区名称 name 识别",
        ),
        ImportKind(
            "assets",
            "闲置资产",
            KINDS["assets"].fields,
            ("code", "title", "kind", "area", "owner"),
            "按资产编号 code 识别",
        ),
        ImportKind(
            "costs",
            "投资成本",
            KINDS["costs"].fields,
            ("category", "item", "price", "unit", "effective_on", "source"),
            "按 类别 category + 项目 item + 执行日期 effective_on 识别",
        ),
        ImportKind(
            "cooperation",
            "对外合作项目",
            KINDS["cooperation"].fields,
            ("title", "industry", "amount", "description"),
            "按项目名称 title 识别",
        ),
        ImportKind(
            "key_enterprises",
            "外地重点企业",
            KEY_ENTERPRISE_FIELDS,
            ("name",),
            "按统一社会信用代码识别，没有代码时按企业名称",
        ),
    )
}


def _cell(row: dict[str, Any], name: str) -> str:
    return cell_text(row, name)


class _References:
    """Names in the file (a town, a chain's code or name, a park) → primary keys."""

    def __init__(self) -> None:
        self.towns = {d.name: d.pk for d in Department.objects.filter(kind=DepartmentKind.TOWN)}
        self.chains: dict[str, int] = {}
        for chain in Chain.objects.all():
            self.chains[chain.code] = chain.pk
            self.chains[chain.name] = chain.pk
        self.parks = {p.name: p.pk for p in Park.objects.all()}
        self.links = {(link.chain_id, link.name): link.pk for link in ChainLink.objects.all()}

    def resolve(self, data: dict[str, str], errors: list[str]) -> None:
        for name, table, label in (
            ("town", self.towns, "镇街"),
            ("chain", self.chains, "产业链"),
            ("park", self.parks, "园区"),
        ):
            value = data.get(name, "")
            if value:
                if value in table:
                    data[name] = str(table[value])
                else:
                    errors.append(f"未知的{label}“{value}”")
                    data[name] = ""
        link = data.get("chain_link", "")
        if link:
            chain_id = int(data["chain"]) if data.get("chain") else None
            match = self.links.get((chain_id, link)) if chain_id else None
            if match is None:
                errors.append(f"产业链中没有环节“{link}”（需同时填写 chain）")
                data["chain_link"] = ""
            else:
                data["chain_link"] = str(match)
        enterprise = data.get("enterprise", "")
        if enterprise:
            found = Enterprise.objects.filter(credit_code=enterprise.upper()).first()
            if found is None:
                errors.append(f"平台上没有统一社会信用代码为“{enterprise}”的企业")
            data["enterprise"] = str(found.pk) if found else ""


def _form_errors(form: Any) -> list[str]:
    reasons = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in messages:
            reasons.append(f"{label}（{name}）：{message}" if label else str(message))
    return reasons


def _existing(kind: str, data: dict[str, str]) -> Any:
    model: Any = KeyEnterprise if kind == "key_enterprises" else KINDS[kind].model
    if kind == "parks":
        return model.objects.filter(name=data.get("name", "")).first()
    if kind == "assets":
        return model.objects.filter(code=data.get("code", "")).first()
    if kind == "costs":
        return (
            model.objects.filter(
                category=data.get("category", ""),
                item=data.get("item", ""),
                effective_on=data.get("effective_on") or None,
            ).first()
            if data.get("effective_on")
            else None
        )
    if kind == "cooperation":
        return model.objects.filter(title=data.get("title", "")).first()
    if data.get("credit_code"):
        return model.objects.filter(credit_code=data["credit_code"].upper()).first()
    return model.objects.filter(name=data.get("name", "")).first()


def import_row(*, kind: ImportKind, row: dict[str, Any], refs: _References, actor: Any) -> str:
    """created / updated / unchanged, or RowRejected with the reasons."""
    data = {name: _cell(row, name) for name in kind.columns if name in row}
    errors: list[str] = [f"缺少{name}" for name in kind.required if not data.get(name)]
    refs.resolve(data, errors)
    if errors:
        raise RowRejected(errors)
    existing = _existing(kind.key, data)
    model: Any = KeyEnterprise if kind.key == "key_enterprises" else KINDS[kind.key].model
    fields = KEY_ENTERPRISE_FIELDS if kind.key == "key_enterprises" else KINDS[kind.key].fields
    for name in fields:
        if name not in data:
            # A column the file leaves out keeps the current value, or takes the default.
            field: Any = model._meta.get_field(name)
            value = (
                getattr(existing, field.attname) if existing is not None else field.get_default()
            )
            data[name] = "" if value is None else str(value)
    if kind.key == "key_enterprises":
        # The form validates a copy: the existing row must still hold the old values to compare.
        form: Any = KeyEnterpriseForm(data=data, instance=copy.copy(existing))
    else:
        form = CatalogueForm.for_kind(KINDS[kind.key])(data=data, instance=copy.copy(existing))
    values_fields = list(fields)
    if not form.is_valid():
        raise RowRejected(_form_errors(form))
    values = {name: form.cleaned_data[name] for name in values_fields if name in form.cleaned_data}
    if existing is None:
        if kind.key == "key_enterprises":
            key_enterprise_save(actor=actor, values=values)
        else:
            catalogue_create(kind=KINDS[kind.key], author=actor, values=values)
        return "created"
    if kind.key == "key_enterprises":
        if all(getattr(existing, n) == v for n, v in values.items()):
            return "unchanged"
        key_enterprise_save(actor=actor, values=values, key_enterprise=existing)
        return "updated"
    if not publishing.can_manage(actor, existing):
        raise RowRejected(
            [f"“{existing}”由{existing.provider_department.name}提供，不能由本单位导入覆盖"]
        )
    before = existing.revision
    updated = catalogue_update(item=existing, actor=actor, values=values)
    return "unchanged" if updated.revision == before else "updated"


def investment_import_file(
    *, kind_key: str, path: str | Path, actor: Any, dry_run: bool = False
) -> ImportReport:
    """Import every row of the file; rejected rows are reported, the others kept (unless
    `dry_run`). ValueError when the file itself cannot be read or lacks a column."""
    kind = IMPORT_KINDS[kind_key]
    if kind_key == "key_enterprises":
        access.check_investment_staff(actor)
    elif not (actor.is_superuser or (actor.is_government and actor.department_id)):
        raise PermissionDenied("只有部门工作人员可以导入招商资料。")
    path = Path(path)
    rows = read_table(path)
    missing = missing_columns(rows, kind.required)
    if missing:
        raise ValueError(f"缺少列：{'、'.join(missing)}")
    refs = _References()

    def audit(report: ImportReport) -> None:
        audit_record(
            action="investment.import",
            actor=actor,
            summary=f"导入{kind.label} {path.name}：{report.summary}",
            data=report.audit_counts,
        )

    return import_rows(
        rows,
        one=lambda row: import_row(kind=kind, row=row, refs=refs, actor=actor),
        key=lambda row: (
            _cell(row, "code") or _cell(row, "name") or _cell(row, "title") or _cell(row, "item")
        ),
        dry_run=dry_run,
        after=audit,
    )
