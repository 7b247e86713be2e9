"""Template filters for the public pages."""

from __future__ import annotations

from django import template

from records.dates import describe_edtf

register = template.Library()


@register.filter
def edtf(value: str) -> str:
    """An EDTF date as a person writes it: ``2018-21`` → "spring 2018"."""
    return describe_edtf(value or "")
