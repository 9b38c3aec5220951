from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from bakti.core.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | None, currency: str = "IDR") -> str:
    """``{{ amount|money }}`` → ``Rp 1.250.000`` (grouping follows the active language)."""
    return format_money(amount, currency or "IDR")


@register.filter
def mask_id(value: str | None) -> str:
    """Mask a 16-digit identity number for lists: ``3374********0001``."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


@register.filter
def percent(value: Decimal | float | None, places: int = 0) -> str:
    if value is None:
        return "–"
    from django.utils.formats import number_format

    return number_format(Decimal(str(value)) * 100, decimal_pos=places) + "%"


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def yes_no(value: bool | None) -> str:
    return _("yes") if value else _("no")


@register.filter
def styled(bound_field: Any) -> str:
    """Render a form field with Bootstrap classes and its help/errors tied to it for screen
    readers, whatever form it belongs to."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", None)
    if input_type in {"checkbox", "radio"}:
        css = "form-check-input"
    elif widget.__class__.__name__ in {"Select", "SelectMultiple", "NullBooleanSelect"}:
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    attrs = {"class": f"{existing} {css}".strip()}
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
    if bound_field.errors or bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.id_for_label}-help"
    return bound_field.as_widget(attrs=attrs)
