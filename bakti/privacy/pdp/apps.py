from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PdpConfig(AppConfig):
    """The duties of UU PDP (Law 27/2022): data-subject requests, the breach register,
    retention, records of processing and impact assessments.

    A separate app from ``bakti.privacy`` (the audit trail, which every app writes to and which
    depends on core only): these duties read the registry, cases, delivery and partners, so the
    app is installed after them (and its demo data loads after theirs)."""

    name = "bakti.privacy.pdp"
    label = "pdp"
    verbose_name = _("Personal data protection")
    nav = (
        {
            "module": "pdp",
            "label": _("Data protection"),
            "url": "privacy:pdp_dashboard",
            "order": 98,
        },
    )
    schedule = (
        {
            "name": "pdp.send_deadline_alerts",
            "task": "bakti.privacy.pdp.tasks.send_deadline_alerts",
            "every": timedelta(hours=1),
        },
        {
            "name": "pdp.apply_retention",
            "task": "bakti.privacy.pdp.tasks.apply_retention",
            "every": timedelta(days=1),
        },
    )
