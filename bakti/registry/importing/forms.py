"""Forms of the import pages: the upload, and the column mapping step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bakti.core.uploads import UploadValidator, accept
from bakti.registry.models import ColumnMapping, JobStatus

from .layouts import FIELDS, REGION_PARTS, target_label


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV or XLSX, one row per person; the first row holds the column names. "
            "At most %(max)s MB."
        )
        % {"max": settings.BAKTI_MAX_UPLOAD_MB},
        widget=forms.ClearableFileInput(attrs={"accept": accept("import")}),
        validators=[UploadValidator("import")],
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=_("Recognise the columns (Bakti or DTKS layout)"),
    )

    def __init__(self, *args: Any, mappings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mappings is not None:
            self.fields["mapping"].queryset = mappings


def target_choices() -> list[tuple[str, str]]:
    return [
        ("", _("— ignore this column —")),
        *[(name, target_label(name)) for name in FIELDS],
        *[(name, target_label(name)) for name in REGION_PARTS],
    ]


class ColumnsForm(forms.Form):
    """One choice per column of the file: which Bakti field it fills, if any."""

    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        help_text=_("Give it a name to use it again for the next file with these columns."),
    )

    def __init__(self, *args: Any, header: list[str], initial_map: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        choices = target_choices()
        for index, name in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name or _("(column %(n)d without a name)") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=initial_map.get(name, ""),
            )
        self.order_fields([*(f"col_{i}" for i in range(len(header))), "save_as"])

    def clean_save_as(self) -> str:
        name = self.cleaned_data["save_as"].strip()
        if name and ColumnMapping.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A mapping with this name exists already."))
        return name

    def column_map(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"col_{index}", "")
            for index, name in enumerate(self.header)
            if self.cleaned_data.get(f"col_{index}")
        }


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *JobStatus.choices]
    )
