from datetime import timedelta
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete
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

    schedule = (
        {
            "name": "reports.rebuild_rollups",
            "task": "bakti.reports.tasks.rebuild_rollups",
            "every": timedelta(hours=24),
        },
    )

    def ready(self) -> None:
        post_migrate.connect(_rebuild_empty_rollups, sender=self)
        from django.apps import apps

        if apps.is_installed("bakti.registry"):
            pre_delete.connect(_person_deleted, sender="registry.Person")


def _rebuild_empty_rollups(**kwargs: Any) -> None:
    """The rollups are derived data: after a migration that (re)created them, build them from
    the deliveries, so that an upgrade never shows empty dashboards."""
    from .rollups import reach_rebuild_if_empty

    reach_rebuild_if_empty()


def _person_deleted(instance: Any, **kwargs: Any) -> None:
    """A deleted person (the record a merge removes) leaves the people-reached counts."""
    from .rollups import delivery_installed, people_removed

    if delivery_installed():
        people_removed([instance.pk])
