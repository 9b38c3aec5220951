"""Forms of the duplicate review pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bakti.registry.models import DuplicateStatus


class DuplicateFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *DuplicateStatus.choices],
        initial=DuplicateStatus.OPEN,
    )
    min_score = forms.FloatField(
        label=_("Similarity at least"), required=False, min_value=0, max_value=1
    )
    region = forms.RegexField(
        label=_("Region code"),
        required=False,
        regex=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
        error_messages={"invalid": _("Write a region code such as 34.04 or 34.04.01.")},
    )


class MergeForm(forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)
