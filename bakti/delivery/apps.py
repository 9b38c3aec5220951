from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "bakti.delivery"
    label = "delivery"
    verbose_name = _("Delivery")
    nav = ({"module": "delivery", "label": _("Delivery"), "url": "delivery:home", "order": 40},)
