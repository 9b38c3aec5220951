from typing import Any

from django import template

from bakti.accounts.access import has

register = template.Library()


@register.filter
def can(user: Any, capability: str) -> bool:
    """``{% if user|can:"registry.import" %}``: whether the user holds it anywhere."""
    return has(user, capability)


@register.filter
def reason_text(detail: str) -> str:
    """A possible duplicate's reason in the reader's language."""
    from bakti.registry.dedup.reasons import reason_text as text

    return text(detail)
