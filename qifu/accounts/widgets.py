"""The department choice used by every form: grouped by kind, searchable, never "---------".

Without JavaScript it is a plain <select> with an <optgroup> per kind (平台管理机构, 市直部门,
镇街区); static/qifu/department-select.js turns it into a searchable box (Tom Select) where
typing 住建 or 俚岛 finds the department, and a multiple choice needs no Ctrl-click.

    department = DepartmentChoiceField(label="承办部门")
    co_departments = DepartmentMultipleChoiceField(label="协办部门", required=False)

Pages using it add `{% include "accounts/_department_select_assets.html" %}` in their
`scripts` block (and the CSS comes with it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator

from qifu.accounts.models import Department
from qifu.accounts.selectors import departments_by_kind

ENHANCE = {"data-department-select": "", "data-placeholder": "输入名称搜索部门"}


class _SearchableOptions:
    """Each option carries the department's short name and code for the search (住建 → 住建局)."""

    def create_option(self, name: str, value: Any, label: Any, *args: Any, **kwargs: Any) -> Any:
        option = super().create_option(name, value, label, *args, **kwargs)  # type: ignore[misc]
        department = getattr(value, "instance", None)
        if department is not None:
            option["attrs"]["data-short"] = department.short_name
            option["attrs"]["data-code"] = department.code
        return option


class DepartmentSelect(_SearchableOptions, forms.Select):
    pass


class DepartmentSelectMultiple(_SearchableOptions, forms.SelectMultiple):
    pass


class GroupedDepartmentIterator(ModelChoiceIterator):
    """The departments in one <optgroup> per kind, in display order."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for label, departments in departments_by_kind(self.queryset):
            yield (label, [self.choice(d) for d in departments])


def _active() -> Any:
    return Department.objects.filter(is_active=True)


class DepartmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """One department; the empty choice reads as a prompt (请选择…), never "---------"."""

    iterator = GroupedDepartmentIterator

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", "请选择部门")
        kwargs.setdefault("widget", DepartmentSelect(attrs=dict(ENHANCE)))
        super().__init__(queryset if queryset is not None else _active(), **kwargs)


class DepartmentMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several departments, grouped and searchable; chosen ones carry a remove button."""

    iterator = GroupedDepartmentIterator

    def __init__(self, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DepartmentSelectMultiple(attrs=dict(ENHANCE)))
        super().__init__(queryset if queryset is not None else _active(), **kwargs)
