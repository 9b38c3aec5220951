"""Forms of the programs pages. They only collect and shape input; the services check the rules
and their messages are put back on the fields (:func:`apply_errors`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from bakti.accounts.access import scope_for
from bakti.accounts.models import OrgUnit
from bakti.accounts.roles import Role
from bakti.privacy.models import AuditAction
from bakti.regions.models import Region

from .models import (
    MAX_TIERS,
    Activity,
    Disaggregation,
    Indicator,
    Milestone,
    PPKSCategory,
    Program,
    ProgramStatus,
    ProgramType,
    Result,
    Risk,
    TeamMember,
)
from .periods import Period, reporting_periods
from .targets import plain_decimal

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def staff_users() -> QuerySet[Any]:
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, memberships__isnull=False)
        .exclude(memberships__role=Role.PARTNER)
        .distinct()
        .order_by("full_name", "username")
    )


def editable_org_units(user: Any) -> QuerySet[OrgUnit]:
    scope = scope_for(user, "programs.edit")
    units = OrgUnit.objects.filter(is_active=True)
    if scope.everything:
        return units
    ids = sorted({pk for grant in scope.grants for pk in (grant.org_unit_ids or ())})
    return units.filter(pk__in=ids)


def coverage_regions(units: QuerySet[OrgUnit] | None = None) -> QuerySet[Region]:
    """Regions a program can cover: the jurisdictions of the org units (or, for a unit without
    one, of the unit above it) and the kecamatan under them; desa-level places go on
    activities."""
    chosen = list(units if units is not None else OrgUnit.objects.all())
    ids = {unit.pk for unit in chosen}
    for unit in chosen:
        ids.update(unit.ancestor_ids())
    codes = sorted(
        {
            code
            for code in OrgUnit.objects.filter(pk__in=ids).values_list("region_id", flat=True)
            if code
        }
    )
    if not codes:
        return Region.objects.filter(level__lte=2)
    condition = Q(pk__in=codes)
    for code in codes:
        condition |= Q(code__startswith=code + ".", level__lte=3)
    return Region.objects.filter(condition).order_by("code")


def check_date_order(form: forms.Form, first: str, last: str, message: str) -> None:
    start, end = form.cleaned_data.get(first), form.cleaned_data.get(last)
    if start and end and end < start:
        form.add_error(last, message)


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ProgramStatus.choices]
    )
    program_type = forms.ModelChoiceField(
        label=_("Type"), required=False, queryset=ProgramType.objects.all(), empty_label=_("All")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.none(), empty_label=_("All")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), required=False, queryset=OrgUnit.objects.all(), empty_label=_("All")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = coverage_regions()  # type: ignore[attr-defined]


class TierNamesField(forms.CharField):
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [part.strip() for part in text.replace("/", ",").split(",") if part.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value


class ProgramForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    tier_names = TierNamesField(
        label=_("Result tier names"),
        required=False,
        help_text=_(
            "From the top down, separated by commas, up to five. Leave empty for "
            "Goal, Outcome, Output."
        ),
    )

    class Meta:
        model = Program
        fields = [
            "code",
            "name",
            "program_type",
            "org_unit",
            "manager",
            "start_date",
            "end_date",
            "regions",
            "target_groups",
            "target_group_notes",
            "description",
            "strategy",
            "tier_names",
            "funding_summary",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "target_groups": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
            "strategy": forms.Textarea(attrs={"rows": 6}),
            "target_group_notes": forms.Textarea(attrs={"rows": 2}),
            "funding_summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = editable_org_units(user)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["manager"].queryset = staff_users()  # type: ignore[attr-defined]
        regions = coverage_regions(units)
        if self.instance.pk:
            regions = regions | Region.objects.filter(programs=self.instance)
        self.fields["regions"].queryset = regions.distinct()  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = PPKSCategory.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["program_type"].queryset = ProgramType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_date_order(
            self, "start_date", "end_date", _("The end date must not be before the start date.")
        )
        return data

    def clean_tier_names(self) -> list[str]:
        names = self.cleaned_data["tier_names"]
        if len(names) > MAX_TIERS:
            raise ValidationError(
                _("A results framework has at most %(max)d tiers."), params={"max": MAX_TIERS}
            )
        return names


class TemplateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Copy from program"), queryset=Program.objects.none())
    code = forms.CharField(label=_("Code of the new program"), max_length=40)
    name = forms.CharField(label=_("Name of the new program"), max_length=255)
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DATE,
        help_text=_("Every date of the framework targets and the work plan moves with it."),
    )
    org_unit = forms.ModelChoiceField(label=_("Owning org unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, user: Any, templates: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["org_unit"].queryset = editable_org_units(user)  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if Program.objects.filter(code=code).exists():
            raise ValidationError(_("A program with this code already exists."))
        return code


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResultForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Result
        fields = ["parent", "code", "statement", "assumptions", "order"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "assumptions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Result.objects.filter(program=program, tier__lt=program.output_tier)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
        self.fields["parent"].queryset = parents.order_by("tier", "order", "code")  # type: ignore[attr-defined]
        self.fields["parent"].label_from_instance = (
            lambda r: (  # type: ignore[attr-defined]
                f"{program.tier_label(r.tier)} {r.code} · {r.statement[:60]}"
            )
        )
        self.fields["parent"].help_text = _(
            "Leave empty for a result of the top tier (%(tier)s)."
        ) % {"tier": program.tier_label(1)}


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    disaggregations = forms.MultipleChoiceField(
        label=_("Disaggregations"),
        required=False,
        choices=Disaggregation.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = [
            "result",
            "code",
            "name",
            "definition",
            "unit",
            "unit_label",
            "numerator",
            "denominator",
            "direction",
            "baseline_value",
            "baseline_date",
            "baseline_not_applicable",
            "frequency",
            "cumulative_rule",
            "data_source",
            "means_of_verification",
            "disaggregations",
            "order",
        ]
        widgets = {
            "baseline_date": DATE,
            "definition": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["result"].queryset = Result.objects.filter(program=program).order_by(  # type: ignore[attr-defined]
            "tier", "order", "code"
        )
        self.fields["result"].label_from_instance = (
            lambda r: (  # type: ignore[attr-defined]
                f"{program.tier_label(r.tier)} {r.code} · {r.statement[:60]}"
            )
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.initial["baseline_value"] = plain_decimal(self.instance.baseline_value)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = Indicator.objects.filter(program=self.program, code=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This program already has an indicator with this code."))
        return code

    def _post_clean(self) -> None:
        # The program is set by the service; skip the model's own uniqueness check here.
        self.instance.program = self.program
        super()._post_clean()


class TargetsForm(forms.Form):
    """One target per reporting period of the indicator within the program's dates, and the
    end-of-program target; the service checks them against each other."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    end_target = forms.DecimalField(
        label=_("End-of-program target"), required=False, max_digits=18, decimal_places=4
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = indicator.program
        existing = {t.period_start: t for t in indicator.targets.all()}
        generated = reporting_periods(indicator.frequency, program.start_date, program.end_date)
        periods: dict[dt.date, Period] = {p.start: p for p in generated}
        for start, target in existing.items():
            if start not in periods:
                periods[start] = Period(start, target.period_end, target.label or str(start))
        self.periods = [periods[key] for key in sorted(periods)]
        for index, period in enumerate(self.periods):
            name = f"period_{index}"
            self.fields[name] = forms.DecimalField(
                label=period.label,
                required=False,
                max_digits=18,
                decimal_places=4,
                help_text=f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}",
            )
            if period.start in existing:
                self.fields[name].initial = plain_decimal(existing[period.start].value)
        self.order_fields([*(f"period_{i}" for i in range(len(self.periods))), "end_target"])
        self.fields["end_target"].initial = plain_decimal(indicator.end_target)
        self.fields["version"].initial = indicator.version
        rule = indicator.get_cumulative_rule_display()
        self.fields["end_target"].help_text = _("Checked against the period targets: %(rule)s.") % {
            "rule": rule
        }

    def target_values(self) -> list[tuple[Period, Decimal | None]]:
        return [
            (period, self.cleaned_data.get(f"period_{i}")) for i, period in enumerate(self.periods)
        ]


class ActivityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "output",
            "code",
            "name",
            "description",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "owner",
            "status",
            "percent_complete",
            "depends_on",
            "locations",
            "location_notes",
            "planned_budget",
            "order",
        ]
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "actual_start": DATE,
            "actual_end": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["output"].queryset = Result.objects.filter(  # type: ignore[attr-defined]
            program=program, tier=program.output_tier
        ).order_by("order", "code")
        self.fields["output"].label_from_instance = lambda r: f"{r.code} · {r.statement[:70]}"  # type: ignore[attr-defined]
        others = Activity.objects.filter(program=program).order_by("planned_start", "id")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["version"].initial = self.instance.version
        self.fields["depends_on"].queryset = others  # type: ignore[attr-defined]
        self.fields["depends_on"].help_text = _(
            "Activities that must finish before this one can start."
        )
        self.fields["owner"].queryset = staff_users()  # type: ignore[attr-defined]
        codes = list(program.regions.values_list("code", flat=True))
        condition = Q(pk__in=codes)
        for code in codes:
            condition |= Q(code__startswith=code + ".")
        regions = Region.objects.filter(condition) if codes else Region.objects.none()
        if self.instance.pk:
            regions = regions | Region.objects.filter(activities=self.instance)
        self.fields["locations"].queryset = regions.distinct().order_by("code")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_date_order(
            self,
            "planned_start",
            "planned_end",
            _("The planned end must not be before the planned start."),
        )
        check_date_order(
            self,
            "actual_start",
            "actual_end",
            _("The actual end must not be before the actual start."),
        )
        return data


class MilestoneForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Milestone
        fields = ["name", "activity", "due_date", "achieved", "achieved_on", "notes"]
        widgets = {
            "due_date": DATE,
            "achieved_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(program=program)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class RiskForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Risk
        fields = [
            "description",
            "category",
            "likelihood",
            "impact",
            "mitigation",
            "owner",
            "status",
            "review_date",
        ]
        widgets = {
            "review_date": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
            "likelihood": forms.Select(choices=[(i, i) for i in range(1, 6)]),
            "impact": forms.Select(choices=[(i, i) for i in range(1, 6)]),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_users()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["user", "role", "start_date", "end_date", "allocation_percent"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_date_order(
            self, "start_date", "end_date", _("The end date must not be before the start date.")
        )
        return data

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_users()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["user"].disabled = True


class ListFilterForm(forms.Form):
    """Filters of the work plan table and the risk register."""

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    late = forms.BooleanField(label=_("Only slipped activities"), required=False)

    def __init__(
        self, *args: Any, statuses: list[tuple[str, Any]], with_late: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *statuses]  # type: ignore[attr-defined]
        if not with_late:
            del self.fields["late"]


class HistoryFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *AuditAction.choices]
    )
