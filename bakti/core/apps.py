from datetime import timedelta
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
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

    def ready(self) -> None:
        from django.forms import ModelChoiceField

        from .choices import ListedChoiceIterator

        post_migrate.connect(_statistics_after_migrate, sender=self)
        # Django's documented hook for how a model field's choices are read: every form's.
        ModelChoiceField.iterator = ListedChoiceIterator


def _statistics_after_migrate(using: str = "default", **kwargs: Any) -> None:
    from .statistics import ensure_statistics

    ensure_statistics(using)
