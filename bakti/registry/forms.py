"""Forms of the registry pages. They check input and carry it to services; no logic here."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bakti.programs.models import PPKSCategory, Program
from bakti.programs.selectors import program_visibility_q
from bakti.regions.models import Region

from .identity import validate_kk, validate_nik
from .models import (
    WG_DOMAINS,
    BenefitUnit,
    Consent,
    EnrolmentStatus,
    Formula,
    Household,
    Person,
    Relationship,
    SchemeStatus,
    ScoringScheme,
    Sex,
    TargetingScheme,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DESIL_CHOICES = [("", _("Any"))] + [(str(i), str(i)) for i in range(1, 11)]


def visible_programs(user: Any) -> Any:
    """The programs ``user`` may see (a field worker: those covering their region), for the
    program choices; none without a user."""
    return Program.objects.filter(program_visibility_q(user)).order_by("code")


class RegistrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, NIK or KK"),
        required=False,
        help_text=_("A name (or part of it), or a full 16-digit NIK or KK."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    ppks = forms.ModelChoiceField(
        label=_("PPKS category"), queryset=PPKSCategory.objects.none(), required=False
    )
    desil_max = forms.TypedChoiceField(
        label=_("Desil at most"),
        choices=DESIL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    program = forms.ModelChoiceField(
        label=_("Enrolled in"), queryset=Program.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        regions: list[tuple[str, str]],
        sensitive: bool,
        user: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All my regions")), *regions]
        self.fields["program"].queryset = visible_programs(user)
        if sensitive:
            self.fields["ppks"].queryset = PPKSCategory.objects.filter(is_active=True)
        else:
            del self.fields["ppks"]


class HouseholdForm(forms.ModelForm):
    # Longer than 16: people type the number with spaces or dots; the service checks it.
    no_kk = forms.CharField(
        label=_("family card number (No. KK)"),
        max_length=30,
        help_text=_("The 16 digits on the family card (Kartu Keluarga)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Household
        fields = [
            "no_kk",
            "region",
            "address",
            "rt",
            "rw",
            "latitude",
            "longitude",
            "desil",
            "desil_source",
            "desil_date",
            "floor_material",
            "wall_material",
            "water_source",
            "sanitation",
            "lighting",
            "cooking_fuel",
            "house_ownership",
            "floor_area_m2",
            "has_motorcycle",
            "has_car",
            "has_refrigerator",
            "has_land",
            "monthly_expenditure",
        ]
        widgets = {"desil_date": DATE}

    def __init__(self, *args: Any, desa_codes: list[str] | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        desa = Region.objects.filter(level=4)
        if desa_codes is not None:
            desa = desa.filter(code__in=desa_codes)
        self.fields["region"].queryset = desa.order_by("code")
        self.fields["no_kk"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_no_kk(self) -> str:
        return validate_kk(self.cleaned_data["no_kk"])

    def validate_unique(self) -> None:
        """The service checks the KK and says where the existing household is."""


class PersonForm(forms.ModelForm):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=30,
        required=False,
        help_text=_("The 16-digit national identity number, when the person has one."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    ppks = forms.ModelMultipleChoiceField(
        label=_("PPKS categories"),
        queryset=PPKSCategory.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        fields = [
            "nik",
            "full_name",
            "sex",
            "birth_date",
            "birth_place",
            "relationship",
            "marital_status",
            "education",
            "occupation",
            "phone",
            *WG_DOMAINS,
        ]
        widgets = {"birth_date": DATE}

    def __init__(self, *args: Any, sensitive: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["ppks"].initial = list(self.instance.ppks.all())
        if not sensitive:
            for name in (*WG_DOMAINS, "ppks"):
                del self.fields[name]

    def clean_nik(self) -> str | None:
        value = self.cleaned_data.get("nik")
        return validate_nik(value) if value else None

    def validate_unique(self) -> None:
        """The service checks the NIK and says where the existing person is."""


class BirthForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=DATE)
    nik = forms.CharField(label=_("NIK"), max_length=30, required=False)


class MoveForm(forms.Form):
    to_kk = forms.CharField(
        label=_("Family card number (No. KK) of the new household"), max_length=30
    )
    on = forms.DateField(label=_("Date of the move"), widget=DATE)
    relationship = forms.ChoiceField(
        label=_("Relationship to the new head"),
        choices=Relationship.choices,
        initial=Relationship.OTHER_RELATIVE,
    )
    reason = forms.CharField(label=_("Note"), required=False)


class DeathForm(forms.Form):
    died_on = forms.DateField(label=_("Date of death"), widget=DATE)
    reason = forms.CharField(label=_("Note (source of the information)"), required=False)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = [
            "purpose",
            "program",
            "legal_basis",
            "given_by",
            "given_by_name",
            "given_on",
            "channel",
        ]
        widgets = {"given_on": DATE}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = visible_programs(user)
        self.fields["given_on"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    person = forms.ModelChoiceField(
        label=_("Only this member"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Leave empty to enrol the whole household."),
    )
    reason = forms.CharField(label=_("Why"), required=False)

    def __init__(self, *args: Any, members: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = visible_programs(user).exclude(
            status__in=["closed", "evaluated"]
        )
        self.fields["person"].queryset = members


class EnrolmentActionForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EnrolmentFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *EnrolmentStatus.choices], required=False
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    q = forms.CharField(label=_("Name, NIK or KK"), required=False)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = visible_programs(user)
        self.fields["region"].choices = [("", _("All my regions")), *regions]


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    scheme = forms.ModelChoiceField(
        label=_("Score with"),
        queryset=ScoringScheme.objects.none(),
        required=False,
    )
    update_household = forms.BooleanField(
        label=_("Also update the household's housing and assets with these answers"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    ANSWER_FIELDS = (
        "floor_material",
        "wall_material",
        "water_source",
        "sanitation",
        "lighting",
        "cooking_fuel",
        "house_ownership",
        "floor_area_m2",
        "has_motorcycle",
        "has_car",
        "has_refrigerator",
        "has_land",
        "monthly_expenditure",
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = ScoringScheme.objects.filter(status=SchemeStatus.ACTIVE)
        self.fields["assessed_on"].initial = timezone.localdate()
        for name in self.ANSWER_FIELDS:
            model_field = Household._meta.get_field(name)
            field = model_field.formfield()
            field.required = False
            field.initial = getattr(household, name)
            self.fields[name] = field

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.ANSWER_FIELDS}

    def clean_assessed_on(self) -> dt.date:
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day


class JSONTextField(forms.CharField):
    """A JSON value typed in a text area, with the parse error shown where it is."""

    widget = forms.Textarea(attrs={"rows": 8, "class": "font-monospace"})

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("This is not valid JSON: %(error)s (line %(line)d, column %(column)d).")
                % {"error": error.msg, "line": error.lineno, "column": error.colno}
            ) from error


class ScoringSchemeForm(forms.ModelForm):
    variables = JSONTextField(
        label=_("Variables"),
        help_text=_(
            'Points: [{"variable": "floor_material", "bands": [{"value": "earth", "points": 10}]}, '
            '{"variable": "member_count", "bands": [{"min": 5, "points": 5}]}]. '
            'PMT: [{"variable": "member_count", "weight": -0.08}, '
            '{"variable": "floor_material", "weights": {"tile": 0.2}}].'
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ScoringScheme
        fields = [
            "name",
            "description",
            "formula",
            "intercept",
            "variables",
            "scope_region",
            "higher_is_poorer",
            "status",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scope_region"].queryset = Region.objects.filter(level__lte=3).order_by("code")
        self.fields["formula"].choices = Formula.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_variables(self) -> Any:
        from .scoring import check_variables

        variables = self.cleaned_data["variables"]
        check_variables(variables, self.data.get("formula") or Formula.POINTS)
        return variables


class TargetingSchemeForm(forms.ModelForm):
    """The rules are edited as fields (the common cases) and stored as data."""

    combine = forms.ChoiceField(
        label=_("A household qualifies when it meets"),
        choices=[("all", _("all of the conditions")), ("any", _("any of the conditions"))],
    )
    desil_at_most = forms.IntegerField(
        label=_("Desil at most"), min_value=1, max_value=10, required=False
    )
    member_under_age = forms.IntegerField(
        label=_("Has a member younger than (years)"), min_value=1, max_value=100, required=False
    )
    member_over_age = forms.IntegerField(
        label=_("Has a member aged at least (years)"), min_value=1, max_value=120, required=False
    )
    member_with_disability = forms.BooleanField(
        label=_("Has a member with a disability"), required=False
    )
    ppks_in = forms.ModelMultipleChoiceField(
        label=_("Has a member in one of these PPKS categories"),
        queryset=PPKSCategory.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    score_below = forms.DecimalField(
        label=_("Score below"), required=False, max_digits=14, decimal_places=4
    )
    score_above = forms.DecimalField(
        label=_("Score above"), required=False, max_digits=14, decimal_places=4
    )
    quotas = JSONTextField(
        label=_("Quotas per region"),
        required=False,
        help_text=_('Region code → most households, e.g. {"34.04.01": 300, "34.04.02": 250}.'),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    RULE_FIELDS = (
        "desil_at_most",
        "member_under_age",
        "member_over_age",
        "member_with_disability",
        "ppks_in",
        "score_below",
        "score_above",
    )

    class Meta:
        model = TargetingScheme
        fields = [
            "program",
            "name",
            "description",
            "region",
            "scoring_scheme",
            "benefit_unit",
            "benefit_amount",
            "periods_per_year",
            "budget_amount",
            "status",
        ]

    def __init__(self, *args: Any, programs: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["region"].queryset = Region.objects.filter(level__lte=4).order_by("code")
        self.fields["benefit_unit"].choices = BenefitUnit.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            rules = self.instance.rules or {}
            self.fields["combine"].initial = "any" if "any" in rules else "all"
            for condition in rules.get("all", rules.get("any", [])):
                name = condition.get("rule")
                if name == "ppks_in":
                    self.fields["ppks_in"].initial = list(
                        PPKSCategory.objects.filter(code__in=condition.get("codes", []))
                    )
                elif name == "member_with_disability":
                    self.fields[name].initial = True
                elif name in self.fields:
                    self.fields[name].initial = condition.get("value")
            self.fields["quotas"].initial = self.instance.quotas or None

    def clean_quotas(self) -> dict[str, int]:
        quotas = self.cleaned_data.get("quotas") or {}
        if not isinstance(quotas, dict):
            raise ValidationError(_("Write the quotas as {region code: number}."))
        clean = {}
        known = set(Region.objects.filter(code__in=list(quotas)).values_list("code", flat=True))
        for code, number in quotas.items():
            if code not in known:
                raise ValidationError(_("Region code “%(code)s” does not exist.") % {"code": code})
            if not isinstance(number, int) or number < 0:
                raise ValidationError(
                    _("The quota of %(code)s must be a whole number of households.")
                    % {"code": code}
                )
            clean[code] = number
        return clean

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        conditions: list[dict[str, Any]] = []
        for name in self.RULE_FIELDS:
            value = data.get(name)
            if value in (None, False, "") or (name == "ppks_in" and not value):
                continue
            if name == "ppks_in":
                conditions.append({"rule": name, "codes": sorted(c.code for c in value)})
            elif name == "member_with_disability":
                conditions.append({"rule": name})
            else:
                conditions.append({"rule": name, "value": str(value) if "score" in name else value})
        if not conditions:
            raise ValidationError(_("Give at least one condition."))
        if any(c["rule"].startswith("score") for c in conditions) and not data.get(
            "scoring_scheme"
        ):
            self.add_error("scoring_scheme", _("Choose the scoring scheme the score rules use."))
        data["rules"] = {data.get("combine") or "all": conditions}
        return data
