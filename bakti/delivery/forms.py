"""Forms for delivery pages. Choices are limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bakti.accounts.access import memberships, scope_for
from bakti.core.uploads import UploadField
from bakti.regions.models import Region

from . import selectors
from .models import (
    AgeGroup,
    AttendanceStatus,
    Event,
    RoundStatus,
    ServiceCategory,
    ServiceType,
    Sex,
    Worker,
    WorkerType,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def regions_for(user: Any, capability: str, *, levels: tuple[int, ...] = (3, 4)) -> Any:
    """Regions a user may pick: within their region scope, or within the jurisdiction of their
    org units when their scope has no region limit."""
    scope = scope_for(user, capability)
    codes = scope.region_codes
    if codes is None:
        # The jurisdiction of the user's units, or of the nearest unit above that has one.
        from bakti.accounts.models import OrgUnit

        units = [m.org_unit for m in memberships(user)]
        codes = sorted({u.region_id for u in units if u.region_id})
        missing = [u for u in units if not u.region_id]
        if missing:
            above = dict(
                OrgUnit.objects.filter(
                    pk__in={pk for u in missing for pk in u.ancestor_ids()},
                    region__isnull=False,
                ).values_list("pk", "region_id")
            )
            for unit in missing:
                for pk in reversed(unit.ancestor_ids()):
                    if pk in above:
                        codes.append(above[pk])
                        break
    if not codes:
        return Region.objects.none()
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(code=code) | Q(code__startswith=code + ".")
    return Region.objects.filter(q, level__in=levels).order_by("code")


class FilterForm(forms.Form):
    """Filters read from the query string; invalid values are ignored rather than fatal."""

    def values(self) -> dict[str, Any]:
        return (
            {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
            if (self.is_valid())
            else {}
        )


class EventFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.program_list_for_user(user)


class DeliveryFilterForm(EventFilterForm):
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["service_type"].queryset = selectors.service_type_list_for_user(user)


class RoundFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *RoundStatus.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.program_list_for_user(user)


class WorkerFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    worker_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *WorkerType.choices]
    )
    active = forms.ChoiceField(
        label=_("Active"),
        required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Inactive"))],
    )


class ServiceTypeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ServiceType
        fields = ["program", "code", "name", "category", "unit", "unit_value", "is_active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.program_list_for_user(user, "delivery.record")
        self.fields["category"].choices = ServiceCategory.choices
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class WorkerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Worker
        fields = [
            "full_name",
            "worker_type",
            "is_volunteer",
            "phone",
            "skills",
            "languages",
            "region",
            "coverage",
            "user",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = regions_for(user, "delivery.record", levels=(2, 3, 4))
        self.fields["region"].queryset = regions
        self.fields["coverage"].queryset = regions
        self.fields["coverage"].required = False
        from bakti.accounts.models import User

        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = [
            "program",
            "activity",
            "topic",
            "date",
            "start_time",
            "end_time",
            "region",
            "place",
            "facilitator",
            "workers",
            "notes",
        ]
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.program_list_for_user(user, "delivery.record")
        self.fields["activity"].queryset = selectors.activity_list_for_user(
            user, "delivery.record"
        ).select_related("program")
        self.fields["region"].queryset = regions_for(user, "delivery.record", levels=(4,))
        workers = selectors.worker_list_for_user(user, {"active": "1"})
        self.fields["facilitator"].queryset = workers
        self.fields["workers"].queryset = workers
        self.fields["workers"].required = False
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
        else:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end < start:
            self.add_error("end_time", _("The end time is before the start time."))
        activity, program = data.get("activity"), data.get("program")
        if activity and program and activity.program_id != program.pk:
            self.add_error("activity", _("This activity belongs to another program."))
        return data


class CheckInForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceStatus.choices, initial=AttendanceStatus.PRESENT
    )


class HeadcountForm(forms.Form):
    """One number per (sex, age group, disability) cell."""

    def __init__(self, *args: Any, initial_counts: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        initial_counts = initial_counts or {}
        for sex, sex_label in Sex.choices:
            for age, age_label in AgeGroup.choices:
                for disability in (False, True):
                    name = self.key_name(sex, age, disability)
                    label = f"{sex_label}, {age_label}"
                    if disability:
                        label = f"{label}, {_('with disability')}"
                    self.fields[name] = forms.IntegerField(
                        label=label,
                        min_value=0,
                        required=False,
                        initial=initial_counts.get((sex, age, disability), 0),
                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    )

    @staticmethod
    def key_name(sex: str, age: str, disability: bool) -> str:
        return f"n_{sex}_{age}_{'d' if disability else 'n'}"

    def counts(self) -> dict[tuple[str, str, bool], int]:
        result = {}
        for sex, _l in Sex.choices:
            for age, _a in AgeGroup.choices:
                for disability in (False, True):
                    value = self.cleaned_data.get(self.key_name(sex, age, disability))
                    result[(sex, age, disability)] = value or 0
        return result


class DeliveryForm(forms.Form):
    """A single delivery to an enrolled household or person."""

    enrolment = forms.ModelChoiceField(label=_("Enrolled household or person"), queryset=None)
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, initial=1, decimal_places=2)
    value = forms.DecimalField(
        label=_("Value"),
        min_value=0,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use quantity × the value of one unit."),
    )
    delivered_on = forms.DateField(label=_("Date delivered"), widget=DATE)
    delivered_by = forms.ModelChoiceField(label=_("Delivered by"), queryset=None, required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    evidence = UploadField(kind="evidence", label=_("Evidence (photo or document)"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, user: Any, program: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = selectors.enrolment_list_for_user(user, program)
        self.fields["enrolment"].label_from_instance = _enrolment_label
        self.fields["service_type"].queryset = ServiceType.objects.filter(
            program=program, is_active=True
        )
        self.fields["activity"].queryset = selectors.activity_list_for_user(
            user, "delivery.record"
        ).filter(program=program)
        self.fields["delivered_by"].queryset = selectors.worker_list_for_user(user, {"active": "1"})
        self.fields["delivered_on"].initial = timezone.localdate()


def _enrolment_label(enrolment: Any) -> str:
    if enrolment.person_id:
        return enrolment.person.full_name
    head = enrolment.household.head
    return f"{head.full_name if head else ''} (KK {enrolment.household.no_kk[:4]}…)"


class RoundForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None)
    service_type = forms.ModelChoiceField(label=_("Service"), queryset=None)
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=None,
        help_text=_("People enrolled in this region (and below it) are on the list."),
    )
    planned_date = forms.DateField(label=_("Planned date"), widget=DATE)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    quantity = forms.DecimalField(
        label=_("Quantity per recipient"), min_value=0, initial=1, decimal_places=2
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.program_list_for_user(user, "delivery.record")
        self.fields["service_type"].queryset = selectors.service_type_list_for_user(
            user, "delivery.record"
        ).filter(is_active=True)
        self.fields["activity"].queryset = selectors.activity_list_for_user(user, "delivery.record")
        self.fields["region"].queryset = regions_for(user, "delivery.record", levels=(2, 3, 4))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        program, service = data.get("program"), data.get("service_type")
        if program and service and service.program_id != program.pk:
            self.add_error("service_type", _("This service belongs to another program."))
        activity = data.get("activity")
        if program and activity and activity.program_id != program.pk:
            self.add_error("activity", _("This activity belongs to another program."))
        return data


class ReceiptForm(forms.Form):
    delivered_on = forms.DateField(label=_("Date received"), widget=DATE)
    delivered_by = forms.ModelChoiceField(label=_("Handed over by"), queryset=None, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_by"].queryset = selectors.worker_list_for_user(user, {"active": "1"})
        self.fields["delivered_on"].initial = timezone.localdate()


class ReceiptImportForm(ReceiptForm):
    file = UploadField(
        kind="table",
        label=_("Returned list (CSV)"),
        help_text=_("The list's CSV with the column “received” filled in (yes or empty)."),
    )
