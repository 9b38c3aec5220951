"""Data-subject requests, limits on processing, the breach register, retention, and records of
processing with impact assessments (UU PDP, Law 27/2022)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel

# UU PDP: access, correction, restriction and stopping after withdrawal within 3 x 24 hours;
# a breach is notified to the people affected and the authority within 3 x 24 hours.
DEADLINE = timedelta(hours=72)
# Alerts start when less than this is left.
ALERT_WINDOW = timedelta(hours=24)


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, NIK, birth date)")
    CONTACT = "contact", _("Contact and address")
    SOCIOECONOMIC = "socioeconomic", _("Household and socio-economic data")
    HEALTH = "health", _("Health and disability")
    CHILDREN = "children", _("Children's data")
    FINANCE = "finance", _("Aid and services received")
    CASES = "cases", _("Case records (protection, violence)")
    COMPLAINTS = "complaints", _("Complaints and feedback")
    AUDIT = "audit", _("Audit trail and access log")


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access and copy")
    CORRECTION = "correction", _("Correction")
    RESTRICTION = "restriction", _("Restriction of processing")
    WITHDRAWAL = "withdrawal", _("Withdrawal of consent")
    DELETION = "deletion", _("Deletion or anonymisation")
    OBJECTION = "objection", _("Objection to automated scoring")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")


OPEN_REQUEST = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MESSAGING = "messaging", _("WhatsApp or SMS")
    OTHER = "other", _("Other")


class RequesterRelation(models.TextChoices):
    SELF = "self", _("The person themself")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    REPRESENTATIVE = "representative", _("Legal representative")
    OTHER = "other", _("Other")


class DataSubjectRequest(TimestampedModel):
    """A person (or their parent, guardian or representative) exercising a UU PDP right."""

    kind = models.CharField(_("right exercised"), max_length=20, choices=RequestKind.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty until the person is found in the registry."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the person lives (or where the request was made)."),
    )
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_relation = models.CharField(
        _("requester is"), max_length=20, choices=RequesterRelation.choices
    )
    requester_contact = models.CharField(_("requester's contact"), max_length=200, blank=True)
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices)
    details = models.TextField(_("what is asked"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answer_channel = models.CharField(
        _("answer delivered by"), max_length=20, choices=Channel.choices, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    due_soon_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="dsr_status_due_idx")]

    def __str__(self) -> str:
        return f"DSR-{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST

    def is_overdue(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) > self.due_at

    def is_due_soon(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and now <= self.due_at <= now + ALERT_WINDOW


class LimitKind(models.TextChoices):
    RESTRICTION = "restriction", _("Processing restricted")
    SCORING_OBJECTION = "scoring_objection", _("Objects to automated scoring")


class ProcessingLimit(TimestampedModel):
    """A limit on what may be done with one person's data, until lifted.

    A restriction means: keep the record, but do not use it (no new enrolment, delivery,
    scoring or sharing) until lifted. An objection to automated scoring takes the person's
    household out of scoring runs. See ``selectors.restricted_person_ids`` and
    ``selectors.objected_household_ids``."""

    kind = models.CharField(_("limit"), max_length=20, choices=LimitKind.choices)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.ForeignKey(
        DataSubjectRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="limits",
    )
    reason = models.TextField(_("reason"), blank=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("processing limit")
        verbose_name_plural = _("processing limits")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "lifted_at"], name="limit_kind_lifted_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.person_id}"


class RetentionPolicy(TimestampedModel):
    """How long one category of personal data is kept after the reason to keep it ends."""

    category = models.CharField(
        _("data category"), max_length=20, choices=DataCategory.choices, unique=True
    )
    period_months = models.PositiveIntegerField(_("retention period (months)"))
    starts = models.CharField(
        _("the period starts"),
        max_length=200,
        help_text=_("The event that starts the clock, e.g. the last exit from a program."),
    )
    action = models.CharField(_("what happens then"), max_length=200)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        ordering = ["category"]

    def __str__(self) -> str:
        return str(self.get_category_display())


class RetentionRun(models.Model):
    """One pass of the retention job (or its dry run): what it found and what it did."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    period_months = models.PositiveIntegerField(_("retention period (months)"))
    cutoff = models.DateField(_("exited before"))
    candidates = models.PositiveIntegerField(_("people past the period"), default=0)
    anonymised = models.PositiveIntegerField(_("anonymised"), default=0)
    held = models.PositiveIntegerField(_("kept for a legal obligation"), default=0)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.anonymised}/{self.candidates}"


