"""Turning an admin change form, as the server rendered it, back into the POST a browser sends."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response: Any) -> dict[str, Any]:
    """Every field of the change form and its inline formsets, with the values it was rendered with."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for name, field in form.fields.items():
            value = field.prepare_value(form[name].value())
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    # The history "revert" form has no inlines.
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            value = management[name].value()
            if value is not None:
                data[management.add_prefix(name)] = str(value)
        for form in formset.initial_forms:
            add(form)
    return data
