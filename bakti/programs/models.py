"""Programs and their plans: reference data (PPKS categories, program types), the program with
its lifecycle, the results framework (results, indicators, targets per reporting period), the
work plan (activities, milestones), risks and the team.

Behaviour lives in ``services.py`` (writes), ``selectors.py`` (scoped reads), ``targets.py``
(target checks by cumulative rule) and ``schedule.py`` (slip computation).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel, currency_field, money_field

MAX_TIERS = 5

# Default tier names, from the top of the tree down (goal > outcome > output). A program may
# name its own tiers (up to MAX_TIERS); an empty ``tier_names`` means these.
DEFAULT_TIER_NAMES = (_("Goal"), _("Outcome"), _("Output"))


def indicator_value_field(verbose_name: object, **kwargs: object) -> models.DecimalField:
    """An indicator quantity (a count, a percentage or money): Decimal, never a float."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=4, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------


class PPKSCategory(models.Model):
    """A group of people needing social welfare services (PPKS). The 26 official categories are
    loaded by a data migration; the list stays editable (other countries and NGOs use others)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("PPKS category")
        verbose_name_plural = _("PPKS categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgramType(models.Model):
    """Kind of program: social assistance, rehabilitation, empowerment, … (editable list)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("program type")
        verbose_name_plural = _("program types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Program
# ---------------------------------------------------------------------------------------------


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    EVALUATED = "evaluated", _("Evaluated")


class Program(TimestampedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    program_type = models.ForeignKey(
        ProgramType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProgramStatus.choices,
        default=ProgramStatus.DRAFT,
        db_index=True,
    )
    description = models.TextField(_("description"), blank=True)
    strategy = models.TextField(
        _("intervention strategy / theory of change"),
        blank=True,
        help_text=_("Paragraphs separated by a blank line; lines starting with '- ' are lists."),
    )
    target_groups = models.ManyToManyField(
        PPKSCategory,
        verbose_name=_("target groups (PPKS)"),
        blank=True,
        related_name="programs",
    )
    target_group_notes = models.TextField(_("other target groups"), blank=True)
    regions = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("regions covered"),
        blank=True,
        related_name="programs",
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("owning org unit"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_programs",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    tier_names = models.JSONField(
        _("result tier names"),
        default=list,
        blank=True,
        help_text=_("From the top down, up to five; empty means Goal / Outcome / Output."),
    )
    funding_summary = models.TextField(_("funding summary"), blank=True)
    currency = currency_field()
    template = models.ForeignKey(
        "self",
        verbose_name=_("created from template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
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
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="program_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def tier_labels(self) -> list[str]:
        names = [str(n) for n in (self.tier_names or []) if str(n).strip()]
        return names or [str(n) for n in DEFAULT_TIER_NAMES]

    def tier_label(self, tier: int) -> str:
        labels = self.tier_labels()
        return labels[tier - 1] if 1 <= tier <= len(labels) else str(tier)

    @property
    def output_tier(self) -> int:
        """The lowest tier: where activities hang."""
        return len(self.tier_labels())


class ProgramTransition(models.Model):
    """One step of the lifecycle: who moved the program from what to what, when, and why."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ProgramStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProgramStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("program transition")
        verbose_name_plural = _("program transitions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.from_status} → {self.to_status}"


# ---------------------------------------------------------------------------------------------
# Results framework
# ---------------------------------------------------------------------------------------------


class Result(TimestampedModel):
    """A node of a program's results framework: goal > outcome > output (configurable tiers)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="results"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent result"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    tier = models.PositiveSmallIntegerField(
        _("tier"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TIERS)]
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    statement = models.TextField(_("statement"))
    assumptions = models.TextField(_("assumptions"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["program", "tier", "order", "code", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:80]}".strip()


class IndicatorUnit(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    CURRENCY = "currency", _("Currency")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Semester")
    ANNUAL = "annual", _("Annual")


# Months per reporting period.
FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SEMESTER: 6,
    Frequency.ANNUAL: 12,
}


class CumulativeRule(models.TextChoices):
    PER_PERIOD = "per_period", _("Per period (the total is the sum of the periods)")
    CUMULATIVE = "cumulative", _("Cumulative (each period includes the ones before)")
    NON_SUMMING = "non_summing", _("Cumulative, non-summing (e.g. a rate: the latest counts)")


class Disaggregation(models.TextChoices):
    SEX = "sex", _("Sex")
    AGE_GROUP = "age_group", _("Age group")
    DISABILITY = "disability", _("Disability")
    REGION_LEVEL = "region", _("Region")
    PPKS = "ppks", _("PPKS category")


class Indicator(TimestampedModel):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="indicators"
    )
    result = models.ForeignKey(
        Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(
        _("unit"), max_length=20, choices=IndicatorUnit.choices, default=IndicatorUnit.NUMBER
    )
    unit_label = models.CharField(
        _("unit label"), max_length=50, blank=True, help_text=_("e.g. people, households, %.")
    )
    numerator = models.CharField(_("numerator"), max_length=300, blank=True)
    denominator = models.CharField(_("denominator"), max_length=300, blank=True)
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = indicator_value_field(_("baseline value"), null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_not_applicable = models.BooleanField(_("baseline not applicable"), default=False)
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    cumulative_rule = models.CharField(
        _("cumulative rule"),
        max_length=20,
        choices=CumulativeRule.choices,
        default=CumulativeRule.PER_PERIOD,
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    disaggregations = models.JSONField(
        _("disaggregations"),
        default=list,
        blank=True,
        help_text=_("Any combination of: sex, age group, disability, region, PPKS category."),
    )
    end_target = indicator_value_field(_("end-of-program target"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["program", "order", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="indicator_code_unique_in_program",
                violation_error_message=_("This program already has an indicator with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def disaggregation_labels(self) -> list[str]:
        valid = set(Disaggregation.values)
        return [str(Disaggregation(d).label) for d in self.disaggregations or [] if d in valid]

    @property
    def period_months(self) -> int:
        return FREQUENCY_MONTHS[Frequency(self.frequency)]


class IndicatorTarget(models.Model):
    """The target of an indicator for one reporting period (``period_start``..``period_end``,
    both inclusive). What a value means depends on the indicator's cumulative rule: per period,
    the period's own amount; cumulative, the running total at the period's end; non-summing,
    the level expected in that period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    label = models.CharField(_("period"), max_length=40, blank=True)
    value = indicator_value_field(_("target"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"],
                name="indicator_target_period_unique",
                violation_error_message=_("This indicator already has a target for this period."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="indicator_target_period_order",
                violation_error_message=_("The period must not end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.label or self.period_start}: {self.value}"


# ---------------------------------------------------------------------------------------------
# Work plan
# ---------------------------------------------------------------------------------------------


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    DELAYED = "delayed", _("Delayed")


class Activity(TimestampedModel):
    """A work-plan activity under an output. Its slip is computed (``schedule.py``)."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="activities"
    )
    output = models.ForeignKey(
        Result,
        verbose_name=_("output"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_activities",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActivityStatus.choices,
        default=ActivityStatus.NOT_STARTED,
        db_index=True,
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), default=0, validators=[MaxValueValidator(100)]
    )
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("depends on (finish → start)"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )
    locations = models.ManyToManyField(
        "regions.Region", verbose_name=_("locations"), blank=True, related_name="activities"
    )
    location_notes = models.CharField(_("location notes"), max_length=300, blank=True)
    planned_budget = money_field(_("planned budget"))
    currency = currency_field()
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["program", "planned_start", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="activity_planned_end_after_start",
                violation_error_message=_("The planned end must not be before the planned start."),
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100),
                name="activity_percent_at_most_100",
                violation_error_message=_("Percent complete cannot be more than 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def duration_days(self) -> int:
        return (self.planned_end - self.planned_start).days + 1


class Milestone(TimestampedModel):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="milestones"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="milestones",
    )
    name = models.CharField(_("name"), max_length=300)
    due_date = models.DateField(_("date"))
    achieved = models.BooleanField(_("achieved"), default=False)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["program", "due_date", "id"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Risks and team
# ---------------------------------------------------------------------------------------------


class RiskCategory(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    FINANCIAL = "financial", _("Financial")
    TARGETING = "targeting", _("Targeting and data")
    SAFEGUARDING = "safeguarding", _("Safeguarding and protection")
    PARTNER = "partner", _("Partners")
    POLITICAL = "political", _("Political and regulatory")
    DISASTER = "disaster", _("Disaster and environment")
    REPUTATION = "reputation", _("Reputation")
    OTHER = "other", _("Other")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATING = "mitigating", _("Being mitigated")
    OCCURRED = "occurred", _("Occurred")
    CLOSED = "closed", _("Closed")


SCALE_1_5 = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(TimestampedModel):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="risks"
    )
    description = models.TextField(_("description"))
    category = models.CharField(
        _("category"), max_length=20, choices=RiskCategory.choices, default=RiskCategory.OTHER
    )
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1-5)"), validators=SCALE_1_5, default=3
    )
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"), validators=SCALE_1_5, default=3)
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["program", "-likelihood", "-impact", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_likelihood_1_5",
                violation_error_message=_("Likelihood must be between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5),
                name="risk_impact_1_5",
                violation_error_message=_("Impact must be between 1 and 5."),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        return int(self.likelihood) * int(self.impact)

    @property
    def level(self) -> str:
        """low (1-4), medium (5-9), high (10-16), critical (20-25)."""
        score = self.score
        if score >= 20:
            return "critical"
        if score >= 10:
            return "high"
        if score >= 5:
            return "medium"
        return "low"


class TeamMember(TimestampedModel):
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="program_roles",
    )
    role = models.CharField(_("role on the program"), max_length=120)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    allocation_percent = models.PositiveSmallIntegerField(
        _("time allocated (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["program", "user__username", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"],
                name="team_member_unique",
                violation_error_message=_("This person already has this role on the program."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"


ZERO = Decimal("0")
