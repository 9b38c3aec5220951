"""What reaches people in the field: services, events and attendance, aid distributions, workers.

Rows that concern a person or household carry the desa code (``region``) copied from the
registry, so that scoping is a prefix match on ``region_id`` with no join.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel, currency_field, money_field

from .validators import validate_evidence


class ServiceCategory(models.TextChoices):
    CASH = "cash", _("Cash transfer")
    FOOD = "food", _("Food package")
    ASSISTIVE_DEVICE = "assistive_device", _("Assistive device")
    TRAINING = "training", _("Training session")
    COUNSELLING = "counselling", _("Counselling")
    HOME_VISIT = "home_visit", _("Home visit")
    SHELTER = "shelter", _("Shelter night")
    OTHER = "other", _("Other service")


class ServiceType(TimestampedModel):
    """A service or kind of aid a program gives, with its unit and the value of one unit."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="service_types",
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=ServiceCategory.choices, default=ServiceCategory.OTHER
    )
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. package, session, night"))
    unit_value = money_field(_("value of one unit"), validators=[MinValueValidator(0)])
    currency = currency_field()
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["program__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="service_type_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class WorkerType(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker (Pekerja Sosial)")
    PKH_FACILITATOR = "pkh_facilitator", _("PKH facilitator (Pendamping PKH)")
    TKSK = "tksk", _("Sub-district social welfare worker (TKSK)")
    PSM = "psm", _("Community social worker (PSM)")
    TAGANA = "tagana", _("Disaster-response volunteer (Tagana)")
    EXTENSION = "extension", _("Social extension worker (Penyuluh Sosial)")
    STAFF = "staff", _("Department staff")
    OTHER = "other", _("Other")


class Worker(TimestampedModel):
    """A member of the field workforce, staff or volunteer, with or without a user account."""

    full_name = models.CharField(_("full name"), max_length=150)
    worker_type = models.CharField(_("type"), max_length=20, choices=WorkerType.choices)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("e.g. Indonesian, Javanese")
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("base region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The kecamatan or desa the worker is based in."),
    )
    coverage = models.ManyToManyField(
        "regions.Region", verbose_name=_("coverage regions"), blank=True, related_name="+"
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worker",
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class WorkerAssignment(TimestampedModel):
    """A worker assigned to a work-plan activity, for a role on it."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.CASCADE, related_name="assignments"
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="worker_assignments",
    )
    role = models.CharField(_("role"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("activity assignment")
        verbose_name_plural = _("activity assignments")
        constraints = [
            models.UniqueConstraint(fields=["worker", "activity"], name="worker_activity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.activity}"


class Event(TimestampedModel):
    """One occurrence of a work-plan activity: a session, a meeting, a training day."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        Worker,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_events",
    )
    workers = models.ManyToManyField(
        Worker, verbose_name=_("assigned workers"), blank=True, related_name="events"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date", "-start_time", "-id"]
        indexes = [models.Index(fields=["region", "date"], name="event_region_date_idx")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.date:%Y-%m-%d})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(TimestampedModel):
    """Whether one enrolled person came to an event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["event", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="attendance_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.get_status_display()}"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Child (0-17)")
    ADULT = "adult", _("Adult (18-59)")
    OLDER = "older", _("Older person (60+)")


class Headcount(models.Model):
    """Participants who are not in the registry, counted by sex, age group and disability."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="headcounts"
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup.choices)
    with_disability = models.BooleanField(_("with disability"), default=False)
    count = models.PositiveIntegerField(_("number of people"), default=0)

    class Meta:
        verbose_name = _("unregistered participants")
        verbose_name_plural = _("unregistered participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sex", "age_group", "with_disability"], name="headcount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sex}/{self.age_group}/{self.with_disability}: {self.count}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DistributionRound(TimestampedModel):
    """A bulk handout of one service to the people enrolled in a program within a region."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("People enrolled in this region (and below it) are on the list."),
    )
    planned_date = models.DateField(_("planned date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity per recipient"),
        max_digits=12,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("distribution round")
        verbose_name_plural = _("distribution rounds")
        ordering = ["-planned_date", "-id"]

    def __str__(self) -> str:
        return self.name


class Recipient(models.Model):
    """One line of a round's recipient list, taken from an enrolment when the list was made."""

    round = models.ForeignKey(
        DistributionRound,
        verbose_name=_("distribution round"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    enrolment = models.ForeignKey(
        "registry.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="+"
    )
    line = models.PositiveIntegerField(_("line"))

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["round", "line"]
        constraints = [
            models.UniqueConstraint(fields=["round", "enrolment"], name="recipient_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.line}"


class ServiceDelivery(TimestampedModel):
    """A service or aid handed to a person or a household, for a program."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("service"), on_delete=models.PROTECT, related_name="deliveries"
    )
    enrolment = models.ForeignKey(
        "registry.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("desa"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        DistributionRound,
        verbose_name=_("distribution round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    value = money_field(_("value"), validators=[MinValueValidator(0)])
    currency = currency_field()
    delivered_on = models.DateField(_("date delivered"))
    delivered_by = models.ForeignKey(
        Worker,
        verbose_name=_("delivered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    evidence = models.FileField(
        _("evidence (photo or document)"),
        upload_to="delivery/evidence/%Y/%m/",
        blank=True,
        validators=[validate_evidence],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("service delivery")
        verbose_name_plural = _("service deliveries")
        ordering = ["-delivered_on", "-id"]
        constraints = [
            # Nobody receives the same round twice, even when two phones record at once.
            models.UniqueConstraint(
                fields=["round", "enrolment"],
                condition=Q(round__isnull=False),
                name="delivery_once_per_round",
                violation_error_message=_(
                    "This household or person has already received this round; nobody "
                    "receives the same round twice."
                ),
            )
        ]
        indexes = [
            models.Index(fields=["region", "delivered_on"], name="delivery_region_date_idx"),
            models.Index(fields=["program", "delivered_on"], name="delivery_program_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id} → {self.household_id} ({self.delivered_on})"
