from typing import Any

from django import template

from bakti.accounts.access import has

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    """``{% if user|can:"registry.import" %}``: whether the user holds it anywhere."""
    return has(user, capability)
