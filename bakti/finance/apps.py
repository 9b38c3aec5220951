from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "bakti.finance"
    label = "finance"
    verbose_name = _("Finance")
    nav = ({"module": "finance", "label": _("Budget"), "url": "finance:overview", "order": 60},)
