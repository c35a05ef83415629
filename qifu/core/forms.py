"""Form styling shared by every form: Tabler classes and accessible error wiring."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from qifu.core.text import no_control_characters


class _ChoiceGroup:
    """A group of radios or checkboxes: each input gets the input's classes, the group's container
    its own (`qifu-choices`), not the inputs' `form-check-input`."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        context["widget"]["attrs"] = {**context["widget"]["attrs"], "class": "qifu-choices"}
        return context


class RadioGroup(_ChoiceGroup, forms.RadioSelect):
    pass


class CheckboxGroup(_ChoiceGroup, forms.CheckboxSelectMultiple):
    pass


_GROUPS: dict[type[forms.Widget], type[forms.Widget]] = {
    forms.RadioSelect: RadioGroup,
    forms.CheckboxSelectMultiple: CheckboxGroup,
}


class StyledFormMixin:
    """Adds Tabler classes, marks invalid fields with aria-invalid and aria-describedby, and
    refuses NUL, control characters and lone surrogates in every text field (one message)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator)
                ]
                if no_control_characters not in field.validators:
                    field.validators.append(no_control_characters)
            group = _GROUPS.get(type(field.widget))
            if group is not None:
                old = field.widget
                field.widget = group(attrs=old.attrs)
                field.widget.choices = old.choices  # type: ignore[attr-defined]
                field.widget.is_required = old.is_required
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)
            ):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                bound = self[name]  # type: ignore[index]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{bound.auto_id}_error"


def apply_errors(
    form: forms.BaseForm, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError next to the matching fields of the form (the others above
    it); `aliases` maps a service's field name to the form's."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        name = (aliases or {}).get(name, name)
        form.add_error(name if name in form.fields else None, messages)
