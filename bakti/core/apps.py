from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bakti.core"
    label = "core"
    verbose_name = _("Core")
    nav = ({"module": "dashboard", "label": _("Dashboard"), "url": "core:home", "order": 0},)
    schedule = (
        {
            "name": "core.refresh_planner_statistics",
            "task": "bakti.core.tasks.refresh_planner_statistics",
            "every": timedelta(hours=24),
        },
    )