class Anonymisation(models.Model):
    """The mark that a person's identity was removed (by a request or by the retention job)."""

    person = models.OneToOneField(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.ForeignKey(
        DataSubjectRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    run = models.ForeignKey(
        RetentionRun,
        verbose_name=_("retention run"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        return f"#{self.person_id}"


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    NOTIFIED = "notified", _("Notified")
    CLOSED = "closed", _("Closed")


class Breach(TimestampedModel):
    """A failure of the protection of personal data (a leak, a loss, unlawful access)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("discovered at"))
    notify_due_at = models.DateTimeField(_("notification due"), db_index=True)
    data_categories = models.JSONField(_("data categories"), default=list)
    people_affected = models.PositiveIntegerField(_("number of people affected"), default=0)
    persons = models.ManyToManyField(
        "registry.Person", verbose_name=_("people affected"), blank=True, related_name="+"
    )
    actions_taken = models.TextField(_("actions taken"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-discovered_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(c, c)) for c in self.data_categories]


class Audience(models.TextChoices):
    PEOPLE = "people", _("The people affected")
    AUTHORITY = "authority", _("The supervisory authority")


class BreachNotice(models.Model):
    """A notice sent about a breach: its text, to whom, how and when, as it was sent."""

    breach = models.ForeignKey(
        Breach, verbose_name=_("breach"), on_delete=models.PROTECT, related_name="notices"
    )
    audience = models.CharField(_("sent to"), max_length=20, choices=Audience.choices)
    recipient = models.CharField(_("recipient"), max_length=300)
    channel = models.CharField(_("sent by"), max_length=20, choices=Channel.choices)
    sent_at = models.DateTimeField(_("sent at"))
    text = models.TextField(_("text of the notice"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("breach notice")
        verbose_name_plural = _("breach notices")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} {self.sent_at:%Y-%m-%d}"


class ProcessingRecord(TimestampedModel):
    """The record of processing activities (RoPA) of one program."""

    program = models.OneToOneField(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    purposes = models.TextField(_("purposes of processing"))
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=20,
        choices=[
            ("consent", _("Consent")),
            ("legal_obligation", _("Legal obligation")),
            ("public_task", _("Public task")),
            ("vital_interest", _("Vital interest")),
            ("contract", _("Contract")),
        ],
    )
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=300,
        blank=True,
        help_text=_("The law or regulation the processing rests on."),
    )
    data_categories = models.JSONField(_("data categories"), default=list)
    data_subjects = models.CharField(_("whose data"), max_length=300)
    recipients = models.ManyToManyField(
        "partners.Organisation",
        verbose_name=_("recipients (partners)"),
        blank=True,
        related_name="+",
    )
    other_recipients = models.TextField(_("other recipients"), blank=True)
    retention = models.TextField(_("retention"))
    transfers = models.TextField(
        _("transfers"),
        blank=True,
        help_text=_("Data sent to other agencies or outside Indonesia, and on what basis."),
    )
    security_measures = models.TextField(_("security measures"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("record of processing")
        verbose_name_plural = _("records of processing")
        ordering = ["program__name"]

    def __str__(self) -> str:
        return str(self.program)

    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(c, c)) for c in self.data_categories]


class DpiaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED_OFF = "signed_off", _("Signed off")


class Dpia(TimestampedModel):
    """A data protection impact assessment of one program's processing."""

    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    processing = models.TextField(_("processing assessed"))
    necessity = models.TextField(_("necessity and proportionality"), blank=True)
    risks = models.TextField(_("risks to the people concerned"))
    likelihood = models.CharField(_("likelihood"), max_length=10, choices=Level.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Level.choices)
    mitigations = models.TextField(_("mitigations"))
    residual_risk = models.CharField(_("residual risk"), max_length=10, choices=Level.choices)
    dpo_opinion = models.TextField(_("opinion of the data protection officer"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DpiaStatus.choices, default=DpiaStatus.DRAFT
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("impact assessment (DPIA)")
        verbose_name_plural = _("impact assessments (DPIA)")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
