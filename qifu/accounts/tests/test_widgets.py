"""The department choice: grouped by kind, with a prompt instead of "---------"."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from qifu.accounts.widgets import DepartmentChoiceField, DepartmentMultipleChoiceField

pytestmark = pytest.mark.django_db


class DispatchForm(forms.Form):
    department = DepartmentChoiceField(label="承办部门")
    co_departments = DepartmentMultipleChoiceField(label="协办部门", required=False)


def test_departments_are_grouped_by_kind_with_a_prompt_and_no_dashes(
    agency: Any, department: Any, other_department: Any, town: Any
) -> None:
    html = str(DispatchForm()["department"])
    assert "---------" not in html
    assert '<option value="" selected>请选择部门</option>' in html
    assert '<optgroup label="平台管理机构">' in html
    assert '<optgroup label="市直部门">' in html and '<optgroup label="镇街区">' in html
    assert html.index("荣成市住房和城乡建设局") < html.index("俚岛镇")
    assert "data-department-select" in html
    multiple = str(DispatchForm()["co_departments"])
    assert "multiple" in multiple and "---------" not in multiple


def test_the_choice_validates_and_refuses_an_inactive_department(
    department: Any, other_department: Any
) -> None:
    form = DispatchForm({"department": department.pk, "co_departments": [other_department.pk]})
    assert form.is_valid()
    assert form.cleaned_data["department"] == department
    assert list(form.cleaned_data["co_departments"]) == [other_department]
    other_department.is_active = False
    other_department.save()
    refused = DispatchForm({"department": other_department.pk})
    assert not refused.is_valid() and "department" in refused.errors
