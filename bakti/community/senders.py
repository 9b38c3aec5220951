"""Sending a message to a complainant by SMS or WhatsApp.

The sender is pluggable: ``BAKTI_MESSAGE_SENDER`` names a class with ``send(ticket, channel,
to, body)``. The default only writes the message to the database (``OutboundMessage``), where
staff can see it and send it by hand; a gateway sender subclasses it and also delivers.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .models import OutboundMessage, Ticket

DEFAULT_SENDER = "bakti.community.senders.DatabaseLogSender"


class DatabaseLogSender:
    name = "database-log"

    def send(self, ticket: Ticket, channel: str, to: str, body: str) -> OutboundMessage:
        return OutboundMessage.objects.create(
            ticket=ticket, channel=channel, to=to, body=body, sender=self.name
        )


def get_sender() -> DatabaseLogSender:
    path = getattr(settings, "BAKTI_MESSAGE_SENDER", DEFAULT_SENDER)
    return import_string(path)()
