"""Reports keep only what is theirs: the narrative a manager writes for a program report, and
report documents generated in the background. Every figure in a report is read from the other
apps when the report is made; reports write nobody else's records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel


class ReportNarrative(TimestampedModel):
    """The sections of a program report that people write, for one reporting period."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="report_narratives",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    summary = models.TextField(_("summary"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    challenges = models.TextField(_("challenges and how they were handled"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    next_steps = models.TextField(_("plans for the next period"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        ordering = ["program", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period_start", "period_end"],
                name="report_narrative_period_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_narrative_period_order",
                violation_error_message=_("The period must not end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.period_start}..{self.period_end}"


class ReportKind(models.TextChoices):
    PROGRAM = "program", _("Program report")
    PORTFOLIO = "portfolio", _("Portfolio report")
    IATI = "iati", _("IATI export")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    XML = "xml", "XML"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """A report document made in the background, with its progress."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    file_format = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_format} {self.status}"


class Reach(models.Model):
    """Who a program reached in one calendar year, pre-aggregated for the dashboards: one row
    per (program, activity, person, year) with the first and last delivery date of that year.

    A person is reached by a delivery that names them, or by aid handed to their household as
    a whole (a food package, a cash transfer to the family): such rows carry the household in
    ``via_household``, one row for each person living in it. The row keeps a copy of the
    person's sex, disability, desa and birth date as they were when it was written, so that
    :class:`ReachTally` can be kept by adding and subtracting rows.

    Derived data only: it is rebuilt from the deliveries (``bakti reports rebuild-rollups``)
    and kept current by the delivery and registry services
    (:func:`bakti.reports.rollups.reach_refresh`, :func:`~bakti.reports.rollups.people_changed`).
    """

    # A merge of two person records does not move these rows: the rollup writes them again.
    derived_data = True

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    # Set on the rows of aid handed to a household as a whole (no person named).
    via_household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household served as a whole"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    first_on = models.DateField(_("first delivery"))
    last_on = models.DateField(_("last delivery"))
    # The person as they were when the row was written.
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    desa = models.CharField(_("desa/kelurahan"), max_length=13)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)

    class Meta:
        verbose_name = _("people reached (rollup)")
        verbose_name_plural = _("people reached (rollup)")
        indexes = [
            models.Index(fields=["program", "year", "first_on"], name="reach_program_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} p{self.person_id} {self.year}"


class ReachTally(models.Model):
    """How many people a program, an output or the whole department reached, counted once each,
    by the quarter of their first delivery and by one attribute: what the dashboards read, a
    few hundred rows whatever the number of people (issue 9).

    ``scope`` says over what the people are distinct: ``a`` all programs, ``p`` the program
    ``ref``, ``o`` the output ``ref``. With ``year`` set, ``period`` is the quarter (1-4) of
    the person's first delivery in that year, so the people reached from 1 January to the end
    of quarter *q* are the sum of periods 1..*q*; with ``year`` 0 (programs only), ``period``
    is the quarter of their first delivery ever, numbered ``year * 4 + quarter - 1``.
    ``dimension`` is ``total`` (code empty), ``sex``, ``disability`` (``yes``/``no``),
    ``born`` (the birth quarter, numbered the same way, or ``unknown``: age groups at a quarter's
    end follow from it exactly) or ``desa``.
    """

    scope = models.CharField(_("scope"), max_length=1)
    ref = models.PositiveIntegerField(_("reference"))
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveIntegerField(_("period"))
    dimension = models.CharField(_("dimension"), max_length=10)
    code = models.CharField(_("code"), max_length=13, blank=True)
    n = models.IntegerField(_("people"))

    class Meta:
        verbose_name = _("people reached (counts)")
        verbose_name_plural = _("people reached (counts)")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "ref", "year", "period", "dimension", "code"],
                name="reach_tally_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}{self.ref} {self.year}/{self.period} {self.dimension}={self.code}"
