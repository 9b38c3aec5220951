from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "bakti.privacy"
    label = "privacy"
    verbose_name = _("Privacy and audit")
    nav = (
        {
            "module": "privacy",
            "label": _("Audit trail"),
            "url": "privacy:audit_list",
            "order": 100,
        },
    )
