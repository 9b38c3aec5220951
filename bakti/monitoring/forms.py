from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bakti.core.uploads import UploadField

from .models import (
    Evaluation,
    EvaluationType,
    EvaluatorKind,
    HealthSettings,
    ManagementResponse,
    Recommendation,
    RecommendationStatus,
    ResultSource,
    ResultStatus,
)
from .rules import AGE_GROUPS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class ResultFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ResultStatus.choices]
    )
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *ResultSource.choices]
    )


class TrackingForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)


def category_choices(dimension: str, regions: list[Any], ppks: list[Any]) -> list[tuple[str, str]]:
    """The categories a value can be entered for, per disaggregation."""
    if dimension == "sex":
        return [("F", str(_("Female"))), ("M", str(_("Male")))]
    if dimension == "age_group":
        return [(code, str(label)) for code, label, _low, _high in AGE_GROUPS]
    if dimension == "disability":
        return [("yes", str(_("With disability"))), ("no", str(_("Without disability")))]
    if dimension == "region":
        return [(r.code, r.name) for r in regions]
    if dimension == "ppks":
        return [(c.code, f"{c.code} {c.name}") for c in ppks]
    return []


class ResultEntryForm(forms.Form):
    """The value of one indicator for one period, with a field per disaggregation category."""

    value = forms.DecimalField(label=_("Total value"), max_digits=18, decimal_places=4)
    numerator = forms.DecimalField(
        label=_("Numerator"), max_digits=18, decimal_places=4, required=False
    )
    denominator = forms.DecimalField(
        label=_("Denominator"), max_digits=18, decimal_places=4, required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, assume_scheme="https")
    evidence_file = UploadField(kind="document", label=_("Evidence file"), required=False)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        help_text=_("Required when the value was already approved or locked."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, indicator: Any, regions: list[Any], ppks: list[Any], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.unit != "percentage":
            del self.fields["numerator"]
            del self.fields["denominator"]
        self.breakdown_fields: list[tuple[str, str, str]] = []
        from .tracking import DIMENSION_LABELS

        for dimension in indicator.disaggregations or []:
            for code, label in category_choices(dimension, regions, ppks):
                name = f"d__{dimension}__{code}"
                self.fields[name] = forms.DecimalField(
                    label=f"{DIMENSION_LABELS.get(dimension, dimension)}: {label}",
                    max_digits=18,
                    decimal_places=4,
                    required=False,
                    min_value=0,
                )
                self.breakdown_fields.append((name, dimension, code))

    def breakdown(self) -> dict[tuple[str, str], Any]:
        return {
            (dimension, code): self.cleaned_data.get(name)
            for name, dimension, code in self.breakdown_fields
            if self.cleaned_data.get(name) is not None
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Evaluation
        fields = [
            "title",
            "evaluation_type",
            "start_date",
            "end_date",
            "evaluator_kind",
            "evaluator_name",
            "method",
            "findings",
            "status",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}


class EvaluationFilterForm(forms.Form):
    evaluation_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *EvaluationType.choices]
    )
    evaluator_kind = forms.ChoiceField(
        label=_("Evaluator"), required=False, choices=[("", _("All")), *EvaluatorKind.choices]
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = UploadField(kind="document", label=_("File"))


class RecommendationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Recommendation
        fields = ["text", "response", "response_note", "owner", "due_date", "status"]
        widgets = {"due_date": DATE, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["response"].choices = ManagementResponse.choices
        self.fields["status"].choices = RecommendationStatus.choices


class HealthSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = HealthSettings
        fields = [
            "on_track_from",
            "behind_from",
            "slipped_activities_amber",
            "slipped_activities_red",
            "absorption_gap_amber",
            "absorption_gap_red",
            "off_track_indicators_amber",
            "off_track_indicators_red",
            "overdue_cases_amber",
            "overdue_cases_red",
            "complaints_past_sla_amber",
            "complaints_past_sla_red",
            "email_alerts",
        ]
