"""The beneficiary registry: households, people, consent, assessments, scoring, targeting,
enrolment, and the records behind imports and deduplication.

Every personal-data row carries the desa code it belongs to (``region_id``) so a field worker's
scope is a prefix match on it, with no join (see ``bakti.core.scoping``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bakti.core.models import TimestampedModel, currency_field, money_field

# --- Households and people -------------------------------------------------------------------


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MOVED = "moved", _("Moved away")
    DISSOLVED = "dissolved", _("Dissolved")


class FloorMaterial(models.TextChoices):
    EARTH = "earth", _("Earth")
    BAMBOO_WOOD = "bamboo_wood", _("Bamboo or low-quality wood")
    CEMENT = "cement", _("Cement or brick")
    TILE = "tile", _("Tiles, ceramic or marble")


class WallMaterial(models.TextChoices):
    BAMBOO = "bamboo", _("Bamboo, thatch or tarpaulin")
    WOOD = "wood", _("Wood or board")
    BRICK_UNPLASTERED = "brick_unplastered", _("Unplastered brick")
    BRICK_PLASTERED = "brick_plastered", _("Plastered brick or concrete")


class WaterSource(models.TextChoices):
    UNPROTECTED = "unprotected", _("River, rain or unprotected spring/well")
    PROTECTED_WELL = "protected_well", _("Protected well or spring")
    PIPED = "piped", _("Piped water")
    BOTTLED = "bottled", _("Bottled or refill water")


class Sanitation(models.TextChoices):
    NONE = "none", _("No toilet")
    SHARED = "shared", _("Shared or public toilet")
    OWN = "own", _("Own toilet")


class Lighting(models.TextChoices):
    NONE = "none", _("No electricity")
    NON_PLN = "non_pln", _("Electricity not from PLN")
    PLN_450 = "pln_450", _("PLN 450 VA")
    PLN_900 = "pln_900", _("PLN 900 VA")
    PLN_ABOVE_900 = "pln_above_900", _("PLN above 900 VA")


class CookingFuel(models.TextChoices):
    WOOD = "wood", _("Firewood or charcoal")
    KEROSENE = "kerosene", _("Kerosene")
    LPG_3KG = "lpg_3kg", _("LPG 3 kg")
    LPG_LARGE = "lpg_large", _("LPG above 3 kg, gas or electricity")


class HouseOwnership(models.TextChoices):
    OWN = "own", _("Own")
    RENT = "rent", _("Rent")
    FREE = "free", _("Rent-free (family, employer)")
    OTHER = "other", _("Other")


class Household(TimestampedModel):
    no_kk = models.CharField(
        _("family card number (No. KK)"),
        max_length=16,
        unique=True,
        help_text=_("The 16 digits on the family card (Kartu Keluarga)."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head of household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    desil = models.PositiveSmallIntegerField(
        _("desil"),
        null=True,
        blank=True,
        choices=[(i, str(i)) for i in range(1, 11)],
        help_text=_("Welfare decile 1-10 from DTKS/DTSEN (1 = poorest)."),
    )
    desil_source = models.CharField(_("desil source"), max_length=100, blank=True)
    desil_date = models.DateField(_("desil date"), null=True, blank=True)
    # Housing and assets: the variables scoring schemes use.
    floor_material = models.CharField(
        _("floor"), max_length=20, choices=FloorMaterial.choices, blank=True
    )
    wall_material = models.CharField(
        _("walls"), max_length=20, choices=WallMaterial.choices, blank=True
    )
    water_source = models.CharField(
        _("drinking water"), max_length=20, choices=WaterSource.choices, blank=True
    )
    sanitation = models.CharField(
        _("toilet"), max_length=20, choices=Sanitation.choices, blank=True
    )
    lighting = models.CharField(_("lighting"), max_length=20, choices=Lighting.choices, blank=True)
    cooking_fuel = models.CharField(
        _("cooking fuel"), max_length=20, choices=CookingFuel.choices, blank=True
    )
    house_ownership = models.CharField(
        _("house ownership"), max_length=20, choices=HouseOwnership.choices, blank=True
    )
    floor_area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    has_motorcycle = models.BooleanField(_("owns a motorcycle"), default=False)
    has_car = models.BooleanField(_("owns a car"), default=False)
    has_refrigerator = models.BooleanField(_("owns a refrigerator"), default=False)
    has_land = models.BooleanField(_("owns farm land"), default=False)
    monthly_expenditure = models.DecimalField(
        _("monthly expenditure"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["region_id", "no_kk"]
        indexes = [
            models.Index(fields=["region", "desil"], name="household_region_desil_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(desil__isnull=True) | Q(desil__gte=1, desil__lte=10),
                name="household_desil_1_10",
            )
        ]

    def __str__(self) -> str:
        return _("Household %(kk)s") % {"kk": mask_id(self.no_kk)}


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    CHILD_IN_LAW = "child_in_law", _("Child-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent or parent-in-law")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other (not related)")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Not married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school (SD)")
    JUNIOR = "junior", _("Junior secondary (SMP)")
    SENIOR = "senior", _("Senior secondary (SMA/SMK)")
    DIPLOMA = "diploma", _("Diploma")
    UNIVERSITY = "university", _("University")


class Difficulty(models.IntegerChoices):
    """Washington Group Short Set answer levels."""

    NONE = 1, _("No difficulty")
    SOME = 2, _("Some difficulty")
    A_LOT = 3, _("A lot of difficulty")
    CANNOT = 4, _("Cannot do at all")


# The six Washington Group domains, as Person field names.
WG_DOMAINS = (
    "wg_seeing",
    "wg_hearing",
    "wg_walking",
    "wg_cognition",
    "wg_self_care",
    "wg_communication",
)


def _wg_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, choices=Difficulty.choices, null=True, blank=True
    )


class Person(TimestampedModel):
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The 16-digit national identity number, when the person has one."),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    relationship = models.CharField(
        _("relationship to head"), max_length=20, choices=Relationship.choices, blank=True
    )
    marital_status = models.CharField(
        _("marital status"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    wg_seeing = _wg_field(_("difficulty seeing"))
    wg_hearing = _wg_field(_("difficulty hearing"))
    wg_walking = _wg_field(_("difficulty walking or climbing steps"))
    wg_cognition = _wg_field(_("difficulty remembering or concentrating"))
    wg_self_care = _wg_field(_("difficulty with self-care"))
    wg_communication = _wg_field(_("difficulty communicating"))
    has_disability = models.BooleanField(
        _("has a disability"),
        default=False,
        help_text=_("Set from the answers: a lot of difficulty or worse in any domain."),
    )
    ppks = models.ManyToManyField(
        "programs.PPKSCategory",
        verbose_name=_("PPKS categories"),
        blank=True,
        related_name="people",
    )
    deceased = models.BooleanField(_("deceased"), default=False)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    # Checks of the NIK against the record (sex, birth date, issuing kecamatan); see services.
    nik_flags = models.JSONField(_("NIK checks"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["region", "full_name"], name="person_region_name_idx"),
            models.Index(fields=["birth_date"], name="person_birth_date_idx"),
            # Person lists are ordered by name: read in index order, stop at the page's end.
            models.Index(fields=["full_name"], name="person_name_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name


class MembershipStart(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    BIRTH = "birth", _("Birth")
    MOVED_IN = "moved_in", _("Moved in")
    MARRIAGE = "marriage", _("Marriage")


class MembershipEnd(models.TextChoices):
    MOVED_OUT = "moved_out", _("Moved out")
    DEATH = "death", _("Death")
    MERGED = "merged", _("Record merged")
    CORRECTION = "correction", _("Data correction")


class HouseholdMembership(models.Model):
    """Who belonged to which household, and when. The open row (no end date) is current."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    relationship = models.CharField(
        _("relationship to head"), max_length=20, choices=Relationship.choices, blank=True
    )
    start_date = models.DateField(_("from"))
    start_reason = models.CharField(
        _("how they joined"),
        max_length=20,
        choices=MembershipStart.choices,
        default=MembershipStart.REGISTERED,
    )
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(
        _("why they left"), max_length=20, choices=MembershipEnd.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        ordering = ["start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.household_id} {self.start_date}–{self.end_date or ''}"


# --- Consent ------------------------------------------------------------------------------


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    PUBLIC_TASK = "public_task", _("Public task")
    VITAL_INTEREST = "vital_interest", _("Vital interest")


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration and data processing")
    ENROLMENT = "enrolment", _("Program enrolment and benefits")
    DATA_SHARING = "data_sharing", _("Sharing data with partners")
    CASE_MANAGEMENT = "case_management", _("Case management")
    CONTACT = "contact", _("Contact by phone or message")


class ConsentGivenBy(models.TextChoices):
    SELF = "self", _("The person")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    SUPPORTED = "supported", _("The person with a supporter")


class ConsentChannel(models.TextChoices):
    PAPER = "paper", _("Signed form")
    THUMBPRINT = "thumbprint", _("Thumbprint")
    VERBAL = "verbal", _("Verbal, witnessed")
    DIGITAL = "digital", _("Digital")
    NOT_APPLICABLE = "n/a", _("Not applicable (legal basis)")


class Consent(TimestampedModel):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty when the purpose covers every program."),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    given_by = models.CharField(
        _("given by"), max_length=20, choices=ConsentGivenBy.choices, default=ConsentGivenBy.SELF
    )
    given_by_name = models.CharField(
        _("name of parent, guardian or supporter"), max_length=200, blank=True
    )
    given_on = models.DateField(_("date given"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=ConsentChannel.choices, default=ConsentChannel.PAPER
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.get_legal_basis_display()})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


# --- Assessment and scoring ---------------------------------------------------------------


class Formula(models.TextChoices):
    POINTS = "points", _("Points per value band (sum)")
    PMT = "pmt", _("Proxy means test (weighted sum predicting log expenditure)")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class ScoringScheme(TimestampedModel):
    """A scoring method as data. ``variables`` is a list of
    ``{"variable": name, "bands": [{"min", "max", "value", "points"}]}`` (points) or
    ``{"variable": name, "weight": w}`` (PMT); see ``bakti.registry.scoring``."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    formula = models.CharField(
        _("formula"), max_length=10, choices=Formula.choices, default=Formula.POINTS
    )
    intercept = models.DecimalField(_("intercept"), max_digits=12, decimal_places=4, default=0)
    variables = models.JSONField(_("variables"), default=list)
    scope_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("ranked within"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Households are scored and ranked into deciles within this region."),
    )
    higher_is_poorer = models.BooleanField(
        _("a higher score means poorer"),
        default=True,
        help_text=_("Decile 1 is always the poorest tenth."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    current_run = models.ForeignKey(
        "ScoringRun",
        verbose_name=_("current run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The finished run whose scores targeting and the household pages use."),
    )

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScoringRun(models.Model):
    """One run of a scheme over the households in its scope (a background job)."""

    scheme = models.ForeignKey(
        ScoringScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="runs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("households"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scoring run")
        verbose_name_plural = _("scoring runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme} #{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0


class HouseholdScore(models.Model):
    """A household's score and decile from one run. The scheme's ``current_run`` says which
    run is current; the other runs' rows are the history.

    Scores are derived data, written only by the scoring service, one statement per run that
    reads the households it scores. The references are kept by Django (``on_delete``), not by
    database constraints: a constraint checks each of a run's rows one by one when it commits,
    2.2-2.6 s per reference for 262,144 households on PostgreSQL (docs/performance.md). For
    the same reason the table has only the indexes its readers use."""

    run = models.ForeignKey(
        ScoringRun,
        verbose_name=_("run"),
        on_delete=models.CASCADE,
        related_name="scores",
        db_constraint=False,
        db_index=False,  # the unique (run, household) index serves it
    )
    scheme = models.ForeignKey(
        ScoringScheme,
        verbose_name=_("scheme"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # a scheme's scores are deleted through its runs
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="scores",
        db_constraint=False,
        db_index=False,  # the (household, scheme) index serves it
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    score = models.DecimalField(_("score"), max_digits=14, decimal_places=4)
    decile = models.PositiveSmallIntegerField(_("decile"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household score")
        verbose_name_plural = _("household scores")
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "household"], name="score_one_per_run"),
        ]
        indexes = [
            models.Index(fields=["household", "scheme"], name="score_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.score} (d{self.decile})"


class Assessment(TimestampedModel):
    """A field worker's visit: answers recorded on the household page, optionally scored."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="assessments"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessed_on = models.DateField(_("date of assessment"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scheme = models.ForeignKey(
        ScoringScheme,
        verbose_name=_("scoring scheme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=14, decimal_places=4, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.assessed_on}"


# --- Targeting and enrolment --------------------------------------------------------------


class BenefitUnit(models.TextChoices):
    HOUSEHOLD = "household", _("Per household")
    MEMBER = "member", _("Per member")


class TargetingScheme(TimestampedModel):
    """Who a program takes: rules over households (see ``bakti.registry.targeting``), the
    benefit, and optional quotas per region. ``rules`` is
    ``{"all": [condition, …]}`` or ``{"any": [...]}``; a condition is
    ``{"rule": name, …parameters}``."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="targeting_schemes",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    rules = models.JSONField(_("rules"), default=dict)
    scoring_scheme = models.ForeignKey(
        ScoringScheme,
        verbose_name=_("scoring scheme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Used by the score rules."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("within region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    benefit_unit = models.CharField(
        _("benefit"), max_length=10, choices=BenefitUnit.choices, default=BenefitUnit.HOUSEHOLD
    )
    benefit_amount = money_field(_("benefit amount per period"))
    currency = currency_field()
    periods_per_year = models.PositiveSmallIntegerField(_("payments per year"), default=12)
    budget_amount = money_field(
        _("budget for the year"),
        help_text=_("Used when the program has no budget in the finance module."),
    )
    quotas = models.JSONField(
        _("quotas per region"),
        default=dict,
        blank=True,
        help_text=_("Region code → the most households that region may take."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("targeting scheme")
        verbose_name_plural = _("targeting schemes")
        ordering = ["program_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="targeting_name_per_program")
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ENROLLED = "enrolled", _("Enrolled")
    SUSPENDED = "suspended", _("Suspended")
    EXITED = "exited", _("Exited")
    REJECTED = "rejected", _("Not approved")


class Enrolment(TimestampedModel):
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        help_text=_("Empty when the whole household is enrolled."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.PROPOSED,
    )
    targeting_scheme = models.ForeignKey(
        TargetingScheme,
        verbose_name=_("targeting scheme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent or legal basis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["program", "status"], name="enrolment_program_status_idx"),
            models.Index(fields=["region", "status"], name="enrolment_region_status_idx"),
        ]
        constraints = [
            # One open enrolment per program for a household (or for a person in it).
            models.UniqueConstraint(
                fields=["program", "household"],
                condition=Q(person__isnull=True)
                & Q(status__in=["proposed", "enrolled", "suspended"]),
                name="enrolment_open_household_unique",
            ),
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=Q(person__isnull=False)
                & Q(status__in=["proposed", "enrolled", "suspended"]),
                name="enrolment_open_person_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.household_id}/{self.person_id or '-'}"


# --- Imports and deduplication (used by bakti.registry.importing and .dedup) --------------


class MappingLayout(models.TextChoices):
    BAKTI = "bakti", _("Bakti default layout")
    DTKS = "dtks", _("DTKS/DTSEN-style extract")
    CUSTOM = "custom", _("Custom")


class ColumnMapping(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    layout = models.CharField(
        _("layout"), max_length=10, choices=MappingLayout.choices, default=MappingLayout.BAKTI
    )
    mapping = models.JSONField(
        _("mapping"), default=dict, help_text=_("Source column header → Bakti field name.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ImportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, default="registry")
    source_file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_format = models.CharField(
        _("format"), max_length=4, choices=ImportFormat.choices, default=ImportFormat.CSV
    )
    mapping = models.ForeignKey(
        ColumnMapping,
        verbose_name=_("column mapping"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_households = models.PositiveIntegerField(_("households created"), default=0)
    updated_households = models.PositiveIntegerField(_("households updated"), default=0)
    created_people = models.PositiveIntegerField(_("people created"), default=0)
    updated_people = models.PositiveIntegerField(_("people updated"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rows rejected"), default=0)
    duplicates_suspected = models.PositiveIntegerField(_("duplicates suspected"), default=0)
    error_report = models.FileField(
        _("error report"), upload_to="imports/errors/%Y/%m/", null=True, blank=True
    )
    # Added for the importer: the mapping as used (also when not saved), rows written with a
    # warning (NIK disagreeing with sex or birth date) and their report, and the language the
    # reports are written in (the uploader's, since the job runs outside the request).
    column_map = models.JSONField(_("columns as mapped"), default=dict, blank=True)
    warning_rows = models.PositiveIntegerField(_("rows with warnings"), default=0)
    warning_report = models.FileField(
        _("warning report"), upload_to="imports/warnings/%Y/%m/", null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or f"#{self.pk}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    DISTINCT = "distinct", _("Different people")


class DuplicateCandidate(models.Model):
    person_a = models.ForeignKey(
        Person, verbose_name=_("person A"), on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        Person, verbose_name=_("person B"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("similarity"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="duplicate_ordered_pair"
            ),
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="duplicate_score_0_1"
            ),
        ]
        indexes = [models.Index(fields=["status", "region"], name="duplicate_status_region_idx")]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score:.2f})"


class PersonMerge(models.Model):
    kept = models.ForeignKey(
        Person, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="merges"
    )
    removed_snapshot = models.JSONField(_("removed record"), default=dict)
    moved_links = models.JSONField(_("moved links"), default=list)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"merge into {self.kept_id} at {self.merged_at:%Y-%m-%d}"


def mask_id(value: str | None) -> str:
    """A NIK or KK as lists show it: first 4 and last 4 digits, ``3374********0001``."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
