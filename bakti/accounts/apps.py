from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bakti.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    nav = (
        {
            "module": "administration",
            "label": _("Administration"),
            "url": "admin:index",
            "order": 110,
        },
    )
