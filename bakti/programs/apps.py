from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "bakti.programs"
    label = "programs"
    verbose_name = _("Programs")
    nav = (
        {
            "module": "programs",
            "label": _("Programs"),
            "url": "programs:program_list",
            "order": 20,
        },
    )
