"""Feedback and complaints (grievance redress) and community meetings.

A ticket carries its desa code (``region_id``) for scoping, its SLA due dates computed at intake
over the working-day calendar, and, on the sensitive track, a list of named investigators who
alone may see it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    is_sensitive = models.BooleanField(
        _("sensitive track"),
        default=False,
        help_text=_("Tickets go to named investigators only (abuse, fraud, corruption, …)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Priority(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class SLARule(models.Model):
    """Deadlines in working days for one category and priority."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="sla_rules"
    )
    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.CASCADE, related_name="+"
    )
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within (working days)"))
    resolve_days = models.PositiveSmallIntegerField(_("resolve within (working days)"))

    class Meta:
        verbose_name = _("SLA rule")
        verbose_name_plural = _("SLA rules")
        ordering = ["category__order", "priority__order"]
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="community_sla_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.priority}"


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("National holiday")
    JOINT_LEAVE = "joint_leave", _("Joint leave (cuti bersama)")
    LOCAL = "local", _("Local holiday")


class Holiday(models.Model):
    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=12, choices=HolidayKind.choices, default=HolidayKind.NATIONAL
    )

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class EscalationStep(models.Model):
    """One rung of the escalation ladder (desa → kecamatan → bidang → Kepala Dinas)."""

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person notified"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    WALK_IN = "walk_in", _("Walk-in desk")
    PHONE = "phone", _("Phone or hotline")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SUGGESTION_BOX = "box", _("Suggestion box")
    MEETING = "meeting", _("Community meeting")
    FIELD_WORKER = "field_worker", _("Field worker")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    CALL_CENTRE = "cc171", _("Call centre 171")


class IdentityMode(models.TextChoices):
    NAMED = "named", _("Named")
    CONFIDENTIAL = "confidential", _("Confidential (only the handling officer sees who)")
    ANONYMOUS = "anonymous", _("Anonymous")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [
    Status.NEW,
    Status.ACKNOWLEDGED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.ON_HOLD,
]


class Satisfaction(models.IntegerChoices):
    SATISFIED = 3, _("Satisfied")
    PARTLY = 2, _("Partly satisfied")
    NOT_SATISFIED = 1, _("Not satisfied")


class Ticket(TimestampedModel):
    code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    external_reference = models.CharField(
        _("external reference"),
        max_length=60,
        blank=True,
        help_text=_("The ticket number in LAPOR! or the 171 call centre."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tickets"
    )
    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.PROTECT, related_name="+"
    )
    is_sensitive = models.BooleanField(_("sensitive track"), default=False, editable=False)
    description = models.TextField(_("description"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("place (desa/kelurahan)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place_detail = models.CharField(_("place details"), max_length=250, blank=True)
    identity_mode = models.CharField(
        _("identity"), max_length=12, choices=IdentityMode.choices, default=IdentityMode.NAMED
    )
    complainant_name = models.CharField(_("name"), max_length=150, blank=True)
    complainant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    complainant_email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.NEW, db_index=True
    )
    received_at = models.DateTimeField(_("received at"))
    acknowledge_due = models.DateField(_("acknowledge by"))
    resolve_due = models.DateField(_("resolve by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handling officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalation_step = models.ForeignKey(
        EscalationStep,
        verbose_name=_("escalation level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    named_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff named in the complaint"),
        blank=True,
        related_name="+",
    )
    named_organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("partner named in the complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    investigators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigators"),
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("resolution message"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True
    )
    satisfaction_comment = models.TextField(_("comment on the outcome"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "resolve_due"], name="community_ticket_sla_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TicketReply(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("message"))
    is_public = models.BooleanField(
        _("shown to the complainant"),
        default=False,
        help_text=_("Public replies appear on the tracking page; others are internal notes."),
    )
    from_complainant = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"


class BreachKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement overdue")
    RESOLVE = "resolve", _("Resolution overdue")


class Escalation(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="escalations"
    )
    breach = models.CharField(_("reason"), max_length=12, choices=BreachKind.choices)
    from_step = models.ForeignKey(
        EscalationStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_step = models.ForeignKey(EscalationStep, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "breach"], name="community_escalate_once")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.to_step_id}"


class TicketAttachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="community/attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class OutboundMessage(models.Model):
    """A message sent to a complainant by SMS or WhatsApp (the default sender only logs it)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(_("channel"), max_length=15)
    to = models.CharField(_("to"), max_length=30)
    body = models.TextField(_("message"))
    sender = models.CharField(_("sender"), max_length=100)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.to}"


class PublicSubmission(models.Model):
    """A trace of each public submission (hashed address only), for the rate limit."""

    address_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


class SensitiveInvestigator(models.Model):
    """The pool of people who investigate sensitive complaints; a new sensitive ticket gets
    them as its investigators (less anyone named in it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sensitive-track investigator")
        verbose_name_plural = _("sensitive-track investigators")

    def __str__(self) -> str:
        return str(self.user)


class MeetingKind(models.TextChoices):
    SOCIALISATION = "socialisation", _("Socialisation (sosialisasi)")
    MUSDES = "musdes", _("Village deliberation (musyawarah desa)")
    FOCUS_GROUP = "focus_group", _("Focus group")
    OUTREACH = "outreach", _("Outreach")
    OTHER = "other", _("Other")


class CommunityMeeting(TimestampedModel):
    kind = models.CharField(_("kind"), max_length=15, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=250)
    date = models.DateField(_("date"))
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=250, blank=True)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    participants_female = models.PositiveIntegerField(_("women and girls"), default=0)
    participants_male = models.PositiveIntegerField(_("men and boys"), default=0)
    participants_under_18 = models.PositiveIntegerField(_("aged under 18"), default=0)
    participants_18_59 = models.PositiveIntegerField(_("aged 18 to 59"), default=0)
    participants_60_plus = models.PositiveIntegerField(_("aged 60 and over"), default=0)
    participants_disability = models.PositiveIntegerField(_("with a disability"), default=0)
    topics = models.TextField(_("topics"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    follow_ups = models.TextField(
        _("follow-ups"), blank=True, help_text=_("One per line: action, who, by when.")
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("community meeting")
        verbose_name_plural = _("community meetings")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title

    @property
    def participants_total(self) -> int:
        return self.participants_female + self.participants_male

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        total = self.participants_total
        ages = self.participants_under_18 + self.participants_18_59 + self.participants_60_plus
        errors = {}
        if ages and ages != total:
            errors["participants_60_plus"] = _(
                "The age groups add up to %(ages)s but there are %(total)s participants by sex."
            ) % {"ages": ages, "total": total}
        if self.participants_disability > total:
            errors["participants_disability"] = _(
                "More participants with a disability than participants in total."
            )
        if errors:
            raise ValidationError(errors)
