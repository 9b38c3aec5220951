from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "bakti.partners"
    label = "partners"
    verbose_name = _("Partners")
    nav = (
        {
            "module": "partners",
            "label": _("Partners"),
            "url": "partners:organisation_list",
            "order": 70,
        },
    )
    schedule = (
        {
            "name": "partners.agreement_reminders",
            "task": "bakti.partners.tasks.send_agreement_reminders",
            "every": timedelta(hours=24),
        },
    )
