"""Monitoring: indicator actuals (computed by a rule or entered with approval), program health
and alerts, and evaluations with their recommendations.

Behaviour lives in ``services.py`` (writes), ``selectors.py`` (scoped reads), ``rules.py`` (the
registry of computed-indicator rule types), ``tracking.py`` (the indicator tracking table: the
one function every page, document and API answer uses) and ``health.py``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel


def _value_field(verbose_name: object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=4, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Indicator actuals
# ---------------------------------------------------------------------------------------------


class IndicatorRule(TimestampedModel):
    """A rule over Bakti's own data that computes an indicator's actuals. The rule types are
    code (``rules.RULE_TYPES``); their parameters are data. An indicator with an active rule is
    never entered by hand."""

    indicator = models.OneToOneField(
        "programs.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="computation_rule",
    )
    rule_type = models.CharField(_("rule type"), max_length=50)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_computed_at = models.DateTimeField(_("last computed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("computation rule")
        verbose_name_plural = _("computation rules")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.rule_type}"


class ResultSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from Bakti data")
    ENTERED = "entered", _("Entered")


class ResultStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")
    COMPUTED = "computed", _("Computed")


# The statuses whose values count as actuals in tracking tables, reports and exports.
COUNTED_STATUSES = (ResultStatus.APPROVED, ResultStatus.LOCKED, ResultStatus.COMPUTED)


class IndicatorResult(TimestampedModel):
    """The actual of one indicator for one reporting period, with its disaggregated values
    (:class:`ResultValue`). Entered results go draft → submitted → approved → locked; computed
    ones are replaced each time the rule runs."""

    indicator = models.ForeignKey(
        "programs.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="actuals",
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    source = models.CharField(
        _("source"), max_length=10, choices=ResultSource.choices, default=ResultSource.ENTERED
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResultStatus.choices,
        default=ResultStatus.DRAFT,
        db_index=True,
    )
    value = _value_field(_("value"), null=True, blank=True)
    numerator = _value_field(_("numerator"), null=True, blank=True)
    denominator = _value_field(_("denominator"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(
        _("evidence file"), upload_to="monitoring/evidence/%Y/%m/", blank=True
    )
    evidence_url = models.URLField(_("evidence link"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"],
                name="indicator_result_period_unique",
                violation_error_message=_("This indicator already has a value for this period."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="indicator_result_period_order",
                violation_error_message=_("The period must not end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}..{self.period_end}: {self.value}"

    @property
    def counts(self) -> bool:
        return self.status in COUNTED_STATUSES


class ResultValue(models.Model):
    """One disaggregated value of an indicator result: ``dimension`` is one of the programs
    app's disaggregations (sex, age_group, disability, region, ppks) and ``category`` its value
    (``F``, ``60+``, ``34.04.01``, ``9`` …)."""

    result = models.ForeignKey(
        IndicatorResult,
        verbose_name=_("indicator actual"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    dimension = models.CharField(_("disaggregation"), max_length=20)
    category = models.CharField(_("category"), max_length=40)
    value = _value_field(_("value"))

    class Meta:
        verbose_name = _("disaggregated value")
        verbose_name_plural = _("disaggregated values")
        ordering = ["result", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "dimension", "category"], name="result_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.category}: {self.value}"


# ---------------------------------------------------------------------------------------------
# Health, thresholds and alerts
# ---------------------------------------------------------------------------------------------


class HealthStatus(models.TextChoices):
    GREEN = "green", _("On track")
    AMBER = "amber", _("Needs attention")
    RED = "red", _("At risk")


class HealthSettings(TimestampedModel):
    """Thresholds for traffic lights and program health. The row without a program is the
    default; a row for a program overrides it."""

    program = models.OneToOneField(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="health_settings",
    )
    on_track_from = models.PositiveSmallIntegerField(
        _("indicator on track from (% achieved)"),
        default=90,
        validators=[MaxValueValidator(1000)],
    )
    behind_from = models.PositiveSmallIntegerField(
        _("indicator behind (amber) from (% achieved)"),
        default=70,
        validators=[MaxValueValidator(1000)],
    )
    slipped_activities_amber = models.PositiveSmallIntegerField(
        _("slipped activities for amber"), default=1
    )
    slipped_activities_red = models.PositiveSmallIntegerField(
        _("slipped activities for red"), default=3
    )
    absorption_gap_amber = models.PositiveSmallIntegerField(
        _("absorption behind plan for amber (percentage points)"),
        default=10,
        validators=[MaxValueValidator(100)],
    )
    absorption_gap_red = models.PositiveSmallIntegerField(
        _("absorption behind plan for red (percentage points)"),
        default=25,
        validators=[MaxValueValidator(100)],
    )
    off_track_indicators_amber = models.PositiveSmallIntegerField(
        _("indicators off track for amber"), default=1
    )
    off_track_indicators_red = models.PositiveSmallIntegerField(
        _("indicators off track for red"), default=3
    )
    overdue_cases_amber = models.PositiveSmallIntegerField(_("overdue cases for amber"), default=1)
    overdue_cases_red = models.PositiveSmallIntegerField(_("overdue cases for red"), default=5)
    complaints_past_sla_amber = models.PositiveSmallIntegerField(
        _("complaints past SLA for amber"), default=1
    )
    complaints_past_sla_red = models.PositiveSmallIntegerField(
        _("complaints past SLA for red"), default=5
    )
    email_alerts = models.BooleanField(_("also send alerts by e-mail"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("health thresholds")
        verbose_name_plural = _("health thresholds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(behind_from__lte=models.F("on_track_from")),
                name="health_behind_below_on_track",
                violation_error_message=_(
                    "The amber threshold must not be above the on-track threshold."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.program or _("Default thresholds"))


class ProgramHealth(models.Model):
    """One assessment of a program's health; the latest row per program is its current health.
    ``reasons`` is a list of ``{"code", "level", "text", "count"}``."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="health_checks",
    )
    status = models.CharField(_("health"), max_length=10, choices=HealthStatus.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    measures = models.JSONField(_("measures"), default=dict, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("program health")
        verbose_name_plural = _("program health")
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.status}"


class AlertKind(models.TextChoices):
    HEALTH_CHANGED = "health_changed", _("Health changed")
    THRESHOLD = "threshold", _("Threshold crossed")


class Alert(models.Model):
    """An in-app notice to one user (the program's manager)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="monitoring_alerts",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=HealthStatus.choices)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message[:80]


# ---------------------------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------------------------


class EvaluationType(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    MIDLINE = "midline", _("Midline")
    ENDLINE = "endline", _("Endline")
    AD_HOC = "ad_hoc", _("Ad hoc")


class EvaluatorKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    PARTNER = "partner", _("Partner or external")


class EvaluationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Evaluation(TimestampedModel):
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    title = models.CharField(_("title"), max_length=300)
    evaluation_type = models.CharField(
        _("type"), max_length=10, choices=EvaluationType.choices, default=EvaluationType.AD_HOC
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    evaluator_kind = models.CharField(
        _("evaluator"), max_length=10, choices=EvaluatorKind.choices, default=EvaluatorKind.INTERNAL
    )
    evaluator_name = models.CharField(_("evaluator name"), max_length=300)
    method = models.TextField(_("method"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.PLANNED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="evaluation_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvaluationDocument(models.Model):
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="monitoring/evaluations/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation document")
        verbose_name_plural = _("evaluation documents")
        ordering = ["evaluation", "title"]

    def __str__(self) -> str:
        return self.title


class ManagementResponse(models.TextChoices):
    PENDING = "pending", _("No response yet")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CLOSED = "closed", _("Closed")


class Recommendation(TimestampedModel):
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    text = models.TextField(_("recommendation"))
    response = models.CharField(
        _("management response"),
        max_length=10,
        choices=ManagementResponse.choices,
        default=ManagementResponse.PENDING,
    )
    response_note = models.TextField(_("response note"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation_recommendations",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["evaluation", "due_date", "id"]

    def __str__(self) -> str:
        return self.text[:80]


ZERO = Decimal("0")
