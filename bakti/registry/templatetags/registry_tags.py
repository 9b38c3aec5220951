from typing import Any

from django import template

from bakti.accounts.access import has
from bakti.registry.dedup import reasons

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    """``{% if user|can:"registry.import" %}``: whether the user holds it anywhere."""
    return has(user, capability)


@register.filter
def reason_text(detail: str) -> str:
    """A possible duplicate's reason in the reader's language."""
    return reasons.reason_text(detail)
