from typing import Any

from django import template

from bakti.accounts.access import has

register = template.Library()


@register.filter
def holds(user: Any, capability: str) -> bool:
    """``{% if request.user|holds:"cases.supervise" %}``: whether the user holds a capability."""
    return has(user, capability)
