from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bakti.accounts.models import OrgUnit
from bakti.core import uploads
from bakti.regions.models import Region

from .attachments import KIND, MAX_FILES, check_attachments
from .models import (
    Category,
    Channel,
    CommunityMeeting,
    Holiday,
    IdentityMode,
    MeetingKind,
    Priority,
    Satisfaction,
    SLARule,
    Status,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def _help() -> str:
    return "%s %s" % (  # noqa: UP031 - two sentences, each translated
        gettext("Optional. Up to %(max)s files.") % {"max": MAX_FILES},
        uploads.help_text(KIND),
    )


_attachments_help = lazy(_help, str)


class MultipleFileField(forms.FileField):
    """Several files at once, each through the upload check, and at most ``MAX_FILES``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": uploads.accept(KIND)}))
        kwargs.setdefault("help_text", _attachments_help())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        check_attachments(files)
        return files


def desa_choices() -> Any:
    """The desa/kelurahan the department serves (under its root units' regions)."""
    return served_regions([4])


def served_regions(levels: list[int]) -> Any:
    roots = list(
        OrgUnit.objects.filter(parent__isnull=True, region__isnull=False).values_list(
            "region_id", flat=True
        )
    )
    regions = Region.objects.filter(level__in=levels).select_related("parent")
    if roots:
        q = Q(pk__in=[])
        for code in roots:
            q |= Q(code__startswith=code + ".")
        regions = regions.filter(q)
    return regions.order_by("name")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{obj.name} ({parent})" if parent else obj.name


class PublicReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=Category.objects.none(), empty_label=None
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what happened, when and who was involved. At most 5,000 characters."),
    )
    region = RegionChoiceField(
        label=_("Village (desa/kelurahan)"), queryset=Region.objects.none(), required=False
    )
    place_detail = forms.CharField(label=_("Place details"), max_length=250, required=False)
    anonymous = forms.TypedChoiceField(
        label=_("Your identity"),
        choices=[
            ("1", _("Stay anonymous: I will follow my report with the tracking code")),
            ("0", _("Give my contact details (kept confidential)")),
        ],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    complainant_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    complainant_phone = forms.CharField(
        label=_("Phone or WhatsApp number"), max_length=30, required=False
    )
    complainant_email = forms.EmailField(label=_("E-mail"), required=False)
    attachments = MultipleFileField(label=_("Photos or documents"), required=False)
    # Honeypot: hidden from people, filled by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["region"].queryset = desa_choices()

    def clean_complainant_phone(self) -> str:
        phone = self.cleaned_data["complainant_phone"].strip()
        digits = phone.replace(" ", "").replace("-", "").lstrip("+")
        if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(
                _("Write the phone number with digits only, for example 0812 3456 7890.")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous") is False and not (
            data.get("complainant_name")
            or data.get("complainant_phone")
            or data.get("complainant_email")
        ):
            self.add_error(
                "complainant_phone",
                _("Give a phone number or e-mail so we can reach you, or choose anonymous."),
            )
        return data


class StatusLookupForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)


class RatingForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Are you satisfied with the outcome?"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the problem not solved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TicketIntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    external_reference = forms.CharField(
        label=_("External reference"),
        max_length=60,
        required=False,
        help_text=_("The ticket number in LAPOR! or the 171 call centre."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    priority = forms.ModelChoiceField(label=_("Priority"), queryset=Priority.objects.all())
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    region = RegionChoiceField(
        label=_("Village (desa/kelurahan)"), queryset=Region.objects.none(), required=False
    )
    place_detail = forms.CharField(label=_("Place details"), max_length=250, required=False)
    identity_mode = forms.ChoiceField(label=_("Identity"), choices=IdentityMode.choices)
    complainant_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    complainant_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    complainant_email = forms.EmailField(label=_("E-mail"), required=False)
    named_staff = forms.ModelMultipleChoiceField(
        label=_("Staff named in the complaint"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("They will never see this complaint."),
    )
    named_organisation = forms.ModelChoiceField(
        label=_("Partner named in the complaint"), queryset=None, required=False
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from bakti.partners.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["priority"].initial = Priority.objects.filter(code="normal").first()
        self.fields["region"].queryset = desa_choices()
        self.fields["named_staff"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["named_organisation"].queryset = Organisation.objects.filter(is_active=True)


class TicketFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    sla = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            ("overdue", _("Overdue")),
            ("due_soon", _("Due within 2 days")),
            ("on_track", _("On track")),
            ("done", _("Finished")),
        ],
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all()
    )
    priority = forms.ModelChoiceField(
        label=_("Priority"), required=False, queryset=Priority.objects.all()
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Received to"), required=False, widget=DATE)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(
        label=_("Handling officer"), queryset=get_user_model().objects.none(), required=False
    )
    resolution = forms.CharField(
        label=_("Outcome for the complainant"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the tracking page and sent by SMS/WhatsApp when a number is known."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, assignees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if assignees is not None:
            self.fields["assignee"].queryset = assignees


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("Show to the complainant on the tracking page"), required=False
    )


class LinkForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, required=False)
    no_kk = forms.CharField(label=_("Family card number (No. KK)"), max_length=16, required=False)
    nik = forms.CharField(label=_("NIK of the person concerned"), max_length=16, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        from bakti.programs.selectors import program_list_for_user

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["program"].queryset = program_list_for_user(user)

    def clean(self) -> dict[str, Any]:
        from bakti.registry.selectors import household_list_for_user, person_list_for_user

        data = super().clean()
        data["household"] = data["person"] = None
        if data.get("no_kk"):
            data["household"] = (
                household_list_for_user(self.user).filter(no_kk=data["no_kk"].strip()).first()
            )
            if data["household"] is None:
                self.add_error("no_kk", _("No household with this KK number in your area."))
        if data.get("nik"):
            data["person"] = person_list_for_user(self.user).filter(nik=data["nik"].strip()).first()
            if data["person"] is None:
                self.add_error("nik", _("No person with this NIK in your area."))
        return data


class InvestigatorsForm(forms.Form):
    investigators = forms.ModelMultipleChoiceField(
        label=_("Investigators"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigators"].queryset = get_user_model().objects.filter(is_active=True)


class MeetingForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CommunityMeeting
        fields = [
            "kind",
            "title",
            "date",
            "region",
            "place",
            "facilitator",
            "participants_female",
            "participants_male",
            "participants_under_18",
            "participants_18_59",
            "participants_60_plus",
            "participants_disability",
            "topics",
            "decisions",
            "follow_ups",
        ]
        widgets = {
            "date": DATE,
            "topics": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "follow_ups": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = served_regions([3, 4])
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *MeetingKind.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)


class SLARuleForm(forms.ModelForm):
    class Meta:
        model = SLARule
        fields = ["acknowledge_days", "resolve_days"]


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "kind"]
        widgets = {"date": DATE}


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "description", "is_sensitive", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["code", "name", "order"]
