from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "bakti.community"
    label = "community"
    verbose_name = _("Community")
    nav = (
        {
            "module": "community",
            "label": _("Feedback and complaints"),
            "url": "community:ticket_list",
            "order": 75,
        },
    )
    schedule = (
        {
            "name": "community.escalate_overdue_tickets",
            "task": "bakti.community.tasks.escalate_overdue_tickets",
            "every": timedelta(hours=1),
        },
    )
