from django import template
from django.apps import apps

register = template.Library()


@register.filter
def table_label(label: str) -> str:
    """``registry.consent`` → the model's plural name in the active language."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    name = str(model._meta.verbose_name_plural)
    return name[:1].upper() + name[1:]
