from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "bakti.cases"
    label = "cases"
    verbose_name = _("Cases")
    nav = (
        {"module": "cases", "label": _("Cases"), "url": "cases:case_list", "order": 50},
        {
            "module": "referrals",
            "label": _("Referrals"),
            "url": "cases:referral_inbox",
            "order": 51,
        },
    )
