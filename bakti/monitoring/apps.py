from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "bakti.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring and evaluation")
    default_auto_field = "django.db.models.BigAutoField"
    nav = (
        {
            "module": "monitoring",
            "label": _("Monitoring"),
            "url": "monitoring:program_list",
            "order": 80,
        },
    )
    schedule = (
        {
            "name": "monitoring.compute_all_programs",
            "task": "bakti.monitoring.tasks.compute_all_programs",
            "every": timedelta(hours=24),
        },
    )
