from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "bakti.reports"
    label = "reports"
    verbose_name = _("Reports and dashboards")
    default_auto_field = "django.db.models.BigAutoField"
    nav = (
        {
            "module": "reports",
            "label": _("Portfolio dashboard"),
            "url": "reports:portfolio",
            "order": 5,
        },
    )
