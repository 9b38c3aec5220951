"""Shared model pieces. Kept deliberately small: plain Django, no base-class towers."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimestampedModel(models.Model):
    """Created and updated times, which almost every Bakti record carries."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def money_field(verbose_name: str | object, **kwargs: object) -> models.DecimalField:
    """A money amount: Decimal(18, 2), never a float. The currency lives in its own field."""
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)  # type: ignore[arg-type]


def currency_field() -> models.CharField:
    return models.CharField(_("currency"), max_length=3, default=settings.BAKTI_CURRENCY)


class ScheduledJob(models.Model):
    """When a periodic job (see ``bakti.core.schedule``) was last put on the queue. The row is
    locked while deciding, so several schedulers on several machines never enqueue it twice."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
