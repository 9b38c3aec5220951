"""Forms for case pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bakti.core.uploads import UploadField

from .models import (
    CaseStatus,
    CaseType,
    ClosureReason,
    Goal,
    ProtectionConcern,
    ReferralStatus,
    RiskLevel,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class FilterForm(forms.Form):
    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class CaseFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CaseStatus.choices]
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), required=False, choices=[("", _("All")), *RiskLevel.choices]
    )
    case_type = forms.ModelChoiceField(
        label=_("Case type"), required=False, queryset=CaseType.objects.all()
    )
    overdue = forms.ChoiceField(
        label=_("Overdue"),
        required=False,
        choices=[
            ("", _("All")),
            ("assessment", _("Assessment overdue")),
            ("plan", _("Case plan overdue")),
            ("follow_up", _("Follow-up overdue")),
            ("referral", _("Referral overdue")),
        ],
    )
    caseworker = forms.IntegerField(required=False, widget=forms.HiddenInput)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)


class ReferralFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ReferralStatus.choices]
    )


class CaseOpenForm(forms.Form):
    case_type = forms.ModelChoiceField(
        label=_("Case type"), queryset=CaseType.objects.filter(is_active=True)
    )
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM
    )
    summary = forms.CharField(label=_("Reason for opening"), widget=TEXT)
    ppks = forms.ModelMultipleChoiceField(
        label=_("PPKS categories"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    concerns = forms.ModelMultipleChoiceField(
        label=_("Protection concerns and needs"),
        queryset=ProtectionConcern.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from bakti.programs.models import PPKSCategory

        self.fields["ppks"].queryset = PPKSCategory.objects.filter(is_active=True).order_by("pk")


class AssessmentForm(forms.Form):
    assessment = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 5}))
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)


class CaseEditForm(forms.Form):
    """The case's risk level and reason for opening; the version guards against lost updates."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices)
    summary = forms.CharField(
        label=_("Reason for opening"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Goal"), max_length=300)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)


class InterventionForm(forms.Form):
    description = forms.CharField(label=_("Intervention"), max_length=300)
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    responsible = forms.CharField(label=_("Responsible"), max_length=150, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["goal"].queryset = case.goals.all()


class FollowUpForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)


class FollowUpDoneForm(forms.Form):
    outcome = forms.CharField(label=_("What happened"), widget=TEXT)
    done_on = forms.DateField(label=_("Date"), widget=DATE, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=TEXT)
    attachment = UploadField(kind="document", label=_("Attachment"), required=False)


class CloseForm(forms.Form):
    closure_reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosureReason.choices)
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the case reopened?"), widget=TEXT)


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("New caseworker"), queryset=None)
    reason = forms.CharField(label=_("Reason"), widget=TEXT, required=False)

    def __init__(self, *args: Any, caseworkers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Partner service"), queryset=None)
    need = forms.CharField(label=_("What the person needs"), widget=TEXT)
    complete_by = forms.DateField(label=_("Service due"), required=False, widget=DATE)
    override_reason = forms.CharField(
        label=_("Reason for referring without consent"),
        widget=TEXT,
        required=False,
        help_text=_("Only when no consent is recorded and you may override it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from bakti.partners.models import OrganisationService

        self.fields["service"].queryset = (
            OrganisationService.objects.filter(is_active=True, organisation__is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["service"].label_from_instance = lambda s: f"{s.organisation.name} · {s.name}"


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=TEXT, required=False)


class RespondForm(forms.Form):
    reason = forms.CharField(label=_("Reason (required to reject)"), widget=TEXT, required=False)


class CompleteForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=TEXT, required=False)
