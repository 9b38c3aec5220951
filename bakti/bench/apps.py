from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """The benchmark suite (issue 9): no models, no pages; the ``bakti bench`` command."""

    name = "bakti.bench"
    label = "bench"
    verbose_name = _("Benchmarks")
    default_auto_field = "django.db.models.BigAutoField"
