from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bakti.partners.models import Organisation
from bakti.regions.models import Region
from bakti.registry.models import Consent, LegalBasis, Sex

from .models import (
    Audience,
    BreachStatus,
    Channel,
    DataCategory,
    Dpia,
    ProcessingRecord,
    RequesterRelation,
    RequestKind,
    RequestStatus,
    RetentionPolicy,
)

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_NUMBER = 2**31 - 1
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DsrFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(
        label=_("Right exercised"), required=False, choices=[("", _("All")), *RequestKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *RequestStatus.choices]
    )
    state = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Open")),
            ("due_soon", _("Due within 24 hours")),
            ("overdue", _("Overdue")),
        ],
    )


class PersonNumberField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Person's registry number"))
        kwargs.setdefault(
            "help_text", _("The number shown on the person's page in the registry (#123).")
        )
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_NUMBER)
        super().__init__(**kwargs)


class DsrForm(forms.Form):
    kind = forms.ChoiceField(label=_("Right exercised"), choices=RequestKind.choices)
    person_id = PersonNumberField(required=False)
    region = forms.CharField(
        label=_("Region code"),
        required=False,
        help_text=_(
            "Needed when the person is not found yet: the desa or kecamatan code "
            "(for example 34.04.01.2001)."
        ),
    )
    requester_name = forms.CharField(label=_("Requester's name"), max_length=200)
    requester_relation = forms.ChoiceField(
        label=_("Requester is"), choices=RequesterRelation.choices
    )
    requester_contact = forms.CharField(
        label=_("Requester's contact"), max_length=200, required=False
    )
    channel = forms.ChoiceField(label=_("Received by"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("Received at"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    details = forms.CharField(label=_("What is asked"), widget=forms.Textarea, required=False)

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region", "").strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("There is no region with the code %(code)s."), params={"code": code}
            )
        return region

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("person_id") and not data.get("region") and "region" not in self.errors:
            self.add_error("region", _("Give the person's registry number or a region code."))
        return data


class LinkPersonForm(forms.Form):
    person_id = PersonNumberField()


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer given"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the requester was told (kept as the record of the answer)."),
    )
    answer_channel = forms.ChoiceField(
        label=_("Answer delivered by"), choices=[("", "—"), *Channel.choices]
    )


class RefuseForm(AnswerForm):
    # Checked by the service, which says what is missing.
    refusal_reason = forms.CharField(
        label=_("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CorrectionForm(AnswerForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    birth_place = forms.CharField(label=_("Birth place"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)

    field_order = ["full_name", "sex", "birth_date", "birth_place", "phone", "occupation"]

    def corrections(self) -> dict[str, Any]:
        names = ("full_name", "sex", "birth_date", "birth_place", "phone", "occupation")
        return {
            n: self.cleaned_data[n] for n in names if self.cleaned_data.get(n) not in ("", None)
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.corrections():
            raise forms.ValidationError(_("Enter at least one corrected value."))
        return data


class WithdrawForm(AnswerForm):
    consents = forms.ModelMultipleChoiceField(
        label=_("Consents to withdraw"),
        queryset=Consent.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["consents"]

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if person is not None:
            self.fields["consents"].queryset = Consent.objects.filter(
                person=person, withdrawn_on__isnull=True, legal_basis=LegalBasis.CONSENT
            ).select_related("program")


class BreachFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *BreachStatus.choices]
    )
    overdue = forms.BooleanField(label=_("Notices overdue"), required=False)


class BreachForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    occurred_at = forms.DateTimeField(
        label=_("Occurred at"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    discovered_at = forms.DateTimeField(
        label=_("Discovered at"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    people_affected = forms.IntegerField(label=_("Number of people affected"), min_value=0)
    person_ids = forms.CharField(
        label=_("Registry numbers of the people affected"),
        required=False,
        help_text=_("Optional: numbers separated by commas, e.g. 12, 40, 41."),
    )
    actions_taken = forms.CharField(
        label=_("Actions taken"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean_person_ids(self) -> list[int]:
        raw = self.cleaned_data.get("person_ids", "")
        numbers = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip().lstrip("#")
            if not part:
                continue
            if not part.isdigit() or int(part) > MAX_NUMBER:
                raise forms.ValidationError(
                    _("“%(value)s” is not a registry number."), params={"value": part}
                )
            numbers.append(int(part))
        return numbers


class NoticeForm(forms.Form):
    audience = forms.ChoiceField(label=_("Sent to"), choices=Audience.choices)
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=300,
        help_text=_("Who received it: the authority's office, or the people (or their number)."),
    )
    channel = forms.ChoiceField(label=_("Sent by"), choices=Channel.choices)
    sent_at = forms.DateTimeField(
        label=_("Sent at"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    text = forms.CharField(
        label=_("Text of the notice"),
        widget=forms.Textarea,
        help_text=_("What was exposed, when and how, and what is being done."),
    )


class BreachCloseForm(forms.Form):
    actions_taken = forms.CharField(label=_("Actions taken"), widget=forms.Textarea)


class RetentionPolicyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = RetentionPolicy
        fields = ["period_months", "starts", "action"]


class ProcessingRecordForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients (partners)"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProcessingRecord
        fields = [
            "purposes",
            "legal_basis",
            "legal_reference",
            "data_subjects",
            "data_categories",
            "recipients",
            "other_recipients",
            "retention",
            "transfers",
            "security_measures",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "purposes",
                "other_recipients",
                "retention",
                "transfers",
                "security_measures",
            )
        }


class DpiaForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Dpia
        fields = [
            "title",
            "processing",
            "necessity",
            "risks",
            "likelihood",
            "severity",
            "mitigations",
            "residual_risk",
            "dpo_opinion",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("processing", "necessity", "risks", "mitigations", "dpo_opinion")
        }
