from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from bakti.core.uploads import restrict
from bakti.regions.models import Region

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Contact,
    Contribution,
    DueDiligenceDocument,
    Interaction,
    Organisation,
    OrganisationService,
    OrganisationType,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _served_regions() -> Any:
    from bakti.community.forms import served_regions

    return served_regions([2, 3, 4])


class OrganisationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "org_type",
            "legal_number",
            "tax_number",
            "address",
            "region",
            "coverage",
            "phone",
            "email",
            "website",
            "notes",
            "is_active",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _served_regions()
        self.fields["coverage"].queryset = _served_regions()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_tax_number(self) -> str:
        value = self.cleaned_data["tax_number"].strip()
        digits = "".join(ch for ch in value if ch.isdigit())
        if value and len(digits) not in (15, 16):
            raise forms.ValidationError(
                _("An NPWP has 15 or 16 digits; this one has %(n)s.") % {"n": len(digits)}
            )
        return value


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    org_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *OrganisationType.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Covers region"), required=False, queryset=Region.objects.none()
    )
    active = forms.ChoiceField(
        label=_("Active"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _served_regions()


class ServiceForm(forms.ModelForm):
    class Meta:
        model = OrganisationService
        fields = ["name", "description", "is_active"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["full_name", "position", "phone", "email", "is_primary"]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = DueDiligenceDocument
        fields = ["kind", "title", "number", "issued_on", "expires_on", "file"]
        widgets = {"issued_on": DATE, "expires_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        restrict(self.fields["file"], "document")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("issued_on")
            and data.get("expires_on")
            and data["expires_on"] < data["issued_on"]
        ):
            self.add_error("expires_on", _("The expiry date is before the issue date."))
        return data


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = ["kind", "description", "value", "currency", "date", "program", "agreement"]
        widgets = {"date": DATE}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = organisation.agreements.all()


class InteractionForm(forms.ModelForm):
    follow_up_action = forms.CharField(label=_("Follow-up action"), required=False)
    follow_up_owner = forms.ModelChoiceField(
        label=_("Follow-up owner"), required=False, queryset=get_user_model().objects.none()
    )
    follow_up_due = forms.DateField(label=_("Follow-up due date"), required=False, widget=DATE)

    class Meta:
        model = Interaction
        fields = ["kind", "date", "subject", "participants", "summary"]
        widgets = {
            "date": DATE,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_owner"].queryset = get_user_model().objects.filter(is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [
            data.get("follow_up_action"),
            data.get("follow_up_owner"),
            data.get("follow_up_due"),
        ]
        if any(parts) and not all(parts):
            self.add_error(
                "follow_up_action",
                _("A follow-up needs an action, an owner and a due date."),
            )
        return data


class AgreementForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Agreement
        fields = [
            "organisation",
            "other_parties",
            "kind",
            "number",
            "title",
            "programs",
            "scope",
            "our_obligations",
            "partner_obligations",
            "start_date",
            "end_date",
            "value",
            "currency",
            "status",
            "owner",
            "document",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "our_obligations": forms.Textarea(attrs={"rows": 3}),
            "partner_obligations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True)
        restrict(self.fields["document"], "document")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *AgreementStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *AgreementKind.choices]
    )
    expiring = forms.TypedChoiceField(
        label=_("Ends within"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any time")),
            ("7", _("7 days")),
            ("30", _("30 days")),
            ("90", _("90 days")),
        ],
    )
