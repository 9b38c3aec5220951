from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "bakti.registry"
    label = "registry"
    verbose_name = _("Registry")
    nav = (
        {
            "module": "registry",
            "label": _("Registry"),
            "url": "registry:search",
            "order": 30,
        },
    )
