"""Partner organisations, their contacts, services and documents; agreements (MoU/PKS) with
renewal reminders; contributions; interactions with follow-ups; in-app notifications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel, currency_field, money_field


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government office")
    LKS = "lks", _("Social welfare institution (LKS)")
    NGO = "ngo", _("Non-governmental organisation")
    CSR = "csr", _("Company (CSR)")
    COMMUNITY = "community", _("Community group (e.g. Karang Taruna)")
    UNIVERSITY = "university", _("University")
    HEALTH = "health", _("Health facility")
    DONOR = "donor", _("Donor")
    OTHER = "other", _("Other")


class Organisation(TimestampedModel):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    org_type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    legal_number = models.CharField(
        _("legal registration"),
        max_length=100,
        blank=True,
        help_text=_("Deed or decree number (e.g. SK Kemenkumham, tanda daftar LKS)."),
    )
    tax_number = models.CharField(_("tax number (NPWP)"), max_length=30, blank=True)
    address = models.TextField(_("address"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("seat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    coverage = models.ManyToManyField(
        "regions.Region", verbose_name=_("regions covered"), blank=True, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationService(TimestampedModel):
    """A service an organisation offers; case referrals point to it."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    name = models.CharField(_("service"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} · {self.organisation.name}"


class DocumentKind(models.TextChoices):
    DEED = "deed", _("Deed of establishment")
    REGISTRATION = "registration", _("Registration or licence")
    TAX = "tax", _("Tax registration")
    ACCREDITATION = "accreditation", _("Accreditation")
    AUDIT = "audit", _("Audit report")
    OTHER = "other", _("Other")


class DueDiligenceDocument(TimestampedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="partners/documents/%Y/", blank=True)

    class Meta:
        verbose_name = _("due-diligence document")
        verbose_name_plural = _("due-diligence documents")
        ordering = ["expires_on", "title"]

    def __str__(self) -> str:
        return self.title


class Contact(TimestampedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding (MoU)")
    PKS = "pks", _("Cooperation agreement (PKS)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Agreement(TimestampedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    other_parties = models.ManyToManyField(
        Organisation, verbose_name=_("other parties"), blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AgreementKind.choices)
    number = models.CharField(_("number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=250)
    programs = models.ManyToManyField(
        "programs.Program", verbose_name=_("programs"), blank=True, related_name="+"
    )
    scope = models.TextField(_("scope"), blank=True)
    our_obligations = models.TextField(_("our obligations"), blank=True)
    partner_obligations = models.TextField(_("partner's obligations"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    value = money_field(_("value"))
    currency = currency_field()
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Receives the renewal reminders."),
    )
    document = models.FileField(_("document"), upload_to="partners/agreements/%Y/", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["end_date"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})


class AgreementReminder(models.Model):
    """One reminder sent for one agreement at one offset; the unique key keeps it single."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    for_end_date = models.DateField(_("end date reminded"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement reminder")
        verbose_name_plural = _("agreement reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "days_before", "for_end_date"],
                name="partners_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} -{self.days_before}d"


class ContributionKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class Contribution(TimestampedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    description = models.CharField(_("description"), max_length=250)
    value = money_field(_("value"))
    currency = currency_field()
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.description


class InteractionKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("E-mail")


class Interaction(TimestampedModel):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="interactions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=250)
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.subject


class FollowUp(TimestampedModel):
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("interaction"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    action = models.CharField(_("action"), max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date"]

    def __str__(self) -> str:
        return self.action


class OrganisationUser(TimestampedModel):
    """Links a partner user account to the one organisation it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="partner_link",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="users",
    )

    class Meta:
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


class Notification(models.Model):
    """A message to one user, shown in the app (and usually also sent by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
