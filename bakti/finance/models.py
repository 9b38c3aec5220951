"""Budgets and spending: funding sources, fiscal years, budget lines, commitments, expenditures.

Amounts are Decimal. Budget lines are in the department's currency (IDR); commitments and
expenditures may be in another currency with an exchange rate, and carry the amount in IDR that
every total adds up. An approved commitment or expenditure is never edited: a correction is a
reversing entry (the same amount, negative) that is approved like any other.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel, currency_field, money_field

EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "xlsx", "docx"]


class AccountClass(TimestampedModel):
    """One heading of the account classification chart (e.g. 5.1.02 Belanja Barang dan Jasa).
    Editable reference data; the Indonesian defaults are loaded by a data migration."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("account class")
        verbose_name_plural = _("account classes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FundingKind(models.TextChoices):
    APBN = "apbn", _("APBN (national budget)")
    APBD_PROVINCE = "apbd_province", _("APBD province")
    APBD_DISTRICT = "apbd_district", _("APBD kabupaten/kota")
    CSR = "csr", _("CSR (corporate social responsibility)")
    DONOR = "donor", _("Donor")
    COMMUNITY = "community", _("Community contribution")


class FundingSource(TimestampedModel):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=FundingKind.choices)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("donor or company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_sources",
        help_text=_("For a donor or CSR source: the partner organisation that gives the money."),
    )
    currency = currency_field()
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FiscalYear(TimestampedModel):
    """A fiscal year, named by the calendar year it starts in. Its dates follow
    ``BAKTI_FISCAL_YEAR_START_MONTH`` when it is created (January: the calendar year)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="fiscal_year_dates"
            )
        ]

    def __str__(self) -> str:
        if self.start_date.month == 1:
            return str(self.year)
        return f"{self.year}/{self.end_date.year}"

    def months(self) -> list[dt.date]:
        """The first day of each month of the year, in order."""
        out = []
        day = self.start_date.replace(day=1)
        while day <= self.end_date:
            out.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out


class BudgetLine(TimestampedModel):
    """One line of a program's budget for a fiscal year: an account class, a funding source, an
    amount, and the work-plan activity or output it pays for. ``original_amount`` is what was
    first approved; ``amount`` is the current ceiling (pagu) after revisions."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), on_delete=models.PROTECT, related_name="lines"
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit that owns the program, copied from it."),
    )
    output = models.ForeignKey(
        "programs.Result",
        verbose_name=_("output"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    account_class = models.ForeignKey(
        AccountClass, verbose_name=_("account class"), on_delete=models.PROTECT, related_name="+"
    )
    funding_source = models.ForeignKey(
        FundingSource,
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    code = models.CharField(_("line code"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=300)
    original_amount = money_field(_("original amount"), validators=[MinValueValidator(0)])
    amount = money_field(_("current amount (pagu)"), validators=[MinValueValidator(0)])
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["fiscal_year", "program", "code", "id"]
        indexes = [models.Index(fields=["fiscal_year", "program"], name="finance_line_year_prog")]

    def __str__(self) -> str:
        return f"{self.code} {self.description}".strip()


class BudgetRevision(models.Model):
    """One change of a line's ceiling: the amount before and after, when and why."""

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    previous_amount = money_field(_("previous amount"))
    new_amount = money_field(_("new amount"))
    revised_on = models.DateField(_("date of revision"))
    reason = models.TextField(_("reason"))
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revised by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")
        ordering = ["line", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.line}: {self.previous_amount} → {self.new_amount}"


class DisbursementPlan(models.Model):
    """The rencana penarikan: how much of a line is planned to be spent in one month."""

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.CASCADE,
        related_name="plan_months",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = money_field(_("planned amount"), validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("disbursement plan month")
        verbose_name_plural = _("disbursement plan")
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="finance_plan_line_month")
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month:%Y-%m}: {self.amount}"


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Entry(TimestampedModel):
    """What commitments and expenditures share: an amount on a line, recorded by one person and
    approved or rejected by another."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference number"), max_length=60, blank=True)
    payee = models.CharField(_("payee"), max_length=200)
    description = models.CharField(_("description"), max_length=300)
    amount = money_field(_("amount"))
    currency = currency_field()
    exchange_rate = models.DecimalField(
        _("exchange rate to IDR"),
        max_digits=18,
        decimal_places=6,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.000001"))],
    )
    amount_idr = money_field(_("amount in IDR"))
    evidence = models.FileField(
        _("evidence"),
        upload_to="finance/evidence/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    override_reason = models.TextField(
        _("reason for exceeding the balance"),
        blank=True,
        help_text=_("Given by the approver when approving beyond the available balance."),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.reference or self.pk} {self.payee}: {self.amount_idr}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None  # type: ignore[attr-defined]

    @property
    def is_locked(self) -> bool:
        return self.status != EntryStatus.PENDING


class Commitment(Entry):
    """A contract or purchase order: money promised on a line but not yet paid. While it is
    open, what remains of it after the expenditures against it counts against the balance."""

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
    )
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("A closed commitment no longer holds money.")
    )

    class Meta(Entry.Meta):
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["line", "status"], name="finance_commit_line_status")]


class Expenditure(Entry):
    """Money actually spent (realisasi). Only approved expenditures count as spending."""

    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("against commitment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
    )
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
    )

    class Meta(Entry.Meta):
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        indexes = [
            models.Index(fields=["line", "status"], name="finance_exp_line_status"),
            models.Index(fields=["status", "date"], name="finance_exp_status_date"),
        ]
